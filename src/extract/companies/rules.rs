//! Candidate source `rules`: company names found by the shape of the text
//! around them, one method per rule family (the `rule` field of an entity).
//!
//! Each family runs only where the paragraph's triggers (one Aho-Corasick pass
//! in `mod.rs`) found its cue words (a
//! legal form, a company-type ending, 社, a bracket, a deal term), and pushes
//! spans that do not overlap a span already taken; the gazetteer runs first.
//! No rule ever decides alone: every name goes through
//! [`CompanyExtractor::acceptable`] (ministries, universities, generic words).
//! The cue words and stop words are data (`dictionaries/org_rules.tsv`,
//! `countries.tsv`), not lists in this file.

use super::*;

/// What every rule family of one paragraph may look at.
pub(super) struct RuleContext {
    /// The rule families whose cue words occur (`Triggers` bits).
    pub triggers: u16,
    /// Whether the paragraph has quotes (「」『』).
    pub quoted: bool,
    /// Whether the paragraph has a deal term.
    pub deal_context: bool,
}

impl RuleContext {
    /// Whether a rule family of `bit` may match.
    pub fn has(&self, bit: u16) -> bool {
        self.triggers & bit != 0
    }

    /// Whether the paragraph speaks of companies: a deal term, a legal form, a
    /// company-type ending, 社 or a bracket (a head office, a country).
    pub fn speaks_of_companies(&self) -> bool {
        self.deal_context || self.has(T_LEGAL | T_SUFFIX | T_SHA | T_BRACKET)
    }
}

