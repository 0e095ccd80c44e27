//! The plain data types that flow between stages, and the output schema.
//!
//! Stages: `ingest` produces a [`Parsed`] (metadata plus [`Block`]s carrying
//! their source lines), `normalize` rewrites the blocks' lines, `dedup`
//! returns the kept blocks and [`DedupStats`], the pipeline lays the blocks out
//! as `text`, `extract` adds [`Entity`]s and `records` adds [`Record`]s. The
//! serialized [`Document`] is one line of kiji's JSON Lines output; its schema
//! is documented in `docs/schema.md` and kept stable.

use serde::{Deserialize, Serialize};

/// Language of a document or paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese.
    #[default]
    Ja,
    /// English.
    En,
    /// Both, each with a substantial share.
    Mixed,
}

/// What a block of the article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A heading (Markdown `#`, HTML `h1`–`h6`).
    Heading,
    /// A paragraph of prose (may span several lines).
    Paragraph,
    /// A table; each line is a row, cells separated by [`CELL_SEPARATOR`].
    Table,
    /// A scrape end marker such as `---END---` (removed by dedup).
    Marker,
}

/// Separator between the cells of a table row in `text`.
pub const CELL_SEPARATOR: &str = " | ";

/// One line of a block with the 1-based line of the original file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's text (markup removed; normalized after the normalize stage).
    pub text: String,
    /// 1-based line number in the original file.
    pub source_line: u32,
}

/// A structural unit of the article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its lines; for tables, one row per line with cells joined by [`CELL_SEPARATOR`].
    pub lines: Vec<Line>,
}

impl Block {
    /// A block from lines.
    pub fn new(kind: BlockKind, lines: Vec<Line>) -> Self {
        Block { kind, lines }
    }

    /// The block's text as it will stand in `text` (lines joined by `\n`).
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&line.text);
        }
        out
    }

    /// First source line of the block.
    pub fn source_line(&self) -> u32 {
        self.lines.first().map(|l| l.source_line).unwrap_or(1)
    }
}

/// Metadata from front matter, HTML `<title>`/`<meta>` or a JSON input line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Title.
    pub title: Option<String>,
    /// Publication date as written (e.g. `2025-09-18 04:37:41 +0000`).
    pub date: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Categories (empty when absent).
    pub categories: Vec<String>,
    /// Tags (empty when absent).
    pub tags: Vec<String>,
    /// Source URL when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The parsed body of a file before normalization.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// Metadata.
    pub meta: Meta,
    /// Body blocks in document order.
    pub blocks: Vec<Block>,
    /// Problems that did not stop processing.
    pub warnings: Vec<String>,
}

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Input format: `markdown`, `text`, `html` or `jsonl`.
    pub format: String,
    /// Detected encoding (`UTF-8`, `Shift_JIS`, `EUC-JP`, `UTF-16LE` ...).
    pub encoding: String,
    /// Size of the input in bytes.
    pub bytes: u64,
}

/// Counts of what de-duplication removed or repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DedupStats {
    /// End markers (`---END---` and variants) removed.
    pub markers: u32,
    /// Exact duplicate paragraphs removed.
    pub exact: u32,
    /// Truncated fragments (prefix or substring of a kept paragraph) removed.
    pub fragments: u32,
    /// Cut paragraphs joined with their continuation.
    pub stitched: u32,
    /// Near-duplicate paragraphs removed.
    pub near: u32,
    /// Repeated headings removed.
    pub headings: u32,
}

/// A paragraph of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Character offset of its first character in `text`.
    pub start: usize,
    /// Character offset one past its last character.
    pub end: usize,
    /// What the block is.
    pub kind: BlockKind,
    /// Its language.
    pub lang: Lang,
    /// 1-based line of the original file where it starts.
    pub source_line: u32,
}

/// Typed part of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntityKind {
    /// A company.
    Company {
        /// Canonical name (the surface for companies not in the gazetteer).
        name: String,
        /// Japanese name when known.
        name_ja: Option<String>,
        /// English name when known.
        name_en: Option<String>,
        /// ISO 3166-1 alpha-2 country when known.
        country: Option<String>,
        /// How it was found: `gazetteer`, `suffix`, `sha`, `bracket_country`,
        /// `ipadic_org`, `table`, `english_suffix`, `english_context`.
        rule: String,
    },
    /// A money amount.
    Amount {
        /// Value in base units of the currency (725億円 → 72500000000,
        /// `$12.75` → 12.75); for a range, its lower end.
        value: f64,
        /// ISO 4217 code.
        currency: String,
        /// `approx`, `max`, `over`, `under`, `scale` or null.
        qualifier: Option<String>,
        /// The upper end of a range (`1,500〜3,000円`, `$5-7 billion`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// A price per share or per unit (`1株あたり1,500円`, `120 yen each`):
        /// records never take it as a deal's amount.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        per_unit: bool,
        /// How the currency of a sign or name that several currencies use
        /// (`$`, `元`) was decided: `context` (the document's place: a
        /// Singapore `$` is SGD, a Taiwanese `元` TWD), `default` (no place
        /// cue: the default reading, USD or CNY) or `ambiguous` (cues of
        /// several places: the default reading). Absent when the text names
        /// the currency (`円`, `US$`, `S$`, `人民元`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        currency_source: Option<String>,
    },
    /// A year.
    Year {
        /// The calendar year.
        year: i32,
        /// Month when given (2023年6月).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        month: Option<u32>,
        /// Day of the month when given (2023年6月10日, 2023-06-10).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<u32>,
        /// A fiscal year (年度, FY).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        fiscal: bool,
        /// A decade (2020年代).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        decade: bool,
        /// `start` or `end` when the year is an end of a range.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        range: Option<String>,
    },
    /// A partnership verb or deal term.
    Verb {
        /// Dictionary form (締結した → 締結する, partnered → partner).
        lemma: String,
        /// Deal kind from the verb lexicon (`business_alliance`, `investment` ...).
        kind: String,
    },
}

