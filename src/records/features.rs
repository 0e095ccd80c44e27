//! What the records model sees of a candidate pair: named features.
//!
//! The hand rules' reading ([`super::rules`]: paired or not, with which kind
//! and roles) is one group of features among the others: the statement's type
//! and language, the deal terms and their kinds, where each company stands
//! (its Japanese particle, its side of the term, subject or not, in brackets,
//! possessive, after `by`), the words and distance between the two, how many
//! companies the statement names, cues of talks, plans or endings, group
//! relations, how each company was found, and (added per document) how often
//! the pair is a candidate. Deciding is [`super::model`]'s work.
//!
//! Features go into a [`Sink`], which hashes each name as it is formatted
//! and adds its weight under the records model: tagging builds no string per
//! feature. Names are kept only when asked (training, `--candidates`).

use std::fmt::{self, Display, Write as _};

use super::attributes::term_distance;
use super::model::{feature_hash, FeatureHasher, RecordModel};
use super::rules::{ja_mark, Mark};
use super::{company_str, ByteEntity, Deals};
use crate::document::{EntityKind, Record};

/// A candidate's features as the model reads them: the sum of their weights
/// (`score`, in the order they were added) and, when kept, their names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureSet {
    /// Sum of the feature weights under the model that collected them.
    pub score: f64,
    /// The feature names (empty unless names were kept).
    pub names: Vec<String>,
    /// The [`feature_hash`] of each feature, in the order added (what the
    /// kind model reads).
    pub hashes: Vec<u64>,
    keep_names: bool,
}

impl FeatureSet {
    /// An empty set; `keep_names` keeps each feature's name beside the score.
    pub fn new(keep_names: bool) -> Self {
        FeatureSet {
            score: 0.0,
            names: Vec::new(),
            hashes: Vec::new(),
            keep_names,
        }
    }

    /// Adds one feature, formatted by `name`, with its weight under `model`.
    pub fn add(&mut self, model: &RecordModel, name: fmt::Arguments<'_>) {
        let hash = match name.as_str() {
            Some(s) => feature_hash(s),
            None => {
                let mut h = FeatureHasher::default();
                // Writing into a hasher cannot fail.
                let _ = h.write_fmt(name);
                h.finish()
            }
        };
        self.score += model.hashed_weight(hash);
        self.hashes.push(hash);
        if self.keep_names {
            self.names.push(name.to_string());
        }
    }
}

/// Adds features to a [`FeatureSet`] under one model.
pub(super) struct Sink<'a> {
    model: &'a RecordModel,
    set: FeatureSet,
}

impl<'a> Sink<'a> {
    pub(super) fn new(model: &'a RecordModel, set: FeatureSet) -> Self {
        Sink { model, set }
    }

    fn add(&mut self, name: fmt::Arguments<'_>) {
        self.set.add(self.model, name);
    }

    pub(super) fn done(self) -> FeatureSet {
        self.set
    }
}

/// Adds a feature formatted like `format!` to a [`Sink`].
macro_rules! feature {
    ($sink:expr, $($arg:tt)*) => {
        $sink.add(format_args!($($arg)*))
    };
}

/// What a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// A sentence of running text.
    Prose,
    /// A headline naming companies with no deal term, read with its lead.
    Headline,
    /// A sentence naming companies with no deal term, read with the next one.
    Joined,
    /// A sentence naming no company that refers back to the companies of an
    /// earlier one (両社, 3行, the two companies), read with them.
    Back,
    /// An item of a digest (a bullet or a dated line).
    Item,
    /// A line without sentence punctuation (a headline list, a contents page).
    Line,
    /// A title or section heading.
    Heading,
    /// A table row.
    Table,
    /// A line naming one company under a line that heads a list of investors.
    List,
}

impl StatementKind {
    /// Its feature value.
    pub fn name(self) -> &'static str {
        match self {
            StatementKind::Prose => "prose",
            StatementKind::Headline => "headline",
            StatementKind::Joined => "joined",
            StatementKind::Back => "back",
            StatementKind::Item => "item",
            StatementKind::Line => "line",
            StatementKind::Heading => "heading",
            StatementKind::Table => "table",
            StatementKind::List => "list",
        }
    }
}

