#!/usr/bin/env bash
# Reproducible performance figures for kiji, in one run (see docs/performance.md):
#  1. dictionary: one-time build time (`kiji dict build` into an empty KIJI_CACHE_DIR) and the
#     load time and RSS of a pipeline with nothing to do (`kiji ingest EMPTY_FOLDER`: the baseline);
#  2. in-process throughput on one thread, same text (the `throughput` group of
#     benches/pipeline.rs): tokenize (what `kiji tokenize` does), bare segmentation, the pipeline;
#  3. the commands themselves on one thread, same text (a generated corpus of COMPARE_MB):
#     `kiji tokenize ALL.md` (the corpus concatenated) against `kiji ingest CORPUS --jobs 1`,
#     interleaved, best of ROUNDS: MB/s and the ratio issue 8 sets a target for; then the same
#     on real articles, 40 copies of each seed article of ../shared/seeds when it is there;
#     3c. real news: ../shared/news articles (train and dev) copied to >= 10 MB: ingest --jobs 1
#     against tokenize and bare segmentation, 2 threads, and an A/B against KIJI_PERF_BASELINE;
#  4. `kiji ingest --jobs 1` and `--jobs 2` on a generated corpus of SIZE_MB megabytes: wall time,
#     MB/s, speed-up and peak RSS (`/usr/bin/time -v`).
#
# Usage: scripts/perf.sh [SIZE_MB]     (default 500, the size the memory target is stated for;
#                                       `scripts/perf.sh 50` is a quick run of a few minutes)
# Environment: KIJI_PERF_DIR (work folder, default a new temporary folder, removed at the end
#              unless KIJI_PERF_KEEP=1), KIJI_PERF_SUMMARY (file to also write the summary to),
#              KIJI_PERF_COMPARE_MB (size of the step-3 corpus, default 20),
#              KIJI_PERF_ROUNDS (rounds of step 3, default 5), KIJI_PERF_SEEDS (real articles
#              for step 3b, default ../shared/seeds; skipped when absent), KIJI_PERF_NEWS
#              (step 3c, default ../shared/news), KIJI_PERF_NEWS_MB (default 10),
#              KIJI_PERF_BASELINE (another kiji binary for step 3c's A/B, e.g. one built at an
#              earlier commit into another target folder).
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

verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
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

# 2. Throughput in process: tokenize, segmentation only, pipeline --------------
echo "perf: tokenize and segmentation against the pipeline, one thread (cargo bench --bench pipeline -- throughput)" >&2
cargo bench --quiet --bench pipeline -- throughput | tee "$log/bench-throughput.txt"
line=$(grep '^KIJI_THROUGHPUT' "$log/bench-throughput.txt" | tail -n1)
field() { sed -n "s/.* $1=\([0-9.-]*\).*/\1/p" <<<" $line"; }
bench_load=$(field load)
tok_mbs=$(field tokenize_mbs)
seg_mbs=$(field segment_mbs)
pipe_mbs=$(field pipeline_mbs)
ratio=$(field ratio)
ratio_seg=$(field ratio_segment)

# 3. The commands: kiji tokenize against kiji ingest --jobs 1, same text --------
compare_mb="${KIJI_PERF_COMPARE_MB:-20}"
rounds="${KIJI_PERF_ROUNDS:-5}"
echo "perf: kiji tokenize against kiji ingest --jobs 1 on a $compare_mb MB corpus, best of $rounds" >&2
rm -rf "$work/compare"
KIJI_WRITE_CORPUS="$work/compare" KIJI_CORPUS_MB="$compare_mb" cargo bench --quiet --bench pipeline
# The same bytes as one file, for `kiji tokenize` (which reads one file).
find "$work/compare" -type f -name '*.md' | LC_ALL=C sort | xargs cat >"$work/compare-all.md"
compare_bytes=$(stat -c %s "$work/compare-all.md")
best_tok=""; best_ing=""; cpu_tok=""; cpu_ing=""
for i in $(seq "$rounds"); do
  /usr/bin/time -v "$kiji" tokenize "$work/compare-all.md" >/dev/null 2>"$log/tokenize-$i.txt"
  /usr/bin/time -v "$kiji" ingest "$work/compare" --jobs 1 --quiet -o /dev/null 2>"$log/compare-ingest-$i.txt" ||
    [ $? = 2 ]
  t=$(wall "$log/tokenize-$i.txt"); g=$(wall "$log/compare-ingest-$i.txt")
  if [ -z "$best_tok" ] || awk "BEGIN { exit !($t < $best_tok) }"; then
    best_tok=$t; cpu_tok=$(tv "$log/tokenize-$i.txt" "Percent of CPU this job got")
  fi
  if [ -z "$best_ing" ] || awk "BEGIN { exit !($g < $best_ing) }"; then
    best_ing=$g; cpu_ing=$(tv "$log/compare-ingest-$i.txt" "Percent of CPU this job got")
  fi
