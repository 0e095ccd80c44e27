//! kiji (記事): turns folders of raw, scraped Japanese and English news
//! articles into clean text and structured records of who partnered with
//! whom, when, how, and for how much.
//!
//! The stages, each in its own module, in pipeline order:
//! [`ingest`] (find, read, decode, parse) → [`normalize`] → [`dedup`] →
//! [`tokenize`] (lindera + IPADIC) → [`extract`] (companies, money, years,
//! verbs) → [`records`] (partnerships) → [`output`] (JSON Lines, CSV).
//! [`pipeline::Pipeline`] runs them on one document; [`batch`] runs it over
//! many in parallel with ordered output. The types that flow between stages
//! are in [`document`].
//!
//! ```no_run
//! let pipeline = kiji::Pipeline::with_defaults()?;
//! let doc = pipeline.process_text("note.md", "トヨタ自動車はNVIDIAと2024年に業務提携した。")?;
//! assert_eq!(doc.records[0].companies, ["トヨタ自動車", "NVIDIA"]);
//! # Ok::<(), kiji::KijiError>(())
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod check;
pub mod dedup;
pub mod document;
pub mod error;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod lang;
pub mod lexicon;
pub mod normalize;
pub mod output;
pub mod patterns;
pub mod pipeline;
pub mod records;
pub mod show;
pub mod stream;
pub mod table;
pub mod tokenize;
pub mod train;

pub use document::{Document, Entity, EntityKind, Record};
pub use error::{KijiError, Result};
pub use pipeline::{Options, Pipeline};

/// The README's code examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    #[test]
    fn pipeline_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<crate::Pipeline>();
    }
}
