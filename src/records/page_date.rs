//! The year of a page's date, which records with no year of their own take
//! (see [`super::candidates::Candidates::dateline`]). The first of these
//! gives it:
//! 1. the front matter's `date`, then the title, read by the year grammar;
//! 2. a time stamp (a date with a clock time: `2020-08-17 15:30:00`,
//!    `2025年09月01日 18時57分`) in the first three paragraphs;
//! 3. a dateline among the first three paragraphs: a wire dateline opening
//!    one (`TOKYO, Dec 27, 2017 - (JCN Newswire) -`, `BOULDER, Colo.--(BUSINESS
//!    WIRE)--Sep 17, 2025--`), whose places are no companies, or a short
//!    first line that names no company (`2024年7月25日`, a digest's
//!    `[M&Aニュース](2021年10月4日〜2021年10月15日)` above its items);
//! 4. a date line: a full date (day, month and year) among the first six
//!    paragraphs, on a short line or a part of one between `|` or `·`, that
//!    says it is a page date: a label opens the part (`Published 09:42 CET,
//!    22 Feb 2021`, `Last Updated at March 14, 2023`, `公開日：2024年7月25日`:
//!    `record_words.tsv` role `date_label`), a clock time or a label follows
//!    the date (`Dec 02, 2021 07:45 PM GMT+8`, `2022.03.08 配信`), or the part
//!    is the date alone (`2024年7月25日`).
//!
//! 5. a full date that ends the page's first line, when that line (at most
//!    100 characters) names no company and no deal term: a digest's or a
//!    newsletter's title (`ASEAN DEALS DIGEST - Week to June 21, 2019`); not
//!    a date in a headline's sentence (`Ten years after the March 11, 2011
//!    earthquake`, `… since March 11, 2011`).
//!
//! A date line (4) is never a year alone (`2021`) or a month and year (`June
//! 2021`), nor a date in a sentence (`updated its outlook on March 14,
//! 2019`, `2009年3月14日に設立`), a table row, or a part that names a company
//! or a deal word.

use regex::Regex;

use super::{ByteEntity, ByteParagraph};
use crate::document::{BlockKind, EntityKind, Meta};
use crate::extract::Extractor;
use crate::lexicon::RecordWords;

/// How many paragraphs from the top may hold a time stamp or a dateline.
const DATELINE_PARAGRAPHS: usize = 3;
/// The longest first line, in characters, that dates a page by its year alone.
const DATELINE_CHARS: usize = 40;

/// How many paragraphs from the top may hold a date line.
const PARAGRAPHS: usize = 6;
/// The longest date line, in characters.
const LINE_CHARS: usize = 100;

/// The patterns of a page's date.
#[derive(Debug, Clone)]
pub struct PageDate {
    /// A date with a clock time (`2020-08-17 15:30:00`, `2025年09月01日
    /// 18時57分`); group 1 is the year.
    time_stamp: Regex,
    /// A month and day right before the year (`Feb 22, `, `22 Feb `,
    /// `Aug. 9, `), in English: the year grammar gives such a year without
    /// its day.
    day_before: Regex,
    /// What may stand before the date: a label, then separators, `at`, `on`
    /// or a clock time (`Published 09:42 CET, `, `Last Updated at `, `公開日：`).
    lead: Regex,
    /// What may follow the date: a clock time, or a label that ends the part
    /// (`07:45 PM`, ` 配信`).
    trail: Regex,
}

impl PageDate {
    /// The labels (`date_label`) and months (`item_month`) of `words`.
    pub fn new(words: &RecordWords) -> Self {
        let months = crate::extract::alternation(&words.item_month);
        let month = format!(r"\b(?:{months})[a-z]*\.?");
        let labels = crate::extract::alternation(&words.date_label);
        let clock = r"[0-9]{1,2}(?::[0-9]{2}|時[0-9]{1,2}分)";
        let build = |pattern: String| Regex::new(&pattern).expect("escaped words");
        PageDate {
            // ASCII digits and no Unicode word boundary: the lazy DFA runs it.
            time_stamp: build(format!(
                r"(?:^|[^0-9])((?:19|20)[0-9]{{2}})(?:[-/.][0-9]{{1,2}}[-/.][0-9]{{1,2}}|年[0-9]{{1,2}}月[0-9]{{1,2}}日) ?T?{clock}"
            )),
            day_before: build(format!(
                r"(?:{month}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?|\b[0-9]{{1,2}}(?:st|nd|rd|th)?\s+{month}),?\s*$"
            )),
            lead: build(format!(
                r"(?i)^\s*(?:last\s+)?(?:{labels})(?:日時|日|時刻)?(?:[\s:：,.\-–—]|\bat\b|\bon\b|{clock}(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{{2,4}}\b)?)*$"
            )),
            trail: build(format!(
                r"(?is)^[\s,\-–—]*(?:at\s+)?(?:{clock}.*|(?:{labels})[\s:：,.)）\]]*(?:{clock}.*)?)$"
            )),
        }
    }