done
cli_tok_mbs=$(calc "%.2f" "$compare_bytes / 1e6 / $best_tok")
cli_ing_mbs=$(calc "%.2f" "$compare_bytes / 1e6 / $best_ing")
cli_ratio=$(calc "%.3f" "$best_tok / $best_ing")
rm -rf "$work/compare" "$work/compare-all.md"

# 3b. The same on real articles: the seed articles of ../shared (when present), 40 copies of each
#     (copied into the work folder for the run only).
seeds="${KIJI_PERF_SEEDS:-$root/../shared/seeds}"
seed_line=""
if [ -d "$seeds" ] && ls "$seeds"/*.txt >/dev/null 2>&1; then
  echo "perf: kiji tokenize against kiji ingest --jobs 1 on the seed articles (x40), best of $rounds" >&2
  mkdir -p "$work/seeds"
  for i in $(seq 40); do
    for f in "$seeds"/*.txt; do cp "$f" "$work/seeds/$i-$(basename "$f")"; done
  done
  find "$work/seeds" -type f | LC_ALL=C sort | xargs cat >"$work/seeds-all.txt"
  seed_bytes=$(stat -c %s "$work/seeds-all.txt")
  s_tok=""; s_ing=""
  for i in $(seq "$rounds"); do
    /usr/bin/time -f "%e" -o "$log/seed-tok-$i.txt" "$kiji" tokenize "$work/seeds-all.txt" >/dev/null
    /usr/bin/time -f "%e" -o "$log/seed-ing-$i.txt" "$kiji" ingest "$work/seeds" --jobs 1 --quiet -o /dev/null || [ $? = 2 ]
    t=$(tail -n1 "$log/seed-tok-$i.txt"); g=$(tail -n1 "$log/seed-ing-$i.txt")
    if [ -z "$s_tok" ] || awk "BEGIN { exit !($t < $s_tok) }"; then s_tok=$t; fi
    if [ -z "$s_ing" ] || awk "BEGIN { exit !($g < $s_ing) }"; then s_ing=$g; fi
  done
  seed_line="real articles (seeds x40, $(calc "%.1f" "$seed_bytes / 1e6") MB): kiji tokenize $(calc "%.2f" "$seed_bytes / 1e6 / $s_tok") MB/s, kiji ingest --jobs 1 $(calc "%.2f" "$seed_bytes / 1e6 / $s_ing") MB/s, ratio $(calc "%.3f" "$s_tok / $s_ing")"
  rm -rf "$work/seeds" "$work/seeds-all.txt"
fi

# 3c. Real news: the articles of ../shared/news (train and dev) copied until the folder holds at
#     least NEWS_MB megabytes: kiji ingest --jobs 1 against kiji tokenize (same text, concatenated)
#     and bare segmentation (kiji tokenize --count), --jobs 2 against --jobs 1, and, with
#     KIJI_PERF_BASELINE=OTHER_KIJI_BINARY, an A/B of ingest --jobs 1 against that binary
#     (interleaved, best of ROUNDS): the README's throughput target is stated on this step.
news="${KIJI_PERF_NEWS:-$root/../shared/news}"
news_mb="${KIJI_PERF_NEWS_MB:-10}"
news_lines=()
if [ -d "$news/train/articles" ]; then
  echo "perf: real news (../shared/news x copies to >= $news_mb MB), best of $rounds" >&2
  mkdir -p "$work/news"
  copy=0
  while [ "$(du -sb "$work/news" | cut -f1)" -lt $((news_mb * 1000000)) ]; do
    copy=$((copy + 1))
    for f in "$news"/train/articles/* "$news"/dev/articles/*; do
      [ -f "$f" ] && cp "$f" "$work/news/$copy-$(basename "$f")"
    done
  done
  find "$work/news" -type f | LC_ALL=C sort | xargs cat >"$work/news-all.txt"
  news_bytes=$(stat -c %s "$work/news-all.txt")
  n_tok=""; n_seg=""; n_ing=""; n_ing2=""; n_base=""
  best() { if [ -z "$1" ] || awk "BEGIN { exit !($2 < $1) }"; then echo "$2"; else echo "$1"; fi; }
  for i in $(seq "$rounds"); do
    /usr/bin/time -f "%e" -o "$log/news-tok-$i.txt" "$kiji" tokenize "$work/news-all.txt" >/dev/null
    /usr/bin/time -f "%e" -o "$log/news-seg-$i.txt" "$kiji" tokenize --count "$work/news-all.txt" >/dev/null
    /usr/bin/time -f "%e" -o "$log/news-ing-$i.txt" "$kiji" ingest "$work/news" --jobs 1 --quiet -o /dev/null || [ $? = 2 ]
    /usr/bin/time -f "%e" -o "$log/news-ing2-$i.txt" "$kiji" ingest "$work/news" --jobs 2 --quiet -o /dev/null || [ $? = 2 ]
    n_tok=$(best "$n_tok" "$(tail -n1 "$log/news-tok-$i.txt")")
    n_seg=$(best "$n_seg" "$(tail -n1 "$log/news-seg-$i.txt")")
    n_ing=$(best "$n_ing" "$(tail -n1 "$log/news-ing-$i.txt")")
    n_ing2=$(best "$n_ing2" "$(tail -n1 "$log/news-ing2-$i.txt")")
    if [ -n "${KIJI_PERF_BASELINE:-}" ]; then
      /usr/bin/time -f "%e" -o "$log/news-base-$i.txt" "$KIJI_PERF_BASELINE" ingest "$work/news" --jobs 1 --quiet -o /dev/null || [ $? = 2 ]
      n_base=$(best "$n_base" "$(tail -n1 "$log/news-base-$i.txt")")
    fi
  done
  mb() { calc "%.2f" "$news_bytes / 1e6 / $1"; }
  news_lines+=("real news (../shared/news, $copy copies, $(calc "%.1f" "$news_bytes / 1e6") MB), one thread, best of $rounds:")
  news_lines+=("  kiji ingest --jobs 1:           $(mb "$n_ing") MB/s")
  news_lines+=("  kiji tokenize:                  $(mb "$n_tok") MB/s; ingest/tokenize $(calc "%.3f" "$n_tok / $n_ing")")
  news_lines+=("  bare segmentation (--count):    $(mb "$n_seg") MB/s; ingest/segmentation $(calc "%.3f" "$n_seg / $n_ing")")
  news_lines+=("  kiji ingest --jobs 2:           $(mb "$n_ing2") MB/s; speed-up $(calc "%.2f" "$n_ing / $n_ing2")")
  if [ -n "$n_base" ]; then
    news_lines+=("  A/B: $KIJI_PERF_BASELINE ingest --jobs 1 $(mb "$n_base") MB/s; this build / baseline $(calc "%.3f" "$n_base / $n_ing")  (target >= 0.90: $(verdict "$n_base / $n_ing >= 0.9"))")
  fi
  rm -rf "$work/news" "$work/news-all.txt"
fi

# 4. Ingest of a corpus with 1 and 2 threads ---------------------------------
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

summary="$work/summary.txt"
{
  echo "kiji performance ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + local changes in src/'))"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo
  echo "dictionary build (one time):      ${build_s} s (peak RSS $((build_rss_kb / 1024)) MB)"
  echo "pipeline load (empty ingest):     ${load_s} s, RSS $((base_rss_kb / 1024)) MB (baseline)"
  echo
  echo "commands, one thread, same text:  $(calc "%.1f" "$compare_bytes / 1e6") MB, best of ${rounds}"
  echo "  kiji tokenize ALL.md:           ${best_tok} s, ${cli_tok_mbs} MB/s, CPU ${cpu_tok}"
  echo "  kiji ingest --jobs 1:           ${best_ing} s, ${cli_ing_mbs} MB/s, CPU ${cpu_ing}"
  echo "ratio ingest/tokenize:            ${cli_ratio}  (target >= 0.50: $(verdict "$cli_ratio >= 0.5"))"
  if [ -n "$seed_line" ]; then echo "$seed_line"; fi
  for l in "${news_lines[@]}"; do echo "$l"; done
  echo
  echo "in process, one thread (bench):   tokenize ${tok_mbs} MB/s, segmentation only ${seg_mbs} MB/s, pipeline ${pipe_mbs} MB/s"
  echo "ratio pipeline/tokenize:          ${ratio}  (target >= 0.50: $(verdict "$ratio >= 0.5")); load average ${bench_load}"
  echo "ratio pipeline/segmentation only: ${ratio_seg}  (no target: a lower bound no tokenizer run reaches)"
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
