//! Batch runs: process many inputs in parallel (rayon) and write one line per
//! document in input order, streaming chunk by chunk so that memory stays
//! bounded whatever the number of documents. Also marks documents that
//! duplicate an earlier one of the same run (`duplicate_of`).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::dedup;
use crate::document::Document;
use crate::ingest::{Content, Input};
use crate::pipeline::Pipeline;

/// Documents processed in parallel before their lines are written.
pub const CHUNK: usize = 64;

/// Counts of one run; `seen = ok + failed + skipped`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Every path or JSON line looked at.
    pub seen: u64,
    /// Documents written with a result.
    pub ok: u64,
    /// Documents written as an error line.
    pub failed: u64,
    /// Files not processed (unsupported extension).
    pub skipped: u64,
    /// Documents marked `duplicate_of` an earlier one.
    pub duplicates: u64,
    /// Failures and skips by reason.
    pub reasons: BTreeMap<String, u64>,
    /// Bytes of input processed.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Outcome of one document.
pub enum Outcome {
    /// Processed.
    Ok(Box<Document>),
    /// Failed, with the error message.
    Failed(String, String),
}

/// Short reason of an error message for the summary (`not text`, `file size` ...).
pub fn reason_of(message: &str) -> String {
    let m = message.to_ascii_lowercase();
    for (needle, reason) in [
        ("not text", "binary"),
        ("file size", "too large"),
        ("longest line", "line too long"),
        ("symlink loop", "symlink loop"),
        ("permission denied", "unreadable"),
        ("no such file", "vanished"),
        ("bad json", "bad json"),
    ] {
        if m.contains(needle) {
            return reason.to_string();
        }
    }
    "error".to_string()
}

/// Finds documents that duplicate an earlier one of the same run.
///
/// A document duplicates the earliest earlier document that has exactly the
/// same `text` (FNV-1a hash of the text), or that shares an LSH band of its
/// MinHash signature ([`dedup::signature`], [`dedup::BANDS`] bands) and has an
/// estimated Jaccard similarity of at least [`dedup::NEAR_JACCARD`]. Texts
/// shorter than [`dedup::NEAR_MIN_CHARS`] characters are never duplicates.
/// The rule only compares pairs, so a cluster job can apply it too (see `spark/`).
#[derive(Default)]
pub struct DuplicateIndex {
    ids: Vec<String>,
    signatures: Vec<Vec<u32>>,
    exact: HashMap<u64, usize>,
    buckets: HashMap<(usize, [u32; 4]), Vec<usize>>,
}

/// The band keys of a signature: (band, its rows).
pub fn bands(signature: &[u32]) -> Vec<(usize, [u32; 4])> {
    signature
        .chunks(4)
        .enumerate()
        .filter(|(_, c)| c.len() == 4)
        .map(|(b, c)| (b, [c[0], c[1], c[2], c[3]]))
        .collect()
}

impl DuplicateIndex {
    /// Checks a document against the earlier ones and records it.
    pub fn check(&mut self, id: &str, text: &str) -> Option<String> {
        let sig = dedup::signature(text)?;
        let hash = dedup::fnv_bytes(text.as_bytes());
        self.check_signed(id, sig, hash)
    }

    /// [`DuplicateIndex::check`] with the signature and text hash computed beforehand (in parallel).
    pub fn check_signed(&mut self, id: &str, sig: Vec<u32>, hash: u64) -> Option<String> {
        let idx = self.ids.len();
        let mut best = self.exact.get(&hash).copied();
        let keys = bands(&sig);
        // Buckets hold positions in increasing order: the first match of a bucket
        // is its earliest, so a cluster of copies costs one comparison per band.
        for k in &keys {
            for &j in self.buckets.get(k).into_iter().flatten() {
                if best.is_some_and(|b| b <= j) {
                    break;
                }
                if dedup::estimated_jaccard(&sig, &self.signatures[j]) >= dedup::NEAR_JACCARD {
                    best = Some(j);
                    break;
                }
            }
        }
        self.exact.entry(hash).or_insert(idx);
        for k in keys {
            let list = self.buckets.entry(k).or_default();
            if list.last() != Some(&idx) {
                list.push(idx);
            }
        }
        self.ids.push(id.to_string());
        self.signatures.push(sig);
        best.map(|j| self.ids[j].clone())
    }
}

