//! Candidates: every pair of distinct companies (by canonical name) of a
//! statement that has a deal term, or whose headline or continuation has one,
//! with the record its attributes make and its features.
//!
//! A statement is a sentence, a digest item, a line, a table row, a line of a
//! list of investors under its head (`lists.rs`), a headline
//! naming companies with no term read with its lead, or a sentence naming
//! companies with no term read with the next sentence when that one names no
//! company and has a term, or a sentence with a term that refers back
//! (`両社`, `3行`, the two companies) to the companies of an earlier sentence
//! of its paragraph or the one before, with those it names itself. A later
//! sentence that names no company continues the statement before it (kind,
//! year, amount, evidence). A table row with no year takes the year of its
//! caption, the nearer of the two short blocks before the table that names
//! one (`tables.rs`). Pairs the rules
//! form with a party from a section heading are candidates too (marked
//! guessed). Candidates are never decided here ([`super::decide`] does).

use std::collections::HashMap;

use super::attributes::{
    continue_statement, deal_year, is_not_deal_year, issuer_record, last_chars, pair_record,
    pair_terms,
};
use super::features::{
    co_parties, features, statement_features, table_features, FeatureSet, PairContext,
    StatementKind,
};
use super::merge::pair_key;
use super::rules::{ja_mark, sentence_records, Mark};
use super::statements::{starts_item, within, within_refs, Statement};
use super::tables::{caption_year, table_records};
use super::{company_str, lists, ByteEntity, ByteParagraph, Deals};
use crate::document::{BlockKind, EntityKind, Record};

/// One candidate pair of a document.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The record it would be: its first two companies are the pair.
    pub record: Record,
    /// A party was guessed from the section heading.
    pub guessed: bool,
    /// The statement it comes from (position in the document).
    pub statement: usize,
    /// Distinct companies named in that statement.
    pub names: usize,
    /// The hand rules paired the two.
    pub rule: bool,
    /// A table row.
    pub table: bool,
    /// The statement counts three or more parties (`3社`, three companies) and
    /// names three or more: a list of co-parties, each of which may pair with
    /// each (no n − 1 bound). Never set on an issuer or topic pair.
    pub co_parties: bool,
    /// The statement's deal terms (surface, kind), one per kind, nearest to
    /// the pair first: what the kind model may choose from ([`super::kinds`]).
    pub terms: Vec<(String, String)>,
    /// What the model sees: the summed weight, and the names when kept.
    pub features: FeatureSet,
}

/// A document's candidates and what deciding needs besides them.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// In document order.
    pub list: Vec<Candidate>,
    /// Dated or bulleted digest items on the page.
    pub items: usize,
    /// The year of the page's date.
    pub dateline: Option<i32>,
}

struct Collector<'a> {
    text: &'a str,
    deals: &'a Deals,
    /// The company a release or disclosure is by, and how it was found.
    issuer: Option<(&'a ByteEntity, &'static str)>,
    out: Vec<Candidate>,
    statements: usize,
    /// Keep feature names (training, explanations), not only their score.
    keep_names: bool,
}

