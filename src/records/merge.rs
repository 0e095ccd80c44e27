//! Merging: one record per unordered pair and relationship, with all evidence.

use std::collections::{HashMap, HashSet};

use super::Deals;
use crate::document::Record;

pub(super) fn pair_key(r: &Record) -> (String, String) {
    let (a, b) = (r.companies[0].clone(), r.companies[1].clone());
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

pub(super) fn source_rank(s: Option<&str>) -> u8 {
    match s {
        Some("table") => 0,
        Some("sentence") => 1,
        Some("paragraph" | "caption") => 2,
        Some("dateline") => 3,
        _ => 4,
    }
}

/// Whether two records of one pair are two events: each dated by its own
/// statement and stated with a deal term, in different years (an alliance in 2017, a new
/// agreement in 2019).
fn different_events(a: &Record, b: &Record) -> bool {
    // A year of the statement itself, with a deal term of its own (a table
    // row and its prose, or a plan's start year after a weak deal word, are
    // one event).
    let own = |r: &Record| r.year_source.as_deref() == Some("sentence") && r.kind.is_some();
    own(a) && own(b) && a.year.is_some() && b.year.is_some() && a.year != b.year
}

/// Merges records of the same unordered pair and relationship (kinds of one
/// group in `deal_kinds.tsv`, a bare agreement, or a capital alliance and its
/// investment), keeping all evidence and the kind listed first there: an
/// acquisition and an alliance of the same two companies stay two records,
/// and so do two events dated by their own statements in different years.
/// The year comes from the best source (table, then sentence, then paragraph
/// or caption, then dateline).
pub fn merge(records: Vec<Record>, deals: &Deals) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    // Per kept record, the evidence it has (source and offsets): a set, so
    // that a table of thousands of rows of one pair merges in linear time.
    let mut seen: Vec<HashSet<(String, usize, usize)>> = Vec::new();
    let mut index: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for r in records {
        let key = pair_key(&r);
        let found = index.get(&key).and_then(|v| {
            v.iter().copied().find(|&i| {
                deals.same_relationship(out[i].kind.as_deref(), r.kind.as_deref())
                    && !different_events(&out[i], &r)
            })
        });
        match found {
            Some(i) => {
                let kept = &mut out[i];
                if source_rank(r.year_source.as_deref()) < source_rank(kept.year_source.as_deref())
                {
                    kept.year = r.year;
                    kept.year_source = r.year_source.clone();
                }
                if kept.amount.is_none() {
                    kept.amount = r.amount.clone();
                }
                if deals.precedes(r.kind.as_deref(), kept.kind.as_deref()) {
                    kept.verb = r.verb.clone();
                    kept.kind = r.kind.clone();
                    kept.parties = r.parties.clone();
                    kept.companies = r.companies.clone();
                } else if kept.verb.is_none() {
                    kept.verb = r.verb.clone();
                    kept.kind = r.kind.clone();
                }
                for p in &r.parties {
                    if let Some(k) = kept.parties.iter_mut().find(|k| k.name == p.name) {
                        if k.role.is_none() {
                            k.role = p.role.clone();
                        }
                        if k.country.is_none() {
                            k.country = p.country.clone();
                        }
                    }
                }
                for ev in r.evidence {
                    if seen[i].insert((ev.source.clone(), ev.start, ev.end)) {
                        kept.evidence.push(ev);
                    }
                }
            }
            None => {
                index.entry(key).or_default().push(out.len());
                seen.push(
                    r.evidence
                        .iter()
                        .map(|ev| (ev.source.clone(), ev.start, ev.end))
                        .collect(),
                );
                out.push(r);
            }
        }
    }
    out
}