/// Expected work of an input: its size in bytes (a file's from its metadata).
fn size_hint(input: &Input) -> u64 {
    match &input.content {
        Content::File(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        Content::Bytes(b) => b.len() as u64,
        Content::JsonLine { len, .. } => *len,
        Content::Text { body, .. } => body.len() as u64,
        Content::Unreadable(_) => 0,
    }
}

/// Processes one input; a panic inside the pipeline (a bug) becomes an error
/// line for that document instead of ending the run.
pub fn process_guarded(pipeline: &Pipeline, input: &Input) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline.process(input))) {
        Ok(Ok(doc)) => Outcome::Ok(Box::new(doc)),
        Ok(Err(e)) => Outcome::Failed(input.id.clone(), e.to_string()),
        Err(_) => Outcome::Failed(
            input.id.clone(),
            "internal error while processing (please report it)".to_string(),
        ),
    }
}

/// Processes `inputs` with the current rayon pool, calling `emit` for each in
/// input order. Returns early with the error of `emit` (e.g. a closed pipe).
pub fn run<E>(
    pipeline: &Pipeline,
    inputs: &[Input],
    summary: &mut Summary,
    mut emit: impl FnMut(Outcome, &mut Summary) -> Result<(), E>,
) -> Result<(), E> {
    let start = Instant::now();
    let mut dups = DuplicateIndex::default();
    type Done = Vec<(Outcome, Option<(Vec<u32>, u64)>)>;
    let work = |input: &Input| {
        let outcome = process_guarded(pipeline, input);
        let sig = match &outcome {
            Outcome::Ok(doc) => {
                dedup::signature(&doc.text).map(|s| (s, dedup::fnv_bytes(doc.text.as_bytes())))
            }
            Outcome::Failed(..) => None,
        };
        (outcome, sig)
    };
    // Largest documents first, each worker taking the next one when it is free
    // (greedy longest-first): a large document started last would leave the
    // other workers idle at the end of the chunk.
    let process = |chunk: &[Input]| -> Done {
        let mut order: Vec<usize> = (0..chunk.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(size_hint(&chunk[i])));
        let next = AtomicUsize::new(0);
        let done: Vec<Vec<(usize, _)>> = (0..rayon::current_num_threads().min(chunk.len()))
            .into_par_iter()
            .map(|_| {
                let mut mine = Vec::new();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = order.get(k) else {
                        break mine;
                    };
                    mine.push((i, work(&chunk[i])));
                }
            })
            .collect();
        // Back to input order.
        let mut done: Vec<(usize, _)> = done.into_iter().flatten().collect();
        done.sort_unstable_by_key(|&(i, _)| i);
        done.into_iter().map(|(_, result)| result).collect()
    };
    let mut write = |results: Done, summary: &mut Summary| -> Result<(), E> {
        for (outcome, sig) in results {
            summary.seen += 1;
            let outcome = match outcome {
                Outcome::Ok(mut doc) => {
                    summary.ok += 1;
                    summary.bytes += doc.source.bytes;
                    doc.duplicate_of = sig.and_then(|(s, h)| dups.check_signed(&doc.id, s, h));
                    if doc.duplicate_of.is_some() {
                        summary.duplicates += 1;
                    }
                    Outcome::Ok(doc)
                }
                Outcome::Failed(id, msg) => {
                    summary.failed += 1;
                    *summary.reasons.entry(reason_of(&msg)).or_default() += 1;
                    Outcome::Failed(id, msg)
                }
            };
            emit(outcome, summary)?;
        }
        Ok(())
    };
    // Chunk k+1 is processed by the pool while this thread writes chunk k.
    let mut pending: Option<Done> = None;
    for chunk in inputs.chunks(CHUNK) {
        let mut next: Option<Done> = None;
        let written = rayon::in_place_scope(|s| {
            s.spawn(|_| next = Some(process(chunk)));
            match pending.take() {
                Some(done) => write(done, summary),
                None => Ok(()),
            }
        });
        written?;
        pending = next;
    }
    if let Some(done) = pending {
        write(done, summary)?;
    }
    summary.seconds += start.elapsed().as_secs_f64();
    Ok(())
}
