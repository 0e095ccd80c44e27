//! Training the records model (`kiji train records`): labelled candidates
//! from annotated articles, k-fold cross-validation to choose the settings and
//! the threshold, the final fit, and error listings of cross-validated
//! predictions.
//!
//! Data: gold files in the format of `../shared/news/train/gold.json` with
//! their article folders. Each candidate of an article is labelled by the
//! matching rules of `kiji eval`'s partnership rows ([`crate::eval::PairJudge`]):
//! the pair of a gold partnership is positive, the pair of an optional one is
//! left out, every other pair is negative. The learner is CRFsuite's L-BFGS
//! (the `crfs` crate) on one-item sequences with two labels, which is
//! L1/L2-regularised logistic regression; the weights are exported as
//! `weight(record) − weight(not)` per feature ([`super::model`]).
//!
//! Folds are fixed by position in the sorted list of articles (`i % k`), so
//! every run sees the same split. Nothing here reads `news/dev`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::candidates::Candidates;
use super::kinds::KindModel;
use super::model::RecordModel;
use super::Deals;
use crate::document::{Document, EntityKind};
use crate::error::{KijiError, Result};
use crate::eval::{self, GoldFile, PairJudge, PairLabel, Score};
use crate::pipeline::Pipeline;

/// Label names of the one-item sequences.
const YES: &str = "1";
const NO: &str = "0";

/// A gold file and the folder of its articles.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Short name used in reports (`news/train`).
    pub name: String,
    /// The gold file.
    pub gold: PathBuf,
    /// The articles.
    pub dir: PathBuf,
}

/// A corpus of `../shared` or of the project by its name, gold file and folder.
fn corpus(name: &str, gold: &str, dir: &str) -> Corpus {
    Corpus {
        name: name.into(),
        gold: gold.into(),
        dir: dir.into(),
    }
}

/// The default corpora of `kiji train` and `kiji train records` (`--corpus`
/// absent): news/train, the older dev set and the seeds of `../shared`, and
/// the project's first round of invented articles (`corpus/train`). The
/// English company model is trained on [`english_corpora`].
///
/// The second round (`corpus/train2`) is left out of both: with it, the
/// ner-wikipedia test split (kiji's extractor) fell 0.671 → 0.644, and the
/// records model's cross-validated news/train pairs 0.692 → 0.680 (README,
/// "Fifteenth session").
pub fn default_corpora() -> Vec<Corpus> {
    vec![
        corpus(
            "news/train",
            "../shared/news/train/gold.json",
            "../shared/news/train/articles",
        ),
        corpus("dev", "../shared/dev/gold.json", "../shared/dev/articles"),
        corpus("seeds", "../shared/seeds/gold.json", "../shared/seeds"),
        corpus(
            "invented",
            "corpus/train/gold.json",
            "corpus/train/articles",
        ),
    ]
}

/// The corpora the English company model is trained on: news/train (the one
/// `kiji train companies-en --cross-validate` scores) and both rounds of
/// invented articles (`corpus/train`, `corpus/train2`).
pub fn english_corpora() -> Vec<Corpus> {
    let mut out: Vec<Corpus> = default_corpora()
        .into_iter()
        .filter(|c| c.name == "news/train" || c.name == "invented")
        .collect();
    out.push(corpus(
        "invented2",
        "corpus/train2/gold.json",
        "corpus/train2/articles",
    ));
    out
}

/// The corpora `kiji train records` validates its settings on (`--validate`
/// absent): the project's second and third rounds of invented articles
/// (`corpus/train2`, `corpus/train3`), which the records model never trains
/// on. Each setting's model fitted on all the training corpora reads them,
/// and their pair rows count beside the cross-validated ones in choosing the
/// setting: settings that tie in cross-validation (they often do to three
/// decimals) are told apart by text no fold of theirs saw.
pub fn validation_corpora() -> Vec<Corpus> {
    vec![
        corpus(
            "invented2",
            "corpus/train2/gold.json",
            "corpus/train2/articles",
        ),
        corpus(
            "invented3",
            "corpus/train3/gold.json",
            "corpus/train3/articles",
        ),
    ]
}

/// One annotated article with its candidates and their labels.
#[derive(Debug, Clone)]
pub struct Example {
    /// Index of its corpus.
    pub corpus: usize,
    /// File name (the gold key).
    pub file: String,
    /// The document as kiji processes it.
    pub doc: Document,
    /// Its candidates.
    pub candidates: Candidates,
    /// One label per candidate.
    pub labels: Vec<PairLabel>,
    /// Per candidate, the kind groups ([`super::kinds::GROUPS`]) of the gold
    /// partnerships of its pair (empty for a pair of none).
    pub kinds: Vec<Vec<String>>,
    /// Its gold annotation.
    pub gold: GoldFile,
}

/// Learner settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// L1 regularisation.
    pub c1: f64,
    /// L2 regularisation.
    pub c2: f64,
    /// Maximum L-BFGS iterations.
    pub iterations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            c1: 0.0,
            c2: 1.0,
            iterations: 300,
        }
    }
}

/// Reads every article of the corpora that its gold file names, processes it
/// and labels its candidates. Articles are processed in parallel; the order
/// of the result is the corpora's, then the file names'.
pub fn load(pipeline: &Pipeline, corpora: &[Corpus]) -> Result<Vec<Example>> {
    load_with(&|_, _| pipeline, corpora)
}

