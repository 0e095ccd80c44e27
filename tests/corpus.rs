//! The invented articles of `corpus/` (kiji's own training and held-out
//! text): every gold file reads and names only articles that exist, and its
//! companies and records are consistent with the texts (part of what
//! `../shared/news/check_gold.py` checks: surfaces, alias groups, record
//! parties, years; the script also checks amounts and deal words).

use std::collections::HashSet;
use std::path::Path;

/// Whitespace runs collapsed to one space (the gold's rule for surfaces).
fn collapsed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(set: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(set);
    let gold = kiji::eval::read_gold(&root.join("gold.json")).expect("gold reads");
    let articles: HashSet<String> = std::fs::read_dir(root.join("articles"))
        .expect("articles folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        articles.len(),
        gold.len(),
        "{set}: one gold entry per article"
    );
    let mut records = 0;
    for (name, g) in &gold {
        assert!(articles.contains(name), "{set}/{name}: no such article");
        let text = std::fs::read_to_string(root.join("articles").join(name)).expect("utf-8 text");
        let text = collapsed(&text);
        for c in g.companies.iter().chain(&g.companies_optional) {
            assert!(
                text.contains(&collapsed(c)),
                "{set}/{name}: {c:?} not in the text"
            );
        }
        // Every required company is in exactly one alias group.
        for c in &g.companies {
            let groups = g
                .company_groups
                .iter()
                .filter(|grp| grp.contains(c))
                .count();
            assert_eq!(groups, 1, "{set}/{name}: {c:?} is in {groups} groups");
            assert!(
                g.company_canonical.contains_key(c),
                "{set}/{name}: {c:?} has no canonical name"
            );
        }
        let known: HashSet<&String> = g.companies.iter().chain(&g.companies_optional).collect();
        for p in g.partnerships.iter().chain(&g.partnerships_optional) {
            for side in [&p.a, &p.b] {
                assert!(
                    known.contains(side),
                    "{set}/{name}: record party {side:?} is no company"
                );
            }
            let canonical = |c: &String| {
                g.company_canonical
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| c.clone())
            };
            assert_ne!(
                canonical(&p.a),
                canonical(&p.b),
                "{set}/{name}: a record pairs a company with itself"
            );
        }
        for y in &g.years {
            assert!((1850..=2100).contains(y), "{set}/{name}: year {y}");
        }
        records += g.partnerships.len();
    }
    records
}

/// Each set of `corpus/` with its number of required partnership records.
#[test]
fn every_invented_set_has_consistent_gold() {
    for (set, records) in [
        ("train", 77),
        ("train2", 172),
        ("train3", 83),
        ("heldout", 101),
        ("heldout2", 53),
    ] {
        assert_eq!(check(set), records, "{set}");
    }
}
