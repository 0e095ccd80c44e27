//! Short forms a document defines for a company right after naming it:
//! `桜川エレクトロニクス株式会社(以下「SKE」といいます。)`, `ジェイテラ通商株式会社(以下、「JT」)`,
//! `Hoshino Trading Corporation ("Hoshino")`, `Veltrix Biologics Inc. (the
//! "Company" or "Veltrix")`. Disclosures and press releases name a party once
//! in full and then only by the short form they define, which may also be
//! another company's short form elsewhere (`JT` is Japan Tobacco in the
//! gazetteer); within the document it is the defined company.
//!
//! Decides which quoted words of a bracket after a company name are that
//! company's short form. Never a role or a document word (`本公開買付け`,
//! `公開買付者`, `対象者`, `両社`, the "Company", the "Agreement"): a short form
//! shares a letter or a kanji or katakana character with the name (not 社), or
//! is an acronym in capitals, and opens with no frequent English word.

use super::is_frequent_english_word;
use regex::Regex;
use std::sync::LazyLock;

/// A bracket opening right after a name, up to its end (at most 200
/// characters, never past a line end or another bracket).
static BRACKET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*\(([^()\n]{1,200})").expect("valid regex"));

/// A Japanese definition: `以下` or `以降`, then the quoted short forms.
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:以下|以降)[、,]?\s*(?:総称して)?\s*「([^「」]{1,30})」(?:\s*(?:及び|および|又は|または|、|,)\s*「([^「」]{1,30})」)?")
        .expect("valid regex")
});

/// An English definition at the bracket's start: `"X"`, `the "X"`,
/// `hereinafter (referred to as) "X"`, with one more after `or`/`and`.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:hereinafter\s+|hereafter\s+)?(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?["“]([^"”]{1,40})["”](?:\s*(?:or|and)\s+(?:the\s+)?["“]([^"”]{1,40})["”])?"#)
        .expect("valid regex")
});

/// The short forms that the text `after` a company's name defines for it
/// (`surface` as written, `name` its name without the legal form), as byte
/// ranges of `after`; empty when the bracket defines none, only role words
/// or the name itself.
pub fn defined_short_forms(after: &str, surface: &str, name: &str) -> Vec<(usize, usize)> {
    // Most names are followed by no bracket: no regex for them (hot path).
    if !after.trim_start_matches([' ', '\t']).starts_with('(') {
        return Vec::new();
    }
    let Some(bracket) = BRACKET.captures(after).and_then(|c| c.get(1)) else {
        return Vec::new();
    };
    let inside = bracket.as_str();
    let caps = JAPANESE
        .captures(inside)
        .or_else(|| ENGLISH.captures(inside));
    let Some(caps) = caps else {
        return Vec::new();
    };
    caps.iter()
        .skip(1)
        .flatten()
        .filter_map(|m| {
            let (s, e) = trim_sha(inside, m.start(), m.end());
            let form = &inside[s..e];
            (form != surface && form != name && is_short_form(form, name))
                .then_some((bracket.start() + s, bracket.start() + e))
        })
        .collect()
}

/// `m` without spaces around it and a trailing 社 after katakana or Latin
/// letters (`SKE 社`, `ノルン社`: later written with and without it;
/// the 社 rule finds the written form), never the 社 of `会社`.
fn trim_sha(text: &str, s: usize, e: usize) -> (usize, usize) {
    let form = text[s..e].trim();
    let s = s + text[s..e].find(form).unwrap_or(0);
    let bare = form.strip_suffix('社').map(str::trim_end).unwrap_or(form);
    let named = bare
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || super::is_katakana(c));
    if named && bare.chars().count() >= 2 {
        (s, s + bare.len())
    } else {
        (s, s + form.len())
    }
}

/// Whether `form` can be a short form of the company named `name` (its
/// name without the legal form: module doc).
fn is_short_form(form: &str, name: &str) -> bool {
    if form.starts_with(['本', '両', '同', '当', '弊']) {
        return false;
    }
    let acronym = (2..=6).contains(&form.chars().count())
        && form
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&');
    if acronym {
        return true;
    }
    let first = form.split(' ').next().unwrap_or(form);
    if first.chars().all(|c| c.is_ascii_alphabetic()) && is_frequent_english_word(first) {
        return false;
    }
    let shares = |whole: &str| {
        let whole = whole.to_lowercase();
        form.to_lowercase()
            .chars()
            .filter(|&c| c.is_alphanumeric() && c != '社')
            .any(|c| whole.contains(c))
    };
    shares(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms<'a>(after: &'a str, surface: &str, name: &str) -> Vec<&'a str> {
        defined_short_forms(after, surface, name)
            .into_iter()
            .map(|(s, e)| &after[s..e])
            .collect()
    }

    #[test]
    fn a_disclosure_defines_an_acronym_and_a_short_name() {
        let after = "(以下「SKE」といいます。)との間で";
        assert_eq!(
            forms(
                after,
                "桜川エレクトロニクス株式会社",
                "桜川エレクトロニクス"
            ),
            ["SKE"]
        );
        let after = "(以下、「ミナト精機」)と";
        assert_eq!(
            forms(after, "ミナト精機工業株式会社", "ミナト精機工業"),
            ["ミナト精機"]
        );
        let after = "(本社:東京都港区、以下「ノルン社」)は";
        assert_eq!(
            forms(after, "株式会社ノルン・システムズ", "ノルン・システムズ"),
            ["ノルン"]
        );
    }

    #[test]
    fn an_english_release_defines_a_short_name() {
        let after = r#" ("Hoshino") announced"#;
        assert_eq!(
            forms(after, "Hoshino Trading Corporation", "Hoshino Trading"),
            ["Hoshino"]
        );
        let after = r#" (the “Company” or “Veltrix”) today"#;
        assert_eq!(
            forms(after, "Veltrix Biologics Inc.", "Veltrix Biologics"),
            ["Veltrix"]
        );
    }

    #[test]
    fn role_and_document_words_are_no_short_forms() {
        assert!(forms(
            "(以下「公開買付者」といいます。)は",
            "ヒバリ精機株式会社",
            "ヒバリ精機"
        )
        .is_empty());
        assert!(forms("(以下「対象者」といいます。)の", "株式会社ミナト", "ミナト").is_empty());
        assert!(forms("(以下「本資本業務提携」)", "株式会社ミナト", "ミナト").is_empty());
        assert!(forms("(以下、総称して「両社」)", "東西新聞社", "東西新聞社").is_empty());
        assert!(forms(
            r#" (the "Company") today"#,
            "Company Veltrix Ltd.",
            "Company Veltrix"
        )
        .is_empty());
        assert!(forms(r#" (NYSE: VLX) today"#, "Veltrix Ltd.", "Veltrix").is_empty());
        assert!(forms("は新工場(以下「新工場」)を", "ミナト精機", "ミナト精機").is_empty());
        assert!(forms(
            "(以下「持株会社」)を設立",
            "越後フィナンシャルグループ株式会社",
            "越後フィナンシャルグループ"
        )
        .is_empty());
        assert!(forms("(以下「越州銀行」)と", "株式会社越州銀行", "越州銀行").is_empty());
    }
}
