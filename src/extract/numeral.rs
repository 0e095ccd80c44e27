//! Numerals as news writes them, one parser for money and years.
//!
//! Finds: Arabic digits with thousands commas and decimals (`1,640.9`),
//! kanji numerals in positional form (`二〇二四`) and in multiplicative form
//! (`三千五百`, `一億二千万`), daiji (`壱萬`, `弐拾`), mixed forms (`3千億`,
//! `1億2000万`, `2万0500`, `1.5兆`), and English number and scale words
//! (`twenty-five`, `million`, `bn`, `crore`). Values are exact decimals until
//! they are turned into `f64` (`12.75` stays 12.75, `1,640.9億` is 164090000000).
//!
//! Never: vague numbers (`数億`, `十数万`: `数` is not a numeral, the caller
//! sees it next to the run), fractions, Roman numerals, signs. The text is
//! NFKC-normalized before it gets here, so full-width digits are ASCII.
//!
//! Why not a crate: `kansuji` reads kanji numerals only (no Arabic digits
//! mixed with 万/億, no daiji), `kanji-number-parser` likewise and depends on
//! the unmaintained `failure`; neither reads decimals or English scales.

/// An exact decimal number: `digits × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decimal {
    digits: u128,
    scale: u32,
}

impl Decimal {
    /// The integer `n`.
    pub fn int(n: u128) -> Self {
        Decimal {
            digits: n,
            scale: 0,
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.digits == 0
    }

    /// Whether the number has no fractional digits (after trailing zeros).
    pub fn is_integer(self) -> bool {
        self.integer().is_some()
    }

    /// The value as an integer, when it is one.
    pub fn integer(self) -> Option<u128> {
        let p = 10u128.checked_pow(self.scale)?;
        self.digits.is_multiple_of(p).then_some(self.digits / p)
    }

    /// `self × n`, exactly; `None` on overflow.
    pub fn times(self, n: u128) -> Option<Self> {
        let d = Decimal {
            digits: self.digits.checked_mul(n)?,
            scale: self.scale,
        };
        Some(d.reduced())
    }

    /// `self + other`, exactly; `None` on overflow.
    pub fn plus(self, other: Self) -> Option<Self> {
        let scale = self.scale.max(other.scale);
        let a = self
            .digits
            .checked_mul(10u128.checked_pow(scale - self.scale)?)?;
        let b = other
            .digits
            .checked_mul(10u128.checked_pow(scale - other.scale)?)?;
        Some(
            Decimal {
                digits: a.checked_add(b)?,
                scale,
            }
            .reduced(),
        )
    }

    /// `self / 100`, exactly (a price in cents or pence, 銭).
    pub fn hundredth(self) -> Self {
        Decimal {
            digits: self.digits,
            scale: self.scale + 2,
        }
        .reduced()
    }

    /// Whether `self < other`.
    pub fn less_than(self, other: Self) -> bool {
        self.to_f64() < other.to_f64()
    }

    fn reduced(mut self) -> Self {
        while self.scale > 0 && self.digits.is_multiple_of(10) {
            self.digits /= 10;
            self.scale -= 1;
        }
        self
    }

    /// The nearest `f64` (exact for integers below 2^53).
    pub fn to_f64(self) -> f64 {
        if self.scale == 0 {
            self.digits as f64
        } else {
            self.digits as f64 / 10f64.powi(self.scale as i32)
        }
    }
}

/// Parses Arabic digits with optional thousands commas and a decimal part
/// (`1,640.9`, `0500`, `12.75`). Commas must separate digits.
pub fn parse_arabic(s: &str) -> Option<Decimal> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty()
        || int.starts_with(',')
        || int.ends_with(',')
        || int.contains(",,")
        || !int.bytes().all(|b| b.is_ascii_digit() || b == b',')
    {
        return None;
    }
    let frac = frac.unwrap_or("");
    if s.contains('.') && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut digits: u128 = 0;
    for b in int.bytes().filter(|&b| b != b',').chain(frac.bytes()) {
        digits = digits.checked_mul(10)?.checked_add((b - b'0') as u128)?;
    }
    Some(
        Decimal {
            digits,
            scale: frac.len() as u32,
        }
        .reduced(),
    )
}

/// The digit of a kanji or daiji numeral character (〇一…九, 零, 壱弐参…).
pub fn kanji_digit(c: char) -> Option<u128> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壱' | '壹' => 1,
        '二' | '弐' | '貳' => 2,
        '三' | '参' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陸' => 6,
        '七' | '漆' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The value of a unit below 10,000 (十百千 and their daiji).
fn small_unit(c: char) -> Option<u128> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' | '陌' => 100,
        '千' | '阡' | '仟' => 1000,
        _ => return None,
    })
}

