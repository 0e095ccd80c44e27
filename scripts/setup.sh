#!/usr/bin/env bash
# Installs what kiji needs on a fresh machine and builds it:
#  1. the IPADIC sources (Debian's mecab-ipadic) unless KIJI_IPADIC_SRC points elsewhere,
#  2. the release binary,
#  3. the lindera dictionary, built once into the cache (KIJI_CACHE_DIR, default ~/.cache/kiji);
#  with --browser also
#  4. Debian's chromium for the browser test of `kiji show` (tests/browser.rs) when no Chromium is
#     found; if it cannot be installed the test skips and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1 \
  && ! command -v chromium-browser >/dev/null 2>&1 && [ -z "${KIJI_CHROMIUM:-}" ]; then
  echo "setup: installing Debian's chromium for the browser test of kiji show" >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      echo "setup: chromium could not be installed; tests/browser.rs will skip" >&2
  elif command -v sudo >/dev/null 2>&1; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      echo "setup: chromium could not be installed; tests/browser.rs will skip" >&2
  else
    echo "setup: no root: chromium not installed; tests/browser.rs will skip" >&2
  fi
fi

src="${KIJI_IPADIC_SRC:-/usr/share/mecab/dic/ipadic}"
if [ ! -f "$src/matrix.def" ]; then
  echo "setup: IPADIC sources not found in $src; installing Debian's mecab-ipadic" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mecab-ipadic >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mecab-ipadic >/dev/null
  else
    echo "setup: run as root: apt-get update && apt-get install -y mecab-ipadic" >&2
    echo "       (or set KIJI_IPADIC_SRC to a folder with IPADIC's *.csv, char.def, unk.def, matrix.def)" >&2
    exit 1
  fi
fi

cargo build --release --quiet
./target/release/kiji dict build
