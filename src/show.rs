//! `kiji show`: one self-contained HTML page of what kiji found.
//!
//! Per document: the clean text with every entity highlighted by type
//! (company, amount, year, verb; canonical name, value and currency, year and
//! rule in its tooltip), the records as a table whose evidence links scroll to
//! the sentence, and the de-duplication repairs (marked in the text: joined
//! paragraphs outlined, dropped ones struck through where they stood). An index at the top lists the
//! documents with their counts and filters the highlights by type. With a gold
//! file (the seeds' or the dev set's format), entities and records that match
//! gold ([`crate::eval::marks`], the matching of `kiji eval`) are marked `hit`,
//! the others `fp`, gold items kiji did not find are listed, and each document
//! shows its precision and recall per row of `kiji eval`.
//!
//! The page has no external assets (inline CSS and a few lines of script) and
//! every text from an article is escaped by maud: an article holding
//! `<script>` shows it as text.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::batch::{process_guarded, Outcome};
use crate::document::{Document, EntityKind};
use crate::error::{KijiError, Result};
use crate::eval::{GoldFile, Marks, Score};
use crate::ingest::{self, Limits};
use crate::pipeline::Pipeline;

/// Documents to show and the inputs that failed, as (id, message).
pub type Loaded = (Vec<Document>, Vec<(String, String)>);

/// Processes files and folders (as `kiji ingest` finds them), in path order.
pub fn process_paths(pipeline: &Pipeline, paths: &[PathBuf]) -> Loaded {
    let discovery = ingest::discover(paths, &Limits::default());
    let outcomes: Vec<Outcome> = discovery
        .inputs
        .par_iter()
        .map(|input| process_guarded(pipeline, input))
        .collect();
    let mut docs = Vec::new();
    let mut failed = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Ok(doc) => docs.push(*doc),
            Outcome::Failed(id, message) => failed.push((id, message)),
        }
    }
    (docs, failed)
}

/// Reads documents from kiji JSON Lines output files; error lines and lines
/// that are not documents are returned as failures (`FILE:LINE`).
pub fn read_jsonl(paths: &[PathBuf]) -> Result<Loaded> {
    let mut docs = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        let file = std::fs::File::open(path).map_err(|e| KijiError::io(path, e))?;
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| KijiError::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Document>(&line) {
                Ok(doc) => docs.push(doc),
                Err(e) => failed.push((format!("{}:{}", path.display(), n + 1), e.to_string())),
            }
        }
    }
    Ok((docs, failed))
}

/// The gold annotation of a document: by its id, else by its file name.
pub fn gold_for<'a>(gold: &'a BTreeMap<String, GoldFile>, id: &str) -> Option<&'a GoldFile> {
    gold.get(id).or_else(|| {
        let name = Path::new(id).file_name()?.to_str()?;
        gold.get(name)
    })
}

/// One document to show, with its gold annotation and scores when known.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    /// The processed document.
    pub doc: &'a Document,
    /// What matches its gold annotation and what it misses, for `--gold`.
    pub marks: Option<Marks>,
    /// Its scores against `gold` (rows of `kiji eval`).
    pub scores: Option<BTreeMap<String, Score>>,
}

