//! Money amounts: `725億円`, `1,640.9億円`, `1兆2000億円`, `十億円`, `10億元`,
//! `$6.7 billion`, `USD 5M`, `one trillion yen`, `€40 million`, with a
//! qualifier (`approx` 約/およそ/about/roughly, `max` 最大/up to,
//! `over` 超/以上/more than, `scale` 規模). Values are exact, in base units.
//! Not money: counts (3.5万人, 1,100万口座), parameters, percentages, vague
//! amounts (数兆円).

use std::sync::LazyLock;

use regex::Regex;

use super::{gated, latin_boundaries_ok, Span};
use crate::document::EntityKind;

static JA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<pre>約|およそ|おおよそ|最大で|最大|最高|総額|計|合計|概算)?",
        r"(?P<num>(?:[0-9][0-9,]*(?:\.[0-9]+)?|[〇一二三四五六七八九十百千]+)(?:兆|億|万|千)?",
        r"(?:(?:[0-9][0-9,]*(?:\.[0-9]+)?|[〇一二三四五六七八九十百千]+)(?:兆|億|万|千))*)",
        r"(?P<cur>米ドル|USドル|ドル|円|人民元|元|ユーロ|ポンド|ウォン|ルピー|スイスフラン|フラン)",
        r"(?P<post>超|以上|強|規模|程度|前後|余り|あまり|近く)?"
    ))
    .unwrap()
});

static EN_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(?P<pre>about|approximately|approx\.|around|roughly|nearly|almost|some|up to|as much as|more than|over|at least|an estimated)\s+)?",
        r"(?P<sym>US\$|A\$|C\$|HK\$|\$|¥|€|£|(?:USD|JPY|EUR|GBP|CNY|RMB)\s?)",
        r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)",
        r"(?:\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mn|mln|[MBK])(?-u:\b))?"
    ))
    .unwrap()
});

static EN_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(?P<pre>about|approximately|around|roughly|nearly|almost|some|up to|as much as|more than|over|at least|an estimated)\s+)?",
        r"(?i:(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|a)\s+",
        r"(?P<scale>trillion|billion|million|thousand)\s+",
        r"(?P<cur>yen|(?:US |U\.S\. |Australian |Canadian |Hong Kong |Singapore |New Zealand )?dollars|euros?|pounds|yuan|renminbi|won|rupees))(?-u:\b)"
    ))
    .unwrap()
});

/// The money extractor.
#[derive(Debug, Default)]
pub struct MoneyExtractor;

/// Value of a decimal string with commas (`1,640.9`) times `multiplier`,
/// computed exactly in integers.
fn decimal_times(num: &str, multiplier: u128) -> Option<f64> {
    let clean: String = num.chars().filter(|&c| c != ',').collect();
    let (int, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    let digits: u128 = format!("{int}{frac}").parse().ok()?;
    let scale = 10u128.checked_pow(frac.len() as u32)?;
    let value = digits.checked_mul(multiplier)? / scale;
    Some(value as f64)
}

fn kanji_digit(c: char) -> Option<u128> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u128)
}

/// Parses kanji numerals below 10,000 (`三千五百`, `十`, `二〇二五`).
fn kanji_small(s: &str) -> Option<u128> {
    if s.chars().all(|c| kanji_digit(c).is_some()) {
        return s
            .chars()
            .try_fold(0u128, |acc, c| Some(acc * 10 + kanji_digit(c)?));
    }
    let mut total = 0u128;
    let mut current = 0u128;
    for c in s.chars() {
        if let Some(d) = kanji_digit(c) {
            current = current * 10 + d;
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                _ => return None,
            };
            total += if current == 0 { 1 } else { current } * unit;
            current = 0;
        }
    }
    Some(total + current)
}

fn big_unit(c: char) -> Option<u128> {
    match c {
        '兆' => Some(1_000_000_000_000),
        '億' => Some(100_000_000),
        '万' => Some(10_000),
        _ => None,
    }
}

