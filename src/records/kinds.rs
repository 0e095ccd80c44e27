//! The learned choice of a record's kind: which relationship (alliance,
//! equity, merger, joint venture, adoption) a candidate pair's statement
//! states.
//!
//! A multinomial logistic regression over the same named features as the
//! records model ([`super::features`]: the statement's deal terms and their
//! kinds, where each stands, the rules' reading, cues, …), one weight per
//! feature and group, read from `dictionaries/records_kinds.model` (written by
//! `kiji train records`, see [`super::training`]). When the records are
//! decided, an accepted candidate whose record has no kind (the rules read
//! only a weaker deal word: 統合, stake) takes the model's best group unless
//! another accepted candidate of its pair has a kind (it merges into that
//! one's); a record's own kind is replaced only when the best group's score
//! passes its own group's by more than the model's margin (chosen by
//! cross-validation; infinite in the shipped model). The new kind is the
//! statement's nearest term of the group, or, with none, the group's plain
//! kind ([`GROUPS`]); the roles follow it. Scoring is a sum of hash-map
//! lookups in a fixed order: the same candidate gets the same kind on any
//! thread. It never decides whether two companies are partners
//! ([`super::model`] does), nor years or amounts ([`super::attributes`]).
//!
//! File format (UTF-8 text): `#` lines are comments (data, date, settings,
//! scores); the line named `@margin` gives the margin (`inf`: infinite), the
//! line named `@groups` lists the groups, tab-separated; then one
//! `name<TAB>weight<TAB>…` line per feature, a weight per group.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fnv::FnvHashMap;

use super::candidates::Candidate;
use super::model::feature_hash;
use super::Deals;
use crate::document::Record;
use crate::error::{KijiError, Result};

/// The model shipped with kiji.
pub const BUNDLED_KINDS: &str = include_str!("../../dictionaries/records_kinds.model");

/// Name of the line that lists the groups.
pub const GROUPS_LINE: &str = "@groups";

/// Name of the line that gives the margin (see [`KindModel::margin`]).
pub const MARGIN_LINE: &str = "@margin";

/// The groups the model chooses among (those of `deal_kinds.tsv` and of
/// `kiji eval`'s `partnerships_kind` row, `agreement` aside: a bare agreement
/// states no relationship of its own) and the plain kind each takes when its
/// statement has no term of the group.
pub const GROUPS: [(&str, &str); 5] = [
    ("alliance", "business_alliance"),
    ("equity", "investment"),
    ("merger", "merger"),
    ("joint_venture", "joint_venture"),
    ("adoption", "adoption"),
];

/// Weights of the features per group.
#[derive(Debug, Clone, PartialEq)]
pub struct KindModel {
    groups: Vec<String>,
    /// How far the best group's score must pass the score of the group of
    /// a record's own kind to replace it (infinite: only a record with no
    /// kind takes the model's).
    margin: f64,
    /// By name, for writing the file.
    weights: BTreeMap<String, Vec<f64>>,
    /// By [`feature_hash`] of the name, for scoring.
    hashed: FnvHashMap<u64, Vec<f64>>,
    origin: String,
}

impl KindModel {
    /// The model compiled into kiji, or the file named by
    /// `KIJI_RECORD_KINDS_MODEL` (set and not empty).
    pub fn load_default() -> Result<Self> {
        super::model::load_default("KIJI_RECORD_KINDS_MODEL", BUNDLED_KINDS, Self::parse)
    }

    /// Reads a model file.
    pub fn from_file(path: &Path) -> Result<Self> {
        super::model::from_file(path, Self::parse)
    }

