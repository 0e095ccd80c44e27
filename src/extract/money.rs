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
use crate::lexicon::{CurrencyEntry, CurrencyPlace};
use crate::records::ByteEntity;

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
const EN_SCALES: &str = r"lakh crore|trillions?|billions?|millions?|thousand|crores?|lakhs?|trn|tn|bln|bn|mln|mil|mn|[mbk]";

/// English number words that may stand before a scale word.
const EN_NUMBER_WORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|an|hundred|dozen";

/// Japanese numeral characters: Arabic digits, kanji and daiji digits and
/// units; one space may stand before a myriad unit, as PDF extraction leaves
/// it (`5 兆7,700 億円`).
const JA_NUMERAL: &str = r"(?:[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?| ?[万億兆]|[〇一二三四五六七八九十百千万億兆京零壱壹弐貳参參肆伍陸漆柒捌玖拾佰陌阡仟萬])+";

/// Arabic digits with commas (Western or Indian grouping) and decimals.
const EN_NUMERAL: &str = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?";

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
    /// The currency's hundredth (cents, pence, 銭).
    minor: bool,
    /// A surface read by where the text is (`$`, `元`).
    bare: bool,
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
    /// Places where a bare `$` or `元` means another currency.
    places: Vec<CurrencyPlace>,
    /// The places' cue words; pattern `i` is a cue of place `place_of_cue[i]`.
    place_cues: Option<AhoCorasick>,
    place_of_cue: Vec<usize>,
}