/// The pipeline that processes an article: by its corpus' position and its
/// file name (a company model trained without that article, say).
pub type PipelineOf<'p> = dyn Fn(usize, &str) -> &'p Pipeline + Sync + 'p;

/// [`load`], each article processed by the pipeline `pick` gives it.
pub fn load_with<'p>(pick: &PipelineOf<'p>, corpora: &[Corpus]) -> Result<Vec<Example>> {
    let mut jobs: Vec<(usize, String, GoldFile, PathBuf)> = Vec::new();
    for (i, c) in corpora.iter().enumerate() {
        for (file, g) in eval::read_gold(&c.gold)? {
            let path = c.dir.join(&file);
            if path.is_file() {
                jobs.push((i, file, g, path));
            }
        }
    }
    jobs.into_par_iter()
        .map(|(corpus, file, gold, path)| {
            let input = crate::ingest::Input {
                id: file.clone(),
                format: crate::ingest::Format::of_path(&path),
                content: crate::ingest::Content::File(path),
            };
            let pipeline = pick(corpus, &file);
            // The documents' records are decided again (`rows`) with the
            // fold models' kinds, never the bundled model's, which saw them.
            let (doc, candidates) = pipeline.process_with_candidates(&input)?;
            let judge = PairJudge::new(pipeline.extractor(), &gold, &doc);
            let labels = candidates
                .list
                .iter()
                .map(|c| judge.label(&c.record.companies[0], &c.record.companies[1]))
                .collect();
            let extractor = pipeline.extractor();
            let kinds = candidates
                .list
                .iter()
                .map(|c| {
                    let (a, b) = (&c.record.companies[0], &c.record.companies[1]);
                    let mut groups: Vec<String> = gold
                        .partnerships
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| judge.is_pair_of(a, b, *i))
                        .filter_map(|(_, g)| g.kind.as_deref())
                        .flat_map(|k| eval::kind_groups(extractor, k))
                        .filter(|g| super::kinds::GROUPS.iter().any(|x| x.0 == g))
                        .collect();
                    groups.sort();
                    groups.dedup();
                    groups
                })
                .collect();
            Ok(Example {
                corpus,
                file,
                doc,
                candidates,
                labels,
                kinds,
                gold,
            })
        })
        .collect()
}

/// Fits a model on the candidates of `examples` (threshold 0.5).
pub fn fit(examples: &[&Example], settings: Settings) -> Result<RecordModel> {
    let items = examples.iter().flat_map(|ex| {
        ex.candidates
            .list
            .iter()
            .zip(&ex.labels)
            .filter_map(|(c, label)| {
                let y = match label {
                    PairLabel::Gold(_) => YES,
                    PairLabel::No => NO,
                    PairLabel::Optional => return None,
                };
                Some((c, y))
            })
    });
    let (weights, path) = train_items(settings, items, "no labelled candidates to train on")?;
    let mut out: HashMap<String, f64> = HashMap::new();
    for (attribute, label, w) in weights {
        // `weight(YES) − weight(NO)` of every attribute.
        let sign = match label.as_str() {
            YES => 1.0,
            NO => -1.0,
            other => {
                return Err(KijiError::BadFile {
                    path,
                    message: format!("unknown label {other}"),
                })
            }
        };
        *out.entry(attribute).or_default() += sign * w;
    }
    Ok(RecordModel::new(out, 0.5))
}

/// Trains CRFsuite's L-BFGS (the `crfs` crate) on one-item sequences, a
/// candidate's feature names and a label each (`empty`: the message when
/// there are none), and returns every (attribute, label, weight) of the
/// model's state features with the temporary model's path (for messages).
fn train_items<'a>(
    settings: Settings,
    items: impl Iterator<Item = (&'a super::Candidate, &'a str)>,
    empty: &str,
) -> Result<(StateWeights, PathBuf)> {
    let tmp = tempfile::tempdir().map_err(|e| KijiError::io(Path::new("tempdir"), e))?;
    let path = tmp.path().join("records.crfsuite");
    let io = |e: std::io::Error| KijiError::io(&path, e);
    let options = crate::train::TrainOptions {
        c1: settings.c1,
        c2: settings.c2,
        max_iterations: settings.iterations,
        // Every feature counts (CRFsuite's default).
        min_freq: 0.0,
        ..Default::default()
    };
    let mut trainer = crate::train::lbfgs_trainer(options, false, &path)?;
    let mut count = 0;
    for (c, y) in items {
        let x: Vec<crfs::Attribute> = c
            .features
            .names
            .iter()
            .map(|f| crfs::Attribute::new(f.as_str(), 1.0))
            .collect();
        trainer.append(&[x], &[y]).map_err(io)?;
        count += 1;
    }
    if count == 0 {
        return Err(KijiError::BadFile {
            path: path.clone(),
            message: empty.into(),
        });
    }
    trainer.train(&path).map_err(io)?;
    let bytes = std::fs::read(&path).map_err(io)?;
    let weights = state_weights(&bytes).map_err(|message| KijiError::BadFile {
        path: path.clone(),
        message,
    })?;
    Ok((weights, path))
}

/// (attribute, label, weight) of a CRFsuite model's state features.
type StateWeights = Vec<(String, String, f64)>;

