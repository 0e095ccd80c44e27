//! The year of a page's date line: a full date (day, month and year) on a
//! short line among the page's first six paragraphs, where the line says it
//! is a date line: a label (`Published`, `Updated`, 配信: `record_words.tsv`
//! role `date_label`), a clock time (`09:42`, `4:12 PM`), or nothing but the
//! date (`2022.03.08`).
//!
//! It decides only the page's year that records with no year of their own
//! take (see [`super::candidates::Candidates::dateline`]), after the front
//! matter, the title, a time stamp and a wire dateline have given none. It
//! never reads a year alone (`2021`), a month and year (`June 2021`), or a
//! date in prose: those are a deal's, a plan's or history's.

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::{phrases, ByteEntity, ByteParagraph};
use crate::document::EntityKind;
use crate::lexicon::RecordWords;

/// How many paragraphs from the top may hold the date line.
const PARAGRAPHS: usize = 6;
/// The longest date line, in characters.
const LINE_CHARS: usize = 100;
/// At most this many characters of a bare date line are not its date.
const BARE_REST: usize = 6;

/// The words and patterns of a page's date line.
#[derive(Debug, Clone)]
pub struct PageDate {
    labels: AhoCorasick,
    /// A month and day right before the year (`Feb 22, `, `22 Feb `,
    /// `Aug. 9, `), in English: the year grammar gives such a year without
    /// its day.
    day_before: Regex,
    clock: Regex,
}

impl PageDate {
    /// The labels (`date_label`) and months (`item_month`) of `words`.
    pub fn new(words: &RecordWords) -> Self {
        let months = crate::extract::alternation(&words.item_month);
        let month = format!(r"(?:{months})[a-z]*\.?");
        let day_before = Regex::new(&format!(
            r"(?:{month}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?|[0-9]{{1,2}}(?:st|nd|rd|th)?\s+{month}),?\s*$"
        ))
        .expect("months are escaped words");
        PageDate {
            labels: phrases(&words.date_label),
            day_before,
            clock: Regex::new(r"(?:^|[^0-9])[0-9]{1,2}(?::[0-9]{2}|時[0-9]{1,2}分)")
                .expect("a fixed pattern"),
        }
    }

    /// The year of the first date line of the page, if any. `spans` must be
    /// sorted by start.
    pub fn year(
        &self,
        text: &str,
        paragraphs: &[ByteParagraph],
        spans: &[ByteEntity],
    ) -> Option<i32> {
        for p in paragraphs.iter().take(PARAGRAPHS) {
            let mut start = p.start;
            for line in text[p.start..p.end].split('\n') {
                let end = start + line.len();
                if let Some(y) = self.line_year(text, start, end, spans) {
                    return Some(y);
                }
                start = end + 1;
            }
        }
        None
    }

    /// The year of the line `text[start..end]` when it is a date line.
    fn line_year(&self, text: &str, start: usize, end: usize, spans: &[ByteEntity]) -> Option<i32> {
        let line = &text[start..end];
        if line.chars().count() > LINE_CHARS {
            return None;
        }
        let first = spans.partition_point(|s| s.start < start);
        spans[first..]
            .iter()
            .take_while(|s| s.end <= end)
            .find_map(|s| {
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
                let before = &text[start..s.start];
                // The start of the English month and day before the year.
                let date_start = if month.is_some() && day.is_some() {
                    s.start
                } else {
                    start + self.day_before.find(before)?.start()
                };
                let rest = line.chars().count() - text[date_start..s.end].chars().count();
                let labelled = self.labels.is_match(line) || self.clock.is_match(line);
                (labelled || rest <= BARE_REST).then_some(year)
            })
    }
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

    #[test]
    fn a_labelled_or_timed_full_date_near_the_top_dates_the_page() {
        for top in [
            "Share Tweet Email\n\nBy Kari Dahl\n\nPublished 09:42 CET, 14 Mar 2019 | Updated 11:15 CET",
            "Salmon deal\n\nBy Kari Dahl | Mar 14, 2019 07:45 PM GMT+1",
            "Markets > Seafood\n\nUpdated - March 14th, 2019",
            "水産ニュース\n\n2019.03.14 配信",
        ] {
            let dated = (Some(2019), Some("dateline".to_string()));
            assert_eq!(record_year(top), dated, "{top}");
        }
    }

    #[test]
    fn a_year_alone_a_month_or_a_date_in_prose_dates_no_page() {
        for top in [
            // A year or a month and year, even labelled (lines too long to
            // be a short dateline).
            "Published in the spring issue of the fisheries quarterly, 2019",
            "Updated figures for the whole fleet of the group, March 2019",
            // A full date in a long sentence of prose.
            "The board, which first met in Bergen on March 14, 2001, oversees forty farms along the western coast.",
            // A full date with neither label nor clock, beside other words.
            "Annual report of the western fisheries board, March 14, 2019",
        ] {
            assert_eq!(record_year(top).0, None, "{top}");
        }
    }
}
