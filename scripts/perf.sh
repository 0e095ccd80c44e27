#!/usr/bin/env bash
# Reproducible performance figures for kiji, in one run (see docs/performance.md):
#  1. dictionary: one-time build time (`kiji dict build` into an empty KIJI_CACHE_DIR) and the
#     load time and RSS of a pipeline with nothing to do (`kiji ingest EMPTY_FOLDER`: the baseline);
#  2. throughput, one thread, on the same text: tokenize-only (`Analyzer::count_tokens` per
#     normalized line) against the whole pipeline (`Pipeline::process_text`), MB/s and ratio
#     (the `throughput` group of benches/pipeline.rs);
#  3. `kiji ingest --jobs 1` and `--jobs 2` on a generated corpus of SIZE_MB megabytes: wall time,
#     MB/s, speed-up and peak RSS (`/usr/bin/time -v`).
#
# Usage: scripts/perf.sh [SIZE_MB]     (default 500, the size the memory target is stated for;
#                                       `scripts/perf.sh 50` is a quick run of a few minutes)
# Environment: KIJI_PERF_DIR (work folder, default a new temporary folder, removed at the end
#              unless KIJI_PERF_KEEP=1), KIJI_PERF_SUMMARY (file to also write the summary to).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

size_mb="${1:-500}"
case "$size_mb" in
  '' | *[!0-9]*) echo "usage: scripts/perf.sh [SIZE_MB]" >&2; exit 1 ;;
esac

if [ ! -x /usr/bin/time ]; then
  echo "perf: installing GNU time for /usr/bin/time -v" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
fi

bash scripts/setup.sh
kiji="$root/target/release/kiji"

