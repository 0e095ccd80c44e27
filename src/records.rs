//! Records stage: partnership records from tables and sentences.
//!
//! Input: the document `text`, its paragraphs and entities (byte offsets).
//! Output: [`Record`]s, one per unordered company pair, with all evidence.
//!
//! - **Tables**: columns are classified by header and content
//!   ([`crate::table::classify`]); each row with two companies gives a record
//!   with the row's year (`year_source: table`), the deal term and amount of its
//!   description. A cell that is only a bracket (`(社内開発AI)`) is not a company,
//!   and a bracketed country after a company becomes that party's country.
//! - **Japanese sentences**: companies are marked by the particle after them:
//!   は/が (subject), と/とは/との/とも/に/へ/を (partner), 、/や/・/および (a list
//!   that shares the next mark). With a deal term in the sentence, subjects ×
//!   partners give records (`AはBと業務提携を締結`, `AとBが提携`, `AがBに出資`,
//!   `A、Bと協業`). `Aが開発した…をBが導入` gives an adoption record. A sentence
//!   with one partner company and no subject takes its subject from the
//!   section heading when the heading names exactly one company.
//! - **English sentences**: companies before the first deal term are subjects,
//!   after it objects (`A partners with B`, `X invested in Y`, `NEC, Honda and
//!   Sony have invested in a new Softbank unit`); two subjects and no object
//!   (`A and B signed`) give one record.
//! - Directional terms (investment, acquisition) give roles
//!   investor/investee and acquirer/target.
//! - `year`: the sentence's year, else the nearest year before it in the
//!   paragraph (`year_source`); years of targets (`2030年までに`, `by 2030`) are
//!   never deal years. `amount`: the amount stated in the same sentence or row.

use std::collections::HashMap;

use crate::document::{BlockKind, EntityKind, Evidence, Money, Party, Record};
use crate::table::{self, Column};

/// An entity with byte offsets into the document text.
#[derive(Debug, Clone, PartialEq)]
pub struct ByteEntity {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Typed fields.
    pub kind: EntityKind,
}

/// A paragraph with byte offsets into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteParagraph {
    /// Block kind.
    pub kind: BlockKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

struct Mention<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    country: Option<String>,
    mark: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Source,
    Topic,
    Subject,
    Partner,
    Object,
    List,
    Of,
    None,
}

fn company_name(kind: &EntityKind) -> Option<(&str, Option<String>)> {
    match kind {
        EntityKind::Company { name, country, .. } => Some((name.as_str(), country.clone())),
        _ => None,
    }
}

fn directional(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind {
        "investment" => Some(("investor", "investee")),
        "acquisition" => Some(("acquirer", "target")),
        _ => None,
    }
}

/// Splits a paragraph into sentences (byte ranges relative to the document).
pub fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    let para = &text[start..end];
    let mut iter = para.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let boundary = match c {
            '。' | '!' | '?' | '\n' => true,
            '.' => next.is_none_or(|n| n == ' ' || n == '\n') && !abbreviation_before(para, i),
            _ => false,
        };
        if boundary {
            let e = start + i + c.len_utf8();
            if text[s..e].trim().len() > 1 {
                out.push((s, e));
            }
            s = e;
        }
    }
    if text[s..end].trim().len() > 1 {
        out.push((s, end));
    }
    out
}

fn abbreviation_before(para: &str, dot: usize) -> bool {
    let word = para[..dot].rsplit([' ', '\n']).next().unwrap_or("");
    matches!(
        word,
        "Inc"
            | "Corp"
            | "Ltd"
            | "Co"
            | "Mr"
            | "Ms"
            | "Dr"
            | "U.S"
            | "No"
            | "St"
            | "vs"
            | "approx"
            | "e.g"
            | "i.e"
    ) || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// The entities (sorted by start) that start in `start..end` and end by `end`.
fn within(entities: &[ByteEntity], start: usize, end: usize) -> Vec<&ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .collect()
}

/// [`within`] for a slice of references.
fn within_refs<'a>(entities: &[&'a ByteEntity], start: usize, end: usize) -> Vec<&'a ByteEntity> {
    let a = entities.partition_point(|e| e.start < start);
    let b = entities.partition_point(|e| e.start < end);
    entities[a..b.max(a)]
        .iter()
        .filter(|e| e.end <= end)
        .copied()
        .collect()
}