/// The value of a myriad unit (万 億 兆 京).
pub fn big_unit(c: char) -> Option<u128> {
    Some(match c {
        '万' | '萬' => 10_000,
        '億' => 100_000_000,
        '兆' => 1_000_000_000_000,
        '京' => 10_000_000_000_000_000,
        _ => return None,
    })
}

/// Whether `c` can be part of a Japanese numeral run.
pub fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit()
        || kanji_digit(c).is_some()
        || small_unit(c).is_some()
        || big_unit(c).is_some()
}

/// One piece of a numeral run.
enum Piece {
    Literal(Decimal),
    Small(u128),
    Big(u128),
}

fn pieces(s: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next()?;
        if c.is_ascii_digit() {
            // Digits, commas between digits, one decimal point between digits.
            let mut j = i;
            let mut seen_dot = false;
            while j < b.len() {
                let x = b[j];
                let next_digit = b.get(j + 1).is_some_and(u8::is_ascii_digit);
                if x.is_ascii_digit() || (x == b',' && next_digit && !seen_dot) {
                    j += 1;
                } else if x == b'.' && next_digit && !seen_dot {
                    seen_dot = true;
                    j += 1;
                } else {
                    break;
                }
            }
            out.push(Piece::Literal(parse_arabic(&s[i..j])?));
            i = j;
        } else if kanji_digit(c).is_some() {
            // A run of kanji digits is positional: 二〇二四 = 2024.
            let mut v: u128 = 0;
            let mut j = i;
            for d in s[i..].chars().map_while(kanji_digit) {
                v = v.checked_mul(10)?.checked_add(d)?;
                j += s[j..].chars().next()?.len_utf8();
            }
            out.push(Piece::Literal(Decimal::int(v)));
            i = j;
        } else if let Some(u) = small_unit(c) {
            out.push(Piece::Small(u));
            i += c.len_utf8();
        } else if let Some(u) = big_unit(c) {
            out.push(Piece::Big(u));
            i += c.len_utf8();
        } else {
            return None;
        }
    }
    Some(out)
}

/// Parses a whole Japanese numeral: `1,640.9`, `三千五百`, `一億二千万`,
/// `1億2000万`, `2万0500`, `3千億`, `壱萬`, `二〇二四`. `None` when `s` is
/// not one well-formed numeral (`万億`, `千千`, `億` alone).
pub fn parse_ja(s: &str) -> Option<Decimal> {
    let mut total = Decimal::default();
    let mut group = Decimal::default();
    let mut current: Option<Decimal> = None;
    let mut last_big = u128::MAX;
    let mut last_small = u128::MAX;
    let mut any = false;
    for piece in pieces(s)? {
        match piece {
            Piece::Literal(d) => {
                if current.is_some() {
                    return None;
                }
                current = Some(d);
                any = true;
            }
            Piece::Small(u) => {
                if u >= last_small {
                    return None;
                }
                last_small = u;
                group = group.plus(current.take().unwrap_or(Decimal::int(1)).times(u)?)?;
                any = true;
            }
            Piece::Big(u) => {
                if u >= last_big {
                    return None;
                }
                let g = group.plus(current.take().unwrap_or_default())?;
                if g.is_zero() {
                    return None;
                }
                total = total.plus(g.times(u)?)?;
                last_big = u;
                last_small = u128::MAX;
                group = Decimal::default();
            }
        }
    }
    if !any {
        return None;
    }
    total.plus(group)?.plus(current.unwrap_or_default())
}

/// The numeral run at the start of `s` (Arabic digits, kanji numerals and
/// units): its byte length, 0 when `s` does not start with one.
pub fn run_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut len = 0;
    for (i, c) in s.char_indices() {
        let sep = matches!(c, ',' | '.')
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if is_numeral_char(c) || sep {
            len = i + c.len_utf8();
        } else {
            break;
        }
    }
    len
}

/// The trailing myriad unit of a numeral (`5億` → 10^8), for ranges that
/// write the unit once (`3〜5億円`).
pub fn trailing_big_unit(s: &str) -> Option<u128> {
    s.chars().next_back().and_then(big_unit)
}

/// The value of an English number word: `one` … `ninety-nine`, `a`/`an`
/// (one), `dozen`, `hundred`.
pub fn en_number_word(w: &str) -> Option<u128> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let w = w.to_ascii_lowercase();
    if let Some(p) = UNITS.iter().position(|u| *u == w) {
        return Some(p as u128);
    }
    if let Some(p) = TENS.iter().position(|t| *t == w) {
        return Some(20 + 10 * p as u128);
    }
    if let Some((t, u)) = w.split_once('-') {
        let t = TENS.iter().position(|x| *x == t)?;
        let u = UNITS[1..10].iter().position(|x| *x == u)? + 1;
        return Some(20 + 10 * t as u128 + u as u128);
    }
    match w.as_str() {
        "a" | "an" => Some(1),
        "dozen" => Some(12),
        "hundred" => Some(100),
        _ => None,
    }
}