/// The Japanese names of `c` written with a middle dot between a katakana
/// place and the name of the unit (`ノルウェークローネ` → `ノルウェー・クローネ`,
/// `オーストラリアドル` → `オーストラリア・ドル`): the unit is any Japanese
/// name of the table that ends the name.
fn dotted_names(c: &CurrencyEntry, all: &[CurrencyEntry]) -> Vec<String> {
    let katakana = |ch: char| matches!(ch, 'ァ'..='ヺ' | 'ー');
    let mut out = Vec::new();
    for name in &c.ja {
        for unit in all.iter().flat_map(|x| &x.ja) {
            let Some(place) = name.strip_suffix(unit.as_str()) else {
                continue;
            };
            if place.chars().count() >= 2 && place.chars().all(katakana) {
                out.push(format!("{place}・{unit}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
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
                minor: c.minor.iter().any(|w| w == surface),
                bare: c.bare.iter().any(|w| w == surface),
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
            for s in dotted_names(c, currencies) {
                add(&s, c, s.clone())?;
            }
            for s in &c.en {
                add(s, c, s.to_lowercase())?;
            }
            for s in &c.minor {
                let key = if s.is_ascii() {
                    s.to_lowercase()
                } else {
                    s.clone()
                };
                add(s, c, key)?;
            }
        }
        let ja_minor = |c: &CurrencyEntry| -> Vec<String> {
            c.minor.iter().filter(|s| !s.is_ascii()).cloned().collect()
        };
        let en_minor = |c: &CurrencyEntry| -> Vec<String> {
            c.minor.iter().filter(|s| s.is_ascii()).cloned().collect()
        };
        let ja_all: Vec<String> = currencies
            .iter()
            .flat_map(|c| {
                c.ja.iter()
                    .cloned()
                    .chain(dotted_names(c, currencies))
                    .chain(ja_minor(c))
            })
            .collect();
        let ja_names = alternation(&ja_all);
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
        let en_names = alternation(
            currencies
                .iter()
                .flat_map(|c| c.en.iter().cloned().chain(en_minor(c))),
        );
        // Signs may also follow the number: signs that are not only letters
        // after an optional space (20€, 10 $, 3.8 billion US$), signs of two
        // letters or more and codes glued (20Rs, 42MYR); never a weak sign (W, L).
        let all_symbols = || currencies.iter().flat_map(|c| &c.symbols);
        let signs = alternation(all_symbols().filter(|s| !s.chars().all(char::is_alphabetic)));
        let weak_sign = |s: &str| currencies.iter().any(|c| c.weak.iter().any(|w| w == s));
        let letter_signs = alternation(
            all_symbols()
                .filter(|s| {
                    s.starts_with(|c: char| c.is_ascii_alphabetic())
                        && s.chars().count() >= 2
                        && !weak_sign(s)
                })
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
            r"(?P<pre>{before})?(?P<num>{JA_NUMERAL})(?:(?P<sep> ?(?:〜|~|～|-|–|ないし|から) ?)(?:約)?(?P<num2>{JA_NUMERAL}))? ?(?P<cur>{ja_names}|{codes})(?P<post>{after})?"
        ))?;
        let en_symbol = re(format!(
            r"(?i:(?P<pre>{en_before})\s+)?(?P<sym>{symbols}|(?-u:\b)(?:{codes}))\s?(?P<num>{EN_NUMERAL}(?:[0-9,.]*[千万億兆])*)(?:\s?(?:-|–|to)\s?(?:{symbols})?(?P<num2>{EN_NUMERAL}))?(?:[\s-]?(?i:(?P<scale>{EN_SCALES}))(?-u:\b))?"
        ))?;
        let en_word = re(format!(
            r"(?i:(?P<pre>{en_before})\s+)?(?-u:\b)(?P<num>{EN_NUMERAL}|(?i:{EN_NUMBER_WORDS}))(?:\s?(?:-|–|to)\s?(?P<num2>{EN_NUMERAL}|(?i:{EN_NUMBER_WORDS})))?(?:[\s-]?(?i:(?P<scale>{EN_SCALES})))?(?:[\s-](?:of\s)?(?P<cur>(?i:{en_names})|{codes})(?-u:\b)|\s?(?P<sign>{signs})|(?P<gsign>{letter_signs}))"
        ))?;
        let build = |words: &[String], case_insensitive: bool| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(case_insensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(words)
                .map_err(|e| table_error(e.to_string()))
        };
        let mut cue_words = ja_all.clone();
        // Codes after a Japanese numeral (100億USD).
        cue_words.extend(currencies.iter().map(|c| c.code.clone()));
        let cues = build(&cue_words, false)?;
        let en_words: Vec<String> = currencies
            .iter()
            .flat_map(|c| c.en.iter().cloned().chain(en_minor(c)))
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
            places: Vec::new(),
            place_cues: None,
            place_of_cue: Vec::new(),
        })
    }

    /// Compiles the extractor from the currency table and the places where a
    /// bare `$` or `元` means another currency (`currency_places.tsv`).
    pub fn with_places(currencies: &[CurrencyEntry], places: &[CurrencyPlace]) -> Result<Self> {
        let mut m = Self::new(currencies)?;
        let mut words = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for c in &p.cues {
                words.push(c.clone());
                m.place_of_cue.push(i);
            }
        }
        m.place_cues = Some(
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&words)
                .map_err(|e| table_error(e.to_string()))?,
        );
        m.places = places.to_vec();
        Ok(m)
    }

    /// Amounts in a table column whose header gives the unit (`金額(円)`,
    /// `取得価額(百万円)`, `(億ドル)`) and whose cells are numerals alone
    /// (`約5,485億`, `1,200`): each cell is an amount in the header's unit.
    /// Rows are the lines of `text` (a table's rows, or one-row paragraphs)
    /// with `|` between cells; the column ends at a row with another number
    /// of cells. Offsets are into `text`.
    pub fn column_amounts(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        if !text.contains('|') || !(text.contains(')') || text.contains('）')) {
            return out;
        }
        // (cell count, column, multiplier, currency) of the open header.
        let mut header: Option<(usize, usize, u128, &Currency)> = None;
        let mut pos = 0;
        for line in text.split('\n') {
            let start = pos;
            pos += line.len() + 1;
            if line.trim().is_empty() {
                continue;
            }
            let cells: Vec<(usize, &str)> = cells(line).map(|(i, c)| (start + i, c)).collect();
            if cells.len() < 2 {
                header = None;
                continue;
            }
            if cells
                .iter()
                .all(|(_, c)| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            {
                continue;
            }
            if let Some(h) = self.column_header(&cells) {
                header = Some(h);
                continue;
            }
            let Some((count, col, mult, currency)) = header else {
                continue;
            };
            if cells.len() != count {
                header = None;
                continue;
            }
            let (at, cell) = cells[col];
            let (qualifier, num) = match cell.strip_prefix("約") {
                Some(rest) => (Some("approx".to_string()), rest),
                None => (None, cell),
            };
            let num_start = at + (cell.len() - num.len());
            // A cell with its own myriad unit under a header with one (億円 over 5億) is unclear.
            let own_unit = num.chars().any(|ch| numeral::big_unit(ch).is_some());
            if num.is_empty()
                || !num.starts_with(|ch: char| ch.is_ascii_digit())
                || (own_unit && mult > 1)
            {
                continue;
            }
            let Some(value) = numeral::parse_ja(num).and_then(|v| v.times(mult)) else {
                continue;
            };
            out.push(amount(
                num_start,
                num_start + num.len(),
                value.to_f64(),
                None,
                currency,
                qualifier,
                false,
            ));
        }
        out
    }

    /// A header row's unit column: (cells, column, multiplier, currency).
    fn column_header(&self, cells: &[(usize, &str)]) -> Option<(usize, usize, u128, &Currency)> {
        cells.iter().enumerate().find_map(|(i, (_, c))| {
            let inner = c
                .strip_suffix(')')
                .or_else(|| c.strip_suffix('）'))?
                .rsplit(['(', '（'])
                .next()?;
            let inner = inner.strip_prefix("単位:").unwrap_or(inner);
            let (mult, name) = match inner.strip_prefix("百万") {
                Some(rest) => (1_000_000, rest),
                None => match inner.chars().next().and_then(numeral::big_unit) {
                    Some(u) => (u, &inner[inner.chars().next().map_or(0, char::len_utf8)..]),
                    None => match inner.strip_prefix('千') {
                        Some(rest) => (1_000, rest),
                        None => (1, inner),
                    },
                },
            };
            let currency = self.currency(name)?;
            (!name.is_ascii() && !currency.weak && !currency.bare).then_some((
                cells.len(),
                i,
                mult,
                currency,
            ))
        })
    }

    /// (`currency_source` `default`) from where the text is: cue words of
    /// `currency_places.tsv`, companies of the place (their gazetteer
    /// country) and amounts written in the place's currency each count once.
    /// A `$` becomes the dollar of the place with the most counts when the
    /// document also writes the US dollar's sign as such (`US$`, `U.S.$`); a `元`
    /// the yuan of the place with the most counts. The place needs two
    /// counts, and more than any rival of another reading (`$`) or twice as
    /// many (`元`). The source becomes `context`; with a rival too close, or
    /// a `$` in a text that never writes `US$` while a place has two counts,
    /// the default stays and the source is `ambiguous`.
    pub fn resolve_currencies(&self, text: &str, spans: &mut [ByteEntity]) {
        let bare = |k: &EntityKind| matches!(k, EntityKind::Amount { currency_source: Some(s), .. } if s == DEFAULT_SOURCE);
        let Some(ac) = &self.place_cues else {
            return;
        };
        if !spans.iter().any(|s| bare(&s.kind)) {
            return;
        }
        let mut counts = vec![0usize; self.places.len()];
        let b = text.as_bytes();
        for m in ac.find_iter(text) {
            let word = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
            let latin = b[m.start()].is_ascii_alphabetic();
            if latin && ((m.start() > 0 && word(m.start() - 1)) || word(m.end())) {
                continue;
            }
            counts[self.place_of_cue[m.pattern().as_usize()]] += 1;
        }
        let mut written_usd = false;
        for s in spans.iter() {
            match &s.kind {
                EntityKind::Company {
                    country: Some(c), ..
                } => {
                    for (i, p) in self.places.iter().enumerate() {
                        if &p.country == c {
                            counts[i] += 1;
                        }
                    }
                }
                EntityKind::Amount {
                    currency,
                    currency_source: None,
                    ..
                } => {
                    // US$, U.S.$: the text marks the US dollar's sign.
                    written_usd |= currency == "USD" && text[s.start..s.end].contains('$');
                    for (i, p) in self.places.iter().enumerate() {
                        if p.dollar.as_ref() == Some(currency) || p.yuan.as_ref() == Some(currency)
                        {
                            counts[i] += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        // The place with the most counts among those with a reading, unless tied.
        let top = |reading: &dyn Fn(&CurrencyPlace) -> Option<&String>,
                   margin: usize|
         -> Option<Option<String>> {
            let mut best: Vec<(usize, &String)> = self
                .places
                .iter()
                .zip(&counts)
                .filter(|(_, &n)| n > 0)
                .filter_map(|(p, &n)| reading(p).map(|r| (n, r)))
                .collect();
            best.sort_by_key(|&(n, _)| std::cmp::Reverse(n));
            match best.as_slice() {
                [] => None,
                // One mention is no place; a rival close behind makes it unclear.
                [(n, _), ..] if *n < 2 => None,
                [(n, r), (m, r2), ..] if margin * m >= *n && r != r2 => Some(None),
                [(_, r), ..] => Some(Some((*r).clone())),
            }
        };
        // A `$` beside a written `US$` is already known not to be the US
        // dollar: the leading place decides; a `元` needs twice the rival's counts.
        let dollar = top(&|p| p.dollar.as_ref(), 1);
        let yuan = top(&|p| p.yuan.as_ref(), 2);
        for s in spans.iter_mut() {
            if !bare(&s.kind) {
                continue;
            }
            let EntityKind::Amount {
                currency,
                currency_source,
                ..
            } = &mut s.kind
            else {
                continue;
            };
            let decided = match currency.as_str() {
                "USD" => match &dollar {
                    Some(Some(code)) if written_usd => Some(Some(code.clone())),
                    Some(_) => Some(None),
                    None => None,
                },
                _ => yuan.clone(),
            };
            match decided {
                Some(Some(code)) => {
                    *currency = code;
                    *currency_source = Some("context".to_string());
                }
                Some(None) => *currency_source = Some("ambiguous".to_string()),
                None => {}
            }
        }
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
        // 5 兆7,700 億円: spaces left by PDF extraction.
        let num_text = num.as_str().replace(' ', "");
        let has_unit = num_text.chars().any(|ch| numeral::big_unit(ch).is_some());
        // 100億USD: a code after a Japanese numeral only with a myriad unit.
        if cur.as_str().is_ascii()
            && (!has_unit || !latin_boundaries_ok(text, cur.start(), cur.end()))
        {
            return None;
        }
        // 数兆円, 何億円, 十数億円: vague; a digit before: part of a longer number.
        let before = text[..num.start()].chars().next_back();
        if before.is_some_and(|b| matches!(b, '数' | '何' | '幾' | '.') || b.is_ascii_digit()) {
            return None;
        }
        // 1ドル=150円: the price in an exchange rate; 6千億ウォン=550億円 is a conversion.
        if before == Some('=') && rate_before(&text[..num.start() - 1]) {
            return None;
        }
        // (単位:百万円): a table's unit, not an amount.
        if num_text
            .chars()
            .all(|ch| !ch.is_ascii_digit() && numeral::kanji_digit(ch).is_none())
            && unit_header(text, num.start(), cur.end())
        {
            return None;
        }
        let after = text[cur.end()..].chars().next();
        // 100ランドセル: a katakana name goes on into a word.
        let katakana = |ch: char| matches!(ch, 'ァ'..='ヺ' | 'ー');
        if cur.as_str().chars().next_back().is_some_and(katakana) && after.is_some_and(katakana) {
            return None;
        }
        let num2_text = c.name("num2").map(|m| m.as_str().replace(' ', ""));
        let (low, high) = match &num2_text {
            Some(num2) => {
                let high = numeral::parse_ja(num2)?;
                let mut low = numeral::parse_ja(&num_text)?;
                // 3〜5億円: the unit written once applies to both ends.
                if numeral::trailing_big_unit(&num_text).is_none() {
                    if let Some(u) = numeral::trailing_big_unit(num2) {
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
            None => (numeral::parse_ja(&num_text)?, None),
        };
        // 1ドル=150円: an exchange rate (a conversion, 6千億ウォン=550億円, is money).
        if after == Some('=') && !has_unit && !(Decimal::int(1000).less_than(low)) {
            return None;
        }
        let is_kanji = !num.as_str().starts_with(|ch: char| ch.is_ascii_digit());
        let value = low.to_f64();
        // 一円 (throughout), 二元 (dual): one kanji digit is not an amount.
        if is_kanji && num.as_str().chars().count() == 1 && value < 1000.0 {
            return None;
        }
        if currency.weak && !has_unit && value < 10_000.0 {
            return None;
        }
        // 230円70銭: the hundredths after the unit.
        let mut end = cur.end();
        let (mut low, mut high) = (low, high);
        if currency.minor {
            low = low.hundredth();
            high = high.map(Decimal::hundredth);
        } else if high.is_none() {
            let rest = &text[end..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = rest[digits..].chars().next().map(String::from);
            let minor = unit.as_deref().and_then(|u| self.currency(u));
            if (1..=2).contains(&digits)
                && minor.is_some_and(|m| m.minor && m.code == currency.code)
            {
                let cents = numeral::parse_arabic(&rest[..digits])?.hundredth();
                low = low.plus(cents)?;
                end += digits + unit.map_or(0, |u| u.len());
            }
        }
        let value = low.to_f64();
        let pre = c.name("pre").map(|m| m.as_str());
        let post = c.name("post").map(|m| m.as_str());
        let qualifier = lookup(QUALIFIERS_BEFORE, pre).or_else(|| lookup(QUALIFIERS_AFTER, post));
        let start = num.start();
        // The marker is at most a few characters before the amount.
        let head = &text[..c.get(0).unwrap().start()];
        let from = floor_char_boundary(head, head.len().saturating_sub(40));
        let per_unit =
            self.per_unit_before.is_match(&head[from..]) || text[end..].starts_with("/株");
        let max = high.map(Decimal::to_f64);
        Some(amount(
            start, end, value, max, currency, qualifier, per_unit,
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
        // Q3 2019 US$1.2 billion: a sign before a number is that number's.
        if !symbol && c.name("cur").is_none() {
            let rest = text[end..].strip_prefix(' ').unwrap_or(&text[end..]);
            if rest.starts_with(|ch: char| ch.is_ascii_digit()) {
                return None;
            }
        }
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
        let (mut low, is_word) = parse(num)?;
        if currency.minor {
            // 63 cents, 688 pence.
            low = low.hundredth();
        }
        // "a" makes an amount only with a scale (a billion dollars, not "a dollar store").
        if is_word
            && scale.is_none()
            && matches!(num.as_str().to_ascii_lowercase().as_str(), "a" | "an")
        {
            return None;
        }
        let high = match c.name("num2") {
            Some(n2) => {
                let (mut h, _) = parse(n2)?;
                if currency.minor {
                    h = h.hundredth();
                }
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
            start, end, value, high, currency, qualifier, per_unit,
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
    currency: &Currency,
    qualifier: Option<String>,
    per_unit: bool,
) -> Span {
    Span {
        start,
        end,
        kind: EntityKind::Amount {
            value,
            currency: currency.code.clone(),
            qualifier,
            max,
            per_unit,
            // `$`, `元`: the default reading until the document's place is known.
            currency_source: currency.bare.then(|| DEFAULT_SOURCE.to_string()),
        },
    }
}

/// The cells of a table row, `a | b | c |`: (byte offset, trimmed text);
/// empty cells at either end (leading or trailing `|`) dropped.
fn cells(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    let parts: Vec<(usize, &str)> = line
        .split('|')
        .map(|p| {
            let at = pos;
            pos += p.len() + 1;
            let lead = p.len() - p.trim_start().len();
            (at + lead, p.trim())
        })
        .collect();
    let first = usize::from(parts.first().is_some_and(|(_, c)| c.is_empty()));
    let last = parts.len()
        - usize::from(parts.len() > first && parts.last().is_some_and(|(_, c)| c.is_empty()));
    parts.into_iter().take(last).skip(first)
}

/// `currency_source` of a sign or name read by its default (`$` → USD, `元` → CNY).
pub const DEFAULT_SOURCE: &str = "default";

/// Whether the text before `=` ends with the unit side of an exchange rate
/// (`1ドル`, `100円`): a number of at most 1,000 without a myriad unit, then
/// a currency name.
fn rate_before(head: &str) -> bool {
    let trimmed = head.trim_end_matches(|ch: char| !numeral::is_numeral_char(ch) && ch != '\n');
    if head.len() - trimmed.len() > 30 {
        return false;
    }
    let len = numeral_run_back(trimmed);
    let run = &trimmed[trimmed.len() - len..];
    len > 0
        && !run.chars().any(|ch| numeral::big_unit(ch).is_some())
        && numeral::parse_ja(run).is_some_and(|v| !Decimal::int(1000).less_than(v))
}

/// Byte length of the numeral run (digits, kanji numerals, `,` and `.`) at
/// the end of `s`.
fn numeral_run_back(s: &str) -> usize {
    let start = s
        .char_indices()
        .rev()
        .take_while(|&(_, ch)| numeral::is_numeral_char(ch) || matches!(ch, ',' | '.'))
        .last()
        .map_or(s.len(), |(i, _)| i);
    s.len() - start
}

/// Whether a numeral of units only (`百万円`, `千円`) at `start..end` is a
/// table's unit: after `単位`, in brackets, or alone in a cell or line.
fn unit_header(text: &str, start: usize, end: usize) -> bool {
    let head = text[..start].trim_end_matches([' ', ':', '：']);
    let tail = text[end..].trim_start_matches(' ');
    let opens = |h: &str| h.ends_with(['(', '（', '[', '【']);
    let closes = |t: &str| t.starts_with([')', '）', ']', '】']);
    let cell_start = |h: &str| h.is_empty() || h.ends_with(['\n', '|']);
    let cell_end = |t: &str| t.is_empty() || t.starts_with(['\n', '|']);
    head.ends_with("単位") || (opens(head) && closes(tail)) || (cell_start(head) && cell_end(tail))
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

    /// (surface, value, currency) of each amount.
    fn short(text: &str) -> Vec<(String, f64, String)> {
        amounts(text)
            .into_iter()
            .map(|(t, v, c, _)| (t, v, c))
            .collect()
    }

    fn one(t: &str, v: f64, c: &str) -> (String, f64, String) {
        (t.to_string(), v, c.to_string())
    }

    #[test]
    fn wire_copy_forms() {
        assert_eq!(
            short("Profit rose to 120 mln dlrs and a 1.5 bln stg bond, Yen12.5 billion in all."),
            vec![
                one("120 mln dlrs", 1.2e8, "USD"),
                one("1.5 bln stg", 1.5e9, "GBP"),
                one("Yen12.5 billion", 1.25e10, "JPY")
            ]
        );
        assert_eq!(
            short("Sales were 3.8 billion US$, a $10.4-billion bid beat a 4.1-billion-euro one."),
            vec![
                one("3.8 billion US$", 3.8e9, "USD"),
                one("$10.4-billion", 1.04e10, "USD"),
                one("4.1-billion-euro", 4.1e9, "EUR")
            ]
        );
        // A damaged pound sign: with a scale word only.
        assert_eq!(
            short("The offer is worth L8.9 billion; see exhibit L 12."),
            vec![one("L8.9 billion", 8.9e9, "GBP")]
        );
        assert_eq!(
            short("Kestrel paid US$75 mil for the stake."),
            vec![one("US$75 mil", 7.5e7, "USD")]
        );
    }

    #[test]
    fn local_units_and_signs() {
        assert_eq!(
            short("Rs 450 crore now, Rs 2.5 lakh a seat, up Rs 10, and Rs 1,000-crore later."),
            vec![
                one("Rs 450 crore", 4.5e9, "INR"),
                one("Rs 2.5 lakh", 2.5e5, "INR"),
                one("Rs 10", 10.0, "INR"),
                one("Rs 1,000-crore", 1e10, "INR")
            ]
        );
        assert_eq!(
            short("W1.2 trillion, Wn4.8 billion, Bt20 billion, Rp2.3 trillion and Dh1.4 billion."),
            vec![
                one("W1.2 trillion", 1.2e12, "KRW"),
                one("Wn4.8 billion", 4.8e9, "KRW"),
                one("Bt20 billion", 2e10, "THB"),
                one("Rp2.3 trillion", 2.3e12, "IDR"),
                one("Dh1.4 billion", 1.4e9, "AED")
            ]
        );
        assert_eq!(
            short("S$300 million, HK$2 billion and NT$5 billion; RMB 3 billion."),
            vec![
                one("S$300 million", 3e8, "SGD"),
                one("HK$2 billion", 2e9, "HKD"),
                one("NT$5 billion", 5e9, "TWD"),
                one("RMB 3 billion", 3e9, "CNY")
            ]
        );
        assert_eq!(
            short("Shares rose 63 cents; the other closed at 688 pence."),
            vec![one("63 cents", 0.63, "USD"), one("688 pence", 6.88, "GBP")]
        );
    }

    #[test]
    fn japanese_ranges_spaces_and_names() {
        let a = amounts("買収額は4000億～4950億円、別案は3000億-3685億円とされる。");
        assert_eq!(a[0].1, 4e11);
        assert_eq!(a[1].1, 3e11);
        let spans = MoneyExtractor::new(&crate::lexicon::Lexicons::bundled().unwrap().currencies)
            .unwrap()
            .find("買収額は4000億～4950億円。");
        assert!(matches!(
            spans[0].kind,
            EntityKind::Amount { max: Some(m), .. } if m == 4.95e11
        ));
        assert_eq!(
            short("売買額は5 兆7,700 億円、差額は469 億円。"),
            vec![
                one("5 兆7,700 億円", 5.77e12, "JPY"),
                one("469 億円", 4.69e10, "JPY")
            ]
        );
        assert_eq!(
            short("8億ノルウェー・クローネ、20億ウォン、3億バーツ、100億USDを投じる。"),
            vec![
                one("8億ノルウェー・クローネ", 8e8, "NOK"),
                one("20億ウォン", 2e9, "KRW"),
                one("3億バーツ", 3e8, "THB"),
                one("100億USD", 1e10, "USD")
            ]
        );
        assert_eq!(
            short("終値は2万1050円40銭、前日比120円5銭高。"),
            vec![
                one("2万1050円40銭", 21050.4, "JPY"),
                one("120円5銭", 120.05, "JPY")
            ]
        );
    }

    #[test]
    fn conversions_but_not_rates_or_unit_headers() {
        assert_eq!(
            short("買収額は3千億ウォン=約270億円で、1ドル=150円で換算した。"),
            vec![
                one("3千億ウォン", 3e11, "KRW"),
                one("270億円", 2.7e10, "JPY")
            ]
        );
        assert!(short("(単位:百万円)").is_empty());
        assert!(short("売上高(百万円)").is_empty());
        assert!(short("金額\n百万円\n").is_empty());
    }

    /// Currency and `currency_source` of each amount of `text` once the
    /// document's place is read.
    fn resolved(text: &str) -> Vec<(String, Option<String>)> {
        let lex = crate::lexicon::Lexicons::bundled().unwrap();
        let m = MoneyExtractor::with_places(&lex.currencies, &lex.currency_places).unwrap();
        let mut spans: Vec<ByteEntity> = m
            .find(text)
            .into_iter()
            .map(|s| ByteEntity {
                start: s.start,
                end: s.end,
                kind: s.kind,
            })
            .collect();
        m.resolve_currencies(text, &mut spans);
        spans
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Amount {
                    currency,
                    currency_source,
                    ..
                } => (currency, currency_source),
                _ => unreachable!(),
            })
            .collect()
    }

    fn cs(code: &str, source: Option<&str>) -> (String, Option<String>) {
        (code.to_string(), source.map(str::to_string))
    }

    #[test]
    fn currency_by_the_document_place() {
        // A Singapore text that writes US$ apart: its bare $ is the Singapore dollar.
        assert_eq!(
            resolved("SINGAPORE - A Singapore lender paid US$10 million ($13.5 million) for it."),
            vec![cs("USD", None), cs("SGD", Some("context"))]
        );
        // Without a written US$ the $ keeps its default, and says why.
        assert_eq!(
            resolved("A Toronto firm and a Canadian bank raised $40 million."),
            vec![cs("USD", Some("ambiguous"))]
        );
        assert_eq!(
            resolved("They raised $40 million."),
            vec![cs("USD", Some("default"))]
        );
        // 元 in a Taiwanese or Hong Kong text; otherwise CNY.
        assert_eq!(
            resolved("台湾の電子大手は台北で50億元を投じると発表した。台湾では初。"),
            vec![cs("TWD", Some("context"))]
        );
        assert_eq!(
            resolved("香港の不動産大手は香港島に30億元を投じる。"),
            vec![cs("HKD", Some("context"))]
        );
        assert_eq!(
            resolved("新工場に10億元を投じる。"),
            vec![cs("CNY", Some("default"))]
        );
        assert_eq!(
            resolved("台湾と中国の2社が台北と北京で10億元を調達した。"),
            vec![cs("CNY", Some("ambiguous"))]
        );
        // A written currency is never changed.
        assert_eq!(
            resolved("台湾の台北で5億人民元を調達、台湾初。"),
            vec![cs("CNY", None)]
        );
    }

    #[test]
    fn table_columns_with_a_unit_header() {
        let lex = crate::lexicon::Lexicons::bundled().unwrap();
        let m = MoneyExtractor::new(&lex.currencies).unwrap();
        let text = "順位 | 金額(円) | 買収企業 |\n---|---|---|\n1 | 約5,485億 | 甲社 |\n\n2 | 3,000億 | 乙社 |\n本文 | 続き\n3 | 100億 | 丙社 |";
        let got: Vec<(String, f64)> = m
            .column_amounts(text)
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Amount { value, .. } => (text[s.start..s.end].to_string(), value),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("5,485億".to_string(), 5.485e11),
                ("3,000億".to_string(), 3e11)
            ]
        );
        let text = "銘柄 | 売上高(百万円) |\n甲社 | 1,200 |";
        assert_eq!(m.column_amounts(text)[0].start, text.find("1,200").unwrap());
        assert!(m.column_amounts("順位 | 件数 |\n1 | 5,485億 |").is_empty());
        assert!(m.column_amounts("(億円) | 社名\n5億 | 甲社").is_empty());
    }

    #[test]
    fn a_sign_before_a_number_is_not_the_previous_number_s() {
        assert_eq!(
            short("Sales in Q3 2019 US$1.2 billion, and 20 US$ bills."),
            vec![
                one("US$1.2 billion", 1.2e9, "USD"),
                one("20 US$", 20.0, "USD")
            ]
        );
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