/// Builds the records of a document. `entities` must be sorted by start.
pub fn build(text: &str, paragraphs: &[ByteParagraph], entities: &[ByteEntity]) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut heading_company: Option<String> = None;
    for p in paragraphs {
        let inside: Vec<&ByteEntity> = within(entities, p.start, p.end);
        match p.kind {
            BlockKind::Heading => {
                let mut names: Vec<&str> = inside
                    .iter()
                    .filter_map(|e| company_name(&e.kind).map(|c| c.0))
                    .collect();
                names.dedup();
                heading_company = (names.len() == 1).then(|| names[0].to_string());
            }
            BlockKind::Table => records.extend(table_records(text, p, &inside)),
            BlockKind::Paragraph => {
                let mut last_year: Option<i32> = None;
                for (s, e) in sentences(text, p.start, p.end) {
                    let in_sentence: Vec<&ByteEntity> = within_refs(&inside, s, e);
                    let sentence_year = deal_year(text, &in_sentence);
                    records.extend(sentence_records(
                        text,
                        s,
                        e,
                        &in_sentence,
                        sentence_year,
                        last_year,
                        heading_company.as_deref(),
                    ));
                    if let Some(y) = in_sentence.iter().rev().find_map(|x| match x.kind {
                        EntityKind::Year { year, .. } if !is_target_year(text, x) => Some(year),
                        _ => None,
                    }) {
                        last_year = Some(y);
                    }
                }
            }
            BlockKind::Marker => {}
        }
    }
    merge(records)
}

fn is_target_year(text: &str, e: &ByteEntity) -> bool {
    let after = &text[e.end..];
    let before = &text[..e.start];
    after.starts_with("まで")
        || after.starts_with("を目")
        || after.starts_with("以降")
        || before.ends_with("by ")
        || before.ends_with("By ")
}

fn deal_year(text: &str, ents: &[&ByteEntity]) -> Option<i32> {
    ents.iter().find_map(|x| match x.kind {
        EntityKind::Year { year, .. } if !is_target_year(text, x) => Some(year),
        _ => None,
    })
}

fn first_amount(ents: &[&ByteEntity]) -> Option<Money> {
    ents.iter().find_map(|x| match &x.kind {
        EntityKind::Amount {
            value,
            currency,
            per_unit: false,
            ..
        } => Some(Money {
            value: *value,
            currency: currency.clone(),
        }),
        _ => None,
    })
}

/// The deal term: the first one that is not a bare agreement word (締結, 契約), else the first.
fn best_verb<'a>(text: &'a str, ents: &[&ByteEntity]) -> Option<(&'a str, String)> {
    ents.iter()
        .filter_map(|x| match &x.kind {
            EntityKind::Verb { kind, .. } => Some((&text[x.start..x.end], kind.clone())),
            _ => None,
        })
        .find(|(_, k)| k != "agreement")
        .or_else(|| {
            ents.iter().find_map(|x| match &x.kind {
                EntityKind::Verb { kind, .. } => Some((&text[x.start..x.end], kind.clone())),
                _ => None,
            })
        })
}

fn make_record(
    parties: Vec<Party>,
    verb: Option<(&str, String)>,
    year: Option<i32>,
    year_source: Option<&str>,
    amount: Option<Money>,
    evidence: Evidence,
) -> Record {
    Record {
        record_type: "partnership".into(),
        companies: parties.iter().map(|p| p.name.clone()).collect(),
        parties,
        kind: verb.as_ref().map(|v| v.1.clone()),
        verb: verb.map(|v| v.0.to_string()),
        year,
        year_source: year.and(year_source.map(str::to_string)),
        amount,
        evidence: vec![evidence],
    }
}

fn party(name: &str, country: Option<String>, role: Option<&str>) -> Party {
    Party {
        name: name.to_string(),
        country,
        role: role.map(str::to_string),
    }
}

