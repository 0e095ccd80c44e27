//! Records stage: partnership records from tables and statements.
//!
//! Input: the document `text`, its paragraphs and entities (byte offsets), the
//! deal kinds ([`Deals`], from `dictionaries/deal_kinds.tsv` and `verbs.tsv`)
//! and the page's dateline year. Output: [`Record`]s, one per unordered pair
//! and relationship, with all evidence. One file per step:
//!
//! - [`statements`]: sentences, digest items, headline + lead, table rows;
//! - [`rules`]: the hand rules' reading of a statement (roles, kinds);
//! - [`candidates`]: every pair of distinct companies of a statement with a
//!   deal term, with the record its attributes make;
//! - [`features`]: what the model sees of a candidate;
//! - [`model`]: the learned decision (`dictionaries/records.model`);
//! - [`attributes`]: kind, direction, year, amount and evidence;
//! - [`tables`]: records of table rows;
//! - [`merge`]: one record per pair and relationship;
//! - [`training`]: labelled candidates, cross-validation, `kiji train records`.
//!
//! README "Records: how deals are decided" has the whole picture.

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;

use crate::document::{BlockKind, EntityKind, Record};
use crate::lexicon::{Lexicons, RecordWords};

pub mod attributes;
pub mod merge;
pub mod rules;
pub mod statements;
pub mod tables;

pub use merge::merge;
pub use statements::sentences;

use attributes::{continue_statement, deal_year, is_target_year, relative_day};
use rules::sentence_records;
use statements::{starts_item, within, within_refs, Statement};
use tables::table_records;

/// What the records stage takes from the lexicons: the roles of each directed
/// kind (`dictionaries/deal_kinds.tsv`) and the deal terms whose recipient is
/// the acting party (`actor` = `recipient` in `dictionaries/verbs.tsv`: 譲渡, sell).
#[derive(Debug, Clone)]
pub struct Deals {
    roles: HashMap<String, (String, String)>,
    recipient_forms: HashSet<String>,
    /// Kind → (precedence, group).
    groups: HashMap<String, (usize, String)>,
    /// `dictionaries/record_words.tsv`.
    words: RecordWords,
    /// The phrases of `words`' roles as case-insensitive automata.
    refers_back: AhoCorasick,
    relative_day: AhoCorasick,
    figure: AhoCorasick,
    deal_value: AhoCorasick,
}

/// A case-insensitive automaton of `words` (never fails: the lists are short).
fn phrases(words: &[String]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("short word lists always build")
}

impl Deals {
    /// Reads the kinds and verb entries of `lex`.
    pub fn new(lex: &Lexicons) -> Self {
        Deals {
            roles: lex
                .deal_kinds
                .iter()
                .filter_map(|k| Some((k.kind.clone(), k.roles.clone()?)))
                .collect(),
            recipient_forms: lex
                .verbs
                .iter()
                .filter(|v| v.recipient_acts)
                .flat_map(|v| v.forms.iter().map(|f| f.to_lowercase()))
                .collect(),
            groups: lex
                .deal_kinds
                .iter()
                .enumerate()
                .map(|(i, k)| (k.kind.clone(), (i, k.group.clone())))
                .collect(),
            words: lex.record_words.clone(),
            refers_back: phrases(&lex.record_words.refers_back),
            relative_day: phrases(&lex.record_words.relative_day),
            figure: phrases(&lex.record_words.figure),
            deal_value: phrases(&lex.record_words.deal_value),
        }
    }

    /// Whether records of kinds `a` and `b` for one pair are one relationship.
    fn same_relationship(&self, a: Option<&str>, b: Option<&str>) -> bool {
        let (Some(a), Some(b)) = (a, b) else {
            return true;
        };
        let group = |k: &str| self.groups.get(k).map(|g| g.1.as_str());
        a == b
            || a == "agreement"
            || b == "agreement"
            || group(a).is_some_and(|g| Some(g) == group(b))
            || matches!(
                (a, b),
                ("capital_business_alliance", "investment")
                    | ("investment", "capital_business_alliance")
            )
    }

