//! Statements: where a record's parties may come from.
//!
//! Decides how a paragraph splits into sentences and digest items
//! ([`sentences`], [`starts_item`]): after 。!? and every line end (so a run
//! of short lines, a contents page or a headline list, is a list of separate
//! statements), after `.` before a space (not after an abbreviation), and
//! before a bullet. Never decides which companies are partners.

use super::{ByteEntity, Deals};
use crate::lexicon::RecordWords;

/// Marks that start an item of a digest or a list (`◇A、Bを子会社化、◇C…`).
pub(super) const BULLETS: &[char] = &['◇', '◆', '■', '□', '●', '○', '▼', '▽', '★', '☆', '※'];

/// Whether a sentence opens an item of a digest: a bullet (`◇`, `■`), or a
/// date (`2024年5月15日 …`, `5月15日 …`, `Jan. 14 - …`, `March 19: …`).
pub(super) fn starts_item(sentence: &str, words: &RecordWords) -> bool {
    let t = sentence.trim_start();
    if t.starts_with(BULLETS) || t.starts_with('・') {
        return true;
    }
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    // 2024年5月15日 / 5月15日
    let mut r = t;
    let n = digits(r);
    if n == 4 && r[n..].starts_with('年') {
        r = &r[n + '年'.len_utf8()..];
    }
    let m = digits(r);
    if (1..=2).contains(&m) && r[m..].starts_with('月') {
        let rest = &r[m + '月'.len_utf8()..];
        let d = digits(rest);
        return (1..=2).contains(&d) && rest[d..].starts_with('日');
    }
    // Jan. 14 - / March 19:
    let Some(word) = t.split([' ', '.']).next() else {
        return false;
    };
    let month = word.len() >= 3
        && words
            .item_month
            .iter()
            .any(|m| word.starts_with(m.as_str()));
    let after = t[word.len()..].trim_start_matches(['.', ' ']);
    let d = digits(after);
    month && (1..=2).contains(&d) && after[d..].trim_start().starts_with(['-', ':', '–', '—'])
}

/// Splits a paragraph into sentences (byte ranges relative to the document):
/// after 。!? and a line end, after `.` before a space (not after an
/// abbreviation), and before a bullet (`◇■●`, or `・` at a line start), which
/// starts an item of its own. A sentence end inside brackets (`(大阪市。売上高…)`,
/// `「…。」`) does not end the sentence (a bracket still open after 300 bytes is
/// taken as unbalanced and ignored). The abbreviations are `words.abbreviation`
/// (`record_words.tsv`).
pub fn sentences(text: &str, start: usize, end: usize, words: &RecordWords) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    let para = &text[start..end];
    let mut depth = 0usize;
    let mut opened = 0usize;
    let mut prev: Option<char> = None;
    let push = |from: usize, to: usize, out: &mut Vec<(usize, usize)>| {
        if text[from..to].trim().len() > 1 {
            out.push((from, to));
        }
    };
    let mut iter = para.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        match c {
            '(' | '「' | '『' | '[' | '【' => {
                if depth == 0 {
                    opened = i;
                }
                depth += 1;
            }
            ')' | '」' | '』' | ']' | '】' => depth = depth.saturating_sub(1),
            '\n' => depth = 0,
            _ => {}
        }
        // Every bullet is above U+2000: most characters skip the list.
        let bullet = (c as u32) >= 0x2000
            && (BULLETS.contains(&c) || (c == '・' && prev.is_none_or(|p| p == '\n')));
        if bullet && start + i > s {
            push(s, start + i, &mut out);
            s = start + i;
        }
        // A bracket left open for 300 bytes is not a bracket.
        if depth > 0 && i - opened > 300 {
            depth = 0;
        }
        let boundary = match c {
            '。' | '!' | '?' => depth == 0,
            '\n' => true,
            '.' => {
                // `…of TMC.Another deal`: a sentence glued to the next by a lost space.
                let glued = next.is_some_and(|n| n.is_ascii_uppercase())
                    && para[i + 1..]
                        .chars()
                        .nth(1)
                        .is_some_and(|n| n.is_ascii_lowercase())
                    && prev.is_some_and(|p| p.is_ascii_alphanumeric());
                depth == 0
                    && (next.is_none_or(|n| n == ' ' || n == '\n') || glued)
                    && !abbreviation_before(para, i, &words.abbreviation)
            }
            _ => false,
        };
        if boundary {
            let e = start + i + c.len_utf8();
            push(s, e, &mut out);
            s = e;
        }
        prev = Some(c);
    }
    push(s, end, &mut out);
    out
}

/// Whether the period at `dot` ends an abbreviation: one of `abbreviations`
/// (lower case) in any case (`Co.`, `LTD.`, `Inc.`, `BHD.`, `Mr.`), a single
/// capital, or a word with a period inside (`U.S.`, `S.p.A.`).
fn abbreviation_before(para: &str, dot: usize, abbreviations: &[String]) -> bool {
    let word = para[..dot].rsplit([' ', '\n']).next().unwrap_or("");
    abbreviations.iter().any(|a| word.eq_ignore_ascii_case(a))
        || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
        // `S.p.A.`, `a.s.`, `U.S.`, `e.g.`: a word with a period inside.
        || (word.contains('.') && word.chars().any(|c| c.is_alphabetic()))
}

/// The entities (sorted by start) that start in `start..end` and end by `end`.
pub(super) fn within(entities: &[ByteEntity], start: usize, end: usize) -> Vec<&ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .collect()
}

/// [`within`] for a slice of references.
pub(super) fn within_refs<'a>(
    entities: &[&'a ByteEntity],
    start: usize,
    end: usize,
) -> Vec<&'a ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .copied()
        .collect()
}

/// One sentence (or a headline and its lead) to read records from.
pub(super) struct Statement<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) ents: &'a [&'a ByteEntity],
    pub(super) year: Option<i32>,
    pub(super) year_source: Option<&'static str>,
    pub(super) heading_company: Option<&'a str>,
    pub(super) deals: &'a Deals,
    /// The companies come from a headline with no deal term, the term from its lead.
    pub(super) headline: bool,
}
