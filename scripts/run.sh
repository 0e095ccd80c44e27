#!/usr/bin/env bash
# The main job on the fixture articles: documents, records (CSV) and the run report in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
./target/release/kiji ingest fixtures/ -o out/fixtures.jsonl \
  --records out/records.csv --records-format csv --report out/report.json "$@"
echo "run: wrote out/fixtures.jsonl, out/records.csv and out/report.json" >&2