impl Collector<'_> {
    /// Adds the candidates of one statement; returns how many.
    fn statement(
        &mut self,
        st: &Statement,
        kind: StatementKind,
        rules: Vec<Record>,
        named: &[&str],
        topic: Option<(&ByteEntity, &'static str)>,
    ) -> usize {
        let position = self.statements;
        self.statements += 1;
        let text = self.text;
        let has_term = st
            .ents
            .iter()
            .any(|x| matches!(x.kind, EntityKind::Verb { .. }))
            || self.deals.weak_term.is_match(&text[st.start..st.end]);
        if rules.is_empty()
            && (!has_term || !st.ents.iter().any(|x| company_str(&x.kind).is_some()))
        {
            return 0;
        }
        let mut mentions: Vec<(&str, &ByteEntity)> = Vec::new();
        for x in st.ents {
            if let Some(name) = company_str(&x.kind) {
                if !mentions.iter().any(|m| m.0 == name) {
                    mentions.push((name, x));
                }
            }
        }
        let english =
            crate::lang::paragraph_lang(&text[st.start..st.end]) == Some(crate::document::Lang::En);
        let mut by_pair: HashMap<(String, String), &Record> = HashMap::new();
        for r in &rules {
            if r.companies.len() >= 2 {
                by_pair.entry(pair_key(r)).or_insert(r);
            }
        }
        let mut pairs: Vec<(Option<&ByteEntity>, Option<&ByteEntity>, Record, bool)> = Vec::new();
        if has_term {
            for i in 0..mentions.len() {
                for j in i + 1..mentions.len() {
                    let (a, b) = (mentions[i].1, mentions[j].1);
                    let (x, y) = (mentions[i].0.to_string(), mentions[j].0.to_string());
                    let key = if x <= y { (x, y) } else { (y, x) };
                    let (record, rule) = match by_pair.remove(&key) {
                        Some(r) => (r.clone(), true),
                        None => (pair_record(st, a, b, english), false),
                    };
                    pairs.push((Some(a), Some(b), record, rule));
                }
            }
        }
        // What the rules paired beyond the named companies: a party from the
        // section heading, or a pair the rules read where no term was marked.
        for r in &rules {
            if r.companies.len() < 2 || !by_pair.contains_key(&pair_key(r)) {
                continue;
            }
            by_pair.remove(&pair_key(r));
            let find = |n: &str| mentions.iter().find(|m| m.0 == n).map(|m| m.1);
            pairs.push((
                find(&r.companies[0]),
                find(&r.companies[1]),
                r.clone(),
                true,
            ));
        }
        // A statement with a deal term that names neither the issuer (or the
        // topic carried from the sentences before) nor more than three
        // companies: each company may be that party's partner
        // (`当社は、Xと資本業務提携`; `Aは…。2002年にBの事業を買収。`).
        let mut issuer_pairs: Vec<(&ByteEntity, Record, &'static str)> = Vec::new();
        let outside = [topic, self.issuer];
        for (party, by) in outside.into_iter().flatten().filter(|_| has_term) {
            let pname = company_str(&party.kind).unwrap_or("");
            // A topic from an earlier paragraph only for a statement naming
            // one company (`It will form a joint venture with X.`).
            let most = if by == "topic_before" { 1 } else { 3 };
            if mentions.iter().any(|m| m.0 == pname) || !(1..=most).contains(&mentions.len()) {
                continue;
            }
            for &(_, m) in &mentions {
                let record = issuer_record(st, party, m, english);
                let key = pair_key(&record);
                let known = pairs.iter().any(|p| pair_key(&p.2) == key)
                    || issuer_pairs.iter().any(|p| pair_key(&p.1) == key);
                if !known {
                    issuer_pairs.push((m, record, by));
                }
            }
        }
        let n = pairs.len() + issuer_pairs.len();
        if n == 0 {
            return 0;
        }
        let base = PairContext {
            text,
            start: st.start,
            end: st.end,
            ents: st.ents,
            a: None,
            b: None,
            kind,
            english,
            rule: None,
            rule_records: rules.len(),
            names: mentions.len(),
            position,
            issuer: None,
            deals: self.deals,
        };
        let shared = statement_features(&base, self.keep_names);
        let co_parties = co_parties(&base);
        for (m, record, by) in issuer_pairs {
            let cx = PairContext {
                b: Some(m),
                names: mentions.len() + 1,
                issuer: Some(by),
                ..base
            };
            let features = features(&cx, (&record.companies[0], &record.companies[1]), &shared);
            self.out.push(Candidate {
                terms: pair_terms(st, Some(m), None),
                guessed: false,
                statement: position,
                names: mentions.len() + 1,
                rule: false,
                table: false,
                co_parties: false,
                features,
                record,
            });
        }
        for (a, b, record, rule) in pairs {
            let cx = PairContext {
                a,
                b,
                rule: rule.then_some(&record),
                ..base
            };
            let features = features(&cx, (&record.companies[0], &record.companies[1]), &shared);
            let guessed = !record.companies.iter().all(|c| named.contains(&c.as_str()));
            self.out.push(Candidate {
                terms: pair_terms(st, a, b),
                guessed,
                statement: position,
                names: mentions.len(),
                rule,
                table: false,
                co_parties,
                features,
                record,
            });
        }
        n
    }
}

/// The entities of an earlier sentence (a headline, the companies referred
/// back to) with the deal terms of this one: the statement they make together.
fn with_terms<'e>(earlier: &[&'e ByteEntity], sentence: &[&'e ByteEntity]) -> Vec<&'e ByteEntity> {
    let terms = sentence
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Verb { .. }));
    earlier.iter().chain(terms).copied().collect()
}

