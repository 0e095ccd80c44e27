//! `kiji check`: regression tests over fixture articles. Every article with an
//! expectation file beside it (`NAME.expected.json`: the document JSON that
//! `ingest` writes, pretty-printed) is processed again and compared field by
//! field; `--bless` rewrites the expectations from the current output.
//!
//! Nothing is ignored in the comparison: kiji's output is deterministic, so
//! any difference is a change of behaviour.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{KijiError, Result};
use crate::ingest::{self, Content, Input, Limits};
use crate::pipeline::Pipeline;

/// Outcome for one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Output equals the expectation.
    Passed,
    /// Output differs; the lines describe how.
    Failed(Vec<String>),
    /// No expectation file.
    NoExpectation,
    /// The expectation was (re)written by `--bless`; `true` when it changed.
    Blessed(bool),
}

/// One article's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleCheck {
    /// Article id (path relative to the folder).
    pub id: String,
    /// Path of the expectation file.
    pub expected: PathBuf,
    /// What happened.
    pub status: Status,
    /// The article's output now, as expectation files store it (for `check --html`).
    pub actual: String,
}

/// The expectation file of an article: `NAME.expected.json` beside it, where
/// NAME is the file name without its extension.
pub fn expectation_path(article: &Path) -> PathBuf {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    article.with_file_name(format!("{stem}.expected.json"))
}

/// Serializes a document the way expectation files store it.
pub fn to_expectation(doc: &crate::Document) -> Result<String> {
    serde_json::to_string_pretty(doc)
        .map(|s| s + "\n")
        .map_err(|e| KijiError::BadJson(e.to_string()))
}

