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
pub mod verbs;
pub mod years;

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
    /// Compiles the extractors from lexicons.
    pub fn new(lex: &Lexicons) -> Result<Self> {
        Ok(Extractor {
            companies: companies::CompanyExtractor::new(lex)?,
            money: money::MoneyExtractor::new(),
            years: years::YearExtractor::new(),
            verbs: verbs::VerbExtractor::new(lex)?,
        })
    }

    /// Finds every entity of one paragraph; spans are sorted by start.
    pub fn paragraph(&self, text: &str, tokens: &[Token]) -> Vec<Span> {
        let verbs = self.verbs.find(text);
        let mut spans = self.companies.find(text, tokens, !verbs.is_empty());
        spans.extend(self.money.find(text));
        let money_spans: Vec<(usize, usize)> = spans
            .iter()
            .filter(|s| matches!(s.kind, EntityKind::Amount { .. }))
            .map(|s| (s.start, s.end))
            .collect();
        spans.extend(
            self.years
                .find(text)
                .into_iter()
                .filter(|y| !money_spans.iter().any(|&(a, b)| y.start < b && a < y.end)),
        );
        spans.extend(verbs);
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        spans
    }
}

/// Whether `c` can be part of a Latin word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
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