/// Whether a sentence is a line of a list: it ends at a line end with no
/// sentence punctuation and is short (a headline list, a contents page, a menu).
fn is_line(sentence: &str) -> bool {
    let t = sentence.trim_end_matches([' ', '\n']);
    let ends_open = !t.ends_with(['。', '.', '!', '?', '」', ')', '"']);
    ends_open && t.chars().count() <= 120
}

/// The company a sentence is about: a company the sentence says came to be
/// (`AとBが合併してCとなった`, `Cが発足`: `became` rows of `record_words.tsv`), else its
/// first company marked as Japanese topic or subject (は, が), or a company
/// that opens it.
fn sentence_topic<'a>(
    text: &str,
    s: usize,
    e: usize,
    ents: &[&'a ByteEntity],
    became: &[String],
) -> Option<&'a ByteEntity> {
    let companies = || {
        ents.iter()
            .filter(|x| matches!(x.kind, EntityKind::Company { .. }))
    };
    if let Some(x) = companies().find(|x| {
        let after = &text[x.end..e];
        became.iter().any(|b| after.starts_with(b.as_str()))
    }) {
        return Some(x);
    }
    companies()
        .find(|x| {
            let opens = text[s..x.start]
                .trim_matches(|c: char| {
                    c.is_whitespace() || c.is_ascii_digit() || ".)、,".contains(c)
                })
                .is_empty();
            opens || matches!(ja_mark(&text[x.end..e]), Mark::Topic | Mark::Subject)
        })
        .copied()
}

/// The company a document is by: the one after an issuer field label
/// (`会社名`, `Company Name:`), else, when the document names its issuer by a
/// self-reference (当社, the Company), the company it names most often.
fn issuer<'a>(
    text: &str,
    entities: &'a [ByteEntity],
    deals: &Deals,
) -> Option<(&'a ByteEntity, &'static str)> {
    let companies = || {
        entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Company { .. }))
    };
    for e in companies() {
        let before = last_chars(&text[..e.start], 16);
        if deals.field_label.is_match(before) {
            return Some((e, "label"));
        }
    }
    if !deals.self_reference.is_match(text) {
        return None;
    }
    if let Some(e) = companies().find(|e| is_letterhead(text, e)) {
        return Some((e, "letterhead"));
    }
    let mut counts: Vec<(&str, usize, &ByteEntity)> = Vec::new();
    for e in companies() {
        let name = company_str(&e.kind).unwrap_or("");
        match counts.iter_mut().find(|c| c.0 == name) {
            Some(c) => c.1 += 1,
            None => counts.push((name, 1, e)),
        }
    }
    // The most frequent; the first named among equals.
    let best = counts
        .iter()
        .fold(None::<&(&str, usize, &ByteEntity)>, |b, c| match b {
            Some(b) if b.1 >= c.1 => Some(b),
            _ => Some(c),
        })?;
    Some((best.2, "frequent"))
}

/// Whether `e` is a disclosure's letterhead: near the top of the page, alone
/// on its line (table bars and spaces aside), the line after it naming the
/// representative (`株式会社アルファ` / `代表取締役社長 山田太郎`).
fn is_letterhead(text: &str, e: &ByteEntity) -> bool {
    const TOP: usize = 2000;
    if e.start > TOP {
        return false;
    }
    let line_start = text[..e.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[e.end..].find('\n').map_or(text.len(), |i| e.end + i);
    let alone = |s: &str| s.chars().all(|c| c.is_whitespace() || c == '|');
    if !alone(&text[line_start..e.start]) || !alone(&text[e.end..line_end]) {
        return false;
    }
    text[line_end..]
        .split('\n')
        .map(|l| l.trim_start_matches(|c: char| c.is_whitespace() || c == '|'))
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with("代表"))
}

