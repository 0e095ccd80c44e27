//! Years: `2025年`, `2023年6月` (month), `2025年春`, `2024年度` and `FY2024`
//! (fiscal), `令和6年度` (era years converted: 令和 = 2018 + n, 平成 = 1988 + n,
//! 昭和 = 1925 + n), `2020年代` (decade), ranges `2018〜2021年` (both ends), and
//! English years in context (`in 2025`, `by 2030`, `March 3, 2025`, `2023-2025`).
//! Only 1900–2100; four-digit numbers without 年 or an English cue are not years.

use std::sync::LazyLock;

use regex::Regex;

use super::{gated, latin_boundaries_ok, Span};
use crate::document::EntityKind;

static RANGE_JA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<a>\d{4})年?(?:度)?(?:〜|-|から|～)(?P<b>\d{4})年(?P<fy>度)?").unwrap()
});
static YEAR_JA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>\d{4})年(?:(?P<fy>度)|(?P<dec>代)|(?P<m>\d{1,2})月)?").unwrap()
});
static ERA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<era>令和|平成|昭和)(?P<n>元|\d{1,2})年(?P<fy>度)?").unwrap());
static YEAR_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)(?:^| \| )(?P<y>(?:19|20)\d{2})(?: \| |$)").unwrap());
static FY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)FY ?(?P<y>\d{4}|\d{2})(?-u:\b)").unwrap());
static RANGE_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<a>\d{4}) ?(?:-|to|through|〜) ?(?P<b>\d{4})(?-u:\b)").unwrap()
});
static YEAR_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(?-u:\b)(?:in|by|since|from|until|till|through|during|to|for|of|early|late|mid-?|end of|before|after|around|",
        r"fiscal|calendar|spring|summer|autumn|fall|winter|",
        r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?)",
        r"(?: \d{1,2},?)? (?P<y>\d{4})(?-u:\b)"
    ))
    .unwrap()
});

/// The year extractor.
#[derive(Debug, Default)]
pub struct YearExtractor;

