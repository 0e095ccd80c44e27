//! `kiji eval`: precision, recall and F1 per entity type and for
//! partnerships, against a gold file in the format of `../shared/seeds/gold.json`
//! or the richer format of `../shared/dev/gold.json` (its extra fields are
//! optional, so a seeds file scores exactly as before).
//!
//! Every row counts `pred` (predicted items that count: distinct surfaces or
//! values, or records), `tp` (of those, the ones matching a gold item), `gold`
//! (gold items) and `found` (gold items matched by some prediction);
//! precision = tp / pred, recall = found / gold (1 when the denominator is 0).
//! A prediction that matches no gold item but matches an *optional* gold item
//! (`companies_optional`, `partnerships_optional`) under the same row's rule is
//! neutral: it is left out of `pred` (and counted in `neutral`); optional items
//! are never in `gold`.
//!
//! Matching rules:
//! - companies: distinct predicted surfaces against distinct gold surfaces
//!   (`companies`). Two names match when equal after normalization (HTML
//!   entities decoded as ingest decodes them, NFKC-style [`normalize`], spaces
//!   removed, lowercased), or when they stand for the
//!   same entity: gold's `company_canonical` (looked up by exact surface), the
//!   same alias cluster of `company_groups` (membership by normalized surface,
//!   also through a canonical name), kiji's gazetteer canonical, or the same
//!   name once a legal form is dropped (`Acme Co` and `Acme`, as canonical
//!   names are written). A predicted
//!   surface also matches through the canonical name kiji gave it. Recall stays
//!   per distinct gold surface, so one prediction finds every alias of its
//!   cluster (as `company_canonical` already did on the seeds);
//! - amounts: (value, currency) pairs; a range gives both ends (its `value`
//!   and its `max`), as the gold files list both;
//! - years: distinct years; the year of the front-matter `date` counts as found;
//!
//! The totals also have the amounts, companies, partnership-pair and years rows per language
//! (`amounts_ja`, `amounts_en`, `amounts_mixed`, `companies_en`, `years_ja` …), by the gold
//! file's `lang`, else the language kiji detected, so that Japanese and
//! English can be seen apart.
//! - verbs: distinct surfaces; a compound also yields the lexicon terms it
//!   contains (業務提携 → 業務提携, 提携), as in the gold annotation rules;
//! - partnerships: each kiji record (its first two companies) against each gold
//!   record; pairs are unordered and names match as companies do. Four rows:
//!   - `partnerships`: a record is right when its pair matches; a gold record is
//!     found when a record has its pair and, when gold gives a `year`, that
//!     year or one of `year_alt`;
//!   - `partnerships_pair`: the unordered pair only, both ways;
//!   - `partnerships_kind`: pair and kind group, both ways (see below; a gold
//!     record without `kind` needs the pair only, a kiji record without kind
//!     matches no kind);
//!   - `partnerships_year`: pair and year, both ways: the record's year (or its
//!     absence) equals gold's `year` (null included) or a value of `year_alt`
//!     (which may hold null).
//!
//! Kind groups (gold labels and kiji's record kinds): `alliance` for every
//! `*alliance` and `*partnership` label, `collaboration`, `mou`, `agreement`,
//! `strategic` and `joint_development`; `joint_venture` for `joint_venture` and
//! `joint_ownership` (two owners of a shared company); `equity` for
//! `acquisition`, `stake_acquisition`, `tender_offer` and `investment`;
//! `merger`; `adoption`. A free-text label (the seeds' 協業, 出資 (investment))
//! stands for the groups of the known labels written in it and of kiji's deal
//! terms found in it (協業 → collaboration → alliance); a label with none is
//! its own group.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::{Document, EntityKind};
use crate::error::{KijiError, Result};
use crate::extract::Extractor;
use crate::normalize::normalize;
use crate::pipeline::Pipeline;

/// Gold annotation of one file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldFile {
    /// Company surfaces.
    #[serde(default)]
    pub companies: Vec<String>,
    /// Borderline company surfaces, neither required nor penalised.
    #[serde(default)]
    pub companies_optional: Vec<String>,
    /// Alias clusters: surfaces of the same company.
    #[serde(default)]
    pub company_groups: Vec<Vec<String>>,
    /// Amounts.
    #[serde(default)]
    pub amounts: Vec<GoldAmount>,
    /// Years.
    #[serde(default)]
    pub years: Vec<i32>,
    /// Verb surfaces.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Partnerships.
    #[serde(default)]
    pub partnerships: Vec<GoldPartnership>,
    /// Borderline partnerships, neither required nor penalised.
    #[serde(default)]
    pub partnerships_optional: Vec<GoldPartnership>,
    /// Surface → canonical name.
    #[serde(default)]
    pub company_canonical: HashMap<String, String>,
    /// Language of the file (`ja`, `en`, `mixed`), when annotated.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A gold amount.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldAmount {
    /// Value in base units.
    pub value: f64,
    /// ISO currency.
    pub currency: String,
}

/// A gold partnership.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPartnership {
    /// One company.
    pub a: String,
    /// The other.
    pub b: String,
    /// Year, if stated.
    pub year: Option<i32>,
    /// Other years that also count (null: no year).
    #[serde(default)]
    pub year_alt: Vec<Option<i32>>,
    /// Relationship label (`joint_venture`, `business_alliance` ...).
    #[serde(default)]
    pub kind: Option<String>,
}

