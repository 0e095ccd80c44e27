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
//! - [`kinds`]: the learned kind of each candidate (`dictionaries/records_kinds.model`);
//! - [`attributes`]: kind, direction, year, amount and evidence;
//! - [`page_date`]: the year of a page's date line (`Published 22 Feb 2021`);
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
pub mod candidates;
pub mod features;
pub mod kinds;
pub mod lists;
pub mod merge;
pub mod model;
pub mod page_date;
pub mod rules;
pub mod statements;
pub mod tables;
pub mod training;

pub use merge::merge;
pub use statements::sentences;

pub use candidates::{Candidate, Candidates};
pub use kinds::KindModel;
pub use model::RecordModel;

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
    co_parties: AhoCorasick,
    figure: AhoCorasick,
    deal_value: AhoCorasick,
    modality: AhoCorasick,
    ended: AhoCorasick,
    relation: AhoCorasick,
    self_reference: AhoCorasick,
    weak_term: AhoCorasick,
    investor_list: AhoCorasick,
    /// A page's date line: its labels and its English dates ([`page_date`]).
    page_date: page_date::PageDate,
    /// Labels of a disclosure's issuer field (会社名, 商号: `org_rules.tsv` field_label).
    field_label: AhoCorasick,
    /// The records model (`dictionaries/records.model`, or `KIJI_RECORDS_MODEL`).
    model: RecordModel,
    /// The kind model (`dictionaries/records_kinds.model`, or `KIJI_RECORD_KINDS_MODEL`).
    kinds: KindModel,
}

/// A case-insensitive automaton of `words` (never fails: the lists are short).
fn phrases(words: &[String]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("short word lists always build")
}

impl Deals {
    /// Whether a company entity is named as a stock exchange
    /// (`record_words.tsv` role `venue_ending`).
    pub(crate) fn is_venue(&self, e: &ByteEntity) -> bool {
        company_str(&e.kind).is_some_and(|n| self.is_venue_name(n))
    }

    /// Whether a company name ends as a stock exchange's (`venue_ending`).
    fn is_venue_name(&self, name: &str) -> bool {
        let n = name.to_lowercase();
        self.words
            .venue_ending
            .iter()
            .any(|v| n.ends_with(v.as_str()))
    }

    /// Whether a pair joins a listing venue to a company that is no exchange
    /// (`Tata Steel × Bombay Stock Exchange`): one name ends as a venue's
    /// (`venue_ending`) and the other has no venue ending and no
    /// `exchange_word` (東証, Euronext). Exchanges merge with exchanges; a
    /// venue where a company lists is no party of its deals.
    pub(crate) fn venue_with_listed(&self, a: &str, b: &str) -> bool {
        let exchange = |n: &str| {
            let lower = n.to_lowercase();
            self.is_venue_name(n)
                || self
                    .words
                    .exchange_word
                    .iter()
                    .any(|w| lower.contains(w.as_str()))
        };
        (self.is_venue_name(a) && !exchange(b)) || (self.is_venue_name(b) && !exchange(a))
    }

    /// Reads the kinds and verb entries of `lex`, with the bundled records
    /// and kind models (a bad `KIJI_RECORDS_MODEL` or
    /// `KIJI_RECORD_KINDS_MODEL` file is an error of [`Deals::load`]).
    pub fn new(lex: &Lexicons) -> Self {
        let model = RecordModel::parse(model::BUNDLED_MODEL, "bundled")
            .expect("the bundled records model is checked by its tests");
        let kinds = KindModel::parse(kinds::BUNDLED_KINDS, "bundled")
            .expect("the bundled kind model is checked by its tests");
        Self::with_models(lex, model, kinds)
    }

    /// [`Deals::new`] with the models of `KIJI_RECORDS_MODEL` and
    /// `KIJI_RECORD_KINDS_MODEL` when set.
    pub fn load(lex: &Lexicons) -> crate::error::Result<Self> {
        Ok(Self::with_models(
            lex,
            RecordModel::load_default()?,
            KindModel::load_default()?,
        ))
    }

    /// [`Deals::new`] with other records and kind models.
    pub fn with_models(lex: &Lexicons, model: RecordModel, kinds: KindModel) -> Self {
        Deals {
            model,
            kinds,
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
            co_parties: phrases(&lex.record_words.co_parties),
            figure: phrases(&lex.record_words.figure),
            deal_value: phrases(&lex.record_words.deal_value),
            modality: phrases(&lex.record_words.modality),
            ended: phrases(&lex.record_words.ended),
            relation: phrases(&lex.record_words.relation),
            self_reference: phrases(&lex.record_words.self_reference),
            weak_term: phrases(&lex.record_words.weak_term),
            investor_list: phrases(&lex.record_words.investor_list),
            page_date: page_date::PageDate::new(&lex.record_words),
            field_label: phrases(
                &lex.org
                    .field_label
                    .iter()
                    .cloned()
                    .chain(["company name".to_string()])
                    .collect::<Vec<_>>(),
            ),
        }
    }

