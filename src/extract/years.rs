//! Years (with month and day when given) as Japanese and English news write them.
//!
//! Finds, in this order (an earlier form takes the text first):
//! - dates with separators: `2019/4/1`, `2019.04.01`, `2019-04-01` (also before a
//!   time, `2012-10-17 12:28`), `2019/4`;
//! - ranges: `2018〜2021年`, `2018〜21年度`, `2023-2025`, `2018/19` (both ends);
//! - Gregorian years before 年, spaces allowed (`2025年`, `2023年6月10日`,
//!   `2022 年6月 10 日`, `2024年度` fiscal, `2025年3月期` fiscal period,
//!   `2020年代` decade, `西暦2024年`, `2024年春`), and in kanji digits (`二〇二四年`);
//! - era years, 明治 to 令和, in Arabic or kanji numerals or 元年 (`令和6年度`,
//!   `平成 27 年9月`, `平成三十一年`, `令和元年`), and their one-letter forms with
//!   a full date or 年 (`R6.4.1`, `H31.3.31`, `H31年`, `R6年度`);
//! - two-digit years where the context makes them years: a month, a fiscal
//!   period, 年度, a season or part of the year (`19年3月期`, `今11年2月期`,
//!   `25年春`, `30年末`, `24年度`), `FY24`, `'19`, decades `90年代`, `'90s`;
//! - `FY2024`, a year alone in a table cell, English years after a cue word
//!   (`in 2025`, `by 2030`, `March 3, 2025`, `fiscal 2024`, `Q1 2025`) and decades
//!   (`the 1990s`).
//!
//! Never: durations (`30年間`, `合弁期間は30年`, `2000年前`), ages, counts,
//! codes and tickers (`<9832>`, `3606.T`), phone numbers, prices (`2,020円`),
//! four-digit numbers without 年 or an English cue, years outside 1868–2100.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numeral;
use super::{gated, latin_boundaries_ok, Span};
use crate::document::EntityKind;

/// Japanese eras: name, one-letter abbreviation, and the Gregorian year
/// before its first year. Years past an era's end are converted too (plans
/// written before 2019 say 平成33年 for 2021).
const ERAS: &[(&str, char, i32)] = &[
    ("明治", 'M', 1867),
    ("大正", 'T', 1911),
    ("昭和", 'S', 1925),
    ("平成", 'H', 1988),
    ("令和", 'R', 2018),
];

/// A small number in Arabic or kanji digits (month, day, era year).
const SMALL: &str = r"\d{1,2}|[一二三四五六七八九十]{1,3}";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>\d{4})(?P<sep>[/.\-・])(?P<m>\d{1,2})(?:[/.\-・](?P<d>\d{1,2}))?").unwrap()
});
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<a>\d{4}) ?(?:年度?)?(?P<sep> ?(?:〜|-|–|―|—|から|~|to|through|/) ?)(?P<b>\d{4}|\d{2})",
        r"(?P<nen> ?年(?P<fy>度)?)?"
    ))
    .unwrap()
});
static YEAR_JA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<y>\d{4}|[〇一二三四五六七八九]{4}|[一二][千][一二三四五六七八九十百〇]{0,4}) ?(?:\((?:明治|大正|昭和|平成|令和) ?(?:元|\d{1,2})\) ?)?年(?: ?(?P<fy>度)|(?P<dec>代)| ?(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3}) ?月(?: ?(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3}) ?日)?(?P<period>期)?)?",
    )
    .unwrap()
});
static ERA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<era>明治|大正|昭和|平成|令和) ?(?:(?P<n>元|{SMALL}) ?年(?: ?(?P<fy>度)|(?P<dec>代)| ?(?P<m>{SMALL}) ?月(?: ?(?P<d>{SMALL}) ?日)?(?P<period>期)?)?|(?P<nn>\d{{1,2}})[/.\-・](?P<nm>\d{{1,2}})(?:[/.\-・](?P<nd>\d{{1,2}}))?)"
    ))
    .unwrap()
});
static ERA_LETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u:\b)(?P<l>[MTSHR])\.? ?(?P<n>\d{1,2})",
        r"(?:[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})| ?年(?P<fy>度)?(?:(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?)?)"
    ))
    .unwrap()
});
static DATE_YEAR_LAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})[/.\-](?P<y>\d{4})",
        r"|(?P<mm>\d{1,2})/(?P<my>\d{4})",
        r"|(?P<dd>\d{1,2})[/\-](?i:(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)[/\-](?P<dy>\d{4})"
    ))
    .unwrap()
});
static SEASON_LIST_QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<s>\d{4})(?:春|夏|秋|冬)",
        r"|(?P<la>\d{4})・(?P<lb>\d{4}) ?年",
        r"|(?P<q>\d{4}) ?[Qq][1-4](?-u:\b)"
    ))
    .unwrap()
});
static TWO_DIGIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<yy>\d{2}) ?年 ?(?:(?P<m>\d{1,2}) ?月(?P<period>期)?|(?P<fy>度)|(?P<dec>代)",
        r"|(?:春|夏|秋|冬|末|初め|初頭|前半|後半|半ば|中|上期|下期|上半期|下半期))"
    ))
    .unwrap()
});
static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<a>\d{1,3})[ \t]*\n[ \t]*(?P<b>\d{1,3}) ?年",
        r"|(?P<y>\d{4})[ \t]*\n[ \t]*年",
        r"|(?P<era>明治|大正|昭和|平成|令和)[ \t]*\n[ \t]*(?P<n>元|\d{1,2}) ?年"
    ))
    .unwrap()
});
static EVENT_OR_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:Expo|Show|Summit|Forum|Conference|Congress|Fair|Cup|Games|Olympics|Awards)[ ](?P<e>\d{4})(?-u:\b)",
        r"|(?:ショー|エキスポ|サミット|フォーラム|フェア|カップ|ウィーク|万博|博覧会|アワード) ?(?P<j>\d{4})",
        r"|(?-u:\b)(?P<n>\d{4})[ ](?i:revenues?|sales|profits?|earnings|results|deals?|mergers?|acquisitions?|",
        r"elections?|crisis|financial crisis|budget|census|annual report|agreement|accord|season)(?-u:\b)"
    ))
    .unwrap()
});
static DETERMINER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?i:the|a|an|its|their|his|her|this|that|last|next) (?P<y>(?:19[5-9]|20[0-3])\d) (?P<w>[a-z][a-z\-]*)",
    )
    .unwrap()
});
static TABLE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|\| )(?P<y>\d{4})\.(?P<m>\d{1,2})(?: [^0-9%.]|$)").unwrap()
});
static TWO_DIGIT_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<yy>\d{2}) ?年(?:には|にも|に|以降|以来|までに|まで|の|は|も|当時|時点|頃|ごろ|初頭)",
    )
    .unwrap()
});
static FY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)FY ?['’]?(?P<y>\d{4}|\d{2})(?-u:\b)").unwrap());
static APOSTROPHE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"['’](?P<yy>\d{2})(?P<dec>s)?(?-u:\b)").unwrap());
static YEAR_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)(?:^| \| )(?P<y>(?:19|20)\d{2})(?: \| |$)").unwrap());
static DECADE_EN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(?P<y>(?:18|19|20)\d0)s(?-u:\b)").unwrap());
static YEAR_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(?-u:\b)(?:mid-|(?P<cue>in|by|since|from|until|till|through|during|to|for|of|early|late|end of|before|after|around|",
        r"fiscal year|financial year|calendar year|fiscal|calendar|spring|summer|autumn|fall|winter|[1-4]Q|Q[1-4]|H[12]|year-end|quarter|qtr|",
        r"christmas|easter|thanksgiving|halloween|new year's|new year|ramadan|diwali|hanukkah|passover|day|eve|week|",
        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|",
        r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?",
        r",?(?: \d{1,2}(?:st|nd|rd|th)?,?)?[ \-/]))(?P<y>\d{4})(?-u:\b)"
    ))
    .unwrap()
});

