//! `kiji train`: trains the company model (see
//! [`crate::extract::companies::model`]) on Stockmark's ner-wikipedia corpus
//! and on annotated news ([`news`]), cross-validates it on the news
//! ([`cross_validate`]) and scores it on ner-wikipedia's fixed test split.
//!
//! Corpus: `ner.json`, a list of `{"text", "entities": [{"name", "span",
//! "type"}]}` (CC BY-SA 3.0, 近江崇宏 2021). Sentences at 0-based positions
//! `i % 10 == 9` are the test split and are never trained on.
//!
//! Labels: 法人名 → company (`B-C`/`I-C`), 政治的組織名 and その他の組織名 →
//! other organisation (`B-G`/`I-G`), everything else `O`. Gold names follow
//! kiji's span convention before they become labels: a generic 社 after a
//! katakana or Latin name stays outside (`フェンダー社` → `フェンダー`).
//! Sentences are normalized with [`crate::normalize::normalize`] and tokenized
//! like any paragraph, so training sees what tagging will see.
//!
//! Scoring ([`evaluate`]) follows the corpus README: per sentence, the set of
//! predicted company strings against the set of gold 法人名 names, both
//! NFKC-normalised with spaces removed, counts summed over sentences. Gold
//! names get kiji's 社 convention first (about 4% of them end in a generic 社). It is
//! reported for the model alone and for kiji's whole company extractor
//! (gazetteer, rules, model and filter), each against all 法人名 and against
//! 法人名 without non-company organisations that kiji filters by their
//! ending (universities and schools: `not_suffix` of `org_rules.tsv`).

pub mod english;
pub mod news;
pub mod unseen;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{KijiError, Result};
use crate::extract::companies::model::{
    self, CompanyModel, Features, ModelData, B_COMPANY, B_OTHER_ORG, I_COMPANY, I_OTHER_ORG,
    OUTSIDE,
};
use crate::extract::companies::strip_generic_sha;
use crate::normalize::normalize;
use crate::pipeline::Pipeline;
use crate::tokenize::Token;

/// One sentence of the corpus, normalized.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Position in the file (0-based).
    pub index: usize,
    /// Normalized text.
    pub text: String,
    /// Entities as byte ranges of `text` with their label type (`C` or `G`).
    pub spans: Vec<(usize, usize, char)>,
    /// Gold company names (法人名 as written, normalized, spaces removed).
    pub companies: Vec<String>,
}

impl Sentence {
    /// Whether the sentence belongs to the test split.
    pub fn is_test(&self) -> bool {
        is_test(self.index)
    }
}

/// The test split: positions `i % 10 == 9`.
pub fn is_test(index: usize) -> bool {
    index % 10 == 9
}

#[derive(Deserialize)]
struct RawSentence {
    text: String,
    #[serde(default)]
    entities: Vec<RawEntity>,
}

#[derive(Deserialize)]
struct RawEntity {
    name: String,
    span: (usize, usize),
    #[serde(rename = "type")]
    kind: String,
}

