//! Partnership verbs and deal terms from `dictionaries/verbs.tsv`.
//! Japanese terms are matched leftmost-longest; a term followed by a form of
//! する (し, さ, す, せ) gets the lemma `TERMする` (締結した → 締結する).
//! English forms are matched case-insensitively on word boundaries and carry
//! the lemma of their entry (partnered → partner).
//! A match followed by one of its entry's `not_followed_by` words is a noun,
//! not a deal term (投資 + 家, 額, 機会 ...). Terms marked `needs_company`
//! (投資, 投じる: also spending in general) are kept by
//! [`Extractor::paragraph`](super::Extractor::paragraph) only in a sentence
//! that names a company or refers back to one (両社, 同社, 3社).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{gated, latin_boundaries_ok, Span};
use crate::document::EntityKind;
use crate::error::{KijiError, Result};
use crate::lexicon::{Lexicons, VerbEntry};

/// The verb extractor.
#[derive(Debug)]
pub struct VerbExtractor {
    ja: AhoCorasick,
    en: AhoCorasick,
    ja_entries: Vec<(usize, String)>,
    en_entries: Vec<(usize, String)>,
    entries: Vec<VerbEntry>,
    /// Forms of the `needs_company` entries (a handful).
    needs_company: Vec<String>,
}

impl VerbExtractor {
    /// Compiles the lexicon.
    pub fn new(lex: &Lexicons) -> Result<Self> {
        let mut ja_entries = Vec::new();
        let mut en_entries = Vec::new();
        for (i, e) in lex.verbs.iter().enumerate() {
            for f in &e.forms {
                if e.lang == "en" {
                    en_entries.push((i, f.clone()));
                } else {
                    ja_entries.push((i, f.clone()));
                }
            }
        }
        let build = |pats: &[(usize, String)], ci: bool| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(ci)
                .build(pats.iter().map(|(_, p)| p))
                .map_err(|e| KijiError::Lexicon {
                    name: "verbs.tsv".into(),
                    line: 0,
                    message: e.to_string(),
                })
        };
        Ok(VerbExtractor {
            ja: build(&ja_entries, false)?,
            en: build(&en_entries, true)?,
            ja_entries,
            en_entries,
            entries: lex.verbs.clone(),
            needs_company: lex
                .verbs
                .iter()
                .filter(|e| e.needs_company)
                .flat_map(|e| e.forms.iter().cloned())
                .collect(),
        })
    }

    /// Whether the term at `surface` counts only in a sentence that names a
    /// company (`needs_company` in `verbs.tsv`: 投資, 投じる).
    pub fn needs_company(&self, surface: &str) -> bool {
        self.needs_company.iter().any(|f| f == surface)
    }

    /// The lexicon entries whose forms occur inside `surface` (業務提携 → 業務提携, 提携).
    pub fn contained_terms(&self, surface: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .ja_entries
            .iter()
            .filter(|(_, f)| surface.contains(f.as_str()))
            .map(|(_, f)| f.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Finds deal terms in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        // Japanese verbs need non-ASCII text, English ones a Latin letter.
        for m in self.ja.find_iter(gated(text, !text.is_ascii())) {
            let (idx, _) = &self.ja_entries[m.pattern().as_usize()];
            let entry = &self.entries[*idx];
            let rest = &text[m.end()..];
            if entry
                .not_followed_by
                .iter()
                .any(|n| rest.starts_with(n.as_str()))
            {
                continue;
            }
            let lemma = if rest.starts_with(['し', 'さ', 'す', 'せ'])
                && !entry.lemma().ends_with('む')
            {
                format!("{}する", entry.lemma())
            } else {
                entry.lemma().to_string()
            };
            out.push(Span {
                start: m.start(),
                end: m.end(),
                kind: EntityKind::Verb {
                    lemma,
                    kind: entry.kind.clone(),
                },
            });
        }
        for m in self
            .en
            .find_iter(gated(text, text.bytes().any(|b| b.is_ascii_alphabetic())))
        {
            if !latin_boundaries_ok(text, m.start(), m.end()) {
                continue;
            }
            let (idx, _) = &self.en_entries[m.pattern().as_usize()];
            let entry = &self.entries[*idx];
            out.push(Span {
                start: m.start(),
                end: m.end(),
                kind: EntityKind::Verb {
                    lemma: entry.lemma().to_string(),
                    kind: entry.kind.clone(),
                },
            });
        }
        out.sort_by_key(|s| s.start);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbs(text: &str) -> Vec<(String, String, String)> {
        let lex = Lexicons::bundled().unwrap();
        VerbExtractor::new(&lex)
            .unwrap()
            .find(text)
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Verb { lemma, kind } => (text[s.start..s.end].to_string(), lemma, kind),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn japanese_terms_longest_first_with_lemmas() {
        let v = verbs("A社はB社と資本業務提携を締結した。両社は手を組んだ。");
        assert_eq!(
            v[0],
            (
                "資本業務提携".into(),
                "資本業務提携".into(),
                "capital_business_alliance".into()
            )
        );
        assert_eq!(v[1], ("締結".into(), "締結する".into(), "agreement".into()));
        assert_eq!(
            v[2],
            ("手を組ん".into(), "手を組む".into(), "collaboration".into())
        );
    }

    #[test]
    fn english_inflections() {
        let v = verbs("Sony partnered with X and invests in Y; Z acquired W. Partnerships grow.");
        let lemmas: Vec<&str> = v.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(lemmas, vec!["partner", "invest", "acquire", "partnership"]);
    }

    #[test]
    fn generic_uses_excluded() {
        assert!(verbs("投資家の関心と合意形成が課題").is_empty());
        assert!(verbs("reinvested and signedness").is_empty());
    }
}
