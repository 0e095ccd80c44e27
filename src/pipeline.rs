//! The pipeline: ingest → normalize → dedup → tokenize → extract → records.
//! Only this module knows the order of the stages.
//!
//! A [`Pipeline`] is built once (it loads the dictionary and compiles the
//! lexicons), is `Send + Sync`, and processes one document per call.

use crate::document::{
    Block, BlockKind, Document, Entity, EntityKind, Lang, Paragraph, Parsed, Source,
};
use crate::error::{KijiError, Result};
use crate::extract::companies::{is_han, is_katakana};
use crate::extract::Extractor;
use crate::ingest::{self, decode, long_lines, Content, Format, Input, Limits};
use crate::lexicon::Lexicons;
use crate::records::{self, ByteEntity, ByteParagraph, Candidates};
use crate::tokenize::{Analyzer, DictionaryLocation, Token};
use crate::{dedup, lang, normalize};

/// Options of a [`Pipeline`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the dictionary is.
    pub dictionary: DictionaryLocation,
    /// Input limits.
    pub limits: Limits,
    /// Keep the decoded body in `raw`.
    pub keep_raw: bool,
    /// List every repair of the dedup stage in `repairs`.
    pub explain_dedup: bool,
    /// Which company model to load.
    pub company_model: crate::extract::companies::model::ModelSource,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dictionary: DictionaryLocation::from_env(),
            limits: Limits::default(),
            keep_raw: false,
            explain_dedup: false,
            company_model: Default::default(),
        }
    }
}

/// The whole processing pipeline, built once and shared across threads.
#[derive(Debug)]
pub struct Pipeline {
    analyzer: Analyzer,
    extractor: Extractor,
    deals: records::Deals,
    options: Options,
}

/// A block laid out in `text`: byte range and the byte offset of each line.
struct Laid {
    kind: BlockKind,
    start: usize,
    end: usize,
    lines: Vec<(usize, u32)>,
}

impl Pipeline {
    /// Loads the dictionary (building it into the cache on first use) and the lexicons.
    pub fn new(options: Options) -> Result<Self> {
        Self::build(options, &Lexicons::bundled()?, true)
    }

    /// Builds a pipeline over other lexicons than the bundled ones (training
    /// measures the company models with rows of the gazetteer left out); its
    /// user dictionary is built each time, never cached.
    pub fn with_lexicons(options: Options, lexicons: &Lexicons) -> Result<Self> {
        Self::build(options, lexicons, false)
    }

    fn build(options: Options, lexicons: &Lexicons, cache: bool) -> Result<Self> {
        let model = crate::extract::companies::model::CompanyModel::load(&options.company_model)?;
        let extractor = Extractor::with_model(lexicons, model)?;
        let deals = records::Deals::load(lexicons)?;
        let words: Vec<&str> = extractor
            .companies
            .surfaces()
            .filter(|s| s.chars().any(normalize::is_japanese))
            .collect();
        let analyzer = Analyzer::load_with(&options.dictionary, &words, cache)?;
        Ok(Pipeline {
            analyzer,
            extractor,
            deals,
            options,
        })
    }

    /// Builds a pipeline with default options (dictionary location from the environment).
    pub fn with_defaults() -> Result<Self> {
        Self::new(Options::default())
    }

    /// Replaces the English company model and its mode (cross-validation).
    pub fn set_english_model(
        &mut self,
        model: Option<crate::extract::companies::model::CompanyModel>,
        mode: crate::extract::companies::english::Mode,
    ) {
        self.extractor.companies.set_english(model, mode);
    }

    /// Sets the least confidence of the English model's spans (cross-validation).
    pub fn set_english_min_confidence(&mut self, p: f32) {
        self.extractor.companies.set_english_min_confidence(p);
    }

    /// The morphological analyzer.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The extractors.
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The tokens the extractors get for one laid-out paragraph. Morphological
    /// analysis is for Japanese: a paragraph without a Japanese character gets
    /// none (no rule uses tokens of Latin text).
    pub fn paragraph_tokens(&self, paragraph: &str) -> Result<Vec<Token>> {
        if paragraph.chars().any(normalize::is_japanese) {
            self.analyzer.tokenize(paragraph)
        } else {
            Ok(Vec::new())
        }
    }

    /// Processes Markdown or plain text given in memory.
    pub fn process_text(&self, id: &str, text: &str) -> Result<Document> {
        self.process(&Input {
            id: id.to_string(),
            format: Format::Markdown,
            content: Content::Bytes(text.as_bytes().to_vec()),
        })
    }

