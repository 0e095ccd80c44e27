//! Training paragraphs for the company model from annotated news (gold files in
//! the format of `../shared/news/train/gold.json`), and cross-validation of the
//! model on them with `kiji eval`'s companies rows.
//!
//! Projection: every article is processed by the pipeline; each of its laid-out
//! paragraphs, with the tokens tagging gets ([`Pipeline::paragraph_tokens`]),
//! receives the file's gold company surfaces (`companies` and every member of
//! `company_groups`, normalized like the text, generic 社 dropped) at every
//! occurrence. Matching ignores spaces (gold keeps PDF layout spaces as
//! written), a Latin surface must not continue a Latin word, and overlapping
//! occurrences keep the earliest, then the longest. A paragraph where a
//! `companies_optional` surface occurs outside the gold spans is left out of
//! training altogether, so optional names are neither positive nor negative.
//! Paragraphs without Japanese characters have no tokens and are skipped (the
//! model only tags Japanese text).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;
use crate::eval::{self, GoldFile, Score};
use crate::extract::companies::strip_generic_sha;
use crate::normalize::normalize;
use crate::pipeline::Pipeline;
use crate::records::training::Corpus;
use crate::tokenize::Token;

/// One paragraph of an article as the model sees it, with its gold spans.
#[derive(Debug, Clone)]
pub struct NewsParagraph {
    /// The paragraph text (normalized and laid out by the pipeline).
    pub text: String,
    /// Company spans (byte ranges of `text`, label `C`).
    pub spans: Vec<(usize, usize, char)>,
}

/// One annotated article.
#[derive(Debug, Clone)]
pub struct NewsFile {
    /// Index of its corpus.
    pub corpus: usize,
    /// File name (the gold key).
    pub file: String,
    /// The article's path.
    pub path: PathBuf,
    /// Its gold annotation.
    pub gold: GoldFile,
    /// Paragraphs with Japanese tokens and no optional surface.
    pub paragraphs: Vec<NewsParagraph>,
    /// Paragraphs with Japanese tokens left out for an optional surface.
    pub excluded: usize,
}

/// Counts over the loaded articles.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct NewsStats {
    /// Articles.
    pub files: usize,
    /// Paragraphs kept for training.
    pub paragraphs: usize,
    /// Paragraphs left out for an optional surface.
    pub excluded: usize,
    /// Company occurrences projected.
    pub spans: usize,
}

/// Counts of `files`.
pub fn stats(files: &[NewsFile]) -> NewsStats {
    let mut s = NewsStats::default();
    for f in files {
        s.files += 1;
        s.paragraphs += f.paragraphs.len();
        s.excluded += f.excluded;
        s.spans += f.paragraphs.iter().map(|p| p.spans.len()).sum::<usize>();
    }
    s
}

/// Reads every article of `corpora` that its gold file names, in corpus order
/// then file-name order, and projects the gold companies onto its paragraphs.
pub fn load(pipeline: &Pipeline, corpora: &[Corpus]) -> Result<Vec<NewsFile>> {
    let mut out = Vec::new();
    for (corpus, c) in corpora.iter().enumerate() {
        for (file, gold) in eval::read_gold(&c.gold)? {
            let path = c.dir.join(&file);
            if !path.is_file() {
                continue;
            }
            let input = crate::ingest::Input {
                id: file.clone(),
                format: crate::ingest::Format::of_path(&path),
                content: crate::ingest::Content::File(path.clone()),
            };
            let doc = pipeline.process(&input)?;
            let surfaces = surfaces(&gold);
            let optional: Vec<String> = gold
                .companies_optional
                .iter()
                .map(|s| compact(&normalize(s)))
                .filter(|s| !s.is_empty())
                .collect();
            let mut paragraphs = Vec::new();
            let mut excluded = 0;
            let byte_of: Vec<usize> = doc
                .text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(doc.text.len()))
                .collect();
            for p in &doc.paragraphs {
                let (Some(&a), Some(&b)) = (byte_of.get(p.start), byte_of.get(p.end)) else {
                    continue;
                };
                let text = &doc.text[a..b];
                let tokens = pipeline.paragraph_tokens(text)?;
                if tokens.is_empty() {
                    continue;
                }
                match project(text, &surfaces, &optional) {
                    Some(spans) => paragraphs.push(NewsParagraph {
                        text: text.to_string(),
                        spans: spans.into_iter().map(|(s, e)| (s, e, 'C')).collect(),
                    }),
                    None => excluded += 1,
                }
            }
            out.push(NewsFile {
                corpus,
                file,
                path,
                gold,
                paragraphs,
                excluded,
            });
        }
    }
    Ok(out)
}

