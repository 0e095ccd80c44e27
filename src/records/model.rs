//! The learned decision: whether a candidate pair is a deal record.
//!
//! A logistic regression over the named features of [`super::features`]:
//! P(record) = σ(Σ weights of the candidate's features). Weights are looked
//! up by the 64-bit FNV-1a hash of the feature's name ([`feature_hash`]), so
//! that tagging hashes names as it formats them and builds no string. The weights and the
//! acceptance threshold are read from `dictionaries/records.model` (written by
//! `kiji train records`, see [`super::training`]). Scoring is a sum of
//! hash-map lookups in a fixed order: the same candidate gets the same score
//! on any thread. It never chooses kinds, years or amounts
//! ([`super::attributes`] does).
//!
//! File format (UTF-8 text): `#` lines are comments (data, date, settings,
//! scores), then one `name<TAB>weight` line per feature; the line named
//! `@threshold` is the acceptance threshold.

use std::collections::HashMap;

use fnv::FnvHashMap;
use std::path::{Path, PathBuf};

use crate::error::{KijiError, Result};

/// The model shipped with kiji.
pub const BUNDLED_MODEL: &str = include_str!("../../dictionaries/records.model");

/// Name of the threshold line in a model file.
pub const THRESHOLD: &str = "@threshold";

/// FNV-1a (64 bits) over the bytes written to it: the key of a feature's
/// weight. Writing a name in pieces gives the hash of the whole name.
#[derive(Default)]
pub struct FeatureHasher(fnv::FnvHasher);

impl FeatureHasher {
    /// The hash of everything written.
    pub fn finish(&self) -> u64 {
        std::hash::Hasher::finish(&self.0)
    }
}

impl std::fmt::Write for FeatureHasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        std::hash::Hasher::write(&mut self.0, s.as_bytes());
        Ok(())
    }
}

/// The key of a feature name's weight (see [`FeatureHasher`]).
pub fn feature_hash(name: &str) -> u64 {
    let mut h = FeatureHasher::default();
    std::hash::Hasher::write(&mut h.0, name.as_bytes());
    h.finish()
}

/// The model of the file named by the environment variable `var` (set and
/// not empty), else the bundled text, read by `parse` (text, origin).
pub(super) fn load_default<T>(
    var: &str,
    bundled: &str,
    parse: impl Fn(&str, &str) -> Result<T>,
) -> Result<T> {
    match std::env::var_os(var).filter(|p| !p.is_empty()) {
        Some(path) => from_file(Path::new(&path), parse),
        None => parse(bundled, "bundled"),
    }
}

/// A model file read by `parse` (text, origin); a bad file's error names it.
pub(super) fn from_file<T>(path: &Path, parse: impl Fn(&str, &str) -> Result<T>) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| KijiError::io(path, e))?;
    parse(&text, &path.display().to_string()).map_err(|e| match e {
        KijiError::BadFile { message, .. } => KijiError::BadFile {
            path: PathBuf::from(path),
            message,
        },
        other => other,
    })
}