    /// Processes one input: read, decode, parse, then [`Pipeline::process_parsed`].
    pub fn process(&self, input: &Input) -> Result<Document> {
        self.run(input, None)
    }

    /// [`Pipeline::process`], also giving the records stage's candidates (with
    /// byte offsets into the document text) for training and error analysis.
    pub fn process_with_candidates(&self, input: &Input) -> Result<(Document, Candidates)> {
        let mut candidates = Candidates::default();
        let doc = self.run(input, Some(&mut candidates))?;
        Ok((doc, candidates))
    }

    /// The records stage's lexicons and model.
    pub fn deals(&self) -> &records::Deals {
        &self.deals
    }

    fn run(&self, input: &Input, keep: Option<&mut Candidates>) -> Result<Document> {
        let limits = &self.options.limits;
        let (text, encoding, replaced, bytes, meta) = match &input.content {
            Content::File(path) => {
                let raw = ingest::read_limited(path, limits)?;
                let d = decode::decode(&raw)?;
                (d.text, d.encoding, d.replaced, raw.len() as u64, None)
            }
            Content::Bytes(raw) => {
                if raw.len() as u64 > limits.max_file_bytes {
                    return Err(KijiError::Limit {
                        what: "file size",
                        actual: raw.len() as u64,
                        limit: limits.max_file_bytes,
                        flag: "--max-file-bytes",
                    });
                }
                let d = decode::decode(raw)?;
                (d.text, d.encoding, d.replaced, raw.len() as u64, None)
            }
            Content::Unreadable(message) => return Err(KijiError::Unreadable(message.clone())),
            Content::Text { body, meta } => {
                (body.clone(), "UTF-8", 0, body.len() as u64, Some(meta))
            }
            Content::JsonLine {
                path,
                offset,
                len,
                line,
            } => {
                let raw = ingest::read_json_line(path, *offset, *len)?;
                let (format, content) = ingest::json_article(&raw)?;
                let mut doc = self.process(&Input {
                    id: input.id.clone(),
                    format,
                    content,
                })?;
                // Everything in a JSON line comes from that line of the file.
                for e in &mut doc.entities {
                    e.source_line = *line;
                }
                for p in &mut doc.paragraphs {
                    p.source_line = *line;
                }
                doc.source = Source {
                    format: "jsonl".into(),
                    encoding: "UTF-8".into(),
                    bytes: *len,
                };
                return Ok(doc);
            }
        };
        if text.contains('\0') {
            return Err(KijiError::Binary("NUL characters in the text".into()));
        }
        // Lines over the limit become paragraphs cut at sentence ends (HTML:
        // after parsing, since its paragraphs come from its tags).
        let (text, mut split) = if input.format == Format::Html {
            (text, 0)
        } else {
            long_lines::split_text(text, limits.max_line_bytes)
        };
        let mut parsed = ingest::parse(&text, input.format);
        split += long_lines::split_blocks(&mut parsed.blocks, limits.max_line_bytes);
        if split > 0 {
            parsed.warnings.push(format!(
                "{split} line(s) over the line limit of {} bytes split into paragraphs at sentence ends (--max-line-bytes)",
                limits.max_line_bytes
            ));
        }
        if replaced > 0 {
            parsed.warnings.push(format!(
                "{replaced} invalid byte sequence(s) replaced with U+FFFD"
            ));
        }
        if let Some(meta) = meta {
            let m = &mut parsed.meta;
            m.title = meta.title.clone().or(m.title.take());
            m.date = meta.date.clone().or(m.date.take());
            m.author = meta.author.clone().or(m.author.take());
            m.url = meta.url.clone().or(m.url.take());
            if !meta.tags.is_empty() {
                m.tags = meta.tags.clone();
            }
            if !meta.categories.is_empty() {
                m.categories = meta.categories.clone();
            }
        }
        let source = Source {
            format: input.format.name().to_string(),
            encoding: encoding.to_string(),
            bytes,
        };
        let raw = self.options.keep_raw.then_some(text);
        let mut doc = self.parsed(&input.id, parsed, source, keep)?;
        doc.raw = raw;
        Ok(doc)
    }

    /// Runs normalize, dedup, tokenize, extract and records on a parsed body.
    pub fn process_parsed(&self, id: &str, parsed: Parsed, source: Source) -> Result<Document> {
        self.parsed(id, parsed, source, None)
    }