/// One candidate's context: the statement and the two mentions.
#[derive(Clone, Copy)]
pub(super) struct PairContext<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) ents: &'a [&'a ByteEntity],
    /// The first mentions of the two companies (None: a party guessed from a heading).
    pub(super) a: Option<&'a ByteEntity>,
    pub(super) b: Option<&'a ByteEntity>,
    pub(super) kind: StatementKind,
    pub(super) english: bool,
    /// The rules' record of this pair, if they gave one.
    pub(super) rule: Option<&'a Record>,
    /// How many records the rules gave for the statement.
    pub(super) rule_records: usize,
    /// Distinct companies named in the statement.
    pub(super) names: usize,
    /// Position of the statement among the document's statements.
    pub(super) position: usize,
    /// How the issuer was found when the pair is the issuer (`a`, None) and a
    /// company of the statement (`b`): `label` or `frequent`.
    pub(super) issuer: Option<&'static str>,
    pub(super) deals: &'a Deals,
}

fn bucket(n: usize, edges: &[usize]) -> usize {
    edges.iter().position(|&e| n <= e).unwrap_or(edges.len())
}

fn mark_name(m: Mark) -> &'static str {
    match m {
        Mark::Source => "source",
        Mark::Topic => "topic",
        Mark::Subject => "subject",
        Mark::Partner => "partner",
        Mark::Object => "object",
        Mark::Dative => "dative",
        Mark::List => "list",
        Mark::Of => "of",
        Mark::None => "none",
    }
}

/// A feature-safe form of a word, written without a string of its own: no
/// tabs or line ends, lower case, spaces as `_`.
struct Clean<'a>(&'a str);

impl Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars().filter(|c| !c.is_control()) {
            for c in c.to_lowercase() {
                f.write_char(if c.is_whitespace() { '_' } else { c })?;
            }
        }
        Ok(())
    }
}

/// Words written cleaned and joined by `sep`.
struct Joined<'a>(&'a [&'a str], &'a str);

impl Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            Clean(w).fmt(f)?;
        }
        Ok(())
    }
}

/// How a company was found (`gazetteer`, `model`, `suffix` ...).
fn source(e: &ByteEntity) -> &str {
    match &e.kind {
        EntityKind::Company { rule, .. } => rule.as_str(),
        _ => "",
    }
}

/// `ja` for a name with a Japanese character, else `latin`.
fn script(name: &str) -> &'static str {
    if name.chars().any(crate::normalize::is_japanese) {
        "ja"
    } else {
        "latin"
    }
}

/// The features of a table row the rules read as a record: the row's kind,
/// and whether it gives a year and an amount.
pub(super) fn table_features(model: &RecordModel, keep_names: bool, r: &Record) -> FeatureSet {
    let mut f = Sink::new(model, FeatureSet::new(keep_names));
    feature!(f, "bias");
    feature!(f, "stmt=table");
    feature!(f, "rule");
    feature!(f, "rule_stmt=table");
    match &r.kind {
        Some(k) => feature!(f, "table_kind={k}"),
        None => feature!(f, "table_no_term"),
    }
    if r.year.is_some() {
        feature!(f, "table_year");
    }
    if r.amount.is_some() {
        feature!(f, "table_amount");
    }
    f.done()
}

/// Whether a statement lists co-parties: it names three or more companies and
/// counts three or more parties (`3社`, 三者, three companies:
/// `record_words.tsv` role `co_parties`). A count stands alone: not after a
/// digit, a kanji numeral, `第` or a Latin letter (`13社`, `第三者割当`), not
/// before a digit, a Latin letter or `目` (`3社目`), and not inside a
/// company's name (`三社電機`).
pub(super) fn co_parties(cx: &PairContext) -> bool {
    let text = &cx.text[cx.start..cx.end];
    cx.names >= 3
        && cx.deals.co_parties.find_iter(text).any(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let (s, e) = (cx.start + m.start(), cx.start + m.end());
            !before.is_some_and(|c| {
                c.is_ascii_alphanumeric()
                    || c.is_numeric()
                    || "第一二三四五六七八九十百".contains(c)
            }) && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c.is_numeric() || c == '目')
                && !cx.ents.iter().any(|x| {
                    matches!(x.kind, EntityKind::Company { .. }) && x.start < e && s < x.end
                })
        })
}

