//! Cleaning never damages the text: every scrape-damaged article of
//! `fixtures/damaged/` (repeated paragraphs, paragraphs cut at `---END---` and
//! repeated, words split across a marker, stray markers, repeated headings;
//! see the README there) must come out with exactly the paragraphs of its
//! clean original `NAME.clean`, in order.

mod common;

use std::path::Path;

use kiji::ingest::{Content, Format, Input};

fn paragraphs(path: &Path, format: Format) -> Vec<String> {
    let doc = common::pipeline()
        .process(&Input {
            id: path.display().to_string(),
            format,
            content: Content::File(path.to_path_buf()),
        })
        .unwrap();
    common::paragraph_texts(&doc)
}

#[test]
fn damaged_articles_come_out_as_their_clean_originals() {
    let dir = common::root().join("fixtures/damaged");
    let mut pairs = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for damaged in entries {
        let format = match damaged.extension().and_then(|e| e.to_str()) {
            Some("txt") => Format::Text,
            Some("md") if damaged.file_name().unwrap() != "README.md" => Format::Markdown,
            _ => continue,
        };
        let clean = damaged.with_extension("clean");
        assert!(
            clean.is_file(),
            "{} has no clean original",
            damaged.display()
        );
        pairs += 1;
        let got = paragraphs(&damaged, format);
        let want = paragraphs(&clean, Format::Text);
        if got != want {
            let name = damaged.file_name().unwrap().to_string_lossy().to_string();
            let mut lines = vec![format!("{name}:")];
            for i in 0..got.len().max(want.len()) {
                let (g, w) = (got.get(i), want.get(i));
                if g != w {
                    lines.push(format!("  paragraph {i}:\n    want {w:?}\n    got  {g:?}"));
                }
            }
            failures.push(lines.join("\n"));
        }
    }
    assert!(pairs >= 10, "only {pairs} damaged articles");
    assert!(
        failures.is_empty(),
        "{} of {pairs} damaged articles differ from their originals:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
