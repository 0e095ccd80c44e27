//! The money and year grammars, table-driven: `tests/cases/money.tsv` and
//! `tests/cases/years.tsv` hold sentences written for kiji with every amount
//! or year they must give (format in each file's header). Each sentence goes
//! through the whole pipeline (normalization included); a case fails when an
//! expected entity is missing or different, or when another one is found.

mod common;

use kiji::document::{Entity, EntityKind};

/// The data rows of a case file: (line number, sentence, expected).
fn cases(name: &str) -> Vec<(usize, String, String)> {
    let path = format!("{}/tests/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|(i, l)| {
            let (s, e) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{name}:{}: no tab", i + 1));
            (i + 1, s.to_string(), e.trim().to_string())
        })
        .collect()
}

fn entities(sentence: &str, kind: &str) -> Vec<Entity> {
    let doc = common::pipeline()
        .process_text("case.txt", sentence)
        .unwrap();
    doc.entities
        .into_iter()
        .filter(|e| e.type_name() == kind)
        .collect()
}

/// One amount as the case files write it: `SURFACE=VALUE CODE [flags]`.
fn describe_amount(e: &Entity) -> String {
    let EntityKind::Amount {
        value,
        currency,
        qualifier,
        max,
        per_unit,
        ..
    } = &e.kind
    else {
        unreachable!()
    };
    let mut s = format!("{}={} {}", e.text, number(*value), currency);
    if let Some(q) = qualifier {
        s += &format!(" ~{q}");
    }
    if let Some(m) = max {
        s += &format!(" max:{}", number(*m));
    }
    if *per_unit {
        s += " per_unit";
    }
    s
}

/// One year as the case files write it: `SURFACE=YEAR [m:M] [d:D] [flags]`.
fn describe_year(e: &Entity) -> String {
    let EntityKind::Year {
        year,
        month,
        day,
        fiscal,
        decade,
        range,
    } = &e.kind
    else {
        unreachable!()
    };
    let mut s = format!("{}={year}", e.text);
    if let Some(m) = month {
        s += &format!(" m:{m}");
    }
    if let Some(d) = day {
        s += &format!(" d:{d}");
    }
    if *fiscal {
        s += " fiscal";
    }
    if *decade {
        s += " decade";
    }
    if let Some(r) = range {
        s += &format!(" range:{r}");
    }
    s
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e18 {
        format!("{}", v as i128)
    } else {
        format!("{v}")
    }
}

/// Runs every case of `file`; returns the failures as readable lines.
fn run(file: &str, kind: &str, describe: fn(&Entity) -> String) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let all = cases(file);
    for (line, sentence, expected) in &all {
        let want: Vec<String> = if expected == "-" {
            Vec::new()
        } else {
            expected.split(';').map(|x| x.trim().to_string()).collect()
        };
        let got: Vec<String> = entities(sentence, kind).iter().map(describe).collect();
        if got != want {
            failures.push(format!(
                "{file}:{line}: {sentence}\n    want {want:?}\n    got  {got:?}"
            ));
        }
    }
    (all.len(), failures)
}

fn check(file: &str, kind: &str, describe: fn(&Entity) -> String) {
    let (n, failures) = run(file, kind, describe);
    assert!(n >= 150, "{file} holds {n} cases, fewer than 150");
    assert!(
        failures.is_empty(),
        "{} of {n} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn money_cases() {
    check("money.tsv", "amount", describe_amount);
}

#[test]
fn year_cases() {
    check("years.tsv", "year", describe_year);
}