fn plausible(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

fn year_span(start: usize, end: usize, year: i32) -> Span {
    Span {
        start,
        end,
        kind: EntityKind::Year {
            year,
            month: None,
            fiscal: false,
            decade: false,
            range: None,
        },
    }
}

fn digit_before(text: &str, pos: usize) -> bool {
    text[..pos]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

impl YearExtractor {
    /// Creates the extractor.
    pub fn new() -> Self {
        YearExtractor
    }

    /// Finds years in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let free = |taken: &Vec<(usize, usize)>, s: usize, e: usize| {
            !taken.iter().any(|&(a, b)| s < b && a < e)
        };
        // Every year pattern needs a run of four digits, a range two: skip the
        // regexes otherwise.
        let runs = text
            .as_bytes()
            .split(|b| !b.is_ascii_digit())
            .filter(|run| run.len() >= 4)
            .take(2)
            .count();
        let has_four_digits = runs > 0;
        let has_nen = text.contains('年');
        for (re, on) in [(&*RANGE_JA, runs == 2 && has_nen), (&*RANGE_EN, runs == 2)] {
            for c in re.captures_iter(gated(text, on)) {
                let (a, b) = (c.name("a").unwrap(), c.name("b").unwrap());
                let (ya, yb) = (
                    a.as_str().parse::<i32>().unwrap_or(0),
                    b.as_str().parse::<i32>().unwrap_or(0),
                );
                let m = c.get(0).unwrap();
                if !plausible(ya)
                    || !plausible(yb)
                    || yb <= ya
                    || yb - ya > 50
                    || digit_before(text, m.start())
                {
                    continue;
                }
                if !free(&taken, m.start(), m.end()) {
                    continue;
                }
                let fiscal = c.name("fy").is_some();
                for (g, y, which) in [(a, ya, "start"), (b, yb, "end")] {
                    let mut s = year_span(g.start(), g.end(), y);
                    if let EntityKind::Year {
                        range, fiscal: f, ..
                    } = &mut s.kind
                    {
                        *range = Some(which.to_string());
                        *f = fiscal;
                    }
                    out.push(s);
                }
                taken.push((m.start(), m.end()));
            }
        }
        for c in YEAR_JA.captures_iter(gated(text, has_four_digits && has_nen)) {
            let m = c.get(0).unwrap();
            let y: i32 = c["y"].parse().unwrap_or(0);
            if !plausible(y) || digit_before(text, m.start()) || !free(&taken, m.start(), m.end()) {
                continue;
            }
            let mut s = year_span(m.start(), m.end(), y);
            if let EntityKind::Year {
                month,
                fiscal,
                decade,
                ..
            } = &mut s.kind
            {
                *month = c
                    .name("m")
                    .and_then(|m| m.as_str().parse().ok())
                    .filter(|m| (1..=12).contains(m));
                *fiscal = c.name("fy").is_some();
                *decade = c.name("dec").is_some();
            }
            if c.name("m").is_some() && matches!(s.kind, EntityKind::Year { month: None, .. }) {
                // 2025年13月: not a month; keep the year alone.
                s.end = m.start() + c["y"].len() + "年".len();
            }
            taken.push((m.start(), m.end()));
            out.push(s);
        }
        for c in ERA.captures_iter(gated(
            text,
            text.contains("令和") || text.contains("平成") || text.contains("昭和"),
        )) {
            let m = c.get(0).unwrap();
            let n: i32 = if &c["n"] == "元" {
                1
            } else {
                c["n"].parse().unwrap_or(0)
            };
            let base = match &c["era"] {
                "令和" => 2018,
                "平成" => 1988,
                _ => 1925,
            };
            let mut s = year_span(m.start(), m.end(), base + n);
            if let EntityKind::Year { fiscal, .. } = &mut s.kind {
                *fiscal = c.name("fy").is_some();
            }
            taken.push((m.start(), m.end()));
            out.push(s);
        }
        for c in FY.captures_iter(gated(text, text.contains("FY"))) {
            let m = c.get(0).unwrap();
            let raw = &c["y"];
            let y: i32 = if raw.len() == 2 {
                2000 + raw.parse::<i32>().unwrap_or(0)
            } else {
                raw.parse().unwrap_or(0)
            };
            if !plausible(y) || !free(&taken, m.start(), m.end()) {
                continue;
            }
            let mut s = year_span(m.start(), m.end(), y);
            if let EntityKind::Year { fiscal, .. } = &mut s.kind {
                *fiscal = true;
            }
            taken.push((m.start(), m.end()));
            out.push(s);
        }
        // A year alone in a table cell (`| 2024 |`).
        let in_table = text.contains(crate::document::CELL_SEPARATOR);
        for c in YEAR_CELL.captures_iter(gated(text, has_four_digits && in_table)) {
            let g = c.name("y").unwrap();
            if !free(&taken, g.start(), g.end()) {
                continue;
            }
            taken.push((g.start(), g.end()));
            out.push(year_span(
                g.start(),
                g.end(),
                g.as_str().parse().unwrap_or(0),
            ));
        }
        // The English patterns put a word before the year.
        let has_latin = text.bytes().any(|b| b.is_ascii_alphabetic());
        for c in YEAR_EN.captures_iter(gated(text, has_four_digits && has_latin)) {
            let g = c.name("y").unwrap();
            let y: i32 = g.as_str().parse().unwrap_or(0);
            if !plausible(y)
                || !free(&taken, g.start(), g.end())
                || !latin_boundaries_ok(text, g.start(), g.end())
            {
                continue;
            }
            let after = text[g.end()..].chars().next();
            if after.is_some_and(|a| a == '年' || a == '%') {
                continue;
            }
            taken.push((g.start(), g.end()));
            out.push(year_span(g.start(), g.end(), y));
        }
        out.sort_by_key(|s| s.start);
        out
    }
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