impl CompanyExtractor {
    /// `suffix` and `legal` for names written partly in hiragana before an
    /// ending or legal form of role `kana_name_suffix` (あさひ信用組合, 瀬戸内みらい
    /// 銀行, ひまわり在宅サポート株式会社, きらぼしキャピタル株式会社), which the other
    /// rules' character class leaves out. The name starts after the clause
    /// before it (see [`kana_name_start`]: 地元の|あさひ, 発覚した|あさひ); it holds
    /// two or more hiragana in a row and none of the words of
    /// [`kana_never_in_name`] (これら銀行, すべての銀行, さきごろ証券…), is no
    /// kana fragment left by a particle (のみ|らい), and its ending does not go
    /// on (証券会社). A gazetteer name
    /// in hiragana that it goes on from (あさひ of あさひ信用組合) gives way to it.
    /// Names without hiragana are left to the other rules.
    pub(super) fn kana_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        let gate = gated(text, cx.has(T_SUFFIX | T_LEGAL));
        for c in self.kana_name.captures_iter(gate) {
            let g = c.name("name").unwrap();
            let whole = c.get(0).unwrap();
            if !g.as_str().chars().any(crate::tokenize::is_hiragana) {
                continue;
            }
            // 医|薬品, した|石川銀行: an ending inside a word is no ending (a known
            // name that holds it is the gazetteer's).
            if overlapping(tokens, g.end(), g.end() + 1)
                .first()
                .is_some_and(|t| t.start < g.end())
            {
                continue;
            }
            let inside: Vec<&Token> = overlapping(tokens, g.start(), g.end())
                .iter()
                .filter(|t| t.start >= g.start() && t.end <= g.end())
                .collect();
            // A run that the previous match cut (…信用組合|と瀬戸内みらい銀行) opens
            // at no boundary.
            let opens = text[..g.start()].chars().next_back().is_none_or(|c| {
                !(crate::tokenize::is_hiragana(c)
                    || is_katakana(c)
                    || is_han(c)
                    || c.is_ascii_alphanumeric())
            });
            let start = kana_name_start(text, &inside, opens, g.start());
            let (start, _) = trim_leading_generic(text, start, g.end(), tokens, &self.generic);
            let start = after_list_separator(text, start, g.end());
            let (start, name) = self.without_country_prefix(start, &text[start..g.end()]);
            let words = inside.iter().filter(|t| t.start >= start);
            let kana_run = name
                .chars()
                .zip(name.chars().skip(1))
                .any(|(a, b)| crate::tokenize::is_hiragana(a) && crate::tokenize::is_hiragana(b));
            if !kana_run
                || name.starts_with(|c: char| "ぁぃぅぇぉっゃゅょゎゕゖんー".contains(c))
                || words.clone().any(|t| kana_never_in_name(t))
                || self.generic.contains(name)
            {
                continue;
            }
            // 地元のみらい銀行, read のみ|らい: a kana fragment after a particle of
            // two or more characters may have lost its first character to it.
            let fragment = words.clone().next().is_some_and(|t| {
                let w = &text[t.start..t.end];
                w.chars().all(crate::tokenize::is_hiragana) && w.chars().count() <= 2
            }) && inside.iter().rfind(|t| t.end == start).is_some_and(|t| {
                word_tag_is(t, "助詞") && text[t.start..t.end].chars().count() >= 2
            });
            if fragment {
                continue;
            }
            let suffix = &c["suffix"];
            let after = text[whole.end()..].chars().next();
            // 証券会社, …キャピタルパートナーズ: the ending goes on as another word.
            if after.is_some_and(|a| {
                self.suffix_stop_after.contains(&a) || a == '会' || a != '・' && is_katakana(a)
            }) {
                continue;
            }
            let surface = &text[start..whole.end()];
            let (accepted, name, rule) = if c.name("form").is_some() {
                // きらぼしキャピタル株式会社: the name with its ending, then its form.
                let named = &text[start..c.name("suffix").unwrap().end()];
                (self.acceptable_with_form(named), named, "legal")
            } else if self.legal_forms.iter().any(|l| l == suffix) {
                (self.acceptable_with_form(name), name, "legal")
            } else {
                (self.acceptable(surface), surface, "suffix")
            };
            if !accepted {
                continue;
            }
            // あさひ + 信用組合: a known name in hiragana inside gives way, when
            // nothing else stands in the name's way.
            let end = whole.end();
            let gives_way = |t: &Span| {
                matches!(&t.kind, EntityKind::Company { rule, .. } if rule == "gazetteer")
                    && text[t.start..t.end]
                        .chars()
                        .all(crate::tokenize::is_hiragana)
                    && start <= t.start
                    && t.end < end
            };
            if taken
                .iter()
                .any(|t| t.start < end && start < t.end && !gives_way(t))
            {
                continue;
            }
            taken.retain(|t| !gives_way(t));
            push(taken, self.span(start, end, surface, name, rule, None));
        }
    }

    /// `legal`: a name before or after a Japanese legal form (株式会社さくら精工,
    /// さくら精工株式会社), with the fields of disclosure forms as boundaries.
    pub(super) fn legal_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        for c in self
            .legal_before
            .captures_iter(gated(text, cx.has(T_LEGAL)))
        {
            let g = c.name("name").unwrap();
            // サクラ精工株式会社は: the legal form ends a name, it does not start one,
            // unless a form's field label comes before it (会社名 株式会社サクラ精工).
            let head = &text[..c.get(0).unwrap().start()];
            let before = head.chars().next_back();
            if before.is_some_and(|b| is_katakana(b) || b.is_ascii_alphanumeric() || is_han(b))
                && !self.ends_with_field_label(head)
            {
                continue;
            }
            // 合同会社による…: a particle after the form starts no name.
            if overlapping(tokens, g.start(), g.start() + 1)
                .first()
                .is_some_and(|t| {
                    t.start == g.start()
                        && t.pos == PosClass::Particle
                        && [
                            "による",
                            "において",
                            "に",
                            "の",
                            "が",
                            "は",
                            "を",
                            "と",
                            "で",
                            "から",
                        ]
                        .contains(&&text[t.start..t.end])
                })
            {
                continue;
            }
            // 株式会社アルファ代表者名…: the next field of a form ends the name.
            let name = self.before_field_label(g.as_str());
            let name = strip_trailing_titles(name, &self.trailing_titles);
            if self.acceptable_with_form(name) {
                let whole = c.get(0).unwrap();
                let end = g.start() + name.len();
                push(
                    taken,
                    self.span(
                        whole.start(),
                        end,
                        &text[whole.start()..end],
                        name,
                        "legal",
                        None,
                    ),
                );
            }
        }
        for c in self.legal_after.captures_iter(gated(text, cx.has(T_LEGAL))) {
            let g = c.name("name").unwrap();
            let whole = c.get(0).unwrap();
            let (start, name) =
                trim_leading_generic(text, g.start(), g.end(), tokens, &self.generic);
            // 会社名 株式会社…, 概要 株式会社…: a label or a common noun before a
            // legal form that a name follows is not a name; the form starts the next one.
            let next_starts_name = text[whole.end()..]
                .chars()
                .next()
                .is_some_and(|c| is_katakana(c) || is_han(c) || c.is_ascii_alphanumeric());
            if self.ends_with_field_label(name)
                || next_starts_name && !self.has_proper_part(start, g.end(), text, tokens)
            {
                continue;
            }
            if self.acceptable_with_form(name) {
                push(
                    taken,
                    self.span(
                        start,
                        whole.end(),
                        &text[start..whole.end()],
                        name,
                        "legal",
                        None,
                    ),
                );
            }
        }
    }

    /// `bracket_country` and `bracket_place`: a name followed by its country or
    /// its head office in brackets (NTTドコモ(日本), 三信(東京都中央区)).
    pub(super) fn bracket_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        for c in self.bracket.captures_iter(gated(text, cx.has(T_BRACKET))) {
            let g = c.name("name").unwrap();
            let (start, name) = bracket_name(text, g.start(), g.end());
            let country = self
                .countries
                .get(&c["country"])
                .map(|(code, _)| code.clone());
            if self.acceptable(name) && latin_boundaries_ok(text, start, g.end()) {
                push(
                    taken,
                    self.span(start, g.end(), name, name, "bracket_country", country),
                );
            }
        }
        // 三信(東京都中央区), GREENINE(東京都港区), SCB(大阪市。売上高…): the place of
        // the head office in brackets follows a company's name in Japanese news.
        for c in self
            .bracket_place
            .captures_iter(gated(text, cx.has(T_BRACKET)))
        {
            let g = c.name("name").unwrap();
            let (start, name) =
                trim_leading_generic(text, g.start(), g.end(), tokens, &self.generic);
            let inside = overlapping(tokens, start, g.end());
            let one_common_word = inside.len() == 1
                && matches!(
                    inside[0].pos,
                    PosClass::Noun | PosClass::Other | PosClass::Place
                );
            if self.acceptable(name)
                && !one_common_word
                && latin_boundaries_ok(text, start, g.end())
            {
                // 日立北海道(札幌市): a known name and a place or katakana word
                // before a head office is a group company, not the known one.
                if let Some(k) = taken.iter().position(|t| {
                    t.start == start
                        && t.end < g.end()
                        && matches!(&t.kind, EntityKind::Company { rule, .. } if rule == "gazetteer")
                        && self.group_tail(text, tokens, t.end, g.end())
                }) {
                    taken.remove(k);
                }
                push(
                    taken,
                    self.span(start, g.end(), name, name, "bracket_place", None),
                );
            }
        }
    }

    /// Whether `text[s..e]` after a known name is one place or katakana word
    /// that names a group company (デンソー|福島, トヨタ|東日本), not a site or
    /// a title (`…本社`, `…工場`).
    fn group_tail(&self, text: &str, tokens: &[Token], s: usize, e: usize) -> bool {
        let inside = overlapping(tokens, s, e);
        let tail = &text[s..e];
        inside.first().is_some_and(|t| t.start == s)
            && inside.last().is_some_and(|t| t.end == e)
            && (inside.iter().all(|t| t.pos == PosClass::Place) || is_katakana_only(tail))
            && !self
                .trailing_titles
                .iter()
                .any(|w| tail.ends_with(w.as_str()))
            && !self.site_word.iter().any(|w| tail.ends_with(w.as_str()))
    }

    /// `sha`: a katakana or Latin name before the generic 社 (ノースウィンド社),
    /// with a country prefix outside.
    pub(super) fn sha_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        for c in self.sha.captures_iter(gated(text, cx.has(T_SHA))) {
            let g = c.name("name").unwrap();
            let whole = c.get(0).unwrap();
            let after = text[whole.end()..].chars().next();
            if after.is_some_and(|a| self.sha_stop_after.contains(&a)) {
                continue;
            }
            // The name must start where a word starts.
            let before = text[..g.start()].chars().next_back();
            if c.name("country").is_none()
                && before.is_some_and(|b| is_katakana(b) || is_word_char(b))
            {
                continue;
            }
            if is_katakana_only(g.as_str()) && self.all_common_nouns(g.start(), g.end(), tokens) {
                continue;
            }
            // `ドラッグストア2社`, `大手3社`: a count of companies, not a name.
            if g.as_str().ends_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let country = c
                .name("country")
                .and_then(|k| self.countries.get(k.as_str()))
                .map(|(code, _)| code.clone());
            if self.acceptable(g.as_str()) {
                push(
                    taken,
                    self.span(g.start(), g.end(), g.as_str(), g.as_str(), "sha", country),
                );
            }
        }
    }

    /// `suffix`: a name before a company-type ending (さくら銀行, 浙江華星科技).
    pub(super) fn suffix_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        // The holding words again, for a name whose own words end in a
        // company-type ending (国際|興業|ホールディングス).
        let gate = gated(text, cx.has(T_SUFFIX));
        for c in self
            .suffix
            .captures_iter(gate)
            .chain(self.holding_suffix.captures_iter(gate))
        {
            let g = c.name("name").unwrap();
            let whole = c.get(0).unwrap();
            // 医|薬品: an ending inside a common word (医薬品) is no ending.
            if overlapping(tokens, g.end(), g.end() + 1)
                .first()
                .is_some_and(|t| t.start < g.end() && t.pos == PosClass::Noun)
            {
                continue;
            }
            let (start, _) = trim_leading_generic(text, g.start(), g.end(), tokens, &self.generic);
            // 山田支庁・三井銀行: a list before the name stays outside.
            let start = after_list_separator(text, start, g.end());
            let name = &text[start..g.end()];
            // 中国・山東如意科技, 米国アルファ電子: a country before the name stays outside.
            // 米食品: a one-character country before a company-type ending is a description.
            if self
                .countries
                .get(name)
                .is_some_and(|(_, one_char)| *one_char && name.chars().count() == 1)
            {
                continue;
            }
            let (start, name) = match self.without_country_prefix(start, name) {
                // 日本産業ホールディングス: a country before kanji common nouns
                // and a holding word is part of the name.
                (s, rest)
                    if self.kanji_name_suffix.contains(&c["suffix"])
                        && rest.chars().all(is_han)
                        && !self.has_proper_part(s, g.end(), text, tokens) =>
                {
                    (start, name)
                }
                other => other,
            };
            // `4信金`, `1アルファテクノロジー`: a count or a rank before the name.
            let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && digits == name.len() {
                continue;
            }
            let (start, name) = match name[digits..].chars().next() {
                Some(c) if digits > 0 && !c.is_ascii() => (start + digits, &name[digits..]),
                _ => (start, name),
            };
            if self.generic.contains(name) || name.is_empty() {
                continue;
            }
            // 静岡、八十二、山梨中央各銀行: `各` before the ending makes a list of
            // names that share it, none of them written whole.
            if name.ends_with('各') {
                continue;
            }
            // A word that continues after the suffix (銀行業, 証券化) is not a name.
            let after = text[whole.end()..].chars().next();
            if after.is_some_and(|a| self.suffix_stop_after.contains(&a)) {
                continue;
            }
            // A katakana word before ホールディングス, コーポレーション or カンパニー is a
            // name even when IPADIC knows it as a common noun (ハナミズキホールディングス).
            // Two or more kanji (with katakana) before ホールディングス are a name too
            // (国際興業ホールディングス).
            // Two or more kanji before a cooperative bank's ending are its
            // name (恩友信用組合, 東神信用金庫), IPADIC's places or not.
            // One katakana common noun before カンパニー describes a company
            // (グローバルカンパニー, リーディングカンパニー): a name needs more.
            let descriptive = &c["suffix"] == "カンパニー" && {
                let inside = overlapping(tokens, start, g.end());
                inside.len() == 1
                    && inside[0].start == start
                    && inside[0].end == g.end()
                    && inside[0].is_common_noun()
            };
            let ending_makes_name = self.katakana_name_suffix.contains(&c["suffix"])
                && is_katakana_only(name)
                && name.chars().count() >= 3
                && !descriptive
                || self.kanji_name_suffix.contains(&c["suffix"]) && is_kanji_name(name)
                || self.cooperative_suffix.contains(&c["suffix"])
                    && name.chars().count() >= 2
                    && name.chars().all(is_han);
            if !ending_makes_name && !self.has_proper_part(start, g.end(), text, tokens) {
                continue;
            }
            let end = katakana_words_after(
                text,
                name,
                &c["suffix"],
                whole.end(),
                &self.name_continuation,
            );
            let surface = &text[start..end];
            if self.acceptable(surface) {
                push(
                    taken,
                    self.span(start, end, surface, surface, "suffix", None),
                );
            }
        }
    }

    /// `english_legal`: an English name before a legal form or company word
    /// (Acme Motor Co., Ltd.), coordinated names split.
    pub(super) fn english_legal_names(&self, text: &str, cx: &RuleContext, taken: &mut Vec<Span>) {
        for c in self
            .english_legal
            .captures_iter(gated(text, cx.has(T_EN_LEGAL)))
        {
            let g = c.name("name").unwrap();
            // `ă Foods SA` of `Mioriță Foods SA`: a name opens a word, with a capital.
            if !latin_boundaries_ok(text, g.start(), g.end())
                || g.as_str().starts_with(char::is_lowercase)
            {
                continue;
            }
            // `Citibank, N.A.`, but `Operating Margin N.A.` (not available): some
            // forms end a name only after a comma.
            if self.bare_comma_form(&text[g.start()..c.name("legal").unwrap().end()]) {
                continue;
            }
            // `Federal Communications Commission`: a company word followed by a
            // capitalised word is inside a longer name, not at its end.
            if c.name("word").is_some()
                && c.name("word").unwrap().end() == c.name("legal").unwrap().end()
            {
                let rest = &text[c.name("legal").unwrap().end()..];
                if rest
                    .strip_prefix(' ')
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
                {
                    continue;
                }
            }
            // A place before a legal form is part of the name (Tokyo Dome Corp.).
            let (start, name) = trim_english_stop(
                text,
                g.start(),
                g.end(),
                &self.en_function,
                &self.en_possessive,
                &self.en_descriptor,
            );
            let (start, name) = self.after_section_word(start, name);
            // `Ministry of Energy`, `U.S. Securities`: a company word after a stop
            // word or a place makes no company name.
            let first = name.split(' ').next().unwrap_or("");
            if c.name("word").is_some()
                && (self.en_function.contains(first)
                    || self.en_place.contains(first)
                    || self.en_stop.contains(first) && name.split(' ').any(|w| w == "of")
                    || self.after_body_name(&text[..start]))
            {
                continue;
            }
            // `Pte. Ltd.` of `Acme Holdings (Asia) Pte. Ltd.`: the first word of a
            // legal form is no name.
            if self
                .en_legal
                .iter()
                .any(|l| l.strip_prefix(name).is_some_and(|r| r.starts_with(' ')))
            {
                continue;
            }
            // `Nordlys Air and Pacifica Airways`: before a company word (not a legal
            // form) a coordination is two names, and only the last one has the word.
            if c.name("word").is_some() && !self.company_word_name_ok(name) {
                continue;
            }
            // `Grupo Alfa of Acme Bread Company`: before a company word, the name
            // starts after `of`.
            // `Research Institute of Posts and Telecommunications` is no company.
            let (start, name) = match (c.name("word"), name.rfind(" of ")) {
                (Some(_), Some(p)) => {
                    let before = name[..p].rsplit(' ').next().unwrap_or("");
                    if self.en_stop.contains(before) {
                        continue;
                    }
                    (start + p + " of ".len(), &name[p + " of ".len()..])
                }
                _ => (start, name),
            };
            let (start, name) = match (c.name("word"), name.rfind(" and ")) {
                (Some(_), Some(p)) => (start + p + " and ".len(), &name[p + " and ".len()..]),
                _ => (start, name),
            };
            // `Samsung SDI Co. and SK Innovation Co.` is two names; in `... Holdings.
            // Mitsui Fudosan Co.` the name starts after the sentence end.
            let mut segments = Vec::new();
            let (seg_start, mut seg_end) = (start, c.name("legal").unwrap().end());
            let mut name_end = start + name.len();
            // `Acme Wind GmbH & Co. KG`: a legal form with `&` in it is one form,
            // not two names.
            if let Some(l) = self.en_legal.iter().find(|l| {
                l.contains(" & ")
                    && text[seg_start..seg_end].ends_with(l.as_str())
                    && text[seg_start..seg_end].len() > l.len()
            }) {
                name_end = name_end.min(seg_end - l.len());
            }
            loop {
                let cut = self.last_name_start(&text[seg_start..name_end]);
                segments.push((seg_start + cut, seg_end));
                if cut == 0 {
                    break;
                }
                let left = text[seg_start..seg_start + cut].trim_end_matches([' ', ',']);
                let left = left
                    .strip_suffix(" and")
                    .or_else(|| left.strip_suffix(" &"))
                    .unwrap_or(left)
                    .trim_end_matches([' ', ',']);
                let Some(l) = self.en_legal.iter().find(|l| left.ends_with(l.as_str())) else {
                    break;
                };
                seg_end = seg_start + left.len();
                name_end = seg_end - l.len();
            }
            for (s, e) in segments {
                // `… and Germany's Brenner GmbH`: a possessive place before a
                // later name stays outside too.
                let (mut s, _) = trim_english_stop(
                    text,
                    s,
                    e,
                    &self.en_function,
                    &self.en_possessive,
                    &self.en_descriptor,
                );
                // `Mitsui Fudosan and Yomiuri Shimbun Holdings`, `T-Mobile and
                // United States Cellular Corp.`: a known company, or a capitalised
                // word that is none of the 25,000 frequent words of
                // `english_words.txt`, before `and` ends a name of its own (`Iron
                // and Steel Group`, `Investment and Construction Corporation` are
                // one name; two surnames the gazetteer does not know, `Smith and
                // Wesson Inc.`, are split).
                if let Some((left, right)) = text[s..e].rsplit_once(" and ") {
                    let last = left.rsplit(' ').next().unwrap_or(left);
                    // `Procter and Gamble Co.` is the gazetteer's `Procter & Gamble`.
                    let whole = self
                        .without_english_legal_form(&text[s..e])
                        .replace(" and ", " & ");
                    if !right.is_empty()
                        && self.lookup(&whole).is_none()
                        && (self.lookup(left).is_some()
                            || last.starts_with(|c: char| c.is_ascii_uppercase())
                                && !super::is_frequent_english_word(last))
                    {
                        // `Chile's SQM and U.S.-based Albemarle Corp.`: the later
                        // name loses its own possessive place or descriptor.
                        s = trim_english_stop(
                            text,
                            s + left.len() + " and ".len(),
                            e,
                            &self.en_function,
                            &self.en_possessive,
                            &self.en_descriptor,
                        )
                        .0;
                    }
                }
                if let Some(span) = self.english_legal_span(text, s, e) {
                    push(taken, span);
                }
            }
        }
    }

    /// Whether `head`, the text before a name, ends with a body's name and
    /// `for` or `of` (`Moroccan Agency for`, `Indian Institute of`): a company
    /// word after them ends the body's name (`Sustainable Energy`), not a
    /// company's.
    fn after_body_name(&self, head: &str) -> bool {
        head.strip_suffix(" for ")
            .or_else(|| head.strip_suffix(" of "))
            .and_then(|h| h.rsplit(' ').next())
            .is_some_and(|w| self.en_not_ending.contains(w))
    }

    /// `securities_code`: a name followed by its four-digit securities code
    /// (`アルファ<1234>`, `アルファ (T:1234)`, `アルファ(東証プライム:1234)`,
    /// `アルファ(1234)` when the number cannot be a year).
    pub(super) fn securities_code_names(
        &self,
        text: &str,
        tokens: &[Token],
        taken: &mut Vec<Span>,
    ) {
        // Cheap gate: four digits and a closing bracket (`1234)`, `1234>`, `1234】`).
        let b = text.as_bytes();
        let has_code = b
            .windows(5)
            .any(|w| w[..4].iter().all(u8::is_ascii_digit) && matches!(w[4], b')' | b'>' | 0xE3));
        if !has_code {
            return;
        }
        for c in self.securities_code.captures_iter(text) {
            // A bare number in brackets is a code only outside the years.
            if let Some(code) = c.name("code").filter(|_| c.name("label").is_none()) {
                let n: u32 = code.as_str().parse().unwrap_or(0);
                if n < 1300 || (1900..2100).contains(&n) {
                    continue;
                }
            }
            let g = c.name("name").unwrap();
            // Common nouns before the name are cut, unless only a Latin
            // abbreviation would remain (川金HD).
            let (start, rest) =
                trim_leading_generic(text, g.start(), g.end(), tokens, &self.generic);
            let start = if rest.len() <= 3 && rest.is_ascii() {
                g.start()
            } else {
                start
            };
            let start = after_list_separator(text, start, g.end());
            let (start, name) = self.without_country_prefix(start, &text[start..g.end()]);
            let (start, name) = trim_english_stop(
                text,
                start,
                start + name.len(),
                &self.en_stop,
                &self.en_possessive,
                &self.en_descriptor,
            );
            if name.chars().all(|c| c.is_ascii_digit())
                || !self.acceptable(name)
                || !self.boundaries_ok(text, start, g.end(), tokens)
            {
                continue;
            }
            push(
                taken,
                self.span(start, g.end(), name, name, "securities_code", None),
            );
        }
    }

    /// `english_bracket`: an English name followed by its acronym or its stock
    /// ticker in brackets (`Acme Widget Bank (AWB)`, `Acme (NYSE: ACM)`,
    /// `Acme Inc (ACM.N)`); an acronym must be the initials of the name's last
    /// words, and is a company mention of its own.
    pub(super) fn english_bracket_names(
        &self,
        text: &str,
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        // Cheap gate: a bracket that opens on a capital letter.
        let opens_on_capital = text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'(' && w[1].is_ascii_uppercase());
        if !cx.has(T_BRACKET) || !opens_on_capital {
            return;
        }
        for c in self.english_bracket.captures_iter(text) {
            let g = c.name("name").unwrap();
            let (start, name) = trim_english_stop(
                text,
                g.start(),
                g.end(),
                &self.en_function,
                &self.en_possessive,
                &self.en_descriptor,
            );
            let start = match c.name("acronym") {
                Some(a) if a.len() < 3 => continue,
                Some(a) => match acronym_start(name, a.as_str()) {
                    Some(k) => start + k,
                    None => continue,
                },
                // A ticker: the last name of a list (`A, B and C (NYSE: C)`).
                None => start + self.last_name_start(name),
            };
            let name = &text[start..g.end()];
            // `Acme’s Integrated Widget Design (IWD)`: a company's own product,
            // method or unit.
            let head = text[..start].trim_end_matches(' ');
            if c.name("acronym").is_some() && (head.ends_with("'s") || head.ends_with("’s")) {
                continue;
            }
            let last = name.rsplit(' ').next().unwrap_or("");
            let first = name.split(' ').next().unwrap_or("");
            if name.is_empty()
                || self.en_stop.contains(last)
                || self.en_stop.contains(name)
                || self.en_function.contains(first)
                || self.en_stop.contains(first) && name.split(' ').any(|w| w == "of")
                || self.en_place.contains(first)
                || !self.acceptable(name)
                || !latin_boundaries_ok(text, start, g.end())
            {
                continue;
            }
            push(
                taken,
                self.span(start, g.end(), name, name, "english_bracket", None),
            );
            if let Some(a) = c.name("acronym") {
                if a.len() >= 3
                    && !self.en_stop.contains(a.as_str())
                    && !self.en_place.contains(a.as_str())
                {
                    push(
                        taken,
                        self.span(
                            a.start(),
                            a.end(),
                            a.as_str(),
                            a.as_str(),
                            "english_bracket",
                            None,
                        ),
                    );
                }
            }
        }
    }

    /// `appositive`, `deal_object`, `deal_subject`: a katakana or Latin name
    /// after a describing noun or country, or as the subject or object of a
    /// deal term.
    pub(super) fn context_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        // スタートアップのAcme AI, カナダのアリマンタシォン・クシュタール, 米Blue Yonderを買収.
        for (re, rule, needs_deal, needs) in [
            (&self.appositive, "appositive", false, T_APPOSITIVE),
            (&self.deal_object, "deal_object", true, T_DEAL_OBJECT),
            (&self.deal_subject, "deal_subject", true, T_DEAL_SUBJECT),
        ] {
            if needs_deal && !cx.deal_context || !cx.has(needs) {
                continue;
            }
            for c in re.captures_iter(text) {
                let g = c.name("name").unwrap();
                let name = g.as_str().trim_end_matches(['.', ',']);
                let end = g.start() + name.len();
                // Latin names, accented ones included, are checked as Latin.
                let latin = !name.chars().any(is_japanese);
                let ok = if latin {
                    (name.len() >= 4 || name.chars().any(|c| c.is_ascii_lowercase()))
                        && !self.en_stop.contains(name)
                        && latin_boundaries_ok(text, g.start(), end)
                } else {
                    self.has_unknown_or_proper(g.start(), end, text, tokens)
                };
                if ok && self.acceptable(name) && !(cx.quoted && inside_quotes(text, g.start())) {
                    // 米Blue Yonderを買収, カナダのアリマンタシォン: the country before the
                    // name is the company's.
                    let country = c
                        .name("country")
                        .and_then(|m| self.countries.get(m.as_str()))
                        .map(|(code, _)| code.clone());
                    push(taken, self.span(g.start(), end, name, name, rule, country));
                }
            }
        }
    }

    /// `appositive` in kanji: a name of two to eight kanji after a foreign
    /// country and の, before a particle, in a deal paragraph, whose first word
    /// IPADIC reads as a proper noun, a person's name or unknown, never a place
    /// (台湾の|華邦|精密と資本業務提携; not 中国の|上海市と, 台湾の|半導体大手と).
    pub(super) fn appositive_han_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        if !cx.deal_context || !cx.has(T_APPOSITIVE) {
            return;
        }
        for c in self.appositive_han.captures_iter(text) {
            let g = c.name("name").unwrap();
            let country = &text[c.get(0).unwrap().start()..g.start()];
            if country.starts_with("日本") {
                continue;
            }
            let first = overlapping(tokens, g.start(), g.start() + 1).first();
            let proper = first.is_some_and(|t| {
                t.start == g.start()
                    && t.end < g.end()
                    && matches!(
                        t.pos,
                        PosClass::Person
                            | PosClass::ProperNoun
                            | PosClass::Organization
                            | PosClass::Unknown
                    )
            });
            let name = g.as_str();
            if proper
                && self.acceptable(name)
                && self.boundaries_ok(text, g.start(), g.end(), tokens)
            {
                push(
                    taken,
                    self.span(g.start(), g.end(), name, name, "appositive", None),
                );
            }
        }
    }

    /// `deal_object` in kanji, in a deal paragraph: the run of kanji (a katakana
    /// tail allowed, at most twelve characters, not glued to a Latin letter or
    /// digit) right before に/と/を/から and a deal word (`東和化成が三春医薬を買収`),
    /// or that run without a one-character country before it (`米`), on token
    /// boundaries and made only of nouns, none a person's suffix (`氏`, `様`).
    /// It opens with a word unknown to IPADIC, or with a person's name or a
    /// proper noun and more (`小松|紡績`, `成城|石井`); a place or an
    /// organisation opens it only when all that follows is proper (never
    /// `米国|事業`, `日経|平均`, `国連`). A `generic` last word (事業, 企業), a
    /// trailing title (社長, 部長, 知事), a non-company ending and a name of one
    /// kanji and katakana (`米クラフト…`, which `deal_object` reads) give none.
    pub(super) fn deal_object_han_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        if !cx.deal_context || !cx.has(T_DEAL_OBJECT) {
            return;
        }
        for m in self.deal_object_tail.find_iter(text) {
            let e = m.start();
            let mut s = e;
            // At most one character past the longest name: a longer run gives none.
            for (i, c) in text[..e].char_indices().rev().take(13) {
                if !is_han(c) && !is_katakana(c) {
                    break;
                }
                s = i;
            }
            let glued = text[..s]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if s == e || glued || text[s..e].chars().count() > 12 {
                continue;
            }
            let mut starts = vec![s];
            if let Some(c) = text[s..e].chars().next() {
                let rest = s + c.len_utf8();
                if self.countries.get(&text[s..rest]).is_some_and(|(_, p)| *p) {
                    starts.push(rest);
                }
            }
            for s in starts {
                if let Some(span) = self.kanji_deal_object(text, tokens, cx, s, e) {
                    push(taken, span);
                    break;
                }
            }
        }
    }

    /// The `deal_object` span of `text[s..e]` in kanji, when its words allow
    /// one ([`Self::deal_object_han_names`]).
    fn kanji_deal_object(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        s: usize,
        e: usize,
    ) -> Option<Span> {
        let name = &text[s..e];
        let mut chars = name.chars();
        let (first_char, second) = (chars.next()?, chars.next()?);
        if !is_han(first_char) || is_katakana(second) {
            return None;
        }
        let proper = |t: &Token| {
            matches!(
                t.pos,
                PosClass::Person
                    | PosClass::ProperNoun
                    | PosClass::Organization
                    | PosClass::Unknown
            )
        };
        let noun = |t: &Token| proper(t) || matches!(t.pos, PosClass::Place | PosClass::Noun);
        let inside = overlapping(tokens, s, e);
        let (first, last) = (inside.first()?, inside.last()?);
        if first.start != s
            || last.end != e
            || !inside.iter().all(|t| noun(t) && !t.is_person_suffix())
        {
            return None;
        }
        let opening_ok = match first.pos {
            // 成城|石井, 小松|紡績: a person's name (or two) and more.
            PosClass::Person | PosClass::ProperNoun => inside.len() >= 2,
            // One word IPADIC does not know, or it and more.
            PosClass::Unknown => true,
            // A place or an organisation only before proper words (米国|事業,
            // 日経|平均 and 国連 alone are none).
            PosClass::Place | PosClass::Organization => {
                inside.len() >= 2
                    && inside
                        .iter()
                        .skip(1)
                        .all(|t| proper(t) || t.pos == PosClass::Place)
                    && inside.iter().skip(1).any(proper)
            }
            _ => false,
        };
        let ok = opening_ok
            && !self.generic.contains(&text[last.start..e])
            && !self
                .trailing_titles
                .iter()
                .any(|t| name.ends_with(t.as_str()))
            && self.acceptable(name)
            && !(cx.quoted && inside_quotes(text, s));
        ok.then(|| self.span(s, e, name, name, "deal_object", None))
    }

    /// `coordination`: two names joined by と before a particle in a deal
    /// paragraph (アルファとベータが提携).
    pub(super) fn coordination_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        if cx.deal_context && cx.has(T_COORDINATION) {
            for c in self.coordination.captures_iter(text) {
                for g in [c.name("a").unwrap(), c.name("b").unwrap()] {
                    let (start, name) =
                        trim_leading_generic(text, g.start(), g.end(), tokens, &self.generic);
                    if self.acceptable(name)
                        && self.has_unknown_or_proper(start, g.end(), text, tokens)
                    {
                        push(
                            taken,
                            self.span(start, g.end(), name, name, "coordination", None),
                        );
                    }
                }
            }
        }
    }

    /// `english_context`, `english_apposition`: English names as the object or
    /// subject of a deal verb, or after a place's possessive or a describing noun.
    pub(super) fn english_context_names(
        &self,
        text: &str,
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) {
        let has_english = text.bytes().any(|b| b.is_ascii_lowercase());
        for (re, on, rule) in [
            (&self.english_object, has_english, "english_context"),
            (
                &self.english_subject,
                has_english && cx.has(T_EN_SUBJECT),
                "english_context",
            ),
            (&self.english_apposition, has_english, "english_apposition"),
        ] {
            let groups = re.captures_iter(gated(text, on)).flat_map(|c| {
                // `Japan's Sakura Seiko`: the possessive must be a place.
                let place_ok = c.name("place").is_none_or(|p| {
                    p.as_str()
                        .split(' ')
                        .any(|w| self.en_possessive.contains(w))
                });
                let a = c.name("a").filter(|_| place_ok);
                let name = c.name("name").filter(|_| place_ok);
                a.into_iter().chain(name)
            });
            for g in groups {
                let (start, name) = trim_english_stop(
                    text,
                    g.start(),
                    g.end(),
                    &self.en_stop,
                    &self.en_possessive,
                    &self.en_descriptor,
                );
                let name = name.trim_end_matches(',');
                // A final period ends the sentence unless the last word is an abbreviation (U.S.).
                let last = name.rsplit(' ').next().unwrap_or("");
                let is_abbreviation =
                    last.len() >= 4 && last.chars().filter(|&c| c == '.').count() >= 2;
                let name = if is_abbreviation {
                    name
                } else {
                    name.trim_end_matches('.')
                };
                let first = name.split(' ').next().unwrap_or("");
                // `"Everyone has signed MoUs`: one frequent English word the
                // gazetteer does not know, capitalised only because it opens a
                // sentence, is no name (`carmaker Peugeot` is one).
                let opens_sentence = || {
                    text[..start]
                        .trim_end_matches(['"', '“', '\'', '‘', ' '])
                        .chars()
                        .next_back()
                        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '\n'))
                };
                let common_word = rule == "english_context"
                    && !name.contains(' ')
                    && opens_sentence()
                    && super::is_frequent_english_word(name)
                    && self.lookup(name).is_none();
                // `Th` of `Thế Giới`: a name stops at a word's end.
                if name.is_empty()
                    || common_word
                    || self.en_stop.contains(first)
                    || self.en_stop.contains(name)
                    || self.en_place.contains(name)
                    || self.is_place_name(name)
                    || !self.acceptable(name)
                    || !latin_boundaries_ok(text, start, start + name.len())
                {
                    continue;
                }
                push(
                    taken,
                    self.span(start, start + name.len(), name, name, rule, None),
                );
            }
        }
    }
}

