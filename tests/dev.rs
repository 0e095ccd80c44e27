//! `kiji eval` over the development set in `../shared/dev` (read in place,
//! never copied). Only that it reads: every gold file is found and every
//! score is a fraction; the dev figures themselves are not asserted.
//! Skips when the folder is absent.

mod common;

use std::collections::BTreeMap;

#[test]
fn eval_reads_the_dev_set() {
    let Some(dir) = common::dev() else {
        return eprintln!("skipped: ../shared/dev absent");
    };
    let gold_path = dir.join("gold.json");
    let gold: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&gold_path).unwrap()).unwrap();
    let report =
        kiji::eval::evaluate(common::pipeline(), &gold_path, &dir.join("articles")).unwrap();
    println!("{}", report.table());
    assert!(report.missing.is_empty(), "missing: {:?}", report.missing);
    assert_eq!(
        report.files.keys().collect::<Vec<_>>(),
        gold.keys().collect::<Vec<_>>()
    );
    let rows = [
        "amounts",
        "companies",
        "partnerships",
        "partnerships_kind",
        "partnerships_pair",
        "partnerships_year",
        "verbs",
        "years",
    ];
    let per_file = report.files.iter().map(|(f, s)| (f.as_str(), s));
    for (name, scores) in std::iter::once(("totals", &report.totals)).chain(per_file) {
        // The totals also have the amounts and years rows per language.
        let keys: Vec<&String> = scores
            .keys()
            .filter(|k| {
                name != "totals"
                    || !kiji::eval::LANG_ROWS
                        .iter()
                        .any(|r| k.strip_prefix(r).is_some_and(|t| t.starts_with('_')))
            })
            .collect();
        assert_eq!(keys, rows, "{name}");
        for (row, s) in scores {
            for v in [s.precision, s.recall, s.f1] {
                assert!((0.0..=1.0).contains(&v), "{name} {row}: {s:?}");
            }
            assert!(
                s.tp <= s.predicted && s.found <= s.gold,
                "{name} {row}: {s:?}"
            );
        }
    }
}
