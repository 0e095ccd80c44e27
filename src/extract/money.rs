//! Money amounts as Japanese and English news write them.
//!
//! Finds: a numeral (see [`super::numeral`]: `725`, `1,640.9`, `三千五百`,
//! `1億2000万`, `壱萬`) before a currency name (`725億円`, `2億ポンド`,
//! `5億ノルウェークローネ`, spaced `8,000,000 円`); a currency sign or ISO code
//! before a number and an optional scale word (`$12.75`, `US$ 18 billion`,
//! `EUR 40 Million`, `CNY1.9 billion`, `₹500 crore`); a number, an optional scale
//! word and a currency name or code after it (`120 yen`, `one trillion yen`,
//! `40 million EUR`). The currencies are data (`dictionaries/currencies.tsv`).
//! Each amount keeps its qualifier (`approx` 約/about, `max` 最大/up to, `over`
//! 超/more than, `under` 未満/less than, `scale` 規模), a range as one amount
//! (`1,500〜3,000円`, `$5-7 billion`: `value` is the lower end, `max` the upper
//! end; a unit written once applies to both ends, `3〜5億円`), and a per-share
//! or per-unit price as `per_unit` (`1株あたり1,500円`, `$30 a share`).
//!
//! Never: numbers without a currency (percentages, share counts, headcounts,
//! `3500億パラメータ`), vague amounts (`数兆円`, `十数億円`), kanji numerals
//! below 1,000 before a currency (`一円` is "throughout"), exchange rates
//! (`1ドル=150円`), a weak currency name without a unit or a number of at
//! least 10,000 (`元社員`, "won 3 contracts"), an English year before a
//! currency word ("in 2010 yen").

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::numeral::{self, Decimal};
use super::{alternation, gated, latin_boundaries_ok, Span};
use crate::document::EntityKind;
use crate::error::{KijiError, Result};
use crate::ingest::long_lines::floor_char_boundary;
use crate::lexicon::CurrencyEntry;

/// Japanese and English qualifiers before an amount, and what they mean.
const QUALIFIERS_BEFORE: &[(&str, &str)] = &[
    ("約", "approx"),
    ("およそ", "approx"),
    ("おおよそ", "approx"),
    ("概算", "approx"),
    ("最大で", "max"),
    ("最大", "max"),
    ("最高", "max"),
    ("上限", "max"),
    ("最低", "over"),
    ("少なくとも", "over"),
    ("about", "approx"),
    ("approximately", "approx"),
    ("approx.", "approx"),
    ("around", "approx"),
    ("roughly", "approx"),
    ("nearly", "approx"),
    ("almost", "approx"),
    ("some", "approx"),
    ("an estimated", "approx"),
    ("up to", "max"),
    ("as much as", "max"),
    ("as high as", "max"),
    ("more than", "over"),
    ("over", "over"),
    ("at least", "over"),
    ("in excess of", "over"),
    ("less than", "under"),
    ("under", "under"),
    ("below", "under"),
];

/// Japanese qualifiers after an amount.
const QUALIFIERS_AFTER: &[(&str, &str)] = &[
    ("超", "over"),
    ("以上", "over"),
    ("強", "over"),
    ("余り", "over"),
    ("あまり", "over"),
    ("弱", "under"),
    ("未満", "under"),
    ("以下", "under"),
    ("程度", "approx"),
    ("前後", "approx"),
    ("近く", "approx"),
    ("規模", "scale"),
];

/// Japanese words before an amount that are not qualifiers but stay outside it.
const JA_LEAD_WORDS: &[&str] = &["総額", "合計", "計"];

/// English scale words, longest first (see [`numeral::en_scale`]).
const EN_SCALES: &str =
    r"lakh crore|trillions?|billions?|millions?|thousand|crores?|lakhs?|trn|tn|bln|bn|mln|mn|[mbk]";

/// English number words that may stand before a scale word.
const EN_NUMBER_WORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|an|hundred|dozen";

/// Japanese numeral characters: Arabic digits, kanji and daiji digits and units.
const JA_NUMERAL: &str = r"(?:[0-9][0-9,]*(?:\.[0-9]+)?|[〇一二三四五六七八九十百千万億兆京零壱壹弐貳参參肆伍陸漆柒捌玖拾佰陌阡仟萬])+";

/// Arabic digits with commas and decimals.
const EN_NUMERAL: &str = r"[0-9][0-9,]*(?:\.[0-9]+)?";