/// Byte offset in the English `name` of the first of its last words whose
/// initials spell `acronym` (`Korea Widget Bank` for `KWB`; `of`, `and`, `&`
/// and `the` are skipped), or `None` when no such words end the name.
fn acronym_start(name: &str, acronym: &str) -> Option<usize> {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    // Each capitalised word with its byte offset, from the end.
    let mut words: Vec<(usize, char)> = Vec::new();
    let mut offset = 0;
    for w in name.split(' ') {
        if let Some(c) = w.chars().next().filter(|c| c.is_ascii_uppercase()) {
            if !matches!(w, "The") {
                words.push((offset, c));
            }
        }
        offset += w.len() + 1;
    }
    let k = words.len().checked_sub(letters.len())?;
    let tail = &words[k..];
    (letters.len() >= 2 && tail.iter().zip(&letters).all(|((_, c), l)| c == l)).then(|| tail[0].0)
}

/// Where a katakana name found up to a katakana ending at `end` ends: after
/// the words of role `name_continuation` that `・` joins to it (ハーロウ・
/// キャピタル|・パートナーズ, …・キャピタル|・マネジメント); any other word after `・`
/// is the next item of a list (…・キャピタル・トヨタ・ソニーの3社), and a word that
/// kanji or Latin letters go on from is none.
fn katakana_words_after(
    text: &str,
    name: &str,
    suffix: &str,
    end: usize,
    continuations: &FnvHashSet<String>,
) -> usize {
    if !(name.ends_with('・') || name.chars().all(is_katakana)) || !suffix.chars().all(is_katakana)
    {
        return end;
    }
    let mut end = end;
    while let Some(rest) = text[end..].strip_prefix('・') {
        let word: usize = rest
            .chars()
            .take_while(|&c| c != '・' && is_katakana(c))
            .map(char::len_utf8)
            .sum();
        let after = rest[word..].chars().next();
        if !continuations.contains(&rest[..word])
            || after.is_some_and(|c| is_han(c) || c.is_ascii_alphanumeric())
        {
            break;
        }
        end += '・'.len_utf8() + word;
    }
    end
}