/// Every (attribute, label, weight) of a trained CRFsuite model's state
/// features, read through its public dump.
fn state_weights(crfsuite: &[u8]) -> std::result::Result<StateWeights, String> {
    let m = crfs::Model::new(crfsuite).map_err(|e| e.to_string())?;
    let mut dump = Vec::new();
    m.dump(&mut dump).map_err(|e| e.to_string())?;
    let dump = String::from_utf8(dump).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut states = false;
    for line in dump.lines() {
        if let Some(name) = line.strip_suffix(" = {") {
            states = name == "STATE_FEATURES";
            continue;
        }
        if !states {
            continue;
        }
        // `  (0) attribute --> label: 0.123456`
        let Some((lhs, weight)) = line.trim().rsplit_once(": ") else {
            continue;
        };
        let Some((attribute, label)) = lhs
            .split_once(") ")
            .and_then(|(_, r)| r.rsplit_once(" --> "))
        else {
            continue;
        };
        let w: f64 = weight.parse().map_err(|e| format!("{line}: {e}"))?;
        out.push((attribute.to_string(), label.to_string(), w));
    }
    Ok(out)
}

/// Fits the kind model on the candidates of `examples` whose pair is a gold
/// partnership with a kind: one item per candidate and gold group.
pub fn fit_kinds(examples: &[&Example], settings: Settings) -> Result<KindModel> {
    let items = examples.iter().flat_map(|ex| {
        ex.candidates
            .list
            .iter()
            .zip(&ex.kinds)
            .flat_map(|(c, groups)| groups.iter().map(move |g| (c, g.as_str())))
    });
    let (state, path) = train_items(
        settings,
        items,
        "no candidates with a gold kind to train on",
    )?;
    let groups: Vec<String> = super::kinds::GROUPS
        .iter()
        .map(|g| g.0.to_string())
        .collect();
    let mut weights: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (attribute, label, w) in state {
        let at = groups
            .iter()
            .position(|g| *g == label)
            .ok_or_else(|| KijiError::BadFile {
                path: path.clone(),
                message: format!("unknown label {label}"),
            })?;
        weights
            .entry(attribute)
            .or_insert_with(|| vec![0.0; groups.len()])[at] += w;
    }
    Ok(KindModel::new(groups, weights, "trained"))
}

/// The kind models of a k-fold cross-validation, folds as in [`fold_models`].
pub fn kind_fold_models(
    examples: &[Example],
    k: usize,
    settings: Settings,
) -> Result<Vec<KindModel>> {
    fold_fits(examples, k, |train| fit_kinds(train, settings))
}

/// Of the candidates with a gold kind: how many the hand rules' kind gets
/// right (its group is one of gold's), how many the fold models do
/// (example `i` read by `models[i % len]`), and how many there are.
pub fn kind_accuracy(
    examples: &[Example],
    models: &[KindModel],
    deals: &Deals,
) -> (usize, usize, usize) {
    let (mut rules, mut model, mut all) = (0, 0, 0);
    for (i, ex) in examples.iter().enumerate() {
        for (c, groups) in ex.candidates.list.iter().zip(&ex.kinds) {
            if groups.is_empty() {
                continue;
            }
            all += 1;
            let own = super::kinds::own_group(c.record.kind.as_deref(), deals);
            rules += usize::from(own.is_some_and(|g| groups.iter().any(|x| x == g)));
            let chosen = models[i % models.len()].choose(&c.features.hashes);
            model += usize::from(chosen.is_some_and(|g| groups.iter().any(|x| x == g)));
        }
    }
    (rules, model, all)
}

/// Margins of the kind model tried by [`train_with`], the most cautious first.
const KIND_MARGINS: [f64; 6] = [f64::INFINITY, 4.0, 2.0, 1.0, 0.5, 0.0];

/// The pair+kind F1 a less cautious margin must gain over the best so far
/// to be chosen: one record more or less of the pooled rows (about 840 gold
/// partnerships) moves it by about 0.0012, which is noise.
const KIND_MARGIN_GAIN: f64 = 0.002;

/// The kind models of a list of examples: example `i` is read by
/// `models[i % len]` (its fold's, which did not see it); none: the rules'
/// kinds.
#[derive(Debug, Clone, Copy, Default)]
pub struct FoldKinds<'a>(pub &'a [KindModel]);

impl FoldKinds<'_> {
    /// The kind model of example `i`, if any.
    fn of(&self, i: usize) -> Option<&KindModel> {
        (!self.0.is_empty()).then(|| &self.0[i % self.0.len()])
    }
}

/// Copies of `models` with the margin `margin`.
fn at_margin(models: &[KindModel], margin: f64) -> Vec<KindModel> {
    models
        .iter()
        .map(|m| m.clone().with_margin(margin))
        .collect()
}

/// Cross-validated scores: for each example, its candidates' probabilities
/// under a model fitted on the other folds (`i % k`). Folds are fitted in parallel.
pub fn cross_validate(examples: &[Example], k: usize, settings: Settings) -> Result<Vec<Vec<f64>>> {
    Ok(fold_scores(&fold_models(examples, k, settings)?, examples))
}

/// The models of a k-fold cross-validation (`k` at least 2): model `f` is
/// fitted on the examples outside fold `f` (positions `i % k != f`).
pub fn fold_models(examples: &[Example], k: usize, settings: Settings) -> Result<Vec<RecordModel>> {
    fold_fits(examples, k, |train| fit(train, settings))
}

/// Model `f` of `k` (at least 2) fitted by `fit` on the examples outside
/// fold `f` (positions `i % k != f`), the folds in parallel.
fn fold_fits<T: Send>(
    examples: &[Example],
    k: usize,
    fit: impl Fn(&[&Example]) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let k = k.max(2);
    (0..k)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<&Example> = examples
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .map(|(_, e)| e)
                .collect();
            fit(&train)
        })
        .collect()
}