/// Checks (or blesses) every article under `dir`.
pub fn check_dir(pipeline: &Pipeline, dir: &Path, bless: bool) -> Result<Vec<ArticleCheck>> {
    let discovery = ingest::discover(&[dir.to_path_buf()], &Limits::default());
    let mut out = Vec::new();
    for input in discovery.inputs {
        let Content::File(path) = &input.content else {
            continue;
        };
        let expected = expectation_path(path);
        let doc = pipeline.process(&Input {
            id: input.id.clone(),
            format: input.format,
            content: input.content.clone(),
        });
        let actual = match doc {
            Ok(d) => to_expectation(&d)?,
            Err(e) => format!(
                "{}\n",
                serde_json::json!({"id": input.id, "error": e.to_string()})
            ),
        };
        let status = if bless {
            let old = std::fs::read_to_string(&expected).ok();
            let changed = old.as_deref() != Some(actual.as_str());
            if changed {
                std::fs::write(&expected, &actual).map_err(|e| KijiError::io(&expected, e))?;
            }
            Status::Blessed(changed)
        } else {
            match std::fs::read_to_string(&expected) {
                Err(_) => Status::NoExpectation,
                Ok(old) => {
                    let want: Value =
                        serde_json::from_str(&old).map_err(|e| KijiError::BadFile {
                            path: expected.clone(),
                            message: e.to_string(),
                        })?;
                    let got: Value = serde_json::from_str(&actual)
                        .map_err(|e| KijiError::BadJson(e.to_string()))?;
                    let diff = diff_documents(&want, &got);
                    if diff.is_empty() {
                        Status::Passed
                    } else {
                        Status::Failed(diff)
                    }
                }
            }
        };
        out.push(ArticleCheck {
            id: input.id,
            expected,
            status,
            actual,
        });
    }
    Ok(out)
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

fn entity_key(e: &Value) -> String {
    format!(
        "{} {:?} @{}",
        e["type"].as_str().unwrap_or("?"),
        e["text"].as_str().unwrap_or(""),
        e["start"]
    )
}

fn record_key(r: &Value) -> String {
    let mut names: Vec<String> = r["companies"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.join(" × ")
}

fn keyed(v: &Value, key: fn(&Value) -> String) -> BTreeMap<String, &Value> {
    v.as_array()
        .map(|a| a.iter().map(|x| (key(x), x)).collect())
        .unwrap_or_default()
}

fn diff_keyed(
    field: &str,
    want: &Value,
    got: &Value,
    key: fn(&Value) -> String,
    out: &mut Vec<String>,
) {
    let (w, g) = (keyed(want, key), keyed(got, key));
    for (k, v) in &w {
        match g.get(k) {
            None => out.push(format!("{field}: missing {k}")),
            Some(gv) if gv != v => {
                for (name, wv) in v.as_object().into_iter().flatten() {
                    let gvv = &gv[name.as_str()];
                    if gvv != wv {
                        out.push(format!(
                            "{field}: {k}: {name}: expected {}, got {}",
                            short(wv),
                            short(gvv)
                        ));
                    }
                }
                for (name, gvv) in gv.as_object().into_iter().flatten() {
                    if v.get(name).is_none() {
                        out.push(format!(
                            "{field}: {k}: {name}: expected nothing, got {}",
                            short(gvv)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for k in g.keys() {
        if !w.contains_key(k) {
            out.push(format!("{field}: added {k}"));
        }
    }
}

/// Field-aware differences between an expected and an actual document.
pub fn diff_documents(want: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let empty = serde_json::Map::new();
    let wo = want.as_object().unwrap_or(&empty);
    let go = got.as_object().unwrap_or(&empty);
    let mut fields: Vec<&String> = wo.keys().chain(go.keys()).collect();
    fields.sort();
    fields.dedup();
    for f in fields {
        let (w, g) = (&want[f.as_str()], &got[f.as_str()]);
        if w == g {
            continue;
        }
        match f.as_str() {
            "entities" => diff_keyed("entities", w, g, entity_key, &mut out),
            "records" => diff_keyed("records", w, g, record_key, &mut out),
            "text" => {
                let (ws, gs) = (w.as_str().unwrap_or(""), g.as_str().unwrap_or(""));
                let diff = similar::TextDiff::from_lines(ws, gs);
                for change in diff.iter_all_changes() {
                    let sign = match change.tag() {
                        similar::ChangeTag::Delete => "-",
                        similar::ChangeTag::Insert => "+",
                        similar::ChangeTag::Equal => continue,
                    };
                    out.push(format!("text: {sign} {}", change.value().trim_end()));
                }
            }
            "dedup" | "meta" | "source" => {
                for (name, wv) in w.as_object().into_iter().flatten() {
                    let gv = &g[name.as_str()];
                    if gv != wv {
                        out.push(format!(
                            "{f}.{name}: expected {}, got {}",
                            short(wv),
                            short(gv)
                        ));
                    }
                }
            }
            _ => out.push(format!("{f}: expected {}, got {}", short(w), short(g))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_field_and_both_values() {
        let want = json!({"id": "a", "entities": [{"type": "amount", "text": "50億円", "start": 3, "end": 7, "value": 5e9}], "dedup": {"exact": 1}});
        let got = json!({"id": "a", "entities": [{"type": "amount", "text": "50億円", "start": 3, "end": 7, "value": 6e9}], "dedup": {"exact": 2}});
        let d = diff_documents(&want, &got);
        assert!(
            d.iter()
                .any(|l| l.contains("value: expected 5000000000.0, got 6000000000.0")),
            "{d:?}"
        );
        assert!(
            d.iter().any(|l| l == "dedup.exact: expected 1, got 2"),
            "{d:?}"
        );
    }

    #[test]
    fn added_and_missing_records() {
        let want = json!({"records": [{"companies": ["A", "B"]}]});
        let got = json!({"records": [{"companies": ["C", "B"]}]});
        assert_eq!(
            diff_documents(&want, &got),
            vec!["records: missing A × B", "records: added B × C"]
        );
    }

    #[test]
    fn expectation_file_sits_beside_the_article() {
        assert_eq!(
            expectation_path(Path::new("fixtures/a.md")),
            PathBuf::from("fixtures/a.expected.json")
        );
    }
}
