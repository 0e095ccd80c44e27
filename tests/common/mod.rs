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

/// Undoes HTML escaping of text.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// (type, text) of every `mark` element with `data-entity` in a `kiji show` page, nested ones included, tags stripped.
pub fn html_marks(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = html[from..].find("<mark ") {
        let start = from + p;
        let open_end = start + html[start..].find('>').unwrap() + 1;
        let tag = &html[start..open_end];
        let kind = tag
            .split("data-entity=\"")
            .nth(1)
            .map(|t| t.split('"').next().unwrap().to_string());
        // The element's inner HTML, up to its own closing tag.
        let mut depth = 1;
        let mut i = open_end;
        while depth > 0 {
            let next_open = html[i..].find("<mark ").map(|x| i + x);
            let next_close = i + html[i..].find("</mark>").unwrap();
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    i = o + 1;
                }
                _ => {
                    depth -= 1;
                    i = next_close + "</mark>".len();
                }
            }
        }
        let inner = &html[open_end..i - "</mark>".len()];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        if let Some(kind) = kind {
            out.push((kind, unescape(&text)));
        }
        from = open_end;
    }
    out
}

/// (type, text) of every entity of `docs`, sorted: what a `kiji show` page must highlight.
pub fn entity_texts(docs: &[kiji::Document]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = docs
        .iter()
        .flat_map(|d| {
            d.entities
                .iter()
                .map(|e| (e.type_name().to_string(), e.text.clone()))
        })
        .collect();
    v.sort();
    v
}
