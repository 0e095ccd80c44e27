//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kiji::Pipeline;

/// One pipeline for all tests of a binary (the dictionary is loaded once).
pub fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/seeds` when present.
pub fn seeds() -> Option<PathBuf> {
    let p = root().join("../shared/seeds");
    p.join("gold.json").is_file().then_some(p)
}

/// `../shared/dev` when present (its gold file and `articles/`).
pub fn dev() -> Option<PathBuf> {
    let p = root().join("../shared/dev");
    (p.join("gold.json").is_file() && p.join("articles").is_dir()).then_some(p)
}

/// The seed article files.
pub fn seed_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// Asserts that every entity's offsets slice `text` to exactly its text.
pub fn assert_offsets(doc: &kiji::Document) {
    let chars: Vec<char> = doc.text.chars().collect();
    for e in &doc.entities {
        assert!(
            e.end <= chars.len() && e.start < e.end,
            "{}: bad range {:?}",
            doc.id,
            e
        );
        let slice: String = chars[e.start..e.end].iter().collect();
        assert_eq!(slice, e.text, "{}: offsets of {:?}", doc.id, e);
    }
}

/// The text of each paragraph of `doc` (paragraph offsets are in characters).
pub fn paragraph_texts(doc: &kiji::Document) -> Vec<String> {
    doc.paragraphs
        .iter()
        .map(|p| {
            doc.text
                .chars()
                .skip(p.start)
                .take(p.end - p.start)
                .collect()
        })
        .collect()
}