fn table_records(text: &str, p: &ByteParagraph, inside: &[&ByteEntity]) -> Vec<Record> {
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
        .filter(|e| company_name(&e.kind).is_some())
        .map(|e| &text[e.start..e.end])
        .collect();
    let has_company = |cell: &str| -> bool {
        company_surfaces.contains(cell.split('(').next().unwrap_or(cell).trim())
    };
    let columns = table::classify(&row_texts, has_company);
    let header = table::has_header(&row_texts);
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
        let verb = best_verb(text, &desc);
        if let Some((role_a, role_b)) = verb.as_ref().and_then(|v| directional(&v.1)) {
            parties[0].role = Some(role_a.into());
            parties[1].role = Some(role_b.into());
        }
        let evidence = Evidence {
            source: "table".into(),
            text: row.to_string(),
            start: row_start,
            end: row_start + row.len(),
        };
        let amount = first_amount(&desc);
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

/// The ISO code in a trailing bracket of a table cell (`OpenAI(米国)`), from the extractor's country.
fn bracket_country(cell: &str) -> Option<String> {
    let open = cell.rfind('(')?;
    let inner = cell[open + 1..].trim_end_matches(')');
    crate::lexicon::country_code(inner)
}

fn ja_mark(rest: &str) -> Mark {
    let rest = skip_noise(rest);
    for (p, m) in [
        ("とは", Mark::Partner),
        ("との", Mark::Partner),
        ("とも", Mark::Partner),
        ("と", Mark::Partner),
        ("から", Mark::Source),
        ("には", Mark::Object),
        ("に", Mark::Object),
        ("へ", Mark::Object),
        ("を", Mark::Object),
        ("は", Mark::Topic),
        ("が", Mark::Subject),
        ("も", Mark::Topic),
        ("、", Mark::List),
        ("や", Mark::List),
        ("・", Mark::List),
        ("および", Mark::List),
        ("及び", Mark::List),
        (",", Mark::List),
        ("の", Mark::Of),
    ] {
        if rest.starts_with(p) {
            return m;
        }
    }
    Mark::None
}

/// Skips what stands between a company and its particle: 社, a bracket, spaces.
fn skip_noise(mut rest: &str) -> &str {
    loop {
        let before = rest;
        rest = rest.trim_start_matches(' ');
        rest = rest.strip_prefix('社').unwrap_or(rest);
        for filler in ["など", "等", "各社", "両社", "**"] {
            rest = rest.strip_prefix(filler).unwrap_or(rest);
        }
        // AとB、Cの3社は: the count belongs to the list.
        if let Some(after_no) = rest.strip_prefix('の') {
            let digits = after_no.trim_start_matches(|c: char| {
                c.is_ascii_digit() || "二三四五六七八九十両".contains(c)
            });
            if digits.len() < after_no.len() {
                if let Some(r) = digits.strip_prefix('社') {
                    rest = r;
                }
            }
        }
        if rest.starts_with('(') {
            if let Some(close) = rest.find(')') {
                if close < 160 {
                    rest = &rest[close + 1..];
                }
            }
        }
        if rest == before {
            return rest;
        }
    }
}

fn sentence_records(
    text: &str,
    s: usize,
    e: usize,
    ents: &[&ByteEntity],
    sentence_year: Option<i32>,
    paragraph_year: Option<i32>,
    heading_company: Option<&str>,
) -> Vec<Record> {
    let verbs: Vec<&&ByteEntity> = ents
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Verb { .. }))
        .collect();
    let adoption = ["導入", "採用", "展開", "活用"]
        .iter()
        .any(|w| text[s..e].contains(w));
    if verbs.is_empty() && !adoption {
        return Vec::new();
    }
    let sentence = &text[s..e];
    let english = crate::lang::paragraph_lang(sentence) == Some(crate::document::Lang::En);
    let mut mentions: Vec<Mention> = ents
        .iter()
        .filter_map(|x| {
            let (name, country) = company_name(&x.kind)?;
            Some(Mention {
                start: x.start,
                end: x.end,
                name,
                country,
                mark: if english {
                    Mark::None
                } else {
                    ja_mark(&text[x.end..e])
                },
            })
        })
        .collect();
    let mut distinct: Vec<&str> = mentions.iter().map(|m| m.name).collect();
    distinct.sort();
    distinct.dedup();
    let (year, year_source) = match (sentence_year, paragraph_year) {
        (Some(y), _) => (Some(y), Some("sentence")),
        (None, Some(y)) => (Some(y), Some("paragraph")),
        _ => (None, None),
    };
    let amount = first_amount(ents);
    // The evidence is the sentence without surrounding spaces, offsets included.
    let lead = sentence.len() - sentence.trim_start().len();
    let trail = sentence.len() - sentence.trim_end().len();
    let evidence = Evidence {
        source: "prose".into(),
        text: sentence.trim().to_string(),
        start: s + lead,
        end: e - trail,
    };
    let verb = best_verb(text, ents);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    if english {
        let Some(first_verb) = verbs
            .iter()
            .find(|v| mentions.first().is_some_and(|m| v.start > m.start))
        else {
            return out;
        };
        // A company named in an apposition (`X, the trading arm of Y, has …`) is not a party.
        let subjects: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].end <= first_verb.start)
            .filter(|&i| {
                let before = text[s..mentions[i].start].trim_end();
                !(before.ends_with(" of") || before.ends_with(" by"))
            })
            .collect();
        // Objects stop at the end of the verb's clause (", while …", "; …").
        let after_verb = &text[first_verb.end..e];
        let clause_end = [
            ", while ",
            " while ",
            "; ",
            ", but ",
            ", whereas ",
            ", and ",
            ", although ",
        ]
        .iter()
        .filter_map(|b| after_verb.find(b))
        .min()
        .map(|p| first_verb.end + p)
        .unwrap_or(e);
        let objects: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].start >= first_verb.end && mentions[i].end <= clause_end)
            .collect();
        for &a in &subjects {
            for &b in &objects {
                pairs.push((a, b));
            }
        }
        // "A and B signed …" / "A and B formed a joint venture (C)": the co-subjects
        // of a symmetric deal are partners of each other.
        let symmetric = verb.as_ref().is_some_and(|v| directional(&v.1).is_none());
        if subjects.len() == 2 && (objects.is_empty() || symmetric) {
            let between = &text[mentions[subjects[0]].end..mentions[subjects[1]].start];
            if between.trim() == "and" || between.trim() == "&" || objects.is_empty() {
                pairs.push((subjects[0], subjects[1]));
            }
        }
    } else {
        // A list shares the mark of the company that ends it.
        for i in (0..mentions.len()).rev() {
            if mentions[i].mark == Mark::List {
                if let Some(next) = mentions.get(i + 1) {
                    let gap = &text[mentions[i].end..next.start];
                    if gap.chars().count() <= 4 {
                        mentions[i].mark = next.mark;
                    }
                }
            }
        }
        // …が出資するJERA / …と提携したQuantia: the company after a deal verb in a
        // relative clause is its object.
        for m in mentions.iter_mut() {
            let before = &text[s..m.start];
            let relative = ["する", "した", "している", "していた"]
                .iter()
                .any(|v| before.ends_with(v))
                && verbs
                    .iter()
                    .any(|v| v.end <= m.start && m.start - v.end <= "している".len());
            if relative {
                m.mark = Mark::Object;
            }
        }
        let has_relative_object = mentions.iter().any(|m| m.mark == Mark::Object);
        // AとBが…: a partner right before a subject is a co-subject when an object follows.
        if has_relative_object {
            for i in 0..mentions.len().saturating_sub(1) {
                let gap = skip_noise(&text[mentions[i].end..mentions[i + 1].start]);
                if mentions[i].mark == Mark::Partner
                    && gap.chars().count() <= 2
                    && matches!(mentions[i + 1].mark, Mark::Subject | Mark::Topic)
                {
                    mentions[i].mark = mentions[i + 1].mark;
                }
            }
        }
        let topics: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].mark == Mark::Topic)
            .collect();
        let ga: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].mark == Mark::Subject)
            .collect();
        let subjects: Vec<usize> = (0..mentions.len())
            .filter(|&i| matches!(mentions[i].mark, Mark::Subject | Mark::Topic))
            .collect();
        let partners: Vec<usize> = (0..mentions.len())
            .filter(|&i| matches!(mentions[i].mark, Mark::Partner | Mark::Object))
            .collect();
        let sources: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].mark == Mark::Source)
            .collect();
        if !verbs.is_empty() && !subjects.is_empty() && !partners.is_empty() {
            for &a in &subjects {
                for &b in &partners {
                    pairs.push((a, b));
                }
            }
            // AとB、Cの3社は提携: co-subjects listed before the subject are partners too.
            let first_subject = subjects[0];
            let group: Vec<usize> = partners
                .iter()
                .copied()
                .filter(|&p| p < first_subject)
                .collect();
            if !group.is_empty() && partners.iter().all(|&p| p < first_subject) {
                for (k, &a) in subjects.iter().enumerate() {
                    for &b in &subjects[k + 1..] {
                        pairs.push((a, b));
                    }
                }
            }
        } else if !verbs.is_empty() && !subjects.is_empty() && !sources.is_empty() {
            // AはBから出資を受けた: B is the investor.
            for &a in &subjects {
                for &b in &sources {
                    pairs.push((b, a));
                }
            }
        } else if !verbs.is_empty() && partners.is_empty() && !topics.is_empty() && !ga.is_empty() {
            // AもBが協業する相手 / AはBが出資する企業: the topic is the other side.
            for &a in &topics {
                for &b in &ga {
                    pairs.push((b, a));
                }
            }
        } else if !verbs.is_empty() && subjects.is_empty() && !partners.is_empty() {
            // AとBの提携 / AとBで: the company after the first partner is the other side.
            let first = partners[0];
            if let Some(next) = mentions.get(first + 1) {
                if mentions[first].mark == Mark::Partner && next.mark != Mark::None {
                    pairs.push((first, first + 1));
                }
            }
            if pairs.is_empty() && distinct.len() == 1 && mentions[first].mark == Mark::Partner {
                if let Some(h) = heading_company.filter(|h| *h != mentions[first].name) {
                    let b = &mentions[first];
                    let parties =
                        vec![party(h, None, None), party(b.name, b.country.clone(), None)];
                    out.push(make_record(
                        parties,
                        verb.clone(),
                        year,
                        year_source,
                        amount.clone(),
                        evidence.clone(),
                    ));
                }
            }
        } else if verbs.is_empty() && adoption {
            // Aが開発した…をBが導入 (provider A, adopter B), AはBの…を導入 (adopter A,
            // provider B); with no adopter in the sentence, the section heading's company.
            for (i, m) in mentions.iter().enumerate() {
                let rest = skip_noise(&text[m.end..e]);
                let provides = ["が開発", "の開発", "が提供", "の提供"]
                    .iter()
                    .any(|p| rest.starts_with(p));
                if provides {
                    match (i + 1..mentions.len())
                        .find(|&j| matches!(mentions[j].mark, Mark::Subject | Mark::Topic))
                    {
                        Some(j) => pairs.push((j, i)),
                        None if !mentions
                            .iter()
                            .any(|x| matches!(x.mark, Mark::Subject | Mark::Topic)) =>
                        {
                            if let Some(h) = heading_company.filter(|h| *h != m.name) {
                                let parties = vec![
                                    party(h, None, None),
                                    party(m.name, m.country.clone(), None),
                                ];
                                let mut r = make_record(
                                    parties,
                                    None,
                                    year,
                                    year_source,
                                    amount.clone(),
                                    evidence.clone(),
                                );
                                r.kind = Some("adoption".into());
                                out.push(r);
                            }
                        }
                        None => {}
                    }
                } else if m.mark == Mark::Of {
                    if let Some(&a) = topics.iter().chain(&ga).find(|&&a| a < i) {
                        pairs.push((a, i));
                    }
                }
            }
        }
    }
    // Adoption (no deal term) is directional too: adopter, provider.
    let role = if verbs.is_empty() {
        Some(("adopter", "provider"))
    } else {
        verb.as_ref().and_then(|v| directional(&v.1))
    };
    for (a, b) in pairs {
        let (ma, mb) = (&mentions[a], &mentions[b]);
        if ma.name == mb.name {
            continue;
        }
        // Symmetric deals list the companies in order of appearance.
        let (ma, mb) = if role.is_none() && mb.start < ma.start {
            (mb, ma)
        } else {
            (ma, mb)
        };
        let parties = vec![
            party(ma.name, ma.country.clone(), role.map(|r| r.0)),
            party(mb.name, mb.country.clone(), role.map(|r| r.1)),
        ];
        let (verb, kind_override) = if verbs.is_empty() {
            (None, Some("adoption"))
        } else {
            (verb.clone(), None)
        };
        let mut r = make_record(
            parties,
            verb,
            year,
            year_source,
            amount.clone(),
            evidence.clone(),
        );
        if let Some(k) = kind_override {
            r.kind = Some(k.to_string());
        }
        out.push(r);
    }
    out
}