/// The year extractor.
#[derive(Debug, Default)]
pub struct YearExtractor;

/// One year found, before it becomes a [`Span`].
#[derive(Debug, Clone, Default)]
struct Hit {
    start: usize,
    end: usize,
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    fiscal: bool,
    decade: bool,
    range: Option<&'static str>,
}

impl Hit {
    fn new(start: usize, end: usize, year: i32) -> Self {
        Hit {
            start,
            end,
            year,
            ..Hit::default()
        }
    }

    fn span(self) -> Span {
        Span {
            start: self.start,
            end: self.end,
            kind: EntityKind::Year {
                year: self.year,
                month: self.month,
                day: self.day,
                fiscal: self.fiscal,
                decade: self.decade,
                range: self.range.map(str::to_string),
            },
        }
    }
}

fn plausible(y: i32) -> bool {
    (1868..=2100).contains(&y)
}

/// A month or day in Arabic or kanji digits, when in `1..=max`.
fn small(s: Option<regex::Match>, max: u32) -> Option<u32> {
    let s = s?.as_str();
    let v = match s.parse::<u32>() {
        Ok(v) => v,
        Err(_) => numeral::parse_ja(s)?.integer()? as u32,
    };
    (1..=max).contains(&v).then_some(v)
}

/// The year of a two-digit form (`19` → 2019, `95` → 1995).
fn two_digit_year(yy: &str) -> Option<i32> {
    let v: i32 = yy.parse().ok()?;
    Some(if v <= 50 { 2000 + v } else { 1900 + v })
}

/// Whether the character before `pos` continues a number or a code.
fn glued_before(text: &str, pos: usize) -> bool {
    text[..pos]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '/' | '-' | '<' | '#'))
}

