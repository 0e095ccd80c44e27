//! Attributes of a record: its deal term and kind, year, amount, evidence,
//! and what a continuing sentence adds to the records of the statement before
//! it. Never decides whether two companies are partners.

use super::candidates::Candidate;
use super::rules::{ja_mark, Mark};
use super::statements::Statement;
use super::{company_name, ByteEntity, Deals};
use crate::document::{EntityKind, Evidence, Money, Party, Record};

/// Adds a continuing sentence (a deal term, no company named) to the records of
/// the statement before it: its evidence, and its kind, year and amount where
/// those records have none or only a bare agreement.
///
/// Only the records of the statement's main term (the last one, as Japanese
/// puts it last) continue; a sentence with no deal term continues only when it
/// refers back (`両行が傘下に入る`, `refers`), states a deal value
/// (`取得価額は約42億円`) or is a date in brackets (`(November 2020)`).
pub(super) fn continue_statement(
    text: &str,
    (s, e): (usize, usize),
    ents: &[&ByteEntity],
    records: &mut [Candidate],
    deals: &Deals,
    refers: bool,
) {
    let verb = best_verb(text, ents);
    // `取得価額は約42億円。`: the value of the deal just stated.
    let valued = scored_amount(text, ents, deals).is_some_and(|a| a.0);
    let year = deal_year(text, ents);
    // `… for $210 million. (November 2020)`: the date of the deal just stated,
    // in brackets after a deal list's item.
    let sentence = text[s..e].trim();
    let dated = year.is_some()
        && sentence.starts_with(['(', '（'])
        && sentence.ends_with([')', '）'])
        && only_a_date(text, (s, e), ents, &deals.words.item_month);
    if verb.is_none() && !refers && !valued && !dated {
        return;
    }
    let main = records.last().and_then(|c| c.record.verb.clone());
    let evidence = prose_evidence(text, s, e);
    let amount = deal_amount(text, ents, deals);
    for c in records.iter_mut().filter(|c| c.record.verb == main) {
        let name = if refers {
            format_args!("continued_refers")
        } else {
            format_args!("continued")
        };
        c.features.add(&deals.model, name);
        let r = &mut c.record;
        // Only to an undirected kind: the sentence does not say who acts.
        if let Some(verb) = verb.as_ref() {
            let upgrade = r.kind.as_deref().is_none_or(|k| k == "agreement")
                && verb.1 != "agreement"
                && deals.roles(&verb.1).is_none();
            if upgrade {
                r.kind = Some(verb.1.clone());
                r.verb = Some(verb.0.to_string());
            }
        }
        if r.year.is_none() && year.is_some() {
            r.year = year;
            r.year_source = Some("sentence".into());
        }
        if r.amount.is_none() {
            r.amount = amount.clone();
        }
        r.evidence.push(evidence.clone());
    }
}

/// Whether the sentence `s..e` says nothing but a date: its year entities
/// and, around them, digits, month words (`item_month`: November, Nov.),
/// 年月日, spaces and punctuation (`(November 2020)`, `（2020年11月）`; not
/// `(写真は2019年3月撮影)`, `(Photo taken in 2018.)`).
fn only_a_date(
    text: &str,
    (s, e): (usize, usize),
    ents: &[&ByteEntity],
    months: &[String],
) -> bool {
    let mut rest = String::new();
    let mut at = s;
    for x in ents.iter().filter(|x| x.start >= s && x.end <= e) {
        if matches!(x.kind, EntityKind::Year { .. }) && x.start >= at {
            rest.push_str(&text[at..x.start]);
            rest.push(' ');
            at = x.end;
        }
    }
    rest.push_str(&text[at..e]);
    rest.split(|c: char| !c.is_alphabetic() || matches!(c, '年' | '月' | '日'))
        .filter(|w| !w.is_empty())
        .all(|w| {
            let w = w.to_lowercase();
            months.iter().any(|m| w.starts_with(&m.to_lowercase()))
        })
}

/// The evidence of a sentence `s..e`: its text without surrounding spaces, offsets included.
pub(super) fn prose_evidence(text: &str, s: usize, e: usize) -> Evidence {
    let sentence = &text[s..e];
    let lead = sentence.len() - sentence.trim_start().len();
    let trail = sentence.len() - sentence.trim_end().len();
    Evidence {
        source: "prose".into(),
        text: sentence.trim().to_string(),
        start: s + lead,
        end: e - trail,
    }
}

