//! `kiji eval`: precision, recall and F1 per entity type and for
//! partnerships, against a gold file in the format of `../shared/seeds/gold.json`.
//!
//! Matching rules:
//! - companies: distinct surfaces, compared after normalization; a surface
//!   also matches any surface of the same canonical entity (gold's
//!   `company_canonical`, or kiji's gazetteer);
//! - amounts: (value, currency) pairs;
//! - years: distinct years; the year of the front-matter `date` counts as found;
//! - verbs: distinct surfaces; a compound also yields the lexicon terms it
//!   contains (業務提携 → 業務提携, 提携), as in the gold annotation rules;
//! - partnerships: unordered company pairs (names matched as companies are), and
//!   the year too when gold gives one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::{Document, EntityKind};
use crate::error::{KijiError, Result};
use crate::normalize::normalize;
use crate::pipeline::Pipeline;

/// Gold annotation of one file.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldFile {
    /// Company surfaces.
    #[serde(default)]
    pub companies: Vec<String>,
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
    /// Surface → canonical name.
    #[serde(default)]
    pub company_canonical: HashMap<String, String>,
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
}

/// Scores of one type.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Score {
    /// True positives (predicted and matched).
    pub tp: usize,
    /// Predicted items.
    pub predicted: usize,
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
    fn add(&mut self, other: Score) {
        self.tp += other.tp;
        self.predicted += other.predicted;
        self.gold += other.gold;
        self.found += other.found;
        self.finish();
    }

    fn finish(&mut self) {
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

/// The evaluation report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Totals per type.
    pub totals: BTreeMap<String, Score>,
    /// Per file, per type.
    pub files: BTreeMap<String, BTreeMap<String, Score>>,
    /// Files of the gold set missing from the folder.
    pub missing: Vec<String>,
}

fn key(s: &str) -> String {
    normalize(s).replace(' ', "").to_lowercase()
}

struct Names<'a> {
    pipeline: &'a Pipeline,
    gold_canonical: HashMap<String, String>,
}

impl Names<'_> {
    /// The canonical keys a surface stands for.
    fn canon(&self, s: &str) -> Vec<String> {
        let mut out = vec![key(s)];
        if let Some(c) = self.gold_canonical.get(s) {
            out.push(key(c));
        }
        if let Some(e) = self.pipeline.extractor().companies.lookup(&normalize(s)) {
            out.push(key(&e.canonical));
        }
        out
    }

    fn same(&self, a: &str, b: &str) -> bool {
        let ca = self.canon(a);
        self.canon(b).iter().any(|x| ca.contains(x))
    }
}

fn score_sets<T, F: Fn(&T, &T) -> bool>(pred: &[T], gold: &[T], same: F) -> Score {
    let mut s = Score {
        predicted: pred.len(),
        gold: gold.len(),
        tp: pred
            .iter()
            .filter(|p| gold.iter().any(|g| same(p, g)))
            .count(),
        found: gold
            .iter()
            .filter(|g| pred.iter().any(|p| same(p, g)))
            .count(),
        ..Score::default()
    };
    s.finish();
    s
}

