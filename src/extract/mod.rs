//! Extract stage: companies, money amounts, years and partnership verbs.
//!
//! Input: one normalized paragraph and its tokens. Output: [`Span`]s with byte
//! offsets into the paragraph; the pipeline turns them into [`Entity`]s with
//! character offsets into the document's `text`. Lexicons are data in
//! `dictionaries/`; the rules here are documented in each sub-module.
//!
//! [`Entity`]: crate::document::Entity

pub mod companies;
pub mod money;
pub mod numeral;
pub mod verbs;
pub mod years;

use std::sync::LazyLock;

use regex::Regex;

use crate::document::EntityKind;
use crate::error::Result;
use crate::lexicon::Lexicons;
use crate::tokenize::Token;

/// An entity found in a paragraph, with byte offsets into that paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Type and typed fields.
    pub kind: EntityKind,
}

/// All extractors, compiled once.
#[derive(Debug)]
pub struct Extractor {
    /// Company extractor.
    pub companies: companies::CompanyExtractor,
    /// Money extractor.
    pub money: money::MoneyExtractor,
    /// Year extractor.
    pub years: years::YearExtractor,
    /// Verb extractor.
    pub verbs: verbs::VerbExtractor,
}

impl Extractor {
    /// Compiles the extractors from lexicons, with the default company model
    /// (bundled, or `KIJI_COMPANY_MODEL`).
    pub fn new(lex: &Lexicons) -> Result<Self> {
        let model = companies::model::CompanyModel::load(&Default::default())?;
        Self::with_model(lex, model)
    }

    /// Compiles the extractors from lexicons and a company model.
    pub fn with_model(lex: &Lexicons, model: companies::model::CompanyModel) -> Result<Self> {
        Ok(Extractor {
            companies: companies::CompanyExtractor::new(lex, model)?,
            money: money::MoneyExtractor::with_places(&lex.currencies, &lex.currency_places)?,
            years: years::YearExtractor::new(),
            verbs: verbs::VerbExtractor::new(lex)?,
        })
    }

    /// The English company model's sentences and features for one paragraph
    /// (what `kiji train companies-en` trains on; none for Japanese text).
    pub fn english_sentences(&self, text: &str) -> Vec<companies::english::Sentence> {
        let deal_context = !self.verbs.find(text).is_empty();
        self.companies.english_sentences(text, deal_context)
    }

    /// Finds every entity of one paragraph; spans are sorted by start.
    pub fn paragraph(&self, text: &str, tokens: &[Token]) -> Vec<Span> {
        let verbs = self.verbs.find(text);
        let mut spans = self.companies.find(text, tokens, !verbs.is_empty());
        spans.extend(self.money.find(text));
        // Sorted and non-overlapping: overlaps are found by binary search (a
        // table of 10,000 rows is one paragraph).
        let mut money_spans: Vec<(usize, usize)> = spans
            .iter()
            .filter(|s| matches!(s.kind, EntityKind::Amount { .. }))
            .map(|s| (s.start, s.end))
            .collect();
        money_spans.sort_unstable();
        spans.extend(self.years.find(text).into_iter().filter(|y| {
            let i = money_spans.partition_point(|&(_, b)| b <= y.start);
            money_spans.get(i).is_none_or(|&(a, _)| a >= y.end)
        }));
        // 投資 and the like are deal terms only where the sentence names a company.
        let mut companies: Vec<(usize, usize)> = spans
            .iter()
            .filter(|s| matches!(s.kind, EntityKind::Company { .. }))
            .map(|s| (s.start, s.end))
            .collect();
        companies.sort_unstable();
        spans.extend(verbs.into_iter().filter(|v| {
            !self.verbs.needs_company(&text[v.start..v.end]) || {
                let (from, to) = sentence_around(text, v.start, v.end);
                // The first company starting in the sentence, if it ends there too.
                let i = companies.partition_point(|&(s, _)| s < from);
                companies.get(i).is_some_and(|&(_, e)| e <= to)
                    || COMPANY_ANAPHORA.is_match(&text[from..to])
            }
        }));
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        spans
    }
}

/// Words that refer back to companies named earlier (両社は…億円を投じる).
static COMPANY_ANAPHORA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"両社|同社|各社|同グループ|(?:[0-9]+|[二三四五六七八九十]+)社").unwrap()
});

/// Byte range of the sentence (or table row, or line) around `start..end`:
/// from after the previous `。!?` or line break to the next one, inclusive.
pub(crate) fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let stop = |c: char| matches!(c, '。' | '!' | '?' | '\n');
    let from = text[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = text[end..]
        .char_indices()
        .find(|&(_, c)| stop(c))
        .map_or(text.len(), |(i, c)| end + i + c.len_utf8());
    (from, to)
}

/// A regex alternation of `items`, escaped, longest first (so that the
/// longest form of an affix or a name wins).
pub(crate) fn alternation<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let mut v: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v.dedup();
    v.iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// `text` when `on`, else the empty text: a cheap literal pre-check decides
/// whether a rule's regex is run over the paragraph at all.
pub(crate) fn gated(text: &str, on: bool) -> &str {
    if on {
        text
    } else {
        ""
    }
}

/// Whether `c` can be part of a Latin word: ASCII letters and digits, and any
/// letter below U+2000 (accented Latin, Vietnamese `ế`, Romanian `ș`; Greek
/// and Cyrillic too; never kana, kanji or full-width forms).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ((c as u32) < 0x2000 && c.is_alphabetic())
}

/// Whether the bytes `start..end` of `text` are not glued to Latin letters or
/// digits on either side (only checked where the span itself starts or ends
/// with a Latin character).
pub(crate) fn latin_boundaries_ok(text: &str, start: usize, end: usize) -> bool {
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let left = !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char));
    let right = !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char));
    left && right
}
