//! The `kiji` command line: a thin layer over the library.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use kiji::batch::{self, Outcome, Summary};
use kiji::ingest::{self, Content, Format, Input, Limits};
use kiji::output::{error_line, RecordWriter, RecordsFormat, Sink};
use kiji::tokenize::DictionaryLocation;
use kiji::{Options, Pipeline};

/// Set once standard output is a closed pipe (`kiji check fixtures | head`):
/// report commands then stop printing and go on, so that their files are
/// still written and their exit code still says how the work went.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes a report's text to standard output: a closed pipe sets
/// [`STDOUT_CLOSED`] and is otherwise ignored (`println!` would panic); any
/// other write error is returned.
fn print_out(args: std::fmt::Arguments) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    match std::io::stdout().lock().write_fmt(args) {
        Err(e) if is_broken_pipe(&e) => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        r => r,
    }
}

/// `println!` through [`print_out`], its error returned with `?`.
macro_rules! outln {
    ($($arg:tt)*) => {
        print_out(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

/// `print!` through [`print_out`], its error returned with `?`.
macro_rules! out {
    ($($arg:tt)*) => {
        print_out(format_args!($($arg)*))?
    };
}

/// mimalloc as the allocator: the pipeline makes many small, short-lived
/// allocations, which it serves in fewer instructions than the system one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kiji",
    version,
    about = "Clean text and partnership records from scraped Japanese and English news"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Copy)]
struct LimitArgs {
    /// Largest input file in bytes; larger files give an error line.
    #[arg(long, default_value_t = Limits::default().max_file_bytes)]
    max_file_bytes: u64,
    /// Longest line in bytes; longer lines are split into paragraphs at sentence ends, with a warning.
    #[arg(long, default_value_t = Limits::default().max_line_bytes)]
    max_line_bytes: u64,
}

impl LimitArgs {
    fn limits(self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_line_bytes: self.max_line_bytes,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Process files and folders into JSON Lines, one line per document.
    Ingest {
        /// Files or folders (walked recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output file (written atomically); stdout when absent or `-`.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Also write one partnership record per line to this file.
        #[arg(long)]
        records: Option<PathBuf>,
        /// Format of the records file.
        #[arg(long, value_enum, default_value = "jsonl")]
        records_format: RecordsFormat,
        /// Write the run's counts as JSON to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Add the decoded body before cleaning as `raw`.
        #[arg(long)]
        keep_raw: bool,
        /// Add `repairs`: every paragraph dropped, joined or stitched by de-duplication, with the reason.
        #[arg(long)]
        explain_dedup: bool,
        /// No progress bar and no summary on stderr.
        #[arg(short, long)]
        quiet: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Process one document and print it as pretty JSON.
    Extract {
        /// The file (`-` or absent: stdin).
        file: Option<PathBuf>,
        /// Add the decoded body as `raw`.
        #[arg(long)]
        keep_raw: bool,
        /// Add `repairs`: every paragraph dropped, joined or stitched by de-duplication, with the reason.
        #[arg(long)]
        explain_dedup: bool,
        /// Add `candidates`: every candidate pair of the records stage with its
        /// probability, whether it passes, its statement and its heaviest features.
        #[arg(long)]
        candidates: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Process JSON Lines articles from stdin to stdout, one output line per input line, in order.
    Stream {
        /// Worker threads (default: all cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Add `signature` (MinHash of the text) and `text_hash` to each document,
        /// for cross-shard duplicate detection.
        #[arg(long)]
        signatures: bool,
        /// Do not mark `duplicate_of` within the stream (a cluster job does it across shards).
        #[arg(long)]
        no_duplicates: bool,
        /// Add the body before cleaning as `raw`.
        #[arg(long)]
        keep_raw: bool,
        /// Add `repairs`: every paragraph dropped, joined or stitched by de-duplication, with the reason.
        #[arg(long)]
        explain_dedup: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Score extraction against a gold file (format of the seeds' or the dev set's gold.json).
    Eval {
        /// The gold JSON file.
        gold: PathBuf,
        /// Folder holding the gold set's articles.
        dir: PathBuf,
        /// Also write the full report as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
        /// List each file's errors before the table: companies missed, false
        /// records, records missed, right pairs of a wrong kind or year.
        #[arg(long)]
        show_errors: bool,
        /// Read each file with a gazetteer that lacks every row naming one of
        /// its gold companies: kiji on companies no list knows (the models are
        /// the usual ones, so on their training articles they still know them).
        #[arg(long)]
        unseen_companies: bool,
    },
    /// Train a model: `companies` (default; ner-wikipedia and annotated news,
    /// scored on the ner-wikipedia test split), `records` (annotated news,
    /// cross-validated) or `companies-en` (the English company model,
    /// annotated news).
    Train {
        /// Which model.
        #[arg(value_enum, default_value = "companies")]
        model: TrainTarget,
        /// The corpus of the company model (`ner.json` of stockmarkteam/ner-wikipedia-dataset).
        #[arg(long, default_value = "../shared/data/ner-wikipedia/ner.json")]
        data: PathBuf,
        /// Where to write the model (default dictionaries/companies.crf or dictionaries/records.model).
        #[arg(long)]
        out: Option<PathBuf>,
        /// A gold file and its articles, `NAME=GOLD.json=DIR` (repeatable; default news/train,
        /// dev and seeds of ../shared and the invented corpus/train; companies-en: news/train,
        /// corpus/train and corpus/train2). Records: the first is the one errors are listed
        /// for. Companies: news trained on with ner-wikipedia; the first is cross-validated.
        #[arg(long = "corpus", value_name = "NAME=GOLD=DIR")]
        corpora: Vec<String>,
        /// companies-en: also train on this English CoNLL corpus, its `ORG`
        /// names as companies (repeatable; never scored).
        #[arg(long, value_name = "CONLL")]
        extra_conll: Vec<PathBuf>,
        /// Records: a corpus never trained on whose pairs, read by each setting's
        /// model, count with the cross-validated ones in choosing the setting,
        /// `NAME=GOLD.json=DIR` (repeatable; default corpus/train2 and corpus/train3;
        /// `none`: cross-validation alone).
        #[arg(long = "validate", value_name = "NAME=GOLD=DIR")]
        validation: Vec<String>,
        /// Records: number of cross-validation folds.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Records: with --show-errors, also list every candidate of each article
        /// with its cross-validated probability, label and features.
        #[arg(long)]
        show_candidates: bool,
        /// Records: also score the cross-validated test folds of the first
        /// corpus with its Japanese companies found by this company model
        /// (meant to be one that never saw those articles, `kiji train
        /// --news-repeat 0 --out FILE`; not checked): the records model on
        /// companies as imperfect as new text's, or more (such a model saw no
        /// news at all). Other models ignore it.
        #[arg(long, value_name = "CRF")]
        held_out_company_model: Option<PathBuf>,
        /// Only score the current model (bundled, or KIJI_COMPANY_MODEL) on the test split.
        #[arg(long)]
        evaluate_only: bool,
        /// L1 regularisation.
        #[arg(long, default_value_t = kiji::train::TrainOptions::default().c1)]
        c1: f64,
        /// L2 regularisation.
        #[arg(long, default_value_t = kiji::train::TrainOptions::default().c2)]
        c2: f64,
        /// Maximum L-BFGS iterations (default 100 for both company models).
        #[arg(long)]
        iterations: Option<usize>,
        /// Drop features seen fewer times than this in the training part
        /// (default 2; companies-en 1).
        #[arg(long)]
        min_freq: Option<f64>,
        /// Companies: how many times each news paragraph is trained on.
        #[arg(long, default_value_t = kiji::train::TrainOptions::default().news_repeat)]
        news_repeat: usize,
        /// Companies, companies-en: how many models, each trained on a fixed
        /// 80% of the sentences, are averaged into the written one (default 5;
        /// companies-en 1).
        #[arg(long)]
        bags: Option<usize>,
        /// Companies, companies-en: only cross-validate on the first corpus with K
        /// folds by file and print its `kiji eval` companies rows (companies-en: per
        /// mode of using the model); writes no model.
        #[arg(long, value_name = "K")]
        cross_validate: Option<usize>,
        /// Companies: the share of gazetteer rows (0 to 1, by a fixed hash of each
        /// row) that the training text is read without, so that the model learns
        /// the contexts of companies no list knows (default 0: measured, README
        /// "Company model").
        #[arg(long, value_name = "SHARE")]
        gazetteer_dropout: Option<f64>,
        /// companies-en: with --cross-validate, make each test fold's companies
        /// unseen: its model is trained on no sentence where one of them is a gold
        /// company, and the test fold is read with a gazetteer that lacks every row
        /// naming one (the English rows are then kiji on companies it never saw and
        /// no list knows).
        #[arg(long)]
        unseen_companies: bool,
        /// Print the optimiser's progress.
        #[arg(long)]
        verbose: bool,
        /// Companies: print every test sentence where kiji's companies differ from the
        /// gold (with --cross-validate: every news article's missed and false companies).
        /// companies-en: with --cross-validate, every cross-validated false or missed
        /// company (and every company the model found) with its context. Records: print, per article of the first corpus, the gold pairs the
        /// cross-validated records miss and the false pairs with their strongest features.
        #[arg(long)]
        show_errors: bool,
    },
    /// Regression-test articles against their `NAME.expected.json` files.
    Check {
        /// Folder of articles with expectation files beside them.
        dir: PathBuf,
        /// Write the current output as the new expectations.
        #[arg(long)]
        bless: bool,
        /// Also write the failing articles' differences as an HTML page
        /// (expected and new entities and records side by side).
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Show what the morphological analyzer does (MeCab-style output).
    Tokenize {
        /// The file (`-` or absent: stdin); text is normalized first.
        file: Option<PathBuf>,
        /// One JSON object per token, with byte offsets in the normalized line.
        #[arg(long)]
        json: bool,
        /// Only segment (no part of speech, no output per token) and print the
        /// number of tokens: the bare-segmentation baseline of scripts/perf.sh.
        #[arg(long, conflicts_with = "json")]
        count: bool,
    },
    /// Write one self-contained HTML page of what kiji found (entities, records, repairs).
    Show {
        /// Files or folders to process, or kiji JSON Lines output with --from-jsonl.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The HTML file to write (default kiji-show.html).
        #[arg(short, long, default_value = "kiji-show.html")]
        output: PathBuf,
        /// Read documents from kiji JSON Lines output instead of processing articles.
        #[arg(long)]
        from_jsonl: bool,
        /// Mark hits, false positives and misses against this gold file (seeds' or dev format).
        #[arg(long)]
        gold: Option<PathBuf>,
    },
    /// Manage the IPADIC dictionary cache.
    Dict {
        #[command(subcommand)]
        action: DictAction,
    },
}

/// The models `kiji train` writes.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum TrainTarget {
    /// The company tagger (dictionaries/companies.crf).
    Companies,
    /// The records model (dictionaries/records.model).
    Records,
    /// The English company tagger (dictionaries/companies_en.crf), trained on
    /// the first `--corpus` (default news/train).
    CompaniesEn,
}

#[derive(Subcommand)]
enum DictAction {
    /// Build the dictionary into the cache (no-op when already built).
    Build,
    /// Print where the sources and the built dictionary are.
    Path,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("kiji: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// The corpora of `--corpus` (`NAME=GOLD=DIR`), by default those of
/// `default` (a list of `kiji::records::training`); each must exist.
fn news_corpora(
    corpora: &[String],
    default: fn() -> Vec<kiji::records::training::Corpus>,
) -> Result<Vec<kiji::records::training::Corpus>> {
    use kiji::records::training;
    let corpora: Vec<training::Corpus> = if corpora.is_empty() {
        default()
    } else {
        corpora
            .iter()
            .map(|c| {
                let parts: Vec<&str> = c.splitn(3, '=').collect();
                match parts[..] {
                    [name, gold, dir] => Ok(training::Corpus {
                        name: name.into(),
                        gold: gold.into(),
                        dir: dir.into(),
                    }),
                    _ => anyhow::bail!("--corpus {c:?}: expected NAME=GOLD.json=DIR"),
                }
            })
            .collect::<Result<_>>()?
    };
    for c in &corpora {
        if !c.gold.is_file() || !c.dir.is_dir() {
            anyhow::bail!(
                "corpus {}: {} or {} not found",
                c.name,
                c.gold.display(),
                c.dir.display()
            );
        }
    }
    Ok(corpora)
}

/// The news articles of `--corpus` with their gold companies projected.
fn load_news(p: &Pipeline, corpora: &[String]) -> Result<Vec<kiji::train::news::NewsFile>> {
    let corpora = news_corpora(corpora, kiji::records::training::default_corpora)?;
    let news = kiji::train::news::load(p, &corpora)?;
    let st = kiji::train::news::stats(&news);
    eprintln!(
        "kiji: news: {} articles, {} Japanese paragraphs ({} company occurrences), {} left out for an optional company",
        st.files, st.paragraphs, st.spans, st.excluded
    );
    Ok(news)
}

/// `kiji train companies --cross-validate K`: prints the cross-validated
/// companies rows of the first corpus.
fn cross_validate_companies(
    p: &Pipeline,
    corpus: &[kiji::train::Sentence],
    corpora: &[String],
    k: usize,
    options: kiji::train::TrainOptions,
    verbose: bool,
    show_errors: bool,
) -> Result<u8> {
    if k < 2 {
        anyhow::bail!("--cross-validate needs at least 2 folds");
    }
    let news = load_news(p, corpora)?;
    let started = std::time::Instant::now();
    let cv = kiji::train::cross_validate(p, corpus, &news, k, options, verbose)?;
    if show_errors {
        for e in cv
            .errors
            .iter()
            .filter(|e| !e.missed.is_empty() || !e.spurious.is_empty())
        {
            outln!(
                "{}\n  missed: {:?}\n  spurious: {:?}",
                e.file,
                e.missed,
                e.spurious
            );
        }
    }
    outln!(
        "cross-validation: {} folds by file of the first corpus; c1 {} c2 {} iterations {} min_freq {} news_repeat {} ({:.0} s)",
        cv.folds,
        options.c1,
        options.c2,
        options.max_iterations,
        options.min_freq,
        options.news_repeat,
        started.elapsed().as_secs_f64()
    );
    out!("{}", kiji::eval::table(&cv.totals));
    Ok(0)
}

/// `kiji train companies-en`: prepares the English sentences of a gold
/// corpus, then cross-validates (`--cross-validate K`) or trains and writes
/// the English company model.
fn train_companies_en(
    out: Option<PathBuf>,
    corpora: &[String],
    folds: Option<(usize, bool)>,
    options: kiji::train::TrainOptions,
    verbose: bool,
    show_errors: bool,
    extra_conll: &[PathBuf],
) -> Result<u8> {
    use kiji::extract::companies::english::{Mode, DEFAULT_MIN_CONFIDENCE, DEFAULT_MODE};
    use kiji::train::english;
    let corpora = news_corpora(corpora, kiji::records::training::english_corpora)?;
    let Some(first) = corpora.first() else {
        anyhow::bail!("no corpus to train the English model on");
    };
    let gold = first.gold.clone();
    let mut p = pipeline(Limits::default(), false, false)?;
    p.set_english_model(None, Mode::Off);
    let started = std::time::Instant::now();
    let mut data = english::prepare(&p, &gold, &first.dir)?;
    for c in &corpora[1..] {
        english::add_corpus(&p, &mut data, &c.gold, &c.dir, false)?;
    }
    for c in extra_conll {
        let n = english::add_conll(&p, &mut data, c, "ORG")?;
        eprintln!("kiji: {n} sentences of {}", c.display());
    }
    eprintln!(
        "kiji: {} files, {} sentences ({} words, {} company mentions); {} sentences with an optional company left out",
        data.files.len(),
        data.examples.len(),
        data.words,
        data.mentions,
        data.optional_sentences
    );
    if let Some((k, unseen)) = folds {
        let mut errors = Vec::new();
        let mut configs = vec![(Mode::Off, 0.0)];
        for mode in [Mode::Source, Mode::Replace, Mode::Only] {
            for p in [0.0, 0.6, 0.7, 0.8] {
                configs.push((mode, p));
            }
        }
        let rows = english::cross_validate(
            &mut p,
            &data,
            k,
            options,
            &configs,
            unseen,
            show_errors.then_some(((DEFAULT_MODE, DEFAULT_MIN_CONFIDENCE), &mut errors)),
        )?;
        for e in &errors {
            outln!("{e}");
        }
        outln!(
            "cross-validation, {k} folds by file: {}{} ({:.0} s)",
            gold.display(),
            if unseen {
                "; each test fold's companies unseen (no training sentence, no gazetteer row)"
            } else {
                ""
            },
            started.elapsed().as_secs_f64()
        );
        outln!(
            "{:<12} {:<17} {}",
            "mode",
            "row",
            kiji::eval::column_names()
        );
        for ((mode, min), totals) in &rows {
            for (row, s) in totals.iter().filter(|(r, _)| r.starts_with("companies")) {
                let mode = format!("{}@{min:.1}", mode.name());
                outln!("{mode:<12} {row:<17} {}", s.columns());
            }
        }
        return Ok(0);
    }
    let out = out.unwrap_or_else(|| PathBuf::from("dictionaries/companies_en.crf"));
    let summary = english::train(&data, &out, options, verbose)?;
    eprintln!(
        "kiji: trained on {} sentences in {:.1} s; wrote {} ({} bytes)",
        summary.sentences,
        started.elapsed().as_secs_f64(),
        out.display(),
        summary.model_bytes
    );
    Ok(0)
}

/// `kiji train records`: cross-validates, fits and writes the records model,
/// then prints the cross-validated rows per corpus.
fn train_records(
    out: Option<PathBuf>,
    (corpora, validation): (&[String], &[String]),
    folds: usize,
    (show_errors, show_candidates): (bool, bool),
    held_out_company_model: Option<PathBuf>,
) -> Result<u8> {
    use kiji::records::training;
    let out = out.unwrap_or_else(|| PathBuf::from("dictionaries/records.model"));
    let corpora = news_corpora(corpora, kiji::records::training::default_corpora)?;
    let validation = if validation == ["none"] {
        Vec::new()
    } else {
        news_corpora(validation, kiji::records::training::validation_corpora)?
    };
    let p = pipeline(Limits::default(), false, false)?;
    let started = std::time::Instant::now();
    // The English company model was trained on news/train and the invented
    // articles: its output there is better than on any new text, and a
    // records model fitted to it would trust companies more than it should.
    // Their articles are read by English models trained on the other folds
    // (stacking).
    let same = |a: &std::path::Path, b: &std::path::Path| {
        a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
    };
    let english = training::english_corpora();
    let stacked_corpora: Vec<usize> = (0..corpora.len())
        .filter(|&i| english.iter().any(|e| same(&corpora[i].gold, &e.gold)))
        .collect();
    let make_with = |company_model: kiji::extract::companies::model::ModelSource| {
        move || {
            Pipeline::new(Options {
                company_model: company_model.clone(),
                ..options(Limits::default(), false, false)
            })
        }
    };
    let held_out_source =
        |path: &PathBuf| kiji::extract::companies::model::ModelSource::File(path.clone());
    // The held-out Japanese model is loaded first, so that a file it cannot
    // be read from stops the command before any training.
    let held_out_plain = match &held_out_company_model {
        Some(path) => Some(
            make_with(held_out_source(path))()
                .with_context(|| format!("loading {}", path.display()))?,
        ),
        None => None,
    };
    let stacked = if stacked_corpora.is_empty() {
        None
    } else {
        let mut plain = pipeline(Limits::default(), false, false)?;
        plain.set_english_model(None, kiji::extract::companies::english::Mode::Off);
        let stacked: Vec<training::Corpus> = stacked_corpora
            .iter()
            .map(|&i| corpora[i].clone())
            .collect();
        // The English corpora that records are not trained on (corpus/train2)
        // are in every out-of-fold English model, as in the shipped one.
        let unfolded: Vec<training::Corpus> = english
            .iter()
            .filter(|e| !corpora.iter().any(|c| same(&c.gold, &e.gold)))
            .cloned()
            .collect();
        Some(kiji::train::english::Stacked::build(
            &plain,
            &make_with(Default::default()),
            (&stacked, &unfolded),
            5,
        )?)
    };
    let pick = |corpus: usize, file: &str| -> &kiji::pipeline::Pipeline {
        stacked
            .as_ref()
            .filter(|_| stacked_corpora.contains(&corpus))
            .and_then(|s| s.pipeline_for(file))
            .unwrap_or(&p)
    };
    // The first corpus read by the held-out Japanese model (and, for
    // news/train, the same out-of-fold English models).
    let held_out_stacked = match (&held_out_company_model, stacked.as_ref()) {
        (Some(path), Some(s)) if stacked_corpora.first() == Some(&0) => {
            Some(s.with_pipelines(&make_with(held_out_source(path)))?)
        }
        _ => None,
    };
    let pick_held_out = held_out_plain.as_ref().map(|plain| {
        let stacked = held_out_stacked.as_ref();
        move |_: usize, file: &str| -> &kiji::pipeline::Pipeline {
            stacked.and_then(|s| s.pipeline_for(file)).unwrap_or(plain)
        }
    });
    let options = training::Options {
        folds,
        show_candidates,
        validation,
        ..Default::default()
    };
    let summary = training::train_with(
        &p,
        &pick,
        pick_held_out.as_ref().map(|f| f as &training::PipelineOf),
        &corpora,
        &options,
    )?;
    std::fs::write(&out, &summary.text).with_context(|| format!("writing {}", out.display()))?;
    let kinds_out = kinds_path(&out);
    std::fs::write(&kinds_out, &summary.kinds_text)
        .with_context(|| format!("writing {}", kinds_out.display()))?;
    eprintln!(
        "kiji: {} articles, candidates {} positive / {} negative / {} optional; c1 {} c2 {}, threshold {:.2}; {:.1} s; wrote {} ({} features)",
        summary.articles,
        summary.labels.0,
        summary.labels.1,
        summary.labels.2,
        summary.settings.c1,
        summary.settings.c2,
        summary.model.threshold(),
        started.elapsed().as_secs_f64(),
        out.display(),
        summary.model.len()
    );
    eprintln!(
        "kiji: wrote {} ({} features); {}",
        kinds_out.display(),
        summary.kinds.len(),
        summary.kind_report
    );
    if show_errors {
        out!("{}", summary.errors);
    }
    for (name, (hit, findable, all)) in &summary.candidate_recall {
        outln!(
            "{name}: candidate recall {:.3} ({hit} of {findable} gold pairs whose companies kiji found; {all} gold pairs)",
            *hit as f64 / (*findable).max(1) as f64
        );
    }
    let held_out_rows = summary.held_out_rows.as_ref().map(|r| {
        (
            format!(
                "{}, test folds read by the held-out company model",
                corpora[0].name
            ),
            r,
        )
    });
    let cross_validated = summary
        .rows
        .iter()
        .map(|(n, r)| (n.clone(), r))
        .chain(held_out_rows)
        .map(|(name, r)| (format!("cross-validated ({folds} folds), {name}"), r));
    let validated = summary
        .validation_rows
        .iter()
        .map(|(name, r)| (format!("validation (never trained on), {name}"), r));
    for (title, rows) in cross_validated.chain(validated) {
        outln!("{title}:");
        outln!("  {:<23} {}", "type", kiji::eval::column_names());
        for (t, s) in rows.iter().filter(|(t, _)| t.starts_with("partnerships")) {
            outln!("  {t:<23} {}", s.columns());
        }
    }
    Ok(0)
}

/// Where `kiji train records` writes the kind model beside the records
/// model `out`: `records.model` → `records_kinds.model`.
fn kinds_path(out: &std::path::Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "records".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}_kinds.model"))
}

fn pipeline(limits: Limits, keep_raw: bool, explain_dedup: bool) -> Result<Pipeline> {
    Pipeline::new(options(limits, keep_raw, explain_dedup)).context("loading the pipeline")
}

/// The pipeline's options: the dictionary from the environment, the bundled models.
fn options(limits: Limits, keep_raw: bool, explain_dedup: bool) -> Options {
    Options {
        dictionary: DictionaryLocation::from_env(),
        limits,
        keep_raw,
        explain_dedup,
        company_model: Default::default(),
    }
}

fn read_input(file: Option<&Path>) -> Result<(String, Format, Content)> {
    match file {
        None => read_stdin(),
        Some(p) if p.as_os_str() == "-" => read_stdin(),
        Some(p) => {
            let format = Format::of_path(p);
            let id = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((id, format, Content::File(p.to_path_buf())))
        }
    }
}

fn read_stdin() -> Result<(String, Format, Content)> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("reading stdin")?;
    Ok(("-".to_string(), Format::Markdown, Content::Bytes(buf)))
}

fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Ingest {
            paths,
            output,
            jobs,
            records,
            records_format,
            report,
            keep_raw,
            explain_dedup,
            quiet,
            limits,
        } => {
            let limits = limits.limits();
            for p in &paths {
                if !p.exists() {
                    anyhow::bail!("{}: no such file or folder", p.display());
                }
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.unwrap_or(0))
                .build()
                .context("starting worker threads")?;
            let pipeline = pipeline(limits, keep_raw, explain_dedup)?;
            let discovery = ingest::discover(&paths, &limits);
            let mut summary = Summary::default();
            let mut sink = Sink::open(output.as_deref())?;
            let mut record_writer = match &records {
                Some(path) => Some(RecordWriter::open(path, records_format)?),
                None => None,
            };
            for s in &discovery.skipped {
                summary.seen += 1;
                summary.skipped += 1;
                *summary
                    .reasons
                    .entry(format!("skipped: {}", s.reason))
                    .or_default() += 1;
            }
            let bar = progress_bar(quiet, discovery.inputs.len() as u64);
            let to_stdout = output.as_ref().is_none_or(|o| o.as_os_str() == "-");
            let result = pool.install(|| {
                batch::run(
                    &pipeline,
                    &discovery.inputs,
                    &mut summary,
                    |outcome, summary| {
                        match &outcome {
                            Outcome::Ok(doc) => {
                                sink.write_json(doc.as_ref())?;
                                if let Some(w) = record_writer.as_mut() {
                                    w.write(doc)?;
                                }
                            }
                            Outcome::Failed(id, msg) => {
                                sink.write_json(&error_line(id, msg))?;
                                if !quiet {
                                    bar.suspend(|| eprintln!("kiji: {id}: {msg}"));
                                }
                            }
                        }
                        if to_stdout {
                            sink.flush()?;
                        }
                        bar.inc(1);
                        bar.set_message(format!("{:.1} MB", summary.bytes as f64 / 1e6));
                        Ok::<(), std::io::Error>(())
                    },
                )
            });
            bar.finish_and_clear();
            if let Err(e) = result {
                if is_broken_pipe(&e) {
                    return Ok(0);
                }
                return Err(e).context("writing output");
            }
            if let Err(e) = sink.finish() {
                if matches!(&e, kiji::KijiError::Io { source, .. } if is_broken_pipe(source)) {
                    return Ok(0);
                }
                return Err(e.into());
            }
            if let Some(w) = record_writer {
                w.finish()?;
            }
            if !quiet {
                eprintln!(
                    "kiji: seen {} ok {} failed {} skipped {} duplicates {} ({:.1} MB in {:.2} s)",
                    summary.seen,
                    summary.ok,
                    summary.failed,
                    summary.skipped,
                    summary.duplicates,
                    summary.bytes as f64 / 1e6,
                    summary.seconds
                );
                for (reason, n) in &summary.reasons {
                    eprintln!("kiji:   {reason}: {n}");
                }
            }
            if let Some(path) = report {
                let mut s = Sink::open(Some(&path))?;
                s.write_json(&summary).context("writing the report")?;
                s.finish()?;
            }
            Ok(if summary.failed > 0 { 2 } else { 0 })
        }
        Command::Stream {
            jobs,
            signatures,
            no_duplicates,
            keep_raw,
            explain_dedup,
            limits,
        } => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.unwrap_or(0))
                .build()
                .context("starting worker threads")?;
            let pipeline = pipeline(limits.limits(), keep_raw, explain_dedup)?;
            let options = kiji::stream::StreamOptions {
                signatures,
                duplicates: !no_duplicates,
            };
            let reader = std::io::BufReader::new(std::io::stdin());
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let result = pool.install(|| kiji::stream::run(&pipeline, reader, &mut out, &options));
            match result {
                Ok(summary) => Ok(if summary.failed > 0 { 2 } else { 0 }),
                Err(kiji::KijiError::Io { source, .. }) if is_broken_pipe(&source) => Ok(0),
                Err(e) => Err(e.into()),
            }
        }
        Command::Extract {
            file,
            keep_raw,
            explain_dedup,
            candidates,
            limits,
        } => {
            let pipeline = pipeline(limits.limits(), keep_raw, explain_dedup)?;
            let (id, format, content) = read_input(file.as_deref())?;
            let input = Input {
                id: id.clone(),
                format,
                content,
            };
            let (doc, found) = pipeline
                .process_with_candidates(&input)
                .with_context(|| format!("processing {id}"))?;
            let mut value = serde_json::to_value(&doc)?;
            if candidates {
                value["candidates"] = kiji::records::model::explain(
                    &found,
                    pipeline.deals().model(),
                    pipeline.deals().kinds(),
                );
            }
            outln!("{}", serde_json::to_string_pretty(&value)?);
            Ok(0)
        }
        Command::Train {
            model: TrainTarget::CompaniesEn,
            out,
            corpora,
            cross_validate,
            c1,
            c2,
            iterations,
            min_freq,
            verbose,
            show_errors,
            extra_conll,
            bags,
            unseen_companies,
            ..
        } => {
            let en = kiji::train::english::default_options();
            let options = kiji::train::TrainOptions {
                c1,
                c2,
                max_iterations: iterations.unwrap_or(en.max_iterations),
                min_freq: min_freq.unwrap_or(en.min_freq),
                bags: bags.unwrap_or(en.bags),
                ..en
            };
            train_companies_en(
                out,
                &corpora,
                cross_validate.map(|k| (k, unseen_companies)),
                options,
                verbose,
                show_errors,
                &extra_conll,
            )
        }
        Command::Train {
            model: TrainTarget::Records,
            out,
            corpora,
            folds,
            show_errors,
            show_candidates,
            held_out_company_model,
            validation,
            ..
        } => train_records(
            out,
            (&corpora, &validation),
            folds,
            (show_errors, show_candidates),
            held_out_company_model,
        ),

        Command::Train {
            data,
            out,
            corpora,
            evaluate_only,
            c1,
            c2,
            iterations,
            min_freq,
            news_repeat,
            cross_validate,
            verbose,
            show_errors,
            bags,
            gazetteer_dropout,
            ..
        } => {
            let out = out.unwrap_or_else(|| PathBuf::from("dictionaries/companies.crf"));
            let corpus = kiji::train::load_corpus(&data)?;
            let mut p = pipeline(Limits::default(), false, false)?;
            let options = kiji::train::TrainOptions {
                c1,
                c2,
                max_iterations: iterations
                    .unwrap_or(kiji::train::TrainOptions::default().max_iterations),
                min_freq: min_freq.unwrap_or(kiji::train::TrainOptions::default().min_freq),
                news_repeat,
                bags: bags.unwrap_or(kiji::train::TrainOptions::default().bags),
                gazetteer_dropout: gazetteer_dropout
                    .map_or(kiji::train::DEFAULT_GAZETTEER_DROPOUT, |share| {
                        (share.clamp(0.0, 1.0) * 1000.0).round() as u32
                    }),
            };
            if let Some(k) = cross_validate {
                return cross_validate_companies(
                    &p,
                    &corpus,
                    &corpora,
                    k,
                    options,
                    verbose,
                    show_errors,
                );
            }
            if !evaluate_only {
                let news = load_news(&p, &corpora)?;
                let news: Vec<&kiji::train::news::NewsFile> = news.iter().collect();
                let started = std::time::Instant::now();
                let summary = kiji::train::train(&p, &corpus, &news, &out, options, verbose)?;
                eprintln!(
                    "kiji: trained on {} sequences ({} of them news paragraphs; {} tokens, {} entities, {} with a boundary inside a token) in {:.1} s; wrote {} ({} bytes)",
                    summary.sentences,
                    summary.news_paragraphs,
                    summary.tokens,
                    summary.entities,
                    summary.misaligned,
                    started.elapsed().as_secs_f64(),
                    out.display(),
                    summary.model_bytes
                );
                p = Pipeline::new(Options {
                    company_model: kiji::extract::companies::model::ModelSource::File(out.clone()),
                    ..p.options().clone()
                })
                .context("loading the pipeline with the new model")?;
            }
            let (report, errors) = kiji::train::evaluate_with_errors(&p, &corpus)?;
            if show_errors {
                for e in &errors {
                    outln!(
                        "#{} {}\n  missed: {:?}\n  spurious: {:?}",
                        e.index,
                        e.text,
                        e.missed,
                        e.spurious
                    );
                }
            }
            outln!(
                "test split: {} sentences (ner-wikipedia, i % 10 == 9), model {}",
                report.sentences,
                p.extractor().companies.model().origin()
            );
            outln!(
                "{:<34}{:>10}{:>10}{:>10}{:>7}{:>7}{:>7}",
                "scorer",
                "precision",
                "recall",
                "f1",
                "tp",
                "pred",
                "gold"
            );
            for (name, s) in [
                ("kiji companies / all 法人名", report.kiji),
                (
                    "kiji companies / without schools",
                    report.kiji_companies_only,
                ),
                ("model alone / all 法人名", report.model),
                ("model alone / without schools", report.model_companies_only),
            ] {
                outln!(
                    "{:<34}{:>10.3}{:>10.3}{:>10.3}{:>7}{:>7}{:>7}",
                    name,
                    s.precision,
                    s.recall,
                    s.f1,
                    s.tp,
                    s.predicted,
                    s.gold
                );
            }
            Ok(0)
        }
        Command::Show {
            paths,
            output,
            from_jsonl,
            gold,
        } => {
            for p in &paths {
                if !p.exists() {
                    anyhow::bail!("{}: no such file or folder", p.display());
                }
            }
            let gold = gold.as_deref().map(kiji::eval::read_gold).transpose()?;
            // The pipeline processes the articles and scores against gold.
            let scorer = if !from_jsonl || gold.is_some() {
                Some(pipeline(Limits::default(), false, true)?)
            } else {
                None
            };
            let (docs, failed) = match (&scorer, from_jsonl) {
                (Some(p), false) => kiji::show::process_paths(p, &paths),
                _ => kiji::show::read_jsonl(&paths)?,
            };
            let shown: Vec<kiji::show::Shown> = docs
                .iter()
                .map(|doc| {
                    let g = gold.as_ref().and_then(|g| kiji::show::gold_for(g, &doc.id));
                    let judged = g.zip(scorer.as_ref());
                    kiji::show::Shown {
                        doc,
                        marks: judged.map(|(g, p)| kiji::eval::marks(p, doc, g)),
                        scores: judged.map(|(g, p)| kiji::eval::score_document(p, doc, g)),
                    }
                })
                .collect();
            let page = kiji::show::page("kiji show", &shown);
            let mut sink = Sink::open(Some(&output))?;
            sink.write_bytes(page.as_bytes())?;
            sink.finish()?;
            for (id, message) in &failed {
                eprintln!("kiji: {id}: {message}");
            }
            eprintln!(
                "kiji: wrote {} ({} documents, {} failed)",
                output.display(),
                docs.len(),
                failed.len()
            );
            Ok(if failed.is_empty() { 0 } else { 2 })
        }
        Command::Eval {
            gold,
            dir,
            json,
            show_errors,
            unseen_companies,
        } => {
            let pipeline = pipeline(Limits::default(), false, false)?;
            let own = |g: &kiji::eval::GoldFile| -> kiji::Result<Option<Pipeline>> {
                if !unseen_companies {
                    return Ok(None);
                }
                let names = kiji::train::unseen::gold_names(g);
                kiji::train::unseen::unseen_pipeline(pipeline.options(), &names).map(Some)
            };
            let report = kiji::eval::evaluate_each(&pipeline, &gold, &dir, show_errors, &own)?;
            for (file, lines) in &report.errors {
                outln!("{file}");
                for line in lines {
                    outln!("  {line}");
                }
            }
            out!("{}", report.table());
            if let Some(path) = json {
                let mut s = Sink::open(Some(&path))?;
                s.write_bytes(serde_json::to_string_pretty(&report)?.as_bytes())?;
                s.finish()?;
            }
            Ok(0)
        }
        Command::Check { dir, bless, html } => {
            use kiji::check::Status;
            let pipeline = pipeline(Limits::default(), false, false)?;
            let results = kiji::check::check_dir(&pipeline, &dir, bless)?;
            let (mut passed, mut failed, mut missing, mut changed) = (0, 0, 0, 0);
            for r in &results {
                match &r.status {
                    Status::Passed => passed += 1,
                    Status::Failed(diff) => {
                        failed += 1;
                        outln!("FAIL {} ({})", r.id, r.expected.display());
                        for line in diff {
                            outln!("    {line}");
                        }
                    }
                    Status::NoExpectation => {
                        missing += 1;
                        outln!("NO EXPECTATION {} (create it with --bless)", r.id);
                    }
                    Status::Blessed(true) => {
                        changed += 1;
                        outln!("blessed {} -> {}", r.id, r.expected.display());
                    }
                    Status::Blessed(false) => passed += 1,
                }
            }
            if bless {
                outln!("check: {changed} expectation(s) written, {passed} unchanged");
                return Ok(0);
            }
            if let Some(out) = html {
                let changed: Vec<kiji::show::Changed> = results
                    .iter()
                    .filter_map(|r| match &r.status {
                        Status::Failed(diff) => Some((r, diff)),
                        _ => None,
                    })
                    .map(|(r, diff)| {
                        let expected = std::fs::read_to_string(&r.expected)
                            .ok()
                            .and_then(|t| serde_json::from_str(&t).ok());
                        let actual = serde_json::from_str(&r.actual).ok();
                        kiji::show::Changed {
                            id: r.id.clone(),
                            diff: diff.clone(),
                            expected,
                            actual,
                        }
                    })
                    .collect();
                let page = kiji::show::check_page("kiji check", &changed, passed);
                let mut sink = Sink::open(Some(&out))?;
                sink.write_bytes(page.as_bytes())?;
                sink.finish()?;
                eprintln!("kiji: wrote {}", out.display());
            }
            outln!("check: {passed} passed, {failed} failed, {missing} without expectation");
            Ok(if failed > 0 || missing > 0 { 2 } else { 0 })
        }
        Command::Tokenize { file, json, count } => {
            let pipeline = pipeline(Limits::default(), false, false)?;
            let (_, _, content) = read_input(file.as_deref())?;
            let bytes = match content {
                Content::File(p) => {
                    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?
                }
                Content::Bytes(b) => b,
                Content::Text { body, .. } => body.into_bytes(),
                Content::JsonLine {
                    path, offset, len, ..
                } => ingest::read_json_line(&path, offset, len)?.into_bytes(),
                Content::Unreadable(message) => anyhow::bail!("{message}"),
            };
            let text = ingest::decode::decode(&bytes)?.text;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let res = (|| -> Result<()> {
                use std::io::Write;
                let mut tokens = 0usize;
                for line in text.lines() {
                    let line = kiji::normalize::normalize(line);
                    if line.is_empty() {
                        continue;
                    }
                    if count {
                        tokens += pipeline.analyzer().count_tokens(&line)?;
                    } else if json {
                        for t in pipeline.analyzer().tokenize_detailed(&line)? {
                            serde_json::to_writer(&mut out, &t)?;
                            writeln!(out)?;
                        }
                    } else {
                        pipeline
                            .analyzer()
                            .write_mecab::<_, anyhow::Error>(&line, &mut out)?;
                    }
                }
                if count {
                    writeln!(out, "{tokens}")?;
                }
                out.flush()?;
                Ok(())
            })();
            match res {
                Err(e)
                    if e.downcast_ref::<std::io::Error>()
                        .is_some_and(is_broken_pipe) =>
                {
                    Ok(0)
                }
                other => other.map(|_| 0),
            }
        }
        Command::Dict { action } => {
            let loc = DictionaryLocation::from_env();
            match action {
                DictAction::Build => {
                    let start = std::time::Instant::now();
                    let built = loc.ensure_built()?;
                    if built {
                        eprintln!(
                            "kiji: built {} in {:.1} s",
                            loc.built_dir().display(),
                            start.elapsed().as_secs_f64()
                        );
                    } else {
                        eprintln!("kiji: {} is already built", loc.built_dir().display());
                    }
                }
                DictAction::Path => {
                    outln!("sources: {}", loc.source_dir.display());
                    outln!(
                        "built:   {}{}",
                        loc.built_dir().display(),
                        if loc.is_built() {
                            ""
                        } else {
                            " (not built yet)"
                        }
                    );
                }
            }
            Ok(0)
        }
    }
}

fn progress_bar(quiet: bool, len: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files, {msg}, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
