#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit, integration and CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
# Dependencies are checked with plain rustc first: building them under clippy's wrapper in a new
# target folder has been seen to fail here ("failed to run `rustc` to learn about target-specific
# information", while zerocopy's build script probes the compiler).
cargo check --release --all-targets --quiet
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
bash scripts/spark-test.sh