/// Reads `ner.json`.
pub fn load_corpus(path: &Path) -> Result<Vec<Sentence>> {
    let bytes = std::fs::read(path).map_err(|e| KijiError::io(path, e))?;
    let raw: Vec<RawSentence> = serde_json::from_slice(&bytes).map_err(|e| KijiError::BadFile {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(raw
        .into_iter()
        .enumerate()
        .map(|(index, s)| sentence(index, &s))
        .collect())
}

/// The byte offset in `normalize(text)` of character `char_pos` of `text`
/// (normalization is local to characters, so a normalized prefix is a prefix).
fn normalized_offset(text: &str, char_pos: usize) -> usize {
    let byte = text
        .char_indices()
        .nth(char_pos)
        .map_or(text.len(), |(i, _)| i);
    normalize(&text[..byte]).len()
}

/// A name as the scoring compares it: normalized, spaces removed.
pub fn score_key(name: &str) -> String {
    normalize(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn sentence(index: usize, raw: &RawSentence) -> Sentence {
    let text = normalize(&raw.text);
    let mut spans = Vec::new();
    let mut companies = Vec::new();
    for e in &raw.entities {
        let label = match e.kind.as_str() {
            "法人名" => 'C',
            "政治的組織名" | "その他の組織名" => 'G',
            _ => continue,
        };
        if label == 'C' {
            companies.push(score_key(strip_generic_sha(&normalize(&e.name))));
        }
        let start = normalized_offset(&raw.text, e.span.0);
        let mut end = normalized_offset(&raw.text, e.span.1);
        if start >= end || end > text.len() || !text.is_char_boundary(start) {
            continue;
        }
        if label == 'C' {
            end = start + strip_generic_sha(&text[start..end]).len();
        }
        spans.push((start, end, label));
    }
    Sentence {
        index,
        text,
        spans,
        companies,
    }
}

/// BIO labels of `tokens` for the gold `spans`: a token is inside an entity
/// when it overlaps it; the first such token is `B-`.
pub fn labels(tokens: &[Token], spans: &[(usize, usize, char)]) -> Vec<&'static str> {
    let mut out = vec![OUTSIDE; tokens.len()];
    for &(s, e, label) in spans {
        let (b, i) = match label {
            'C' => (B_COMPANY, I_COMPANY),
            _ => (B_OTHER_ORG, I_OTHER_ORG),
        };
        let mut first = true;
        for (k, t) in tokens.iter().enumerate() {
            if t.end <= s || t.start >= e {
                continue;
            }
            // A token overlapping two entities keeps the first label.
            if out[k] != OUTSIDE {
                continue;
            }
            out[k] = if first { b } else { i };
            first = false;
        }
    }
    out
}

/// Training settings (L-BFGS with elastic-net regularisation).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TrainOptions {
    /// L1 coefficient.
    pub c1: f64,
    /// L2 coefficient.
    pub c2: f64,
    /// Maximum L-BFGS iterations.
    pub max_iterations: usize,
    /// Features seen fewer times are dropped.
    pub min_freq: f64,
    /// How many times each news paragraph is given to the trainer.
    pub news_repeat: usize,
    /// Models averaged (bagging): each is trained on a fixed subsample of
    /// the training items ([`in_bag`]) and their weights are averaged. 1
    /// trains one model on every item.
    pub bags: usize,
    /// Company model: the share of gazetteer rows, per mille, that its
    /// training text is read without ([`unseen::forgotten`]: gazetteer
    /// dropout, so that the model learns the contexts of companies no list
    /// knows; tokens and gazetteer marks both lose them). 0 reads every row.
    pub gazetteer_dropout: u32,
}

/// The company model's gazetteer dropout (per mille): none. A quarter of the
/// rows was measured (twenty-third and twenty-fourth sessions): a stand-in
/// trained on ner-wikipedia alone kept news/train's Japanese companies (0.922)
/// and gained with no gazetteer row of a file's own companies (0.852 ->
/// 0.855), the shipped recipe gained on ner-wikipedia's test split (0.665 ->
/// 0.668), news/dev's companies did not move (0.872 -> 0.871), and the model
/// took sports teams (`読売巨人軍`) and bare endings (`キャピタルパートナーズ`)
/// for companies in sentences of the tests; half of the rows lost on the test
/// split (0.653).
pub const DEFAULT_GAZETTEER_DROPOUT: u32 = 0;

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            c1: 0.05,
            c2: 0.01,
            max_iterations: 100,
            min_freq: 2.0,
            news_repeat: 1,
            bags: 5,
            gazetteer_dropout: DEFAULT_GAZETTEER_DROPOUT,
        }
    }
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct NerScore {
    /// Predicted names matched to gold.
    pub tp: usize,
    /// Predicted names.
    pub predicted: usize,
    /// Gold names.
    pub gold: usize,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl NerScore {
    fn add(&mut self, predicted: &[String], gold: &[String], neutral: &[String]) {
        let predicted: Vec<&String> = predicted.iter().filter(|p| !neutral.contains(p)).collect();
        self.predicted += predicted.len();
        self.gold += gold.len();
        self.tp += predicted.iter().filter(|p| gold.contains(p)).count();
    }

    fn finish(mut self) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.tp, self.predicted);
        self.recall = ratio(self.tp, self.gold);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
        self
    }
}

