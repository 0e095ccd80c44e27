//! Fuzz target: bytes → `Pipeline::process` (`Content::Bytes`), the whole
//! pipeline as it runs on a file. The first byte picks the format (Markdown,
//! text or HTML); the rest is the file. Besides "no panic" it checks the
//! output invariants: every entity's and paragraph's character offsets lie in
//! `text` and slice it to the entity's `text`, and the same input gives the
//! same document twice (checked on inputs up to 256 bytes).
#![no_main]

use std::sync::OnceLock;

use kiji::ingest::{Content, Format, Input};
use kiji::Pipeline;
use libfuzzer_sys::fuzz_target;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let format = match first % 3 {
        0 => Format::Markdown,
        1 => Format::Text,
        _ => Format::Html,
    };
    let input = Input {
        id: "fuzz.md".to_string(),
        format,
        content: Content::Bytes(body.to_vec()),
    };
    let Ok(doc) = pipeline().process(&input) else {
        return;
    };
    let chars: Vec<char> = doc.text.chars().collect();
    for e in &doc.entities {
        assert!(
            e.start < e.end && e.end <= chars.len(),
            "entity range {e:?}"
        );
        let slice: String = chars[e.start..e.end].iter().collect();
        assert_eq!(slice, e.text, "entity offsets {e:?}");
    }
    for p in &doc.paragraphs {
        assert!(
            p.start <= p.end && p.end <= chars.len(),
            "paragraph range {p:?}"
        );
    }
    // Determinism costs a second run: checked on short inputs only (throughput).
    if body.len() <= 256 {
        let again = pipeline()
            .process(&input)
            .expect("second run of the same input");
        assert!(again == doc, "same input, different output");
    }
});