/// An entity found in `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Type and typed fields.
    #[serde(flatten)]
    pub kind: EntityKind,
    /// The surface exactly as it stands in `text[start..end]`.
    pub text: String,
    /// Character (Unicode scalar) offset of the first character in `text`.
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
    /// 1-based line of the original file it came from.
    pub source_line: u32,
}

impl Entity {
    /// The entity's type name (`company`, `amount`, `year`, `verb`).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            EntityKind::Company { .. } => "company",
            EntityKind::Amount { .. } => "amount",
            EntityKind::Year { .. } => "year",
            EntityKind::Verb { .. } => "verb",
        }
    }
}

/// A money amount attached to a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// Value in base units.
    pub value: f64,
    /// ISO 4217 code.
    pub currency: String,
}

/// A company taking part in a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// Canonical name.
    pub name: String,
    /// Country (ISO alpha-2) when known, from the gazetteer or a bracket in a table.
    pub country: Option<String>,
    /// `investor`, `investee`, `acquirer`, `target`, or null for symmetric deals.
    pub role: Option<String>,
}

/// Where a record was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `table` or `prose`.
    pub source: String,
    /// The sentence or table row.
    pub text: String,
    /// Character offset of the evidence in `text`.
    pub start: usize,
    /// Character offset one past its end.
    pub end: usize,
}

/// A deal between companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always `partnership`.
    #[serde(rename = "type")]
    pub record_type: String,
    /// Canonical names of the companies, in order of appearance.
    pub companies: Vec<String>,
    /// The companies with country and role.
    pub parties: Vec<Party>,
    /// Deal kind, from `dictionaries/deal_kinds.tsv` (`capital_business_alliance`, `acquisition` ...).
    pub kind: Option<String>,
    /// The deal term as written (戦略提携, invested ...).
    pub verb: Option<String>,
    /// Year of the deal.
    pub year: Option<i32>,
    /// Where the year came from: `table`, `sentence` or `paragraph`.
    pub year_source: Option<String>,
    /// Amount of the deal when stated with it.
    pub amount: Option<Money>,
    /// Every sentence or row that states the deal.
    pub evidence: Vec<Evidence>,
}

/// One repair of the dedup stage, listed with `--explain-dedup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// `marker` (removed), `stitched` (a cut paragraph and its continuation
    /// overlapped), `joined` (the two pieces around a marker are one paragraph),
    /// `exact`, `heading`, `fragment`, `near` (a paragraph dropped).
    pub action: String,
    /// Why: the join rule (`split word`, `sentence continues` …), or where the
    /// kept version is (`same as line 12`).
    pub reason: String,
    /// 1-based source line of the paragraph (or marker) repaired.
    pub line: u32,
    /// Its first 80 characters.
    pub text: String,
}

/// One output line: a processed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the root it was found under, `/`-separated
    /// (`PATH#LINE` for a line of a JSON Lines input).
    pub id: String,
    /// Format, encoding and size of the input.
    pub source: Source,
    /// Front matter or HTML metadata.
    pub meta: Meta,
    /// Language of the whole document.
    pub lang: Lang,
    /// Clean, normalized, de-duplicated body; paragraphs separated by one blank line.
    pub text: String,
    /// The paragraphs of `text`.
    pub paragraphs: Vec<Paragraph>,
    /// Companies, amounts, years and verbs, ordered by offset.
    pub entities: Vec<Entity>,
    /// Partnership records.
    pub records: Vec<Record>,
    /// What de-duplication did.
    pub dedup: DedupStats,
    /// Each repair of de-duplication, in order (only with `--explain-dedup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repairs: Option<Vec<Repair>>,
    /// Id of an earlier document of the same run that this one duplicates.
    pub duplicate_of: Option<String>,
    /// Problems that did not stop processing (replaced bytes, bad front matter ...).
    pub warnings: Vec<String>,
    /// The decoded body before cleaning (only with `--keep-raw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// MinHash signature of `text` (only with `stream --signatures`; null for short texts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Option<Vec<u32>>>,
    /// FNV-1a 64-bit hash of `text` as 16 hex digits (only with `stream --signatures`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_hash: Option<String>,
}

/// The output line for a document that could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorLine {
    /// The document's id.
    pub id: String,
    /// What went wrong.
    pub error: String,
}
