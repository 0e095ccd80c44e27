//! Acceptance tests on the five real seed articles in `../shared/seeds`
//! (read in place, never copied). Each test skips when the folder is absent.

mod common;

use kiji::document::EntityKind;
use kiji::ingest::{Content, Format, Input};

fn process(path: &std::path::Path) -> kiji::Document {
    common::pipeline()
        .process(&Input {
            id: path.file_name().unwrap().to_string_lossy().into_owned(),
            format: Format::Text,
            content: Content::File(path.to_path_buf()),
        })
        .unwrap()
}

#[test]
fn offsets_slice_text_and_markers_are_gone() {
    let Some(dir) = common::seeds() else {
        return eprintln!("skipped: ../shared/seeds absent");
    };
    let files = common::seed_files(&dir);
    assert_eq!(files.len(), 5);
    for f in files {
        let doc = process(&f);
        common::assert_offsets(&doc);
        assert!(!doc.text.contains("---END---"), "{}", doc.id);
        assert!(
            !doc.text.to_ascii_uppercase().contains("END---"),
            "{}",
            doc.id
        );
    }
}

#[test]
fn no_paragraph_is_contained_in_another_and_headings_appear_once() {
    let Some(dir) = common::seeds() else { return };
    for f in common::seed_files(&dir) {
        let doc = process(&f);
        let paras = common::paragraph_texts(&doc);
        let is_prose = |i: usize| doc.paragraphs[i].kind == kiji::document::BlockKind::Paragraph;
        for (i, a) in paras.iter().enumerate() {
            for (j, b) in paras.iter().enumerate() {
                if i != j && is_prose(i) && is_prose(j) && a.chars().count() >= 8 {
                    assert!(
                        !b.contains(a.as_str()) || a == b && i > j,
                        "{}: paragraph {i} is inside {j}: {a}",
                        doc.id
                    );
                }
            }
        }
        let headings: Vec<&String> = doc
            .paragraphs
            .iter()
            .zip(&paras)
            .filter(|(p, _)| p.kind == kiji::document::BlockKind::Heading)
            .map(|(_, t)| t)
            .collect();
        let mut unique = headings.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), headings.len(), "{}: repeated heading", doc.id);
    }
}

#[test]
fn word_split_across_marker_is_repaired_in_004() {
    let Some(dir) = common::seeds() else { return };
    let doc = process(&dir.join("004_5998e43fb4ac2895.txt"));
    assert!(doc.text.contains("自国の技術基盤"));
    assert!(doc.dedup.markers > 0 && doc.dedup.stitched > 0);
}

#[test]
fn every_company_of_the_000_table_is_an_entity_and_every_row_a_record() {
    let Some(dir) = common::seeds() else { return };
    let doc = process(&dir.join("000_e73c298bf010d9e2.txt"));
    let table = doc
        .paragraphs
        .iter()
        .find(|p| p.kind == kiji::document::BlockKind::Table)
        .unwrap();
    let companies: Vec<(usize, usize)> = doc
        .entities
        .iter()
        .filter(|e| matches!(e.kind, EntityKind::Company { .. }))
        .map(|e| (e.start, e.end))
        .collect();
    let table_text: String = doc
        .text
        .chars()
        .skip(table.start)
        .take(table.end - table.start)
        .collect();
    let mut rows_with_pairs = 0;
    let mut offset = table.start;
    for (i, row) in table_text.split('\n').enumerate() {
        let cells: Vec<&str> = row.split(" | ").collect();
        if i > 0 {
            for cell in &cells[..2] {
                if cell.starts_with('(') {
                    continue;
                }
                let name = cell.split('(').next().unwrap();
                let at = offset + row.find(name).map(|b| row[..b].chars().count()).unwrap();
                assert!(
                    companies.iter().any(|&(s, e)| s <= at && at < e),
                    "table company {name} is not an entity"
                );
            }
            if !cells[1].starts_with('(') {
                rows_with_pairs += 1;
                let a = cells[0].split('(').next().unwrap();
                let year: i32 = cells[2][..4].parse().unwrap();
                assert!(
                    doc.records.iter().any(|r| r.year == Some(year)
                        && r.evidence
                            .iter()
                            .any(|e| e.source == "table" && e.text.starts_with(a))),
                    "no record for table row {row}"
                );
            }
        }
        offset += row.chars().count() + 1;
    }
    assert_eq!(rows_with_pairs, 17);
}

#[test]
fn english_paragraph_of_002_gives_one_investment_per_named_investor() {
    let Some(dir) = common::seeds() else { return };
    let doc = process(&dir.join("002_595c76a51a603209.txt"));
    assert_eq!(doc.lang, kiji::document::Lang::Mixed);
    let english = doc.paragraphs.iter().find(|p| {
        let t: String = doc
            .text
            .chars()
            .skip(p.start)
            .take(p.end - p.start)
            .collect();
        t.starts_with("Eight Japanese corporations")
    });
    assert_eq!(english.map(|p| p.lang), Some(kiji::document::Lang::En));
    // The records model decides each investor's pair on its own (the last of
    // the list scores at the threshold): at least four of the five, and every
    // one found with its roles.
    let mut found = 0;
    for investor in [
        "NEC",
        "本田技研工業",
        "ソニーグループ",
        "日本製鉄",
        "神戸製鋼所",
    ] {
        let Some(r) = doc.records.iter().find(|r| {
            r.companies.contains(&investor.to_string())
                && r.companies.contains(&"ソフトバンク".to_string())
        }) else {
            continue;
        };
        found += 1;
        let roles: Vec<Option<&str>> = r.parties.iter().map(|p| p.role.as_deref()).collect();
        assert!(
            roles.contains(&Some("investor")) && roles.contains(&Some("investee")),
            "{r:?}"
        );
    }
    assert!(found >= 4, "{found} of the five investors have a record");
}

