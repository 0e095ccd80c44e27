//! `kiji train companies-en`: trains the English company model (see
//! [`crate::extract::companies::english`]) on annotated news and
//! cross-validates how its spans join the gazetteer and the rules.
//!
//! Data: gold files in the format of `../shared/news/train/gold.json` with
//! their articles. Each article is processed by the pipeline (with the English
//! model off), and every paragraph without Japanese is split into sentences
//! exactly as tagging splits it. Gold `companies` surfaces (normalized, every
//! alias, every occurrence that starts and ends on word boundaries, longest
//! first) become `B-C`/`I-C` labels. A sentence holding a `companies_optional`
//! surface outside the gold spans is left out: optional names are neither
//! positive nor negative. It never reads an article that is not in the gold file.
//!
//! Cross-validation ([`cross_validate`]) splits files into `k` folds by their
//! position in the gold file's sorted names (`i % k`); each fold is scored by
//! `kiji eval`'s rules with a model trained on the other folds, for every
//! [`Mode`]. Training is deterministic (same data and options, same file).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{KijiError, Result};
use crate::eval::{key, GoldFile, Score};
use crate::extract::companies::english::{self, labels_of, Mode, Sentence};
use crate::extract::companies::model::{CompanyModel, Features};
use crate::normalize::normalize;
use crate::pipeline::Pipeline;

use super::unseen::{gold_names, unseen_pipeline};
use super::TrainOptions;

/// Settings of the English model: the Japanese model's c1 and c2, 100
/// L-BFGS iterations, every feature kept (chosen by cross-validation on
/// news/train: `--min-freq 1` gave companies_en 0.891 against 0.884 with 2).
pub fn default_options() -> TrainOptions {
    TrainOptions {
        max_iterations: 100,
        min_freq: 1.0,
        bags: 1,
        ..TrainOptions::default()
    }
}

/// The company surfaces (optional ones too) of the files of fold `f` of
/// `k`, by `kiji eval`'s comparison key ([`gold_names`]).
fn fold_names(data: &Prepared, k: usize, f: usize) -> HashSet<String> {
    data.files
        .iter()
        .enumerate()
        .filter(|(i, _)| i % k == f)
        .flat_map(|(_, (_, g, _))| gold_names(g))
        .collect()
}

/// [`Example::file`] of a sentence that belongs to no scored file (an extra
/// corpus): it trains every fold and is never scored.
pub const NO_FILE: usize = usize::MAX;

/// One training sentence of one file.
#[derive(Debug, Clone)]
pub struct Example {
    /// Index of the file in [`Prepared::files`], or [`NO_FILE`].
    pub file: usize,
    /// Feature hashes per word.
    pub features: Features,
    /// Gold labels per word.
    pub labels: Vec<&'static str>,
    /// The gold company surfaces labelled in it, by `kiji eval`'s comparison
    /// key (unseen-company cross-validation leaves out a test fold's names).
    pub names: Vec<String>,
}

/// The articles of a gold file, ready for training.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// File names (sorted) with their gold annotation and path.
    pub files: Vec<(String, GoldFile, std::path::PathBuf)>,
    /// Sentences kept for training.
    pub examples: Vec<Example>,
    /// Sentences left out because they hold an optional company.
    pub optional_sentences: usize,
    /// Gold company mentions projected onto words.
    pub mentions: usize,
    /// Words of the kept sentences.
    pub words: usize,
}

/// The byte ranges of `needles` in `text` that start and end on word
/// boundaries of `sentence`, longest needle first, none overlapping `taken`
/// or each other.
fn project(
    text: &str,
    sentence: &Sentence,
    needles: &[String],
    taken: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let words = &sentence.words;
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return Vec::new();
    };
    let scope = &text[first.start..last.end];
    let mut out: Vec<(usize, usize)> = Vec::new();
    for n in needles {
        for (i, _) in scope.match_indices(n.as_str()) {
            let (s, e) = (first.start + i, first.start + i + n.len());
            let starts = words.binary_search_by_key(&s, |w| w.start).is_ok();
            let ends = words.binary_search_by_key(&e, |w| w.end).is_ok();
            let free = !out.iter().chain(taken).any(|&(a, b)| a < e && s < b);
            if starts && ends && free {
                out.push((s, e));
            }
        }
    }
    out
}

/// Normalized, distinct, longest first.
fn surfaces(list: &[String]) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|s| normalize(s).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v.dedup();
    v
}