const STYLE: &str = r#"
body{font-family:system-ui,"Hiragino Sans","Noto Sans CJK JP",sans-serif;margin:1.5em;line-height:1.7;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:2px 6px;font-size:.9em;vertical-align:top}
details{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.3em .8em} summary{cursor:pointer;font-weight:600}
.text p{margin:.4em 0;white-space:pre-wrap} .text p.heading{font-weight:700}
mark{border-radius:3px;padding:0 1px} mark.company{background:#cfe3ff} mark.amount{background:#d7f5d0}
mark.year{background:#ffe7b3} mark.verb{background:#f2d4f7}
mark.fp{outline:2px solid #e0413a} mark.hit{outline:2px solid #2e9b47}
tr.fp td{background:#fde2e1} tr.hit td{background:#e1f5e5}
.missed{color:#b3261e} p.dropped{color:#999;font-size:.85em} p.repaired{border-left:3px solid #f0a020;padding-left:6px} .repairs li{font-size:.85em;color:#555} .counts{color:#666;font-size:.85em}
.legend mark{margin-right:.6em} .hide-company mark.company,.hide-amount mark.amount,.hide-year mark.year,.hide-verb mark.verb{background:none;outline:none}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('input[data-type]').forEach(function(box){
  box.addEventListener('change',function(){
    document.body.classList.toggle('hide-'+box.dataset.type,!box.checked);
  });
});
document.getElementById('only').addEventListener('change',function(e){
  var t=e.target.value;
  document.querySelectorAll('tr[data-doc]').forEach(function(row){
    var hide=t!=='' && row.dataset[t]==='0';
    row.style.display=hide?'none':'';
    var d=document.getElementById(row.dataset.doc); if(d){d.style.display=hide?'none':'';}
  });
});
var only=location.hash.match(/only=(\w+)/);
if(only){var sel=document.getElementById('only'); sel.value=only[1]; sel.dispatchEvent(new Event('change'));}
document.querySelectorAll('a[data-open]').forEach(function(a){
  a.addEventListener('click',function(){
    var d=document.getElementById(a.dataset.open); if(d){d.open=true;}
  });
});
document.body.dataset.ready='1';
"#;

/// The page for `shown` (documents in the given order).
pub fn page(title: &str, shown: &[Shown]) -> String {
    let markup = html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (title) }
                p.legend {
                    "Highlight: "
                    @for t in ["company", "amount", "year", "verb"] {
                        label { input type="checkbox" checked data-type=(t); mark class=(t) { (t) } }
                    }
                    @if shown.iter().any(|s| s.marks.is_some()) {
                        " Gold: " mark.company.hit { "found" } mark.company.fp { "false positive" }
                        span.missed { "missed" }
                    }
                }
                p {
                    "Documents with: "
                    select #only {
                        option value="" { "any" }
                        @for t in ["company", "amount", "year", "verb", "record"] { option value=(t) { (t) "s" } }
                    }
                }
                (index(shown))
                @for (i, s) in shown.iter().enumerate() {
                    (document(i, s))
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    markup.into_string()
}

fn counts(doc: &Document) -> [usize; 5] {
    let mut c = [0; 5];
    for e in &doc.entities {
        let k = match e.kind {
            EntityKind::Company { .. } => 0,
            EntityKind::Amount { .. } => 1,
            EntityKind::Year { .. } => 2,
            EntityKind::Verb { .. } => 3,
        };
        c[k] += 1;
    }
    c[4] = doc.records.len();
    c
}

fn index(shown: &[Shown]) -> Markup {
    html! {
        table.index {
            tr { th { "document" } th { "companies" } th { "amounts" } th { "years" } th { "verbs" } th { "records" }
                 @if shown.iter().any(|s| s.scores.is_some()) { th { "companies P / R" } th { "records P / R" } } }
            @for (i, s) in shown.iter().enumerate() {
                @let c = counts(s.doc);
                tr data-doc=(format!("doc{i}")) data-company=(c[0]) data-amount=(c[1]) data-year=(c[2]) data-verb=(c[3]) data-record=(c[4]) {
                    td { a href=(format!("#doc{i}")) data-open=(format!("doc{i}")) { (s.doc.id) } }
                    @for n in c { td { (n) } }
                    @if let Some(scores) = &s.scores {
                        td { (pr(scores.get("companies"))) }
                        td { (pr(scores.get("partnerships_pair"))) }
                    }
                }
            }
        }
    }
}

fn pr(s: Option<&Score>) -> String {
    match s {
        Some(s) if s.predicted + s.gold > 0 => format!("{:.2} / {:.2}", s.precision, s.recall),
        _ => "–".into(),
    }
}

fn tooltip(kind: &EntityKind, rule: Option<&str>) -> String {
    match kind {
        EntityKind::Company { name, country, .. } => {
            let mut t = format!("company: {name}");
            if let Some(c) = country {
                t.push_str(&format!(" ({c})"));
            }
            if let Some(r) = rule {
                t.push_str(&format!(", rule {r}"));
            }
            t
        }
        EntityKind::Amount {
            value, currency, ..
        } => format!("amount: {value} {currency}"),
        EntityKind::Year { year, .. } => format!("year: {year}"),
        EntityKind::Verb { lemma, kind } => format!("verb: {lemma} ({kind})"),
    }
}

/// The text of paragraph `p` (characters `start..end`) with its entities
/// nested as `mark` elements and an anchor at each evidence start.
fn paragraph_text(
    prefix: &str,
    chars: &[char],
    (start, end): (usize, usize),
    doc: &Document,
    gold: Option<&HashSet<String>>,
    anchors: &[usize],
) -> Markup {
    // Entities of the paragraph, outer first; one that crosses an open one's end is cut off there.
    let mut ents: Vec<&crate::document::Entity> = doc
        .entities
        .iter()
        .filter(|e| e.start >= start && e.end <= end && e.start < e.end)
        .collect();
    ents.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    let mut out = String::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    for (pos, c) in chars
        .iter()
        .enumerate()
        .take(end.min(chars.len()))
        .skip(start)
    {
        while stack.last().is_some_and(|&e| e <= pos) {
            stack.pop();
            out.push_str("</mark>");
        }
        if anchors.binary_search(&pos).is_ok() {
            out.push_str(&format!("<a class=\"ev\" id=\"{prefix}-c{pos}\"></a>"));
        }
        while let Some(e) = ents.get(next).filter(|e| e.start == pos) {
            next += 1;
            if stack.last().is_some_and(|&outer| e.end > outer) {
                continue;
            }
            let mut class = e.type_name().to_string();
            if let (Some(g), EntityKind::Company { .. }) = (gold, &e.kind) {
                class.push_str(if g.contains(&e.text) { " hit" } else { " fp" });
            }
            let rule = match &e.kind {
                EntityKind::Company { rule, .. } => Some(rule.as_str()),
                _ => None,
            };
            out.push_str(&format!(
                "<mark class=\"{class}\" data-entity=\"{}\" title=\"{}\">",
                e.type_name(),
                html_escape::encode_double_quoted_attribute(&tooltip(&e.kind, rule))
            ));
            stack.push(e.end);
        }
        let mut buf = [0u8; 4];
        out.push_str(&html_escape::encode_text(c.encode_utf8(&mut buf)));
    }
    while stack.pop().is_some() {
        out.push_str("</mark>");
    }
    PreEscaped(out)
}

/// Evidence anchors of `doc`'s records: the character offsets they start at.
fn anchors(doc: &Document) -> Vec<usize> {
    let mut v: Vec<usize> = doc
        .records
        .iter()
        .flat_map(|r| r.evidence.iter().map(|e| e.start))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The text of `doc` with its entities; element ids start with `prefix`.
/// The de-duplication repairs are marked in place (with `--explain-dedup`):
/// a paragraph stitched or joined at a marker is outlined with the rule in its
/// tooltip; a dropped paragraph or a removed marker is shown struck through
/// where it stood, before the next kept paragraph of a later source line.
fn text_block(prefix: &str, doc: &Document, gold: Option<&HashSet<String>>) -> Markup {
    let chars: Vec<char> = doc.text.chars().collect();
    let anchors = anchors(doc);
    let repairs: &[crate::document::Repair] = doc.repairs.as_deref().unwrap_or(&[]);
    let kept = |a: &str| matches!(a, "joined" | "stitched" | "kept apart");
    let lines: Vec<u32> = doc.paragraphs.iter().map(|p| p.source_line).collect();
    // The repairs of paragraph k: those of its lines, before the next paragraph's.
    let of = |k: usize| -> Vec<&crate::document::Repair> {
        let (from, to) = (lines[k], lines.get(k + 1).copied().unwrap_or(u32::MAX));
        repairs
            .iter()
            .filter(|r| r.line >= from && r.line < to)
            .collect()
    };
    let dropped_before = |k: usize| -> Vec<&crate::document::Repair> {
        let from = if k == 0 { 0 } else { lines[k - 1] };
        let to = lines.get(k).copied().unwrap_or(u32::MAX);
        repairs
            .iter()
            .filter(|r| !kept(&r.action) && r.line >= from && r.line < to)
            .collect()
    };
    html! {
        div.text {
            @for (k, p) in doc.paragraphs.iter().enumerate() {
                @for r in dropped_before(k) {
                    p.dropped title=(format!("{} ({}), line {}", r.action, r.reason, r.line)) { del { (r.text) } }
                }
                @let fixes: Vec<String> = of(k).iter().filter(|r| kept(&r.action))
                    .map(|r| format!("{} ({}), line {}", r.action, r.reason, r.line)).collect();
                @let class = match (p.kind == crate::document::BlockKind::Heading, fixes.is_empty()) {
                    (true, true) => "heading", (true, false) => "heading repaired",
                    (false, true) => "", (false, false) => "repaired" };
                p class=(class) title=[(!fixes.is_empty()).then(|| fixes.join("; "))] {
                    (paragraph_text(prefix, &chars, (p.start, p.end), doc, gold, &anchors))
                }
            }
            @for r in dropped_before(doc.paragraphs.len()) {
                p.dropped title=(format!("{} ({}), line {}", r.action, r.reason, r.line)) { del { (r.text) } }
            }
        }
    }
}

/// The records of `doc` as a table; evidence links point into [`text_block`]'s ids.
fn records_table(prefix: &str, doc: &Document, in_gold: Option<&[bool]>) -> Markup {
    html! {
        @if !doc.records.is_empty() {
            table.records {
                tr { th { "parties" } th { "roles" } th { "kind" } th { "year" } th { "amount" } th { "evidence" } }
                @for (k, r) in doc.records.iter().enumerate() {
                    @let class = match in_gold.map(|g| g.get(k).copied().unwrap_or(false)) { Some(true) => "hit", Some(false) => "fp", None => "" };
                    tr class=(class) {
                        td { @for (k, p) in r.parties.iter().enumerate() { @if k > 0 { " × " } (p.name) } }
                        td { @for (k, p) in r.parties.iter().enumerate() { @if k > 0 { ", " } (p.role.as_deref().unwrap_or("–")) } }
                        td { (r.kind.as_deref().unwrap_or("–")) " " span.counts { (r.verb.as_deref().unwrap_or("")) } }
                        td { (r.year.map(|y| y.to_string()).unwrap_or_else(|| "–".into())) " " span.counts { (r.year_source.as_deref().unwrap_or("")) } }
                        td { @if let Some(m) = &r.amount { (format!("{} {}", m.value, m.currency)) } @else { "–" } }
                        td { @for (k, ev) in r.evidence.iter().enumerate() {
                            @if k > 0 { " " }
                            a href=(format!("#{prefix}-c{}", ev.start)) title=(ev.text) { (format!("[{}]", k + 1)) }
                        } }
                    }
                }
            }
        }
    }
}

/// One failing fixture for [`check_page`]: its id, the differences `kiji check`
/// printed, the expected document (when the expectation parses as one) and the new one.
#[derive(Debug, Clone)]
pub struct Changed {
    /// Article id.
    pub id: String,
    /// Differences, one per line.
    pub diff: Vec<String>,
    /// The expectation.
    pub expected: Option<Document>,
    /// The document kiji gives now.
    pub actual: Option<Document>,
}

/// The page of `kiji check --html`: per failing fixture its differences, then
/// the expected and the new document side by side (text with entities, records).
pub fn check_page(title: &str, changed: &[Changed], passed: usize) -> String {
    let side = |prefix: String, doc: &Option<Document>| -> Markup {
        html! {
            @match doc {
                Some(d) => { (text_block(&prefix, d, None)) (records_table(&prefix, d, None)) }
                None => { p.missed { "(none)" } }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="ja" {
            head { meta charset="utf-8"; title { (title) } style { (PreEscaped(STYLE)) } }
            body {
                h1 { (title) }
                p { (changed.len()) " changed, " (passed) " unchanged" }
                @for (i, c) in changed.iter().enumerate() {
                    details id=(format!("doc{i}")) open {
                        summary { (c.id) " " span.counts { (c.diff.len()) " differences" } }
                        ul.repairs { @for line in &c.diff { li { (line) } } }
                        table.sides {
                            tr { th { "expected" } th { "now" } }
                            tr {
                                td { (side(format!("d{i}-old"), &c.expected)) }
                                td { (side(format!("d{i}-new"), &c.actual)) }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

fn document(i: usize, s: &Shown) -> Markup {
    let doc = s.doc;
    let c = counts(doc);
    let marks = s.marks.as_ref();
    html! {
        details id=(format!("doc{i}")) {
            summary {
                (doc.id) " "
                span.counts { (format!("{} companies, {} amounts, {} years, {} verbs, {} records", c[0], c[1], c[2], c[3], c[4])) }
            }
            @if let Some(scores) = &s.scores {
                table.scores {
                    tr { th { "row" } th { "precision" } th { "recall" } th { "pred" } th { "gold" } }
                    @for (row, sc) in scores {
                        tr { td { (row) } td { (format!("{:.3}", sc.precision)) } td { (format!("{:.3}", sc.recall)) } td { (sc.predicted) } td { (sc.gold) } }
                    }
                }
            }
            @if let Some(m) = marks.filter(|m| !m.missed_companies.is_empty()) {
                p.missed { "Companies missed: " (m.missed_companies.join(", ")) }
            }
            (text_block(&format!("d{i}"), doc, marks.map(|m| &m.companies)))
            (records_table(&format!("d{i}"), doc, marks.map(|m| m.records.as_slice())))
            @if let Some(m) = marks.filter(|m| !m.missed_records.is_empty()) {
                p.missed { "Records missed: " (m.missed_records.join(", ")) }
            }
            @if let Some(repairs) = &doc.repairs {
                @if !repairs.is_empty() {
                    ul.repairs {
                        @for r in repairs {
                            li { b { (r.action) } " line " (r.line) " (" (r.reason) "): " (r.text) }
                        }
                    }
                }
            }
            @if !doc.warnings.is_empty() {
                ul.repairs { @for w in &doc.warnings { li { (w) } } }
            }
        }
    }
}