/// Parses a Japanese number with 兆/億/万 groups (`1兆2000億`, `十億`, `1,640.9億`).
pub fn parse_ja_number(s: &str) -> Option<f64> {
    let mut total = 0f64;
    let mut part = String::new();
    let flush = |part: &str, unit: u128| -> Option<f64> {
        if part.is_empty() {
            return None;
        }
        if part.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // A trailing 千 after Arabic digits (5千万) multiplies.
            if let Some(p) = part.strip_suffix('千') {
                return decimal_times(p, unit * 1000);
            }
            decimal_times(part, unit)
        } else {
            Some((kanji_small(part)? * unit) as f64)
        }
    };
    for c in s.chars() {
        if let Some(unit) = big_unit(c) {
            total += flush(&part, unit)?;
            part.clear();
        } else {
            part.push(c);
        }
    }
    if !part.is_empty() {
        total += flush(&part, 1)?;
    }
    Some(total)
}

fn currency_ja(cur: &str) -> &'static str {
    match cur {
        "円" => "JPY",
        "米ドル" | "USドル" | "ドル" => "USD",
        "人民元" | "元" => "CNY",
        "ユーロ" => "EUR",
        "ポンド" => "GBP",
        "ウォン" => "KRW",
        "ルピー" => "INR",
        _ => "CHF",
    }
}

fn currency_symbol(sym: &str) -> &'static str {
    match sym.trim().to_ascii_uppercase().as_str() {
        "$" | "US$" | "USD" => "USD",
        "A$" => "AUD",
        "C$" => "CAD",
        "HK$" => "HKD",
        "¥" | "JPY" => "JPY",
        "€" | "EUR" => "EUR",
        "£" | "GBP" => "GBP",
        _ => "CNY",
    }
}

fn currency_word(word: &str) -> &'static str {
    let w = word.to_ascii_lowercase();
    if let Some(country) = w.strip_suffix(" dollars") {
        return match country {
            "australian" => "AUD",
            "canadian" => "CAD",
            "hong kong" => "HKD",
            "singapore" => "SGD",
            "new zealand" => "NZD",
            _ => "USD",
        };
    }
    if w == "rupees" {
        return "INR";
    }
    if w.ends_with("dollars") {
        "USD"
    } else if w.starts_with("euro") {
        "EUR"
    } else if w == "pounds" {
        "GBP"
    } else if w == "yuan" || w == "renminbi" {
        "CNY"
    } else if w == "won" {
        "KRW"
    } else {
        "JPY"
    }
}

fn scale_en(scale: &str) -> u128 {
    match scale.to_ascii_lowercase().as_str() {
        "trillion" | "tn" => 1_000_000_000_000,
        "billion" | "bn" | "b" => 1_000_000_000,
        "million" | "mn" | "mln" | "m" => 1_000_000,
        "thousand" | "k" => 1_000,
        _ => 1,
    }
}

fn number_word(w: &str) -> Option<u128> {
    let words = [
        "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let lw = w.to_ascii_lowercase();
    if let Some(p) = words.iter().position(|x| *x == lw) {
        return Some(p.max(1) as u128);
    }
    match lw.as_str() {
        "fifteen" => Some(15),
        "twenty" => Some(20),
        "thirty" => Some(30),
        "forty" => Some(40),
        "fifty" => Some(50),
        "hundred" => Some(100),
        _ => None,
    }
}

fn qualifier(pre: Option<&str>, post: Option<&str>) -> Option<String> {
    let q = |s: &str| -> Option<&'static str> {
        match s.to_ascii_lowercase().as_str() {
            "約" | "およそ" | "おおよそ" | "概算" | "程度" | "前後" | "近く" | "about"
            | "approximately" | "approx." | "around" | "roughly" | "nearly" | "almost" | "some"
            | "an estimated" => Some("approx"),
            "最大" | "最大で" | "最高" | "up to" | "as much as" => Some("max"),
            "超" | "以上" | "強" | "余り" | "あまり" | "more than" | "over" | "at least" => {
                Some("over")
            }
            "規模" => Some("scale"),
            _ => None,
        }
    };
    pre.and_then(q)
        .or_else(|| post.and_then(q))
        .map(str::to_string)
}

