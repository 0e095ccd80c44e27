//! End-to-end benchmarks (`Pipeline::process_text`) and the throughput
//! comparison of the whole pipeline against tokenization alone.
//!
//! - `process_text/{ja_2KB, ja_20KB, ja_200KB, mixed_20KB, en_20KB}`: one
//!   generated article (see `benches/common/mod.rs`), all stages.
//! - `throughput/{tokenize, segment_only, pipeline}`: the same text, one cycle
//!   of the standard corpus (20 articles, about 380 KB, the size and language
//!   mix of the `scripts/perf.sh` corpus), on one thread, all counting the raw
//!   article bytes so that the MB/s compare:
//!   - `tokenize` does what `kiji tokenize` does: every line of the raw
//!     articles normalized, analyzed with the same dictionary and user
//!     dictionary, and written in MeCab's format (surface and IPADIC fields
//!     of every token) into a buffer. This is "tokenization alone" as issue 8
//!     names it, and the target's reference.
//!   - `segment_only` is the bare lattice search: `Analyzer::count_tokens` on
//!     lines normalized beforehand (untimed), reading no part of speech and
//!     writing nothing. It is a lower bound that no tokenizer run reaches.
//!   - `pipeline` times `process_text` on the raw articles.
//! - After the criterion groups, a direct comparison (interleaved runs, best
//!   of several) prints the three MB/s and the two ratios
//!   (`KIJI_COMPARE_ROUNDS`, default 5, sets the rounds; 0 skips it).
//!
//! `KIJI_WRITE_CORPUS=DIR KIJI_CORPUS_MB=N cargo bench --bench pipeline`
//! writes the standard corpus of about N MB into DIR instead of benchmarking
//! (used by `scripts/perf.sh`, so that the files it ingests are the text
//! benchmarked here).

mod common;

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use kiji::Pipeline;

fn process_text(c: &mut Criterion, pipeline: &Pipeline) {
    let cases = [
        ("ja_2KB", common::article(2, 2_000, common::Mix::Japanese)),
        (
            "ja_20KB",
            common::article(20, 20_000, common::Mix::Japanese),
        ),
        (
            "ja_200KB",
            common::article(200, 200_000, common::Mix::Japanese),
        ),
        (
            "mixed_20KB",
            common::article(21, 20_000, common::Mix::Mixed),
        ),
        ("en_20KB", common::article(22, 20_000, common::Mix::English)),
    ];
    let mut g = c.benchmark_group("process_text");
    for (name, text) in &cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(if text.len() > 100_000 { 10 } else { 20 });
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| pipeline.process_text("bench.md", text).expect("process"))
        });
    }
    g.finish();
}

/// The comparison's input: one cycle of the standard corpus.
struct Sample {
    articles: Vec<String>,
    /// Every article's non-empty lines, normalized.
    lines: Vec<String>,
    bytes: u64,
}

fn sample() -> Sample {
    let articles: Vec<String> = (0..20).map(common::corpus_article).collect();
    let lines = articles
        .iter()
        .flat_map(|a| a.lines())
        .map(kiji::normalize::normalize)
        .filter(|l| !l.is_empty())
        .collect();
    let bytes = articles.iter().map(|a| a.len() as u64).sum();
    Sample {
        articles,
        lines,
        bytes,
    }
}

/// The bare lattice search on every normalized line (no part of speech, no output).
fn segment_only(pipeline: &Pipeline, s: &Sample) -> usize {
    s.lines
        .iter()
        .map(|l| pipeline.analyzer().count_tokens(l).expect("segment"))
        .sum()
}

/// What `kiji tokenize` does: every line normalized, analyzed and written in
/// MeCab's format (into `out`, cleared after each line).
fn tokenize_mecab(pipeline: &Pipeline, s: &Sample, out: &mut Vec<u8>) -> usize {
    let mut written = 0;
    for article in &s.articles {
        for line in article.lines() {
            let line = kiji::normalize::normalize(line);
            if line.is_empty() {
                continue;
            }
            out.clear();
            pipeline
                .analyzer()
                .write_mecab::<_, anyhow::Error>(&line, out)
                .expect("tokenize");
            written += out.len();
        }
    }
    written
}

fn whole_pipeline(pipeline: &Pipeline, s: &Sample) -> usize {
    s.articles
        .iter()
        .map(|a| {
            pipeline
                .process_text("bench.md", a)
                .expect("process")
                .entities
                .len()
        })
        .sum()
}

fn throughput(c: &mut Criterion, pipeline: &Pipeline, s: &Sample) {
    let mut g = c.benchmark_group("throughput");
    g.throughput(Throughput::Bytes(s.bytes));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    let mut out = Vec::new();
    g.bench_function("tokenize", |b| {
        b.iter(|| tokenize_mecab(pipeline, s, &mut out))
    });
    g.bench_function("segment_only", |b| b.iter(|| segment_only(pipeline, s)));
    g.bench_function("pipeline", |b| b.iter(|| whole_pipeline(pipeline, s)));
    g.finish();
}

