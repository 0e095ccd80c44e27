//! The hand rules' reading of one statement: which companies they pair, with
//! which roles and kind. Japanese companies are marked by the particle after
//! them (は/が subject, と/を partner or object, に/へ recipient, から source,
//! 、/や/・ a list that shares the next mark), English ones by their side of the
//! first deal term; lists, headline subjects, shares as the target, relative
//! clauses, apposition and `through` subsidiaries are read here. Their output
//! is a feature of the candidate pairs ([`super::features`]): the model, not
//! these rules, decides which pairs become records.

use super::attributes::{best_verb, deal_amount, make_record, party, prose_evidence};
use super::statements::{Statement, BULLETS};
use super::{company_name, ByteEntity};
use crate::document::{EntityKind, Record};

pub(super) struct Mention<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    country: Option<String>,
    mark: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    Source,
    Topic,
    Subject,
    Partner,
    /// を: what the deal is done to.
    Object,
    /// に, へ: whom the deal goes to.
    Dative,
    List,
    Of,
    None,
}

pub(super) fn ja_mark(rest: &str) -> Mark {
    let rest = skip_noise(rest);
    for (p, m) in [
        ("とは", Mark::Partner),
        ("との", Mark::Partner),
        ("とも", Mark::Partner),
        ("と", Mark::Partner),
        ("から", Mark::Source),
        ("には", Mark::Dative),
        ("に", Mark::Dative),
        ("へ", Mark::Dative),
        ("を", Mark::Object),
        ("は", Mark::Topic),
        ("が", Mark::Subject),
        ("も", Mark::Topic),
        ("、", Mark::List),
        ("や", Mark::List),
        ("・", Mark::List),
        ("および", Mark::List),
        ("及び", Mark::List),
        ("ならびに", Mark::List),
        (",", Mark::List),
        ("の", Mark::Of),
    ] {
        if rest.starts_with(p) {
            return m;
        }
    }
    Mark::None
}

/// Skips what stands between a company and its particle: 社, a closing quote,
/// a bracket, a securities code (`<9832>`), spaces, and a count that belongs
/// to a list (`AとB、Cの3社は`, `の3行`, `の地方銀行3行は`).
pub(super) fn skip_noise(mut rest: &str) -> &str {
    loop {
        let before = rest;
        rest = rest.trim_start_matches([' ', '」', '』', '"', '”', '’', '.']);
        rest = rest.strip_prefix('社').unwrap_or(rest);
        for filler in ["など", "等", "各社", "両社", "**"] {
            rest = rest.strip_prefix(filler).unwrap_or(rest);
        }
        if let Some(after_no) = rest.strip_prefix('の') {
            // A short description may come before the count (`の地方銀行3行`,
            // `の電機大手4社`): kanji or katakana only, at most eight.
            let described = after_no
                .char_indices()
                .take(9)
                .find(|&(_, c)| !is_kanji_or_katakana(c) || "二三四五六七八九十両".contains(c))
                .map_or(after_no, |(i, _)| &after_no[i..]);
            let after_no = if described
                .starts_with(|c: char| c.is_ascii_digit() || "二三四五六七八九十両".contains(c))
            {
                described
            } else {
                after_no
            };
            let digits = after_no.trim_start_matches(|c: char| {
                c.is_ascii_digit() || "二三四五六七八九十両".contains(c)
            });
            if digits.len() < after_no.len() {
                if let Some(r) = ["社", "行", "者", "グループ"]
                    .iter()
                    .find_map(|w| digits.strip_prefix(w))
                {
                    rest = r;
                }
            }
        }
        for (open, close) in [('(', ')'), ('<', '>')] {
            if rest.starts_with(open) {
                if let Some(c) = rest.find(close) {
                    if c < 400 {
                        rest = &rest[c + 1..];
                    }
                }
            }
        }
        if rest == before {
            return rest;
        }
    }
}