work="${KIJI_PERF_DIR:-}"
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/kiji-perf.XXXXXX")
  if [ "${KIJI_PERF_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
  fi
fi
mkdir -p "$work"
log="$work/log"
mkdir -p "$log"
echo "perf: working in $work" >&2

# Field of a `/usr/bin/time -v` report.
tv() { sed -n "s/^[[:space:]]*$2: //p" "$1" | head -n1; }
# Elapsed wall clock of a `/usr/bin/time -v` report, in seconds.
wall() {
  tv "$1" "Elapsed (wall clock) time (h:mm:ss or m:ss)" |
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'
}
calc() { awk "BEGIN { printf \"$1\n\", $2 }"; }

# 1. Dictionary ---------------------------------------------------------------
echo "perf: timing the one-time dictionary build (empty KIJI_CACHE_DIR)" >&2
KIJI_CACHE_DIR="$work/cache" /usr/bin/time -v "$kiji" dict build 2>"$log/dict-build.txt"
build_s=$(wall "$log/dict-build.txt")
build_rss_kb=$(tv "$log/dict-build.txt" "Maximum resident set size (kbytes)")
rm -rf "$work/cache"

echo "perf: timing the pipeline load (ingest of an empty folder, best of 5)" >&2
mkdir -p "$work/empty"
load_s=""
for i in 1 2 3 4 5; do
  /usr/bin/time -v "$kiji" ingest "$work/empty" --quiet -o "$work/empty.jsonl" 2>"$log/load-$i.txt"
  s=$(wall "$log/load-$i.txt")
  if [ -z "$load_s" ] || awk "BEGIN { exit !($s < $load_s) }"; then load_s=$s; fi
done
base_rss_kb=$(tv "$log/load-1.txt" "Maximum resident set size (kbytes)")

# 2. Throughput: tokenize-only against the pipeline ---------------------------
echo "perf: tokenize-only against the pipeline, one thread (cargo bench --bench pipeline -- throughput)" >&2
cargo bench --quiet --bench pipeline -- throughput | tee "$log/bench-throughput.txt"
line=$(grep '^KIJI_THROUGHPUT' "$log/bench-throughput.txt" | tail -n1)
bench_load=$(sed -n 's/.*load=\([0-9.-]*\).*/\1/p' <<<"$line")
tok_mbs=$(sed -n 's/.*tokenize_mbs=\([0-9.]*\).*/\1/p' <<<"$line")
pipe_mbs=$(sed -n 's/.*pipeline_mbs=\([0-9.]*\).*/\1/p' <<<"$line")
ratio=$(sed -n 's/.*ratio=\([0-9.]*\).*/\1/p' <<<"$line")

# 3. Ingest of a corpus with 1 and 2 threads ---------------------------------
echo "perf: generating a corpus of $size_mb MB" >&2
rm -rf "$work/corpus"
KIJI_WRITE_CORPUS="$work/corpus" KIJI_CORPUS_MB="$size_mb" cargo bench --quiet --bench pipeline
corpus_bytes=$(find "$work/corpus" -type f -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s }')
corpus_files=$(find "$work/corpus" -type f -name '*.md' | wc -l)
corpus_mb=$(calc "%.1f" "$corpus_bytes / 1e6")

declare -A secs rss cpu load
for jobs in 1 2; do
  echo "perf: kiji ingest --jobs $jobs on $corpus_mb MB ($corpus_files files)" >&2
  sync
  load[$jobs]=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v "$kiji" ingest "$work/corpus" --jobs "$jobs" --quiet \
    -o "$work/out-$jobs.jsonl" --report "$work/report-$jobs.json" 2>"$log/ingest-$jobs.txt" ||
    [ $? = 2 ] # 2: some documents failed (they are in the output); still a valid timing
  secs[$jobs]=$(wall "$log/ingest-$jobs.txt")
  rss[$jobs]=$(tv "$log/ingest-$jobs.txt" "Maximum resident set size (kbytes)")
  cpu[$jobs]=$(tv "$log/ingest-$jobs.txt" "Percent of CPU this job got")
  rm -f "$work/out-$jobs.jsonl"
done
mbs1=$(calc "%.2f" "$corpus_bytes / 1e6 / ${secs[1]}")
mbs2=$(calc "%.2f" "$corpus_bytes / 1e6 / ${secs[2]}")
speedup=$(calc "%.2f" "${secs[1]} / ${secs[2]}")
peak_kb=$(( ${rss[1]} > ${rss[2]} ? ${rss[1]} : ${rss[2]} ))
delta_mb=$(calc "%.0f" "($peak_kb - $base_rss_kb) / 1024")

verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
summary="$work/summary.txt"
{
  echo "kiji performance ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + local changes in src/'))"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo
  echo "dictionary build (one time):      ${build_s} s (peak RSS $((build_rss_kb / 1024)) MB)"
  echo "pipeline load (empty ingest):     ${load_s} s, RSS $((base_rss_kb / 1024)) MB (baseline)"
  echo
  echo "one thread, same text (bench):    tokenize-only ${tok_mbs} MB/s, pipeline ${pipe_mbs} MB/s"
  echo "ratio pipeline/tokenize-only:     ${ratio}  (target >= 0.50: $(verdict "$ratio >= 0.5")); load average ${bench_load}"
  echo
  echo "corpus:                           ${corpus_files} files, ${corpus_mb} MB"
  echo "ingest --jobs 1:                  ${secs[1]} s, ${mbs1} MB/s, CPU ${cpu[1]}, peak RSS $((${rss[1]} / 1024)) MB; load average before ${load[1]}"
  echo "ingest --jobs 2:                  ${secs[2]} s, ${mbs2} MB/s, CPU ${cpu[2]}, peak RSS $((${rss[2]} / 1024)) MB; load average before ${load[2]}"
  echo "speed-up 2 threads / 1 thread:    ${speedup}  (target >= 1.70: $(verdict "$speedup >= 1.7"))"
  echo "peak RSS above the baseline:      ${delta_mb} MB  (target <= 300 MB for 500 MB: $(verdict "$delta_mb <= 300"))"
  # One thread that got less than 95% of a core, or a load average above what this run
  # accounts for, means that other work shared the 2 cores.
  if awk "BEGIN { exit !(${cpu[1]%\%} < 95 || ${load[2]} > 2.5) }"; then
    echo
    echo "note: other work shared the cores during the ingest runs (CPU ${cpu[1]} for one thread,"
    echo "      load average ${load[2]} before two): wall times and the speed-up are not reliable;"
    echo "      rerun on an idle machine for the reference figures."
  fi
} >"$summary"
echo
cat "$summary"
if [ -n "${KIJI_PERF_SUMMARY:-}" ]; then
  cp "$summary" "$KIJI_PERF_SUMMARY"
fi