    /// The year of the page's date (see the module's doc), if any. `spans`
    /// must be sorted by start.
    pub fn year(
        &self,
        meta: &Meta,
        text: &str,
        paragraphs: &[ByteParagraph],
        spans: &[ByteEntity],
        extractor: &Extractor,
    ) -> Option<i32> {
        // The front matter's date and the title, read by the year grammar.
        let first_year = |t: &str| {
            extractor
                .years
                .find(&crate::normalize::normalize(t))
                .into_iter()
                .find_map(|s| match s.kind {
                    EntityKind::Year { year, .. } => Some(year),
                    _ => None,
                })
        };
        meta.date
            .as_deref()
            .and_then(first_year)
            .or_else(|| meta.title.as_deref().and_then(first_year))
            .or_else(|| self.time_stamp_year(text, paragraphs))
            .or_else(|| dateline_year(text, paragraphs, spans, extractor))
            .or_else(|| self.date_line_year(text, paragraphs, spans))
            .or_else(|| self.title_line_year(text, paragraphs, spans))
    }

    /// The year of a full date that ends the page's first line when that line
    /// names no company and no deal term (a digest's or a newsletter's title:
    /// `ASEAN DEALS DIGEST - Week to June 21, 2019`), unless it is a target's
    /// or a starting point's (`since March 11, 2011`).
    fn title_line_year(
        &self,
        text: &str,
        paragraphs: &[ByteParagraph],
        spans: &[ByteEntity],
    ) -> Option<i32> {
        let p = paragraphs.first().filter(|p| p.kind != BlockKind::Table)?;
        let end = p.start + text[p.start..p.end].find('\n').unwrap_or(p.end - p.start);
        if text[p.start..end].chars().count() > LINE_CHARS {
            return None;
        }
        let inside = || spans.iter().filter(|s| s.start >= p.start && s.end <= end);
        if inside().any(|s| matches!(s.kind, EntityKind::Company { .. } | EntityKind::Verb { .. }))
        {
            return None;
        }
        inside().find_map(|s| match s.kind {
            EntityKind::Year {
                year,
                month,
                day,
                fiscal: false,
                decade: false,
                ..
            } => {
                let date_start = self.full_date_start(text, p.start, s.start, month, day)?;
                // The title's date ends it (`… - Week to June 21, 2019`,
                // `…2019年3月14日号（第112号）`), and no `since` or target
                // reads it (`Markets rally to highest since March 11, 2011`).
                let last = text[s.end..end]
                    .trim_start_matches(['号', '版'])
                    .trim_matches(|c: char| {
                        c.is_whitespace()
                            || c.is_ascii_punctuation()
                            || "()（）[]【】第号0123456789".contains(c)
                    });
                let before = text[p.start..date_start].trim_end().to_lowercase();
                let starting_point = ["since", "from", "until", "by", "before", "after"]
                    .iter()
                    .any(|w| before.ends_with(w));
                (last.is_empty() && !starting_point).then_some(year)
            }
            _ => None,
        })
    }

    /// The year of a time stamp among the first paragraphs.
    fn time_stamp_year(&self, text: &str, paragraphs: &[ByteParagraph]) -> Option<i32> {
        paragraphs.iter().take(DATELINE_PARAGRAPHS).find_map(|p| {
            let c = self.time_stamp.captures(&text[p.start..p.end])?;
            c[1].parse::<i32>().ok()
        })
    }