/// Scores on the test split.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct NerReport {
    /// Test sentences.
    pub sentences: usize,
    /// kiji's company extractor against every 法人名.
    pub kiji: NerScore,
    /// kiji's company extractor against 法人名 without universities and schools.
    pub kiji_companies_only: NerScore,
    /// The model alone against every 法人名.
    pub model: NerScore,
    /// The model alone against 法人名 without universities and schools.
    pub model_companies_only: NerScore,
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// One test sentence where kiji's companies differ from the gold.
#[derive(Debug, Clone, Serialize)]
pub struct NerError {
    /// Position in the corpus.
    pub index: usize,
    /// The sentence.
    pub text: String,
    /// Gold names kiji did not find.
    pub missed: Vec<String>,
    /// Names kiji found that are not gold (and not a filtered school).
    pub spurious: Vec<String>,
}

/// Scores `pipeline`'s company extractor and its model on the test split.
pub fn evaluate(pipeline: &Pipeline, corpus: &[Sentence]) -> Result<NerReport> {
    evaluate_with_errors(pipeline, corpus).map(|(r, _)| r)
}

/// [`evaluate`], with the sentences where kiji's companies differ from the gold.
pub fn evaluate_with_errors(
    pipeline: &Pipeline,
    corpus: &[Sentence],
) -> Result<(NerReport, Vec<NerError>)> {
    let mut errors = Vec::new();
    let companies = &pipeline.extractor().companies;
    let mut r = NerReport::default();
    for s in corpus.iter().filter(|s| s.is_test()) {
        r.sentences += 1;
        let tokens = pipeline.analyzer().tokenize(&s.text)?;
        let gold = dedup(s.companies.clone());
        // Universities and schools are not companies for kiji.
        let schools: Vec<String> = gold
            .iter()
            .filter(|g| !companies.acceptable_ending(g))
            .cloned()
            .collect();
        let gold_companies: Vec<String> = gold
            .iter()
            .filter(|g| !schools.contains(g))
            .cloned()
            .collect();
        let spans = pipeline.extractor().paragraph(&s.text, &tokens);
        let found = dedup(
            spans
                .iter()
                .filter(|sp| matches!(sp.kind, crate::document::EntityKind::Company { .. }))
                .map(|sp| score_key(&s.text[sp.start..sp.end]))
                .collect(),
        );
        r.kiji.add(&found, &gold, &[]);
        let missed: Vec<String> = gold
            .iter()
            .filter(|g| !found.contains(g))
            .cloned()
            .collect();
        let spurious: Vec<String> = found
            .iter()
            .filter(|f| !gold.contains(f) && !schools.contains(f))
            .cloned()
            .collect();
        if !missed.is_empty() || !spurious.is_empty() {
            errors.push(NerError {
                index: s.index,
                text: s.text.clone(),
                missed,
                spurious,
            });
        }
        r.kiji_companies_only.add(&found, &gold_companies, &schools);
        let by_model = dedup(
            companies
                .model_spans(&s.text, &tokens)
                .into_iter()
                .map(|(a, b)| score_key(&s.text[a..b]))
                .collect(),
        );
        r.model.add(&by_model, &gold, &[]);
        r.model_companies_only
            .add(&by_model, &gold_companies, &schools);
    }
    r.kiji = r.kiji.finish();
    r.kiji_companies_only = r.kiji_companies_only.finish();
    r.model = r.model.finish();
    r.model_companies_only = r.model_companies_only.finish();
    Ok((r, errors))
}

/// What [`train`] did.
#[derive(Debug, Clone, Serialize)]
pub struct TrainSummary {
    /// Training sequences (ner-wikipedia sentences and news paragraphs, repeats counted).
    pub sentences: usize,
    /// News paragraphs among them (repeats counted).
    pub news_paragraphs: usize,
    /// Training tokens.
    pub tokens: usize,
    /// Gold entities whose boundaries fall inside a token.
    pub misaligned: usize,
    /// Gold entities used.
    pub entities: usize,
    /// The settings.
    pub options: TrainOptions,
    /// Size of the written model in bytes.
    pub model_bytes: u64,
}