/// Words before an English year ("in 2010"): a bare year before a currency
/// word is not an amount.
const EN_YEAR_CUES: &[&str] = &[
    "in ", "by ", "since ", "from ", "until ", "of ", "during ", "early ", "late ", "mid-",
    "before ", "after ", "through ",
];

/// What a currency surface names.
#[derive(Debug, Clone)]
struct Currency {
    code: String,
    weak: bool,
}

/// The money extractor, compiled from the currency table.
#[derive(Debug)]
pub struct MoneyExtractor {
    /// Numeral + Japanese currency name.
    ja: Regex,
    /// Sign or ISO code + number + scale.
    en_symbol: Regex,
    /// Number + scale + English currency name or ISO code.
    en_word: Regex,
    /// Surface (English names lowercased) → currency.
    names: HashMap<String, Currency>,
    /// Japanese names, to run the Japanese pattern only where one occurs.
    cues: AhoCorasick,
    /// English names (ASCII case-insensitive), likewise.
    en_cues: AhoCorasick,
    /// Signs of one non-ASCII character (€, ₹).
    signs: Vec<char>,
    /// Per-share and per-unit markers before an amount.
    per_unit_before: Regex,
}

fn table_error(message: String) -> KijiError {
    KijiError::Lexicon {
        name: "currencies.tsv".into(),
        line: 0,
        message,
    }
}

