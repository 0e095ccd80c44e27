//! The join decision at a `---END---` marker: is the text after the marker
//! the rest of the paragraph before it, and is a space needed?
//!
//! Called only when a paragraph is followed by a marker and a paragraph that
//! neither repeats its tail (stitching) nor repeats it whole (a cut copy); the
//! rules, in order:
//! 1. a heading, a line that ends a sentence (`。!?.` …), a dateline
//!    (`2024年5月14日`, `March 2019`) or a line with a heading mark (`■`, `【`)
//!    is complete: never joined;
//! 2. Latin letters on both sides (`manufactu|ring`, `agreed to|buy`): one word
//!    without a space when the pieces are parts of an acronym (`CF|O`), when
//!    the joined word is an English word and the first piece's last word is
//!    not (`manufactu|ring`), or when neither piece is a word (`Sof|tBank`); a
//!    short headline-like line before a capital is complete; else one space;
//! 3. otherwise (Japanese): one word when lindera's best path over the joined
//!    text has a token across the join (`技術基|盤`); a headline-like line (a
//!    short line, or a first paragraph of up to 60 characters, that ends in a
//!    noun or in へ) is complete; else the sentence goes on (`…経費|削減を見込む`).
//!    Without an analyzer, Japanese pieces are always joined.
//!
//! Never decides on repeats (the caller's stitching and fragment steps do) and
//! never looks further than the two pieces.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::tokenize::{Analyzer, PosClass};

/// What to do with the pieces around a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Two paragraphs.
    Separate,
    /// One paragraph, pieces concatenated (a word split across the marker).
    Concat,
    /// One paragraph, pieces joined with one space.
    Space,
}

/// The decision and the rule that made it (for `--explain-dedup`).
pub type Decision = (Join, &'static str);

/// The English word list (`dictionaries/english_words.txt`).
static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../dictionaries/english_words.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Function words that leave a sentence open (`agreed to`, `shares of`).
const OPEN_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "and", "or",
    "but", "as", "its", "their", "his", "her", "that", "which", "who",
];

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:\s*\d{1,2}:\d{2})?",
        r"|\d{4}[/.\-]\d{1,2}(?:[/.\-]\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
        r"|(?i:(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})",
        r"|(?i:\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4})",
        r"|[A-Z][A-Z .]+,\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:\s+\([^)]*\))?",
        r")\s*$"
    ))
    .unwrap()
});

/// Whether `line` is a dateline (`2024年5月14日`, `March 2019`, `TOKYO, May 14 (Kiji)`).
pub fn is_dateline(line: &str) -> bool {
    DATELINE.is_match(line.trim())
}

/// Whether `line` starts with a mark that Japanese pages put before headings.
fn has_heading_mark(line: &str) -> bool {
    line.trim_start()
        .starts_with(['■', '□', '◆', '◇', '●', '○', '▼', '▽', '【', '▶', '★', '☆'])
}

fn is_word(w: &str) -> bool {
    WORDS.contains(w.to_lowercase().as_str())
}

/// The decision for `prev` (the last line before the marker) and `cont` (the
/// first line after it). `heading`: the block before is a heading; `first`: it
/// is the document's first paragraph.
pub fn decide(
    prev: &str,
    cont: &str,
    heading: bool,
    first: bool,
    analyzer: Option<&Analyzer>,
) -> Decision {
    let prev = prev.trim_end();
    let cont = cont.trim_start();
    if heading {
        return (Join::Separate, "heading");
    }
    if super::ends_sentence(prev) {
        return (Join::Separate, "sentence end");
    }
    if is_dateline(prev) {
        return (Join::Separate, "dateline");
    }
    if has_heading_mark(prev) {
        return (Join::Separate, "heading");
    }
    let (Some(a), Some(b)) = (prev.chars().last(), cont.chars().next()) else {
        return (Join::Separate, "empty");
    };
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        return latin(prev, cont, first);
    }
    japanese(prev, cont, first, analyzer)
}