/// Each example's candidates scored by the model of its fold (position
/// `i % models.len()`, as in [`fold_models`]).
pub fn fold_scores(models: &[RecordModel], examples: &[Example]) -> Vec<Vec<f64>> {
    examples
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            ex.candidates
                .list
                .iter()
                .map(|c| models[i % models.len()].probability(&c.features.names))
                .collect()
        })
        .collect()
}

/// The best setting of the grid so far.
struct Best {
    /// The mean F1 it was chosen by.
    f1: f64,
    settings: Settings,
    threshold: f64,
    /// Its cross-validation's fold models.
    fold_fits: Vec<RecordModel>,
    /// Their scores of each training example's candidates.
    scores: Vec<Vec<f64>>,
    /// Its model fitted on all the training articles, with its scores of the
    /// validation examples (when validating).
    fitted: Option<(RecordModel, Vec<Vec<f64>>)>,
}

/// The model file's line for a setting that could not be fitted: the
/// error's message without the temporary file's name, so that the model
/// file stays the same on every run.
fn failure(settings: Settings, e: KijiError) -> String {
    let why = match e {
        KijiError::BadFile { message, .. } => message,
        KijiError::Io { source, .. } => source.to_string(),
        e => e.to_string(),
    };
    format!("c1 {} c2 {}: failed ({why})", settings.c1, settings.c2)
}

/// Each example's candidates scored by one model.
fn model_scores(model: &RecordModel, examples: &[Example]) -> Vec<Vec<f64>> {
    fold_scores(std::slice::from_ref(model), examples)
}

/// `kiji eval`'s rows over `examples` (those `keep` selects) with records
/// decided from `scores` at `threshold`, with the kinds of `kinds`.
pub fn rows(
    pipeline: &Pipeline,
    examples: &[Example],
    scores: &[Vec<f64>],
    threshold: f64,
    kinds: FoldKinds,
    keep: impl Fn(&Example) -> bool,
) -> BTreeMap<String, Score> {
    let deals: &Deals = pipeline.deals();
    let mut totals: BTreeMap<String, Score> = BTreeMap::new();
    for (i, (ex, s)) in examples.iter().zip(scores).enumerate() {
        if !keep(ex) {
            continue;
        }
        let mut doc = ex.doc.clone();
        doc.records = super::decide(&ex.candidates, s, threshold, kinds.of(i), deals);
        let scored = eval::score_document(pipeline, &doc, &ex.gold);
        eval::add_lang_rows(&mut totals, &ex.gold, &doc, &scored);
        for (t, score) in scored {
            totals.entry(t).or_default().add(score);
        }
    }
    for s in totals.values_mut() {
        s.finish();
    }
    totals
}

/// Share of gold partnerships whose two companies kiji found that are among
/// the candidates: (among candidates, with both companies found, all gold).
pub fn candidate_recall(
    pipeline: &Pipeline,
    examples: &[Example],
    keep: impl Fn(&Example) -> bool,
) -> (usize, usize, usize) {
    let (mut hit, mut findable, mut all) = (0, 0, 0);
    for ex in examples.iter().filter(|e| keep(e)) {
        let judge = PairJudge::new(pipeline.extractor(), &ex.gold, &ex.doc);
        let names: Vec<&str> = company_names(&ex.doc);
        for (i, g) in ex.gold.partnerships.iter().enumerate() {
            all += 1;
            let found = |gold: &str| names.iter().any(|n| judge.same_company(n, gold));
            if !(found(&g.a) && found(&g.b)) {
                continue;
            }
            findable += 1;
            let candidate = ex
                .candidates
                .list
                .iter()
                .any(|c| judge.is_pair_of(&c.record.companies[0], &c.record.companies[1], i));
            if candidate {
                hit += 1;
            }
        }
    }
    (hit, findable, all)
}

