//! What a training run or a measurement reads its text without: gazetteer
//! dropout (training text read without a fixed share of the gazetteer's rows,
//! so that a model learns the contexts of companies no list knows) and unseen
//! companies (a file or fold read without the rows that name its own gold
//! companies, `kiji eval --unseen-companies`, `kiji train companies-en
//! --cross-validate K --unseen-companies`). Never changes the bundled
//! lexicons: each pipeline here is built over a copy.

use std::collections::HashSet;
use std::hash::Hasher;

use crate::error::Result;
use crate::eval::{key, GoldFile};
use crate::lexicon::{CompanyEntry, Lexicons};
use crate::pipeline::{Options, Pipeline};

/// Whether gazetteer row `entry` is among the `per_mille` of the rows a
/// training run reads its text without (gazetteer dropout): a fixed hash of
/// the row's canonical name decides, so every sentence forgets the same
/// companies, as new text names companies no list knows.
pub fn forgotten(entry: &CompanyEntry, per_mille: u32) -> bool {
    let mut h = fnv::FnvHasher::default();
    h.write(entry.canonical.as_bytes());
    super::mix64(h.finish()) % 1000 < u64::from(per_mille)
}

/// The bundled lexicons without the gazetteer rows `drop` picks.
pub fn lexicons_without(drop: impl Fn(&CompanyEntry) -> bool) -> Result<Lexicons> {
    let mut lex = Lexicons::bundled()?;
    lex.companies.retain(|e| !drop(e));
    Ok(lex)
}

/// The company surfaces (optional ones too) of `g`, by `kiji eval`'s
/// comparison key (entities decoded, normalized, no spaces, lower case).
pub fn gold_names(g: &GoldFile) -> HashSet<String> {
    g.companies
        .iter()
        .chain(&g.companies_optional)
        .map(|s| key(s))
        .collect()
}

/// A pipeline with `options` over the bundled lexicons less every gazetteer
/// row with a surface among `names` (by `kiji eval`'s comparison key): text
/// whose companies no list knows.
pub fn unseen_pipeline(options: &Options, names: &HashSet<String>) -> Result<Pipeline> {
    let lex = lexicons_without(|e| e.surfaces.iter().any(|s| names.contains(&key(s))))?;
    Pipeline::with_lexicons(options.clone(), &lex)
}

/// The pipeline that reads a model's training text with gazetteer dropout:
/// `options` over the bundled lexicons less the rows [`forgotten`] at
/// `per_mille`.
pub fn dropout_pipeline(options: &Options, per_mille: u32) -> Result<Pipeline> {
    let lex = lexicons_without(|e| forgotten(e, per_mille))?;
    Pipeline::with_lexicons(options.clone(), &lex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropout_forgets_a_fixed_share_of_the_rows() {
        let lex = Lexicons::bundled().unwrap();
        let share = |per_mille| {
            lex.companies
                .iter()
                .filter(|e| forgotten(e, per_mille))
                .count() as f64
                / lex.companies.len() as f64
        };
        assert_eq!(share(0), 0.0);
        assert_eq!(share(1000), 1.0);
        let half = share(500);
        assert!((0.47..0.53).contains(&half), "{half}");
        // The same rows on every call, and a larger share keeps forgetting them.
        for e in lex.companies.iter().take(200) {
            assert_eq!(forgotten(e, 500), forgotten(e, 500));
            assert!(!forgotten(e, 500) || forgotten(e, 700));
        }
        let kept = lexicons_without(|e| forgotten(e, 500)).unwrap();
        assert_eq!(
            kept.companies.len(),
            lex.companies.iter().filter(|e| !forgotten(e, 500)).count()
        );
    }
}
