//! What the records model sees of a candidate pair: named string features.
//!
//! The hand rules' reading ([`super::rules`]: paired or not, with which kind
//! and roles) is one group of features among the others: the statement's type
//! and language, the deal terms and their kinds, where each company stands
//! (its Japanese particle, its side of the term, subject or not, in brackets,
//! possessive, after `by`), the words and distance between the two, how many
//! companies the statement names, cues of talks, plans or endings, group
//! relations, how each company was found, and (added per document) how often
//! the pair is a candidate. Deciding is [`super::model`]'s work.

use super::attributes::term_distance;
use super::rules::{ja_mark, Mark};
use super::{company_str, ByteEntity, Deals};
use crate::document::{EntityKind, Record};

/// What a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// A sentence of running text.
    Prose,
    /// A headline naming companies with no deal term, read with its lead.
    Headline,
    /// A sentence naming companies with no deal term, read with the next one.
    Joined,
    /// An item of a digest (a bullet or a dated line).
    Item,
    /// A line without sentence punctuation (a headline list, a contents page).
    Line,
    /// A title or section heading.
    Heading,
    /// A table row.
    Table,
}

impl StatementKind {
    /// Its feature value.
    pub fn name(self) -> &'static str {
        match self {
            StatementKind::Prose => "prose",
            StatementKind::Headline => "headline",
            StatementKind::Joined => "joined",
            StatementKind::Item => "item",
            StatementKind::Line => "line",
            StatementKind::Heading => "heading",
            StatementKind::Table => "table",
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

/// `name=value`, without the formatting machinery (features are built per candidate).
fn kv(name: &str, value: impl AsRef<str>) -> String {
    let value = value.as_ref();
    let mut s = String::with_capacity(name.len() + 1 + value.len());
    s.push_str(name);
    s.push('=');
    s.push_str(value);
    s
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

/// A feature-safe form of a word: no tabs or line ends, lower case.
fn clean(w: &str) -> String {
    w.chars()
        .filter(|c| !c.is_control())
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
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
pub(super) fn table_features(r: &Record) -> Vec<String> {
    let mut f: Vec<String> = vec![
        "bias".into(),
        "stmt=table".into(),
        "rule".into(),
        "rule_stmt=table".into(),
    ];
    match &r.kind {
        Some(k) => f.push(kv("table_kind", k)),
        None => f.push("table_no_term".into()),
    }
    if r.year.is_some() {
        f.push("table_year".into());
    }
    if r.amount.is_some() {
        f.push("table_amount".into());
    }
    f
}

/// The features every candidate of a statement shares (its type, language,
/// position, deal terms and cue words), computed once per statement.
pub(super) fn statement_features(cx: &PairContext) -> Vec<String> {
    let mut f: Vec<String> = vec!["bias".into()];
    let sentence = &cx.text[cx.start..cx.end];
    let lang = if cx.english { "en" } else { "ja" };
    let kind = cx.kind.name();
    f.push(kv("stmt", kind));
    f.push(kv("lang", lang));
    f.push(format!("lang_stmt={lang}_{kind}"));
    f.push(format!("position={}", bucket(cx.position, &[0, 2, 6, 20])));
    // Deal terms of the statement.
    let mut verbs = 0;
    for v in cx.ents {
        if let EntityKind::Verb { kind, .. } = &v.kind {
            verbs += 1;
            f.push(kv("verb_kind", kind));
        }
    }
    f.push(format!("verbs={}", verbs.min(4)));
    // Cues of the statement.
    let words = |ac: &aho_corasick::AhoCorasick, name: &str, f: &mut Vec<String>| {
        let mut seen: Vec<usize> = Vec::new();
        for m in ac.find_iter(sentence) {
            let id = m.pattern().as_usize();
            if !seen.contains(&id) {
                seen.push(id);
                f.push(format!("{name}={}", clean(&sentence[m.start()..m.end()])));
            }
        }
        if !seen.is_empty() {
            f.push(format!("{name}_any"));
        }
    };
    words(&cx.deals.modality, "modal", &mut f);
    words(&cx.deals.ended, "ended", &mut f);
    words(&cx.deals.relation, "relation", &mut f);
    words(&cx.deals.weak_term, "weak", &mut f);
    if cx.deals.refers_back.is_match(sentence) {
        f.push("refers_back".into());
    }
    f
}

/// The features of one candidate: the statement's (`shared`, from
/// [`statement_features`]) and the pair's own; `names` are the pair's two
/// canonical names.
pub(super) fn features(cx: &PairContext, names: (&str, &str), shared: &[String]) -> Vec<String> {
    let mut f: Vec<String> = Vec::with_capacity(shared.len() + 32);
    f.extend_from_slice(shared);
    let (s1, s2) = (script(names.0), script(names.1));
    let scripts = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
    f.push(format!("scripts={}_{}", scripts.0, scripts.1));
    if cx.issuer.is_some() {
        f.push(format!("issuer_scripts={}_{}", scripts.0, scripts.1));
    }
    let text = cx.text;
    let (s, e) = (cx.start, cx.end);
    let sentence = &text[s..e];
    let lang = if cx.english { "en" } else { "ja" };
    let kind = cx.kind.name();
    let names = cx.names.min(6);
    f.push(kv("names", names.to_string()));
    f.push(format!("names_stmt={names}_{kind}"));
    // The rules' reading.
    match cx.rule {
        Some(r) => {
            f.push("rule".into());
            f.push(kv("rule_lang", lang));
            f.push(kv("rule_stmt", kind));
            f.push(kv("rule_names", names.to_string()));
            if let Some(k) = &r.kind {
                f.push(kv("rule_kind", k));
            }
            let roles: Vec<&str> = r
                .parties
                .iter()
                .take(2)
                .map(|p| p.role.as_deref().unwrap_or("-"))
                .collect();
            f.push(format!("rule_roles={}", roles.join(",")));
        }
        None => {
            f.push(kv("norule_lang", lang));
            if cx.rule_records > 0 {
                f.push("norule_other_rule".into());
            }
        }
    }
    let verbs: Vec<&&ByteEntity> = cx
        .ents
        .iter()
        .filter(|x| matches!(x.kind, EntityKind::Verb { .. }))
        .collect();
    if let (Some(by), Some(m)) = (cx.issuer, cx.b) {
        f.push("issuer_pair".into());
        f.push(kv("issuer_by", by));
        f.push(format!("issuer_lang={lang}_{by}"));
        f.push(format!("issuer_names={by}_{names}"));
        if cx.deals.self_reference.is_match(sentence) {
            f.push("self_reference".into());
            f.push(kv("self_reference_by", by));
            f.push(format!("self_reference_names={by}_{names}"));
        }
        let first_term = cx
            .ents
            .iter()
            .find(|x| matches!(x.kind, EntityKind::Verb { .. }));
        if let Some(v) = first_term {
            let at = if v.start >= m.end { "after" } else { "before" };
            f.push(format!("issuer_term_at={at}_{lang}"));
            if let EntityKind::Verb { kind, .. } = &v.kind {
                f.push(kv("issuer_term_kind", kind));
                f.push(format!("issuer_term_kind_by={kind}_{by}"));
            }
        }
        f.push(format!("src2={}", source(m)));
        if !cx.english {
            f.push(format!(
                "issuer_mark={}",
                mark_name(ja_mark(&text[m.end..e]))
            ));
        }
        return f;
    }
    let (Some(a), Some(b)) = (cx.a, cx.b) else {
        f.push("guessed_party".into());
        return f;
    };
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    for (side, m) in [("1", first), ("2", second)] {
        f.push(format!("src{side}={}", source(m)));
        if let EntityKind::Company {
            name_en, name_ja, ..
        } = &m.kind
        {
            if name_en.is_some() || name_ja.is_some() {
                f.push(format!("known{side}"));
            }
        }
        let before = &text[s..m.start];
        let open = before.matches(['(', '「', '『', '[']).count();
        let close = before.matches([')', '」', '』', ']']).count();
        if open > close {
            f.push(format!("bracketed{side}"));
        }
    }
    // The term nearest to the pair and where the two stand around it.
    let nearest = verbs
        .iter()
        .min_by_key(|v| term_distance(first, second, v))
        .copied();
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
        f.push(kv("term_at", at));
        f.push(format!("term_at_lang={at}_{lang}"));
        if let EntityKind::Verb { kind, .. } = &v.kind {
            f.push(kv("term_kind", kind));
            f.push(format!("term_kind_at={kind}_{at}"));
            f.push(format!("term_roles={}", cx.deals.roles(kind).is_some()));
        }
        f.push(format!("term={}", clean(&text[v.start..v.end])));
        let gap = term_distance(first, second, v);
        f.push(format!("term_gap={}", bucket(gap, &[0, 6, 20, 60, 150])));
    } else {
        f.push("term_none".into());
    }
    // Between the two mentions.
    let gap = if first.end <= second.start {
        &text[first.end..second.start]
    } else {
        ""
    };
    f.push(format!(
        "gap={}",
        bucket(gap.len(), &[0, 3, 9, 30, 90, 200])
    ));
    let others = cx
        .ents
        .iter()
        .filter(|x| {
            x.start >= first.end
                && x.end <= second.start
                && company_str(&x.kind).is_some_and(|n| {
                    Some(n) != company_str(&first.kind) && Some(n) != company_str(&second.kind)
                })
        })
        .count();
    f.push(format!("others_between={}", others.min(3)));
    if cx.english {
        let words: Vec<String> = gap.split_whitespace().map(clean).collect();
        if words.len() <= 6 {
            for w in &words {
                f.push(kv("between", w));
            }
            f.push(format!("between_all={}", words.join("_")));
        } else {
            f.push("between_long".into());
        }
        let before_first = text[s..first.start].trim_end();
        let last = before_first
            .rsplit(' ')
            .next()
            .map(clean)
            .unwrap_or_default();
        f.push(kv("before1", last));
        if before_first.is_empty() {
            f.push("first_opens".into());
        }
        let before_second = text[..second.start].trim_end();
        let last2 = before_second
            .rsplit(' ')
            .next()
            .map(clean)
            .unwrap_or_default();
        f.push(kv("before2", last2));
        for (side, m) in [("1", first), ("2", second)] {
            let after = &text[m.end..e];
            if after.starts_with(['\'', '’']) {
                f.push(format!("possessive{side}"));
            }
            let next = after
                .split_whitespace()
                .next()
                .map(clean)
                .unwrap_or_default();
            f.push(format!("after{side}={next}"));
        }
    } else {
        let m1 = ja_mark(&text[first.end..e]);
        let m2 = ja_mark(&text[second.end..e]);
        f.push(format!("mark1={}", mark_name(m1)));
        f.push(format!("mark2={}", mark_name(m2)));
        f.push(format!("marks={}_{}", mark_name(m1), mark_name(m2)));
        let short: String = gap.chars().take(6).collect();
        if gap.chars().count() <= 6 {
            f.push(format!("between={}", clean(&short)));
        }
        let tail: String = text[second.end..e].chars().take(4).collect();
        f.push(format!("after2={}", clean(&tail)));
        let at_start = text[s..first.start].trim().is_empty();
        if at_start {
            f.push("first_opens".into());
        }
    }
    f
}