    /// The year of the first date line among the first paragraphs.
    fn date_line_year(
        &self,
        text: &str,
        paragraphs: &[ByteParagraph],
        spans: &[ByteEntity],
    ) -> Option<i32> {
        for p in paragraphs.iter().take(PARAGRAPHS) {
            if p.kind == BlockKind::Table {
                continue;
            }
            let mut start = p.start;
            for line in text[p.start..p.end].split('\n') {
                let end = start + line.len();
                if line.chars().count() <= LINE_CHARS {
                    if let Some(y) = self.line_year(text, start, end, spans) {
                        return Some(y);
                    }
                }
                start = end + 1;
            }
        }
        None
    }

    /// Where the full date of the year entity at `year_start` starts (text
    /// before it from `from` on): at the year when the grammar gave its month
    /// and day (`2022.03.08`, `2024年7月25日`), else at the English month and
    /// day before it (`Feb 22, 2021`); `None` for a year without its day.
    fn full_date_start(
        &self,
        text: &str,
        from: usize,
        year_start: usize,
        month: Option<u32>,
        day: Option<u32>,
    ) -> Option<usize> {
        if month.is_some() && day.is_some() {
            return Some(year_start);
        }
        Some(from + self.day_before.find(&text[from..year_start])?.start())
    }

    /// The year of the line `text[start..end]` when a part of it is a date line.
    fn line_year(&self, text: &str, start: usize, end: usize, spans: &[ByteEntity]) -> Option<i32> {
        let first = spans.partition_point(|s| s.start < start);
        let inside = || spans[first..].iter().take_while(|s| s.start < end);
        inside().find_map(|s| {
            let EntityKind::Year {
                year,
                month,
                day,
                fiscal: false,
                decade: false,
                ..
            } = s.kind
            else {
                return None;
            };
            if s.end > end {
                return None;
            }
            // The part of the line between separators that holds the year.
            let is_separator = |c: char| matches!(c, '|' | '｜' | '·' | '•');
            let from = text[start..s.start].rfind(is_separator).map_or(start, |i| {
                start + i + text[start + i..].chars().next().map_or(1, char::len_utf8)
            });
            let to = text[s.end..end]
                .find(is_separator)
                .map_or(end, |i| s.end + i);
            let date_start = self.full_date_start(text, from, s.start, month, day)?;
            let names = inside().any(|x| {
                x.start >= from
                    && x.end <= to
                    && matches!(x.kind, EntityKind::Company { .. } | EntityKind::Verb { .. })
            });
            if names {
                return None;
            }
            let (before, after) = (&text[from..date_start], &text[s.end..to]);
            let empty = |t: &str| {
                t.trim_matches(|c: char| c.is_whitespace() || "()[]【】「」<>,.-–—:：".contains(c))
                    .is_empty()
            };
            let dated = self.lead.is_match(before)
                || self.trail.is_match(after)
                || empty(before) && empty(after);
            dated.then_some(year)
        })
    }
}

/// The year of a wire dateline opening one of the first paragraphs, or of
/// a short first line of one that names no company.
fn dateline_year(
    text: &str,
    paragraphs: &[ByteParagraph],
    spans: &[ByteEntity],
    extractor: &Extractor,
) -> Option<i32> {
    paragraphs.iter().take(DATELINE_PARAGRAPHS).find_map(|p| {
        let para = &text[p.start..p.end];
        // A wire dateline's places are no companies: only its year counts.
        let (end, wire) = match extractor.companies.dateline_end(para) {
            Some(n) => (p.start + n, true),
            None => (p.start + para.find('\n').unwrap_or(para.len()), false),
        };
        if !wire && text[p.start..end].chars().count() > DATELINE_CHARS {
            return None;
        }
        let inside = spans.iter().filter(|s| s.start >= p.start && s.end <= end);
        let mut year = None;
        for s in inside {
            match s.kind {
                EntityKind::Year { year: y, .. } => year = year.or(Some(y)),
                EntityKind::Company { .. } if !wire => return None,
                _ => {}
            }
        }
        year
    })
}

#[cfg(test)]
mod tests {
    use crate::pipeline::Pipeline;

