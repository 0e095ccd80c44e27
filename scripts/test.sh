#!/usr/bin/env bash
# The whole test suite: formatting, unit, integration, CLI, golden and Spark tests.
# Lints (clippy) are in scripts/lint.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
cargo test --release
bash scripts/spark-test.sh