/// Reads a gold file and processes its articles into training sentences.
pub fn prepare(pipeline: &Pipeline, gold_path: &Path, dir: &Path) -> Result<Prepared> {
    let mut out = Prepared::default();
    add_corpus(pipeline, &mut out, gold_path, dir, true)?;
    Ok(out)
}

/// Adds the articles of a gold file to `out`: as files of their own when
/// `scored` (cross-validation splits and scores them), else as sentences of
/// no file, which train every fold and are never scored.
pub fn add_corpus(
    pipeline: &Pipeline,
    out: &mut Prepared,
    gold_path: &Path,
    dir: &Path,
    scored: bool,
) -> Result<()> {
    let gold = crate::eval::read_gold(gold_path)?;
    for (name, g) in gold {
        let path = dir.join(&name);
        if !path.is_file() {
            continue;
        }
        let file = if scored { out.files.len() } else { NO_FILE };
        let input = crate::ingest::Input {
            id: name.clone(),
            format: crate::ingest::Format::of_path(&path),
            content: crate::ingest::Content::File(path.clone()),
        };
        let doc = pipeline.process(&input)?;
        let positives = surfaces(&g.companies);
        let optional = surfaces(&g.companies_optional);
        let byte: Vec<usize> = doc
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain([doc.text.len()])
            .collect();
        for p in &doc.paragraphs {
            let (Some(&a), Some(&b)) = (byte.get(p.start), byte.get(p.end)) else {
                continue;
            };
            let text = &doc.text[a..b];
            for s in pipeline.extractor().english_sentences(text) {
                let spans = project(text, &s, &positives, &[]);
                if !project(text, &s, &optional, &spans).is_empty() {
                    out.optional_sentences += 1;
                    continue;
                }
                out.mentions += spans.len();
                out.words += s.words.len();
                out.examples.push(Example {
                    file,
                    labels: labels_of(&s.words, &spans),
                    names: spans.iter().map(|&(a, b)| key(&text[a..b])).collect(),
                    features: s.features,
                });
            }
        }
        if scored {
            out.files.push((name, g, path));
        }
    }
    Ok(())
}

/// Adds the sentences of an English CoNLL corpus (token first, tag last on
/// each line; `B-`/`I-` tags of `org_tag`, such as `ORG`, are companies) as
/// training examples of no file: they train every fold and are never scored.
/// Returns the number of sentences added.
pub fn add_conll(
    pipeline: &Pipeline,
    data: &mut Prepared,
    path: &Path,
    org_tag: &str,
) -> Result<usize> {
    let text = std::fs::read_to_string(path).map_err(|e| KijiError::io(path, e))?;
    let mut added = 0;
    for block in text.split("\n\n") {
        let mut sentence = String::new();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut open = false;
        for line in block.lines() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (Some(&token), Some(&tag)) = (cols.first(), cols.last()) else {
                continue;
            };
            if token == "-DOCSTART-" || cols.len() < 2 {
                continue;
            }
            if !sentence.is_empty() {
                sentence.push(' ');
            }
            let start = sentence.len();
            sentence.push_str(token);
            let org = tag.len() > 2 && &tag[2..] == org_tag;
            match (org, tag.starts_with("B-"), open) {
                (true, false, true) => {
                    if let Some(last) = spans.last_mut() {
                        last.1 = sentence.len();
                    }
                }
                (true, _, _) => spans.push((start, sentence.len())),
                _ => {}
            }
            open = org;
        }
        let sentence = normalize(&sentence);
        for s in pipeline.extractor().english_sentences(&sentence) {
            let (Some(first), Some(last)) = (s.words.first(), s.words.last()) else {
                continue;
            };
            let inside: Vec<(usize, usize)> = spans
                .iter()
                .copied()
                .filter(|&(a, b)| a >= first.start && b <= last.end)
                .filter(|&(a, b)| {
                    s.words.binary_search_by_key(&a, |w| w.start).is_ok()
                        && s.words.binary_search_by_key(&b, |w| w.end).is_ok()
                })
                .collect();
            data.mentions += inside.len();
            data.words += s.words.len();
            data.examples.push(Example {
                file: NO_FILE,
                labels: labels_of(&s.words, &inside),
                names: inside.iter().map(|&(a, b)| key(&sentence[a..b])).collect(),
                features: s.features,
            });
            added += 1;
        }
    }
    Ok(added)
}

