//! Table rows: a row naming two companies is one statement; columns are
//! classified by header and content ([`crate::table::classify`]) and the
//! row's year (`year_source: table`), term and amount become the record's.
//! A row with no year takes its caption's ([`caption_year`], `year_source:
//! caption`; set by `candidates.rs`).

use super::attributes::{best_verb, deal_amount, is_not_deal_year, make_record, party};
use super::statements::{within, within_refs};
use super::{company_name, company_str, ByteEntity, ByteParagraph, Deals};
use crate::document::{BlockKind, EntityKind, Evidence, Party, Record};
use crate::table::{self, Column};

pub(super) fn table_records(
    text: &str,
    p: &ByteParagraph,
    inside: &[&ByteEntity],
    deals: &Deals,
) -> Vec<Record> {
    let rows: Vec<(usize, &str)> = {
        let mut offset = p.start;
        text[p.start..p.end]
            .split('\n')
            .map(|r| {
                let item = (offset, r);
                offset += r.len() + 1;
                item
            })
            .collect()
    };
    let row_texts: Vec<&str> = rows.iter().map(|r| r.1).collect();
    let company_surfaces: std::collections::HashSet<&str> = inside
        .iter()
        .filter(|e| company_str(&e.kind).is_some())
        .map(|e| &text[e.start..e.end])
        .collect();
    let has_company = |cell: &str| -> bool {
        company_surfaces.contains(cell.split('(').next().unwrap_or(cell).trim())
    };
    let columns = table::classify(&row_texts, has_company);
    let header = table::has_header(&row_texts);
    // `買収企業 | 被買収企業`, `Acquirer | Target`: a deal term in the header of a
    // company column is the term of every row that states none.
    let header_verb = rows.first().filter(|_| header).and_then(|&(start, row)| {
        let cells = table::cells(row);
        let terms: Vec<&ByteEntity> = cells
            .iter()
            .zip(&columns)
            .filter(|(_, col)| **col == Column::Company)
            .flat_map(|(c, _)| within_refs(inside, start + c.start, start + c.end))
            .collect();
        best_verb(text, &terms)
    });
    let mut out = Vec::new();
    for &(row_start, row) in rows.iter().skip(usize::from(header)) {
        let cells = table::cells(row);
        let mut parties: Vec<Party> = Vec::new();
        let mut year = None;
        let mut desc: Vec<&ByteEntity> = Vec::new();
        for (cell, col) in cells.iter().zip(&columns) {
            let (cs, ce) = (row_start + cell.start, row_start + cell.end);
            let cell_ents: Vec<&ByteEntity> = within_refs(inside, cs, ce);
            match col {
                Column::Company => {
                    let cell_text = text[cs..ce].trim();
                    if cell_text.starts_with('(') {
                        continue;
                    }
                    if let Some((name, country)) =
                        cell_ents.iter().find_map(|e| company_name(&e.kind))
                    {
                        let bracket = bracket_country(cell_text).or(country);
                        if !parties.iter().any(|x| x.name == name) {
                            parties.push(party(name, bracket, None));
                        }
                    }
                }
                Column::Year => {
                    year = cell_ents.iter().find_map(|e| match e.kind {
                        EntityKind::Year { year, .. } => Some(year),
                        _ => None,
                    });
                }
                Column::Description | Column::Other => desc.extend(cell_ents),
            }
        }
        if parties.len() < 2 {
            continue;
        }
        let verb = best_verb(text, &desc).or_else(|| header_verb.clone());
        if let Some((role_a, role_b)) = verb.as_ref().and_then(|v| deals.roles(&v.1)) {
            parties[0].role = Some(role_a.into());
            parties[1].role = Some(role_b.into());
        }
        let evidence = Evidence {
            source: "table".into(),
            text: row.to_string(),
            start: row_start,
            end: row_start + row.len(),
        };
        let amount = deal_amount(text, &desc, deals);
        parties.truncate(2);
        out.push(make_record(
            parties,
            verb,
            year,
            Some("table"),
            amount,
            evidence,
        ));
    }
    out
}

/// The year of a table's caption: the nearest of the two short blocks before
/// table `pi` that names a year, when it names one only (`2022年のM&A金額
/// ランキング`, `Deals of 2022`). Rows with no year column take it before the
/// page's date; a longer paragraph is prose, never a caption.
pub(super) fn caption_year(
    text: &str,
    paragraphs: &[ByteParagraph],
    pi: usize,
    entities: &[ByteEntity],
) -> Option<i32> {
    for p in paragraphs[..pi].iter().rev().take(2) {
        if p.kind == BlockKind::Table || text[p.start..p.end].chars().count() > 120 {
            return None;
        }
        let mut years = within(entities, p.start, p.end)
            .into_iter()
            .filter(|x| !is_not_deal_year(text, x))
            .filter_map(|x| match x.kind {
                EntityKind::Year { year, .. } => Some(year),
                _ => None,
            });
        if let Some(first) = years.next() {
            return years.all(|y| y == first).then_some(first);
        }
    }
    None
}

/// The ISO code in a trailing bracket of a table cell (`OpenAI(米国)`), from the extractor's country.
pub(super) fn bracket_country(cell: &str) -> Option<String> {
    let open = cell.rfind('(')?;
    let inner = cell[open + 1..].trim_end_matches(')');
    crate::lexicon::country_code(inner)
}