/// The gold company surfaces of a file (companies and alias clusters),
/// normalized, generic 社 dropped, spaces removed, distinct.
fn surfaces(gold: &GoldFile) -> Vec<String> {
    let mut v: Vec<String> = gold
        .companies
        .iter()
        .chain(gold.company_groups.iter().flatten())
        .map(|s| compact(strip_generic_sha(&normalize(s))))
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The company spans (byte ranges of `text`) of the gold `surfaces` (spaces
/// removed) at every occurrence, or `None` when an `optional` surface occurs
/// outside them. See the module doc for the matching rules.
pub fn project(
    text: &str,
    surfaces: &[String],
    optional: &[String],
) -> Option<Vec<(usize, usize)>> {
    // The text without spaces, with the byte range of each kept character.
    let kept: Vec<(usize, usize)> = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| (i, i + c.len_utf8()))
        .collect();
    let squeezed: String = kept.iter().map(|&(a, b)| &text[a..b]).collect();
    // Byte offset in `squeezed` → index into `kept`.
    let mut at = vec![usize::MAX; squeezed.len() + 1];
    let mut off = 0;
    for (k, &(a, b)) in kept.iter().enumerate() {
        at[off] = k;
        off += b - a;
    }
    at[off] = kept.len();
    let find = |s: &str| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, _) in squeezed.match_indices(s) {
            let (first, last) = (at[i], at[i + s.len()]);
            if first == usize::MAX || last == usize::MAX || last == 0 {
                continue;
            }
            let (start, end) = (kept[first].0, kept[last - 1].1);
            if continues_word(text, start, end) {
                continue;
            }
            out.push((start, end));
        }
        out
    };
    let mut found: Vec<(usize, usize)> = surfaces.iter().flat_map(|s| find(s)).collect();
    found.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (s, e) in found {
        if spans.last().is_none_or(|&(_, last)| s >= last) {
            spans.push((s, e));
        }
    }
    let covered = |(s, e): (usize, usize)| spans.iter().any(|&(a, b)| a <= s && e <= b);
    if optional.iter().flat_map(|o| find(o)).any(|o| !covered(o)) {
        return None;
    }
    Some(spans)
}

/// Whether `text[start..end]` begins or ends inside a Latin word or number.
fn continues_word(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    (alnum(first) && alnum(text[..start].chars().next_back()))
        || (alnum(last) && alnum(text[end..].chars().next()))
}

/// BIO labels of a paragraph's tokens for its spans (see [`super::labels`]).
pub fn paragraph_labels(tokens: &[Token], p: &NewsParagraph) -> Vec<&'static str> {
    super::labels(tokens, &p.spans)
}

/// Cross-validated `kiji eval` rows (`companies`, `companies_ja` …) of the
/// held-out articles, summed over folds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrossValidation {
    /// Folds.
    pub folds: usize,
    /// Rows summed over the folds.
    pub totals: BTreeMap<String, Score>,
    /// Per held-out article: gold companies missed and predicted surfaces that
    /// are neither gold nor optional.
    pub errors: Vec<FileErrors>,
}

/// The company errors of one held-out article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileErrors {
    /// File name.
    pub file: String,
    /// Gold companies no prediction matches.
    pub missed: Vec<String>,
    /// Predicted surfaces matching no gold or optional company.
    pub spurious: Vec<String>,
}

/// Adds the companies rows of one held-out article, processed by `pipeline`,
/// and returns its errors.
pub fn score_file(
    pipeline: &Pipeline,
    f: &NewsFile,
    totals: &mut BTreeMap<String, Score>,
) -> Result<FileErrors> {
    let input = crate::ingest::Input {
        id: f.file.clone(),
        format: crate::ingest::Format::of_path(&f.path),
        content: crate::ingest::Content::File(f.path.clone()),
    };
    let doc = pipeline.process(&input)?;
    let scores = eval::score_document(pipeline, &doc, &f.gold);
    let mut rows = BTreeMap::new();
    if let Some(s) = scores.get("companies") {
        rows.insert("companies".to_string(), *s);
    }
    eval::add_lang_rows(totals, &f.gold, &doc, &rows);
    for (t, s) in rows {
        totals.entry(t).or_default().add(s);
    }
    let marks = eval::marks(pipeline, &doc, &f.gold);
    Ok(FileErrors {
        file: f.file.clone(),
        spurious: marks.false_companies(&doc),
        missed: marks.missed_companies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn names<'a>(text: &'a str, spans: &[(usize, usize)]) -> Vec<&'a str> {
        spans.iter().map(|&(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn every_occurrence_longest_first() {
        let text = "さくら精工販売はさくら精工の子会社。さくら精工は増益";
        let spans = project(text, &owned(&["さくら精工", "さくら精工販売"]), &[]).unwrap();
        assert_eq!(
            names(text, &spans),
            ["さくら精工販売", "さくら精工", "さくら精工"]
        );
    }

    #[test]
    fn spaces_are_ignored_and_latin_words_are_whole() {
        let text = "株式会社Blue Heron とBlueHeronia社";
        let spans = project(text, &owned(&["株式会社BlueHeron"]), &[]).unwrap();
        assert_eq!(names(text, &spans), ["株式会社Blue Heron"]);
        let spans = project("Acmex と Acme", &owned(&["Acme"]), &[]).unwrap();
        assert_eq!(names("Acmex と Acme", &spans), ["Acme"]);
    }

    #[test]
    fn optional_surfaces_leave_the_paragraph_out() {
        let gold = owned(&["北斗ケミカル"]);
        assert_eq!(
            project("北斗ケミカルと東西新報が提携", &gold, &owned(&["東西新報"])),
            None
        );
        // An optional surface inside a gold span does not count.
        let text = "北斗ケミカルが発表";
        let spans = project(text, &gold, &owned(&["北斗"])).unwrap();
        assert_eq!(names(text, &spans), ["北斗ケミカル"]);
    }
}