/// Each line of `header` as a `# ` comment line (a model file's head).
pub(super) fn comments(header: &[String]) -> String {
    let mut out = String::new();
    for line in header.iter().flat_map(|h| h.lines()) {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Weights of the features and the acceptance threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordModel {
    /// By name, for writing the file and explaining.
    weights: FnvHashMap<String, f64>,
    /// By [`feature_hash`] of the name, for scoring.
    hashed: FnvHashMap<u64, f64>,
    threshold: f64,
    origin: String,
}

impl RecordModel {
    /// The model compiled into kiji, or the file named by `KIJI_RECORDS_MODEL`
    /// (set and not empty).
    pub fn load_default() -> Result<Self> {
        load_default("KIJI_RECORDS_MODEL", BUNDLED_MODEL, Self::parse)
    }

    /// Reads a model file.
    pub fn from_file(path: &Path) -> Result<Self> {
        from_file(path, Self::parse)
    }

    /// Parses a model's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let bad = |line: usize, message: String| KijiError::BadFile {
            path: PathBuf::from(origin),
            message: format!("records model line {}: {message}", line + 1),
        };
        let mut weights = FnvHashMap::default();
        let mut threshold = None;
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, w) = line
                .rsplit_once('\t')
                .ok_or_else(|| bad(i, "expected NAME<TAB>WEIGHT".into()))?;
            let w: f64 = w
                .parse()
                .map_err(|e| bad(i, format!("weight {w:?}: {e}")))?;
            if !w.is_finite() {
                return Err(bad(i, format!("weight {w} is not finite")));
            }
            if name == THRESHOLD {
                threshold = Some(w);
            } else {
                weights.insert(name.to_string(), w);
            }
        }
        let threshold = threshold.ok_or_else(|| bad(0, format!("no {THRESHOLD} line")))?;
        Ok(Self::from_weights(weights, threshold, origin))
    }

    /// A model from weights and a threshold (training).
    pub fn new(weights: HashMap<String, f64>, threshold: f64) -> Self {
        Self::from_weights(weights.into_iter().collect(), threshold, "trained")
    }

    fn from_weights(weights: FnvHashMap<String, f64>, threshold: f64, origin: &str) -> Self {
        let hashed = weights
            .iter()
            .map(|(name, w)| (feature_hash(name), *w))
            .collect();
        RecordModel {
            weights,
            hashed,
            threshold,
            origin: origin.to_string(),
        }
    }

    /// The model's text: `header` lines as comments, the threshold, then the
    /// weights sorted by name (zero weights left out).
    pub fn to_text(&self, header: &[String]) -> String {
        let mut out = comments(header);
        out.push_str(&format!("{THRESHOLD}\t{}\n", self.threshold));
        let mut names: Vec<(&String, &f64)> =
            self.weights.iter().filter(|(_, w)| **w != 0.0).collect();
        names.sort_by(|x, y| x.0.cmp(y.0));
        for (name, w) in names {
            out.push_str(&format!("{name}\t{w}\n"));
        }
        out
    }

    /// The probability that a candidate with these features is a record.
    pub fn probability(&self, features: &[String]) -> f64 {
        let z: f64 = features
            .iter()
            .map(|f| self.hashed_weight(feature_hash(f)))
            .sum();
        sigmoid(z)
    }

    /// The weight of the feature whose name has this [`feature_hash`] (0 when unknown).
    pub fn hashed_weight(&self, hash: u64) -> f64 {
        self.hashed.get(&hash).copied().unwrap_or(0.0)
    }

    /// The weight of one feature (0 when unknown).
    pub fn weight(&self, feature: &str) -> f64 {
        self.weights.get(feature).copied().unwrap_or(0.0)
    }

    /// Probabilities at or above this are records.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// A copy with another threshold.
    pub fn with_threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Number of features with a weight.
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

/// The logistic function: a summed feature weight as a probability.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Every candidate of a document with its probability, whether it passes
/// the threshold, its statement, its kind and the kind model's score of each
/// group, and the features that weigh most (for `kiji extract --candidates`).
pub fn explain(
    candidates: &super::Candidates,
    model: &RecordModel,
    kinds: &super::KindModel,
) -> serde_json::Value {
    let list: Vec<serde_json::Value> = candidates
        .list
        .iter()
        .map(|c| {
            let p = model.probability(&c.features.names);
            let mut weighed: Vec<(f64, &String)> = c
                .features
                .names
                .iter()
                .map(|f| (model.weight(f), f))
                .collect();
            weighed.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then(a.1.cmp(b.1)));
            serde_json::json!({
                "companies": &c.record.companies[..2.min(c.record.companies.len())],
                "probability": (p * 1000.0).round() / 1000.0,
                "passes": p >= model.threshold(),
                "rule": c.rule,
                "statement": c.statement,
                "kind": c.record.kind,
                "kind_scores": kinds
                    .groups()
                    .iter()
                    .zip(kinds.scores(&c.features.hashes))
                    .map(|(g, s)| (g.clone(), serde_json::json!((s * 1000.0).round() / 1000.0)))
                    .collect::<serde_json::Map<String, serde_json::Value>>(),
                "evidence": c.record.evidence.first().map(|e| e.text.as_str()),
                "features": weighed
                    .iter()
                    .take(10)
                    .map(|(w, f)| serde_json::json!([f, (w * 1000.0).round() / 1000.0]))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scores_and_writes_back() {
        let m = RecordModel::parse("# c\n@threshold\t0.5\nbias\t-1\nrule\t3\n", "t").unwrap();
        assert_eq!(m.threshold(), 0.5);
        let p = m.probability(&["bias".into(), "rule".into()]);
        assert!((p - 1.0 / (1.0 + (-2f64).exp())).abs() < 1e-12);
        assert!(m.probability(&["bias".into()]) < 0.5);
        let again = RecordModel::parse(&m.to_text(&["c".into()]), "t").unwrap();
        assert_eq!(again.weights, m.weights);
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        assert!(RecordModel::parse("bias\t-1\n", "t").is_err());
        assert!(RecordModel::parse("@threshold\t0.5\nbias\tx\n", "t").is_err());
        assert!(RecordModel::parse("@threshold\t0.5\nbias\tNaN\n", "t").is_err());
        assert!(RecordModel::parse("@threshold\t0.5\nbias\n", "t").is_err());
    }

    #[test]
    fn the_bundled_model_loads() {
        let m = RecordModel::parse(BUNDLED_MODEL, "bundled").unwrap();
        assert!(m.len() > 10);
        assert!(m.threshold() > 0.0 && m.threshold() < 1.0);
    }
}
