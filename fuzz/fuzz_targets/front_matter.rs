//! Fuzz target: YAML front matter and Markdown parsing
//! (`kiji::ingest::markdown::front_matter` and `markdown::parse`).
//! Checks that the block consumed is within the text's lines and that the
//! parsed blocks' source lines point into the text.
#![no_main]

use kiji::ingest::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Front matter is the interesting part: start most inputs with `---`.
    let text = if data.first().is_some_and(|b| b & 1 == 0) {
        format!("---\n{text}")
    } else {
        text.into_owned()
    };
    let (_meta, consumed, _warnings) = markdown::front_matter(&text);
    let lines = text.lines().count();
    assert!(consumed <= lines, "consumed {consumed} of {lines} lines");
    let parsed = markdown::parse(&text);
    let newlines = text.matches('\n').count() as u32 + 1;
    for b in &parsed.blocks {
        for l in &b.lines {
            assert!(
                l.source_line >= 1 && l.source_line <= newlines,
                "source line {} of {newlines}",
                l.source_line
            );
        }
    }
});
