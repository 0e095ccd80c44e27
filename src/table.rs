//! Tables: cells with byte offsets, and the classification of columns by
//! header and content (company columns, a year column, a description column),
//! shared by the extract and records stages.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::CELL_SEPARATOR;

/// A cell of a table row: byte range in the row's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// First byte in the row.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Company names.
    Company,
    /// Years.
    Year,
    /// Free description of the deal.
    Description,
    /// Anything else.
    Other,
}

static COMPANY_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)企業|会社|社名|提携先|パートナー|出資先|出資元|投資先|買収先|相手|company|companies|partner|investor|investee|acquirer|target|firm|startup|vendor|スタートアップ|ベンダー|銀行|AI企業").unwrap()
});
static YEAR_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)年|時期|日付|year|date|when").unwrap());
static DESCRIPTION_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)内容|概要|目的|詳細|形態|details?|description|summary|deal|type|notes?")
        .unwrap()
});
static YEAR_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}(?:年|年度)?").unwrap());

/// Splits a row of `text` into cells.
pub fn cells(row: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut start = 0;
    for (pos, _) in row.match_indices(CELL_SEPARATOR) {
        out.push(Cell { start, end: pos });
        start = pos + CELL_SEPARATOR.len();
    }
    out.push(Cell {
        start,
        end: row.len(),
    });
    out
}

/// Whether the first row is a header (no year cell, short cells).
pub fn has_header(rows: &[&str]) -> bool {
    let Some(first) = rows.first() else {
        return false;
    };
    let first_cells = cells(first);
    let any_header_word = first_cells.iter().any(|c| {
        let t = &first[c.start..c.end];
        COMPANY_HEADER.is_match(t) || YEAR_HEADER.is_match(t) || DESCRIPTION_HEADER.is_match(t)
    });
    any_header_word
        && !first_cells
            .iter()
            .any(|c| YEAR_CELL.is_match(first[c.start..c.end].trim()))
}

/// Classifies each column from its header (when present) and its content.
/// `looks_like_company(cell)` tells whether a cell names a company.
pub fn classify(rows: &[&str], looks_like_company: impl Fn(&str) -> bool) -> Vec<Column> {
    let header = has_header(rows);
    let body: Vec<&str> = rows.iter().skip(usize::from(header)).copied().collect();
    let width = rows.iter().map(|r| cells(r).len()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(width);
    for col in 0..width {
        let values: Vec<&str> = body
            .iter()
            .filter_map(|r| cells(r).get(col).map(|c| r[c.start..c.end].trim()))
            .filter(|v| !v.is_empty())
            .collect();
        let head = if header {
            cells(rows[0])
                .get(col)
                .map(|c| rows[0][c.start..c.end].trim().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let n = values.len().max(1) as f64;
        let years = values.iter().filter(|v| YEAR_CELL.is_match(v)).count() as f64;
        let companies = values.iter().filter(|v| looks_like_company(v)).count() as f64;
        let avg_len = values.iter().map(|v| v.chars().count()).sum::<usize>() as f64 / n;
        let kind = if years / n >= 0.6 && (YEAR_HEADER.is_match(&head) || !header) {
            Column::Year
        } else if avg_len > 30.0
            || (DESCRIPTION_HEADER.is_match(&head) && !COMPANY_HEADER.is_match(&head))
        {
            Column::Description
        } else if (COMPANY_HEADER.is_match(&head) && avg_len <= 30.0) || companies / n >= 0.5 {
            Column::Company
        } else {
            Column::Other
        };
        out.push(kind);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_english_headers() {
        let ja = ["企業 | 提携先 | 年 | 内容", "日立製作所 | OpenAI(米国) | 2025年 | 戦略提携。データセンター向けのインフラを共同開発し、世界規模で展開する計画。"];
        assert_eq!(
            classify(&ja, |_| false),
            vec![
                Column::Company,
                Column::Company,
                Column::Year,
                Column::Description
            ]
        );
        let en = [
            "Company | Partner | Year | Details",
            "Toyota | NVIDIA | 2024 | Joint development of automated driving software",
        ];
        assert_eq!(
            classify(&en, |_| false),
            vec![
                Column::Company,
                Column::Company,
                Column::Year,
                Column::Description
            ]
        );
    }

    #[test]
    fn headerless_table_classified_by_content() {
        let rows = [
            "富士通 | NVIDIA | 2025 | 協業",
            "セコム | アジラ | 2022 | 資本業務提携",
        ];
        let known = ["富士通", "NVIDIA", "セコム", "アジラ"];
        let cols = classify(&rows, |c| known.contains(&c));
        assert_eq!(
            &cols[..3],
            &[Column::Company, Column::Company, Column::Year]
        );
    }
}