    fn parsed(
        &self,
        id: &str,
        parsed: Parsed,
        source: Source,
        keep: Option<&mut Candidates>,
    ) -> Result<Document> {
        // normalize
        let blocks = normalize::normalize_blocks(parsed.blocks);
        // dedup
        let (blocks, stats, repairs) =
            dedup::dedup_with(blocks, Some(&self.analyzer), self.options.explain_dedup);
        // layout
        let (text, laid) = layout(&blocks);
        // tokenize + extract
        let mut spans: Vec<ByteEntity> = Vec::new();
        for block in &laid {
            let para = &text[block.start..block.end];
            let tokens = self.paragraph_tokens(para)?;
            for s in self.extractor.paragraph(para, &tokens) {
                spans.push(ByteEntity {
                    start: block.start + s.start,
                    end: block.start + s.end,
                    kind: s.kind,
                });
            }
        }
        propagate_companies(&self.extractor.companies, &text, &laid, &mut spans);
        drop_person_names(&self.extractor.companies, &text, &mut spans);
        share_names(&mut spans);
        share_countries(&mut spans);
        let meta_year = parsed
            .meta
            .date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        relative_years(meta_year, &text, &laid, &mut spans, &self.extractor.years);
        // Amounts in a table column whose header gives the unit (金額(円)).
        for a in self.extractor.money.column_amounts(&text) {
            if !spans.iter().any(|s| s.start < a.end && a.start < s.end) {
                spans.push(ByteEntity {
                    start: a.start,
                    end: a.end,
                    kind: a.kind,
                });
            }
        }
        self.extractor.money.resolve_currencies(&text, &mut spans);
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        // records
        let byte_paragraphs: Vec<ByteParagraph> = laid
            .iter()
            .map(|b| ByteParagraph {
                kind: b.kind,
                start: b.start,
                end: b.end,
            })
            .collect();
        let dateline = self.deals.page_year(
            &parsed.meta,
            &text,
            &byte_paragraphs,
            &spans,
            &self.extractor,
        );
        let candidates = records::candidates::collect(
            &text,
            &byte_paragraphs,
            &spans,
            &self.deals,
            dateline,
            keep.is_some(),
        );
        let mut records = records::decide_by_model(&candidates, &self.deals);
        if let Some(keep) = keep {
            *keep = candidates;
        }
        // offsets → characters
        let chars = CharIndex::new(&text);
        let entities: Vec<Entity> = spans
            .into_iter()
            .map(|s| Entity {
                text: text[s.start..s.end].to_string(),
                start: chars.at(s.start),
                end: chars.at(s.end),
                source_line: source_line(&laid, s.start),
                kind: s.kind,
            })
            .collect();
        for r in &mut records {
            for ev in &mut r.evidence {
                ev.start = chars.at(ev.start);
                ev.end = chars.at(ev.end);
            }
        }
        let weights: Vec<(Option<Lang>, usize)> = laid
            .iter()
            .map(|b| (lang::paragraph_lang(&text[b.start..b.end]), b.end - b.start))
            .collect();
        let paragraphs: Vec<Paragraph> = laid
            .iter()
            .zip(&weights)
            .map(|(b, (lang, _))| Paragraph {
                start: chars.at(b.start),
                end: chars.at(b.end),
                kind: b.kind,
                lang: lang.unwrap_or(Lang::Ja),
                source_line: b.lines.first().map(|l| l.1).unwrap_or(1),
            })
            .collect();
        Ok(Document {
            id: id.to_string(),
            source,
            meta: parsed.meta,
            lang: lang::document_lang(&weights),
            text,
            paragraphs,
            entities,
            records,
            dedup: stats,
            repairs: self.options.explain_dedup.then_some(repairs),
            duplicate_of: None,
            warnings: parsed.warnings,
            raw: None,
            signature: None,
            text_hash: None,
        })
    }
}

fn layout(blocks: &[Block]) -> (String, Vec<Laid>) {
    let mut text = String::new();
    let mut laid = Vec::with_capacity(blocks.len());
    for b in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        let mut lines = Vec::with_capacity(b.lines.len());
        for (i, l) in b.lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            lines.push((text.len(), l.source_line));
            text.push_str(&l.text);
        }
        laid.push(Laid {
            kind: b.kind,
            start,
            end: text.len(),
            lines,
        });
    }
    (text, laid)
}