    /// Parses a model's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let bad = |line: usize, message: String| KijiError::BadFile {
            path: PathBuf::from(origin),
            message: format!("record kinds model line {}: {message}", line + 1),
        };
        let mut groups: Option<Vec<String>> = None;
        let mut margin: Option<f64> = None;
        let mut weights = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cells = line.split('\t');
            let name = cells.next().unwrap_or_default();
            if name == MARGIN_LINE {
                let m = cells.next().unwrap_or_default();
                margin = Some(
                    m.parse::<f64>()
                        .ok()
                        .filter(|m| !m.is_nan())
                        .ok_or_else(|| bad(i, format!("margin {m:?} is no number")))?,
                );
                continue;
            }
            if name == GROUPS_LINE {
                let g: Vec<String> = cells.map(str::to_string).collect();
                if g.is_empty() || g.iter().any(|g| !GROUPS.iter().any(|k| k.0 == g)) {
                    return Err(bad(i, format!("unknown groups {g:?}")));
                }
                groups = Some(g);
                continue;
            }
            let Some(n) = groups.as_ref().map(Vec::len) else {
                return Err(bad(i, format!("a weight before the {GROUPS_LINE} line")));
            };
            let w: Vec<f64> = cells
                .map(|w| {
                    w.parse::<f64>()
                        .ok()
                        .filter(|w| w.is_finite())
                        .ok_or_else(|| bad(i, format!("weight {w:?} is no finite number")))
                })
                .collect::<Result<_>>()?;
            if w.len() != n {
                return Err(bad(i, format!("{} weights for {n} groups", w.len())));
            }
            weights.insert(name.to_string(), w);
        }
        let groups = groups.ok_or_else(|| bad(0, format!("no {GROUPS_LINE} line")))?;
        let margin = margin.ok_or_else(|| bad(0, format!("no {MARGIN_LINE} line")))?;
        Ok(Self::new(groups, weights, origin).with_margin(margin))
    }

    /// A model from its groups and the weights of each feature (one per
    /// group), with an infinite margin.
    pub fn new(groups: Vec<String>, weights: BTreeMap<String, Vec<f64>>, origin: &str) -> Self {
        let hashed = weights
            .iter()
            .map(|(name, w)| (feature_hash(name), w.clone()))
            .collect();
        KindModel {
            groups,
            margin: f64::INFINITY,
            weights,
            hashed,
            origin: origin.to_string(),
        }
    }

    /// The model's text: `header` lines as comments, the groups, then the
    /// weights sorted by name (features with no weight left out).
    pub fn to_text(&self, header: &[String]) -> String {
        let mut out = super::model::comments(header);
        out.push_str(&format!("{MARGIN_LINE}\t{}\n", self.margin));
        out.push_str(GROUPS_LINE);
        for g in &self.groups {
            out.push('\t');
            out.push_str(g);
        }
        out.push('\n');
        for (name, w) in self
            .weights
            .iter()
            .filter(|(_, w)| w.iter().any(|x| *x != 0.0))
        {
            out.push_str(name);
            for x in w {
                out.push_str(&format!("\t{x}"));
            }
            out.push('\n');
        }
        out
    }

    /// Each group's score (the sum of its weights) over the features of
    /// these [`feature_hash`]es, summed in their order.
    pub fn scores(&self, hashes: &[u64]) -> Vec<f64> {
        let mut sums = vec![0.0; self.groups.len()];
        for w in hashes.iter().filter_map(|h| self.hashed.get(h)) {
            for (s, x) in sums.iter_mut().zip(w) {
                *s += x;
            }
        }
        sums
    }

    /// The group of the highest [`scores`](Self::scores) (the first listed
    /// on a tie); `None` with no groups.
    pub fn choose(&self, hashes: &[u64]) -> Option<&str> {
        let s = self.scores(hashes);
        (!s.is_empty()).then(|| self.groups[argmax(&s)].as_str())
    }

    /// A copy with another margin.
    pub fn with_margin(mut self, margin: f64) -> Self {
        self.margin = margin;
        self
    }

    /// How far the best group's score must pass the score of the group of a
    /// record's own kind to replace it.
    pub fn margin(&self) -> f64 {
        self.margin
    }

    /// The groups, in the file's order.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the model has no weights.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Where the model came from (`bundled`, a path, `trained`).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// The group an accepted candidate's record takes under `model`, if another
/// than its own: none when the record has no kind and `kinded_pair` (it
/// merges into the kind of another record of its pair), else as [`switch`]
/// decides. Only accepted candidates are scored.
pub(super) fn chosen_group<'a>(
    model: &'a KindModel,
    c: &Candidate,
    kinded_pair: bool,
    deals: &Deals,
) -> Option<&'a str> {
    if c.record.kind.is_none() && kinded_pair {
        return None;
    }
    let scores = model.scores(&c.features.hashes);
    switch(&model.groups, &scores, model.margin, c, deals).map(|g| model.groups[g].as_str())
}

/// The group of a record's kind as `kiji eval` compares it: a bare
/// agreement counts as an alliance.
pub(super) fn own_group<'a>(kind: Option<&str>, deals: &'a Deals) -> Option<&'a str> {
    kind.and_then(|k| deals.group(k))
        .map(|g| if g == "agreement" { "alliance" } else { g })
}