/// Trains a model on `examples` and returns the bytes of kiji's model file:
/// with `options.bags` above 1, the average of that many models, each
/// trained on its bag of the sentences ([`super::in_bag`]).
pub fn fit<'a>(
    examples: impl Iterator<Item = &'a Example>,
    options: TrainOptions,
    verbose: bool,
) -> Result<Vec<u8>> {
    let items: Vec<(&Features, &[&'static str], usize)> = examples
        .map(|ex| (&ex.features, ex.labels.as_slice(), 1))
        .collect();
    let written = super::fit_bagged(&items, options, verbose)?.to_bytes();
    // The bytes must load as kiji will load them.
    CompanyModel::from_bytes(&written, "trained English model")?;
    Ok(written)
}

/// What [`train`] did.
#[derive(Debug, Clone, Serialize)]
pub struct TrainSummary {
    /// Training sentences.
    pub sentences: usize,
    /// Their words.
    pub words: usize,
    /// Gold mentions.
    pub mentions: usize,
    /// Sentences left out for an optional company.
    pub optional_sentences: usize,
    /// Size of the written model in bytes.
    pub model_bytes: u64,
}

/// Trains on every sentence of `data` and writes the model to `out`.
pub fn train(
    data: &Prepared,
    out: &Path,
    options: TrainOptions,
    verbose: bool,
) -> Result<TrainSummary> {
    let bytes = fit(data.examples.iter(), options, verbose)?;
    std::fs::write(out, &bytes).map_err(|e| KijiError::io(out, e))?;
    Ok(TrainSummary {
        sentences: data.examples.len(),
        words: data.words,
        mentions: data.mentions,
        optional_sentences: data.optional_sentences,
        model_bytes: bytes.len() as u64,
    })
}

/// Models for stacking: model `f` of the `k` is trained on the files of
/// `data` outside fold `f` (files at sorted positions `i % k == f`), so that
/// a file's companies can be found by a model that never saw it. Each is
/// returned as the bytes of its model file.
pub fn out_of_fold_models(
    data: &Prepared,
    k: usize,
    options: TrainOptions,
) -> Result<Vec<Vec<u8>>> {
    (0..k.max(1))
        .map(|f| {
            fit(
                data.examples
                    .iter()
                    .filter(|e| e.file == NO_FILE || e.file % k.max(1) != f),
                options,
                false,
            )
        })
        .collect()
}

/// Pipelines for stacking: each file of a gold corpus is processed by a
/// pipeline whose English model never saw it (trained on the other folds of
/// [`out_of_fold_models`]), so that what the records model learns from is the
/// output new text gets.
pub struct Stacked {
    fold_of: std::collections::HashMap<String, usize>,
    models: Vec<Vec<u8>>,
    pipelines: Vec<Pipeline>,
}

impl Stacked {
    /// Prepares the `corpora` (with `plain`, a pipeline without the English
    /// model), trains `k` out-of-fold English models over their files taken
    /// together and gives each a pipeline made by `make`. The `unfolded`
    /// corpora are in every fold's training data (as in the shipped model)
    /// and get no pipeline.
    pub fn build(
        plain: &Pipeline,
        make: &dyn Fn() -> Result<Pipeline>,
        (corpora, unfolded): (
            &[crate::records::training::Corpus],
            &[crate::records::training::Corpus],
        ),
        k: usize,
    ) -> Result<Self> {
        let mut data = Prepared::default();
        for c in corpora {
            add_corpus(plain, &mut data, &c.gold, &c.dir, true)?;
        }
        for c in unfolded {
            add_corpus(plain, &mut data, &c.gold, &c.dir, false)?;
        }
        let k = k.max(1);
        let fold_of = data
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.0.clone(), i % k))
            .collect();
        let models = out_of_fold_models(&data, k, default_options())?;
        let mut stacked = Stacked {
            fold_of,
            models,
            pipelines: Vec::new(),
        };
        stacked.pipelines = stacked.pipelines_of(make)?;
        Ok(stacked)
    }

    /// The same out-of-fold English models in pipelines made by `make` (with
    /// another Japanese company model, say).
    pub fn with_pipelines(&self, make: &dyn Fn() -> Result<Pipeline>) -> Result<Self> {
        Ok(Stacked {
            fold_of: self.fold_of.clone(),
            models: self.models.clone(),
            pipelines: self.pipelines_of(make)?,
        })
    }

    fn pipelines_of(&self, make: &dyn Fn() -> Result<Pipeline>) -> Result<Vec<Pipeline>> {
        self.models
            .iter()
            .enumerate()
            .map(|(f, bytes)| {
                let model =
                    CompanyModel::from_bytes(bytes, &format!("English model without fold {f}"))?;
                let mut p = make()?;
                p.set_english_model(Some(model), english::DEFAULT_MODE);
                Ok(p)
            })
            .collect()
    }

    /// The pipeline for a file of the corpus (none for another file).
    pub fn pipeline_for(&self, file: &str) -> Option<&Pipeline> {
        self.fold_of.get(file).map(|&f| &self.pipelines[f])
    }
}

