#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit, integration and CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
bash scripts/spark-test.sh