/// Connectors between the companies of a Japanese list (`AとB`, `A、B`,
/// `「A」と兵庫県の「B」、それに大阪の「C」`): a short gap with no case particle.
pub(super) fn ja_list_gap(gap: &str) -> bool {
    let g = gap.trim_start_matches([' ', '」', '』', '社']);
    let Some(rest) = ["および", "及び", "ならびに", "、", "と", "や", "・", ","]
        .iter()
        .find_map(|c| g.strip_prefix(c))
    else {
        return false;
    };
    let rest = rest.trim_start_matches(['、', ' ']);
    let rest = ["それに", "さらに", "そして"]
        .iter()
        .find_map(|c| rest.strip_prefix(c))
        .unwrap_or(rest)
        .trim_start_matches(['、', ' ']);
    rest.chars().count() <= 8
        && !rest.contains(['は', 'が', 'を', 'に', 'で', 'も', 'と', '、', '。'])
}

/// A company written as `Xの株式を` / `Xの全株式を` / `Xの事業を` / `X株式に対する`:
/// what the deal acquires.
pub(super) fn of_shares(rest: &str) -> bool {
    let rest = skip_noise(rest);
    if let Some(r) = rest
        .strip_prefix("株式")
        .or_else(|| rest.strip_prefix('株'))
    {
        let r = skip_noise(r);
        return ["に対する", "を", "の取得", "の公開買"]
            .iter()
            .any(|p| r.starts_with(p));
    }
    let Some(after) = rest.strip_prefix('の') else {
        return false;
    };
    let Some(o) = after.find('を') else {
        return false;
    };
    let head = &after[..o];
    head.chars().count() <= 12
        && ["株", "事業", "持ち分", "持分"]
            .iter()
            .any(|w| head.contains(w))
}

/// Whether `a`..`b` is only a coordination in English (`, `, ` and `, `, and `, ` & `).
pub(super) fn en_coordinated(gap: &str) -> bool {
    matches!(
        gap.trim(),
        "," | "and" | ", and" | "&" | ", &" | "as well as"
    )
}

/// Whether `gap`, the words between a company and a later deal term, opens
/// a clause whose subject is a pronoun or `the company` (`… with X to make
/// cabins, and it announced a joint venture with Y`): the company is then no
/// subject of the term. A reporting clause (`, the company said`) opens none.
pub(super) fn pronoun_clause(gap: &str) -> bool {
    if !gap.contains([',', ';']) {
        return false;
    }
    let lower = gap.to_ascii_lowercase();
    lower.match_indices([',', ';']).any(|(i, _)| {
        let rest = lower[i + 1..].trim_start();
        let rest = ["and ", "but ", "while ", "then "]
            .iter()
            .find_map(|c| rest.strip_prefix(c))
            .unwrap_or(rest);
        // `, the company said`: a reporting clause names no new subject.
        ["it ", "the company ", "the firm ", "the group ", "they "]
            .iter()
            .filter_map(|p| rest.strip_prefix(p))
            .any(|after| {
                !["said", "says", "added", "told", "stated", "noted"]
                    .iter()
                    .any(|v| after.starts_with(v))
            })
    })
}