/// Where a kana name starts in the tokens of its run (which starts at
/// `run_start`): after the last word that ends a clause before it (a particle,
/// an auxiliary that modifies a noun, a verb's plain form: 地元の|あさひ,
/// 発覚した|あさひ, 子会社である|ひまわり在宅…). Verbs and auxiliaries that end
/// no clause are IPADIC's reading of kana names it does not know and stay in
/// the name (存続信金は|しずおか, read し|ず|おか; 4月には|ほまれ, read ほ|まれ).
/// A particle or an interjection that opens a run at a boundary starts the
/// name (、はまなこ…, read は|まなこ; そらいろ…, read そら|いろ), and a lone kana glued to a kana noun
/// that is no known name is that word's end (ひな|た|在宅).
fn kana_name_start(text: &str, inside: &[&Token], opens: bool, run_start: usize) -> usize {
    let mut start = run_start;
    for (i, t) in inside.iter().enumerate() {
        // であり|有価証券: a verb or an auxiliary before a word in kanji,
        // katakana or Latin letters ends a clause in any form.
        let before_word = (word_tag_is(t, "動詞") || word_tag_is(t, "助動詞"))
            && inside
                .get(i + 1)
                .is_some_and(|n| !text[n.start..].starts_with(crate::tokenize::is_hiragana));
        // A run that opens at a boundary may start with a kana name IPADIC
        // reads as a particle (、は|まなこ…), not with a clause.
        let opening_particle =
            i == 0 && opens && (word_tag_is(t, "助詞") || word_tag_is(t, "感動詞"));
        if opening_particle || !(ends_clause(text, t) || before_word) {
            continue;
        }
        let glued = i > 0 && {
            let before = inside[i - 1];
            let w = &text[t.start..t.end];
            w.chars().count() == 1
                && before.end == t.start
                && text[before.start..before.end].ends_with(crate::tokenize::is_hiragana)
                && word_tag_is(before, "名詞")
                && !word_tag_is(before, "名詞,固有名詞,組織")
                && inside.get(i + 1).is_some()
        };
        if !glued {
            start = t.end;
        }
    }
    start
}

