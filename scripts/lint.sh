#!/usr/bin/env bash
# Lints: formatting and clippy with warnings as errors, on every target (lib, bin, tests, benches).
# Kept out of scripts/test.sh (and so out of CI): on this project's machines clippy's first
# toolchain probe in a new clone's target folder has been seen to fail ("failed to run `rustc` to
# learn about target-specific information") while later runs in the same folder pass.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --release --all-targets -- -D warnings