fn latin(prev: &str, cont: &str, first: bool) -> Decision {
    let left = prev
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let right = cont
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let caps = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase());
    if caps(left) && caps(right) && left.len() + right.len() <= 6 {
        return (Join::Concat, "split acronym");
    }
    let joined = format!("{left}{right}");
    let (left_word, right_word) = (is_word(left), is_word(right));
    if !left_word && is_word(&joined) {
        return (Join::Concat, "split word");
    }
    if !left_word && !right_word && right.starts_with(|c: char| c.is_ascii_lowercase()) {
        return (Join::Concat, "split name");
    }
    let open = OPEN_WORDS.contains(&left.to_lowercase().as_str());
    let short = prev.split_whitespace().count() <= 12;
    if (first || short) && !open && right.starts_with(|c: char| c.is_ascii_uppercase()) {
        return (Join::Separate, "headline");
    }
    (Join::Space, "word boundary")
}

fn japanese(prev: &str, cont: &str, first: bool, analyzer: Option<&Analyzer>) -> Decision {
    // The analyzer looks at a window around the join: a few characters each side.
    let left: String = {
        let v: Vec<char> = prev.chars().rev().take(12).collect();
        v.into_iter().rev().collect()
    };
    let right: String = cont.chars().take(12).collect();
    let chars = prev.chars().count();
    let mut last_pos = None;
    if let Some(analyzer) = analyzer {
        let window = format!("{left}{right}");
        if let Ok(tokens) = analyzer.tokenize(&window) {
            let at = left.len();
            if tokens.iter().any(|t| t.start < at && t.end > at) {
                return (Join::Concat, "split word");
            }
            last_pos = tokens.iter().rev().find(|t| t.end <= at).map(|t| t.pos);
        }
    }
    let noun_end = matches!(
        last_pos,
        Some(
            PosClass::Noun
                | PosClass::Organization
                | PosClass::Person
                | PosClass::Place
                | PosClass::ProperNoun
                | PosClass::Symbol
                | PosClass::Unknown
        )
    );
    // Headlines end in a noun (体言止め: …と業務提携) or in へ (…を買収へ).
    let headline_end = noun_end || (last_pos.is_some() && prev.ends_with('へ'));
    if headline_end && (chars <= 30 || first && chars <= 60) {
        return (Join::Separate, "headline");
    }
    (Join::Concat, "sentence continues")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_are_never_joined() {
        for prev in [
            "2024年5月14日",
            "March 2019",
            "TOKYO, May 14 (Kiji News)",
            "■ 今後の展望",
        ] {
            assert_eq!(
                decide(prev, "両社は", false, false, None).0,
                Join::Separate,
                "{prev}"
            );
        }
        assert_eq!(
            decide("合意した。", "両社は", false, false, None).0,
            Join::Separate
        );
        assert_eq!(
            decide("Outlook", "The", true, false, None).0,
            Join::Separate
        );
    }

    #[test]
    fn latin_words_split_across_the_marker() {
        assert_eq!(
            decide("the manufactu", "ring plant", false, false, None),
            (Join::Concat, "split word")
        );
        assert_eq!(
            decide("its CF", "O, Priya", false, false, None).0,
            Join::Concat
        );
        assert_eq!(
            decide("said Sof", "tBank could", false, false, None).0,
            Join::Concat
        );
        assert_eq!(
            decide("It also agreed to", "buy the unit", false, false, None).0,
            Join::Space
        );
        assert_eq!(
            decide("shares of", "Acme Corp", false, false, None).0,
            Join::Space
        );
    }

    #[test]
    fn a_latin_headline_before_a_capital_is_complete() {
        let d = decide(
            "Brightwell hands its computing to Corvane in ten-year deal",
            "Corvane Cloud and",
            false,
            true,
            None,
        );
        assert_eq!(d, (Join::Separate, "headline"));
    }

    #[test]
    fn datelines() {
        assert!(is_dateline("2024年9月3日"));
        assert!(is_dateline("2012-10-17 12:28:17"));
        assert!(is_dateline("May 14, 2024"));
        assert!(!is_dateline("2024年9月3日に発表した"));
    }
}
