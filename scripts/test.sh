#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit, integration and CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
# clippy's first toolchain probe in a new target folder has been seen to fail here now and then
# ("failed to run `rustc` to learn about target-specific information"); retry that case once,
# without caching the probe, and fail on anything else.
mkdir -p target
if ! cargo clippy --release --all-targets --quiet -- -D warnings 2>target/clippy.log; then
  if grep -q "learn about target-specific information" target/clippy.log; then
    echo "test: clippy's toolchain probe failed; retrying once" >&2
    rm -f target/.rustc_info.json
    CARGO_CACHE_RUSTC_INFO=0 cargo clippy --release --all-targets --quiet -- -D warnings
  else
    cat target/clippy.log >&2
    exit 1
  fi
fi
cargo test --release
bash scripts/spark-test.sh