/// Scores of one type.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Score {
    /// True positives (predicted and matched).
    pub tp: usize,
    /// Predicted items that count (neutral ones left out).
    pub predicted: usize,
    /// Predicted items matching only an optional gold item (not in `predicted`).
    pub neutral: usize,
    /// Gold items.
    pub gold: usize,
    /// Gold items found.
    pub found: usize,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Score {
    /// Precision, recall, F1 and the counts as the columns of [`table`].
    pub fn columns(&self) -> String {
        format!(
            "{:>9.3} {:>9.3} {:>9.3} {:>6} {:>6} {:>6}",
            self.precision, self.recall, self.f1, self.predicted, self.gold, self.found
        )
    }

    /// Adds the counts of another score.
    pub fn add(&mut self, other: Score) {
        self.tp += other.tp;
        self.predicted += other.predicted;
        self.neutral += other.neutral;
        self.gold += other.gold;
        self.found += other.found;
        self.finish();
    }

    /// Computes precision, recall and F1 from the counts.
    pub fn finish(&mut self) {
        self.precision = if self.predicted == 0 {
            1.0
        } else {
            self.tp as f64 / self.predicted as f64
        };
        self.recall = if self.gold == 0 {
            1.0
        } else {
            self.found as f64 / self.gold as f64
        };
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
    }
}

/// Rows as a plain-text table: type, precision, recall, F1 and the counts.
pub fn table(rows: &BTreeMap<String, Score>) -> String {
    let mut out = format!("{:<23} {}\n", "type", column_names());
    for (t, s) in rows {
        out.push_str(&format!("{t:<23} {}\n", s.columns()));
    }
    out
}

/// The names of the columns of [`Score::columns`], aligned with them.
pub fn column_names() -> String {
    format!(
        "{:>9} {:>9} {:>9} {:>6} {:>6} {:>6}",
        "precision", "recall", "f1", "pred", "gold", "found"
    )
}

/// The evaluation report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Totals per type.
    pub totals: BTreeMap<String, Score>,
    /// Per file, per type.
    pub files: BTreeMap<String, BTreeMap<String, Score>>,
    /// Files of the gold set missing from the folder.
    pub missing: Vec<String>,
    /// Per file, its errors when listed ([`evaluate_listing`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, Vec<String>>,
}

/// An amount's value in hundredths, so that `12.75` and `12.75000001` match.
fn cents(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

/// A name's comparison key: HTML entities decoded (`McKinsey &amp; Company`
/// copied from a page's raw text, as ingest decodes it), normalized, spaces
/// removed, lowercased.
pub(crate) fn key(s: &str) -> String {
    let decoded = if s.contains('&') {
        html_escape::decode_html_entities(s)
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    normalize(&decoded).replace(' ', "").to_lowercase()
}

/// What a company name stands for: its normalized form, canonical names, alias clusters.
#[derive(Debug, PartialEq)]
enum Canon {
    Key(String),
    Group(usize),
}

struct Names<'a> {
    extractor: &'a Extractor,
    gold_canonical: &'a HashMap<String, String>,
    /// Normalized surface → the `company_groups` clusters holding it.
    groups: HashMap<String, Vec<usize>>,
    /// Canonical name kiji gave → the document's surfaces with that name (a
    /// record's company also matches through the surfaces it was written as).
    surfaces: HashMap<String, Vec<String>>,
}

impl<'a> Names<'a> {
    fn new(extractor: &'a Extractor, gold: &'a GoldFile) -> Self {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, g) in gold.company_groups.iter().enumerate() {
            for m in g {
                groups.entry(key(m)).or_default().push(i);
            }
        }
        Names {
            extractor,
            gold_canonical: &gold.company_canonical,
            groups,
            surfaces: HashMap::new(),
        }
    }

    /// Also matches a record's company through the surfaces `doc` wrote it as.
    fn with_document(mut self, doc: &Document) -> Self {
        for e in &doc.entities {
            if let EntityKind::Company { name, .. } = &e.kind {
                let v = self.surfaces.entry(name.clone()).or_default();
                if !v.contains(&e.text) {
                    v.push(e.text.clone());
                }
            }
        }
        self
    }

    /// Whether a record's company (a canonical name) is the gold company `g`.
    fn same_record_name(&self, p: &str, g: &str) -> bool {
        self.same(p, g)
            || self
                .surfaces
                .get(p)
                .is_some_and(|v| v.iter().any(|s| key(s) == key(g) || self.same(s, g)))
    }

    /// The canonical keys and clusters a surface stands for.
    fn canon(&self, s: &str) -> Vec<Canon> {
        let mut keys = vec![key(s)];
        // Canonical names drop the legal form: `Acme Co` and `Acme` are one name.
        let bare = self.extractor.companies.bare_name(s);
        if bare != s {
            keys.push(key(bare));
        }
        if let Some(c) = self.gold_canonical.get(s) {
            keys.push(key(c));
        }
        if let Some(e) = self.extractor.companies.lookup(&normalize(s)) {
            keys.push(key(&e.canonical));
        }
        let mut out: Vec<Canon> = keys
            .iter()
            .filter_map(|k| self.groups.get(k))
            .flatten()
            .map(|&i| Canon::Group(i))
            .collect();
        out.extend(keys.into_iter().map(Canon::Key));
        out
    }

    fn same(&self, a: &str, b: &str) -> bool {
        let ca = self.canon(a);
        self.canon(b).iter().any(|x| ca.contains(x))
    }
}

/// Scores predictions against gold: `hit` decides whether a prediction is
/// right (precision), `find` whether a gold item is found (recall); a
/// prediction that is not right but `hit`s an optional item is neutral.
fn score_with<P, G>(
    pred: &[P],
    gold: &[G],
    optional: &[G],
    hit: impl Fn(&P, &G) -> bool,
    find: impl Fn(&P, &G) -> bool,
) -> Score {
    let right = |p: &P| gold.iter().any(|g| hit(p, g));
    let tp = pred.iter().filter(|p| right(p)).count();
    let neutral = pred
        .iter()
        .filter(|p| !right(p) && optional.iter().any(|o| hit(p, o)))
        .count();
    let mut s = Score {
        tp,
        predicted: pred.len() - neutral,
        neutral,
        gold: gold.len(),
        found: gold
            .iter()
            .filter(|g| pred.iter().any(|p| find(p, g)))
            .count(),
        ..Score::default()
    };
    s.finish();
    s
}

