//! One criterion group per pipeline stage: normalize, dedup, tokenize, extract,
//! records. Each stage gets exactly the input the pipeline would give it, for a
//! generated Japanese article of about 20 KB and of about 200 KB (see
//! `benches/common/mod.rs`); everything a stage needs is prepared outside the
//! timed loop. Throughput is in bytes of the stage's own input.
//!
//! Run: `cargo bench --bench stages` (or `-- tokenize` for one group).

mod common;

use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BatchSize, Bencher, BenchmarkId, Criterion, Throughput,
};
use kiji::document::Block;
use kiji::extract::Span;
use kiji::ingest::{self, Format};
use kiji::records::{ByteEntity, ByteParagraph};
use kiji::tokenize::Token;
use kiji::{dedup, normalize, records, Pipeline};

/// Everything the stages after parsing see for one article.
struct Prepared {
    name: &'static str,
    /// Parsed blocks, before normalization.
    raw_blocks: Vec<Block>,
    /// Normalized blocks, the input of dedup.
    normalized: Vec<Block>,
    /// The laid-out text after dedup and its paragraphs (byte ranges).
    text: String,
    paragraphs: Vec<ByteParagraph>,
    /// Tokens of each paragraph.
    tokens: Vec<Vec<Token>>,
    /// Entities of the whole text, sorted as the pipeline sorts them.
    entities: Vec<ByteEntity>,
}

fn prepare(pipeline: &Pipeline, name: &'static str, article: &str) -> Prepared {
    let parsed = ingest::parse(article, Format::Markdown);
    let raw_blocks = parsed.blocks;
    let normalized: Vec<Block> = normalize::normalize_blocks(raw_blocks.clone());
    let (kept, _) = dedup::dedup(normalized.clone());
    // The pipeline's layout: blocks joined by a blank line.
    let mut text = String::new();
    let mut paragraphs = Vec::new();
    for b in &kept {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&b.joined());
        paragraphs.push(ByteParagraph {
            kind: b.kind,
            start,
            end: text.len(),
        });
    }
    let mut tokens = Vec::new();
    let mut entities = Vec::new();
    for p in &paragraphs {
        let para = &text[p.start..p.end];
        let t = pipeline.paragraph_tokens(para).expect("tokenize");
        for s in pipeline.extractor().paragraph(para, &t) {
            let Span { start, end, kind } = s;
            entities.push(ByteEntity {
                start: p.start + start,
                end: p.start + end,
                kind,
            });
        }
        tokens.push(t);
    }
    entities.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    Prepared {
        name,
        raw_blocks,
        normalized,
        text,
        paragraphs,
        tokens,
        entities,
    }
}

fn lines_bytes(blocks: &[Block]) -> u64 {
    blocks
        .iter()
        .flat_map(|b| &b.lines)
        .map(|l| l.text.len() as u64)
        .sum()
}

fn stages(c: &mut Criterion) {
    let pipeline = Pipeline::with_defaults().expect("loading the pipeline (run scripts/setup.sh)");
    let inputs = [
        prepare(
            &pipeline,
            "ja_20KB",
            &common::article(20, 20_000, common::Mix::Japanese),
        ),
        prepare(
            &pipeline,
            "ja_200KB",
            &common::article(200, 200_000, common::Mix::Japanese),
        ),
    ];

    group(
        c,
        "normalize",
        &inputs,
        |p| lines_bytes(&p.raw_blocks),
        |b, p| {
            b.iter(|| {
                let mut n = 0;
                for l in p.raw_blocks.iter().flat_map(|b| &b.lines) {
                    n += normalize::normalize(&l.text).len();
                }
                n
            })
        },
    );
    group(
        c,
        "dedup",
        &inputs,
        |p| lines_bytes(&p.normalized),
        |b, p| b.iter_batched(|| p.normalized.clone(), dedup::dedup, BatchSize::SmallInput),
    );
    let text_bytes = |p: &Prepared| p.text.len() as u64;
    group(c, "tokenize", &inputs, text_bytes, |b, p| {
        b.iter(|| {
            let mut n = 0;
            for para in &p.paragraphs {
                n += pipeline
                    .paragraph_tokens(&p.text[para.start..para.end])
                    .expect("tokenize")
                    .len();
            }
            n
        })
    });
    group(c, "extract", &inputs, text_bytes, |b, p| {
        b.iter(|| {
            let mut n = 0;
            for (para, tokens) in p.paragraphs.iter().zip(&p.tokens) {
                n += pipeline
                    .extractor()
                    .paragraph(&p.text[para.start..para.end], tokens)
                    .len();
            }
            n
        })
    });
    let deals = records::Deals::new(&kiji::lexicon::Lexicons::bundled().expect("lexicons"));
    group(c, "records", &inputs, text_bytes, |b, p| {
        b.iter(|| records::build(&p.text, &p.paragraphs, &p.entities, &deals, None))
    });
}

/// One criterion group: `run` on each input, throughput counted in `bytes`.
fn group(
    c: &mut Criterion,
    name: &str,
    inputs: &[Prepared],
    bytes: impl Fn(&Prepared) -> u64,
    run: impl Fn(&mut Bencher, &Prepared),
) {
    let mut g = c.benchmark_group(name);
    for p in inputs {
        g.throughput(Throughput::Bytes(bytes(p)));
        g.sample_size(if p.text.len() > 100_000 { 10 } else { 20 });
        g.bench_with_input(BenchmarkId::from_parameter(p.name), p, |b, p| run(b, p));
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = stages
}
criterion_main!(benches);