/// The position in `groups` of the group a candidate's record takes, given
/// the kind model's `scores` of the groups, if another than its own: the best
/// group when the record has no kind, or when that group's score passes its
/// own group's ([`own_group`]) by more than `margin`.
fn switch(
    groups: &[String],
    scores: &[f64],
    margin: f64,
    c: &Candidate,
    deals: &Deals,
) -> Option<usize> {
    if scores.is_empty() || scores.len() != groups.len() {
        return None;
    }
    let best = argmax(scores);
    let own =
        own_group(c.record.kind.as_deref(), deals).and_then(|g| groups.iter().position(|x| x == g));
    let switch = match own {
        None => true,
        Some(own) => scores[best] - scores[own] > margin,
    };
    switch.then_some(best)
}

/// The position of the highest value (the first on a tie; 0 when empty).
fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// Gives a record a kind of `group` unless its kind is of that group
/// already: the nearest of its statement's `terms` of that group, else the
/// group's plain kind with the record's term kept; the parties' roles are
/// the new kind's (the first party acts).
pub fn set_group(r: &mut Record, terms: &[(String, String)], group: &str, deals: &Deals) {
    if r.kind.as_deref().and_then(|k| deals.group(k)) == Some(group) {
        return;
    }
    match terms.iter().find(|(_, k)| deals.group(k) == Some(group)) {
        Some((verb, kind)) => {
            r.verb = Some(verb.clone());
            r.kind = Some(kind.clone());
        }
        None => {
            let Some((_, plain)) = GROUPS.iter().find(|g| g.0 == group) else {
                return;
            };
            r.kind = Some((*plain).to_string());
        }
    }
    let roles = r.kind.as_deref().and_then(|k| deals.roles(k));
    for (i, p) in r.parties.iter_mut().enumerate().take(2) {
        p.role = roles.map(|(a, b)| if i == 0 { a } else { b }.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chooses_and_writes_back() {
        let text = "# a comment\n@margin\t1.5\n@groups\talliance\tequity\nterm_kind=investment\t-1\t2\nbias\t0.5\t0\n";
        let m = KindModel::parse(text, "test").unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m.choose(&[feature_hash("bias")]), Some("alliance"));
        let both = [feature_hash("bias"), feature_hash("term_kind=investment")];
        assert_eq!(m.choose(&both), Some("equity"));
        // An unknown feature weighs nothing; a tie goes to the first group.
        assert_eq!(m.choose(&[feature_hash("unknown")]), Some("alliance"));
        let again = KindModel::parse(&m.to_text(&["a comment".into()]), "test").unwrap();
        assert_eq!(again.choose(&both), Some("equity"));
        assert_eq!(again.groups(), m.groups());
        assert_eq!(again.margin(), 1.5);
        let open = m.clone().with_margin(f64::INFINITY);
        let again = KindModel::parse(&open.to_text(&[]), "test").unwrap();
        assert_eq!(again.margin(), f64::INFINITY);
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        for text in [
            "@margin\t0\nbias\t1\n",
            "@groups\talliance\nbias\t1\n",
            "@margin\tx\n@groups\talliance\n",
            "@margin\t0\n@groups\talliance\nbias\tx\n",
            "@margin\t0\n@groups\talliance\nbias\t1\t2\n",
            "@margin\t0\n@groups\tfriendship\n",
            "@margin\t0\n@groups\talliance\nbias\tinf\n",
            "",
        ] {
            assert!(KindModel::parse(text, "test").is_err(), "{text:?}");
        }
    }

    /// A candidate pair of two invented companies whose record has `kind`
    /// (its term `verb`) and whose statement has the deal terms `terms`.
    fn candidate(verb: &str, kind: &str, terms: &[(&str, &str)]) -> super::super::Candidate {
        let deals = Deals::new(&crate::lexicon::Lexicons::bundled().unwrap());
        let roles = deals.roles(kind);
        let party = |name: &str, i: usize| crate::document::Party {
            name: name.into(),
            country: None,
            role: roles.map(|r| if i == 0 { r.0 } else { r.1 }.to_string()),
        };
        super::super::Candidate {
            record: crate::document::Record {
                record_type: "partnership".into(),
                companies: vec!["北條精機".into(), "Ostrava Rail".into()],
                parties: vec![party("北條精機", 0), party("Ostrava Rail", 1)],
                kind: Some(kind.into()),
                verb: Some(verb.into()),
                year: None,
                year_source: None,
                amount: None,
                evidence: Vec::new(),
            },
            guessed: false,
            statement: 0,
            names: 2,
            rule: false,
            table: false,
            co_parties: false,
            terms: terms
                .iter()
                .map(|(v, k)| (v.to_string(), k.to_string()))
                .collect(),
            features: super::super::features::FeatureSet::new(false),
        }
    }

    #[test]
    fn a_new_group_takes_the_statements_term_of_that_group_and_its_roles() {
        let deals = Deals::new(&crate::lexicon::Lexicons::bundled().unwrap());
        let terms = [("出資", "investment"), ("合弁", "joint_venture")];
        let mut c = candidate("出資", "investment", &terms);
        set_group(&mut c.record, &c.terms, "joint_venture", &deals);
        assert_eq!(c.record.kind.as_deref(), Some("joint_venture"));
        assert_eq!(c.record.verb.as_deref(), Some("合弁"));
        // A joint venture is undirected: no roles.
        assert!(c.record.parties.iter().all(|p| p.role.is_none()));
        // The same group keeps the record as it is.
        let mut c = candidate("資本業務提携", "capital_business_alliance", &[]);
        set_group(&mut c.record, &c.terms, "alliance", &deals);
        assert_eq!(c.record.kind.as_deref(), Some("capital_business_alliance"));
        // No term of the group: its plain kind, the record's term kept,
        // the directed kind's roles in the parties' order.
        let mut c = candidate(
            "提携",
            "business_alliance",
            &[("提携", "business_alliance")],
        );
        set_group(&mut c.record, &c.terms, "equity", &deals);
        assert_eq!(c.record.kind.as_deref(), Some("investment"));
        assert_eq!(c.record.verb.as_deref(), Some("提携"));
        let roles: Vec<Option<&str>> = c.record.parties.iter().map(|p| p.role.as_deref()).collect();
        assert_eq!(roles, [Some("investor"), Some("investee")]);
    }

    #[test]
    fn the_model_overrules_a_kind_only_past_its_margin() {
        let deals = Deals::new(&crate::lexicon::Lexicons::bundled().unwrap());
        let groups: Vec<String> = GROUPS.iter().map(|g| g.0.to_string()).collect();
        let c = candidate("提携", "business_alliance", &[]);
        // alliance, equity, merger, joint_venture, adoption
        let scores = [0.5, 2.0, 0.0, 0.0, 0.0];
        // Equity passes the record's own alliance by 1.5: not enough.
        assert_eq!(switch(&groups, &scores, 2.0, &c, &deals), None);
        assert_eq!(switch(&groups, &scores, 1.0, &c, &deals), Some(1));
        // A bare agreement counts as an alliance.
        let bare = candidate("締結", "agreement", &[]);
        let scores = [1.0, 0.0, 0.0, 0.0, 0.0];
        assert_eq!(switch(&groups, &scores, 1.0, &bare, &deals), None);
        // A record with no kind takes the best group at any margin.
        let mut none = candidate("提携", "business_alliance", &[]);
        none.record.kind = None;
        let scores = [0.0, 0.0, 3.0, 0.0, 0.0];
        let inf = f64::INFINITY;
        assert_eq!(switch(&groups, &scores, inf, &none, &deals), Some(2));
        // No scores: no choice.
        assert_eq!(switch(&groups, &[], inf, &none, &deals), None);
        // The model's own reading of a candidate: a model that weighs
        // nothing ties its groups, the first wins, and gives it to a record
        // with no kind; a record of that group keeps its kind.
        let model = KindModel::parse("@margin\tinf\n@groups\tmerger\talliance\n", "test").unwrap();
        assert_eq!(chosen_group(&model, &none, false, &deals), Some("merger"));
        // Unless another record of its pair has a kind: it merges into that one's.
        assert_eq!(chosen_group(&model, &none, true, &deals), None);
        let merger = candidate("合併", "merger", &[]);
        assert_eq!(chosen_group(&model, &merger, false, &deals), None);
    }

    #[test]
    fn every_group_is_a_group_of_the_deal_kinds() {
        let deals = Deals::new(&crate::lexicon::Lexicons::bundled().unwrap());
        for (group, plain) in GROUPS {
            assert_eq!(deals.group(plain), Some(group), "{plain}");
        }
    }

    #[test]
    fn the_bundled_model_loads() {
        let m = KindModel::parse(BUNDLED_KINDS, "bundled").unwrap();
        assert!(!m.is_empty());
        assert_eq!(m.groups().len(), GROUPS.len());
    }
}