fn score_sets<T, F: Fn(&T, &T) -> bool>(pred: &[T], gold: &[T], same: F) -> Score {
    score_with(pred, gold, &[], &same, &same)
}

fn distinct(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The kind group of a known label (gold's or kiji's), see the module doc.
fn label_group(label: &str) -> Option<&'static str> {
    let l = label.trim().to_ascii_lowercase();
    Some(match l.as_str() {
        "joint_venture" | "joint_ownership" => "joint_venture",
        "acquisition" | "stake_acquisition" | "tender_offer" | "investment" => "equity",
        "merger" => "merger",
        "adoption" => "adoption",
        "collaboration" | "mou" | "agreement" | "strategic" | "joint_development" => "alliance",
        _ if l.ends_with("alliance") || l.ends_with("partnership") => "alliance",
        _ => return None,
    })
}

/// The kind groups a label stands for: its own group when known, else the
/// groups of the known labels and deal terms written in it, else the label.
pub(crate) fn kind_groups(extractor: &Extractor, label: &str) -> Vec<String> {
    if let Some(g) = label_group(label) {
        return vec![g.to_string()];
    }
    let mut out: Vec<String> = label
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter_map(label_group)
        .map(str::to_string)
        .collect();
    out.extend(
        extractor
            .verbs
            .find(&normalize(label))
            .into_iter()
            .filter_map(|s| match s.kind {
                EntityKind::Verb { kind, .. } => label_group(&kind).map(str::to_string),
                _ => None,
            }),
    );
    if out.is_empty() {
        out.push(key(label));
    }
    out.sort();
    out.dedup();
    out
}

/// A partnership as scored: names, year, accepted other years, kind groups.
struct Pair {
    a: String,
    b: String,
    year: Option<i32>,
    year_alt: Vec<Option<i32>>,
    /// None: any kind (a gold record without `kind`).
    kinds: Option<Vec<String>>,
}

impl Pair {
    fn gold(extractor: &Extractor, p: &GoldPartnership) -> Self {
        Pair {
            a: p.a.clone(),
            b: p.b.clone(),
            year: p.year,
            year_alt: p.year_alt.clone(),
            kinds: p.kind.as_deref().map(|k| kind_groups(extractor, k)),
        }
    }

    /// A record of kiji's as scored (kind groups of its kind; none without one).
    fn predicted(extractor: &Extractor, r: &crate::document::Record) -> Self {
        Pair {
            a: r.companies[0].clone(),
            b: r.companies[1].clone(),
            year: r.year,
            year_alt: Vec::new(),
            kinds: Some(
                r.kind
                    .as_deref()
                    .map(|k| kind_groups(extractor, k))
                    .unwrap_or_default(),
            ),
        }
    }

    /// Whether a predicted record's year is gold's (a value of `year_alt` counts too).
    fn year_ok(&self, predicted: Option<i32>) -> bool {
        predicted == self.year || self.year_alt.contains(&predicted)
    }

    /// Whether a predicted record's kind groups meet gold's.
    fn kind_ok(&self, predicted: &Pair) -> bool {
        match &self.kinds {
            None => true,
            Some(gold) => predicted.kinds.iter().flatten().any(|k| gold.contains(k)),
        }
    }
}

/// Scores one document against its gold annotation.
pub fn score_document(
    pipeline: &Pipeline,
    doc: &Document,
    gold: &GoldFile,
) -> BTreeMap<String, Score> {
    score_with_extractor(pipeline.extractor(), doc, gold)
}