/// A configuration (mode, least span confidence) and its `kiji eval` totals.
pub type ConfigRows = ((Mode, f32), BTreeMap<String, Score>);

/// The totals of `kiji eval` (companies rows, with the per-language ones)
/// per mode and least span confidence, each fold predicted by a model that did not see it.
///
/// With `unseen` (unseen companies), each test fold is read by a pipeline
/// whose gazetteer lacks every row that names one of the fold's gold
/// companies (a surface equal by `kiji eval`'s comparison key), by a model
/// trained on no sentence where one of them is a gold company: the model on
/// companies it never saw and no list knows, as most of new text's are. Only
/// its English rows mean that: the Japanese model was trained on every fold.
pub fn cross_validate(
    pipeline: &mut Pipeline,
    data: &Prepared,
    folds: usize,
    options: TrainOptions,
    configs: &[(Mode, f32)],
    unseen: bool,
    errors: Option<((Mode, f32), &mut Vec<String>)>,
) -> Result<Vec<ConfigRows>> {
    let (error_mode, mut errors) = match errors {
        Some((m, e)) => (Some(m), Some(e)),
        None => (None, None),
    };
    let folds = folds.max(2);
    let mut totals: Vec<ConfigRows> = configs.iter().map(|&m| (m, BTreeMap::new())).collect();
    for f in 0..folds {
        let names = if unseen {
            fold_names(data, folds, f)
        } else {
            Default::default()
        };
        let bytes = fit(
            data.examples
                .iter()
                .filter(|e| e.file == NO_FILE || e.file % folds != f)
                .filter(|e| !e.names.iter().any(|n| names.contains(n))),
            options,
            false,
        )?;
        let mut unknown;
        let pipeline: &mut Pipeline = if unseen {
            unknown = unseen_pipeline(pipeline.options(), &names)?;
            &mut unknown
        } else {
            &mut *pipeline
        };
        for (config, total) in totals.iter_mut() {
            let model = CompanyModel::from_bytes(&bytes, &format!("fold {f}"))?;
            pipeline.set_english_model(Some(model), config.0);
            pipeline.set_english_min_confidence(config.1);
            for (i, (name, g, path)) in data.files.iter().enumerate() {
                if i % folds != f {
                    continue;
                }
                let input = crate::ingest::Input {
                    id: name.clone(),
                    format: crate::ingest::Format::of_path(path),
                    content: crate::ingest::Content::File(path.clone()),
                };
                let doc = pipeline.process(&input)?;
                let scores = crate::eval::score_document(pipeline, &doc, g);
                for (t, s) in &scores {
                    total.entry(t.clone()).or_default().add(*s);
                }
                crate::eval::add_lang_rows(total, g, &doc, &scores);
                if let (Some(out), true) = (errors.as_deref_mut(), error_mode == Some(*config)) {
                    list_errors(pipeline, name, &doc, g, out);
                }
            }
        }
    }
    pipeline.set_english_model(Some(english::load_model(None)?), english::DEFAULT_MODE);
    pipeline.set_english_min_confidence(english::DEFAULT_MIN_CONFIDENCE);
    for (_, total) in totals.iter_mut() {
        for s in total.values_mut() {
            s.finish();
        }
    }
    Ok(totals)
}