    /// The year of the page's date ([`page_date`]): front matter, title,
    /// time stamp, wire dateline or date line, if any; `spans` sorted by start.
    pub fn page_year(
        &self,
        meta: &crate::document::Meta,
        text: &str,
        paragraphs: &[ByteParagraph],
        spans: &[ByteEntity],
        extractor: &crate::extract::Extractor,
    ) -> Option<i32> {
        self.page_date
            .year(meta, text, paragraphs, spans, extractor)
    }

    /// The records model.
    pub fn model(&self) -> &RecordModel {
        &self.model
    }

    /// The kind model.
    pub fn kinds(&self) -> &KindModel {
        &self.kinds
    }

    /// The group of a kind in `deal_kinds.tsv` (`None` for an unknown kind).
    pub(crate) fn group(&self, kind: &str) -> Option<&str> {
        self.groups.get(kind).map(|g| g.1.as_str())
    }

    /// Whether records of kinds `a` and `b` for one pair are one relationship.
    fn same_relationship(&self, a: Option<&str>, b: Option<&str>) -> bool {
        let (Some(a), Some(b)) = (a, b) else {
            return true;
        };
        let group = |k: &str| self.group(k);
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

/// The canonical name of a company entity, without its country.
fn company_str(kind: &EntityKind) -> Option<&str> {
    match kind {
        EntityKind::Company { name, .. } => Some(name.as_str()),
        _ => None,
    }
}

fn company_name(kind: &EntityKind) -> Option<(&str, Option<String>)> {
    match kind {
        EntityKind::Company { name, country, .. } => Some((name.as_str(), country.clone())),
        _ => None,
    }
}

/// Builds the records of a document: its candidates ([`candidates::collect`]),
/// decided by the records model ([`decide`]). `entities` must be sorted by
/// start; `dateline` is the year of the document's date (front matter, title
/// or a dateline paragraph), given to the records that have no year of their own.
pub fn build(
    text: &str,
    paragraphs: &[ByteParagraph],
    entities: &[ByteEntity],
    deals: &Deals,
    dateline: Option<i32>,
) -> Vec<Record> {
    let candidates = candidates::collect(text, paragraphs, entities, deals, dateline, false);
    decide_by_model(&candidates, deals)
}

/// [`decide`] with the scores and threshold of the records model of `deals`
/// and its kind model.
pub fn decide_by_model(candidates: &Candidates, deals: &Deals) -> Vec<Record> {
    let scores: Vec<f64> = candidates
        .list
        .iter()
        .map(|c| model::sigmoid(c.features.score))
        .collect();
    decide(
        candidates,
        &scores,
        deals.model.threshold(),
        Some(&deals.kinds),
        deals,
    )
}

/// The records of a document's candidates given their model scores: a
/// candidate at or above `threshold` is accepted (with every pair of a list
/// of co-parties the rules read, one of whose pairs is) unless a guard stops
/// it (a company never pairs with itself or its alias, nor a listing venue
/// with a company that is no exchange; a statement naming n
/// companies gives at most n − 1 pairs, the best scored, unless the rules
/// read its companies as one list of co-parties or it counts them (`3社`,
/// three companies: `record_words.tsv` role `co_parties`; then each named
/// company may pair with each); a party guessed from a heading is dropped
/// when the document names another party of the same partner). Then
/// records with no year, or a year after the page's date, take the
/// dateline's year, and records of one pair and relationship are merged.
/// With `kinds`, an accepted candidate's record takes the kind model's group
/// where [`kinds`] says so; without, the rules' kinds stand.
pub fn decide(
    candidates: &Candidates,
    scores: &[f64],
    threshold: f64,
    kinds: Option<&KindModel>,
    deals: &Deals,
) -> Vec<Record> {
    let list = &candidates.list;
    // Ordered, so that what follows sees candidates in document order.
    let mut accepted: std::collections::BTreeSet<usize> = (0..list.len())
        .filter(|&i| scores.get(i).is_some_and(|&p| p >= threshold))
        .filter(|&i| !same_company(&list[i].record.companies[0], &list[i].record.companies[1]))
        .filter(|&i| {
            !deals.venue_with_listed(&list[i].record.companies[0], &list[i].record.companies[1])
        })
        .collect();
    // A list of co-parties (the rules paired more than n − 1 of a statement's
    // n companies: `A、B、Cの3社`, `A, B and C signed`) is one decision: when
    // one of its pairs is accepted, all are.
    let mut rule_pairs: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in list.iter().enumerate().filter(|(_, c)| c.rule) {
        rule_pairs.entry(c.statement).or_default().push(i);
    }
    for members in rule_pairs.values() {
        let n = list[members[0]].names;
        let listed = members.len() > n.saturating_sub(1) && members.len() >= 3;
        if listed && members.iter().any(|i| accepted.contains(i)) {
            for &i in members {
                let (a, b) = (&list[i].record.companies[0], &list[i].record.companies[1]);
                if !same_company(a, b) && !deals.venue_with_listed(a, b) {
                    accepted.insert(i);
                }
            }
        }
    }
    let mut accepted: Vec<usize> = accepted.into_iter().collect();
    // At most n − 1 pairs per statement (the best scored), unless the rules
    // paired more of them (a list of co-parties: `A、B、Cの3社`) or the
    // statement counts its parties.
    let mut per_statement: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in &accepted {
        per_statement.entry(list[i].statement).or_default().push(i);
    }
    let mut dropped: HashSet<usize> = HashSet::new();
    for members in per_statement.values() {
        let n = list[members[0]].names;
        let rule_pairs = members.iter().filter(|&&i| list[i].rule).count();
        // `AとBはCを加えた3社で`, "the three companies": each named party
        // may pair with each (the page's issuer or topic is not counted).
        let counted = members
            .iter()
            .find(|&&i| list[i].co_parties)
            .map_or(0, |&i| list[i].names * list[i].names.saturating_sub(1) / 2);
        let bound = n.saturating_sub(1).max(rule_pairs).max(counted).max(1);
        if members.len() > bound {
            let mut ranked = members.clone();
            ranked.sort_by(|&x, &y| scores[y].total_cmp(&scores[x]).then(x.cmp(&y)));
            dropped.extend(ranked.into_iter().skip(bound));
        }
    }
    accepted.retain(|i| !dropped.contains(i));
    // A heading's company is only a guess: when the document names another
    // party of the same partner, the guess is dropped.
    let mut partners: HashMap<&str, HashSet<&str>> = HashMap::new();
    for &i in &accepted {
        let r = &list[i].record;
        if !list[i].guessed {
            for (a, b) in [(0, 1), (1, 0)] {
                partners
                    .entry(r.companies[a].as_str())
                    .or_default()
                    .insert(r.companies[b].as_str());
            }
        }
    }
    let kept: Vec<usize> = accepted
        .into_iter()
        .filter(|&i| {
            let r = &list[i].record;
            !list[i].guessed
                || !partners
                    .get(r.companies[1].as_str())
                    .is_some_and(|p| p.iter().any(|x| *x != r.companies[0]))
        })
        .collect();
    // The kind model's group where it overrules the record's own kind, or
    // gives one to a record with none whose pair has no record with one.
    let kinded: HashSet<(String, String)> = kept
        .iter()
        .filter(|&&i| list[i].record.kind.is_some())
        .map(|&i| merge::pair_key(&list[i].record))
        .collect();
    let mut records: Vec<Record> = kept
        .iter()
        .map(|&i| {
            let mut r = list[i].record.clone();
            let kinded_pair = kinded.contains(&merge::pair_key(&r));
            if let Some(g) =
                kinds.and_then(|k| kinds::chosen_group(k, &list[i], kinded_pair, deals))
            {
                kinds::set_group(&mut r, &list[i].terms, g, deals);
            }
            r
        })
        .collect();
    if let Some(y) = candidates.dateline {
        // News is of its page's date: a record whose statements give no year
        // takes the year of the dateline (a digest item, a lead, `29日、`,
        // yesterday, or a deal told with no date at all), and so does one
        // dated after the page (that year is a plan's or a target's:
        // `2030年度に売上高を3倍に`).
        for r in records
            .iter_mut()
            .filter(|r| r.year.is_none_or(|ry| ry > y))
        {
            r.year = Some(y);
            r.year_source = Some("dateline".into());
        }
    }
    merge(records, deals)
}

/// Whether two canonical names are one company: equal, or one is the other
/// with a legal form or a generic word after it (`Acme` and `Acme Inc.`).
fn same_company(a: &str, b: &str) -> bool {
    let key = |s: &str| s.to_lowercase().replace([' ', ',', '.'], "");
    let (a, b) = (key(a), key(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.chars().count() >= 2
        && long.strip_prefix(short.as_str()).is_some_and(|rest| {
            [
                "inc",
                "corp",
                "corporation",
                "co",
                "ltd",
                "limited",
                "plc",
                "llc",
                "group",
                "holdings",
                "株式会社",
                "ホールディングス",
                "グループ",
                "社",
            ]
            .contains(&rest)
        })
}

#[cfg(test)]
mod tests {
    use super::Deals;
    use crate::lexicon::Lexicons;

    #[test]
    fn a_listing_venue_pairs_only_with_an_exchange() {
        let deals = Deals::new(&Lexicons::bundled().unwrap());
        assert!(deals.venue_with_listed("Kestrel Steel", "Bombay Stock Exchange"));
        assert!(deals.venue_with_listed("東京証券取引所", "北條精機"));
        // Exchanges merge with exchanges, under their short forms too.
        assert!(!deals.venue_with_listed("東京証券取引所", "大阪証券取引所"));
        assert!(!deals.venue_with_listed("東京工業品取引所", "東証"));
        assert!(!deals.venue_with_listed("London Stock Exchange", "Deutsche Börse"));
        // No venue, no guard.
        assert!(!deals.venue_with_listed("Kestrel Steel", "Ostrava Rail"));
    }
}