fn score_with_extractor(
    extractor: &Extractor,
    doc: &Document,
    gold: &GoldFile,
) -> BTreeMap<String, Score> {
    let names = Names::new(extractor, gold).with_document(doc);
    let mut out = BTreeMap::new();
    let companies = distinct(
        doc.entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Company { .. }))
            .map(|e| e.text.clone())
            .collect(),
    );
    let gold_companies = distinct(gold.companies.clone());
    let optional_companies = distinct(gold.companies_optional.clone());
    let company_keys = surface_names(doc);
    let same_company = |p: &String, g: &String| same_company(&names, &company_keys, p, g);
    out.insert(
        "companies".into(),
        score_with(
            &companies,
            &gold_companies,
            &optional_companies,
            same_company,
            same_company,
        ),
    );
    let amounts: Vec<(i64, String)> = {
        let mut v: Vec<(i64, String)> = doc
            .entities
            .iter()
            .filter_map(|e| match &e.kind {
                EntityKind::Amount {
                    value,
                    currency,
                    max,
                    ..
                } => Some(
                    std::iter::once(*value)
                        .chain(*max)
                        .map(|v| (cents(v), currency.clone())),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let gold_amounts: Vec<(i64, String)> = gold
        .amounts
        .iter()
        .map(|a| (cents(a.value), a.currency.clone()))
        .collect();
    out.insert(
        "amounts".into(),
        score_sets(&amounts, &gold_amounts, |a, b| a == b),
    );
    let mut years: HashSet<i32> = doc
        .entities
        .iter()
        .filter_map(|e| match e.kind {
            EntityKind::Year { year, .. } => Some(year),
            _ => None,
        })
        .collect();
    if let Some(y) = doc
        .meta
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
    {
        years.insert(y);
    }
    let mut years: Vec<i32> = years.into_iter().collect();
    years.sort();
    let mut gold_years = gold.years.clone();
    gold_years.sort();
    gold_years.dedup();
    out.insert(
        "years".into(),
        score_sets(&years, &gold_years, |a, b| a == b),
    );
    let verbs_ex = &extractor.verbs;
    let verbs = distinct(
        doc.entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Verb { .. }))
            .flat_map(|e| {
                let mut v = verbs_ex.contained_terms(&e.text);
                v.push(e.text.clone());
                v
            })
            .collect(),
    );
    out.insert(
        "verbs".into(),
        score_sets(&verbs, &distinct(gold.verbs.clone()), |a, b| {
            key(a) == key(b)
        }),
    );
    let pairs: Vec<Pair> = doc
        .records
        .iter()
        .map(|r| Pair::predicted(extractor, r))
        .collect();
    let gold_pairs: Vec<Pair> = gold
        .partnerships
        .iter()
        .map(|p| Pair::gold(extractor, p))
        .collect();
    let optional_pairs: Vec<Pair> = gold
        .partnerships_optional
        .iter()
        .map(|p| Pair::gold(extractor, p))
        .collect();
    let pair = |p: &Pair, g: &Pair| same_pair(&names, (&p.a, &p.b), (&g.a, &g.b));
    let year = |p: &Pair, g: &Pair| pair(p, g) && g.year_ok(p.year);
    let kind = |p: &Pair, g: &Pair| pair(p, g) && g.kind_ok(p);
    let score = |hit: &dyn Fn(&Pair, &Pair) -> bool, find: &dyn Fn(&Pair, &Pair) -> bool| {
        score_with(&pairs, &gold_pairs, &optional_pairs, hit, find)
    };
    // Precision counts a predicted pair right when the pair matches (year aside);
    // recall requires the year too when gold has one.
    out.insert(
        "partnerships".into(),
        score(&pair, &|p, g| {
            pair(p, g) && (g.year.is_none() || g.year_ok(p.year))
        }),
    );
    out.insert("partnerships_pair".into(), score(&pair, &pair));
    out.insert("partnerships_kind".into(), score(&kind, &kind));
    out.insert("partnerships_year".into(), score(&year, &year));
    out
}

/// Company surface (entity text) → its canonical name, first mention first.
fn surface_names(doc: &Document) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in &doc.entities {
        if let EntityKind::Company { name, .. } = &e.kind {
            out.entry(e.text.clone()).or_insert_with(|| name.clone());
        }
    }
    out
}

/// Whether a predicted company surface `p` is the gold company `g`.
fn same_company(names: &Names, surface_names: &HashMap<String, String>, p: &str, g: &str) -> bool {
    key(p) == key(g) || names.same(p, g) || surface_names.get(p).is_some_and(|n| names.same(n, g))
}

/// Whether the unordered pairs `p` and `g` are the same companies.
fn same_pair(names: &Names, p: (&str, &str), g: (&str, &str)) -> bool {
    let same = |a: &str, b: &str| names.same_record_name(a, b);
    (same(p.0, g.0) && same(p.1, g.1)) || (same(p.0, g.1) && same(p.1, g.0))
}

/// How a predicted pair stands against a document's gold partnerships, by
/// the matching rules of the partnership rows (used to label the records
/// model's training candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairLabel {
    /// The pair of a gold partnership (its index in `partnerships`).
    Gold(usize),
    /// Only the pair of an optional partnership: neither right nor wrong.
    Optional,
    /// No partnership of the gold file.
    No,
}

/// Labels predicted pairs of one document against its gold annotation.
pub struct PairJudge<'a> {
    names: Names<'a>,
    gold: &'a GoldFile,
}

impl<'a> PairJudge<'a> {
    /// A judge for one document's gold; a company of a pair also matches
    /// through the surfaces `doc` wrote it as (as in `kiji eval`).
    pub fn new(extractor: &'a Extractor, gold: &'a GoldFile, doc: &Document) -> Self {
        PairJudge {
            names: Names::new(extractor, gold).with_document(doc),
            gold,
        }
    }

    /// The label of the unordered pair `(a, b)` of canonical names.
    pub fn label(&self, a: &str, b: &str) -> PairLabel {
        if let Some(i) = self
            .gold
            .partnerships
            .iter()
            .position(|g| same_pair(&self.names, (a, b), (&g.a, &g.b)))
        {
            return PairLabel::Gold(i);
        }
        if self
            .gold
            .partnerships_optional
            .iter()
            .any(|g| same_pair(&self.names, (a, b), (&g.a, &g.b)))
        {
            return PairLabel::Optional;
        }
        PairLabel::No
    }

    /// Whether the unordered pair `(a, b)` is the pair of gold partnership `i`.
    pub fn is_pair_of(&self, a: &str, b: &str, i: usize) -> bool {
        self.gold
            .partnerships
            .get(i)
            .is_some_and(|g| same_pair(&self.names, (a, b), (&g.a, &g.b)))
    }

    /// Whether a predicted company name is the gold company `g`.
    pub fn same_company(&self, p: &str, g: &str) -> bool {
        key(p) == key(g) || self.names.same(p, g)
    }
}

/// Which of a document's predictions match its gold annotation, and which
/// gold items it misses, by the same rules as the scores (for `kiji show --gold`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Company surfaces (entity texts) that are a gold or optional company.
    pub companies: HashSet<String>,
    /// For each record, whether its pair is a gold or optional partnership.
    pub records: Vec<bool>,
    /// Gold companies that no entity is.
    pub missed_companies: Vec<String>,
    /// Gold partnerships (`a × b`) that no record has.
    pub missed_records: Vec<String>,
    /// Gold partnerships whose pair has records, none of the gold kind's group
    /// (`a × b: kiji's kinds (gold kind)`).
    pub wrong_kind: Vec<String>,
    /// Gold partnerships whose pair has records, none with the gold year
    /// (`a × b: kiji's years (gold year)`).
    pub wrong_year: Vec<String>,
}

