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
//!    the joined word is an English word and one of the pieces is not
//!    (`manufactu|ring`, `add|itional`), or when neither piece is a word
//!    (`Sof|tBank`); a
//!    short headline-like line before a capital is complete; else one space;
//!    Digits on both sides are one number (`2|6日`); Latin punctuation before
//!    a Latin letter keeps a space (`40%-|and`);
//! 3. otherwise (Japanese): one word when lindera's best path over the joined
//!    text has a token across the join (`技術基|盤`), and one sentence when
//!    the next piece starts with a particle (`…山東如意|が筆頭株主に`) or the
//!    line ends in a comma; a headline (the first paragraph, up to 60
//!    characters) or a subheading (up to 20 characters, no comma, ending in a
//!    noun) is complete when a whole sentence follows; else the sentence goes
//!    on (`…経費|削減を見込む`). Without an analyzer, only the headline rule
//!    and the comma rule apply.
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

/// A list item or a numbered heading at the start of a line (`・`, `I.`, `(1)`, `1.`, `第2条`).
static ENUMERATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[・■□◆◇●○▼▽【★☆※]|(?:[IVX]{1,4}|[0-9]{1,2}|[A-Z])\.\s|\([0-9]{1,2}\)|[0-9]{1,2}\.[^0-9]|第[0-9一二三四五六七八九十]+[条章節])").unwrap()
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

/// The English words of one and two letters (the list also holds pieces
/// such as `t`, `sh`, `wa`).
const SHORT_WORDS: &[&str] = &[
    "a", "i", "ad", "ah", "am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in",
    "is", "it", "me", "my", "no", "of", "oh", "ok", "on", "or", "ox", "so", "to", "tv", "up", "us",
    "we",
];

/// Whether `w` is an English word.
fn is_word(w: &str) -> bool {
    let w = w.to_lowercase();
    match w.chars().count() {
        0 => false,
        1 | 2 => SHORT_WORDS.contains(&w.as_str()),
        _ => WORDS.contains(w.as_str()),
    }
}