/// A year that is never a deal's: a target or a starting point (`2030年までに`,
/// `2022年度末までに`, `15年以降`, `by 2025`, `since 2012`), a results period
/// (`15年3月期`), a periodical's issue (`2022年10月号`) or a company's founding
/// date opening a sentence (`Established in 1962, …`; `a joint venture established in
/// 2024` keeps its year).
pub(super) fn is_not_deal_year(text: &str, e: &ByteEntity) -> bool {
    let after = &text[e.end..];
    let before = &text[..e.start];
    const BEFORE: [&str; 7] = [
        "by ",
        "By ",
        "since ",
        "Since ",
        "Established in ",
        "Founded in ",
        "Incorporated in ",
    ];
    after.starts_with("まで")
        || after.starts_with("末まで")
        || after.starts_with("を目")
        || after.starts_with("以降")
        || after.starts_with('号')
        || text[e.start..e.end].ends_with("月期")
        || BEFORE.iter().any(|b| before.ends_with(b))
}

pub(super) fn deal_year(text: &str, ents: &[&ByteEntity]) -> Option<i32> {
    ents.iter().find_map(|x| match x.kind {
        EntityKind::Year { year, .. } if !is_not_deal_year(text, x) => Some(year),
        _ => None,
    })
}

/// The deal term: the first one that is not a bare agreement word (締結, 契約), else the first.
pub(super) fn best_verb<'a>(text: &'a str, ents: &[&ByteEntity]) -> Option<(&'a str, String)> {
    ents.iter()
        .filter_map(|x| match &x.kind {
            EntityKind::Verb { kind, .. } => Some((&text[x.start..x.end], kind.clone())),
            _ => None,
        })
        .find(|(_, k)| k != "agreement")
        .or_else(|| {
            ents.iter().find_map(|x| match &x.kind {
                EntityKind::Verb { kind, .. } => Some((&text[x.start..x.end], kind.clone())),
                _ => None,
            })
        })
}

pub(super) fn make_record(
    parties: Vec<Party>,
    verb: Option<(&str, String)>,
    year: Option<i32>,
    year_source: Option<&str>,
    amount: Option<Money>,
    evidence: Evidence,
) -> Record {
    Record {
        record_type: "partnership".into(),
        companies: parties.iter().map(|p| p.name.clone()).collect(),
        parties,
        kind: verb.as_ref().map(|v| v.1.clone()),
        verb: verb.map(|v| v.0.to_string()),
        year,
        year_source: year.and(year_source.map(str::to_string)),
        amount,
        evidence: vec![evidence],
    }
}

pub(super) fn party(name: &str, country: Option<String>, role: Option<&str>) -> Party {
    Party {
        name: name.to_string(),
        country,
        role: role.map(str::to_string),
    }
}

/// The deal value among a statement's amounts: not a price per share, not a
/// conversion in brackets, not a figure of revenue, profit, assets or capital;
/// an amount next to a deal word (総額, 買収額, 取得価額, for, worth, valued at)
/// wins over the others.
pub(super) fn deal_amount(text: &str, ents: &[&ByteEntity], deals: &Deals) -> Option<Money> {
    scored_amount(text, ents, deals).map(|a| a.1)
}

/// [`deal_amount`] with whether a deal word stands next to it.
pub(super) fn scored_amount(
    text: &str,
    ents: &[&ByteEntity],
    deals: &Deals,
) -> Option<(bool, Money)> {
    let mut best: Option<(i32, Money)> = None;
    for x in ents {
        let EntityKind::Amount {
            value,
            currency,
            per_unit: false,
            ..
        } = &x.kind
        else {
            continue;
        };
        let before = &text[..x.start];
        let near = last_chars(before, 12);
        // An amount inside an open bracket (a conversion: 58億ドル(約8700億円)).
        let bracketed = {
            let window = last_chars(before, 16);
            let open = window.rfind('(');
            let close = window.rfind(')');
            matches!((open, close), (Some(o), c) if c.is_none_or(|c| c < o))
        };
        if bracketed || deals.figure.is_match(near) {
            continue;
        }
        let score = i32::from(deals.deal_value.is_match(near));
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((
                score,
                Money {
                    value: *value,
                    currency: currency.clone(),
                },
            ));
        }
    }
    best.map(|(score, m)| (score > 0, m))
}

/// The last `n` characters of `s`.
pub(super) fn last_chars(s: &str, n: usize) -> &str {
    let at = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[at..]
}

