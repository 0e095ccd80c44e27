//! The shipped company model on the ner-wikipedia test split (sentences at
//! positions `i % 10 == 9` of `../shared/data/ner-wikipedia/ner.json`, never
//! trained on). The figures are the ones the README states; the test skips
//! when the corpus is absent.

mod common;

use kiji::extract::companies::model::{CompanyModel, ModelSource};

/// F1 figures of the bundled model, as stated in the README ("Company model").
const KIJI_F1_ALL: f64 = 0.665;
const KIJI_F1_WITHOUT_SCHOOLS: f64 = 0.694;
const MODEL_F1_ALL: f64 = 0.710;

fn corpus() -> Option<Vec<kiji::train::Sentence>> {
    let path = common::root().join("../shared/data/ner-wikipedia/ner.json");
    path.is_file()
        .then(|| kiji::train::load_corpus(&path).expect("ner.json parses"))
}

#[test]
fn shipped_model_scores_what_the_readme_says_on_the_test_split() {
    let Some(corpus) = corpus() else {
        return eprintln!("skipped: ../shared/data/ner-wikipedia absent");
    };
    assert_eq!(corpus.len(), 5343);
    assert_eq!(corpus.iter().filter(|s| s.is_test()).count(), 534);
    let report = kiji::train::evaluate(common::pipeline(), &corpus).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 0.0015;
    assert!(close(report.kiji.f1, KIJI_F1_ALL), "{report:?}");
    assert!(
        close(report.kiji_companies_only.f1, KIJI_F1_WITHOUT_SCHOOLS),
        "{report:?}"
    );
    assert!(close(report.model.f1, MODEL_F1_ALL), "{report:?}");
}

#[test]
fn bundled_model_is_small_and_loads() {
    let m = CompanyModel::load(&ModelSource::Bundled).unwrap();
    // README: 1.8 MB (five bags averaged).
    assert!(m.size() < 2_000_000, "{}", m.size());
    assert!(m.attributes() > 10_000, "{}", m.attributes());
}

#[test]
fn a_missing_model_file_is_a_clear_error_from_the_cli() {
    let out = assert_cmd::Command::cargo_bin("kiji")
        .unwrap()
        .env("KIJI_COMPANY_MODEL", "/nonexistent/companies.crf")
        .args(["extract", "-"])
        .write_stdin("トヨタ自動車は提携した。")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/companies.crf"), "{err}");
    assert!(err.contains("kiji train"), "{err}");
}