    /// The year of the record of a page that has `top` above a deal sentence
    /// with no year, and where it came from.
    fn record_year(top: &str) -> (Option<i32>, Option<String>) {
        let pipeline = Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)");
        let text = format!(
            "{top}\n\nNorvik Fisk AS agreed to buy Solberg Marine Ltd. for NOK 2 billion, the companies said on Monday.\n"
        );
        let doc = pipeline
            .process(&crate::ingest::Input {
                id: "page.txt".into(),
                format: crate::ingest::Format::Text,
                content: crate::ingest::Content::Bytes(text.into_bytes()),
            })
            .expect("processed");
        let r = doc.records.first().expect("the deal is found");
        (r.year, r.year_source.clone())
    }

    /// Three short paragraphs a page opens with (navigation), so that the
    /// older dateline rule, which reads the first three, sees no date.
    const NAVIGATION: &str = "Home > Markets\n\nShare Tweet Email\n\nSeafood and farming";

    #[test]
    fn a_labelled_or_timed_full_date_near_the_top_dates_the_page() {
        for top in [
            format!("{NAVIGATION}\n\nPublished 09:42 CET, 14 Mar 2019 | Updated 11:15 CET"),
            "Salmon deal lifts Oslo\n\nBy Kari Dahl and Ola Nordmann | Bergen | Mar 14, 2019 07:45 PM GMT+1".into(),
            format!("{NAVIGATION}\n\nLast Updated at March 14th, 2019"),
            "水産ニュース\n\nトップ > 企業\n\n記事一覧\n\n2019.03.14 配信".into(),
            "水産ニュース ホーム 企業 市場 特集 コラム 連載 動画 写真 地域 海外 人事 お知らせ\n2019年3月14日".into(),
            format!("{NAVIGATION}\n\n公開日：2019年3月14日 10時30分"),
            "SAN JOSE, Calif. & BERGEN, Norway--(BUSINESS WIRE)--Mar. 14, 2019--".into(),
            "WILKES-BARRE, Pa. & BERGEN--(BUSINESS WIRE)--Mar. 14, 2019--".into(),
            "SEOUL, South Korea--(BUSINESS WIRE)--Mar. 14, 2019--".into(),
        ] {
            let dated = (Some(2019), Some("dateline".to_string()));
            assert_eq!(record_year(&top), dated, "{top}");
        }
    }

    #[test]
    fn a_full_date_on_a_first_line_that_names_no_company_dates_the_page() {
        for top in [
            "NORDIC SEAFOOD DEALS DIGEST - Week to March 14, 2019",
            "水産業界M&Aニュースまとめ・海外企業の動向と国内の再編の最新情報を届けます 2019年3月14日号（第112号）",
        ] {
            let dated = (Some(2019), Some("dateline".to_string()));
            assert_eq!(record_year(top), dated, "{top}");
        }
        // Not a month and year, nor a line that names a company.
        for top in [
            "NORDIC SEAFOOD DEALS DIGEST - Week 11 of March 2019 and the month before it",
            "Ten years after the March 14, 2019 storm, salmon farms count the cost",
            "Salmon prices rally to their highest since March 14, 2019",
            "Solberg Marine Ltd. annual meeting notice for shareholders, March 14, 2019",
        ] {
            assert_eq!(record_year(top).0, None, "{top}");
        }
    }

    #[test]
    fn a_year_alone_a_month_a_date_in_a_sentence_or_a_table_dates_no_page() {
        for line in [
            // A year or a month and year, even labelled.
            "Published 2019 | Seafood",
            "Updated March 2019",
            // A full date in a sentence, labelled or beside a clock or a ratio.
            "The company updated its outlook on March 14, 2019, after the storm.",
            "The board, which first met in Bergen on March 14, 2001, updated its farms.",
            "The grid operator's shares were split 1:10 on June 3, 2016, the board said.",
            "Shares hit a record on March 3, 2015, closing at 14:30 local time.",
            "設立：2009年3月14日",
            "株価は2018年1月22日に上場来高値を更新した。",
            "2016年4月1日に契約更新した。",
            // A table row.
            "| 決算期 | 売上高 |\n|---|---|\n| 2019年3月14日 | 120億円 |",
        ] {
            let top = format!("{NAVIGATION}\n\n{line}");
            assert_eq!(record_year(&top).0, None, "{line}");
        }
    }
}