fn pair_key(r: &Record) -> (String, String) {
    let (a, b) = (r.companies[0].clone(), r.companies[1].clone());
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn source_rank(s: Option<&str>) -> u8 {
    match s {
        Some("table") => 0,
        Some("sentence") => 1,
        Some("paragraph") => 2,
        _ => 3,
    }
}

/// Merges records of the same unordered pair, keeping all evidence; the year
/// comes from the best source (table, then sentence, then paragraph).
pub fn merge(records: Vec<Record>) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for r in records {
        let key = pair_key(&r);
        match index.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                if source_rank(r.year_source.as_deref()) < source_rank(kept.year_source.as_deref())
                {
                    kept.year = r.year;
                    kept.year_source = r.year_source.clone();
                }
                if kept.amount.is_none() {
                    kept.amount = r.amount.clone();
                }
                if kept.verb.is_none() {
                    kept.verb = r.verb.clone();
                    kept.kind = r.kind.clone();
                }
                for p in &r.parties {
                    if let Some(k) = kept.parties.iter_mut().find(|k| k.name == p.name) {
                        if k.role.is_none() {
                            k.role = p.role.clone();
                        }
                        if k.country.is_none() {
                            k.country = p.country.clone();
                        }
                    }
                }
                for ev in r.evidence {
                    if !kept.evidence.contains(&ev) {
                        kept.evidence.push(ev);
                    }
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(r);
            }
        }
    }
    out
}