fn source_line(laid: &[Laid], byte: usize) -> u32 {
    let i = laid.partition_point(|b| b.start <= byte).saturating_sub(1);
    laid.get(i)
        .map(|b| {
            let j = b.lines.partition_point(|l| l.0 <= byte).saturating_sub(1);
            b.lines.get(j).map(|l| l.1).unwrap_or(1)
        })
        .unwrap_or(1)
}

/// Company spans that are exactly a person's name the document introduces
/// with a title or role ([`CompanyExtractor::person_names`]: `Kishi` after
/// `chairman Hirohisa Kishi`) are dropped, when the English model, an English
/// context rule or propagation found them; gazetteer names and names with a
/// legal form stay, and so does a one-word name that starts a longer company
/// name of the document (`Tata` of `Tata Motors`).
///
/// [`CompanyExtractor::person_names`]: crate::extract::companies::CompanyExtractor::person_names
fn drop_person_names(
    companies: &crate::extract::companies::CompanyExtractor,
    text: &str,
    spans: &mut Vec<ByteEntity>,
) {
    use crate::document::EntityKind;
    let weak = |s: &ByteEntity| {
        matches!(&s.kind, EntityKind::Company { rule, .. }
            if matches!(rule.as_str(), "english_model" | "english_context" | "english_apposition" | "propagated"))
    };
    // A span right after a capitalised word may end a person's name.
    let after_capital = |s: &ByteEntity| {
        text[..s.start]
            .strip_suffix(' ')
            .and_then(|h| h.rsplit(' ').next())
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    if !spans.iter().any(|s| weak(s) || after_capital(s)) {
        return;
    }
    let persons = companies.person_names(text);
    if persons.is_empty() {
        return;
    }
    // A one-word name that starts a longer company name of the document is a
    // family's company too (`Tata` of `Tata Motors` and `chairman Ratan Tata`).
    let starts_company = |w: &str| {
        spans.iter().any(|s| {
            matches!(s.kind, EntityKind::Company { .. })
                && text[s.start..s.end]
                    .strip_prefix(w)
                    .is_some_and(|rest| rest.starts_with(' '))
        })
    };
    let drop: fnv::FnvHashSet<&str> = persons
        .into_iter()
        .filter(|p| p.contains(' ') || !starts_company(p))
        .collect();
    // `COO Hironori Tateiri`, `Datuk Eldeen Hashim`: a span of a title and the
    // person's full name is the person too.
    let titled = |t: &str| {
        drop.iter().any(|p| {
            p.contains(' ')
                && t.strip_suffix(p)
                    .is_some_and(|head| head.ends_with(' ') && head.trim().split(' ').count() <= 2)
        })
    };
    // `Chief Financial Officer Chikashi Takeda`: any source's span that ends
    // a titled person's full name where it stands is that person's name.
    let ends_person = |s: &ByteEntity| {
        let head = &text[..s.end];
        drop.iter().any(|p| {
            p.len() > s.end - s.start
                && head.ends_with(p)
                && p[..p.len() - (s.end - s.start)].ends_with(' ')
                && !head[..head.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
    };
    spans.retain(|s| {
        let t = &text[s.start..s.end];
        !(weak(s) && (drop.contains(t) || titled(t))) && !ends_person(s)
    });
}

/// A name the English model or an English context rule found alone
/// (`Pacifica`, `power-chip maker Quillon` in a headline) that is the first
/// word or the bare form of a longer name of the document (`Pacifica
/// Airways`, `Pacifica Inc.`, `Quillon Microsystems`) is that company, as
/// propagation would have found it; so is a later word of one longer name
/// only (`Huayou` of `Zhejiang Huayou Cobalt`) when it is no frequent English
/// word and no other source found it as a company of its own.
fn link_short_english_names(text: &str, spans: &mut [ByteEntity]) {
    use crate::document::EntityKind;
    use crate::extract::companies::is_distinctive_english_word;
    let by_model = |s: &ByteEntity| matches!(&s.kind, EntityKind::Company { rule, .. } if rule == "english_model");
    let by_context = |s: &ByteEntity| {
        matches!(&s.kind, EntityKind::Company { rule, .. }
            if matches!(rule.as_str(), "english_context" | "english_apposition"))
    };
    if !spans.iter().any(|s| by_model(s) || by_context(s)) {
        return;
    }
    let mut longer: fnv::FnvHashMap<String, EntityKind> = Default::default();
    // A later word and the one name it is in (`None`: in two names).
    let mut inner: fnv::FnvHashMap<&str, Option<&EntityKind>> = Default::default();
    for s in spans.iter() {
        if let EntityKind::Company { name, .. } = &s.kind {
            let surface = &text[s.start..s.end];
            let bare = Some(name.as_str()).filter(|n| n.len() < surface.len());
            let first_word = surface.split_once(' ').map(|(w, _)| w);
            for form in bare.into_iter().chain(first_word) {
                longer
                    .entry(form.to_string())
                    .or_insert_with(|| s.kind.clone());
            }
            for w in surface
                .split(' ')
                .skip(1)
                .filter(|w| is_distinctive_english_word(w))
            {
                let entry = inner.entry(w).or_insert(Some(&s.kind));
                let other =
                    |k: &EntityKind| !matches!(k, EntityKind::Company { name: n, .. } if n == name);
                if entry.is_some_and(other) {
                    *entry = None;
                }
            }
        }
    }
    let linked = |kind: &EntityKind| {
        let mut kind = kind.clone();
        if let EntityKind::Company { rule, .. } = &mut kind {
            *rule = "propagated".into();
        }
        kind
    };
    // A context rule's name is linked by a first word or a bare form only.
    let context_links: Vec<(usize, EntityKind)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| by_context(s))
        .filter_map(|(i, s)| longer.get(&text[s.start..s.end]).map(|k| (i, linked(k))))
        .collect();
    // A word that another source found as a company of its own stays that company.
    let own: fnv::FnvHashSet<&str> = spans
        .iter()
        .filter(|s| matches!(&s.kind, EntityKind::Company { .. }) && !by_model(s))
        .map(|s| &text[s.start..s.end])
        .collect();
    for (w, kind) in inner {
        if let Some(kind) = kind.filter(|_| !own.contains(w)) {
            longer.entry(w.to_string()).or_insert_with(|| kind.clone());
        }
    }
    for s in spans.iter_mut().filter(|s| by_model(s)) {
        if let Some(kind) = longer.get(&text[s.start..s.end]) {
            s.kind = linked(kind);
        }
    }
    for (i, kind) in context_links {
        spans[i].kind = kind;
    }
}

/// Companies found by a rule (not the gazetteer) are searched again in the
/// whole document, so that a later bare mention (モビルス after モビルス社) is found too;
/// so is the short form of any company's Japanese group name (`SG` after
/// `SGホールディングス`, [`CompanyExtractor::short_form`]), where it stands as a
/// word of its own (not inside a longer kanji word: `麻生` of `麻生太郎`); so is
/// a short form the document defines after a company's name (`(以下「SKE」)`,
/// [`defined_short_forms`]), which is that company at every mention from its
/// definition on, whatever the gazetteer read there.
///
/// [`defined_short_forms`]: crate::extract::companies::defined_short_forms
fn propagate_companies(
    companies: &crate::extract::companies::CompanyExtractor,
    text: &str,
    laid: &[Laid],
    spans: &mut Vec<ByteEntity>,
) {
    use crate::document::EntityKind;
    link_short_english_names(text, spans);
    // Short forms the document defines (where the form stands in the
    // definition, the form, the company) stand for their company from there
    // on, even where the gazetteer read another company (`JT`), and are
    // searched first.
    let mut defined: Vec<(usize, &str, EntityKind)> = Vec::new();
    for s in spans.iter() {
        if let EntityKind::Company { name, .. } = &s.kind {
            let after = &text[s.end..];
            for (a, b) in
                crate::extract::companies::defined_short_forms(after, &text[s.start..s.end], name)
            {
                let mut kind = s.kind.clone();
                if let EntityKind::Company { rule, .. } = &mut kind {
                    *rule = "defined".into();
                }
                defined.push((s.end + a, &after[a..b], kind));
            }
        }
    }
    for (at, form, kind) in &defined {
        for x in spans.iter_mut() {
            if x.start >= *at
                && &text[x.start..x.end] == *form
                && matches!(x.kind, EntityKind::Company { .. })
            {
                x.kind = kind.clone();
            }
        }
    }
    // Each name, the company it stands for, and whether it is a short form;
    // defined forms first, so that no other company takes them.
    let mut names: Vec<(String, EntityKind, bool)> = Vec::new();
    let mut seen: fnv::FnvHashSet<&str> = Default::default();
    for (_, form, kind) in defined {
        if seen.insert(form) {
            names.push((form.to_string(), kind, false));
        }
    }
    for s in spans.iter() {
        if let EntityKind::Company { rule, name, .. } = &s.kind {
            let surface = &text[s.start..s.end];
            if let Some(stem) = companies.short_form(surface) {
                if seen.insert(stem) {
                    names.push((stem.to_string(), s.kind.clone(), true));
                }
            }
            // `Quantia Inc.` and `株式会社クオンタ` are later `Quantia` and `クオンタ`:
            // the name without its legal form is searched too.
            let bare = Some(name.as_str()).filter(|n| {
                n.len() < surface.len() && (surface.starts_with(*n) || surface.ends_with(*n))
            });
            // `Quantia Mining` is later `Quantia`: the first word of an English
            // name, when it is no frequent English word.
            let first_word = surface
                .split_once(' ')
                .map(|(w, _)| w)
                .filter(|w| crate::extract::companies::is_distinctive_english_word(w));
            for form in std::iter::once(surface).chain(bare).chain(first_word) {
                let long_enough = form.chars().count() >= 3
                    || form.chars().any(normalize::is_japanese) && form.chars().count() >= 2;
                if rule != "gazetteer" && long_enough && seen.insert(form) {
                    names.push((form.to_string(), s.kind.clone(), false));
                }
            }
        }
    }
    if names.is_empty() {
        return;
    }
    // Leftmost-longest matches, without building an automaton per document
    // unless many names start alike.
    let search = crate::patterns::Patterns::new(names.iter().map(|(n, ..)| n.as_str()));
    let automaton = search
        .crowded()
        .then(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(names.iter().map(|(n, ..)| n))
                .ok()
        })
        .flatten();
    // Company spans sorted by start, and the furthest end up to each one.
    let mut taken: Vec<(usize, usize)> = spans
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Company { .. }))
        .map(|x| (x.start, x.end))
        .collect();
    taken.sort_unstable();
    let reach: Vec<usize> = taken
        .iter()
        .scan(0, |max, &(_, end)| {
            *max = end.max(*max);
            Some(*max)
        })
        .collect();
    let mut added = Vec::new();
    // Name `k` found at `s..e` of the text.
    let mut found = |k: usize, s: usize, e: usize| {
        // Some company span starting before `e` ends after `s`.
        let before_end = taken.partition_point(|&(start, _)| start < e);
        if before_end > 0 && reach[before_end - 1] > s {
            return;
        }
        if !crate::extract::latin_boundaries_ok(text, s, e)
            || glued(text, s, e, |c| c != '・' && is_katakana(c))
            || names[k].2 && glued(text, s, e, is_han)
        {
            return;
        }
        let mut kind = names[k].1.clone();
        if let EntityKind::Company { rule, .. } = &mut kind {
            if rule != "defined" {
                *rule = "propagated".into();
            }
        }
        added.push(ByteEntity {
            start: s,
            end: e,
            kind,
        });
    };
    for b in laid {
        let para = &text[b.start..b.end];
        match &automaton {
            Some(ac) => {
                for m in ac.find_iter(para) {
                    found(
                        m.pattern().as_usize(),
                        b.start + m.start(),
                        b.start + m.end(),
                    );
                }
            }
            None => {
                for (k, start, end) in search.find_iter(para.as_bytes()) {
                    found(k, b.start + start, b.start + end);
                }
            }
        }
    }
    spans.extend(added);
}