/// The features every candidate of a statement shares (its type, language,
/// position, deal terms and cue words), computed once per statement.
pub(super) fn statement_features(cx: &PairContext, keep_names: bool) -> FeatureSet {
    let mut f = Sink::new(cx.deals.model(), FeatureSet::new(keep_names));
    feature!(f, "bias");
    let sentence = &cx.text[cx.start..cx.end];
    let lang = if cx.english { "en" } else { "ja" };
    let kind = cx.kind.name();
    feature!(f, "stmt={kind}");
    feature!(f, "lang={lang}");
    feature!(f, "lang_stmt={lang}_{kind}");
    feature!(f, "position={}", bucket(cx.position, &[0, 2, 6, 20]));
    // Deal terms of the statement.
    let mut verbs = 0;
    for v in cx.ents {
        if let EntityKind::Verb { kind, .. } = &v.kind {
            verbs += 1;
            feature!(f, "verb_kind={kind}");
        }
    }
    feature!(f, "verbs={}", verbs.min(4));
    // Cues of the statement.
    let words = |ac: &aho_corasick::AhoCorasick, name: &str, f: &mut Sink| {
        let mut seen: Vec<usize> = Vec::new();
        for m in ac.find_iter(sentence) {
            let id = m.pattern().as_usize();
            if !seen.contains(&id) {
                seen.push(id);
                feature!(f, "{name}={}", Clean(&sentence[m.start()..m.end()]));
            }
        }
        if !seen.is_empty() {
            feature!(f, "{name}_any");
        }
    };
    words(&cx.deals.modality, "modal", &mut f);
    words(&cx.deals.ended, "ended", &mut f);
    words(&cx.deals.relation, "relation", &mut f);
    words(&cx.deals.weak_term, "weak", &mut f);
    if cx.deals.refers_back.is_match(sentence) {
        feature!(f, "refers_back");
    }
    if co_parties(cx) {
        feature!(f, "co_parties");
    }
    f.done()
}