fn company_names(doc: &Document) -> Vec<&str> {
    let mut v: Vec<&str> = doc
        .entities
        .iter()
        .filter_map(|e| match &e.kind {
            EntityKind::Company { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .chain(doc.entities.iter().filter_map(|e| {
            matches!(e.kind, EntityKind::Company { .. }).then_some(e.text.as_str())
        }))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Thresholds on either side whose pair F1 is averaged with a threshold's own
/// when [`choose_threshold`] compares them (so that one candidate more or less
/// does not move the choice from a broad optimum to a lone peak).
const THRESHOLD_WINDOW: usize = 2;

/// The threshold (0.05 … 0.95 by 0.01) with the best `partnerships_pair` F1,
/// averaged over the [`THRESHOLD_WINDOW`] thresholds on either side, among
/// those with precision ≥ `min_precision` (or the best when none reaches it);
/// returns it with its rows.
pub fn choose_threshold(
    pipeline: &Pipeline,
    examples: &[Example],
    scores: &[Vec<f64>],
    min_precision: f64,
) -> (f64, BTreeMap<String, Score>) {
    let grid: Vec<(f64, BTreeMap<String, Score>)> = (5..=95)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            let rules_kinds = FoldKinds::default();
            (
                t,
                rows(pipeline, examples, scores, t, rules_kinds, |_| true),
            )
        })
        .collect();
    let pairs: Vec<Score> = grid
        .iter()
        .map(|(_, r)| r.get("partnerships_pair").copied().unwrap_or_default())
        .collect();
    let i = best_smoothed(&pairs, min_precision);
    grid.into_iter().nth(i).expect("an index of the grid")
}

/// The index of the best of `points` (pair scores at thresholds in order):
/// precision ≥ `min_precision` first, then F1 averaged over the
/// [`THRESHOLD_WINDOW`] points on either side, whatever their precision (fewer
/// at the grid's ends); the lowest index on a tie.
fn best_smoothed(points: &[Score], min_precision: f64) -> usize {
    let smoothed = |i: usize| {
        let near = &points
            [i.saturating_sub(THRESHOLD_WINDOW)..(i + THRESHOLD_WINDOW + 1).min(points.len())];
        near.iter().map(|s| s.f1).sum::<f64>() / near.len() as f64
    };
    let mut best: Option<(bool, f64, usize)> = None;
    for (i, s) in points.iter().enumerate() {
        let key = (s.precision >= min_precision, smoothed(i));
        if best.is_none_or(|(ok, f1, _)| key > (ok, f1)) {
            best = Some((key.0, key.1, i));
        }
    }
    best.map_or(0, |(_, _, i)| i)
}

/// Per file of the examples `keep` selects: the gold pairs the decided
/// records miss (with why: a company not found, no candidate, or the best
/// candidate's probability) and the false pairs with their five strongest
/// features; with `candidates`, also every candidate with its probability,
/// label, statement and features.
#[allow(clippy::too_many_arguments)]
pub fn errors(
    pipeline: &Pipeline,
    examples: &[Example],
    scores: &[Vec<f64>],
    model: &RecordModel,
    threshold: f64,
    kinds: FoldKinds,
    candidates: bool,
    keep: impl Fn(&Example) -> bool,
) -> String {
    let deals = pipeline.deals();
    let mut out = String::new();
    for (i, (ex, s)) in examples.iter().zip(scores).enumerate() {
        if !keep(ex) {
            continue;
        }
        let judge = PairJudge::new(pipeline.extractor(), &ex.gold, &ex.doc);
        let records = super::decide(&ex.candidates, s, threshold, kinds.of(i), deals);
        let names = company_names(&ex.doc);
        let mut lines: Vec<String> = Vec::new();
        for (i, g) in ex.gold.partnerships.iter().enumerate() {
            let hit = records
                .iter()
                .any(|r| judge.is_pair_of(&r.companies[0], &r.companies[1], i));
            if hit {
                continue;
            }
            let found = |gold: &str| names.iter().any(|n| judge.same_company(n, gold));
            let why = if !found(&g.a) || !found(&g.b) {
                let missing: Vec<&str> = [&g.a, &g.b]
                    .into_iter()
                    .filter(|n| !found(n))
                    .map(String::as_str)
                    .collect();
                format!("company not found: {}", missing.join(", "))
            } else {
                let best = ex
                    .candidates
                    .list
                    .iter()
                    .zip(s)
                    .filter(|(c, _)| {
                        judge.is_pair_of(&c.record.companies[0], &c.record.companies[1], i)
                    })
                    .map(|(_, p)| *p)
                    .fold(None::<f64>, |m, p| Some(m.map_or(p, |m| m.max(p))));
                match best {
                    None => "no candidate".to_string(),
                    Some(p) => format!("candidate p={p:.2}"),
                }
            };
            lines.push(format!("  missed {} × {}: {why}", g.a, g.b));
        }
        // Pairs found with another kind or year than gold's.
        let mut doc = ex.doc.clone();
        doc.records = records;
        let marks = eval::marks(pipeline, &doc, &ex.gold);
        lines.extend(marks.wrong_kind.iter().map(|w| format!("  wrong kind {w}")));
        lines.extend(marks.wrong_year.iter().map(|w| format!("  wrong year {w}")));
        for (c, (label, p)) in ex.candidates.list.iter().zip(ex.labels.iter().zip(s)) {
            if *label != PairLabel::No || *p < threshold {
                continue;
            }
            let mut top: Vec<(f64, &String)> = c
                .features
                .names
                .iter()
                .map(|f| (model.weight(f), f))
                .filter(|(w, _)| *w > 0.0)
                .collect();
            top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            let top: Vec<String> = top
                .iter()
                .take(5)
                .map(|(w, f)| format!("{f} {w:+.2}"))
                .collect();
            lines.push(format!(
                "  false {} × {} p={p:.2}: {}",
                c.record.companies[0],
                c.record.companies[1],
                top.join(", ")
            ));
        }
        if candidates {
            for (c, (label, p)) in ex.candidates.list.iter().zip(ex.labels.iter().zip(s)) {
                lines.push(format!(
                    "  cand {} × {} p={p:.2} {label:?} st{} {}",
                    c.record.companies[0],
                    c.record.companies[1],
                    c.statement,
                    c.features.names.join(" ")
                ));
            }
        }
        if !lines.is_empty() {
            out.push_str(&ex.file);
            out.push('\n');
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    out
}

/// What `kiji train records` does and reports.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of folds.
    pub folds: usize,
    /// Settings tried (the best cross-validated mean F1 of `partnerships_pair`,
    /// `partnerships_kind` and `partnerships` wins).
    pub grid: Vec<Settings>,
    /// Precision the threshold must keep on the cross-validated predictions.
    pub min_precision: f64,
    /// List every candidate in the error listing.
    pub show_candidates: bool,
    /// Settings tried for the kind model (the best cross-validated accuracy wins).
    pub kind_grid: Vec<Settings>,
    /// Corpora never trained on whose rows, read by each setting's model
    /// fitted on all the training corpora, count in choosing the setting
    /// (pooled with the cross-validated rows); empty: cross-validation alone.
    pub validation: Vec<Corpus>,
}

impl Default for Options {
    fn default() -> Self {
        // L2 only: with a few thousand candidates L1 never measured better
        // (c1 0.1 tied c1 0 at c2 10 by cross-validation, 2026-12-05) and its
        // sparse models dropped features core English patterns need.
        let l2 = |c2s: &[f64]| -> Vec<Settings> {
            c2s.iter()
                .map(|&c2| Settings {
                    c1: 0.0,
                    c2,
                    iterations: 300,
                })
                .collect()
        };
        Options {
            folds: 5,
            grid: l2(&[3.0, 10.0, 30.0]),
            kind_grid: l2(&[0.3, 1.0, 3.0, 10.0]),
            min_precision: 0.8,
            show_candidates: false,
            validation: Vec::new(),
        }
    }
}

/// The outcome of [`train`].
#[derive(Debug, Clone)]
pub struct Summary {
    /// The fitted model (with its threshold).
    pub model: RecordModel,
    /// The chosen settings.
    pub settings: Settings,
    /// Articles and labelled candidates (positive, negative, left out).
    pub articles: usize,
    /// Candidates labelled positive, negative, and optional (left out).
    pub labels: (usize, usize, usize),
    /// Cross-validated rows per corpus name, then over all.
    pub rows: Vec<(String, BTreeMap<String, Score>)>,
    /// Candidate recall per corpus: (among candidates, both companies found, all gold).
    pub candidate_recall: Vec<(String, (usize, usize, usize))>,
    /// Cross-validated error listing of the first corpus.
    pub errors: String,
    /// The first corpus' cross-validated rows with its test folds read by
    /// the held-out pipelines (see [`train_with`]), at the chosen settings
    /// and threshold.
    pub held_out_rows: Option<BTreeMap<String, Score>>,
    /// Rows of each validation corpus read by the final model, at the
    /// chosen settings and threshold.
    pub validation_rows: Vec<(String, BTreeMap<String, Score>)>,
    /// The model file's text.
    pub text: String,
    /// The fitted kind model.
    pub kinds: KindModel,
    /// The kind model file's text.
    pub kinds_text: String,
    /// The kind's cross-validated accuracy, rules and model.
    pub kind_report: String,
}

/// Chooses settings and threshold by k-fold cross-validation on all the
/// corpora's articles, fits the final model on all of them and returns it
/// with its cross-validated scores (the error listing is of the first corpus).
pub fn train(pipeline: &Pipeline, corpora: &[Corpus], options: &Options) -> Result<Summary> {
    train_with(pipeline, &|_, _| pipeline, None, corpora, options)
}

/// [`train`], each article processed by the pipeline `pick` gives it
/// (`pipeline` scores and decides, as in [`train`]). With `held_out`, the
/// first corpus is also read by the pipelines it gives (company models that
/// never saw its articles) and its cross-validated test folds are scored
/// there too ([`Summary::held_out_rows`]): what the records model does with
/// the companies new text gets.
pub fn train_with<'p>(
    pipeline: &Pipeline,
    pick: &PipelineOf<'p>,
    held_out: Option<&PipelineOf<'p>>,
    corpora: &[Corpus],
    options: &Options,
) -> Result<Summary> {
    let examples = load_with(pick, corpora)?;
    // The first corpus read by the held-out pipelines, loaded now so that an
    // article they cannot read stops the run before the grid search.
    let held_out_examples = match held_out {
        Some(held_out) => Some(load_with(held_out, &corpora[..corpora.len().min(1)])?),
        None => None,
    };
    // The validation corpora, read as a user's text is (by `pipeline`).
    let validation = load_with(&|_, _| pipeline, &options.validation)?;
    // The kind model's setting is chosen by its cross-validated accuracy;
    // its candidates' scores are given only after the records model's
    // setting is chosen (by the rules' kinds), so that one model's noise
    // does not choose the other's setting.
    let deals: &Deals = pipeline.deals();
    let mut kind_tried = Vec::new();
    let mut kind_best: Option<(usize, Settings, Vec<KindModel>)> = None;
    let mut kind_rules = (0, 0);
    for &settings in &options.kind_grid {
        match kind_fold_models(&examples, options.folds, settings) {
            Ok(models) => {
                let (rules, right, n) = kind_accuracy(&examples, &models, deals);
                kind_rules = (rules, n);
                kind_tried.push(format!("c2 {}: {right} of {n} right", settings.c2));
                if kind_best.as_ref().is_none_or(|b| right > b.0) {
                    kind_best = Some((right, settings, models));
                }
            }
            Err(e) => kind_tried.push(failure(settings, e)),
        }
    }
    let (kind_right, kind_settings, kind_folds) = kind_best.ok_or_else(|| KijiError::BadFile {
        path: PathBuf::from("record kinds grid"),
        message: format!("no setting could be fitted: {}", kind_tried.join("; ")),
    })?;
    let kinds = fit_kinds(&examples.iter().collect::<Vec<_>>(), kind_settings)?;
    let kind_report = format!(
        "kind of the {n} candidates whose pair is a gold partnership with a kind, cross-validated ({k} folds): rules {r} right ({rp:.3}), model {m} right ({mp:.3}) at c2 {c2}",
        n = kind_rules.1,
        k = options.folds,
        r = kind_rules.0,
        rp = kind_rules.0 as f64 / kind_rules.1.max(1) as f64,
        m = kind_right,
        mp = kind_right as f64 / kind_rules.1.max(1) as f64,
        c2 = kind_settings.c2,
    );
    let mut labels = (0, 0, 0);
    for l in examples.iter().flat_map(|e| &e.labels) {
        match l {
            PairLabel::Gold(_) => labels.0 += 1,
            PairLabel::No => labels.1 += 1,
            PairLabel::Optional => labels.2 += 1,
        }
    }
    let mut best: Option<Best> = None;
    let mut tried = Vec::new();
    let all: Vec<&Example> = examples.iter().collect();
    for &settings in &options.grid {
        // A setting whose optimiser fails on a fold (CRFsuite's L-BFGS line
        // search can) is reported in the model file and skipped.
        let models = match fold_models(&examples, options.folds, settings) {
            Ok(models) => models,
            Err(e) => {
                tried.push(failure(settings, e));
                continue;
            }
        };
        let scores = fold_scores(&models, &examples);
        let (t, mut r) = choose_threshold(pipeline, &examples, &scores, options.min_precision);
        let cv_pair = r.get("partnerships_pair").map_or(0.0, |s| s.f1);
        // The validation corpora, read by the setting's model fitted on all
        // the training articles, pool their counts with the cross-validated ones.
        let fitted = if validation.is_empty() {
            None
        } else {
            match fit(&all, settings) {
                Ok(m) => {
                    let v = model_scores(&m, &validation);
                    Some((m, v))
                }
                Err(e) => {
                    tried.push(failure(settings, e));
                    continue;
                }
            }
        };
        let mut validated = String::new();
        if let Some((_, scores)) = &fitted {
            let v = rows(
                pipeline,
                &validation,
                scores,
                t,
                FoldKinds::default(),
                |_| true,
            );
            validated = format!(
                ", validation pair F1 {:.3}",
                v.get("partnerships_pair").map_or(0.0, |s| s.f1)
            );
            for (name, score) in v {
                if let Some(x) = r.get_mut(&name) {
                    x.add(score);
                }
            }
        }
        let row = |name: &str| r.get(name).map_or(0.0, |s| s.f1);
        // The three rows weigh alike: settings whose pairs tie (they
        // often do to three decimals) are told apart by kind and year.
        let f1 = (row("partnerships_pair") + row("partnerships_kind") + row("partnerships")) / 3.0;
        tried.push(format!(
            "c1 {} c2 {}: pair F1 {cv_pair:.3}{validated}, mean of pair, pair+kind and pair-with-year F1 {f1:.4} at threshold {t:.2}",
            settings.c1, settings.c2
        ));
        if best.as_ref().is_none_or(|b| f1 > b.f1) {
            best = Some(Best {
                f1,
                settings,
                threshold: t,
                fold_fits: models,
                scores,
                fitted,
            });
        }
    }
    let Best {
        settings,
        threshold,
        fold_fits,
        scores,
        fitted,
        ..
    } = best.ok_or_else(|| KijiError::BadFile {
        path: PathBuf::from("records grid"),
        message: format!("no setting could be fitted: {}", tried.join("; ")),
    })?;
    // Without validation corpora there is nothing to score but the model to fit.
    let (model, validation_scores) = match fitted {
        Some(fitted) => fitted,
        None => (fit(&all, settings)?, Vec::new()),
    };
    let model = model.with_threshold(threshold);
    // Every candidate takes the kind scores of a kind model that did not see
    // its article (the validation corpora: the final model's); the margin is
    // chosen by the cross-validated pair+kind F1 (pooled with the validation
    // corpora): a less cautious one only when it gains KIND_MARGIN_GAIN.
    let mut margin_tried = Vec::new();
    let mut margin = (f64::INFINITY, f64::NEG_INFINITY);
    for m in KIND_MARGINS {
        let folds = at_margin(&kind_folds, m);
        let fitted = at_margin(std::slice::from_ref(&kinds), m);
        let mut r = rows(
            pipeline,
            &examples,
            &scores,
            threshold,
            FoldKinds(&folds),
            |_| true,
        );
        if !validation.is_empty() {
            let v = rows(
                pipeline,
                &validation,
                &validation_scores,
                threshold,
                FoldKinds(&fitted),
                |_| true,
            );
            for (name, score) in v {
                r.entry(name).or_default().add(score);
            }
        }
        let f1 = r.get("partnerships_kind").map_or(0.0, |s| s.f1);
        margin_tried.push(format!("margin {m}: pair+kind F1 {f1:.4}"));
        if f1 >= margin.1 + KIND_MARGIN_GAIN {
            margin = (m, f1);
        }
    }
    let margin = margin.0;
    let kinds = kinds.with_margin(margin);
    let kind_folds = at_margin(&kind_folds, margin);
    let fold_kinds = FoldKinds(&kind_folds);
    let fitted_kinds = FoldKinds(std::slice::from_ref(&kinds));
    let validation_rows: Vec<(String, BTreeMap<String, Score>)> = options
        .validation
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = rows(
                pipeline,
                &validation,
                &validation_scores,
                threshold,
                fitted_kinds,
                |e| e.corpus == i,
            );
            (c.name.clone(), r)
        })
        .collect();
    // The first corpus comes first among the examples, so its articles have
    // the same positions (and folds) in both lists: the chosen setting's fold
    // models score the held-out reading of each.
    let held_out_rows = match &held_out_examples {
        Some(test) => {
            let aligned = test.len() <= examples.len()
                && test
                    .iter()
                    .zip(&examples)
                    .all(|(a, b)| a.corpus == b.corpus && a.file == b.file);
            if !aligned {
                return Err(KijiError::BadFile {
                    path: corpora[0].gold.clone(),
                    message: "the held-out reading of the first corpus has other articles than its training reading".into(),
                });
            }
            let scores = fold_scores(&fold_fits, test);
            Some(rows(pipeline, test, &scores, threshold, fold_kinds, |_| {
                true
            }))
        }
        None => None,
    };
    let mut rows_out = Vec::new();
    let mut recall = Vec::new();
    for (i, c) in corpora.iter().enumerate() {
        rows_out.push((
            c.name.clone(),
            rows(pipeline, &examples, &scores, threshold, fold_kinds, |e| {
                e.corpus == i
            }),
        ));
        recall.push((
            c.name.clone(),
            candidate_recall(pipeline, &examples, |e| e.corpus == i),
        ));
    }
    rows_out.push((
        "all".to_string(),
        rows(pipeline, &examples, &scores, threshold, fold_kinds, |_| {
            true
        }),
    ));
    let errors = errors(
        pipeline,
        &examples,
        &scores,
        &model,
        threshold,
        fold_kinds,
        options.show_candidates,
        |e| e.corpus == 0,
    );
    let mut header = vec![
        "kiji records model: logistic regression over candidate pairs (src/records/).".to_string(),
        "Written by `kiji train records`; do not edit.".to_string(),
        format!(
            "Data: {} articles, candidates {} positive, {} negative, {} optional (left out).",
            examples.len(),
            labels.0,
            labels.1,
            labels.2
        ),
    ];
    for c in corpora {
        header.push(format!("Corpus {}: {}", c.name, c.gold.display()));
    }
    for c in &options.validation {
        header.push(format!(
            "Validation corpus {} (never trained on): {}",
            c.name,
            c.gold.display()
        ));
    }
    let chosen_by = if options.validation.is_empty() {
        format!("{}-fold cross-validation", options.folds)
    } else {
        format!(
            "{}-fold cross-validation pooled with the validation corpora",
            options.folds
        )
    };
    header.push(format!(
        "Settings (chosen by {chosen_by}): c1 {} c2 {} iterations {}; threshold {:.2}.",
        settings.c1, settings.c2, settings.iterations, threshold
    ));
    header.push(format!(
        "Cross-validated over all, each setting: {}.",
        tried.join("; ")
    ));
    let labelled = rows_out
        .iter()
        .map(|(name, r)| (format!("Cross-validated {name}"), r))
        .chain(
            validation_rows
                .iter()
                .map(|(name, r)| (format!("Validation {name} (never trained on)"), r)),
        );
    for (label, r) in labelled {
        let f = |k: &str| r.get(k).copied().unwrap_or_default();
        let (p, k, y) = (
            f("partnerships_pair"),
            f("partnerships_kind"),
            f("partnerships_year"),
        );
        header.push(format!(
            "{label}: pair P {:.3} R {:.3} F1 {:.3}; pair+kind F1 {:.3}; pair+year F1 {:.3}.",
            p.precision, p.recall, p.f1, k.f1, y.f1
        ));
    }
    let text = model.to_text(&header);
    let kinds_header = vec![
        "kiji record kinds model: multinomial logistic regression over candidate pairs' features (src/records/kinds.rs).".to_string(),
        "Written by `kiji train records`; do not edit.".to_string(),
        format!(
            "Data: the candidates of {} articles whose pair is a gold partnership with a kind, one item per gold kind group.",
            examples.len()
        ),
        format!(
            "Settings (chosen by {}-fold cross-validated accuracy): c1 {} c2 {} iterations {}.",
            options.folds, kind_settings.c1, kind_settings.c2, kind_settings.iterations
        ),
        format!("Each setting: {}.", kind_tried.join("; ")),
        format!(
            "Margin (chosen by the records' cross-validated pair+kind F1, pooled with the validation corpora; a less cautious one must gain {KIND_MARGIN_GAIN}): {margin}; each: {}.",
            margin_tried.join("; ")
        ),
        format!("Cross-validated {kind_report}."),
    ];
    let kinds_text = kinds.to_text(&kinds_header);
    Ok(Summary {
        kinds,
        kinds_text,
        kind_report,
        model,
        settings,
        articles: examples.len(),
        labels,
        rows: rows_out,
        candidate_recall: recall,
        errors,
        held_out_rows,
        validation_rows,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(precision: f64, f1: f64) -> Score {
        Score {
            precision,
            f1,
            ..Score::default()
        }
    }

    #[test]
    fn a_broad_optimum_beats_a_lone_peak_and_precision_comes_first() {
        // A peak at index 1 (0.72) between lows; a plateau of 0.70 from 4 to 8.
        let f1 = [0.60, 0.72, 0.60, 0.62, 0.70, 0.70, 0.70, 0.70, 0.70, 0.60];
        let points: Vec<Score> = f1.iter().map(|&f| at(0.9, f)).collect();
        assert_eq!(best_smoothed(&points, 0.0), 6);
        // Only thresholds that keep the precision asked for count.
        let mut points = points;
        for p in &mut points[4..] {
            p.precision = 0.5;
        }
        assert_eq!(best_smoothed(&points, 0.8), 3);
        assert_eq!(best_smoothed(&[], 0.8), 0);
    }
}