    /// Whether kind `a` is listed before `b` in `deal_kinds.tsv` (a missing kind last).
    fn precedes(&self, a: Option<&str>, b: Option<&str>) -> bool {
        let rank = |k: Option<&str>| {
            k.and_then(|k| self.groups.get(k))
                .map_or(usize::MAX, |g| g.0)
        };
        rank(a) < rank(b)
    }

    /// The roles of a directed kind (acquirer, target), `None` when undirected.
    fn roles(&self, kind: &str) -> Option<(&str, &str)> {
        self.roles.get(kind).map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// Whether the deal term written `surface` is done by its recipient (譲渡).
    fn recipient_acts(&self, surface: &str) -> bool {
        self.recipient_forms.contains(&surface.to_lowercase())
    }
}

/// An entity with byte offsets into the document text.
#[derive(Debug, Clone, PartialEq)]
pub struct ByteEntity {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Typed fields.
    pub kind: EntityKind,
}

/// A paragraph with byte offsets into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteParagraph {
    /// Block kind.
    pub kind: BlockKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

fn company_name(kind: &EntityKind) -> Option<(&str, Option<String>)> {
    match kind {
        EntityKind::Company { name, country, .. } => Some((name.as_str(), country.clone())),
        _ => None,
    }
}

/// Builds the records of a document. `entities` must be sorted by start;
/// `dateline` is the year of the document's date (front matter, title or a
/// dateline paragraph), given to the undated items of a digest.
pub fn build(
    text: &str,
    paragraphs: &[ByteParagraph],
    entities: &[ByteEntity],
    deals: &Deals,
    dateline: Option<i32>,
) -> Vec<Record> {
    // Records, each with whether a party was guessed from the section heading.
    let mut records: Vec<(Record, bool)> = Vec::new();
    let mut heading_company: Option<String> = None;
    // A headline naming companies with no deal term of its own, waiting for its lead.
    let mut headline: Option<Vec<&ByteEntity>> = None;
    let mut items = 0usize;
    for p in paragraphs {
        let inside: Vec<&ByteEntity> = within(entities, p.start, p.end);
        match p.kind {
            BlockKind::Table => {
                headline = None;
                records.extend(
                    table_records(text, p, &inside, deals)
                        .into_iter()
                        .map(|r| (r, false)),
                );
            }
            BlockKind::Heading | BlockKind::Paragraph => {
                if p.kind == BlockKind::Heading {
                    let mut names: Vec<&str> = inside
                        .iter()
                        .filter_map(|e| company_name(&e.kind).map(|c| c.0))
                        .collect();
                    names.dedup();
                    heading_company = (names.len() == 1).then(|| names[0].to_string());
                }
                let mut last_year: Option<i32> = None;
                // The records of the paragraph's last statement that gave some,
                // and whether that was the sentence just before.
                let mut last_found: Option<std::ops::Range<usize>> = None;
                let mut previous_found = false;
                let spans = sentences(text, p.start, p.end);
                for (k, &(s, e)) in spans.iter().enumerate() {
                    if starts_item(&text[s..e], &deals.words) {
                        items += 1;
                    }
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
                    let mut found = sentence_records(&statement);
                    let mut headline_used: Vec<&ByteEntity> = Vec::new();
                    // A headline and its lead are one statement: the headline's
                    // companies with the lead's deal term.
                    if found.is_empty() && k == 0 {
                        if let Some(h) = headline.take() {
                            let mut ents = h.clone();
                            ents.extend(
                                in_sentence
                                    .iter()
                                    .filter(|x| matches!(x.kind, EntityKind::Verb { .. })),
                            );
                            let lead_names: Vec<&str> = in_sentence
                                .iter()
                                .filter_map(|x| company_name(&x.kind).map(|c| c.0))
                                .collect();
                            let head_names: Vec<&str> = h
                                .iter()
                                .filter_map(|x| company_name(&x.kind).map(|c| c.0))
                                .collect();
                            if lead_names.iter().all(|n| head_names.contains(n)) {
                                let st = Statement {
                                    start: h[0].start.min(s),
                                    end: e,
                                    ents: &ents,
                                    headline: true,
                                    ..statement
                                };
                                found = sentence_records(&st);
                                headline_used = h;
                            }
                        }
                    }
                    headline = None;
                    let names = in_sentence
                        .iter()
                        .filter(|x| company_name(&x.kind).is_some())
                        .count();
                    let has_verb = in_sentence
                        .iter()
                        .any(|x| matches!(x.kind, EntityKind::Verb { .. }));
                    if spans.len() == 1 && names >= 2 && !has_verb {
                        headline = Some(in_sentence.clone());
                    }
                    let named: Vec<&str> = in_sentence
                        .iter()
                        .chain(&headline_used)
                        .filter_map(|x| company_name(&x.kind).map(|c| c.0))
                        .collect();
                    if let Some(range) = last_found
                        .clone()
                        .filter(|_| found.is_empty() && named.is_empty())
                    {
                        // `両社は合弁会社を設立する。`: a sentence that names no company
                        // continues the statement before it.
                        let refers = deals.refers_back.is_match(&text[s..e]);
                        if refers || previous_found {
                            continue_statement(
                                text,
                                (s, e),
                                &in_sentence,
                                &mut records[range],
                                deals,
                                refers,
                            );
                        }
                    }
                    previous_found = !found.is_empty();
                    if previous_found {
                        last_found = Some(records.len()..records.len() + found.len());
                    }
                    for r in found {
                        // A party taken from the section heading is a guess.
                        let guessed = !r.companies.iter().all(|c| named.contains(&c.as_str()));
                        records.push((r, guessed));
                    }
                    // A year carries to the next sentences as context (`2019年4月、…。`),
                    // unless it was the year of a deal of its own.
                    let year_here = in_sentence.iter().rev().find_map(|x| match x.kind {
                        EntityKind::Year { year, .. } if !is_target_year(text, x) => Some(year),
                        _ => None,
                    });
                    if let Some(y) = year_here {
                        last_year = (!previous_found).then_some(y);
                    }
                }
            }
            BlockKind::Marker => {}
        }
    }
    // The undated items of a digest (three or more bulleted or dated items)
    // are news of the page's date.
    // A heading's company is only a guess: when the document names another
    // party of the same partner, the guess is dropped.
    let mut partners: HashMap<String, HashSet<String>> = HashMap::new();
    for (r, guessed) in &records {
        if !*guessed && r.companies.len() >= 2 {
            for (a, b) in [(0, 1), (1, 0)] {
                partners
                    .entry(r.companies[a].clone())
                    .or_default()
                    .insert(r.companies[b].clone());
            }
        }
    }
    let mut records: Vec<Record> = records
        .into_iter()
        .filter(|(r, guessed)| {
            !*guessed
                || !partners
                    .get(&r.companies[1])
                    .is_some_and(|p| p.iter().any(|x| *x != r.companies[0]))
        })
        .map(|(r, _)| r)
        .collect();
    if let Some(y) = dateline {
        for r in records.iter_mut().filter(|r| r.year.is_none()) {
            if r.evidence
                .first()
                .is_some_and(|ev| relative_day(&ev.text, &deals.relative_day))
            {
                r.year = Some(y);
                r.year_source = Some("dateline".into());
            }
        }
    }
    if items >= 3 {
        if let Some(y) = dateline {
            for r in records.iter_mut().filter(|r| r.year.is_none()) {
                r.year = Some(y);
                r.year_source = Some("dateline".into());
            }
        }
    }
    merge(records, deals)
}
