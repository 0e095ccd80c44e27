//! Records stage: partnership records from tables and statements.
//!
//! Input: the document `text`, its paragraphs and entities (byte offsets), the
//! deal kinds ([`Deals`], from `dictionaries/deal_kinds.tsv` and `verbs.tsv`)
//! and the page's dateline year. Output: [`Record`]s, one per unordered pair
//! and relationship, with all evidence. README "Records: how deals are built"
//! has one example per rule family.
//!
//! - **Statements**: a table row, a sentence ([`sentences`]: not cut inside
//!   brackets; a bullet starts an item of its own), or a headline naming
//!   companies with no term of its own plus its lead. A record's parties are
//!   named in one statement, never in two items of a digest.
//! - **Tables**: columns are classified by header and content
//!   ([`crate::table::classify`]); each row with two companies gives a record
//!   with the row's year (`year_source: table`), term and amount.
//! - **Japanese sentences**: companies are marked by the particle after them
//!   (は/が subject, と/を partner or object, に/へ recipient, から source, 、/や/・
//!   a list that shares the next mark); subjects × partners give records.
//!   Headline subjects (`A、Bを子会社化`), lists (`A、B、Cの3社は` → every pair),
//!   shares as the target (`Bの全株式を`), relative clauses (`AとBが出資するCは`),
//!   companies that describe another (`Xを傘下に置くY`, `傘下のXを通じて`) and
//!   recipient terms (`AはBをCに譲渡`: C acquires B) are handled before pairing.
//!   `Aが開発した…をBが導入` gives an adoption record; one partner and no subject
//!   takes the section heading's company (dropped when the document names
//!   another party for that partner).
//! - **English sentences**: companies before the first deal term are subjects,
//!   after it objects; coordinated subjects of an undirected term give every
//!   pair; a possessive before the term is the actor; appositions, bracketed
//!   short names and `with B` before a directed term are not parties.
//! - **Attributes**: roles from the kind; the pair's term (in Japanese the
//!   first after both parties); `year` from the statement, a continuing
//!   sentence, the paragraph's context year, or the dateline (digest items,
//!   news dated by a relative day); `amount` the deal value (`deal_amount`).
//!   A later sentence that names no company continues the statement.

use std::collections::{HashMap, HashSet};

use crate::document::{BlockKind, EntityKind, Evidence, Money, Party, Record};
use aho_corasick::AhoCorasick;

use crate::lexicon::{Lexicons, RecordWords};
use crate::table::{self, Column};

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

struct Mention<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    country: Option<String>,
    mark: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Source,
    Topic,
    Subject,
    Partner,
    /// を: what the deal is done to.
    Object,
    /// に, へ: whom the deal goes to.
    Dative,
    List,
    Of,
    None,
}

fn company_name(kind: &EntityKind) -> Option<(&str, Option<String>)> {
    match kind {
        EntityKind::Company { name, country, .. } => Some((name.as_str(), country.clone())),
        _ => None,
    }
}

/// Marks that start an item of a digest or a list (`◇A、Bを子会社化、◇C…`).
const BULLETS: &[char] = &['◇', '◆', '■', '□', '●', '○', '▼', '▽', '★', '☆', '※'];

/// Whether a sentence opens an item of a digest: a bullet (`◇`, `■`), or a
/// date (`2024年5月15日 …`, `5月15日 …`, `Jan. 14 - …`, `March 19: …`).
fn starts_item(sentence: &str, words: &RecordWords) -> bool {
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
/// taken as unbalanced and ignored).
pub fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
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
                    && !abbreviation_before(para, i)
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

fn abbreviation_before(para: &str, dot: usize) -> bool {
    let word = para[..dot].rsplit([' ', '\n']).next().unwrap_or("");
    matches!(
        word,
        "Inc"
            | "Corp"
            | "Ltd"
            | "Co"
            | "Mr"
            | "Ms"
            | "Dr"
            | "U.S"
            | "No"
            | "St"
            | "vs"
            | "approx"
            | "e.g"
            | "i.e"
    ) || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// The entities (sorted by start) that start in `start..end` and end by `end`.
fn within(entities: &[ByteEntity], start: usize, end: usize) -> Vec<&ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .collect()
}

/// [`within`] for a slice of references.
fn within_refs<'a>(entities: &[&'a ByteEntity], start: usize, end: usize) -> Vec<&'a ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .copied()
        .collect()
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