/// The candidates of a document, scored by the records model of `deals`.
/// `entities` must be sorted by start; `dateline` is the year of the
/// document's date; `keep_names` keeps each candidate's feature names.
pub fn collect(
    text: &str,
    paragraphs: &[ByteParagraph],
    entities: &[ByteEntity],
    deals: &Deals,
    dateline: Option<i32>,
    keep_names: bool,
) -> Candidates {
    let mut c = Collector {
        text,
        deals,
        issuer: issuer(text, entities, deals),
        out: Vec::new(),
        statements: 0,
        keep_names,
    };
    let mut heading_company: Option<String> = None;
    // The company the paragraphs before were about (wire copy writes one
    // sentence a paragraph): a topic of its own until a heading, a table or
    // a digest item.
    let mut earlier_topic: Option<&ByteEntity> = None;
    // The companies of the last sentence naming two or more and its
    // paragraph, for a sentence of that paragraph or the next that names none
    // and refers back to them (`3行は…提携を締結`, "The two companies will
    // ..."), until a heading, a table or a digest item.
    let mut earlier_group: Option<(usize, Vec<&ByteEntity>)> = None;
    // A headline (or a sentence) naming companies with no deal term of its
    // own, waiting for the next sentence, and whether it was a headline.
    let mut held: Option<(Vec<&ByteEntity>, bool)> = None;
    let mut items = 0usize;
    // A list of investors under its head line (`lists.rs`): the head's term
    // and the company the page was about before it.
    let heads = lists::heads(text, paragraphs, entities, deals);
    let mut list: Option<(&ByteEntity, Option<&ByteEntity>)> = None;
    for (pi, p) in paragraphs.iter().enumerate() {
        let inside: Vec<&ByteEntity> = within(entities, p.start, p.end);
        if let Some((term, party)) = list {
            if let Some(m) = lists::listed_company(text, p, &inside) {
                let ents = [term, m];
                let st = Statement {
                    text,
                    start: p.start,
                    end: p.end,
                    ents: &ents,
                    year: None,
                    year_source: None,
                    heading_company: heading_company.as_deref(),
                    deals,
                    headline: false,
                };
                // The rules' reading: the listed company invests in the page's
                // company (the one it was about before the list, else its issuer).
                let invested = party.or(c.issuer.map(|i| i.0));
                let named: Vec<&str> = [Some(m), invested]
                    .into_iter()
                    .flatten()
                    .filter_map(|x| company_str(&x.kind))
                    .collect();
                let rules = invested
                    .filter(|i| company_str(&i.kind) != company_str(&m.kind))
                    .map(|i| lists::record(&st, m, i))
                    .into_iter()
                    .collect();
                let party = party.map(|t| (t, "topic_before"));
                c.statement(&st, StatementKind::List, rules, &named, party);
                continue;
            }
        }
        list = heads
            .iter()
            .find(|(i, _)| *i == pi)
            .map(|(_, term)| (term, earlier_topic));
        match p.kind {
            BlockKind::Table => {
                held = None;
                earlier_topic = None;
                earlier_group = None;
                let caption = caption_year(text, paragraphs, pi, entities);
                for mut r in table_records(text, p, &inside, deals) {
                    if let Some(y) = caption.filter(|_| r.year.is_none()) {
                        r.year = Some(y);
                        r.year_source = Some("caption".into());
                    }
                    let position = c.statements;
                    c.statements += 1;
                    let features = table_features(&deals.model, keep_names, &r);
                    c.out.push(Candidate {
                        terms: Vec::new(),
                        record: r,
                        guessed: false,
                        statement: position,
                        names: 2,
                        rule: true,
                        table: true,
                        co_parties: false,
                        features,
                    });
                }
            }
            BlockKind::Heading | BlockKind::Paragraph => {
                let heading = p.kind == BlockKind::Heading;
                if heading {
                    earlier_topic = None;
                    earlier_group = None;
                    let mut names: Vec<&str> =
                        inside.iter().filter_map(|e| company_str(&e.kind)).collect();
                    names.dedup();
                    heading_company = (names.len() == 1).then(|| names[0].to_string());
                }
                let mut last_year: Option<i32> = None;
                // The company the paragraph is about so far: the last Japanese
                // topic or subject (は, が), or a company opening a sentence.
                let mut topic: Option<&ByteEntity> = None;
                // The candidates of the paragraph's last statement that gave
                // some, and whether that was the sentence just before.
                let mut last_found: Option<std::ops::Range<usize>> = None;
                let mut previous_found = false;
                let spans = super::sentences(text, p.start, p.end, &deals.words);
                for (k, &(s, e)) in spans.iter().enumerate() {
                    let sentence = &text[s..e];
                    let item = starts_item(sentence, &deals.words);
                    if item {
                        items += 1;
                        earlier_topic = None;
                        earlier_group = None;
                    }
                    let party = topic
                        .map(|t| (t, "topic"))
                        .or(earlier_topic.map(|t| (t, "topic_before")));
                    let kind = if heading {
                        StatementKind::Heading
                    } else if item {
                        StatementKind::Item
                    } else if spans.len() > 1 && is_line(sentence) {
                        StatementKind::Line
                    } else {
                        StatementKind::Prose
                    };
                    let in_sentence: Vec<&ByteEntity> = within_refs(&inside, s, e);
                    let (year, year_source) = match (deal_year(text, &in_sentence), last_year) {
                        (Some(y), _) => (Some(y), Some("sentence")),
                        (None, Some(y)) => (Some(y), Some("paragraph")),
                        _ => (None, None),
                    };
                    let statement = Statement {
                        text,
                        start: s,
                        end: e,
                        ents: &in_sentence,
                        year,
                        year_source,
                        heading_company: heading_company.as_deref(),
                        deals,
                        headline: false,
                    };
                    let names_here: Vec<&str> = in_sentence
                        .iter()
                        .filter_map(|x| company_str(&x.kind))
                        .collect();
                    let has_verb = in_sentence
                        .iter()
                        .any(|x| matches!(x.kind, EntityKind::Verb { .. }));
                    let mut found = 0;
                    let mut named: Vec<&str> = names_here.clone();
                    // A headline and its lead, or a sentence and the next, are
                    // one statement: the first's companies with the second's term.
                    let taken = held.take().filter(|(h, headline)| {
                        let head_names: Vec<&str> =
                            h.iter().filter_map(|x| company_str(&x.kind)).collect();
                        has_verb
                            && if *headline {
                                k == 0 && names_here.iter().all(|n| head_names.contains(n))
                            } else {
                                k > 0 && names_here.is_empty()
                            }
                    });
                    let distinct = {
                        let mut d = names_here.clone();
                        d.sort();
                        d.dedup();
                        d.len()
                    };
                    let own_pairs = distinct >= 2 && has_verb;
                    if let Some((h, headline)) = taken.filter(|_| !own_pairs) {
                        let ents = with_terms(&h, &in_sentence);
                        let st = Statement {
                            start: h[0].start.min(s),
                            end: e,
                            ents: &ents,
                            headline,
                            ..statement
                        };
                        let rules = sentence_records(&st);
                        named.extend(h.iter().filter_map(|x| company_str(&x.kind)));
                        let kind = if headline {
                            StatementKind::Headline
                        } else {
                            StatementKind::Joined
                        };
                        found = c.statement(&st, kind, rules, &named, party);
                    }
                    if found == 0 {
                        let rules = sentence_records(&statement);
                        found = c.statement(&statement, kind, rules, &named, party);
                    }
                    let refers_back = deals.refers_back.is_match(sentence);
                    let refers = named.is_empty() && refers_back;
                    if let Some((_, group)) = earlier_group.as_ref().filter(|(gp, _)| {
                        pi <= gp + 1
                            && refers_back
                            && found == 0
                            && has_verb
                            && last_found.is_none()
                    }) {
                        // A sentence that refers back to the companies of an
                        // earlier one (`両社は…`, `Aを存続会社として3行が合併`) is
                        // their statement, with any company it names itself,
                        // read where it names it (particle, side, distance).
                        let earlier: Vec<&ByteEntity> = group
                            .iter()
                            .filter(|x| {
                                company_str(&x.kind).is_none_or(|n| !names_here.contains(&n))
                            })
                            .copied()
                            .collect();
                        let mut ents = with_terms(&earlier, &in_sentence);
                        ents.extend(
                            in_sentence
                                .iter()
                                .filter(|x| company_str(&x.kind).is_some())
                                .copied(),
                        );
                        ents.sort_by_key(|x| x.start);
                        let st = Statement {
                            start: group[0].start.min(s),
                            end: e,
                            ents: &ents,
                            ..statement
                        };
                        let rules = sentence_records(&st);
                        named.extend(group.iter().filter_map(|x| company_str(&x.kind)));
                        found = c.statement(&st, StatementKind::Back, rules, &named, None);
                    }
                    if distinct >= 2 && !has_verb {
                        held = Some((in_sentence.clone(), spans.len() == 1));
                    }
                    if distinct >= 2 {
                        earlier_group = Some((
                            pi,
                            in_sentence
                                .iter()
                                .filter(|x| company_str(&x.kind).is_some())
                                .copied()
                                .collect(),
                        ));
                    }
                    if let Some(range) = last_found
                        .clone()
                        .filter(|_| found == 0 && named.is_empty())
                    {
                        // `両社は合弁会社を設立する。`: a sentence that names no company
                        // continues the statement before it.
                        if refers || previous_found {
                            continue_statement(
                                text,
                                (s, e),
                                &in_sentence,
                                &mut c.out[range],
                                deals,
                                refers,
                            );
                        }
                    }
                    previous_found = found > 0;
                    if previous_found {
                        last_found = Some(c.out.len() - found..c.out.len());
                    }
                    if let Some(t) = sentence_topic(text, s, e, &in_sentence, &deals.words.became) {
                        topic = Some(t);
                    }
                    // A year carries to the next sentences as context (`2019年4月、…。`),
                    // unless it was the year of a deal of its own.
                    let year_here = in_sentence.iter().rev().find_map(|x| match x.kind {
                        EntityKind::Year { year, .. } if !is_not_deal_year(text, x) => Some(year),
                        _ => None,
                    });
                    if let Some(y) = year_here {
                        last_year = (!previous_found).then_some(y);
                    }
                }
                if spans.len() != 1 {
                    // Only a one-sentence paragraph (a headline) waits for the
                    // next paragraph; a sentence waits only within its paragraph.
                    held = held.filter(|(_, headline)| *headline);
                }
                if !heading {
                    earlier_topic = topic.or(earlier_topic);
                }
            }
            BlockKind::Marker => {}
        }
    }
    // Document-level features: how often the pair is a candidate, and
    // whether the rules paired it anywhere.
    let mut count: HashMap<(String, String), (usize, bool)> = HashMap::new();
    for cand in &c.out {
        let e = count.entry(pair_key(&cand.record)).or_default();
        e.0 += 1;
        e.1 |= cand.rule;
    }
    for cand in &mut c.out {
        let (n, rule) = count[&pair_key(&cand.record)];
        // A table row is one statement by construction: its count is a feature of its own.
        let name = if cand.table {
            "table_pair_statements"
        } else {
            "pair_statements"
        };
        if n > 1 {
            cand.features
                .add(&deals.model, format_args!("{name}={}", n.min(4)));
        }
        if rule && !cand.rule {
            cand.features
                .add(&deals.model, format_args!("rule_elsewhere"));
        }
        // A digest: three or more bulleted or dated items on the page.
        if items >= 3 {
            cand.features.add(&deals.model, format_args!("digest"));
        }
    }
    Candidates {
        list: c.out,
        items,
        dateline,
    }
}