/// The false and missed companies of one cross-validated document, one line each.
fn list_errors(
    pipeline: &Pipeline,
    name: &str,
    doc: &crate::document::Document,
    g: &GoldFile,
    out: &mut Vec<String>,
) {
    let marks = crate::eval::marks(pipeline, doc, g);
    let mut seen = std::collections::BTreeSet::new();
    for e in &doc.entities {
        if let crate::document::EntityKind::Company { rule, .. } = &e.kind {
            let hit = marks.companies.contains(&e.text);
            if (!hit || rule == "english_model") && seen.insert(e.text.clone()) {
                let chars: Vec<char> = doc.text.chars().collect();
                let from = e.start.saturating_sub(40);
                let to = (e.end + 40).min(chars.len());
                let context: String = chars[from..to].iter().collect();
                out.push(format!(
                    "{name}\t{}\t{rule}\t{}\t{}",
                    if hit { "TP" } else { "FP" },
                    e.text,
                    context.replace('\n', " ")
                ));
            }
        }
    }
    for m in &marks.missed_companies {
        out.push(format!("{name}\tFN\t\t{m}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::companies::english::Word;
    use crate::extract::companies::model::{B_COMPANY, I_COMPANY, OUTSIDE};

    fn sentence(text: &str) -> Sentence {
        let mut words = Vec::new();
        let mut at = 0;
        for w in text.split(' ') {
            words.push(Word {
                start: at,
                end: at + w.len(),
            });
            at += w.len() + 1;
        }
        Sentence {
            words,
            features: Features::default(),
        }
    }

    #[test]
    fn projection_takes_every_aligned_occurrence_longest_first() {
        let text = "Orrin Labs and Orrin met Orrinville";
        let s = sentence(text);
        let spans = project(
            text,
            &s,
            &surfaces(&["Orrin".into(), "Orrin Labs".into()]),
            &[],
        );
        let mut names: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        names.sort();
        // `Orrinville` is not a word of `Orrin`.
        assert_eq!(names, ["Orrin", "Orrin Labs"]);
        assert_eq!(
            labels_of(&s.words, &spans),
            [B_COMPANY, I_COMPANY, OUTSIDE, B_COMPANY, OUTSIDE, OUTSIDE]
        );
    }

    #[test]
    fn training_is_reproducible_and_learns_a_small_corpus() {
        let lex = crate::lexicon::Lexicons::bundled().unwrap();
        let e = english::English::new(&lex, None, Mode::Off);
        let corpus = [
            ("Velmora Tools said it would hire staff.", "Velmora Tools"),
            ("Analysts expect Brandt Kessler to grow.", "Brandt Kessler"),
            ("Shares of Ostrava Mills rose today.", "Ostrava Mills"),
            ("The deal with Lunet Freight closed.", "Lunet Freight"),
        ];
        let mut examples = Vec::new();
        for _ in 0..3 {
            for (text, name) in corpus {
                let s = e.sentences(text, &[]).remove(0);
                let at = text.find(name).unwrap();
                let spans = project(text, &s, &[name.to_string()], &[]);
                assert_eq!(spans, [(at, at + name.len())]);
                examples.push(Example {
                    file: 0,
                    labels: labels_of(&s.words, &spans),
                    names: vec![key(name)],
                    features: s.features,
                });
            }
        }
        // One model, and the average of three bags: the same bytes on every
        // run (each bag is trained on one thread and the bags are summed in
        // their order).
        for bags in [1, 3] {
            let options = TrainOptions {
                c1: 0.0,
                c2: 0.01,
                max_iterations: 50,
                min_freq: 1.0,
                bags,
                ..TrainOptions::default()
            };
            let a = fit(examples.iter(), options, false).unwrap();
            let b = fit(examples.iter(), options, false).unwrap();
            assert_eq!(a, b);
            let m = CompanyModel::from_bytes(&a, "test").unwrap();
            let s = e.sentences(corpus[0].0, &[]).remove(0);
            let found = english::spans_of(&s.words, &m.labels_of_features(&s.features));
            assert_eq!(found, [(0, "Velmora Tools".len())], "{bags} bags");
        }
    }

    #[test]
    fn a_folds_names_are_its_files_gold_surfaces_by_evals_key() {
        let file = |name: &str, companies: &[&str], optional: &[&str]| {
            let g = GoldFile {
                companies: companies.iter().map(|s| s.to_string()).collect(),
                companies_optional: optional.iter().map(|s| s.to_string()).collect(),
                ..GoldFile::default()
            };
            (name.to_string(), g, std::path::PathBuf::new())
        };
        let data = Prepared {
            files: vec![
                file("a.txt", &["Orrin Labs"], &["ＯＲＲＩＮ"]),
                file("b.txt", &["Velmora Tools"], &[]),
                file("c.txt", &["Lunet Freight"], &[]),
            ],
            ..Prepared::default()
        };
        let mut names: Vec<String> = fold_names(&data, 2, 0).into_iter().collect();
        names.sort();
        assert_eq!(names, ["lunetfreight", "orrin", "orrinlabs"]);
        assert_eq!(
            fold_names(&data, 2, 1).into_iter().collect::<Vec<_>>(),
            ["velmoratools"]
        );
    }

    #[test]
    fn optional_surfaces_inside_gold_spans_do_not_count() {
        let text = "Orrin Labs rose";
        let s = sentence(text);
        let gold = project(text, &s, &surfaces(&["Orrin Labs".into()]), &[]);
        assert!(project(text, &s, &surfaces(&["Orrin".into()]), &gold).is_empty());
    }
}