/// Adds a continuing sentence (a deal term, no company named) to the records of
/// the statement before it: its evidence, and its kind, year and amount where
/// those records have none or only a bare agreement.
///
/// Only the records of the statement's main term (the last one, as Japanese
/// puts it last) continue; a sentence with no deal term continues only when it
/// refers back (`両行が傘下に入る`, `refers`) or states a deal value
/// (`取得価額は約42億円`).
fn continue_statement(
    text: &str,
    (s, e): (usize, usize),
    ents: &[&ByteEntity],
    records: &mut [(Record, bool)],
    deals: &Deals,
    refers: bool,
) {
    let verb = best_verb(text, ents);
    // `取得価額は約42億円。`: the value of the deal just stated.
    let valued = scored_amount(text, ents, deals).is_some_and(|a| a.0);
    if verb.is_none() && !refers && !valued {
        return;
    }
    let main = records.last().and_then(|(r, _)| r.verb.clone());
    let evidence = prose_evidence(text, s, e);
    let year = deal_year(text, ents);
    let amount = deal_amount(text, ents, deals);
    for (r, _) in records.iter_mut().filter(|(r, _)| r.verb == main) {
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

/// The evidence of a sentence `s..e`: its text without surrounding spaces, offsets included.
fn prose_evidence(text: &str, s: usize, e: usize) -> Evidence {
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

fn is_target_year(text: &str, e: &ByteEntity) -> bool {
    let after = &text[e.end..];
    let before = &text[..e.start];
    after.starts_with("まで")
        || after.starts_with("を目")
        || after.starts_with("以降")
        || before.ends_with("by ")
        || before.ends_with("By ")
        || before.ends_with("since ")
        || before.ends_with("Since ")
}

/// Whether a statement dates itself by a day relative to the page's date
/// (`29日、`, `9日に発表`, `本日`, `yesterday`, `on Saturday`): news of the
/// dateline's year.
fn relative_day(sentence: &str, words: &AhoCorasick) -> bool {
    if words.is_match(sentence) {
        return true;
    }
    // One or two digits, 日, then a comma or particle; not a duration (30日間)
    // and not a date with its month (4月1日: that is a date of its own).
    sentence.match_indices('日').any(|(i, _)| {
        let before = &sentence[..i];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let month = before[..before.len() - digits].ends_with('月');
        let next = sentence[i + '日'.len_utf8()..].chars().next();
        (1..=2).contains(&digits) && !month && next.is_some_and(|c| "、,にはの".contains(c))
    })
}

fn deal_year(text: &str, ents: &[&ByteEntity]) -> Option<i32> {
    ents.iter().find_map(|x| match x.kind {
        EntityKind::Year { year, .. } if !is_target_year(text, x) => Some(year),
        _ => None,
    })
}

/// The deal term: the first one that is not a bare agreement word (締結, 契約), else the first.
fn best_verb<'a>(text: &'a str, ents: &[&ByteEntity]) -> Option<(&'a str, String)> {
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

fn make_record(
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

fn party(name: &str, country: Option<String>, role: Option<&str>) -> Party {
    Party {
        name: name.to_string(),
        country,
        role: role.map(str::to_string),
    }
}

fn table_records(
    text: &str,
    p: &ByteParagraph,
    inside: &[&ByteEntity],
    deals: &Deals,
) -> Vec<Record> {
    let rows: Vec<(usize, &str)> = {
        let mut offset = p.start;
        text[p.start..p.end]
            .split('\n')
            .map(|r| {
                let item = (offset, r);
                offset += r.len() + 1;
                item
            })
            .collect()
    };
    let row_texts: Vec<&str> = rows.iter().map(|r| r.1).collect();
    let company_surfaces: std::collections::HashSet<&str> = inside
        .iter()
        .filter(|e| company_name(&e.kind).is_some())
        .map(|e| &text[e.start..e.end])
        .collect();
    let has_company = |cell: &str| -> bool {
        company_surfaces.contains(cell.split('(').next().unwrap_or(cell).trim())
    };
    let columns = table::classify(&row_texts, has_company);
    let header = table::has_header(&row_texts);
    let mut out = Vec::new();
    for &(row_start, row) in rows.iter().skip(usize::from(header)) {
        let cells = table::cells(row);
        let mut parties: Vec<Party> = Vec::new();
        let mut year = None;
        let mut desc: Vec<&ByteEntity> = Vec::new();
        for (cell, col) in cells.iter().zip(&columns) {
            let (cs, ce) = (row_start + cell.start, row_start + cell.end);
            let cell_ents: Vec<&ByteEntity> = within_refs(inside, cs, ce);
            match col {
                Column::Company => {
                    let cell_text = text[cs..ce].trim();
                    if cell_text.starts_with('(') {
                        continue;
                    }
                    if let Some((name, country)) =
                        cell_ents.iter().find_map(|e| company_name(&e.kind))
                    {
                        let bracket = bracket_country(cell_text).or(country);
                        if !parties.iter().any(|x| x.name == name) {
                            parties.push(party(name, bracket, None));
                        }
                    }
                }
                Column::Year => {
                    year = cell_ents.iter().find_map(|e| match e.kind {
                        EntityKind::Year { year, .. } => Some(year),
                        _ => None,
                    });
                }
                Column::Description | Column::Other => desc.extend(cell_ents),
            }
        }
        if parties.len() < 2 {
            continue;
        }
        let verb = best_verb(text, &desc);
        if let Some((role_a, role_b)) = verb.as_ref().and_then(|v| deals.roles(&v.1)) {
            parties[0].role = Some(role_a.into());
            parties[1].role = Some(role_b.into());
        }
        let evidence = Evidence {
            source: "table".into(),
            text: row.to_string(),
            start: row_start,
            end: row_start + row.len(),
        };
        let amount = deal_amount(text, &desc, deals);
        parties.truncate(2);
        out.push(make_record(
            parties,
            verb,
            year,
            Some("table"),
            amount,
            evidence,
        ));
    }
    out
}

/// The ISO code in a trailing bracket of a table cell (`OpenAI(米国)`), from the extractor's country.
fn bracket_country(cell: &str) -> Option<String> {
    let open = cell.rfind('(')?;
    let inner = cell[open + 1..].trim_end_matches(')');
    crate::lexicon::country_code(inner)
}

fn ja_mark(rest: &str) -> Mark {
    let rest = skip_noise(rest);
    for (p, m) in [
        ("とは", Mark::Partner),
        ("との", Mark::Partner),
        ("とも", Mark::Partner),
        ("と", Mark::Partner),
        ("から", Mark::Source),
        ("には", Mark::Dative),
        ("に", Mark::Dative),
        ("へ", Mark::Dative),
        ("を", Mark::Object),
        ("は", Mark::Topic),
        ("が", Mark::Subject),
        ("も", Mark::Topic),
        ("、", Mark::List),
        ("や", Mark::List),
        ("・", Mark::List),
        ("および", Mark::List),
        ("及び", Mark::List),
        ("ならびに", Mark::List),
        (",", Mark::List),
        ("の", Mark::Of),
    ] {
        if rest.starts_with(p) {
            return m;
        }
    }
    Mark::None
}

/// Skips what stands between a company and its particle: 社, a closing quote,
/// a bracket, a securities code (`<9832>`), spaces, and a count that belongs
/// to a list (`AとB、Cの3社は`, `の3行`).
fn skip_noise(mut rest: &str) -> &str {
    loop {
        let before = rest;
        rest = rest.trim_start_matches([' ', '」', '』', '"', '”', '’', '.']);
        rest = rest.strip_prefix('社').unwrap_or(rest);
        for filler in ["など", "等", "各社", "両社", "**"] {
            rest = rest.strip_prefix(filler).unwrap_or(rest);
        }
        if let Some(after_no) = rest.strip_prefix('の') {
            let digits = after_no.trim_start_matches(|c: char| {
                c.is_ascii_digit() || "二三四五六七八九十両".contains(c)
            });
            if digits.len() < after_no.len() {
                if let Some(r) = ["社", "行", "者", "グループ"]
                    .iter()
                    .find_map(|w| digits.strip_prefix(w))
                {
                    rest = r;
                }
            }
        }
        for (open, close) in [('(', ')'), ('<', '>')] {
            if rest.starts_with(open) {
                if let Some(c) = rest.find(close) {
                    if c < 400 {
                        rest = &rest[c + 1..];
                    }
                }
            }
        }
        if rest == before {
            return rest;
        }
    }
}

/// One sentence (or a headline and its lead) to read records from.
struct Statement<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    ents: &'a [&'a ByteEntity],
    year: Option<i32>,
    year_source: Option<&'static str>,
    heading_company: Option<&'a str>,
    deals: &'a Deals,
    /// The companies come from a headline with no deal term, the term from its lead.
    headline: bool,
}

/// Connectors between the companies of a Japanese list (`AとB`, `A、B`,
/// `「A」と兵庫県の「B」、それに大阪の「C」`): a short gap with no case particle.
fn ja_list_gap(gap: &str) -> bool {
    let g = gap.trim_start_matches([' ', '」', '』', '社']);
    let Some(rest) = ["および", "及び", "ならびに", "、", "と", "や", "・", ","]
        .iter()
        .find_map(|c| g.strip_prefix(c))
    else {
        return false;
    };
    let rest = rest.trim_start_matches(['、', ' ']);
    let rest = ["それに", "さらに", "そして"]
        .iter()
        .find_map(|c| rest.strip_prefix(c))
        .unwrap_or(rest)
        .trim_start_matches(['、', ' ']);
    rest.chars().count() <= 8
        && !rest.contains(['は', 'が', 'を', 'に', 'で', 'も', 'と', '、', '。'])
}

/// A company written as `Xの株式を` / `Xの全株式を` / `Xの事業を` / `X株式に対する`:
/// what the deal acquires.
fn of_shares(rest: &str) -> bool {
    let rest = skip_noise(rest);
    if let Some(r) = rest
        .strip_prefix("株式")
        .or_else(|| rest.strip_prefix('株'))
    {
        let r = skip_noise(r);
        return ["に対する", "を", "の取得", "の公開買"]
            .iter()
            .any(|p| r.starts_with(p));
    }
    let Some(after) = rest.strip_prefix('の') else {
        return false;
    };
    let Some(o) = after.find('を') else {
        return false;
    };
    let head = &after[..o];
    head.chars().count() <= 12
        && ["株", "事業", "持ち分", "持分"]
            .iter()
            .any(|w| head.contains(w))
}

/// The deal value among a statement's amounts: not a price per share, not a
/// conversion in brackets, not a figure of revenue, profit, assets or capital;
/// an amount next to a deal word (総額, 買収額, 取得価額, for, worth, valued at)
/// wins over the others.
fn deal_amount(text: &str, ents: &[&ByteEntity], deals: &Deals) -> Option<Money> {
    scored_amount(text, ents, deals).map(|a| a.1)
}

/// [`deal_amount`] with whether a deal word stands next to it.
fn scored_amount(text: &str, ents: &[&ByteEntity], deals: &Deals) -> Option<(bool, Money)> {
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
fn last_chars(s: &str, n: usize) -> &str {
    let at = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[at..]
}

/// Whether `a`..`b` is only a coordination in English (`, `, ` and `, `, and `, ` & `).
fn en_coordinated(gap: &str) -> bool {
    matches!(
        gap.trim(),
        "," | "and" | ", and" | "&" | ", &" | "as well as"
    )
}

/// Records of one statement.
fn sentence_records(st: &Statement) -> Vec<Record> {
    let text = st.text;
    let (s, e, ents) = (st.start, st.end, st.ents);
    let verbs: Vec<&&ByteEntity> = ents
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Verb { .. }))
        .collect();
    let adoption = ["導入", "採用", "展開", "活用"]
        .iter()
        .any(|w| text[s..e].contains(w));
    if verbs.is_empty() && !adoption {
        return Vec::new();
    }
    let sentence = &text[s..e];
    let english = crate::lang::paragraph_lang(sentence) == Some(crate::document::Lang::En);
    let mut mentions: Vec<Mention> = ents
        .iter()
        .filter_map(|x| {
            let (name, country) = company_name(&x.kind)?;
            Some(Mention {
                start: x.start,
                end: x.end,
                name,
                country,
                mark: if english {
                    Mark::None
                } else {
                    ja_mark(&text[x.end..e])
                },
            })
        })
        .collect();
    let mut distinct: Vec<&str> = mentions.iter().map(|m| m.name).collect();
    distinct.sort();
    distinct.dedup();
    let (year, year_source) = (st.year, st.year_source);
    let amount = deal_amount(text, ents, st.deals);
    let evidence = prose_evidence(text, s, e);
    let verb = best_verb(text, ents);
    let recipient = verb.as_ref().is_some_and(|v| st.deals.recipient_acts(v.0));
    let directed = verb.as_ref().and_then(|v| st.deals.roles(&v.1)).is_some();
    // (actor, acted on) for a directed kind, else two partners.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Companies through which another one acts (`傘下のXを通じて`): (index, actor).
    let mut through: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    if english {
        // `Toshiba Corporation ("Toshiba")`: a bracketed short name repeats the
        // company before it; `TMC, Toshiba's wholly owned subsidiary`: a
        // possessive apposition describes it.
        let mut k = 1;
        while k < mentions.len() {
            let gap = &text[mentions[k - 1].end..mentions[k].start];
            let bracket = gap
                .trim()
                .trim_start_matches('(')
                .trim_start_matches(['"', '“'])
                .is_empty()
                && gap.contains('(');
            let apposition = gap.trim() == ","
                && text[mentions[k].end..e].starts_with(['\'', '’'])
                && mentions[k - 1].start > verbs.first().map_or(e, |v| v.start);
            if bracket || apposition {
                mentions.remove(k);
            } else {
                k += 1;
            }
        }
        let Some(first_verb) = verbs
            .iter()
            .find(|v| mentions.first().is_some_and(|m| v.start > m.start))
        else {
            return out;
        };
        // `Y's $13.7bn purchase of Z`: a possessive just before the deal noun is
        // the one actor.
        let possessor = (0..mentions.len()).rev().find(|&i| {
            let m = &mentions[i];
            m.end <= first_verb.start
                && text[m.end..e].starts_with(['\'', '’'])
                && text[m.end..first_verb.start].split_whitespace().count() <= 4
        });
        // A company named in an apposition (`X, the trading arm of Y, has …`,
        // `X, a provider of Y's iPhone, is …`) or after `with` before a directed
        // term (`A agreed with B to acquire C`: B sells) is not a party.
        let subjects: Vec<usize> = match possessor {
            Some(p) => vec![p],
            None => (0..mentions.len())
                .filter(|&i| mentions[i].end <= first_verb.start)
                .filter(|&i| {
                    let before = text[s..mentions[i].start].trim_end();
                    let from_prev = if i == 0 {
                        ""
                    } else {
                        &text[mentions[i - 1].end.max(s)..mentions[i].start]
                    };
                    let apposition = i > 0
                        && [", the ", ", a ", ", an "]
                            .iter()
                            .any(|a| from_prev.starts_with(a));
                    !(before.ends_with(" of")
                        || before.ends_with(" by")
                        || apposition
                        || (directed && before.ends_with(" with")))
                })
                .collect(),
        };
        // Objects stop at the end of the verb's clause (", while …", "; …").
        let after_verb = &text[first_verb.end..e];
        let clause_end = [
            ", while ",
            " while ",
            "; ",
            ", but ",
            ", whereas ",
            ", and ",
            ", although ",
        ]
        .iter()
        .filter_map(|b| after_verb.find(b))
        .min()
        .map(|p| first_verb.end + p)
        .unwrap_or(e);
        let objects: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].start >= first_verb.end && mentions[i].end <= clause_end)
            .collect();
        if recipient {
            // A sold B to C: C acquires B (or A's business when B is not named).
            let to: Vec<usize> = objects
                .iter()
                .copied()
                .filter(|&i| text[s..mentions[i].start].trim_end().ends_with(" to"))
                .collect();
            let sold: Vec<usize> = objects
                .iter()
                .copied()
                .filter(|i| !to.contains(i))
                .collect();
            for &c in &to {
                for &b in if sold.is_empty() { &subjects } else { &sold } {
                    pairs.push((c, b));
                }
            }
        } else {
            for &a in &subjects {
                for &b in &objects {
                    pairs.push((a, b));
                }
            }
        }
        // "A and B signed …", "A, B and C formed a joint venture": the co-subjects
        // of a symmetric deal are partners of each other.
        let coordinated = subjects.len() >= 2
            && subjects
                .windows(2)
                .all(|w| en_coordinated(&text[mentions[w[0]].end..mentions[w[1]].start]));
        let symmetric = !directed;
        if coordinated && (objects.is_empty() || symmetric) {
            for (k, &a) in subjects.iter().enumerate() {
                for &b in &subjects[k + 1..] {
                    pairs.push((a, b));
                }
            }
        } else if subjects.len() == 2 && objects.is_empty() {
            pairs.push((subjects[0], subjects[1]));
        }
    } else {
        // X (the company through which another acts) is not a party of its own.
        for (i, m) in mentions.iter_mut().enumerate() {
            let rest = skip_noise(&text[m.end..e]);
            // `Xを傘下に置くY`: X describes Y (its parent's holding), not a party.
            let held = ["を傘下に置", "を傘下に持", "を傘下に抱え", "を子会社に持"]
                .iter()
                .any(|p| rest.starts_with(p));
            if held {
                m.mark = Mark::None;
            } else if rest.starts_with("を通じ") || rest.starts_with("を通し") {
                m.mark = Mark::None;
                through.push(i);
            } else if matches!(m.mark, Mark::Of | Mark::None) && of_shares(&text[m.end..e]) {
                m.mark = Mark::Object;
            }
        }
        // A headline `A、Bを子会社化` / `A<1234>、Bと提携`: the company that opens
        // the sentence before a comma is its subject.
        let has_subject = mentions
            .iter()
            .any(|m| matches!(m.mark, Mark::Subject | Mark::Topic));
        // A disclosure title `A(6890) - B株式に対する公開買付け` opens the same way.
        let titled = mentions.first().is_some_and(|m| {
            let rest = skip_noise(&text[m.end..e]);
            rest.starts_with("- ") || rest.starts_with(':') || rest.starts_with("、")
        });
        if !has_subject && mentions.len() >= 2 && titled {
            let opening = text[s..mentions[0].start].trim_start_matches(|c: char| {
                c.is_whitespace() || BULLETS.contains(&c) || c == '・'
            });
            let next_marked = matches!(
                mentions[1].mark,
                Mark::Partner | Mark::Object | Mark::Dative | Mark::Of
            );
            let list_goes_on = ja_list_gap(&text[mentions[0].end..mentions[1].start])
                && matches!(mentions[1].mark, Mark::List);
            if opening.chars().count() <= 2 && next_marked && !list_goes_on {
                mentions[0].mark = Mark::Subject;
            }
        }
        // A list shares the mark of the company that ends it.
        for i in (0..mentions.len()).rev() {
            if mentions[i].mark == Mark::List {
                if let Some(next) = mentions.get(i + 1) {
                    let gap = &text[mentions[i].end..next.start];
                    if gap.chars().count() <= 4 || ja_list_gap(gap) {
                        mentions[i].mark = next.mark;
                    }
                }
            }
        }
        // …が出資するJERA / …と提携したQuantia: the company after a deal verb in a
        // relative clause is its object.
        for m in mentions.iter_mut() {
            let before = &text[s..m.start];
            let relative = ["する", "した", "している", "していた"]
                .iter()
                .any(|v| before.ends_with(v))
                && verbs
                    .iter()
                    .any(|v| v.end <= m.start && m.start - v.end <= "している".len());
            // A company with は after the clause is the main subject (see below).
            if relative && m.mark != Mark::Topic {
                m.mark = Mark::Object;
            }
        }
        let has_relative_object = mentions.iter().any(|m| m.mark == Mark::Object);
        // AとBが…: a partner right before a subject is a co-subject when an object follows.
        if has_relative_object {
            for i in 0..mentions.len().saturating_sub(1) {
                let gap = skip_noise(&text[mentions[i].end..mentions[i + 1].start]);
                if mentions[i].mark == Mark::Partner
                    && gap.chars().count() <= 2
                    && matches!(mentions[i + 1].mark, Mark::Subject | Mark::Topic)
                {
                    mentions[i].mark = mentions[i + 1].mark;
                }
            }
        }
        // `AとBが共同出資するCは、Dと…`: the が-clause before the topic is a relative
        // clause that describes C; A and B are partners of each other there
        // (joint owners), not parties of C's deal with D.
        let mut relative_owners: Vec<usize> = Vec::new();
        if let Some(t) = mentions.iter().position(|m| m.mark == Mark::Topic) {
            if let Some(g) = (0..t).rev().find(|&i| mentions[i].mark == Mark::Subject) {
                let clause = &text[mentions[g].end..mentions[t].start];
                let deal_in_clause = verbs
                    .iter()
                    .any(|v| v.start >= mentions[g].end && v.end <= mentions[t].start);
                let attributive = ["する", "した", "している", "していた"]
                    .iter()
                    .any(|w| clause.contains(w));
                if deal_in_clause && attributive && !clause.contains('、') {
                    relative_owners = (0..t)
                        .filter(|&i| matches!(mentions[i].mark, Mark::Subject | Mark::Partner))
                        .collect();
                }
            }
        }
        if relative_owners.len() >= 2 {
            for (k, &a) in relative_owners.iter().enumerate() {
                for &b in &relative_owners[k + 1..] {
                    pairs.push((a, b));
                }
            }
        }
        for &i in &relative_owners {
            mentions[i].mark = Mark::None;
        }
        let with = |marks: &[Mark]| -> Vec<usize> {
            (0..mentions.len())
                .filter(|&i| marks.contains(&mentions[i].mark))
                .collect()
        };
        let topics = with(&[Mark::Topic]);
        let ga = with(&[Mark::Subject]);
        let subjects = with(&[Mark::Subject, Mark::Topic]);
        let partners = with(&[Mark::Partner, Mark::Object, Mark::Dative]);
        let sources = with(&[Mark::Source]);
        if !verbs.is_empty() && recipient {
            // AはBをCに譲渡: C acquires B; AはCに事業を譲渡: C acquires A's business.
            let to = with(&[Mark::Dative]);
            let sold = with(&[Mark::Object]);
            for &c in &to {
                for &b in if sold.is_empty() { &subjects } else { &sold } {
                    pairs.push((c, b));
                }
            }
        } else if !verbs.is_empty() && !subjects.is_empty() && !partners.is_empty() {
            for &a in &subjects {
                for &b in &partners {
                    pairs.push((a, b));
                }
            }
            // AとB、Cの3社は提携: co-subjects listed before the subject are partners too.
            let first_subject = subjects[0];
            let group: Vec<usize> = partners
                .iter()
                .copied()
                .filter(|&p| p < first_subject)
                .collect();
            if !group.is_empty() && partners.iter().all(|&p| p < first_subject) {
                for (k, &a) in subjects.iter().enumerate() {
                    for &b in &subjects[k + 1..] {
                        pairs.push((a, b));
                    }
                }
            }
        } else if !verbs.is_empty() && !subjects.is_empty() && !sources.is_empty() {
            // AはBから出資を受けた: B is the investor; AはBから事業を取得: A acquires.
            let receives = text[s..e].contains("受け");
            for &a in &subjects {
                for &b in &sources {
                    pairs.push(if receives { (b, a) } else { (a, b) });
                }
            }
        } else if !verbs.is_empty() && partners.is_empty() && !topics.is_empty() && !ga.is_empty() {
            // AもBが協業する相手 / AはBが出資する企業: the topic is the other side.
            for &a in &topics {
                for &b in &ga {
                    pairs.push((b, a));
                }
            }
        } else if !verbs.is_empty() && subjects.len() >= 2 && partners.is_empty() && !directed {
            // A、B、Cの3社は経営統合: the members of one list are partners of each other.
            let listed = subjects.windows(2).all(|w| {
                w[1] == w[0] + 1 && ja_list_gap(&text[mentions[w[0]].end..mentions[w[1]].start])
            });
            if listed {
                for (k, &a) in subjects.iter().enumerate() {
                    for &b in &subjects[k + 1..] {
                        pairs.push((a, b));
                    }
                }
            }
        } else if !verbs.is_empty() && subjects.is_empty() && !partners.is_empty() {
            // AとBの提携 / AとBで: the company after the first partner is the other side.
            let first = partners[0];
            if let Some(next) = mentions.get(first + 1) {
                if mentions[first].mark == Mark::Partner && next.mark != Mark::None {
                    pairs.push((first, first + 1));
                }
            }
            if pairs.is_empty() && distinct.len() == 1 && mentions[first].mark == Mark::Partner {
                if let Some(h) = st.heading_company.filter(|h| *h != mentions[first].name) {
                    let b = &mentions[first];
                    let parties =
                        vec![party(h, None, None), party(b.name, b.country.clone(), None)];
                    out.push(make_record(
                        parties,
                        verb.clone(),
                        year,
                        year_source,
                        amount.clone(),
                        evidence.clone(),
                    ));
                }
            }
        } else if verbs.is_empty() && adoption {
            // Aが開発した…をBが導入 (provider A, adopter B), AはBの…を導入 (adopter A,
            // provider B); with no adopter in the sentence, the section heading's company.
            for (i, m) in mentions.iter().enumerate() {
                let rest = skip_noise(&text[m.end..e]);
                let provides = ["が開発", "の開発", "が提供", "の提供"]
                    .iter()
                    .any(|p| rest.starts_with(p));
                if provides {
                    match (i + 1..mentions.len())
                        .find(|&j| matches!(mentions[j].mark, Mark::Subject | Mark::Topic))
                    {
                        Some(j) => pairs.push((j, i)),
                        None if subjects.is_empty() => {
                            if let Some(h) = st.heading_company.filter(|h| *h != m.name) {
                                let parties = vec![
                                    party(h, None, None),
                                    party(m.name, m.country.clone(), None),
                                ];
                                let mut r = make_record(
                                    parties,
                                    None,
                                    year,
                                    year_source,
                                    amount.clone(),
                                    evidence.clone(),
                                );
                                r.kind = Some("adoption".into());
                                out.push(r);
                            }
                        }
                        None => {}
                    }
                } else if m.mark == Mark::Of {
                    if let Some(&a) = topics.iter().chain(&ga).find(|&&a| a < i) {
                        pairs.push((a, i));
                    }
                }
            }
        }
    }
    if st.headline {
        // `AとB` + `両社は業務提携を結んだ。`: the headline's two companies.
        pairs.clear();
        if distinct.len() == 2 {
            let b = mentions.iter().position(|m| m.name != mentions[0].name);
            pairs.extend(b.map(|b| (0, b)));
        }
    }
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for (a, b) in pairs {
        let (ma, mb) = (&mentions[a], &mentions[b]);
        if ma.name == mb.name || seen.contains(&(a.min(b), a.max(b))) {
            continue;
        }
        seen.push((a.min(b), a.max(b)));
        // Japanese puts the verb after its parties: the pair's term is the first
        // one after both (AとBが共同出資するCは…Dと合意: 共同出資 for A and B).
        let verb = if english || st.headline {
            verb.clone()
        } else {
            let after: Vec<&ByteEntity> = verbs
                .iter()
                .filter(|v| v.start >= ma.end.max(mb.end))
                .map(|v| **v)
                .collect();
            best_verb(text, &after).or_else(|| verb.clone())
        };
        // Adoption (no deal term) is directional too: adopter, provider.
        let role = if verbs.is_empty() {
            Some(("adopter", "provider"))
        } else {
            verb.as_ref().and_then(|v| st.deals.roles(&v.1))
        };
        // Symmetric deals list the companies in order of appearance.
        let (ma, mb) = if role.is_none() && mb.start < ma.start {
            (mb, ma)
        } else {
            (ma, mb)
        };
        let mut parties = vec![
            party(ma.name, ma.country.clone(), role.map(|r| r.0)),
            party(mb.name, mb.country.clone(), role.map(|r| r.1)),
        ];
        for &t in &through {
            let m = &mentions[t];
            if m.name != ma.name && m.name != mb.name {
                parties.push(party(m.name, m.country.clone(), Some("through")));
            }
        }
        let (verb, kind_override) = if verbs.is_empty() {
            (None, Some("adoption"))
        } else {
            (verb, None)
        };
        let mut r = make_record(
            parties,
            verb,
            year,
            year_source,
            amount.clone(),
            evidence.clone(),
        );
        r.companies.truncate(2);
        if let Some(k) = kind_override {
            r.kind = Some(k.to_string());
        }
        out.push(r);
    }
    out
}