/// A company's country found at one mention (`リンクスブレイン(日本)`) holds for
/// every mention of the same name in the document.
fn share_countries(spans: &mut [ByteEntity]) {
    use crate::document::EntityKind;
    let mut known: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for s in spans.iter() {
        if let EntityKind::Company {
            name,
            country: Some(c),
            ..
        } = &s.kind
        {
            known.entry(name.clone()).or_insert_with(|| c.clone());
        }
    }
    for s in spans.iter_mut() {
        if let EntityKind::Company { name, country, .. } = &mut s.kind {
            if country.is_none() {
                *country = known.get(name).cloned();
            }
        }
    }
}

/// Canonical names that differ only in case, spaces and punctuation
/// (`Nippon Expressホールディングス`, `NIPPON EXPRESSホールディングス`,
/// `cargo- partner`, `Cargo-Partner`) are one company of the document: all take
/// the gazetteer's name and its Japanese and English names when one of them is
/// the gazetteer's, else the first mention's name.
fn share_names(spans: &mut [ByteEntity]) {
    use crate::document::EntityKind;
    type Names = (String, Option<String>, Option<String>);
    let key = |n: &str| -> String {
        n.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut chosen: std::collections::HashMap<String, Names> = std::collections::HashMap::new();
    for s in spans.iter() {
        if let EntityKind::Company {
            name,
            name_ja,
            name_en,
            ..
        } = &s.kind
        {
            let names = || (name.clone(), name_ja.clone(), name_en.clone());
            let known = name_ja.is_some() || name_en.is_some();
            let e = chosen.entry(key(name)).or_insert_with(names);
            if known && e.1.is_none() && e.2.is_none() {
                *e = names();
            }
        }
    }
    for s in spans.iter_mut() {
        if let EntityKind::Company {
            name,
            name_ja,
            name_en,
            ..
        } = &mut s.kind
        {
            let k = key(name);
            if k.is_empty() {
                continue;
            }
            if let Some((n, ja, en)) = chosen.get(&k) {
                if n != name {
                    *name = n.clone();
                    if name_ja.is_none() && name_en.is_none() {
                        (*name_ja, *name_en) = (ja.clone(), en.clone());
                    }
                }
            }
        }
    }
}

/// Whether `s..e` starts or ends inside a run of characters of `class`
/// (`ソニ` in `ソニック`, `麻生` in `麻生太郎`).
fn glued(text: &str, s: usize, e: usize, class: fn(char) -> bool) -> bool {
    text[..s].chars().next_back().is_some_and(class) && text[s..].chars().next().is_some_and(class)
        || text[e..].chars().next().is_some_and(class)
            && text[..e].chars().next_back().is_some_and(class)
}

/// Maps byte offsets of a text to character offsets.
struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every 64th character.
    checkpoints: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        let checkpoints = text.char_indices().step_by(64).map(|(b, _)| b).collect();
        CharIndex { text, checkpoints }
    }

    fn at(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let k = self
            .checkpoints
            .partition_point(|&b| b <= byte)
            .saturating_sub(1);
        let from = self.checkpoints.get(k).copied().unwrap_or(0);
        k * 64
            + self
                .text
                .get(from..byte)
                .map(|s| s.chars().count())
                .unwrap_or(0)
    }
}