/// Records of one statement.
pub(super) fn sentence_records(st: &Statement) -> Vec<Record> {
    let text = st.text;
    let (s, e, ents) = (st.start, st.end, st.ents);
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
    let (year, year_source) = (st.year, st.year_source);
    let amount = deal_amount(text, ents, st.deals);
    let evidence = prose_evidence(text, s, e);
    let verb = best_verb(text, ents);
    let recipient = verb.as_ref().is_some_and(|v| st.deals.recipient_acts(v.0));
    let directed = verb.as_ref().and_then(|v| st.deals.roles(&v.1)).is_some();
    // (actor, acted on) for a directed kind, else two partners.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Companies through which another one acts (`傘下のXを通じて`): (index, actor).
    let mut through: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    if english {
        // `Toshiba Corporation ("Toshiba")`: a bracketed short name repeats the
        // company before it; `TMC, Toshiba's wholly owned subsidiary`: a
        // possessive apposition describes it.
        let mut k = 1;
        while k < mentions.len() {
            let gap = &text[mentions[k - 1].end..mentions[k].start];
            let bracket = gap
                .trim()
                .trim_start_matches('(')
                .trim_start_matches(['"', '“'])
                .is_empty()
                && gap.contains('(');
            let apposition = gap.trim() == ","
                && text[mentions[k].end..e].starts_with(['\'', '’'])
                && mentions[k - 1].start > verbs.first().map_or(e, |v| v.start);
            if bracket || apposition {
                mentions.remove(k);
            } else {
                k += 1;
            }
        }
        let Some(first_verb) = verbs
            .iter()
            .find(|v| mentions.first().is_some_and(|m| v.start > m.start))
        else {
            return out;
        };
        // `Y's $13.7bn purchase of Z`: a possessive just before the deal noun is
        // the one actor.
        let possessor = (0..mentions.len()).rev().find(|&i| {
            let m = &mentions[i];
            m.end <= first_verb.start
                && text[m.end..e].starts_with(['\'', '’'])
                && text[m.end..first_verb.start].split_whitespace().count() <= 4
        });
        // A company named in an apposition (`X, the trading arm of Y, has …`,
        // `X, a provider of Y's iPhone, is …`) or after `with` before a directed
        // term (`A agreed with B to acquire C`: B sells) is not a party.
        let subjects: Vec<usize> = match possessor {
            Some(p) => vec![p],
            None => (0..mentions.len())
                .filter(|&i| mentions[i].end <= first_verb.start)
                .filter(|&i| {
                    let before = text[s..mentions[i].start].trim_end();
                    let from_prev = if i == 0 {
                        ""
                    } else {
                        &text[mentions[i - 1].end.max(s)..mentions[i].start]
                    };
                    let apposition = i > 0
                        && [", the ", ", a ", ", an "]
                            .iter()
                            .any(|a| from_prev.starts_with(a));
                    !(before.ends_with(" of")
                        || before.ends_with(" by")
                        || apposition
                        || (directed && before.ends_with(" with"))
                        || pronoun_clause(&text[mentions[i].end..first_verb.start]))
                })
                .collect(),
        };
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
        if recipient {
            // A sold B to C: C acquires B (or A's business when B is not named).
            let to: Vec<usize> = objects
                .iter()
                .copied()
                .filter(|&i| text[s..mentions[i].start].trim_end().ends_with(" to"))
                .collect();
            let sold: Vec<usize> = objects
                .iter()
                .copied()
                .filter(|i| !to.contains(i))
                .collect();
            for &c in &to {
                for &b in if sold.is_empty() { &subjects } else { &sold } {
                    pairs.push((c, b));
                }
            }
        } else {
            for &a in &subjects {
                for &b in &objects {
                    pairs.push((a, b));
                }
            }
        }
        // "A and B signed …", "A, B and C formed a joint venture": the co-subjects
        // of a symmetric deal are partners of each other.
        let coordinated = subjects.len() >= 2
            && subjects
                .windows(2)
                .all(|w| en_coordinated(&text[mentions[w[0]].end..mentions[w[1]].start]));
        let symmetric = !directed;
        if coordinated && (objects.is_empty() || symmetric) {
            for (k, &a) in subjects.iter().enumerate() {
                for &b in &subjects[k + 1..] {
                    pairs.push((a, b));
                }
            }
        } else if subjects.len() == 2 && objects.is_empty() {
            pairs.push((subjects[0], subjects[1]));
        }
    } else {
        // X (the company through which another acts) is not a party of its own.
        for (i, m) in mentions.iter_mut().enumerate() {
            let rest = skip_noise(&text[m.end..e]);
            // `Xを傘下に置くY`: X describes Y (its parent's holding), not a party.
            let held = ["を傘下に置", "を傘下に持", "を傘下に抱え", "を子会社に持"]
                .iter()
                .any(|p| rest.starts_with(p));
            if held {
                m.mark = Mark::None;
            } else if rest.starts_with("を通じ") || rest.starts_with("を通し") {
                m.mark = Mark::None;
                through.push(i);
            } else if matches!(m.mark, Mark::Of | Mark::None) && of_shares(&text[m.end..e]) {
                m.mark = Mark::Object;
            }
        }
        // A headline `A、Bを子会社化` / `A<1234>、Bと提携`: the company that opens
        // the sentence before a comma is its subject.
        let has_subject = mentions
            .iter()
            .any(|m| matches!(m.mark, Mark::Subject | Mark::Topic));
        // A disclosure title `A(6890) - B株式に対する公開買付け` opens the same way.
        let titled = mentions.first().is_some_and(|m| {
            let rest = skip_noise(&text[m.end..e]);
            rest.starts_with("- ") || rest.starts_with(':') || rest.starts_with("、")
        });
        if !has_subject && mentions.len() >= 2 && titled {
            let opening = text[s..mentions[0].start].trim_start_matches(|c: char| {
                c.is_whitespace() || BULLETS.contains(&c) || c == '・'
            });
            let next_marked = matches!(
                mentions[1].mark,
                Mark::Partner | Mark::Object | Mark::Dative | Mark::Of
            );
            let list_goes_on = ja_list_gap(&text[mentions[0].end..mentions[1].start])
                && matches!(mentions[1].mark, Mark::List);
            if opening.chars().count() <= 2 && next_marked && !list_goes_on {
                mentions[0].mark = Mark::Subject;
            }
        }
        // A list shares the mark of the company that ends it.
        for i in (0..mentions.len()).rev() {
            if mentions[i].mark == Mark::List {
                if let Some(next) = mentions.get(i + 1) {
                    let gap = &text[mentions[i].end..next.start];
                    if gap.chars().count() <= 4 || ja_list_gap(gap) {
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
            // A company with は after the clause is the main subject (see below).
            if relative && m.mark != Mark::Topic {
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
        // `AとBが共同出資するCは、Dと…`: the が-clause before the topic is a relative
        // clause that describes C; A and B are partners of each other there
        // (joint owners), not parties of C's deal with D.
        let mut relative_owners: Vec<usize> = Vec::new();
        if let Some(t) = mentions.iter().position(|m| m.mark == Mark::Topic) {
            if let Some(g) = (0..t).rev().find(|&i| mentions[i].mark == Mark::Subject) {
                let clause = &text[mentions[g].end..mentions[t].start];
                let deal_in_clause = verbs
                    .iter()
                    .any(|v| v.start >= mentions[g].end && v.end <= mentions[t].start);
                let attributive = ["する", "した", "している", "していた"]
                    .iter()
                    .any(|w| clause.contains(w));
                if deal_in_clause && attributive && !clause.contains('、') {
                    relative_owners = (0..t)
                        .filter(|&i| matches!(mentions[i].mark, Mark::Subject | Mark::Partner))
                        .collect();
                }
            }
        }
        if relative_owners.len() >= 2 {
            for (k, &a) in relative_owners.iter().enumerate() {
                for &b in &relative_owners[k + 1..] {
                    pairs.push((a, b));
                }
            }
        }
        for &i in &relative_owners {
            mentions[i].mark = Mark::None;
        }
        let with = |marks: &[Mark]| -> Vec<usize> {
            (0..mentions.len())
                .filter(|&i| marks.contains(&mentions[i].mark))
                .collect()
        };
        let topics = with(&[Mark::Topic]);
        let ga = with(&[Mark::Subject]);
        let subjects = with(&[Mark::Subject, Mark::Topic]);
        let partners = with(&[Mark::Partner, Mark::Object, Mark::Dative]);
        let sources = with(&[Mark::Source]);
        if !verbs.is_empty() && recipient {
            // AはBをCに譲渡: C acquires B; AはCに事業を譲渡: C acquires A's business.
            let to = with(&[Mark::Dative]);
            let sold = with(&[Mark::Object]);
            for &c in &to {
                for &b in if sold.is_empty() { &subjects } else { &sold } {
                    pairs.push((c, b));
                }
            }
        } else if !verbs.is_empty() && !subjects.is_empty() && !partners.is_empty() {
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
            // AはBから出資を受けた: B is the investor; AはBから事業を取得: A acquires.
            let receives = text[s..e].contains("受け");
            for &a in &subjects {
                for &b in &sources {
                    pairs.push(if receives { (b, a) } else { (a, b) });
                }
            }
        } else if !verbs.is_empty() && partners.is_empty() && !topics.is_empty() && !ga.is_empty() {
            // AもBが協業する相手 / AはBが出資する企業: the topic is the other side.
            for &a in &topics {
                for &b in &ga {
                    pairs.push((b, a));
                }
            }
        } else if !verbs.is_empty() && subjects.len() >= 2 && partners.is_empty() && !directed {
            // A、B、Cの3社は経営統合: the members of one list are partners of each other.
            let listed = subjects.windows(2).all(|w| {
                w[1] == w[0] + 1 && ja_list_gap(&text[mentions[w[0]].end..mentions[w[1]].start])
            });
            if listed {
                for (k, &a) in subjects.iter().enumerate() {
                    for &b in &subjects[k + 1..] {
                        pairs.push((a, b));
                    }
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
                if let Some(h) = st.heading_company.filter(|h| *h != mentions[first].name) {
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
                        None if subjects.is_empty() => {
                            if let Some(h) = st.heading_company.filter(|h| *h != m.name) {
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
    if st.headline {
        // `AとB` + `両社は業務提携を結んだ。`: the headline's two companies.
        pairs.clear();
        if distinct.len() == 2 {
            let b = mentions.iter().position(|m| m.name != mentions[0].name);
            pairs.extend(b.map(|b| (0, b)));
        }
    }
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for (a, b) in pairs {
        let (ma, mb) = (&mentions[a], &mentions[b]);
        if ma.name == mb.name || seen.contains(&(a.min(b), a.max(b))) {
            continue;
        }
        seen.push((a.min(b), a.max(b)));
        // Japanese puts the verb after its parties: the pair's term is the first
        // one after both (AとBが共同出資するCは…Dと合意: 共同出資 for A and B).
        let verb = if english || st.headline {
            verb.clone()
        } else {
            let after: Vec<&ByteEntity> = verbs
                .iter()
                .filter(|v| v.start >= ma.end.max(mb.end))
                .map(|v| **v)
                .collect();
            best_verb(text, &after).or_else(|| verb.clone())
        };
        // Adoption (no deal term) is directional too: adopter, provider.
        let role = if verbs.is_empty() {
            Some(("adopter", "provider"))
        } else {
            verb.as_ref().and_then(|v| st.deals.roles(&v.1))
        };
        // Symmetric deals list the companies in order of appearance.
        let (ma, mb) = if role.is_none() && mb.start < ma.start {
            (mb, ma)
        } else {
            (ma, mb)
        };
        let mut parties = vec![
            party(ma.name, ma.country.clone(), role.map(|r| r.0)),
            party(mb.name, mb.country.clone(), role.map(|r| r.1)),
        ];
        for &t in &through {
            let m = &mentions[t];
            if m.name != ma.name && m.name != mb.name {
                parties.push(party(m.name, m.country.clone(), Some("through")));
            }
        }
        let (verb, kind_override) = if verbs.is_empty() {
            (None, Some("adoption"))
        } else {
            (verb, None)
        };
        let mut r = make_record(
            parties,
            verb,
            year,
            year_source,
            amount.clone(),
            evidence.clone(),
        );
        r.companies.truncate(2);
        if let Some(k) = kind_override {
            r.kind = Some(k.to_string());
        }
        out.push(r);
    }
    out
}

/// A kanji (CJK unified ideograph) or a katakana letter.
fn is_kanji_or_katakana(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{30A1}'..='\u{30FA}' | 'ー')
}

#[cfg(test)]
mod tests {
    use super::pronoun_clause;

    #[test]
    fn a_clause_with_a_pronoun_subject_and_not_a_reporting_clause() {
        assert!(pronoun_clause(
            " Corporation to make cabins, and it announced a "
        ));
        assert!(pronoun_clause(" last year; the company then signed a "));
        assert!(!pronoun_clause(
            " with the parent became effective, the company said. The "
        ));
        assert!(!pronoun_clause(" and its unit signed a "));
        assert!(!pronoun_clause(", which builds it"));
    }
}