/// Trains a model on the training part of `corpus` and the paragraphs of
/// `news` (each [`TrainOptions::news_repeat`] times) and writes it to `out`.
/// Deterministic: the same corpus, news, dictionary and options give the same file.
pub fn train(
    pipeline: &Pipeline,
    corpus: &[Sentence],
    news: &[&news::NewsFile],
    out: &Path,
    options: TrainOptions,
    verbose: bool,
) -> Result<TrainSummary> {
    let io = |e: std::io::Error| KijiError::io(out, e);
    let reader;
    let pipeline = if options.gazetteer_dropout > 0 {
        reader = unseen::dropout_pipeline(pipeline.options(), options.gazetteer_dropout)?;
        &reader
    } else {
        pipeline
    };
    let companies = &pipeline.extractor().companies;
    let mut summary = TrainSummary {
        sentences: 0,
        news_paragraphs: 0,
        tokens: 0,
        misaligned: 0,
        entities: 0,
        options,
        model_bytes: 0,
    };
    let wiki = corpus
        .iter()
        .filter(|s| !s.is_test())
        .map(|s| (s.text.as_str(), s.spans.as_slice(), 1, false));
    let from_news = news.iter().flat_map(|f| &f.paragraphs).map(|p| {
        (
            p.text.as_str(),
            p.spans.as_slice(),
            options.news_repeat,
            true,
        )
    });
    let mut sequences: Vec<(Features, Vec<&'static str>, usize)> = Vec::new();
    for (text, spans, repeat, is_news) in wiki.chain(from_news) {
        let tokens = if is_news {
            pipeline.paragraph_tokens(text)?
        } else {
            pipeline.analyzer().tokenize(text)?
        };
        if tokens.is_empty() || repeat == 0 {
            continue;
        }
        for &(a, b, _) in spans {
            summary.entities += repeat;
            let starts = tokens.iter().any(|t| t.start == a);
            let ends = tokens.iter().any(|t| t.end == b);
            if !(starts && ends) {
                summary.misaligned += repeat;
            }
        }
        let marks = companies.marks(text, &tokens);
        sequences.push((
            model::features(text, &tokens, &marks),
            labels(&tokens, spans),
            repeat,
        ));
        summary.sentences += repeat;
        summary.tokens += repeat * tokens.len();
        if is_news {
            summary.news_paragraphs += repeat;
        }
    }
    let items: Vec<(&Features, &[&'static str], usize)> = sequences
        .iter()
        .map(|(f, l, r)| (f, l.as_slice(), *r))
        .collect();
    let written = fit_bagged(&items, options, verbose)?.to_bytes();
    std::fs::write(out, &written).map_err(io)?;
    summary.model_bytes = written.len() as u64;
    // The file must load as kiji will load it.
    CompanyModel::from_file(out)?;
    Ok(summary)
}

/// The fold of the `i`-th article of the cross-validated corpus (`i % k`).
pub fn fold_of(i: usize, k: usize) -> usize {
    i % k.max(1)
}

/// k-fold cross-validation on the articles of corpus 0 of `news` (folds by
/// position, [`fold_of`]): each fold is scored with `kiji eval`'s companies
/// rows by a model trained on the training part of `corpus`, the other folds
/// and every article of the other corpora.
pub fn cross_validate(
    pipeline: &Pipeline,
    corpus: &[Sentence],
    news: &[news::NewsFile],
    k: usize,
    options: TrainOptions,
    verbose: bool,
) -> Result<news::CrossValidation> {
    let held: Vec<&news::NewsFile> = news.iter().filter(|f| f.corpus == 0).collect();
    let mut totals: BTreeMap<String, crate::eval::Score> = BTreeMap::new();
    let mut errors = Vec::new();
    let dir = tempfile::tempdir().map_err(|e| KijiError::io(Path::new("tempdir"), e))?;
    for fold in 0..k {
        let in_fold = |f: &news::NewsFile| {
            f.corpus == 0
                && held
                    .iter()
                    .position(|h| std::ptr::eq(*h, f))
                    .is_some_and(|i| fold_of(i, k) == fold)
        };
        let training: Vec<&news::NewsFile> = news.iter().filter(|f| !in_fold(f)).collect();
        let path = dir.path().join(format!("fold{fold}.crf"));
        train(pipeline, corpus, &training, &path, options, verbose)?;
        let p = Pipeline::new(crate::pipeline::Options {
            company_model: model::ModelSource::File(path),
            ..pipeline.options().clone()
        })?;
        let mut fold_totals = BTreeMap::new();
        for f in news.iter().filter(|f| in_fold(f)) {
            errors.push(news::score_file(&p, f, &mut fold_totals)?);
        }
        if verbose {
            if let Some(s) = fold_totals.get("companies") {
                eprintln!("fold {fold}: companies F1 {:.3}", s.f1);
            }
        }
        for (t, s) in fold_totals {
            totals.entry(t).or_default().add(s);
        }
    }
    for s in totals.values_mut() {
        s.finish();
    }
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(news::CrossValidation {
        folds: k,
        totals,
        errors,
    })
}

/// The share of training items in each bag, in thousandths.
const BAG_PER_MILLE: u64 = 800;

/// Whether training item `index` is in bag `bag` of several: a fixed draw
/// of [`BAG_PER_MILLE`] of the items (a splitmix64 mix of the two numbers,
/// so the same on every machine and run); with one bag every item is in.
pub fn in_bag(bag: usize, bags: usize, index: usize) -> bool {
    if bags <= 1 {
        return true;
    }
    let z = (bag as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(index as u64)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    mix64(z) % 1000 < BAG_PER_MILLE
}

/// splitmix64's finaliser: spreads `z`'s bits over the whole word, so that a
/// draw by `% 1000` is even (bags, gazetteer dropout).
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The mean of several models' weights (bagging): a feature or transition
/// a model lacks counts as zero there. Labels are matched by name, in the
/// order they first appear; the models are summed in the order given, so
/// the result does not depend on how they were trained in parallel.
pub(crate) fn average(models: &[ModelData]) -> std::result::Result<ModelData, String> {
    if models.is_empty() {
        return Err("no model to average".into());
    }
    let mut labels: Vec<String> = Vec::new();
    for x in models.iter().flat_map(|m| &m.labels) {
        if !labels.contains(x) {
            labels.push(x.clone());
        }
    }
    let l = labels.len();
    let n = models.len() as f32;
    let mut transitions = vec![0f32; l * l];
    let mut states: BTreeMap<u64, Vec<f32>> = BTreeMap::new();
    for m in models {
        // Position in `labels` of each of this model's labels.
        let map: Vec<usize> = m
            .labels
            .iter()
            .filter_map(|x| labels.iter().position(|y| y == x))
            .collect();
        let ml = m.labels.len();
        for (i, &a) in map.iter().enumerate() {
            for (j, &b) in map.iter().enumerate() {
                transitions[a * l + b] += m.transitions[i * ml + j] / n;
            }
        }
        for (h, w) in &m.attributes {
            let row = states.entry(*h).or_insert_with(|| vec![0f32; l]);
            for (i, &a) in map.iter().enumerate() {
                row[a] += w[i] / n;
            }
        }
    }
    Ok(ModelData {
        labels,
        transitions,
        attributes: states.into_iter().collect(),
    })
}

/// The weights of a CRFsuite model written by `crfs` from hex feature names,
/// read through its public dump (labels, transitions, state features).
pub(crate) fn export(crfsuite: &[u8]) -> std::result::Result<ModelData, String> {
    let m = crfs::Model::new(crfsuite).map_err(|e| e.to_string())?;
    let labels: Vec<String> = (0..m.num_labels())
        .map(|i| {
            m.to_label(i)
                .map(str::to_string)
                .ok_or(format!("label {i}"))
        })
        .collect::<std::result::Result<_, _>>()?;
    let l = labels.len();
    let index = |name: &str| {
        labels
            .iter()
            .position(|x| x == name)
            .ok_or(format!("unknown label {name}"))
    };
    let mut dump = Vec::new();
    m.dump(&mut dump).map_err(|e| e.to_string())?;
    let dump = String::from_utf8(dump).map_err(|e| e.to_string())?;
    let mut transitions = vec![0f32; l * l];
    let mut states: std::collections::BTreeMap<u64, Vec<f32>> = Default::default();
    let mut section = "";
    for line in dump.lines() {
        if let Some(name) = line.strip_suffix(" = {") {
            section = if name == "TRANSITIONS" || name == "STATE_FEATURES" {
                name
            } else {
                ""
            };
            continue;
        }
        // `  (1) B-C --> I-C: 0.123456`
        let Some((lhs, weight)) = line.trim().rsplit_once(": ") else {
            continue;
        };
        let Some((source, target)) = lhs
            .split_once(") ")
            .and_then(|(_, r)| r.split_once(" --> "))
        else {
            continue;
        };
        let w: f32 = weight.parse().map_err(|e| format!("{line}: {e}"))?;
        match section {
            "TRANSITIONS" => transitions[index(source)? * l + index(target)?] = w,
            "STATE_FEATURES" => {
                let h = u64::from_str_radix(source, 16).map_err(|e| format!("{line}: {e}"))?;
                states.entry(h).or_insert_with(|| vec![0.0; l])[index(target)?] = w;
            }
            _ => {}
        }
    }
    Ok(ModelData {
        labels,
        transitions,
        attributes: states.into_iter().collect(),
    })
}

/// Trains one CRF on `(features, labels, repeat)` sequences (each given to
/// the trainer `repeat` times) and returns its weights keyed by feature hash.
pub(crate) fn fit_crf<'a>(
    sequences: impl Iterator<Item = (&'a Features, &'a [&'static str], usize)>,
    options: TrainOptions,
    verbose: bool,
) -> Result<ModelData> {
    // crfs writes CRFsuite's format; kiji's own file holds the same weights
    // keyed by feature hash (see the model module).
    let dir = tempfile::tempdir().map_err(|e| KijiError::io(Path::new("tempdir"), e))?;
    let crfsuite = dir.path().join("companies.crfsuite");
    let io = |e: std::io::Error| KijiError::io(&crfsuite, e);
    let mut trainer = lbfgs_trainer(options, verbose, &crfsuite)?;
    for (features, labels, repeat) in sequences {
        let xseq: Vec<Vec<crfs::Attribute>> = (0..features.len())
            .map(|t| {
                features
                    .item(t)
                    .iter()
                    .map(|h| crfs::Attribute::new(format!("{h:016x}"), 1.0))
                    .collect()
            })
            .collect();
        for _ in 0..repeat {
            trainer.append(&xseq, labels).map_err(io)?;
        }
    }
    trainer.train(&crfsuite).map_err(io)?;
    let bytes = std::fs::read(&crfsuite).map_err(io)?;
    export(&bytes).map_err(|message| KijiError::BadFile {
        path: crfsuite.clone(),
        message,
    })
}

/// Trains `options.bags` models in parallel, model `b` on the items
/// [`in_bag`] puts in bag `b`, and averages them (one bag: every item, no
/// averaging). A bag that draws no item (a handful of items) is left out
/// of the average. Each bag's trainer holds its own copy of the features,
/// so memory grows with the bags trained at once.
pub(crate) fn fit_bagged(
    items: &[(&Features, &[&'static str], usize)],
    options: TrainOptions,
    verbose: bool,
) -> Result<ModelData> {
    use rayon::prelude::*;
    let bags = options.bags.max(1);
    let models: Vec<ModelData> = (0..bags)
        .into_par_iter()
        .filter(|&bag| bags == 1 || (0..items.len()).any(|i| in_bag(bag, bags, i)))
        .map(|bag| {
            let bagged = items
                .iter()
                .enumerate()
                .filter(|(i, _)| in_bag(bag, bags, *i))
                .map(|(_, item)| *item);
            fit_crf(bagged, options, verbose)
        })
        .collect::<Result<_>>()?;
    if models.len() == 1 {
        return Ok(models.into_iter().next().expect("one model"));
    }
    average(&models).map_err(|message| KijiError::BadFile {
        path: "averaged company model".into(),
        message,
    })
}

/// A CRFsuite L-BFGS trainer with `options` set (the two company models and
/// the records model use it); `path` names the file in errors.
pub(crate) fn lbfgs_trainer(
    options: TrainOptions,
    verbose: bool,
    path: &Path,
) -> Result<crfs::Trainer<crfs::train::Lbfgs>> {
    let io = |e: std::io::Error| KijiError::io(path, e);
    let mut trainer = crfs::Trainer::lbfgs();
    trainer.verbose(verbose);
    trainer.set_feature_minfreq(options.min_freq).map_err(io)?;
    let p = trainer.params_mut();
    p.set_c1(options.c1).map_err(io)?;
    p.set_c2(options.c2).map_err(io)?;
    p.set_max_iterations(options.max_iterations).map_err(io)?;
    Ok(trainer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::PosClass;

    #[test]
    fn bags_are_fixed_draws_of_four_in_five() {
        assert!((0..100).all(|i| in_bag(3, 1, i)));
        let bag0: Vec<bool> = (0..1000).map(|i| in_bag(0, 5, i)).collect();
        let again: Vec<bool> = (0..1000).map(|i| in_bag(0, 5, i)).collect();
        assert_eq!(bag0, again);
        let kept = bag0.iter().filter(|&&b| b).count();
        assert!((750..850).contains(&kept), "{kept}");
        let bag1: Vec<bool> = (0..1000).map(|i| in_bag(1, 5, i)).collect();
        assert_ne!(bag0, bag1);
    }

    #[test]
    fn averaging_matches_labels_by_name_and_counts_missing_weights_as_zero() {
        let a = ModelData {
            labels: vec!["O".into(), "B-C".into()],
            transitions: vec![1.0, 2.0, 3.0, 4.0],
            attributes: vec![(7, vec![2.0, 4.0]), (9, vec![1.0, 0.0])],
        };
        // The same labels in the other order, one more label, one feature less.
        let b = ModelData {
            labels: vec!["B-C".into(), "O".into(), "I-C".into()],
            transitions: vec![4.0, 3.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 6.0],
            attributes: vec![(7, vec![0.0, 2.0, 8.0])],
        };
        let m = average(&[a, b]).unwrap();
        assert_eq!(m.labels, ["O", "B-C", "I-C"]);
        // O→O, O→B-C, O→I-C / B-C→… / I-C→I-C.
        assert_eq!(m.transitions, [1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0, 3.0]);
        assert_eq!(
            m.attributes,
            [(7, vec![2.0, 2.0, 4.0]), (9, vec![0.5, 0.0, 0.0])]
        );
        assert!(average(&[]).is_err());
    }

    #[test]
    fn test_split_is_every_tenth_sentence() {
        let test: Vec<usize> = (0..30).filter(|&i| is_test(i)).collect();
        assert_eq!(test, [9, 19, 29]);
    }

    #[test]
    fn spans_follow_normalization_and_drop_generic_sha() {
        let raw = RawSentence {
            text: "ＡＢＣ社はノースウィンド社と提携".into(),
            entities: vec![
                RawEntity {
                    name: "ＡＢＣ社".into(),
                    span: (0, 4),
                    kind: "法人名".into(),
                },
                RawEntity {
                    name: "ノースウィンド社".into(),
                    span: (5, 13),
                    kind: "法人名".into(),
                },
            ],
        };
        let s = sentence(0, &raw);
        assert_eq!(s.text, "ABC社はノースウィンド社と提携");
        let names: Vec<&str> = s.spans.iter().map(|&(a, b, _)| &s.text[a..b]).collect();
        assert_eq!(names, ["ABC", "ノースウィンド"]);
        assert_eq!(s.companies, ["ABC", "ノースウィンド"]);
    }

    #[test]
    fn kanji_sha_is_part_of_the_name() {
        assert_eq!(strip_generic_sha("東西新聞社"), "東西新聞社");
        assert_eq!(strip_generic_sha("BLW社"), "BLW");
    }

    #[test]
    fn labels_are_bio_over_tokens() {
        let t = |start, end| Token {
            start,
            end,
            pos: PosClass::Noun,
            tag: 0,
            word_tag: 0,
        };
        let tokens = [t(0, 3), t(3, 6), t(6, 9), t(9, 12)];
        let labels = labels(&tokens, &[(3, 9, 'C'), (9, 12, 'G')]);
        assert_eq!(labels, [OUTSIDE, B_COMPANY, I_COMPANY, B_OTHER_ORG]);
    }

    #[test]
    fn scores_count_neutral_predictions_as_nothing() {
        let mut s = NerScore::default();
        let owned = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        s.add(
            &owned(&["甲社", "乙大学", "丙"]),
            &owned(&["甲社"]),
            &owned(&["乙大学"]),
        );
        let s = s.finish();
        assert_eq!((s.tp, s.predicted, s.gold), (1, 2, 1));
        assert_eq!(s.precision, 0.5);
    }
}