/// The multiplier of an English scale word or abbreviation: `thousand`/`k`,
/// `million`/`mn`/`mln`/`mil`/`m`, `billion`/`bn`/`b`, `trillion`/`tn`, and the
/// Indian `lakh` (10^5), `crore` (10^7) and `lakh crore` (10^12).
pub fn en_scale(w: &str) -> Option<u128> {
    let w = w.to_ascii_lowercase();
    let w = w.trim_end_matches('.');
    Some(match w {
        "thousand" | "k" => 1_000,
        "million" | "millions" | "mn" | "mln" | "mil" | "m" => 1_000_000,
        "billion" | "billions" | "bn" | "bln" | "b" => 1_000_000_000,
        "trillion" | "trillions" | "tn" | "trn" => 1_000_000_000_000,
        "lakh" | "lakhs" | "lac" => 100_000,
        "crore" | "crores" => 10_000_000,
        "lakh crore" => 1_000_000_000_000,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ja(s: &str) -> Option<f64> {
        parse_ja(s).map(Decimal::to_f64)
    }

    #[test]
    fn arabic_with_commas_and_decimals() {
        assert_eq!(ja("1,640.9"), Some(1640.9));
        assert_eq!(ja("12.75"), Some(12.75));
        assert_eq!(ja("8,000,000"), Some(8e6));
        assert_eq!(ja("0500"), Some(500.0));
        assert_eq!(parse_arabic("1,,5"), None);
        assert_eq!(parse_arabic("1."), None);
    }

    #[test]
    fn kanji_positional_and_multiplicative() {
        assert_eq!(ja("二〇二四"), Some(2024.0));
        assert_eq!(ja("三千五百"), Some(3500.0));
        assert_eq!(ja("十"), Some(10.0));
        assert_eq!(ja("二十五"), Some(25.0));
        assert_eq!(ja("百二十三兆五百四十万二"), Some(123_000_005_400_002.0));
        assert_eq!(ja("一億二千万"), Some(120_000_000.0));
        assert_eq!(ja("三千五百億"), Some(350_000_000_000.0));
    }

    #[test]
    fn mixed_and_daiji() {
        assert_eq!(ja("3千億"), Some(300_000_000_000.0));
        assert_eq!(ja("1億2000万"), Some(120_000_000.0));
        assert_eq!(ja("2万0500"), Some(20_500.0));
        assert_eq!(ja("1.5兆"), Some(1.5e12));
        assert_eq!(ja("1,640.9億"), Some(164_090_000_000.0));
        assert_eq!(ja("5千万"), Some(50_000_000.0));
        assert_eq!(ja("壱萬"), Some(10_000.0));
        assert_eq!(ja("弐拾参"), Some(23.0));
        assert_eq!(ja("金"), None);
    }

    #[test]
    fn malformed_runs_are_not_numerals() {
        assert_eq!(ja("万億"), None);
        assert_eq!(ja("億"), None);
        assert_eq!(ja("千千"), None);
        assert_eq!(ja("百千"), None);
        assert_eq!(ja("5三"), None);
    }

    #[test]
    fn decimals_stay_exact() {
        let d = parse_ja("0.1")
            .unwrap()
            .plus(parse_ja("0.2").unwrap())
            .unwrap();
        assert_eq!(d.to_f64(), 0.3);
        assert_eq!(parse_ja("688").unwrap().hundredth().to_f64(), 6.88);
        assert!(!parse_ja("1.50").unwrap().is_integer());
        assert_eq!(parse_ja("2.0").unwrap().integer(), Some(2));
    }

    #[test]
    fn runs_and_units() {
        assert_eq!(run_len("1,500円"), "1,500".len());
        assert_eq!(run_len("3千億円超"), "3千億".len());
        assert_eq!(run_len("円"), 0);
        assert_eq!(run_len("12.75ドル"), "12.75".len());
        assert_eq!(run_len("2019."), 4);
        assert_eq!(trailing_big_unit("5億"), Some(100_000_000));
    }

    #[test]
    fn english_words_and_scales() {
        assert_eq!(en_number_word("twenty-five"), Some(25));
        assert_eq!(en_number_word("One"), Some(1));
        assert_eq!(en_number_word("a"), Some(1));
        assert_eq!(en_number_word("eleventy"), None);
        assert_eq!(en_scale("bn"), Some(1_000_000_000));
        assert_eq!(en_scale("Million"), Some(1_000_000));
        assert_eq!(en_scale("crore"), Some(10_000_000));
        assert_eq!(en_scale("lakh crore"), Some(1_000_000_000_000));
        assert_eq!(en_scale("mil"), Some(1_000_000));
        assert_eq!(en_scale("dozen"), None);
    }
}