/// The features of one candidate: the statement's (`shared`, from
/// [`statement_features`]) and the pair's own; `names` are the pair's two
/// canonical names.
pub(super) fn features(cx: &PairContext, names: (&str, &str), shared: &FeatureSet) -> FeatureSet {
    let mut f = Sink::new(cx.deals.model(), shared.clone());
    if let Some(o) = name_overlap(names.0, names.1) {
        feature!(f, "overlap={o}");
    }
    let (s1, s2) = (script(names.0), script(names.1));
    let scripts = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
    feature!(f, "scripts={}_{}", scripts.0, scripts.1);
    if cx.issuer.is_some() {
        feature!(f, "issuer_scripts={}_{}", scripts.0, scripts.1);
    }
    let text = cx.text;
    let (s, e) = (cx.start, cx.end);
    let sentence = &text[s..e];
    let lang = if cx.english { "en" } else { "ja" };
    let kind = cx.kind.name();
    let names = cx.names.min(6);
    feature!(f, "names={names}");
    feature!(f, "names_stmt={names}_{kind}");
    // The rules' reading.
    match cx.rule {
        Some(r) => {
            feature!(f, "rule");
            feature!(f, "rule_lang={lang}");
            feature!(f, "rule_stmt={kind}");
            feature!(f, "rule_names={names}");
            // How sure the two companies are: gazetteer names make a rule's
            // pair more certain than two spans a model guessed.
            let known = [cx.a, cx.b]
                .into_iter()
                .flatten()
                .filter(|m| is_known(m))
                .count();
            feature!(f, "rule_known={known}_{lang}");
            if let Some(k) = &r.kind {
                feature!(f, "rule_kind={k}");
            }
            let role = |i: usize| r.parties.get(i).map(|p| p.role.as_deref().unwrap_or("-"));
            match (role(0), role(1)) {
                (Some(x), Some(y)) => feature!(f, "rule_roles={x},{y}"),
                (Some(x), None) => feature!(f, "rule_roles={x}"),
                _ => feature!(f, "rule_roles="),
            }
        }
        None => {
            feature!(f, "norule_lang={lang}");
            if cx.rule_records > 0 {
                feature!(f, "norule_other_rule");
            }
        }
    }
    if let (Some(by), Some(m)) = (cx.issuer, cx.b) {
        feature!(f, "issuer_pair");
        feature!(f, "issuer_by={by}");
        feature!(f, "issuer_lang={lang}_{by}");
        feature!(f, "issuer_names={by}_{names}");
        if cx.deals.self_reference.is_match(sentence) {
            feature!(f, "self_reference");
            feature!(f, "self_reference_by={by}");
            feature!(f, "self_reference_names={by}_{names}");
        }
        let first_term = cx
            .ents
            .iter()
            .find(|x| matches!(x.kind, EntityKind::Verb { .. }));
        if let Some(v) = first_term {
            let at = if v.start >= m.end { "after" } else { "before" };
            feature!(f, "issuer_term_at={at}_{lang}");
            if let EntityKind::Verb { kind, .. } = &v.kind {
                feature!(f, "issuer_term_kind={kind}");
                feature!(f, "issuer_term_kind_by={kind}_{by}");
            }
        }
        feature!(f, "src2={}", source(m));
        if cx.deals.is_venue(m) {
            feature!(f, "venue");
        }
        if !cx.english {
            feature!(f, "issuer_mark={}", mark_name(ja_mark(&text[m.end..e])));
        }
        return f.done();
    }
    let (Some(a), Some(b)) = (cx.a, cx.b) else {
        feature!(f, "guessed_party");
        return f.done();
    };
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    for (side, m) in [("1", first), ("2", second)] {
        feature!(f, "src{side}={}", source(m));
        if is_known(m) {
            feature!(f, "known{side}");
        }
        if cx.deals.is_venue(m) {
            feature!(f, "venue");
        }
        let before = &text[s..m.start];
        let open = before.matches(['(', '「', '『', '[']).count();
        let close = before.matches([')', '」', '』', ']']).count();
        if open > close {
            feature!(f, "bracketed{side}");
        }
    }
    // The term nearest to the pair and where the two stand around it.
    let nearest = cx
        .ents
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Verb { .. }))
        .min_by_key(|v| term_distance(first, second, v));
    if let Some(v) = nearest {
        let at = if v.end <= first.start {
            "before"
        } else if v.start >= second.end {
            "after"
        } else if v.start >= first.end && v.end <= second.start {
            "between"
        } else {
            "inside"
        };
        feature!(f, "term_at={at}");
        feature!(f, "term_at_lang={at}_{lang}");
        if let EntityKind::Verb { kind, .. } = &v.kind {
            feature!(f, "term_kind={kind}");
            feature!(f, "term_kind_at={kind}_{at}");
            feature!(f, "term_roles={}", cx.deals.roles(kind).is_some());
        }
        feature!(f, "term={}", Clean(&text[v.start..v.end]));
        // Co-parties listed on one side of the term (`NEC, Honda and Sony
        // invested in X`; `A、B、Cが出資`): a member of a list and a company
        // standing alone across the term.
        let listed = |m: &ByteEntity| {
            cx.ents
                .iter()
                .any(|x| is_other_company(x, first, second) && list_joined(text, m, x))
        };
        feature!(
            f,
            "listed={}{}_{at}",
            u8::from(listed(first)),
            u8::from(listed(second))
        );
        let gap = term_distance(first, second, v);
        feature!(f, "term_gap={}", bucket(gap, &[0, 6, 20, 60, 150]));
    } else {
        feature!(f, "term_none");
    }
    // Between the two mentions.
    let gap = if first.end <= second.start {
        &text[first.end..second.start]
    } else {
        ""
    };
    feature!(f, "gap={}", bucket(gap.len(), &[0, 3, 9, 30, 90, 200]));
    let others = cx
        .ents
        .iter()
        .filter(|x| {
            x.start >= first.end && x.end <= second.start && is_other_company(x, first, second)
        })
        .count();
    feature!(f, "others_between={}", others.min(3));
    if cx.english {
        let words: Vec<&str> = gap.split_whitespace().collect();
        if words.len() <= 6 {
            for w in &words {
                feature!(f, "between={}", Clean(w));
            }
            feature!(f, "between_all={}", Joined(&words, "_"));
        } else {
            feature!(f, "between_long");
        }
        let before_first = text[s..first.start].trim_end();
        let last = before_first.rsplit(' ').next().unwrap_or_default();
        feature!(f, "before1={}", Clean(last));
        if before_first.is_empty() {
            feature!(f, "first_opens");
        }
        let before_second = text[..second.start].trim_end();
        let last2 = before_second.rsplit(' ').next().unwrap_or_default();
        feature!(f, "before2={}", Clean(last2));
        for (side, m) in [("1", first), ("2", second)] {
            let after = &text[m.end..e];
            if after.starts_with(['\'', '’']) {
                feature!(f, "possessive{side}");
            }
            let next = after.split_whitespace().next().unwrap_or_default();
            feature!(f, "after{side}={}", Clean(next));
        }
    } else {
        let m1 = ja_mark(&text[first.end..e]);
        let m2 = ja_mark(&text[second.end..e]);
        feature!(f, "mark1={}", mark_name(m1));
        feature!(f, "mark2={}", mark_name(m2));
        feature!(f, "marks={}_{}", mark_name(m1), mark_name(m2));
        if gap.chars().count() <= 6 {
            feature!(f, "between={}", Clean(gap));
        }
        let tail_end = text[second.end..e]
            .char_indices()
            .nth(4)
            .map_or(e, |(i, _)| second.end + i);
        feature!(f, "after2={}", Clean(&text[second.end..tail_end]));
        let at_start = text[s..first.start].trim().is_empty();
        if at_start {
            feature!(f, "first_opens");
        }
    }
    f.done()
}