/// The 1-minute load average (Linux), to tell whether other work shared the cores.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Interleaved passes of the three, best of `rounds`; prints MB/s and the ratios.
fn compare(pipeline: &Pipeline, s: &Sample, rounds: usize) {
    let mb = s.bytes as f64 / 1e6;
    let (mut best_tok, mut best_seg, mut best_pipe) = (f64::MAX, f64::MAX, f64::MAX);
    let load_before = load_average();
    let mut out = Vec::new();
    // One untimed pass each warms the workers and the page cache of the dictionary.
    tokenize_mecab(pipeline, s, &mut out);
    segment_only(pipeline, s);
    whole_pipeline(pipeline, s);
    let time = |f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        std::hint::black_box(f());
        t.elapsed().as_secs_f64()
    };
    for _ in 0..rounds {
        best_tok = best_tok.min(time(&mut || tokenize_mecab(pipeline, s, &mut out)));
        best_seg = best_seg.min(time(&mut || segment_only(pipeline, s)));
        best_pipe = best_pipe.min(time(&mut || whole_pipeline(pipeline, s)));
    }
    let (tok, seg, pipe) = (mb / best_tok, mb / best_seg, mb / best_pipe);
    let (ratio, ratio_seg) = (pipe / tok, pipe / seg);
    println!();
    println!(
        "throughput comparison ({} articles, {:.2} MB, one thread, best of {rounds}):",
        s.articles.len(),
        mb
    );
    println!("  tokenize (as `kiji tokenize`: normalize, analyze, MeCab output): {tok:8.3} MB/s");
    println!("  segment only (count_tokens per normalized line, no output):      {seg:8.3} MB/s");
    println!("  pipeline (process_text per article):                             {pipe:8.3} MB/s");
    println!(
        "  ratio pipeline/tokenize: {ratio:.3} (target >= 0.50: {}); pipeline/segment only: {ratio_seg:.3}",
        if ratio >= 0.5 { "met" } else { "MISSED" }
    );
    let load = load_before.zip(load_average()).map(|(a, b)| a.max(b));
    if let Some(load) = load {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "  load average {load:.2} on {cores} cores{}",
            if load > cores as f64 - 1.0 + 0.5 {
                ": other work shared the cores, the MB/s are low (the ratios less so)"
            } else {
                ""
            }
        );
    }
    println!(
        "KIJI_THROUGHPUT tokenize_mbs={tok:.3} segment_mbs={seg:.3} pipeline_mbs={pipe:.3} ratio={ratio:.3} ratio_segment={ratio_seg:.3} load={:.2}",
        load.unwrap_or(-1.0)
    );
}

/// The criterion filter given on the command line, if any (`cargo bench -- FILTER`).
fn filter() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            // Flags of criterion that take a value.
            "--save-baseline"
            | "--baseline"
            | "--load-baseline"
            | "--sample-size"
            | "--warm-up-time"
            | "--measurement-time"
            | "--nresamples"
            | "--noise-threshold"
            | "--confidence-level"
            | "--significance-level"
            | "--profile-time"
            | "--plotting-backend"
            | "--output-format"
            | "--color"
            | "-c"
            | "-s"
            | "-b" => {
                args.next();
            }
            a if a.starts_with('-') => {}
            a => return Some(a.to_string()),
        }
    }
    None
}

fn main() {
    if let Some(dir) = std::env::var_os("KIJI_WRITE_CORPUS") {
        let mb: u64 = std::env::var("KIJI_CORPUS_MB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50);
        let dir = std::path::PathBuf::from(dir);
        let start = Instant::now();
        let (files, bytes) = common::write_corpus(&dir, mb).expect("writing the corpus");
        eprintln!(
            "wrote {files} articles, {:.1} MB, into {} in {:.1} s",
            bytes as f64 / 1e6,
            dir.display(),
            start.elapsed().as_secs_f64()
        );
        return;
    }
    let pipeline = Pipeline::with_defaults().expect("loading the pipeline (run scripts/setup.sh)");
    let s = sample();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    process_text(&mut c, &pipeline);
    throughput(&mut c, &pipeline, &s);
    c.final_summary();
    let rounds: usize = std::env::var("KIJI_COMPARE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let wanted = filter().is_none_or(|f| "throughput/compare".contains(f.as_str()));
    // `cargo test --benches` runs bench binaries in test mode: skip the long comparison.
    let test_mode = std::env::args().any(|a| a == "--test" || a == "--list");
    if rounds > 0 && wanted && !test_mode {
        compare(&pipeline, &s, rounds);
    }
}