impl MoneyExtractor {
    /// Creates the extractor (regexes are compiled once per process).
    pub fn new() -> Self {
        MoneyExtractor
    }

    /// Finds money amounts in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        // Cheap literal checks skip the regexes that cannot match (the hot path).
        let has_ja_currency = [
            "円",
            "ドル",
            "元",
            "ユーロ",
            "ポンド",
            "ウォン",
            "ルピー",
            "フラン",
        ]
        .iter()
        .any(|c| text.contains(c));
        let has_symbol = text.contains(['$', '¥', '€', '£'])
            || ["USD", "JPY", "EUR", "GBP", "CNY", "RMB"]
                .iter()
                .any(|c| text.contains(c));
        let has_scale_word = ["illion", "ILLION", "housand", "HOUSAND"]
            .iter()
            .any(|c| text.contains(c));
        for c in JA.captures_iter(gated(text, has_ja_currency)) {
            let num = c.name("num").unwrap();
            let cur = c.name("cur").unwrap();
            // 数兆円, 何億円, 十数億円: vague, not an amount.
            let before = text[..num.start()].chars().next_back();
            if before
                .is_some_and(|b| matches!(b, '数' | '何' | '幾') || b.is_ascii_digit() || b == '.')
            {
                continue;
            }
            if num.as_str().ends_with('数') {
                continue;
            }
            let Some(value) = parse_ja_number(num.as_str()) else {
                continue;
            };
            let is_kanji = !num.as_str().starts_with(|ch: char| ch.is_ascii_digit());
            if is_kanji && value < 1000.0 {
                // 一円 (throughout), 二元 (dual): not amounts.
                continue;
            }
            // 元 after a bare number of one digit is usually not yuan (元社員); require a unit or 2+ digits.
            if cur.as_str() == "元" && value < 10_000.0 {
                continue;
            }
            out.push(Span {
                start: num.start(),
                end: cur.end(),
                kind: EntityKind::Amount {
                    value,
                    currency: currency_ja(cur.as_str()).to_string(),
                    qualifier: qualifier(
                        c.name("pre").map(|m| m.as_str()),
                        c.name("post").map(|m| m.as_str()),
                    ),
                },
            });
        }
        for c in EN_SYMBOL.captures_iter(gated(text, has_symbol)) {
            let sym = c.name("sym").unwrap();
            let num = c.name("num").unwrap();
            let scale = c.name("scale");
            let end = scale.map(|s| s.end()).unwrap_or(num.end());
            if !latin_boundaries_ok(text, sym.start(), end) {
                continue;
            }
            let Some(value) = decimal_times(
                num.as_str(),
                scale.map(|s| scale_en(s.as_str())).unwrap_or(1),
            ) else {
                continue;
            };
            out.push(Span {
                start: sym.start(),
                end,
                kind: EntityKind::Amount {
                    value,
                    currency: currency_symbol(sym.as_str()).to_string(),
                    qualifier: qualifier(c.name("pre").map(|m| m.as_str()), None),
                },
            });
        }
        for c in EN_WORD.captures_iter(gated(text, has_scale_word)) {
            let num = c.name("num").unwrap();
            let scale = scale_en(&c["scale"]);
            let value = if num.as_str().starts_with(|ch: char| ch.is_ascii_digit()) {
                decimal_times(num.as_str(), scale)
            } else {
                number_word(num.as_str()).map(|n| (n * scale) as f64)
            };
            let Some(value) = value else { continue };
            if !latin_boundaries_ok(text, num.start(), c.name("cur").unwrap().end()) {
                continue;
            }
            out.push(Span {
                start: num.start(),
                end: c.name("cur").unwrap().end(),
                kind: EntityKind::Amount {
                    value,
                    currency: currency_word(&c["cur"]).to_string(),
                    qualifier: qualifier(c.name("pre").map(|m| m.as_str()), None),
                },
            });
        }
        out.sort_by_key(|s| s.start);
        out.dedup_by(|b, a| b.start < a.end);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(String, f64, String, Option<String>)> {
        MoneyExtractor::new()
            .find(text)
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Amount {
                    value,
                    currency,
                    qualifier,
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