impl MoneyExtractor {
    /// Compiles the extractor from the currency table.
    pub fn new(currencies: &[CurrencyEntry]) -> Result<Self> {
        let mut names: HashMap<String, Currency> = HashMap::new();
        let mut add = |surface: &str, c: &CurrencyEntry, key: String| -> Result<()> {
            let cur = Currency {
                code: c.code.clone(),
                weak: c.weak.iter().any(|w| w == surface),
            };
            match names.get(&key) {
                Some(old) if old.code != c.code => Err(table_error(format!(
                    "{surface:?} names both {} and {}",
                    old.code, c.code
                ))),
                _ => {
                    names.insert(key, cur);
                    Ok(())
                }
            }
        };
        for c in currencies {
            add(&c.code, c, c.code.clone())?;
            for s in c.symbols.iter().chain(&c.ja) {
                add(s, c, s.clone())?;
            }
            for s in &c.en {
                add(s, c, s.to_lowercase())?;
            }
        }
        let ja_names = alternation(currencies.iter().flat_map(|c| &c.ja));
        let codes = alternation(currencies.iter().map(|c| &c.code));
        // Signs that start with a letter (Rs, RM) must not continue a word.
        let symbols = {
            let mut v: Vec<&String> = currencies.iter().flat_map(|c| &c.symbols).collect();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v.iter()
                .map(|s| {
                    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        format!(r"(?-u:\b){}", regex::escape(s))
                    } else {
                        regex::escape(s)
                    }
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let en_names = alternation(currencies.iter().flat_map(|c| &c.en));
        // Signs may also follow the number: signs without letters after an
        // optional space (20€, 10 $), signs with letters and codes glued (20Rs, 42MYR).
        let all_symbols = || currencies.iter().flat_map(|c| &c.symbols);
        let signs = alternation(
            all_symbols().filter(|s| !s.starts_with(|c: char| c.is_ascii_alphabetic())),
        );
        let letter_signs = alternation(
            all_symbols()
                .filter(|s| s.starts_with(|c: char| c.is_ascii_alphabetic()))
                .chain(currencies.iter().map(|c| &c.code)),
        );
        let before = alternation(
            QUALIFIERS_BEFORE
                .iter()
                .map(|(q, _)| *q)
                .filter(|q| !q.is_ascii())
                .chain(JA_LEAD_WORDS.iter().copied()),
        );
        let after = alternation(QUALIFIERS_AFTER.iter().map(|(q, _)| *q));
        let en_before = QUALIFIERS_BEFORE
            .iter()
            .filter(|(q, _)| q.is_ascii())
            .map(|(q, _)| regex::escape(q))
            .collect::<Vec<_>>()
            .join("|");
        let re = |s: String| Regex::new(&s).map_err(|e| table_error(e.to_string()));
        let ja = re(format!(
            r"(?P<pre>{before})?(?P<num>{JA_NUMERAL})(?:(?P<sep> ?(?:〜|-|ないし|から) ?)(?:約)?(?P<num2>{JA_NUMERAL}))? ?(?P<cur>{ja_names})(?P<post>{after})?"
        ))?;
        let en_symbol = re(format!(
            r"(?i:(?P<pre>{en_before})\s+)?(?P<sym>{symbols}|(?-u:\b)(?:{codes}))\s?(?P<num>{EN_NUMERAL}(?:[0-9,.]*[千万億兆])*)(?:\s?(?:-|–|to)\s?(?:{symbols})?(?P<num2>{EN_NUMERAL}))?(?:\s?(?i:(?P<scale>{EN_SCALES}))(?-u:\b))?"
        ))?;
        let en_word = re(format!(
            r"(?i:(?P<pre>{en_before})\s+)?(?-u:\b)(?P<num>{EN_NUMERAL}|(?i:{EN_NUMBER_WORDS}))(?:\s?(?:-|–|to)\s?(?P<num2>{EN_NUMERAL}|(?i:{EN_NUMBER_WORDS})))?(?:\s?(?i:(?P<scale>{EN_SCALES})))?(?:\s(?:of\s)?(?P<cur>(?i:{en_names})|{codes})(?-u:\b)|\s?(?P<sign>{signs})|(?P<gsign>{letter_signs}))"
        ))?;
        let build = |words: &[String], case_insensitive: bool| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(case_insensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(words)
                .map_err(|e| table_error(e.to_string()))
        };
        let cue_words: Vec<String> = currencies
            .iter()
            .flat_map(|c| c.ja.iter().cloned())
            .collect();
        let cues = build(&cue_words, false)?;
        let en_words: Vec<String> = currencies
            .iter()
            .flat_map(|c| c.en.iter().cloned())
            .collect();
        let en_cues = build(&en_words, true)?;
        let per_unit_before = re(
            r"1(?:株|口|個|台|人|件|本|枚|単位|トン|バレル)(?:あたり|当たり|につき)?(?:金)? ?$|(?:1株)?(?:あたり|当たり|につき)(?:金)? ?$".to_string(),
        )?;
        Ok(MoneyExtractor {
            ja,
            en_symbol,
            en_word,
            names,
            cues,
            en_cues,
            signs: currencies
                .iter()
                .flat_map(|c| &c.symbols)
                .filter_map(|s| {
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if !c.is_ascii() => Some(c),
                        _ => None,
                    }
                })
                .collect(),
            per_unit_before,
        })
    }

    fn currency(&self, surface: &str) -> Option<&Currency> {
        self.names
            .get(surface)
            .or_else(|| self.names.get(&surface.to_lowercase()))
    }

    /// Finds money amounts in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        // Cheap checks decide which patterns can match: Japanese names need
        // Japanese text, codes and letter signs an ASCII capital, English
        // names ASCII letters.
        let has_ja = !text.is_ascii() && self.cues.is_match(text);
        let has_upper = text.bytes().any(|b| b.is_ascii_uppercase());
        let has_symbol =
            has_upper || text.contains('$') || (!text.is_ascii() && text.contains(&self.signs[..]));
        let has_en = (has_upper || text.bytes().any(|b| b.is_ascii_lowercase()))
            && self.en_cues.is_match(text);
        for c in self.ja.captures_iter(gated(text, has_ja)) {
            if let Some(span) = self.japanese(text, &c) {
                out.push(span);
            }
        }
        for c in self.en_symbol.captures_iter(gated(text, has_symbol)) {
            if let Some(span) = self.english(text, &c, true) {
                out.push(span);
            }
        }
        for c in self
            .en_word
            .captures_iter(gated(text, has_en || has_symbol))
        {
            if let Some(span) = self.english(text, &c, false) {
                out.push(span);
            }
        }
        out.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        out.dedup_by(|b, a| b.start < a.end);
        out
    }