/// The record of a candidate pair the rules did not pair: the pair's own term
/// (the nearest to the two, a bare agreement word last), roles for a directed
/// kind (the Japanese topic or subject acts, else the first named; in English
/// the company after `by` acts, else the first named), and the statement's
/// year, deal value and evidence.
pub(super) fn pair_record(st: &Statement, a: &ByteEntity, b: &ByteEntity, english: bool) -> Record {
    let text = st.text;
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    let distance = |v: &ByteEntity| term_distance(first, second, v);
    let verb = st
        .ents
        .iter()
        .filter_map(|x| match &x.kind {
            EntityKind::Verb { kind, .. } => Some((x, kind)),
            _ => None,
        })
        .min_by_key(|(x, kind)| (*kind == "agreement", distance(x), x.start))
        .map(|(x, kind)| (&text[x.start..x.end], kind.clone()));
    let roles = verb.as_ref().and_then(|v| st.deals.roles(&v.1));
    let acts_second = roles.is_some()
        && if english {
            text[..second.start].trim_end().ends_with(" by")
        } else {
            let m1 = ja_mark(&text[first.end..st.end]);
            let m2 = ja_mark(&text[second.end..st.end]);
            matches!(m2, Mark::Topic | Mark::Subject) && !matches!(m1, Mark::Topic | Mark::Subject)
        };
    let (actor, other) = if acts_second {
        (second, first)
    } else {
        (first, second)
    };
    statement_record(st, actor, other, verb)
}

/// The record of the issuer and a company of the statement: for a directed
/// kind the named company acts when it is the Japanese topic or subject, or
/// stands before the term in English; otherwise the issuer acts.
pub(super) fn issuer_record(
    st: &Statement,
    issuer: &ByteEntity,
    m: &ByteEntity,
    english: bool,
) -> Record {
    let text = st.text;
    let verb = best_verb(text, st.ents);
    let first_term = st
        .ents
        .iter()
        .find(|x| matches!(x.kind, EntityKind::Verb { .. }));
    let named_acts = if english {
        first_term.is_some_and(|v| m.end <= v.start)
    } else {
        matches!(ja_mark(&text[m.end..st.end]), Mark::Topic | Mark::Subject)
    };
    let (actor, other) = if named_acts { (m, issuer) } else { (issuer, m) };
    statement_record(st, actor, other, verb)
}

/// The deal terms of a statement (surface, kind), one per kind, nearest to
/// the mentions first (a mention missing, as a party from a heading: in the
/// statement's order): what [`super::kinds`] may give a record instead of
/// its own term.
pub(super) fn pair_terms(
    st: &Statement,
    a: Option<&ByteEntity>,
    b: Option<&ByteEntity>,
) -> Vec<(String, String)> {
    let mut terms: Vec<(usize, usize, &str, &String)> = st
        .ents
        .iter()
        .filter_map(|x| match &x.kind {
            EntityKind::Verb { kind, .. } => {
                let distance = match (a, b) {
                    (Some(a), Some(b)) => {
                        let (f, s) = if a.start <= b.start { (a, b) } else { (b, a) };
                        term_distance(f, s, x)
                    }
                    (Some(m), None) | (None, Some(m)) => term_distance(m, m, x),
                    (None, None) => 0,
                };
                Some((distance, x.start, &st.text[x.start..x.end], kind))
            }
            _ => None,
        })
        .collect();
    terms.sort();
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, _, surface, kind) in terms {
        if !out.iter().any(|(_, k)| k == kind) {
            out.push((surface.to_string(), kind.clone()));
        }
    }
    out
}

/// Bytes between a deal term and the span of two mentions (`first` before
/// `second`): 0 when the term stands between or inside them.
pub(super) fn term_distance(first: &ByteEntity, second: &ByteEntity, v: &ByteEntity) -> usize {
    if v.start >= second.end {
        v.start - second.end
    } else {
        first.start.saturating_sub(v.end)
    }
}

/// The record of `actor` and `other` in a statement: roles from the term's
/// kind, the statement's year, deal value and evidence.
pub(super) fn statement_record(
    st: &Statement,
    actor: &ByteEntity,
    other: &ByteEntity,
    verb: Option<(&str, String)>,
) -> Record {
    let roles = verb.as_ref().and_then(|v| st.deals.roles(&v.1));
    let (an, ac) = company_name(&actor.kind).unwrap_or(("", None));
    let (on, oc) = company_name(&other.kind).unwrap_or(("", None));
    let parties = match roles {
        Some((r1, r2)) => vec![party(an, ac, Some(r1)), party(on, oc, Some(r2))],
        None => vec![party(an, ac, None), party(on, oc, None)],
    };
    make_record(
        parties,
        verb,
        st.year,
        st.year_source,
        deal_amount(st.text, st.ents, st.deals),
        prose_evidence(st.text, st.start, st.end),
    )
}