/// Whether a token ends a clause before a noun: a particle, a symbol, an
/// auxiliary that modifies a noun (た, だ, ない, られる, ぬ, ん, な), a verb's
/// or an adjective's plain form, a pre-noun adjective, an adverb or a
/// conjunction.
fn ends_clause(text: &str, t: &Token) -> bool {
    let w = &text[t.start..t.end];
    t.pos == PosClass::Symbol
        || word_tag_is(t, "助詞")
        || word_tag_is(t, "助動詞") && w.ends_with(['た', 'だ', 'い', 'る', 'ぬ', 'ん', 'な'])
        || word_tag_is(t, "動詞")
            && w.ends_with(['う', 'く', 'ぐ', 'す', 'つ', 'ぬ', 'ぶ', 'む', 'る'])
        || word_tag_is(t, "形容詞") && w.ends_with('い')
        || ["連体詞", "副詞", "接続詞", "感動詞"]
            .iter()
            .any(|c| word_tag_is(t, c))
}

/// Whether IPADIC's tag of a token's word starts with `prefix`.
fn word_tag_is(t: &Token, prefix: &str) -> bool {
    crate::tokenize::POS_TAGS
        .get(usize::from(t.word_tag))
        .is_some_and(|tag| tag.starts_with(prefix))
}

/// Whether a token is never a word of a kana name: a pronoun (これら), an
/// adverbial, dependent, suffix or number noun (すべて, ほか, ごろ, ふたつ), an
/// adjective, an adverb, a pre-noun adjective or a conjunction.
fn kana_never_in_name(t: &Token) -> bool {
    [
        "名詞,代名詞",
        "名詞,副詞可能",
        "名詞,非自立",
        "名詞,接尾",
        "名詞,数",
        "形容詞",
        "副詞",
        "連体詞",
        "接続詞",
    ]
    .iter()
    .any(|tag| word_tag_is(t, tag))
}
