//! Batch runs: process many inputs in parallel (rayon) and write one line per
//! document in input order, streaming chunk by chunk so that memory stays
//! bounded whatever the number of documents. Also marks documents that
//! duplicate an earlier one of the same run (`duplicate_of`).

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::dedup;
use crate::document::Document;
use crate::ingest::Input;
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

/// Finds documents that duplicate an earlier one (exact text, or near
/// duplicates by MinHash/LSH over the whole text with the paragraph thresholds).
#[derive(Default)]
pub struct DuplicateIndex {
    exact: HashMap<u64, String>,
    buckets: HashMap<u64, Vec<usize>>,
    docs: Vec<(String, std::collections::HashSet<u64>)>,
}

impl DuplicateIndex {
    /// Checks `doc` against the earlier documents and records it.
    pub fn check(&mut self, id: &str, text: &str) -> Option<String> {
        if text.chars().count() < dedup::NEAR_MIN_CHARS {
            return None;
        }
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        let exact = h.finish();
        if let Some(first) = self.exact.get(&exact) {
            return Some(first.clone());
        }
        self.exact.insert(exact, id.to_string());
        let sh = dedup::shingles(text);
        let bands = dedup::band_keys(&dedup::minhash(&sh));
        let mut cands: Vec<usize> = bands
            .iter()
            .filter_map(|b| self.buckets.get(b))
            .flatten()
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        let hit = cands.into_iter().find(|&j| {
            let (j_sim, _) = dedup::similarity(&sh, &self.docs[j].1);
            j_sim >= dedup::NEAR_JACCARD
        });
        if let Some(j) = hit {
            return Some(self.docs[j].0.clone());
        }
        let idx = self.docs.len();
        for b in bands {
            self.buckets.entry(b).or_default().push(idx);
        }
        self.docs.push((id.to_string(), sh));
        None
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
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<Outcome> = chunk
            .par_iter()
            .map(|input| process_guarded(pipeline, input))
            .collect();
        for outcome in results {
            summary.seen += 1;
            let outcome = match outcome {
                Outcome::Ok(mut doc) => {
                    summary.ok += 1;
                    summary.bytes += doc.source.bytes;
                    doc.duplicate_of = dups.check(&doc.id, &doc.text);
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
    }
    summary.seconds += start.elapsed().as_secs_f64();
    Ok(())
}