impl Marks {
    /// The document's company surfaces that are no gold or optional company,
    /// sorted, each once.
    pub fn false_companies(&self, doc: &Document) -> Vec<String> {
        let mut out: Vec<String> = doc
            .entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Company { .. }))
            .map(|e| e.text.clone())
            .filter(|t| !self.companies.contains(t))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The errors of a document as text lines, for `kiji eval --show-errors`:
    /// companies missed and false, records of pairs gold does not have, pairs missed,
    /// right pairs of a wrong kind or year.
    pub fn listing(&self, doc: &Document) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(
            self.missed_companies
                .iter()
                .map(|c| format!("missed company {c}")),
        );
        out.extend(
            self.false_companies(doc)
                .iter()
                .map(|c| format!("false company {c}")),
        );
        let mut seen = HashSet::new();
        out.extend(
            doc.records
                .iter()
                .zip(&self.records)
                .filter(|(_, right)| !**right)
                .map(|(r, _)| format!("false record {} × {}", r.companies[0], r.companies[1]))
                .filter(|line| seen.insert(line.clone())),
        );
        out.extend(
            self.missed_records
                .iter()
                .map(|r| format!("missed record {r}")),
        );
        out.extend(self.wrong_kind.iter().map(|r| format!("wrong kind {r}")));
        out.extend(self.wrong_year.iter().map(|r| format!("wrong year {r}")));
        out
    }
}

/// [`Marks`] of one document against its gold annotation.
pub fn marks(pipeline: &Pipeline, doc: &Document, gold: &GoldFile) -> Marks {
    let names = Names::new(pipeline.extractor(), gold).with_document(doc);
    let surfaces = surface_names(doc);
    let gold_companies: Vec<&String> = gold
        .companies
        .iter()
        .chain(&gold.companies_optional)
        .collect();
    let companies: HashSet<String> = surfaces
        .keys()
        .filter(|p| {
            gold_companies
                .iter()
                .any(|g| same_company(&names, &surfaces, p, g))
        })
        .cloned()
        .collect();
    let missed_companies = gold
        .companies
        .iter()
        .filter(|g| {
            !surfaces
                .keys()
                .any(|p| same_company(&names, &surfaces, p, g))
        })
        .cloned()
        .collect();
    let records = doc
        .records
        .iter()
        .map(|r| {
            gold.partnerships
                .iter()
                .chain(&gold.partnerships_optional)
                .any(|g| same_pair(&names, (&r.companies[0], &r.companies[1]), (&g.a, &g.b)))
        })
        .collect();
    let missed_records = gold
        .partnerships
        .iter()
        .filter(|g| {
            !doc.records
                .iter()
                .any(|r| same_pair(&names, (&r.companies[0], &r.companies[1]), (&g.a, &g.b)))
        })
        .map(|g| format!("{} × {}", g.a, g.b))
        .collect();
    let extractor = pipeline.extractor();
    let (mut wrong_kind, mut wrong_year) = (Vec::new(), Vec::new());
    for g in &gold.partnerships {
        let found: Vec<&crate::document::Record> = doc
            .records
            .iter()
            .filter(|r| same_pair(&names, (&r.companies[0], &r.companies[1]), (&g.a, &g.b)))
            .collect();
        if found.is_empty() {
            continue;
        }
        let gold_pair = Pair::gold(extractor, g);
        let list = |f: &dyn Fn(&crate::document::Record) -> String| {
            found.iter().map(|r| f(r)).collect::<Vec<_>>().join(", ")
        };
        if !found
            .iter()
            .any(|r| gold_pair.kind_ok(&Pair::predicted(extractor, r)))
        {
            wrong_kind.push(format!(
                "{} × {}: {} (gold {})",
                g.a,
                g.b,
                list(&|r| r.kind.clone().unwrap_or_else(|| "none".into())),
                g.kind.as_deref().unwrap_or("any")
            ));
        }
        if !found.iter().any(|r| gold_pair.year_ok(r.year)) {
            let year = |y: Option<i32>| y.map_or_else(|| "none".to_string(), |y| y.to_string());
            wrong_year.push(format!(
                "{} × {}: {} (gold {})",
                g.a,
                g.b,
                list(&|r| format!(
                    "{} by {}",
                    year(r.year),
                    r.year_source.as_deref().unwrap_or("-")
                )),
                year(g.year)
            ));
        }
    }
    Marks {
        companies,
        records,
        missed_companies,
        missed_records,
        wrong_kind,
        wrong_year,
    }
}