    /// An amount from a match of the Japanese pattern.
    fn japanese(&self, text: &str, c: &regex::Captures) -> Option<Span> {
        let num = c.name("num").unwrap();
        let cur = c.name("cur").unwrap();
        let currency = self.currency(cur.as_str())?;
        // 数兆円, 何億円, 十数億円: vague; a digit before: part of a longer number.
        let before = text[..num.start()].chars().next_back();
        if before.is_some_and(|b| matches!(b, '数' | '何' | '幾' | '=' | '.') || b.is_ascii_digit())
        {
            return None;
        }
        let after = text[cur.end()..].chars().next();
        // 100ランドセル: a katakana name goes on into a word.
        let katakana = |ch: char| matches!(ch, 'ァ'..='ヺ' | 'ー');
        if cur.as_str().chars().next_back().is_some_and(katakana) && after.is_some_and(katakana) {
            return None;
        }
        // 1ドル=150円: an exchange rate.
        if after == Some('=') {
            return None;
        }
        let (low, high) = match c.name("num2") {
            Some(num2) => {
                let high = numeral::parse_ja(num2.as_str())?;
                let mut low = numeral::parse_ja(num.as_str())?;
                // 3〜5億円: the unit written once applies to both ends.
                if numeral::trailing_big_unit(num.as_str()).is_none() {
                    if let Some(u) = numeral::trailing_big_unit(num2.as_str()) {
                        let scaled = low.times(u)?;
                        if scaled.less_than(high) {
                            low = scaled;
                        }
                    }
                }
                if !low.less_than(high) {
                    return None;
                }
                (low, Some(high))
            }
            None => (numeral::parse_ja(num.as_str())?, None),
        };
        let is_kanji = !num.as_str().starts_with(|ch: char| ch.is_ascii_digit());
        let value = low.to_f64();
        // 一円 (throughout), 二元 (dual): one kanji digit is not an amount.
        if is_kanji && num.as_str().chars().count() == 1 && value < 1000.0 {
            return None;
        }
        let has_unit = num
            .as_str()
            .chars()
            .any(|ch| numeral::big_unit(ch).is_some());
        if currency.weak && !has_unit && value < 10_000.0 {
            return None;
        }
        let pre = c.name("pre").map(|m| m.as_str());
        let post = c.name("post").map(|m| m.as_str());
        let qualifier = lookup(QUALIFIERS_BEFORE, pre).or_else(|| lookup(QUALIFIERS_AFTER, post));
        let start = num.start();
        // The marker is at most a few characters before the amount.
        let head = &text[..c.get(0).unwrap().start()];
        let from = floor_char_boundary(head, head.len().saturating_sub(40));
        let per_unit =
            self.per_unit_before.is_match(&head[from..]) || text[cur.end()..].starts_with("/株");
        let max = high.map(Decimal::to_f64);
        Some(amount(
            start,
            cur.end(),
            value,
            max,
            &currency.code,
            qualifier,
            per_unit,
        ))
    }

    /// An amount from a match of an English pattern (`symbol`: sign or code first).
    fn english(&self, text: &str, c: &regex::Captures, symbol: bool) -> Option<Span> {
        let num = c.name("num").unwrap();
        let scale = c.name("scale");
        let (first, last) = if symbol {
            let sym = c.name("sym").unwrap();
            (sym, scale.unwrap_or(c.name("num2").unwrap_or(num)))
        } else {
            (
                num,
                c.name("cur")
                    .or(c.name("sign"))
                    .or(c.name("gsign"))
                    .unwrap(),
            )
        };
        let code_surface = if symbol {
            c.name("sym").unwrap().as_str().trim()
        } else {
            last.as_str()
        };
        let currency = self.currency(code_surface)?;
        let (start, end) = (first.start(), last.end());
        if !latin_boundaries_ok(text, start, end) {
            return None;
        }
        // A one-letter scale is glued to its number (5m euros, not "5 m euros").
        if scale.is_some_and(|s| s.len() == 1 && s.start() != num.end()) && !symbol {
            return None;
        }
        let multiplier = match scale {
            Some(s) => numeral::en_scale(s.as_str())?,
            None => 1,
        };
        let parse = |m: regex::Match| -> Option<(Decimal, bool)> {
            let s = m.as_str();
            if s.ends_with(|ch: char| numeral::big_unit(ch).is_some() || ch == '千') {
                // ¥8兆8億, JPY 20万.
                Some((numeral::parse_ja(s)?, false))
            } else if s.starts_with(|ch: char| ch.is_ascii_digit()) {
                Some((numeral::parse_arabic(s)?, false))
            } else {
                Some((Decimal::int(numeral::en_number_word(s)?), true))
            }
        };
        let (low, is_word) = parse(num)?;
        // "a" makes an amount only with a scale (a billion dollars, not "a dollar store").
        if is_word
            && scale.is_none()
            && matches!(num.as_str().to_ascii_lowercase().as_str(), "a" | "an")
        {
            return None;
        }
        let high = match c.name("num2") {
            Some(n2) => {
                let (h, _) = parse(n2)?;
                if !low.less_than(h) {
                    return None;
                }
                Some(h.times(multiplier)?.to_f64())
            }
            None => None,
        };
        if !symbol && scale.is_none() {
            // "in 2010 yen": a year, not an amount.
            let s = num.as_str();
            let year_like = s.len() == 4 && matches!(s.parse::<u32>(), Ok(1900..=2100));
            let head = &text[..num.start()];
            if year_like && EN_YEAR_CUES.iter().any(|w| ends_with_ignore_case(head, w)) {
                return None;
            }
        }
        let value = low.times(multiplier)?.to_f64();
        if currency.weak && scale.is_none() && value < 10_000.0 {
            return None;
        }
        let pre = c.name("pre").map(|m| m.as_str().to_ascii_lowercase());
        let qualifier = lookup(QUALIFIERS_BEFORE, pre.as_deref());
        let tail = &text.as_bytes()[end..];
        let per_unit = [
            " per share",
            " a share",
            " each",
            " apiece",
            " per unit",
            "/share",
        ]
        .iter()
        .any(|w| tail.len() >= w.len() && tail[..w.len()].eq_ignore_ascii_case(w.as_bytes()));
        Some(amount(
            start,
            end,
            value,
            high,
            &currency.code,
            qualifier,
            per_unit,
        ))
    }
}