/// The decision for `prev` (the last line of the paragraph before the marker;
/// a heading block before a marker is never joined, the caller sees to it)
/// and `cont` (the first line after it). `first`: `prev` is the document's
/// first paragraph.
pub fn decide(prev: &str, cont: &str, first: bool, analyzer: Option<&Analyzer>) -> Decision {
    let prev = prev.trim_end();
    let cont = cont.trim_start();
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
    // …は12日|、経営再建中の…: no paragraph starts with a comma or a closing mark.
    if matches!(b, '、' | '。' | ',' | '.' | ')' | '」' | '』' | '】') {
        return (Join::Concat, "sentence continues");
    }
    // 記|I. 本第三者割当…, (1)資金調達の目的|本…: a list item or numbered heading
    // starts after a short line.
    if ENUMERATED.is_match(cont) && prev.chars().count() <= 30 && !prev.ends_with('、') {
        return (Join::Separate, "list item");
    }
    if a.is_ascii_digit() && b.is_ascii_digit() {
        return (Join::Concat, "split number");
    }
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        return latin(prev, cont, first);
    }
    // 40%-|and vice versa: Latin text around punctuation keeps its space.
    if a.is_ascii_graphic() && b.is_ascii_alphanumeric() {
        return (Join::Space, "word boundary");
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
    // manufactu|ring, add|itional: the joined word is a word and one piece is not.
    if (!left_word || !right_word) && is_word(&joined) {
        return (Join::Concat, "split word");
    }
    if !left_word && !right_word && right.starts_with(|c: char| c.is_ascii_lowercase()) {
        return (Join::Concat, "split name");
    }
    let open = OPEN_WORDS.contains(&left.to_lowercase().as_str());
    let short = prev.split_whitespace().count() <= 12;
    // A headline before a whole sentence (not `Sharp Sign|Takeover Deal`).
    let cont_is_sentence = super::ends_sentence(cont) && cont.split_whitespace().count() > 6;
    if (first || short)
        && !open
        && cont_is_sentence
        && right.starts_with(|c: char| c.is_ascii_uppercase())
    {
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
            // …山東如意|が筆頭株主に: a paragraph never starts with a particle.
            let next = tokens.iter().find(|t| t.start >= at).map(|t| t.pos);
            if matches!(next, Some(PosClass::Particle | PosClass::Auxiliary)) {
                return (Join::Concat, "sentence continues");
            }
        }
    }
    // …キャンプ場、|リゾートホテル, …エネルギーへの|注目: a comma, a list mark
    // or a linking particle leaves the sentence open.
    if prev.ends_with([
        '、', ',', '・', '(', '「', '『', 'の', 'は', 'が', 'を', 'や', 'も',
    ]) {
        return (Join::Concat, "sentence continues");
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
    // The next piece is a paragraph of its own when it is a whole sentence.
    let cont_is_sentence = super::ends_sentence(cont) && cont.chars().count() > 20;
    // A headline (…筆頭株主に, …と業務提携, …を買収へ) before a sentence.
    if first && chars <= 60 && cont_is_sentence {
        return (Join::Separate, "headline");
    }
    // A subheading (今後の展望): short, no comma, ending in a noun.
    if chars <= 20 && !prev.contains('、') && noun_end && cont_is_sentence {
        return (Join::Separate, "heading");
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
                decide(prev, "両社は", false, None).0,
                Join::Separate,
                "{prev}"
            );
        }
        assert_eq!(
            decide("合意した。", "両社は", false, None).0,
            Join::Separate
        );
    }

    #[test]
    fn latin_words_split_across_the_marker() {
        assert_eq!(
            decide("the manufactu", "ring plant", false, None),
            (Join::Concat, "split word")
        );
        assert_eq!(decide("its CF", "O, Priya", false, None).0, Join::Concat);
        assert_eq!(
            decide("said Sof", "tBank could", false, None).0,
            Join::Concat
        );
        assert_eq!(
            decide("It also agreed to", "buy the unit", false, None).0,
            Join::Space
        );
        assert_eq!(decide("shares of", "Acme Corp", false, None).0, Join::Space);
    }

    #[test]
    fn a_latin_headline_before_a_capital_is_complete() {
        let lead = "Corvane Cloud and Brightwell Insurance have signed a ten-year partnership.";
        let headline = "Brightwell hands its computing to Corvane in ten-year deal";
        assert_eq!(
            decide(headline, lead, true, None),
            (Join::Separate, "headline")
        );
        // A headline cut in two is one headline.
        let d = decide("Hon Hai, Sharp Sign", "Takeover Deal", true, None);
        assert_eq!(d.0, Join::Space);
    }

    #[test]
    fn japanese_pieces_that_cannot_stand_alone() {
        // A comma or a linking particle at the end, a comma at the start.
        assert_eq!(
            decide("キャンプ場、", "リゾートホテル等", false, None).0,
            Join::Concat
        );
        assert_eq!(
            decide("再生可能エネルギーへの", "注目が高まる。", true, None).0,
            Join::Concat
        );
        assert_eq!(
            decide("ヤマダ電機は12日", "、子会社化すると発表した。", true, None).0,
            Join::Concat
        );
        // Digits split across the marker are one number.
        assert_eq!(decide("終値は2", "6日に", false, None).0, Join::Concat);
        // A list item or numbered heading starts after a short line.
        assert_eq!(
            decide("記", "I. 新株式の発行", false, None),
            (Join::Separate, "list item")
        );
        assert_eq!(
            decide("・資金化", "・不採算店舗の撤退", false, None).0,
            Join::Separate
        );
        // A short first paragraph before a whole sentence is a headline.
        let lead = "レナウンは24日、第三者割当増資を正式に発表した。";
        assert_eq!(
            decide("山東如意が筆頭株主に", lead, true, None),
            (Join::Separate, "headline")
        );
    }

    #[test]
    fn datelines() {
        assert!(is_dateline("2024年9月3日"));
        assert!(is_dateline("2012-10-17 12:28:17"));
        assert!(is_dateline("May 14, 2024"));
        assert!(!is_dateline("2024年9月3日に発表した"));
    }
}