/// Reads a gold file (file name → annotation).
pub fn read_gold(gold_path: &Path) -> Result<BTreeMap<String, GoldFile>> {
    let text = std::fs::read_to_string(gold_path).map_err(|e| KijiError::io(gold_path, e))?;
    serde_json::from_str(&text).map_err(|e| KijiError::BadFile {
        path: gold_path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The rows that the totals also give per language (`amounts_ja`, `companies_en`, `partnerships_pair_ja` …).
pub const LANG_ROWS: &[&str] = &["amounts", "companies", "partnerships_pair", "years"];

/// Adds a file's amounts, companies, partnership-pair and years rows to the per-language totals
/// (`amounts_ja` …): the gold file's `lang`, else the language kiji detected.
pub(crate) fn add_lang_rows(
    totals: &mut BTreeMap<String, Score>,
    gold: &GoldFile,
    doc: &Document,
    scores: &BTreeMap<String, Score>,
) {
    let lang = match gold.lang.as_deref() {
        Some(l) => l.to_string(),
        None => match doc.lang {
            crate::document::Lang::Ja => "ja".to_string(),
            crate::document::Lang::En => "en".to_string(),
            crate::document::Lang::Mixed => "mixed".to_string(),
        },
    };
    for row in LANG_ROWS {
        if let Some(s) = scores.get(*row) {
            totals.entry(format!("{row}_{lang}")).or_default().add(*s);
        }
    }
}

/// Runs the pipeline on every gold file found in `dir` and scores it.
pub fn evaluate(pipeline: &Pipeline, gold_path: &Path, dir: &Path) -> Result<Report> {
    evaluate_listing(pipeline, gold_path, dir, false)
}

/// [`evaluate`], with each file's errors ([`Marks::listing`]) in
/// [`Report::errors`] when `list_errors`.
pub fn evaluate_listing(
    pipeline: &Pipeline,
    gold_path: &Path,
    dir: &Path,
    list_errors: bool,
) -> Result<Report> {
    evaluate_each(pipeline, gold_path, dir, list_errors, &|_| Ok(None))
}

/// [`evaluate_listing`], with each file read by the pipeline `own` makes for
/// its gold annotation when it makes one (`kiji eval --unseen-companies`: a
/// gazetteer without the file's companies), else by `pipeline`.
pub fn evaluate_each(
    pipeline: &Pipeline,
    gold_path: &Path,
    dir: &Path,
    list_errors: bool,
    own: &dyn Fn(&GoldFile) -> Result<Option<Pipeline>>,
) -> Result<Report> {
    let gold = read_gold(gold_path)?;
    let mut report = Report::default();
    for (file, g) in &gold {
        let path = dir.join(file);
        if !path.is_file() {
            report.missing.push(file.clone());
            continue;
        }
        let input = crate::ingest::Input {
            id: file.clone(),
            format: crate::ingest::Format::of_path(&path),
            content: crate::ingest::Content::File(path),
        };
        let mine = own(g)?;
        let pipeline = mine.as_ref().unwrap_or(pipeline);
        let doc = pipeline.process(&input)?;
        let scores = score_document(pipeline, &doc, g);
        for (t, s) in &scores {
            report.totals.entry(t.clone()).or_default().add(*s);
        }
        add_lang_rows(&mut report.totals, g, &doc, &scores);
        if list_errors {
            let lines = marks(pipeline, &doc, g).listing(&doc);
            if !lines.is_empty() {
                report.errors.insert(file.clone(), lines);
            }
        }
        report.files.insert(file.clone(), scores);
    }
    Ok(report)
}

impl Report {
    /// A plain-text table of the totals.
    pub fn table(&self) -> String {
        let mut out = table(&self.totals);
        for m in &self.missing {
            out.push_str(&format!("missing: {m}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    //! Hand-written gold with invented companies (Zorblax, Nimbrel, Quillfen,
    //! Dravenko are not in the gazetteer).

    use std::sync::OnceLock;

    use super::*;
    use crate::document::{Entity, Record};
    use crate::lexicon::Lexicons;

    fn extractor() -> &'static Extractor {
        static E: OnceLock<Extractor> = OnceLock::new();
        E.get_or_init(|| Extractor::new(&Lexicons::bundled().unwrap()).unwrap())
    }

    fn gold(json: &str) -> GoldFile {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn gold_names_copied_with_html_entities_match_the_decoded_text() {
        assert_eq!(key("Zorblax &amp; Company"), key("Zorblax & Company"));
        assert_eq!(key("Ｎｉｍｂｒｅｌ Ltd"), key("nimbrel ltd"));
        assert_ne!(key("Zorblax &amp; Company"), key("Zorblax Company"));
    }

    /// A document whose companies are `companies` and whose records are
    /// `(a, b, year, kind)`.
    fn doc(companies: &[&str], records: &[(&str, &str, Option<i32>, Option<&str>)]) -> Document {
        let mut d = Document::empty("test");
        d.entities = companies
            .iter()
            .map(|c| Entity {
                kind: EntityKind::Company {
                    name: c.to_string(),
                    name_ja: None,
                    name_en: None,
                    country: None,
                    rule: "suffix".into(),
                },
                text: c.to_string(),
                start: 0,
                end: c.chars().count(),
                source_line: 1,
            })
            .collect();
        d.records = records
            .iter()
            .map(|(a, b, year, kind)| Record {
                record_type: "partnership".into(),
                companies: vec![a.to_string(), b.to_string()],
                parties: Vec::new(),
                kind: kind.map(str::to_string),
                verb: None,
                year: *year,
                year_source: None,
                amount: None,
                evidence: Vec::new(),
            })
            .collect();
        d
    }

    fn score(d: &Document, g: &GoldFile) -> BTreeMap<String, Score> {
        score_with_extractor(extractor(), d, g)
    }

    /// (tp, predicted, neutral, gold, found).
    fn counts(s: &Score) -> (usize, usize, usize, usize, usize) {
        (s.tp, s.predicted, s.neutral, s.gold, s.found)
    }

    #[test]
    fn seeds_format_reads_as_before() {
        let g = gold(
            r#"{"lang": "ja", "companies": ["Zorblax", "Nimbrel"],
                "amounts": [], "years": [2021], "verbs": [],
                "partnerships": [{"a": "Zorblax", "b": "Nimbrel", "year": 2021,
                                  "kind": "協業", "evidence": "...", "a_alt": "ZBX"}],
                "company_canonical": {"ZBX": "Zorblax"}, "notes": ""}"#,
        );
        let s = score(
            &doc(
                &["ZBX", "Dravenko"],
                &[("Nimbrel", "Zorblax", Some(2019), None)],
            ),
            &g,
        );
        assert_eq!(counts(&s["companies"]), (1, 2, 0, 2, 1));
        // Pair right for precision, wrong year for recall.
        assert_eq!(counts(&s["partnerships"]), (1, 1, 0, 1, 0));
        assert_eq!(counts(&s["partnerships_pair"]), (1, 1, 0, 1, 1));
        assert_eq!(counts(&s["partnerships_year"]), (0, 1, 0, 1, 0));
        // No kind on the record: no kind match.
        assert_eq!(counts(&s["partnerships_kind"]), (0, 1, 0, 1, 0));
    }

    #[test]
    fn a_range_gives_both_ends_and_rows_go_by_language() {
        let g = gold(
            r#"{"lang": "en", "amounts": [{"value": 100, "currency": "USD"},
                                                    {"value": 200, "currency": "USD"}]}"#,
        );
        let mut d = doc(&[], &[]);
        d.entities.push(Entity {
            kind: EntityKind::Amount {
                value: 100.0,
                currency: "USD".into(),
                qualifier: None,
                max: Some(200.0),
                per_unit: false,
                currency_source: Some("default".into()),
            },
            text: "$100-200".into(),
            start: 0,
            end: 8,
            source_line: 1,
        });
        let s = score(&d, &g);
        assert_eq!(counts(&s["amounts"]), (2, 2, 0, 2, 2));
        let mut totals = BTreeMap::new();
        add_lang_rows(&mut totals, &g, &d, &s);
        assert_eq!(counts(&totals["amounts_en"]), (2, 2, 0, 2, 2));
        assert!(totals.contains_key("years_en"));
        assert!(totals.contains_key("partnerships_pair_en"));
        assert!(!totals.contains_key("partnerships_kind_en"));
        // Without a gold `lang`, kiji's language names the row.
        add_lang_rows(&mut totals, &gold("{}"), &d, &s);
        assert!(totals.contains_key("amounts_ja"));
    }

    #[test]
    fn optional_companies_are_neutral() {
        let g = gold(
            r#"{"companies": ["Zorblax Holdings"],
                "companies_optional": ["Quillfen Media"],
                "company_groups": [["Zorblax Holdings"], ["Quillfen Media", "Quillfen"]]}"#,
        );
        // Quillfen matches the optional surface through its group; Nimbrel is a false positive.
        let s = score(&doc(&["Zorblax Holdings", "Quillfen", "Nimbrel"], &[]), &g);
        assert_eq!(counts(&s["companies"]), (1, 2, 1, 1, 1));
        assert_eq!(s["companies"].precision, 0.5);
        assert_eq!(s["companies"].recall, 1.0);
        // Optional surfaces are never gold items to find.
        let s = score(&doc(&["Zorblax Holdings"], &[]), &g);
        assert_eq!(counts(&s["companies"]), (1, 1, 0, 1, 1));
        // A normalized match (full-width, case) is neutral too.
        let s = score(&doc(&["ＱＵＩＬＬＦＥＮ Media"], &[]), &g);
        assert_eq!(counts(&s["companies"]), (0, 0, 1, 1, 0));
    }

    #[test]
    fn optional_partnerships_are_neutral() {
        let g = gold(
            r#"{"partnerships": [{"a": "Zorblax", "b": "Nimbrel", "year": null, "kind": "merger"}],
                "partnerships_optional": [{"a": "Zorblax", "b": "Quillfen", "year": 2020,
                                           "kind": "investment"}]}"#,
        );
        let d = doc(
            &[],
            &[
                ("Zorblax", "Nimbrel", None, Some("merger")),
                ("Quillfen", "Zorblax", Some(2020), Some("investment")),
                ("Dravenko", "Zorblax", None, Some("merger")),
            ],
        );
        let s = score(&d, &g);
        for row in [
            "partnerships",
            "partnerships_pair",
            "partnerships_kind",
            "partnerships_year",
        ] {
            assert_eq!(counts(&s[row]), (1, 2, 1, 1, 1), "{row}");
        }
        // Neutral only under the row's own rule: the wrong year makes it a false positive there.
        let d = doc(
            &[],
            &[("Quillfen", "Zorblax", Some(2018), Some("investment"))],
        );
        let s = score(&d, &g);
        assert_eq!(counts(&s["partnerships_pair"]), (0, 0, 1, 1, 0));
        assert_eq!(counts(&s["partnerships_year"]), (0, 1, 0, 1, 0));
    }

    #[test]
    fn group_aliases_match() {
        let g = gold(
            r#"{"companies": ["ゾルブラックス", "Zorblax Holdings", "ZBX", "Nimbrel"],
                "company_groups": [["ゾルブラックス", "Zorblax Holdings", "ZBX"], ["Nimbrel"]],
                "partnerships": [{"a": "ゾルブラックス", "b": "Nimbrel", "year": 2021,
                                  "kind": "business_alliance"}]}"#,
        );
        // One alias finds every gold surface of its cluster (recall per gold surface).
        let d = doc(
            &["zbx"],
            &[("Nimbrel", "Zorblax Holdings", Some(2021), Some("strategic"))],
        );
        let s = score(&d, &g);
        assert_eq!(counts(&s["companies"]), (1, 1, 0, 4, 3));
        for row in [
            "partnerships",
            "partnerships_pair",
            "partnerships_kind",
            "partnerships_year",
        ] {
            assert_eq!(counts(&s[row]), (1, 1, 0, 1, 1), "{row}");
        }
        // Without the clusters only the normalized surface matches.
        let mut plain = g.clone();
        plain.company_groups.clear();
        let s = score(&d, &plain);
        assert_eq!(counts(&s["companies"]), (1, 1, 0, 4, 1));
        assert_eq!(counts(&s["partnerships_pair"]), (0, 1, 0, 1, 0));
        // A canonical name bridges into a cluster too.
        let mut canon = g.clone();
        canon.company_groups = vec![vec!["Zorblax Holdings".into(), "ZBX".into()]];
        canon
            .company_canonical
            .insert("ゾルブラックス".into(), "ZBX".into());
        let s = score(&doc(&["Zorblax Holdings"], &[]), &canon);
        assert_eq!(counts(&s["companies"]), (1, 1, 0, 4, 3));
    }

    #[test]
    fn a_name_matches_its_form_without_the_legal_form() {
        let g = gold(
            r#"{"companies": ["Quillfen Appliance Co", "Zorblax Corp", "株式会社ニンブレル"],
                "partnerships": [{"a": "Quillfen Appliance Co", "b": "Zorblax Corp"}]}"#,
        );
        // Canonical names drop the legal form; surfaces may keep it or its period.
        let d = doc(
            &["Zorblax Corp.", "ニンブレル"],
            &[("Quillfen Appliance", "Zorblax", None, None)],
        );
        let s = score(&d, &g);
        assert_eq!(counts(&s["companies"]), (2, 2, 0, 3, 2));
        assert_eq!(counts(&s["partnerships_pair"]), (1, 1, 0, 1, 1));
        // A different name is still a different name.
        let s = score(&doc(&["Zorblax Motors"], &[]), &g);
        assert_eq!(counts(&s["companies"]), (0, 1, 0, 3, 0));
    }

    #[test]
    fn year_alt_counts_for_the_year() {
        let g = gold(
            r#"{"partnerships": [
                  {"a": "Zorblax", "b": "Nimbrel", "year": 2021, "year_alt": [null]},
                  {"a": "Zorblax", "b": "Quillfen", "year": null, "year_alt": [2020]},
                  {"a": "Dravenko", "b": "Quillfen", "year": 2019}]}"#,
        );
        let d = doc(
            &[],
            &[
                ("Nimbrel", "Zorblax", None, None),
                ("Quillfen", "Zorblax", Some(2020), None),
                ("Dravenko", "Quillfen", Some(2018), None),
            ],
        );
        let s = score(&d, &g);
        // Pair + year: the first two through year_alt, the third has the wrong year.
        assert_eq!(counts(&s["partnerships_year"]), (2, 3, 0, 3, 2));
        // The original row: precision by pair; recall needs gold's year (or a year_alt).
        assert_eq!(counts(&s["partnerships"]), (3, 3, 0, 3, 2));
        assert_eq!(counts(&s["partnerships_pair"]), (3, 3, 0, 3, 3));
        // Gold year null without year_alt: only a record without a year has the year.
        let g = gold(r#"{"partnerships": [{"a": "Zorblax", "b": "Nimbrel", "year": null}]}"#);
        let s = score(&doc(&[], &[("Zorblax", "Nimbrel", Some(2020), None)]), &g);
        assert_eq!(counts(&s["partnerships"]), (1, 1, 0, 1, 1));
        assert_eq!(counts(&s["partnerships_year"]), (0, 1, 0, 1, 0));
        let s = score(&doc(&[], &[("Zorblax", "Nimbrel", None, None)]), &g);
        assert_eq!(counts(&s["partnerships_year"]), (1, 1, 0, 1, 1));
    }

    #[test]
    fn kinds_match_by_group() {
        let g = gold(
            r#"{"partnerships": [
                  {"a": "Zorblax", "b": "Nimbrel", "year": null, "kind": "capital_business_alliance"},
                  {"a": "Zorblax", "b": "Quillfen", "year": null, "kind": "tender_offer"},
                  {"a": "Nimbrel", "b": "Quillfen", "year": null, "kind": "joint_ownership"},
                  {"a": "Zorblax", "b": "Dravenko", "year": null, "kind": "merger"},
                  {"a": "Nimbrel", "b": "Dravenko", "year": null}]}"#,
        );
        let d = doc(
            &[],
            &[
                ("Nimbrel", "Zorblax", None, Some("strategic")),
                ("Zorblax", "Quillfen", None, Some("acquisition")),
                ("Quillfen", "Nimbrel", None, Some("joint_venture")),
                ("Zorblax", "Dravenko", None, Some("investment")),
                ("Dravenko", "Nimbrel", None, Some("collaboration")),
            ],
        );
        let s = score(&d, &g);
        // All but the merger predicted as an investment (a gold record without kind: pair only).
        assert_eq!(counts(&s["partnerships_kind"]), (4, 5, 0, 5, 4));
        assert_eq!(counts(&s["partnerships_pair"]), (5, 5, 0, 5, 5));
    }

    #[test]
    fn kind_groups_of_labels() {
        let e = extractor();
        let groups = |l: &str| kind_groups(e, l);
        for l in [
            "business_alliance",
            "capital_business_alliance",
            "capital_business_alliance",
            "strategic_partnership",
            "collaboration",
            "mou",
            "agreement",
            "strategic",
            "joint_development",
        ] {
            assert_eq!(groups(l), ["alliance"], "{l}");
        }
        for l in [
            "acquisition",
            "stake_acquisition",
            "tender_offer",
            "investment",
        ] {
            assert_eq!(groups(l), ["equity"], "{l}");
        }
        assert_eq!(groups("joint_venture"), ["joint_venture"]);
        assert_eq!(groups("joint_ownership"), ["joint_venture"]);
        assert_eq!(groups("merger"), ["merger"]);
        // Free-text labels: through the known labels and deal terms written in them.
        assert_eq!(groups("協業"), ["alliance"]);
        assert_eq!(groups("出資 (investment)"), ["equity"]);
        assert_eq!(groups("導入 (adoption)"), ["adoption"]);
        assert_eq!(groups("CVC投資・業務提携"), ["alliance", "equity"]);
        assert_eq!(groups("未知の関係"), ["未知の関係"]);
    }
}
