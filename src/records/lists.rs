//! Lists of investors: a funding release lists its investors one company a
//! line under a short line that says what they are (`■本ラウンドの投資家`,
//! `引受先`, `Investors in the round`: `record_words.tsv` role
//! `investor_list`).
//!
//! Decides which paragraphs head such a list ([`heads`]: a line of at most 80
//! characters that names no company, has such a word and no sentence end)
//! and which paragraphs after it are its lines ([`listed_company`]: one
//! company and little else). Each line becomes a statement of its company
//! with the head's word as an `investment` term, and the rules' reading
//! ([`record`]) is that it invests in the page's topic or issuer. Never
//! decides whether a pair is a record.

use super::attributes::{best_verb, statement_record};
use super::statements::Statement;
use super::{company_str, ByteEntity, ByteParagraph, Deals};
use crate::document::{EntityKind, Record};

/// The paragraphs (by index) that head a list of investors, each with a
/// synthetic `investment` term over its list word.
pub(super) fn heads(
    text: &str,
    paragraphs: &[ByteParagraph],
    entities: &[ByteEntity],
    deals: &Deals,
) -> Vec<(usize, ByteEntity)> {
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let line = text[p.start..p.end].trim();
        if line.is_empty() || line.chars().count() > 80 || line.contains('\n') {
            continue;
        }
        let Some(m) = deals.investor_list.find(line) else {
            continue;
        };
        let ends_sentence = line.ends_with(['。', '.', '!', '?']);
        let names_company = super::statements::within(entities, p.start, p.end)
            .iter()
            .any(|e| company_str(&e.kind).is_some());
        if ends_sentence || names_company {
            continue;
        }
        let raw = &text[p.start..p.end];
        let start = p.start + raw.len() - raw.trim_start().len();
        out.push((
            i,
            ByteEntity {
                start: start + m.start(),
                end: start + m.end(),
                kind: EntityKind::Verb {
                    lemma: line[m.start()..m.end()].to_lowercase(),
                    kind: "investment".into(),
                },
            },
        ));
    }
    out
}

/// The company a paragraph lists, when it is a line of one company and
/// little else (a bullet, a number, a note in brackets): the company covers
/// half of the line or more, and the line has no deal term outside it.
pub(super) fn listed_company<'e>(
    text: &str,
    p: &ByteParagraph,
    inside: &[&'e ByteEntity],
) -> Option<&'e ByteEntity> {
    let line = text[p.start..p.end].trim();
    if line.is_empty() || line.contains('\n') || line.chars().count() > 80 {
        return None;
    }
    let mut companies = inside.iter().filter(|e| company_str(&e.kind).is_some());
    let first = companies.next()?;
    if companies.any(|e| company_str(&e.kind) != company_str(&first.kind)) {
        return None;
    }
    // A deal term outside the name (`QC Investment` holds one) makes a statement.
    if inside.iter().any(|e| {
        matches!(e.kind, EntityKind::Verb { .. }) && (e.end <= first.start || e.start >= first.end)
    }) {
        return None;
    }
    let covered = text[first.start..first.end].chars().count();
    (covered * 2 >= line.chars().count()).then_some(*first)
}

/// The rules' record of a listed company: it (`listed`) invests in `company`
/// (roles investor, investee), with the head's term.
pub(super) fn record(st: &Statement, listed: &ByteEntity, company: &ByteEntity) -> Record {
    statement_record(st, listed, company, best_verb(st.text, st.ents))
}
