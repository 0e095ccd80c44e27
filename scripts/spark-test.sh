#!/usr/bin/env bash
# The Spark tests (spark/test_spark.py) in local mode against the release binary:
#   1. a Python venv in target/spark-venv (KIJI_SPARK_VENV to change it; never committed)
#      with spark/requirements.txt (pyspark from PyPI, pytest),
#   2. the release binary and the dictionary (scripts/setup.sh) when missing,
#   3. pytest. Exits non-zero when a test fails. Needs Java 17+ (`java -version`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "spark-test: java not found; installing Debian's openjdk-17-jre-headless" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "spark-test: java not found; install OpenJDK 17+ (apt-get install -y openjdk-17-jre-headless)" >&2
    exit 1
  fi
fi
java_major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
if [ "${java_major:-0}" -lt 17 ]; then
  echo "spark-test: pyspark 4 needs Java 17 or newer; found: $(java -version 2>&1 | head -n 1)" >&2
  exit 1
fi
echo "spark-test: $(java -version 2>&1 | head -n 1)"

venv="${KIJI_SPARK_VENV:-target/spark-venv}"
py="$venv/bin/python"
if ! "$py" -c 'import pyspark, pytest' >/dev/null 2>&1 \
   || ! cmp -s spark/requirements.txt "$venv/.kiji-requirements.txt"; then
  echo "spark-test: installing spark/requirements.txt into $venv" >&2
  python3 -m venv "$venv"
  "$py" -m pip install --quiet --disable-pip-version-check -r spark/requirements.txt
  cp spark/requirements.txt "$venv/.kiji-requirements.txt"
fi

# The release binary (cargo build --release) and its dictionary, built once into the cache (the
# mappers get KIJI_CACHE_DIR / KIJI_IPADIC_SRC from the driver) when either is missing.
if [ ! -x target/release/kiji ] || ! ./target/release/kiji dict build >/dev/null 2>&1; then
  bash scripts/setup.sh
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/kiji-spark-test.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
export SPARK_LOCAL_IP=127.0.0.1
export PYTHONDONTWRITEBYTECODE=1
export PYSPARK_PYTHON="$PWD/$py"
export PYSPARK_DRIVER_PYTHON="$PWD/$py"
"$py" -m pytest spark/test_spark.py -p no:cacheprovider --basetemp "$scratch/pytest" -q "$@"