/// Whether `text` ends with the ASCII word `w`, ignoring case.
fn ends_with_ignore_case(text: &str, w: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= w.len() && b[b.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
}

/// The meaning of a qualifier word.
fn lookup(table: &[(&str, &str)], word: Option<&str>) -> Option<String> {
    let word = word?;
    table
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, q)| q.to_string())
}

fn amount(
    start: usize,
    end: usize,
    value: f64,
    max: Option<f64>,
    currency: &str,
    qualifier: Option<String>,
    per_unit: bool,
) -> Span {
    Span {
        start,
        end,
        kind: EntityKind::Amount {
            value,
            currency: currency.to_string(),
            qualifier,
            max,
            per_unit,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(String, f64, String, Option<String>)> {
        let lex = crate::lexicon::Lexicons::bundled().unwrap();
        MoneyExtractor::new(&lex.currencies)
            .unwrap()
            .find(text)
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Amount {
                    value,
                    currency,
                    qualifier,
                    ..
                } => (text[s.start..s.end].to_string(), value, currency, qualifier),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn japanese_amounts_with_units() {
        let a = amounts("政府は最大725億円を助成し、さらに1,640.9億円と1兆2000億円、総投資額10億元規模を見込む。");
        assert_eq!(
            a[0],
            (
                "725億円".into(),
                72_500_000_000.0,
                "JPY".into(),
                Some("max".into())
            )
        );
        assert_eq!(a[1].1, 164_090_000_000.0);
        assert_eq!(a[2].1, 1_200_000_000_000.0);
        assert_eq!(
            a[3],
            (
                "10億元".into(),
                1_000_000_000.0,
                "CNY".into(),
                Some("scale".into())
            )
        );
    }

    #[test]
    fn kanji_numerals_and_other_currencies() {
        let a = amounts("出資額は約三千万円で、別途五百億ドル超と20億ユーロ、3億米ドルを投じる。");
        assert_eq!(
            a[0],
            (
                "三千万円".into(),
                30_000_000.0,
                "JPY".into(),
                Some("approx".into())
            )
        );
        assert_eq!(
            a[1],
            (
                "五百億ドル".into(),
                50_000_000_000.0,
                "USD".into(),
                Some("over".into())
            )
        );
        assert_eq!(a[2].2, "EUR");
        assert_eq!(
            a[3],
            ("3億米ドル".into(), 300_000_000.0, "USD".into(), None)
        );
    }

    #[test]
    fn english_amounts() {
        let a = amounts("roughly one trillion yen (about $6.7 billion), USD 5M, up to €40 million and 200 billion yen");
        assert_eq!(
            a[0],
            (
                "one trillion yen".into(),
                1e12,
                "JPY".into(),
                Some("approx".into())
            )
        );
        assert_eq!(
            a[1],
            (
                "$6.7 billion".into(),
                6.7e9,
                "USD".into(),
                Some("approx".into())
            )
        );
        assert_eq!(a[2], ("USD 5M".into(), 5e6, "USD".into(), None));
        assert_eq!(
            a[3],
            ("€40 million".into(), 4e7, "EUR".into(), Some("max".into()))
        );
        assert_eq!(a[4].1, 2e11);
    }

    #[test]
    fn not_money() {
        assert!(amounts(
            "3.5万人の社員、1,100万口座、3500億パラメータ、31%、数兆円規模の市場、関東一円、元社員"
        )
        .is_empty());
        assert!(amounts("one trillion parameters and 12 million users").is_empty());
    }
}