/// Two-digit years read by the document's other years: the century of each
/// two-digit year, and the bare `NN年` forms only the era makes years
/// (`src/extract/years.rs`, `YearExtractor::relative` and `century`).
fn relative_years(
    meta_year: Option<i32>,
    text: &str,
    laid: &[Laid],
    spans: &mut Vec<ByteEntity>,
    years: &crate::extract::years::YearExtractor,
) {
    use crate::extract::years::{two_digit_surface, YearExtractor};
    let mut doc_years: Vec<i32> = meta_year.into_iter().collect();
    for s in spans.iter() {
        if let EntityKind::Year { year, .. } = s.kind {
            if !two_digit_surface(&text[s.start..s.end]) {
                doc_years.push(year);
            }
        }
    }
    doc_years.sort_unstable();
    doc_years.dedup();
    for s in spans.iter_mut() {
        if let EntityKind::Year { year, .. } = &mut s.kind {
            if !doc_years.is_empty() && two_digit_surface(&text[s.start..s.end]) {
                *year = YearExtractor::century(*year, &doc_years);
            }
        }
    }
    let mut found = Vec::new();
    // 20 | 19年: a year split across paragraphs by a PDF line break.
    for pair in laid.windows(2) {
        let (p, n) = (&pair[0], &pair[1]);
        if let Some(y) = years.across(&text[p.start..p.end], &text[n.start..n.end]) {
            let (start, end) = (n.start + y.start, n.start + y.end);
            spans.retain(|s| {
                !(matches!(s.kind, EntityKind::Year { .. }) && s.start < end && start < s.end)
            });
            if !spans.iter().any(|s| s.start < end && start < s.end) {
                found.push(ByteEntity {
                    start,
                    end,
                    kind: y.kind,
                });
            }
        }
    }
    spans.append(&mut found);
    for b in laid {
        for y in years.relative(&text[b.start..b.end], &doc_years) {
            let (start, end) = (b.start + y.start, b.start + y.end);
            if !spans.iter().any(|s| s.start < end && start < s.end) {
                found.push(ByteEntity {
                    start,
                    end,
                    kind: y.kind,
                });
            }
        }
    }
    spans.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::EntityKind;

    fn company(text: &str, surface: &str, rule: &str) -> ByteEntity {
        let start = text.find(surface).unwrap();
        ByteEntity {
            start,
            end: start + surface.len(),
            kind: EntityKind::Company {
                name: surface.to_string(),
                name_ja: None,
                name_en: None,
                country: None,
                rule: rule.to_string(),
            },
        }
    }

    #[test]
    fn a_later_word_of_one_longer_name_is_that_company() {
        let text = "Qinghai Torvane Lithium Co. will supply Kestrel Dunmore Holdings and \
                    Avon Dunmore Energy. Torvane said Dunmore would pay in cash.";
        let mut spans = vec![
            company(text, "Qinghai Torvane Lithium Co.", "english_legal"),
            company(text, "Kestrel Dunmore Holdings", "english_model"),
            company(text, "Avon Dunmore Energy", "english_model"),
            company(text, "Torvane said", "english_model"),
            company(text, "Dunmore would", "english_model"),
        ];
        // The one-word spans `Torvane` and `Dunmore`.
        for s in spans.iter_mut().skip(3) {
            s.end = s.start + text[s.start..].find(' ').unwrap();
        }
        link_short_english_names(text, &mut spans);
        let named: Vec<(&str, &str, &str)> = spans
            .iter()
            .map(|s| match &s.kind {
                EntityKind::Company { name, rule, .. } => {
                    (&text[s.start..s.end], name.as_str(), rule.as_str())
                }
                _ => unreachable!(),
            })
            .collect();
        // `Torvane` is a later word of one name only: that company.
        assert!(named.contains(&("Torvane", "Qinghai Torvane Lithium Co.", "propagated")));
        // `Dunmore` is in two names: which one is not known.
        assert!(named.contains(&("Dunmore", "Dunmore would", "english_model")));
        // A word another rule found alone stays its own company.
        let text = "Orinoco Vestra Bank will lend. Vestra said Vestra would deliver.";
        let second = text.rfind("Vestra").unwrap();
        let mut spans = vec![
            company(text, "Orinoco Vestra Bank", "english_legal"),
            company(text, "Vestra said", "english_model"),
            ByteEntity {
                start: second,
                end: second + "Vestra".len(),
                kind: company(text, "Vestra", "english_context").kind,
            },
        ];
        spans[1].end = spans[1].start + "Vestra".len();
        link_short_english_names(text, &mut spans);
        assert!(
            matches!(&spans[1].kind, EntityKind::Company { rule, .. } if rule == "english_model")
        );
    }

    #[test]
    fn a_headline_short_form_of_a_context_rule_is_the_longer_company() {
        let text = "Halvern agrees deal for power-chip maker Quillon\n\nHalvern Semiconductor \
                    will acquire Quillon Microsystems, a designer of power-management chips.";
        let mut spans = vec![
            company(text, "Quillon", "english_apposition"),
            company(text, "Halvern Semiconductor", "english_legal"),
            company(text, "Quillon Microsystems", "english_legal"),
        ];
        link_short_english_names(text, &mut spans);
        assert!(
            matches!(&spans[0].kind, EntityKind::Company { name, rule, .. }
            if name == "Quillon Microsystems" && rule == "propagated")
        );
        // A context rule's word inside a longer name (not its first word) stays its own.
        let text = "Orinoco Vestra Bank will lend, said lender Vestra.";
        let second = text.rfind("Vestra").unwrap();
        let mut spans = vec![
            company(text, "Orinoco Vestra Bank", "english_legal"),
            ByteEntity {
                start: second,
                end: second + "Vestra".len(),
                kind: company(text, "Vestra", "english_apposition").kind,
            },
        ];
        link_short_english_names(text, &mut spans);
        assert!(matches!(&spans[1].kind, EntityKind::Company { name, .. } if name == "Vestra"));
    }

    #[test]
    fn a_title_with_a_persons_full_name_is_no_company() {
        let pipeline = Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)");
        let text = "Quorvane signed the pact, COO Hironori Tateiri said.";
        let mut spans = vec![
            company(text, "Quorvane", "english_model"),
            company(text, "COO Hironori Tateiri", "english_model"),
        ];
        drop_person_names(&pipeline.extractor().companies, text, &mut spans);
        let left: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(left, ["Quorvane"]);
    }
}