#[test]
fn eval_meets_the_targets() {
    let Some(dir) = common::seeds() else { return };
    let report = kiji::eval::evaluate(common::pipeline(), &dir.join("gold.json"), &dir).unwrap();
    let t = &report.totals;
    println!("{}", report.table());
    assert!(t["companies"].f1 >= 0.95, "companies {:?}", t["companies"]);
    assert!(t["amounts"].f1 >= 0.95, "amounts {:?}", t["amounts"]);
    assert!(t["years"].f1 >= 0.95, "years {:?}", t["years"]);
    assert!(t["verbs"].recall >= 0.90, "verbs {:?}", t["verbs"]);
    // Spending in general (設備投資, 投資家) is not a deal term.
    assert!(t["verbs"].precision >= 0.90, "verbs {:?}", t["verbs"]);
    assert!(
        t["partnerships"].recall >= 0.90,
        "partnerships {:?}",
        t["partnerships"]
    );
    assert!(
        t["partnerships"].precision >= 0.85,
        "partnerships {:?}",
        t["partnerships"]
    );
}

#[test]
fn seeds_in_legacy_encodings_give_identical_text_and_entities() {
    let Some(dir) = common::seeds() else { return };
    for f in common::seed_files(&dir) {
        let utf8 = std::fs::read_to_string(&f).unwrap();
        let base = process(&f);
        let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
        for enc in [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
            let (bytes, _, unmappable) = enc.encode(&utf8);
            if !unmappable {
                variants.push((enc.name(), bytes.into_owned()));
            }
        }
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf8.encode_utf16().flat_map(|u| u.to_le_bytes()));
        variants.push(("UTF-16LE", le));
        for (name, bytes) in variants {
            let doc = common::pipeline()
                .process(&Input {
                    id: base.id.clone(),
                    format: Format::Text,
                    content: Content::Bytes(bytes),
                })
                .unwrap();
            assert_eq!(doc.source.encoding, name);
            assert_eq!(doc.text, base.text, "{} in {name}", base.id);
            assert_eq!(doc.entities, base.entities, "{} in {name}", base.id);
        }
    }
}

/// Complete sentences (ending with 。) of a raw seed line, normalized and without Markdown.
fn raw_sentences(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (_, front_matter_lines, _) = kiji::ingest::markdown::front_matter(raw);
    for line in raw.lines().skip(front_matter_lines) {
        if kiji::ingest::markdown::is_marker(line) || line.trim_start().starts_with('|') {
            continue;
        }
        let line = kiji::normalize::normalize(&kiji::ingest::markdown::strip_inline(
            line.trim_start_matches(['#', ' ']),
        ));
        let mut rest = line.as_str();
        let mut first = true;
        while let Some(pos) = rest.find('。') {
            let s = &rest[..pos + '。'.len_utf8()];
            // The first piece of a line may be the tail of a cut sentence: skip it
            // only when the line starts mid-sentence (continuation after a marker).
            if !(first && (s.starts_with("...") || s.starts_with('…'))) && s.chars().count() >= 10
            {
                out.push(s.trim().to_string());
            }
            rest = &rest[pos + '。'.len_utf8()..];
            first = false;
        }
    }
    out
}

#[test]
fn every_complete_sentence_of_the_raw_article_is_kept() {
    let Some(dir) = common::seeds() else { return };
    for f in common::seed_files(&dir) {
        let doc = process(&f);
        let raw = std::fs::read_to_string(&f).unwrap();
        let text: String = doc.text.chars().filter(|c| !c.is_whitespace()).collect();
        let kept_sentences: Vec<String> = text.split_inclusive('。').map(str::to_string).collect();
        let mut missing = Vec::new();
        for s in raw_sentences(&raw) {
            let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            if text.contains(&compact) {
                continue;
            }
            // Allowed: a variant of a kept near-duplicate (similar kept sentence),
            // or a sentence that a cut fragment began (a kept sentence starts the same way).
            let sh = kiji::dedup::shingles(&compact);
            let variant = kept_sentences.iter().any(|k| {
                let (jaccard, containment) =
                    kiji::dedup::similarity(&sh, &kiji::dedup::shingles(k));
                jaccard >= 0.5 || containment >= 0.8
            });
            if !variant {
                missing.push(s);
            }
        }
        assert!(
            missing.is_empty(),
            "{}: {} sentences lost: {:#?}",
            doc.id,
            missing.len(),
            missing
        );
    }
}
