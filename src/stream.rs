//! `kiji stream`: JSON Lines articles on a reader, one document line per
//! input line on a writer, in input order.
//!
//! Input lines: `{"id", "text"|"body"|"content"|"html", "title"?, "date"?,
//! "url"?, "author"?, "format"?}`. Lines are read by a separate thread and
//! processed in parallel in batches of what is available (at most
//! [`crate::batch::CHUNK`]), so memory stays bounded whatever the stream
//! length, and each batch is written and flushed as soon as it is done. A
//! line that cannot be used gives `{"id", "error"}` (id `#LINE` when it has
//! none) and the stream goes on.

use std::io::{BufRead, Write};
use std::sync::mpsc;

use rayon::prelude::*;
use serde_json::Value;

use crate::batch::{self, DuplicateIndex, Outcome, Summary, CHUNK};
use crate::error::{KijiError, Result};
use crate::ingest::{self, Input};
use crate::output::error_line;
use crate::pipeline::Pipeline;

/// Options of a stream run.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreamOptions {
    /// Add `signature` and `text_hash` to each document.
    pub signatures: bool,
    /// Mark `duplicate_of` among the documents of this stream.
    pub duplicates: bool,
}

/// The id of a JSON line (its `id` field), or `#LINE`.
fn line_id(line: &str, n: u64) -> String {
    serde_json::from_str::<Value>(line)
        .ok()
        .and_then(|v| match v.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| format!("#{n}"))
}

fn process_line(pipeline: &Pipeline, line: &str, n: u64) -> Outcome {
    let id = line_id(line, n);
    match ingest::json_article(line) {
        Ok((format, content)) => batch::process_guarded(
            pipeline,
            &Input {
                id,
                format,
                content,
            },
        ),
        Err(e) => Outcome::Failed(id, e.to_string()),
    }
}

/// Runs the stream until the reader ends. Returns the counts.
pub fn run(
    pipeline: &Pipeline,
    reader: impl BufRead + Send,
    out: &mut impl Write,
    options: &StreamOptions,
) -> Result<Summary> {
    let io = |e: std::io::Error| KijiError::io("<stdout>", e);
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<String>>(CHUNK * 2);
    let mut summary = Summary::default();
    let mut dups = DuplicateIndex::default();
    let mut n: u64 = 0;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for line in reader.lines() {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Each batch: block for one line, then take what else is ready.
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            while batch.len() < CHUNK {
                match rx.try_recv() {
                    Ok(l) => batch.push(l),
                    Err(_) => break,
                }
            }
            let numbered: Vec<(u64, String)> = batch
                .into_iter()
                .map(|l| {
                    n += 1;
                    (n, l.unwrap_or_else(|e| format!("\u{0}{e}")))
                })
                .collect();
            let outcomes: Vec<Outcome> = numbered
                .par_iter()
                .map(|(i, line)| {
                    if let Some(err) = line.strip_prefix('\u{0}') {
                        return Outcome::Failed(format!("#{i}"), format!("reading input: {err}"));
                    }
                    if line.bytes().all(|b| b.is_ascii_whitespace()) {
                        return Outcome::Failed(
                            format!("#{i}"),
                            "bad JSON input: empty line".to_string(),
                        );
                    }
                    process_line(pipeline, line, *i)
                })
                .collect();
            for outcome in outcomes {
                summary.seen += 1;
                match outcome {
                    Outcome::Ok(mut doc) => {
                        summary.ok += 1;
                        summary.bytes += doc.source.bytes;
                        if options.duplicates {
                            doc.duplicate_of = dups.check(&doc.id, &doc.text);
                        }
                        if options.signatures {
                            doc.signature = Some(crate::dedup::signature(&doc.text));
                            doc.text_hash = Some(format!(
                                "{:016x}",
                                crate::dedup::fnv_bytes(doc.text.as_bytes())
                            ));
                        }
                        let line = serde_json::to_vec(&doc)
                            .map_err(|e| KijiError::BadJson(e.to_string()))?;
                        out.write_all(&line).map_err(io)?;
                    }
                    Outcome::Failed(id, msg) => {
                        summary.failed += 1;
                        serde_json::to_writer(&mut *out, &error_line(&id, &msg))
                            .map_err(|e| io(e.into()))?;
                    }
                }
                out.write_all(b"\n").map_err(io)?;
            }
            out.flush().map_err(io)?;
        }
        Ok(())
    })?;
    Ok(summary)
}