/// A company mention other than the pair's two (by name).
fn is_other_company(x: &ByteEntity, first: &ByteEntity, second: &ByteEntity) -> bool {
    company_str(&x.kind).is_some_and(|n| {
        Some(n) != company_str(&first.kind) && Some(n) != company_str(&second.kind)
    })
}

/// Whether two company mentions are neighbours in a list: only a list
/// separator between them (`, `, `and`, `、`, `・`, `及び`, `や`).
fn list_joined(text: &str, m: &ByteEntity, x: &ByteEntity) -> bool {
    let gap = if x.end <= m.start {
        &text[x.end..m.start]
    } else if m.end <= x.start {
        &text[m.end..x.start]
    } else {
        return false;
    };
    matches!(
        gap.trim(),
        "," | ", and" | ",and" | "and" | "&" | "、" | "・" | "及び" | "および" | "や" | "並びに"
    )
}

/// A company the gazetteer knows (it has a canonical bilingual name).
fn is_known(m: &ByteEntity) -> bool {
    matches!(&m.kind, EntityKind::Company { name_en, name_ja, .. } if name_en.is_some() || name_ja.is_some())
}

/// How two canonical names share their start: `prefix` when one name's words
/// (case aside) open the other's (`Hokuriku Electric`, `HOKURIKU ELECTRIC
/// POWER COMPANY`; for Japanese, its characters), `first` when only their
/// first word is shared (`Tata Sons`, `Tata Steel`; two leading characters of
/// Japanese, `三井物産`, `三井不動産`). A short form and its full name are one
/// company; a parent and its namesake unit are two.
fn name_overlap(a: &str, b: &str) -> Option<&'static str> {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    // Japanese names are compared by character (two at least), others by word.
    let (units, least): (fn(&str) -> Vec<&str>, usize) = if script(&a) == "ja" || script(&b) == "ja"
    {
        (|s| s.split_inclusive(|_: char| true).collect(), 2)
    } else {
        (
            |s| {
                s.split(|c: char| !c.is_alphanumeric() && c != '&')
                    .filter(|w| !w.is_empty())
                    .collect()
            },
            1,
        )
    };
    let (ua, ub) = (units(&a), units(&b));
    let common = ua.iter().zip(&ub).take_while(|(x, y)| x == y).count();
    if common < least {
        None
    } else if common == ua.len().min(ub.len()) {
        Some("prefix")
    } else {
        Some("first")
    }
}

#[cfg(test)]
mod tests {
    use super::name_overlap;

    #[test]
    fn names_that_open_alike_overlap() {
        assert_eq!(
            name_overlap("Hokuriku Electric", "HOKURIKU ELECTRIC POWER COMPANY"),
            Some("prefix")
        );
        assert_eq!(name_overlap("Tata Sons", "Tata Steel"), Some("first"));
        assert_eq!(name_overlap("Tata Sons", "Infosys"), None);
        assert_eq!(name_overlap("三井物産", "三井不動産"), Some("first"));
        assert_eq!(name_overlap("トヨタ", "トヨタ自動車"), Some("prefix"));
        assert_eq!(name_overlap("三井物産", "住友商事"), None);
        // A first letter is no shared word.
        assert_eq!(name_overlap("Sony", "Sega"), None);
    }
}