fn pair_key(r: &Record) -> (String, String) {
    let (a, b) = (r.companies[0].clone(), r.companies[1].clone());
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn source_rank(s: Option<&str>) -> u8 {
    match s {
        Some("table") => 0,
        Some("sentence") => 1,
        Some("paragraph") => 2,
        Some("dateline") => 3,
        _ => 4,
    }
}

/// Merges records of the same unordered pair and relationship (kinds of one
/// group in `deal_kinds.tsv`, a bare agreement, or a capital alliance and its
/// investment), keeping all evidence and the kind listed first there: an
/// acquisition and an alliance of the same two companies stay two records.
/// The year comes from the best source (table, then sentence, then paragraph,
/// then dateline).
pub fn merge(records: Vec<Record>, deals: &Deals) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut index: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for r in records {
        let key = pair_key(&r);
        let found = index.get(&key).and_then(|v| {
            v.iter()
                .copied()
                .find(|&i| deals.same_relationship(out[i].kind.as_deref(), r.kind.as_deref()))
        });
        match found {
            Some(i) => {
                let kept = &mut out[i];
                if source_rank(r.year_source.as_deref()) < source_rank(kept.year_source.as_deref())
                {
                    kept.year = r.year;
                    kept.year_source = r.year_source.clone();
                }
                if kept.amount.is_none() {
                    kept.amount = r.amount.clone();
                }
                if deals.precedes(r.kind.as_deref(), kept.kind.as_deref()) {
                    kept.verb = r.verb.clone();
                    kept.kind = r.kind.clone();
                    kept.parties = r.parties.clone();
                    kept.companies = r.companies.clone();
                } else if kept.verb.is_none() {
                    kept.verb = r.verb.clone();
                    kept.kind = r.kind.clone();
                }
                for p in &r.parties {
                    if let Some(k) = kept.parties.iter_mut().find(|k| k.name == p.name) {
                        if k.role.is_none() {
                            k.role = p.role.clone();
                        }
                        if k.country.is_none() {
                            k.country = p.country.clone();
                        }
                    }
                }
                for ev in r.evidence {
                    if !kept.evidence.contains(&ev) {
                        kept.evidence.push(ev);
                    }
                }
            }
            None => {
                index.entry(key).or_default().push(out.len());
                out.push(r);
            }
        }
    }
    out
}