fn distinct(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Scores one document against its gold annotation.
pub fn score_document(
    pipeline: &Pipeline,
    doc: &Document,
    gold: &GoldFile,
) -> BTreeMap<String, Score> {
    let names = Names {
        pipeline,
        gold_canonical: gold.company_canonical.clone(),
    };
    let mut out = BTreeMap::new();
    let companies = distinct(
        doc.entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Company { .. }))
            .map(|e| e.text.clone())
            .collect(),
    );
    let gold_companies = distinct(gold.companies.clone());
    let company_keys: HashMap<&String, String> = companies
        .iter()
        .map(|c| {
            let name = doc
                .entities
                .iter()
                .find_map(|e| match &e.kind {
                    EntityKind::Company { name, .. } if &e.text == c => Some(name.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            (c, name)
        })
        .collect();
    out.insert(
        "companies".into(),
        score_sets(&companies, &gold_companies, |p, g| {
            key(p) == key(g)
                || names.same(p, g)
                || company_keys.get(p).is_some_and(|n| names.same(n, g))
        }),
    );
    let amounts: Vec<(i64, String)> = {
        let mut v: Vec<(i64, String)> = doc
            .entities
            .iter()
            .filter_map(|e| match &e.kind {
                EntityKind::Amount {
                    value, currency, ..
                } => Some((*value as i64, currency.clone())),
                _ => None,
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let gold_amounts: Vec<(i64, String)> = gold
        .amounts
        .iter()
        .map(|a| (a.value as i64, a.currency.clone()))
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
    let verbs_ex = &pipeline.extractor().verbs;
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
    let pairs: Vec<(String, String, Option<i32>)> = doc
        .records
        .iter()
        .map(|r| (r.companies[0].clone(), r.companies[1].clone(), r.year))
        .collect();
    let gold_pairs: Vec<(String, String, Option<i32>)> = gold
        .partnerships
        .iter()
        .map(|p| (p.a.clone(), p.b.clone(), p.year))
        .collect();
    let same_pair = |p: &(String, String, Option<i32>), g: &(String, String, Option<i32>)| {
        let (pa, pb) = (&p.0, &p.1);
        let (ga, gb) = (&g.0, &g.1);
        let pair = (names.same(pa, ga) && names.same(pb, gb))
            || (names.same(pa, gb) && names.same(pb, ga));
        let year_ok = match (g.2, p.2) {
            (Some(gy), py) => py == Some(gy) || g.2.is_none(),
            (None, _) => true,
        };
        pair && year_ok
    };
    // Precision counts a predicted pair right when the pair matches (year aside);
    // recall requires the year too when gold has one.
    let mut s = score_sets(&pairs, &gold_pairs, |p, g| {
        let (pa, pb, ga, gb) = (&p.0, &p.1, &g.0, &g.1);
        (names.same(pa, ga) && names.same(pb, gb)) || (names.same(pa, gb) && names.same(pb, ga))
    });
    s.found = gold_pairs
        .iter()
        .filter(|g| pairs.iter().any(|p| same_pair(p, g)))
        .count();
    s.finish();
    out.insert("partnerships".into(), s);
    out
}

/// Runs the pipeline on every gold file found in `dir` and scores it.
pub fn evaluate(pipeline: &Pipeline, gold_path: &Path, dir: &Path) -> Result<Report> {
    let text = std::fs::read_to_string(gold_path).map_err(|e| KijiError::io(gold_path, e))?;
    let gold: BTreeMap<String, GoldFile> =
        serde_json::from_str(&text).map_err(|e| KijiError::BadFile {
            path: gold_path.to_path_buf(),
            message: e.to_string(),
        })?;
    let mut report = Report::default();
    for (file, g) in &gold {
        let path = dir.join(file);
        if !path.is_file() {
            report.missing.push(file.clone());
            continue;
        }
        let input = crate::ingest::Input {
            id: file.clone(),
            format: crate::ingest::Format::from_extension(
                &path
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("txt")
                    .to_ascii_lowercase(),
            )
            .unwrap_or(crate::ingest::Format::Text),
            content: crate::ingest::Content::File(path),
        };
        let doc = pipeline.process(&input)?;
        let scores = score_document(pipeline, &doc, g);
        for (t, s) in &scores {
            report.totals.entry(t.clone()).or_default().add(*s);
        }
        report.files.insert(file.clone(), scores);
    }
    Ok(report)
}

impl Report {
    /// A plain-text table of the totals.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<14} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6}\n",
            "type", "precision", "recall", "f1", "pred", "gold", "found"
        );
        for (t, s) in &self.totals {
            out.push_str(&format!(
                "{:<14} {:>9.3} {:>9.3} {:>9.3} {:>6} {:>6} {:>6}\n",
                t, s.precision, s.recall, s.f1, s.predicted, s.gold, s.found
            ));
        }
        for m in &self.missing {
            out.push_str(&format!("missing: {m}\n"));
        }
        out
    }
}