/// Whether the text at `pos` continues a number (`2019-04-01-5`, `2019.5`).
fn glued_after(text: &str, pos: usize) -> bool {
    let rest = &text.as_bytes()[pos..];
    match rest.first() {
        Some(b) if b.is_ascii_digit() => true,
        Some(b'.' | b'/' | b'-' | b',') => rest.get(1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Whether what follows 年 makes the number a duration (`30年間`, `2000年前`).
fn duration_after(text: &str, nen_end: usize) -> bool {
    let rest = &text[nen_end..];
    rest.starts_with('間')
        || (rest.starts_with('前') && !["前半", "前後", "前期"].iter().any(|w| rest.starts_with(w)))
        || (rest.starts_with('後') && !["後半", "後期"].iter().any(|w| rest.starts_with(w)))
}

/// Whether the text after an era year's 年 makes it a law's or an order's
/// number (`昭和23年法律第25号`, `平成17年政令第3号`): a code, not a year.
fn law_number(rest: &str) -> bool {
    const KINDS: [&str; 7] = ["法律", "政令", "省令", "府令", "条例", "告示", "規則"];
    let rest = rest.trim_start_matches(' ');
    KINDS.iter().any(|k| {
        rest.strip_prefix(k)
            .is_some_and(|r| r.trim_start_matches(' ').starts_with('第'))
    })
}

/// Byte offset just after the first 年 in `text[start..end]`.
fn after_nen(text: &str, start: usize, end: usize) -> usize {
    text[start..end]
        .find('年')
        .map_or(end, |i| start + i + '年'.len_utf8())
}

impl YearExtractor {
    /// Creates the extractor.
    pub fn new() -> Self {
        YearExtractor
    }

    /// Finds years in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let cues = Cues::of(text);
        let has_nen = text.contains('年');
        let has_latin = text.bytes().any(|b| b.is_ascii_alphabetic());
        let mut take = |hits: &mut Vec<Hit>, h: Vec<Hit>, whole: (usize, usize)| {
            if !h.is_empty() && !taken.iter().any(|&(a, b)| whole.0 < b && a < whole.1) {
                taken.push(whole);
                hits.extend(h);
            }
        };
        // 20\n19年, 2019\n年, 平成\n31年: a year split by a PDF line break.
        for c in SPLIT.captures_iter(gated(text, has_nen && split_cue(text))) {
            if let Some((h, whole)) = split_year(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        for c in DATE.captures_iter(gated(text, cues.four_sep)) {
            if let Some((h, whole)) = date(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        // 2006.3 株式移転: a chronology table's dotted year and month at a line's start.
        for c in TABLE_DATE.captures_iter(gated(text, cues.four_sep)) {
            let (y, mo) = (c.name("y").unwrap(), c.name("m").unwrap());
            let year: i32 = y.as_str().parse().unwrap_or(0);
            if let (true, Some(month)) = (plausible(year), small(Some(mo), 12)) {
                let mut h = Hit::new(y.start(), mo.end(), year);
                h.month = Some(month);
                take(&mut hits, vec![h], (y.start(), mo.end()));
            }
        }
        for c in DATE_YEAR_LAST.captures_iter(gated(text, cues.four_after_sep)) {
            if let Some((h, whole)) = date_year_last(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        for c in SEASON_LIST_QUARTER.captures_iter(gated(text, cues.four_plain)) {
            if let Some((h, whole)) = season_list_quarter(text, &c) {
                take(&mut hits, h, whole);
            }
        }
        for c in RANGE.captures_iter(gated(text, cues.range)) {
            if let Some((h, whole)) = range(text, &c) {
                take(&mut hits, h, whole);
            }
        }
        let kanji_years = has_nen && (text.contains('〇') || text.contains('千'));
        for c in YEAR_JA.captures_iter(gated(text, cues.four_nen || kanji_years)) {
            if let Some((h, whole)) = year_ja(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        let has_era = ERAS.iter().any(|(name, ..)| text.contains(name));
        for c in ERA.captures_iter(gated(text, has_era)) {
            if let Some((h, whole)) = era(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        for c in ERA_LETTER.captures_iter(gated(text, cues.era_letter)) {
            if let Some((h, whole)) = era_letter(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        for c in TWO_DIGIT.captures_iter(gated(text, cues.two_nen)) {
            if let Some((h, whole)) = two_digit(text, &c) {
                take(&mut hits, vec![h], whole);
            }
        }
        for c in FY.captures_iter(gated(text, text.contains("FY"))) {
            let m = c.get(0).unwrap();
            let raw = &c["y"];
            let y = if raw.len() == 2 {
                two_digit_year(raw)
            } else {
                raw.parse().ok()
            };
            if let Some(y) = y.filter(|&y| plausible(y)) {
                let mut h = Hit::new(m.start(), m.end(), y);
                h.fiscal = true;
                take(&mut hits, vec![h], (m.start(), m.end()));
            }
        }
        for c in APOSTROPHE.captures_iter(gated(text, cues.apostrophe)) {
            let m = c.get(0).unwrap();
            // 'It's '19: only after a space, a bracket or a month name, never inside a word.
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|b| b.is_alphanumeric()) {
                continue;
            }
            if let Some(y) = two_digit_year(&c["yy"]) {
                let mut h = Hit::new(m.start(), m.end(), y);
                h.decade = c.name("dec").is_some();
                if h.decade && y % 10 != 0 {
                    continue;
                }
                take(&mut hits, vec![h], (m.start(), m.end()));
            }
        }
        let in_table = text.contains(crate::document::CELL_SEPARATOR);
        for c in YEAR_CELL.captures_iter(gated(text, cues.four_plain && in_table)) {
            let g = c.name("y").unwrap();
            let y = g.as_str().parse().unwrap_or(0);
            take(
                &mut hits,
                vec![Hit::new(g.start(), g.end(), y)],
                (g.start(), g.end()),
            );
        }
        for c in DECADE_EN.captures_iter(gated(text, cues.four_plain && has_latin)) {
            let g = c.name("y").unwrap();
            let mut h = Hit::new(g.start(), g.end() + 1, g.as_str().parse().unwrap_or(0));
            h.decade = true;
            if plausible(h.year) {
                take(&mut hits, vec![h], (g.start(), g.end() + 1));
            }
        }
        for (h, whole) in copyright(text, cues.four_plain) {
            take(&mut hits, vec![h], whole);
        }
        // DefExpo 2008, モーターショー2020: an event's edition; its 2012 revenues,
        // a 2013 deal: a year before a noun of business news.
        for c in EVENT_OR_NOUN.captures_iter(gated(text, cues.four_plain)) {
            let Some(g) = c.name("e").or(c.name("j")).or(c.name("n")) else {
                continue;
            };
            let y: i32 = g.as_str().parse().unwrap_or(0);
            if plausible(y) && !glued_before(text, g.start()) && !glued_after(text, g.end()) {
                take(
                    &mut hits,
                    vec![Hit::new(g.start(), g.end(), y)],
                    (g.start(), g.end()),
                );
            }
        }
        // the 1999 introduction, its 2011 listing: a year as a modifier after a
        // determiner; a plural noun after it makes it a count (the 2000 employees).
        for c in DETERMINER_YEAR.captures_iter(gated(text, cues.four_plain && has_latin)) {
            let (g, w) = (c.name("y").unwrap(), c.name("w").unwrap());
            if w.as_str().ends_with('s') || glued_after(text, g.end()) {
                continue;
            }
            let y: i32 = g.as_str().parse().unwrap_or(0);
            take(
                &mut hits,
                vec![Hit::new(g.start(), g.end(), y)],
                (g.start(), g.end()),
            );
        }
        for c in YEAR_EN.captures_iter(gated(text, cues.four_plain && has_latin)) {
            let g = c.name("y").unwrap();
            let y: i32 = g.as_str().parse().unwrap_or(0);
            if !plausible(y) || !latin_boundaries_ok(text, g.start(), g.end()) {
                continue;
            }
            let after = text[g.end()..].chars().next();
            let bc = [" B.C", " BC", " BCE"]
                .iter()
                .any(|w| text[g.end()..].starts_with(w));
            if after.is_some_and(|a| matches!(a, '年' | '%' | '円' | '人' | '万' | '億'))
                || glued_after(text, g.end())
                || bc
            {
                continue;
            }
            let mut h = Hit::new(g.start(), g.end(), y);
            h.fiscal = c.name("cue").is_some_and(|q| {
                let q = q.as_str().to_ascii_lowercase();
                q.starts_with("fiscal") || q.starts_with("financial")
            });
            take(&mut hits, vec![h], (g.start(), g.end()));
        }
        hits.sort_by_key(|h| h.start);
        hits.into_iter().map(Hit::span).collect()
    }
}

/// Whether some 年 has a digit just before it (a space between allowed): the
/// cheap check before the two-digit pattern runs over a paragraph.
fn digits_before_nen(text: &str) -> bool {
    text.match_indices('年').any(|(i, _)| {
        text[..i]
            .trim_end_matches(' ')
            .ends_with(|c: char| c.is_ascii_digit())
    })
}

/// Whether some line ends with a digit or an era name (spaces aside): the
/// cheap check before the split-year pattern runs.
fn split_cue(text: &str) -> bool {
    text.match_indices('\n').any(|(i, _)| {
        let head = text[..i].trim_end_matches([' ', '\t']);
        head.ends_with(|c: char| c.is_ascii_digit())
            || ERAS.iter().any(|(name, ..)| head.ends_with(name))
    })
}

/// A year split by a line break: `20\n19年`, `2019\n年`, `平成\n31年`.
fn split_year(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    if glued_before(text, m.start()) || duration_after(text, m.end()) {
        return None;
    }
    let year: i32 = if let (Some(a), Some(b)) = (c.name("a"), c.name("b")) {
        if a.as_str().len() + b.as_str().len() != 4 {
            return None;
        }
        format!("{}{}", a.as_str(), b.as_str()).parse().ok()?
    } else if let Some(y) = c.name("y") {
        y.as_str().parse().ok()?
    } else {
        let &(_, _, base) = ERAS.iter().find(|(name, ..)| *name == &c["era"])?;
        let n = match &c["n"] {
            "元" => 1,
            n => n.parse::<i32>().ok()?,
        };
        if law_number(&text[m.end()..]) {
            return None;
        }
        base + n
    };
    plausible(year).then(|| (Hit::new(m.start(), m.end(), year), (m.start(), m.end())))
}

/// Markers of a copyright line.
const COPYRIGHT: [&str; 6] = ["Copyright", "COPYRIGHT", "copyright", "©", "(c)", "(C)"];

/// The year of a copyright or credit line: `© 2018 Reuters`, `Copyright 2017(C)
/// Example News`, `(c) Example Press, 2010`: the first four-digit year on the
/// marker's line within 80 bytes after it, or just before a `(C)`.
fn copyright(text: &str, any_four: bool) -> Vec<(Hit, (usize, usize))> {
    let mut out = Vec::new();
    if !any_four {
        return out;
    }
    for marker in COPYRIGHT {
        for (pos, _) in text.match_indices(marker) {
            let after = pos + marker.len();
            let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
            let window_end = floor_boundary(text, line_end.min(after + 80));
            let before = text[..pos].trim_end_matches(' ');
            let b = before.as_bytes();
            // 2017(C): the year just before the sign.
            let found = if marker.starts_with('(')
                && b.len() >= 4
                && b[b.len() - 4..].iter().all(u8::is_ascii_digit)
                && !glued_before(before, b.len() - 4)
            {
                Some(b.len() - 4)
            } else {
                four_digits(text, after, window_end)
            };
            if let Some(start) = found {
                let year: i32 = text[start..start + 4].parse().unwrap_or(0);
                if plausible(year) {
                    out.push((Hit::new(start, start + 4, year), (start, start + 4)));
                }
            }
        }
    }
    out
}

/// The first run of exactly four digits in `text[from..to]` not glued to a
/// number (`2,010` and `20105` are not years).
fn four_digits(text: &str, from: usize, to: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4 && !glued_before(text, start) && !glued_after(text, i) {
            return Some(start);
        }
    }
    None
}

/// The largest char boundary at or below `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Words before a two-digit `NN年` that make it a span of time or a count
/// (`過去10年の`, `創業から50年に`, `ちょうど10年の節目`).
const DURATION_LEADS: &[&str] = &[
    "約",
    "およそ",
    "ほぼ",
    "過去",
    "ここ",
    "この",
    "その",
    "ちょうど",
    "丁度",
    "最長",
    "最短",
    "最大",
    "最低",
    "計",
    "通算",
    "毎",
    "創業",
    "設立",
    "創立",
    "築",
    "勤続",
    "在任",
    "在籍",
    "入社",
    "から",
    "より",
    "今後",
    "向こう",
    "満",
    "足掛け",
    "丸",
    "第",
    "以上",
    "超",
    "実に",
    "わずか",
    "僅か",
    "もう",
    "あと",
    "過ぎ",
    "最初の",
    "初の",
];

/// Words after `NN年に` / `NN年の` that make it a span of time (`10年に一度`,
/// `10年にわたり`, `10年の歳月`).
const DURATION_TAILS: &[&str] = &[
    "一度", "1度", "一回", "1回", "わた", "渡", "及", "およ", "なる", "なり", "達", "歳月", "節目",
    "月日", "期間", "契約", "経験", "実績", "歴史", "長期", "保証", "寿命", "任期", "時を", "間",
];

/// Whether a year's surface is a two-digit form (`41年10月`, `19年3月期`,
/// `今11年2月期`), whose century [`YearExtractor::century`] may change.
pub fn two_digit_surface(s: &str) -> bool {
    let b = s.trim_start_matches('今').as_bytes();
    b.len() > 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && !b[2].is_ascii_digit()
}

impl YearExtractor {
    /// A year split across two paragraphs by a PDF line break: `prev` ends
    /// with `20` (or `2019`, `平成`) and `next` starts with `19年` (or `年`,
    /// `31年`). The year's span is its part in `next` (byte offsets into
    /// `next`), so that an entity never crosses a paragraph.
    pub fn across(&self, prev: &str, next: &str) -> Option<Span> {
        if !next.contains('年') {
            return None;
        }
        let prev = prev.trim_end_matches([' ', '\t']);
        let digits = prev.bytes().rev().take_while(u8::is_ascii_digit).count();
        let tail = if (1..=4).contains(&digits) {
            &prev[prev.len() - digits..]
        } else {
            ERAS.iter()
                .map(|(name, ..)| *name)
                .find(|n| prev.ends_with(n))?
        };
        let head = &next[..floor_boundary(next, next.len().min(24))];
        let joined = format!("{tail}\n{head}");
        let c = SPLIT.captures(&joined)?;
        let m = c.get(0)?;
        let cut = tail.len() + 1;
        if m.start() != 0 || m.end() <= cut {
            return None;
        }
        let (h, _) = split_year(&joined, &c)?;
        let end = m.end() - cut;
        if duration_after(next, end) {
            return None;
        }
        let mut h = Hit::new(0, end, h.year);
        h.start = next.len() - next.trim_start_matches([' ', '\t']).len();
        Some(h.span())
    }

    /// Two-digit years that only the document's era makes years: `07年に経営
    /// 統合`, `翌08年には`, `08年以降`, `19年の投資` (a particle or 以降/以来/当時
    /// after 年). `doc_years` are the document's other years (four-digit,
    /// era, dateline); a candidate is kept only when such a year is within
    /// 20 years of it, and never after a word that makes it a duration or a
    /// count (`過去10年の`, `創業から50年に`, `10年に一度`). Its century is
    /// chosen by [`Self::century`].
    pub fn relative(&self, text: &str, doc_years: &[i32]) -> Vec<Span> {
        let mut out = Vec::new();
        if doc_years.is_empty() || !digits_before_nen(text) {
            return out;
        }
        for c in TWO_DIGIT_BARE.captures_iter(text) {
            let m = c.get(0).unwrap();
            let yy = c.name("yy").unwrap();
            if glued_before(text, m.start()) {
                continue;
            }
            let head = text[..m.start()].trim_end_matches(' ');
            let era_before = ERAS
                .iter()
                .any(|(name, l, ..)| head.ends_with(name) || head.ends_with(*l));
            let letter_before = head.ends_with(|ch: char| ch.is_ascii_alphabetic());
            if era_before || letter_before || DURATION_LEADS.iter().any(|w| head.ends_with(w)) {
                continue;
            }
            let tail = &text[m.end()..];
            if DURATION_TAILS.iter().any(|w| tail.starts_with(w)) {
                continue;
            }
            let Some(y) = two_digit_year(yy.as_str()) else {
                continue;
            };
            let y = Self::century(y, doc_years);
            if !doc_years.iter().any(|&d| (d - y).abs() <= 20) {
                continue;
            }
            let end = after_nen(text, m.start(), m.end());
            out.push(Hit::new(m.start(), end, y).span());
        }
        out
    }

    /// The century of a two-digit year read as `year` (2041 from `41年`) in
    /// a document whose other years are `doc_years`: a year more than ten
    /// years after all of them is read a century earlier when that is within
    /// ten years of one of them (a bank history's `41年10月に創立` is 1941).
    pub fn century(year: i32, doc_years: &[i32]) -> i32 {
        let Some(&latest) = doc_years.iter().max() else {
            return year;
        };
        let earlier = year - 100;
        if year > latest + 10 && doc_years.iter().any(|&d| (d - earlier).abs() <= 10) {
            earlier
        } else {
            year
        }
    }
}

/// What the runs of digits of a paragraph allow, found in one pass, so that
/// each pattern runs only where it can match.
#[derive(Debug, Default)]
struct Cues {
    /// Four digits, a separator and a digit (2019/4, 2019-04-01).
    four_sep: bool,
    /// Four digits before 年 (a space between allowed).
    four_nen: bool,
    /// Four digits before anything else (English years, cells, decades).
    four_plain: bool,
    /// Four digits after a separator (10/31/1974, 2/2013, 31-Oct-1974).
    four_after_sep: bool,
    /// Two runs that may be the ends of a range.
    range: bool,
    /// Two digits before 年.
    two_nen: bool,
    /// An apostrophe before two digits ('19).
    apostrophe: bool,
    /// An era letter before one or two digits (R6, H.31).
    era_letter: bool,
}

impl Cues {
    fn of(text: &str) -> Self {
        let b = text.as_bytes();
        let mut cues = Cues::default();
        let (mut fours, mut twos) = (0, 0);
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - start;
            let rest = &text[i..];
            let after_space = rest.strip_prefix(' ').unwrap_or(rest);
            let nen = after_space.starts_with('年');
            match len {
                4 => {
                    fours += 1;
                    let sep = (matches!(b.get(i), Some(b'/' | b'.' | b'-'))
                        && b.get(i + 1).is_some_and(u8::is_ascii_digit))
                        || rest
                            .strip_prefix('・')
                            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
                    cues.four_sep |= sep;
                    // 2012(平成24)年: an era in brackets before 年.
                    cues.four_nen |= nen || rest.starts_with('(');
                    cues.four_plain |= !nen;
                    cues.four_after_sep |= start > 0 && matches!(b[start - 1], b'/' | b'.' | b'-');
                }
                2 => {
                    twos += 1;
                    cues.two_nen |= nen;
                    let before = text[..start].chars().next_back();
                    cues.apostrophe |= matches!(before, Some('\'' | '’'));
                }
                _ => {}
            }
            if len <= 2 {
                let head = text[..start].trim_end_matches([' ', '.']);
                cues.era_letter |= head.ends_with(['M', 'T', 'S', 'H', 'R']);
            }
        }
        cues.range = fours >= 2 || (fours >= 1 && twos >= 1);
        cues
    }
}

type Found = Option<(Hit, (usize, usize))>;

/// `2019/4/1`, `2019.04.01`, `2019-04-01`, `2019/4`.
fn date(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    let y: i32 = c["y"].parse().ok()?;
    let sep = &c["sep"];
    if !plausible(y) || glued_before(text, m.start()) || glued_after(text, m.end()) {
        return None;
    }
    let month = small(c.name("m"), 12)?;
    let day = match c.name("d") {
        Some(d) => Some(small(Some(d), 31)?),
        None if sep == "/" => None,
        // 2014-10, 2021.03: a zero-padded month; 2019.5 is a decimal and
        // 2021.03億 an amount.
        None if c["m"].len() == 2 && c["m"].starts_with('0') || sep == "-" && c["m"].len() == 2 => {
            let after = text[m.end()..].chars().next();
            if after.is_some_and(|a| matches!(a, '億' | '万' | '円' | '%' | '倍' | '兆')) {
                return None;
            }
            None
        }
        None => return None,
    };
    // A full date with ・ only (2021・7・18), never 2021・7.
    if sep == "・" && day.is_none() {
        return None;
    }
    let mut h = Hit::new(m.start(), m.end(), y);
    h.month = Some(month);
    h.day = day;
    Some((h, (m.start(), m.end())))
}

/// `2018〜2021年`, `2018〜21年度`, `2023-2025`, `2018/19`: both ends.
fn range(text: &str, c: &Captures) -> Option<(Vec<Hit>, (usize, usize))> {
    let m = c.get(0).unwrap();
    let (a, b) = (c.name("a").unwrap(), c.name("b").unwrap());
    let ya: i32 = a.as_str().parse().ok()?;
    let yb: i32 = if b.as_str().len() == 2 {
        // 2018/19, 2018〜21年: the century of the first end.
        let v: i32 = b.as_str().parse().ok()?;
        ya - ya % 100 + v
    } else {
        b.as_str().parse().ok()?
    };
    let sep = c["sep"].trim();
    let nen = c.name("nen").is_some();
    // A two-digit end needs 年 or the next year after a slash or dash (2018/19, FY2023-24).
    if b.as_str().len() == 2 && !nen && !(yb == ya + 1 && matches!(sep, "/" | "-" | "–")) {
        return None;
    }
    // Latin words as separators only between Latin text; a slash range only for the next year.
    if sep == "/" && yb != ya + 1 {
        return None;
    }
    // (1839―1904): a life span in brackets may be long.
    let bracketed = text[..m.start()].ends_with('(') && text[m.end()..].starts_with(')');
    let longest = if bracketed { 120 } else { 50 };
    let early = |y: i32| bracketed && (1600..1868).contains(&y);
    if !(plausible(ya) || early(ya)) || !plausible(yb) || yb <= ya || yb - ya > longest {
        return None;
    }
    if glued_before(text, m.start()) || glued_after(text, b.end()) {
        return None;
    }
    if nen && duration_after(text, m.end()) {
        return None;
    }
    let fiscal = c.name("fy").is_some() || c.get(0).unwrap().as_str().contains("年度");
    let mut first = Hit::new(a.start(), a.end(), ya);
    first.range = Some("start");
    first.fiscal = fiscal;
    let mut second = Hit::new(b.start(), b.end(), yb);
    second.range = Some("end");
    second.fiscal = fiscal;
    Some((vec![first, second], (m.start(), m.end())))
}

/// `2025年`, `2023年6月10日`, `2024年度`, `2025年3月期`, `2020年代`, `二〇二四年`.
fn year_ja(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    let raw = &c["y"];
    let y: i32 = match raw.parse() {
        Ok(y) => y,
        Err(_) => numeral::parse_ja(raw)?.integer()? as i32,
    };
    // 紀元前2000年: before the common era.
    if !plausible(y) || glued_before(text, m.start()) || text[..m.start()].ends_with("紀元前") {
        return None;
    }
    if duration_after(text, after_nen(text, m.start(), m.end())) && c.name("m").is_none() {
        return None;
    }
    let mut h = Hit::new(m.start(), m.end(), y);
    h.month = small(c.name("m"), 12);
    if c.name("m").is_some() && h.month.is_none() {
        // 2025年13月: not a month; keep the year alone.
        h.end = after_nen(text, m.start(), m.end());
    } else {
        h.day = small(c.name("d"), 31);
    }
    h.fiscal = c.name("fy").is_some() || c.name("period").is_some();
    h.decade = c.name("dec").is_some();
    let whole = (m.start(), h.end);
    Some((h, whole))
}

/// `令和6年度`, `平成 27 年9月 30 日`, `平成三十一年`, `令和元年`.
fn era(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    let &(_, _, base) = ERAS.iter().find(|(name, ..)| *name == &c["era"])?;
    let mut h = Hit::new(m.start(), m.end(), 0);
    if let Some(nn) = c.name("nn") {
        // 令和3/7/18, 令和3.7: an era year in a numeric date.
        if glued_after(text, m.end()) {
            return None;
        }
        h.year = base + small(Some(nn), 99)? as i32;
        h.month = Some(small(c.name("nm"), 12)?);
        h.day = match c.name("nd") {
            Some(d) => Some(small(Some(d), 31)?),
            None => None,
        };
        return plausible(h.year).then_some((h, (m.start(), m.end())));
    }
    let n = if &c["n"] == "元" {
        1
    } else {
        small(c.name("n"), 99)?
    };
    h.year = base + n as i32;
    // 平成10年代: a span of an era, not a year; 昭和23年法律第25号: a law's number.
    let nen = after_nen(text, m.start(), m.end());
    if c.name("dec").is_some()
        || !plausible(h.year)
        || duration_after(text, nen)
        || law_number(&text[nen..])
    {
        return None;
    }
    h.month = small(c.name("m"), 12);
    h.day = small(c.name("d"), 31);
    h.fiscal = c.name("fy").is_some() || c.name("period").is_some();
    Some((h, (m.start(), m.end())))
}

/// `R6.4.1`, `H31.3.31`, `H31年`, `R3年7月18日`, `R6年度`.
fn era_letter(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    let letter = c["l"].chars().next()?;
    let &(_, _, base) = ERAS.iter().find(|(_, l, ..)| *l == letter)?;
    let n = small(c.name("n"), 99)?;
    if glued_after(text, m.end()) {
        return None;
    }
    let mut h = Hit::new(m.start(), m.end(), base + n as i32);
    if c.name("m").is_some() {
        h.month = Some(small(c.name("m"), 12)?);
        h.day = Some(small(c.name("d"), 31)?);
    } else {
        h.month = small(c.name("m2"), 12);
        h.day = small(c.name("d2"), 31);
    }
    h.fiscal = c.name("fy").is_some();
    Some((h, (m.start(), m.end())))
}

/// `10/31/1974`, `31/10/1974` (month and day only when the order is clear),
/// `2/2013`, `31-Oct-1974`.
fn date_year_last(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    if glued_before(text, m.start()) || glued_after(text, m.end()) {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (year, month, day) = if let Some(y) = c.name("y") {
        let (a, b) = (small(c.name("a"), 31)?, small(c.name("b"), 31)?);
        // 3.5.2019 may be a version number; the dotted form needs a day above 12.
        let (month, day) = match (a <= 12, b <= 12) {
            (true, false) => (Some(a), Some(b)),
            (false, true) => (Some(b), Some(a)),
            (true, true) if &c["sep"] != "." => (None, None),
            _ => return None,
        };
        (y.as_str().parse().ok()?, month, day)
    } else if let Some(y) = c.name("my") {
        (
            y.as_str().parse().ok()?,
            Some(small(c.name("mm"), 12)?),
            None,
        )
    } else {
        let mon = c["mon"].to_ascii_lowercase();
        let month = MONTHS.iter().position(|x| *x == mon)? as u32 + 1;
        (
            c["dy"].parse().ok()?,
            Some(month),
            Some(small(c.name("dd"), 31)?),
        )
    };
    let mut h = Hit::new(m.start(), m.end(), year);
    h.month = month;
    h.day = day;
    plausible(year).then_some((h, (m.start(), m.end())))
}

/// `2021春` (a season without 年), `2020・2021年` (a list sharing one 年: two
/// years), `2018Q4`.
fn season_list_quarter(text: &str, c: &Captures) -> Option<(Vec<Hit>, (usize, usize))> {
    let m = c.get(0).unwrap();
    let letter_before = text[..m.start()]
        .chars()
        .next_back()
        .is_some_and(|b| b.is_ascii_alphabetic());
    if glued_before(text, m.start()) || letter_before {
        return None;
    }
    let hit = |g: regex::Match| -> Option<Hit> {
        let y: i32 = g.as_str().parse().ok()?;
        plausible(y).then(|| Hit::new(g.start(), g.end(), y))
    };
    let hits = if let (Some(a), Some(b)) = (c.name("la"), c.name("lb")) {
        // 2020・2021年: years listed in order.
        let (a, b) = (hit(a)?, hit(b)?);
        if b.year <= a.year {
            return None;
        }
        vec![a, b]
    } else {
        vec![hit(c.name("s").or(c.name("q"))?)?]
    };
    Some((hits, (m.start(), m.end())))
}

/// `19年3月期`, `25年春`, `30年末`, `24年度`, `90年代`.
fn two_digit(text: &str, c: &Captures) -> Found {
    let m = c.get(0).unwrap();
    if glued_before(text, m.start()) {
        return None;
    }
    // 平成30年, H30年: an era year (taken earlier when well-formed).
    let before = text[..m.start()].trim_end_matches(' ');
    if ERAS
        .iter()
        .any(|(name, l, ..)| before.ends_with(name) || before.ends_with(*l))
    {
        return None;
    }
    let mut h = Hit::new(m.start(), m.end(), two_digit_year(&c["yy"])?);
    if c.name("m").is_some() {
        h.month = Some(small(c.name("m"), 12)?);
        h.fiscal = c.name("period").is_some();
        // 30年3月 is a date only when nothing makes it a span of time (30年3カ月 never matches).
        h.end = m.end();
    }
    h.fiscal |= c.name("fy").is_some();
    h.decade = c.name("dec").is_some();
    if h.decade && h.year % 10 != 0 {
        return None;
    }
    if !h.decade && c.name("m").is_none() && c.name("fy").is_none() {
        // 25年春, 30年末: the year alone.
        h.end = after_nen(text, m.start(), m.end());
    }
    Some((h, (m.start(), m.end())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(text: &str) -> Vec<(String, i32)> {
        YearExtractor::new()
            .find(text)
            .into_iter()
            .map(|s| match s.kind {
                EntityKind::Year { year, .. } => (text[s.start..s.end].to_string(), year),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn japanese_years() {
        assert_eq!(
            years("2023年6月に発表、2025年春に開始し、2030年までに拡大。"),
            vec![
                ("2023年6月".into(), 2023),
                ("2025年".into(), 2025),
                ("2030年".into(), 2030)
            ]
        );
    }

    #[test]
    fn fiscal_era_decade_and_ranges() {
        let spans =
            YearExtractor::new().find("令和6年度予算、FY2024、2020年代、2018〜2021年の実績");
        let got: Vec<(i32, bool, bool)> = spans
            .iter()
            .map(|s| match &s.kind {
                EntityKind::Year {
                    year,
                    fiscal,
                    decade,
                    ..
                } => (*year, *fiscal, *decade),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (2024, true, false),
                (2024, true, false),
                (2020, false, true),
                (2018, false, false),
                (2021, false, false)
            ]
        );
    }

    #[test]
    fn law_numbers_are_codes() {
        assert!(years("会社法(平成 17 年法律第 86 号)と同法施行令(昭和40年政令第15号)").is_empty());
        assert_eq!(years("平成17年に施行"), vec![("平成17年".into(), 2005)]);
    }

    #[test]
    fn copyright_and_credit_lines() {
        assert_eq!(
            years("Copyright Example Press Agency, 2011\nnext line 2012"),
            vec![("2011".into(), 2011)]
        );
        assert_eq!(years("© 2018 Example Wire"), vec![("2018".into(), 2018)]);
        assert_eq!(
            years("Copyright 2016(C)EXAMPLENEWS"),
            vec![("2016".into(), 2016)]
        );
        assert!(years("(c) 12,000 units").is_empty());
    }

    #[test]
    fn life_spans_and_bracketed_eras() {
        assert_eq!(
            years("創業者の山田太郎(1848―1921)が興した"),
            vec![("1848".into(), 1848), ("1921".into(), 1921)]
        );
        assert_eq!(
            years("2012(平成24)年に上場した"),
            vec![("2012(平成24)年".into(), 2012)]
        );
        // Outside brackets a long span is not a range.
        assert!(years("1848―1921").is_empty());
    }

    #[test]
    fn chronology_table_dates() {
        assert_eq!(
            years("2006.3 持株会社を設立\n2007.10 子会社を合併\n売上 2019.5 億"),
            vec![("2006.3".into(), 2006), ("2007.10".into(), 2007)]
        );
    }

    #[test]
    fn english_month_comma_and_fiscal_year() {
        assert_eq!(
            years("on 03 March, 2016 and by the end of fiscal year 2022"),
            vec![("2016".into(), 2016), ("2022".into(), 2022)]
        );
    }

    #[test]
    fn two_digit_years_by_the_document_era() {
        let rel = |t: &str, doc: &[i32]| -> Vec<(String, i32)> {
            YearExtractor::new()
                .relative(t, doc)
                .into_iter()
                .map(|s| match s.kind {
                    EntityKind::Year { year, .. } => (t[s.start..s.end].to_string(), year),
                    _ => unreachable!(),
                })
                .collect()
        };
        assert_eq!(
            rel("両社は07年に統合し、翌08年には新社名とした。", &[2005]),
            vec![("07年".into(), 2007), ("08年".into(), 2008)]
        );
        assert_eq!(
            rel("同行は15年以降、出資を続ける。", &[2021]),
            vec![("15年".into(), 2015)]
        );
        // Durations, counts and ages are not years.
        assert!(rel(
            "創業から10年目、過去10年の実績、3年間の契約、10年に一度の改革、10年で退任",
            &[2015]
        )
        .is_empty());
        // No other year in the document: no era to read by.
        assert!(rel("07年に統合した。", &[]).is_empty());
        // A bank history's 41年 is 1941.
        assert_eq!(YearExtractor::century(2041, &[1924, 1951, 2018]), 1941);
        assert_eq!(YearExtractor::century(2030, &[2018, 2024]), 2030);
    }

    #[test]
    fn years_split_by_a_line_break() {
        assert_eq!(
            years("同社は20\n19年に設立、平成\n30年に上場、2021\n年に統合。"),
            vec![
                ("20\n19年".into(), 2019),
                ("平成\n30年".into(), 2018),
                ("2021\n年".into(), 2021)
            ]
        );
        assert!(years("売上は12\n34年").is_empty());
        assert!(years("従業員20\n10年間").is_empty());
    }

    #[test]
    fn years_split_across_paragraphs() {
        let y = YearExtractor::new();
        let year = |s: Option<Span>| match s.map(|s| s.kind) {
            Some(EntityKind::Year { year, .. }) => Some(year),
            _ => None,
        };
        assert_eq!(year(y.across("当社は20", "19年に設立")), Some(2019));
        assert_eq!(year(y.across("当社は2019", "年に設立")), Some(2019));
        assert_eq!(year(y.across("当社は平成", "30年に上場")), Some(2018));
        assert_eq!(year(y.across("売上は12", "34年")), None);
        assert_eq!(year(y.across("社員は20", "10年間勤務")), None);
        assert_eq!(year(y.across("当社は", "2019年に設立")), None);
    }

    #[test]
    fn event_editions_and_years_before_business_nouns() {
        assert_eq!(
            years("at the DefenceExpo 2012 fair and the 北京モーターショー2020"),
            vec![("2012".into(), 2012), ("2020".into(), 2020)]
        );
        assert_eq!(
            years("its 2012 revenues and a 2013 deal"),
            vec![("2012".into(), 2012), ("2013".into(), 2013)]
        );
        assert!(years("hired 2000 workers and 1,998 deals").is_empty());
    }

    #[test]
    fn a_year_as_a_modifier_after_a_determiner() {
        assert_eq!(
            years("before the 1999 introduction of the euro and its 2011 listing"),
            vec![("1999".into(), 1999), ("2011".into(), 2011)]
        );
        assert!(years("the 2000 employees and a 1500 square-metre plant").is_empty());
    }

    #[test]
    fn english_years_need_context() {
        assert_eq!(
            years("in 2025 and by 2030, March 3, 2025"),
            vec![
                ("2025".into(), 2025),
                ("2030".into(), 2030),
                ("2025".into(), 2025)
            ]
        );
        assert_eq!(
            years("the 2023-2025 plan"),
            vec![("2023".into(), 2023), ("2025".into(), 2025)]
        );
        assert!(years("a 3500 parameter model with 2048 tokens, 9,200億円").is_empty());
    }
}
