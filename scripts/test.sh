#!/usr/bin/env bash
# The whole test suite: formatting, unit, integration, CLI, golden, browser and Spark tests.
# Lints (clippy) are in scripts/lint.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
cargo fmt --all -- --check
cargo test --release
bash scripts/spark-test.sh
