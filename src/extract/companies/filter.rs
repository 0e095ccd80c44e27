//! The filter for the model's candidates: cuts a span to kiji's convention
//! and decides whether it is a company.
//!
//! It cuts: a country name or one-character prefix before the name
//! (`米ノースウィンド` → `ノースウィンド`), a date or number before it
//! (`2024年5月15日桜井自動車` → `桜井自動車`), common nouns before a legal form that
//! starts the name (`概要株式会社X` → `株式会社X`), a description before it (`AI企業Bridgewise`
//! → `Bridgewise`, `製造受託会社 Dalton` → `Dalton`: words of role `appositive_head` in
//! `org_rules.tsv`), a
//! generic 社 after a katakana or Latin name, unbalanced brackets and
//! surrounding symbols. It drops: counts of companies (`ドラッグストア2社`),
//! spans with a list or title separator
//! (`×`, `/`, `「`), descriptions (`ユニコーン企業`), spans without a proper
//! noun, unknown word or Latin word and without a legal form
//! (`データエンジニアリング`), short Latin acronyms (`RPA`) and names of two kanji or
//! kana (`共同`): known ones come from the gazetteer,
//! hiragana-only spans, and everything the shared checks of
//! [`CompanyExtractor::acceptable`] reject (ministries, universities, generic
//! words). It never adds a name: it only cuts or drops.
//!
//! Of every source's spans it drops those on a page's share bar (`Share on
//! Facebook | Twitter | LinkedIn`, `この記事を共有 Facebook X LINE`: a run of
//! `share_platform` and `share_word` rows, two platforms or more and another
//! share word, or three platforms).

use super::rules::RuleContext;
use super::*;
use crate::tokenize::Token;

/// Characters that never occur inside a company name: a span holding one is
/// a list, a title or a heading (`A×B`, `A/B`, `「A」`).
const SEPARATORS: &[char] = &[
    '×', '/', '|', ':', '「', '」', '『', '』', '【', '】', '~', '〜', '→', '、', '。', '"', '\n',
    '\t',
];

impl CompanyExtractor {
    /// The filter alone on one model span `s..e` of `text`: the byte range it
    /// cuts the span to, or `None` when it drops it (for tools and tests).
    pub fn filter_model_span(
        &self,
        text: &str,
        tokens: &[Token],
        s: usize,
        e: usize,
    ) -> Option<(usize, usize)> {
        let quoted = text.contains(['「', '『']);
        self.model_candidate(text, tokens, s, e, quoted)
            .map(|(s, e, _)| (s, e))
    }

    /// The company `(start, end, canonical name)` that the model's span
    /// `s..e` stands for, or `None` when it is not one.
    pub(super) fn model_candidate<'a>(
        &self,
        text: &'a str,
        tokens: &[Token],
        s: usize,
        e: usize,
        quoted: bool,
    ) -> Option<(usize, usize, &'a str)> {
        let (s, e) = self.trim_model_span(text, tokens, s, e);
        if s >= e {
            return None;
        }
        let surface = &text[s..e];
        if surface.contains(SEPARATORS) {
            return None;
        }
        // `ドラッグストア2社`: a count of companies, not a name.
        if surface.ends_with(|c: char| c.is_ascii_digit()) && text[e..].starts_with('社') {
            return None;
        }
        let name = self.without_legal_form(surface);
        let has_legal = name.len() < surface.len();
        let all_kana = surface
            .chars()
            .all(|c| matches!(c, '\u{3041}'..='\u{309F}'));
        let description = self
            .appositive_heads
            .iter()
            .any(|h| name.ends_with(h.as_str()));
        // A name holds a proper noun, an unknown word or a Latin word; common
        // nouns alone (データエンジニアリング, 口コミコム) are a description.
        let common = !has_legal && !self.has_proper_part(s, e, text, tokens);
        // Short Latin acronyms in Japanese text are mostly terms (RPA, CVC):
        // the known ones are in the gazetteer.
        let acronym = !has_legal
            && surface.len() <= 4
            && surface
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        // Two kanji or kana (共同, 東西) are mostly common words or short forms:
        // the known ones come from the gazetteer, as for IPADIC's organisations.
        let short = !has_legal && name.chars().count() <= 2 && name.chars().all(is_japanese);
        if all_kana
            || short
            || description
            || common
            || acronym
            || !self.acceptable(name)
            || !self.acceptable(surface)
            || (quoted && inside_longer_quote(text, s, e))
        {
            return None;
        }
        Some((s, e, name))
    }

    /// Cuts a model span to kiji's convention (see the module doc).
    fn trim_model_span(&self, text: &str, tokens: &[Token], s: usize, e: usize) -> (usize, usize) {
        let (mut s, mut e) = (s, e);
        // A country or a description before the name: 米ノースウィンド, AI企業Bridgewise.
        loop {
            let inside = overlapping(tokens, s, e);
            let Some(first) = inside.first().filter(|_| inside.len() >= 2) else {
                break;
            };
            let word = &text[first.start.max(s)..first.end.min(e)];
            // A head may be two tokens (AI企業): it must end on a token boundary.
            let head = self
                .appositive_heads
                .iter()
                .filter(|h| text[s..e].starts_with(h.as_str()) && s + h.len() < e)
                .map(|h| s + h.len())
                .find(|&end| inside.iter().any(|t| t.end == end));
            // A date or a number before the name (`2024年5月15日桜井自動車`).
            let dating = word.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, '年' | '月' | '日' | ' ' | '.' | '/' | '-')
            });
            // `旧アルファ`, `現アルファ`: a former or present name is the name.
            let former = matches!(word, "旧" | "現" | "元々");
            // `山田太郎アルファ社長`: a person's full name before the company, in
            // kanji (`タン|ロン・ランド`, katakana IPADIC reads as two names, is
            // a foreign company's name).
            let person = inside.len() >= 3
                && inside[..2]
                    .iter()
                    .all(|t| t.pos == PosClass::Person && text[t.start..t.end].chars().all(is_han))
                && first.start >= s
                && inside[2].pos != PosClass::Person;
            if person {
                s = inside[1].end;
                continue;
            }
            if self.countries.contains_key(word) || dating || former {
                s = first.end;
            } else if let Some(end) = head {
                s = end;
            } else {
                break;
            }
        }
        // 製造受託会社 Dalton: a description ending in a head word, a space, then
        // the name (a legal form before the space stays: 株式会社 Dalton).
        if let Some(q) = text[s..e].rfind(' ').map(|q| s + q) {
            let before = text[s..q].trim_end();
            if self
                .appositive_heads
                .iter()
                .any(|h| before.ends_with(h.as_str()))
                && !self
                    .legal_forms
                    .iter()
                    .any(|l| before.ends_with(l.as_str()))
                && !text[q..e].trim().is_empty()
            {
                s = q + 1;
            }
        }
        // 概要株式会社アルファ: common nouns before a legal form inside the span
        // are not part of the name that the legal form starts.
        if let Some(p) = self
            .legal_forms
            .iter()
            .filter_map(|l| {
                let p = s + text[s..e].find(l.as_str())?;
                // The form starts a name only if the span goes on after it.
                (p > s && p + l.len() < e).then_some(p)
            })
            .filter(|&p| tokens.iter().any(|t| t.start == p))
            .min()
        {
            if !self.has_proper_part(s, p, text, tokens) {
                s = p;
            }
        }
        // `アルファ株式会社株式`: share words after a legal form that ends the
        // name are not part of it (only a span that ends in one can have them).
        let title_end = self
            .trailing_titles
            .iter()
            .any(|t| text[s..e].ends_with(t.as_str()));
        if let Some(p) = self
            .legal_forms
            .iter()
            .filter(|_| title_end)
            .filter_map(|l| text[s..e].find(l.as_str()).map(|p| s + p + l.len()))
            .filter(|&p| p < e)
            .min()
        {
            let rest = &text[p..e];
            if self.trailing_titles.iter().any(|t| rest == t.as_str()) {
                e = p;
            }
        }
        // `株式会社アルファ株券`: the same after a name that a legal form starts.
        if let Some(l) = self
            .legal_forms
            .iter()
            .find(|l| text[s..e].starts_with(l.as_str()))
        {
            let name = &text[s + l.len()..e];
            e = s + l.len() + strip_trailing_titles(name, &self.trailing_titles).len();
        }
        // A bracket that opens and does not close, or closes without opening.
        let span = &text[s..e];
        match (span.find('('), span.find(')')) {
            (Some(o), None) => e = s + o,
            (None, Some(c)) => e = s + c,
            (Some(o), Some(c)) if c < o => e = s + c,
            _ => {}
        }
        let symbol = |c: char| !(c.is_alphanumeric() || matches!(c, '&' | '.' | '(' | ')'));
        while let Some(c) = text[s..e].chars().next().filter(|&c| symbol(c)) {
            s += c.len_utf8();
        }
        while let Some(c) = text[s..e].chars().next_back().filter(|&c| symbol(c)) {
            e -= c.len_utf8();
        }
        // `アルファ銀行1:ベータ銀行1`, `アルファ 31%`: a number after a Japanese name,
        // spaced or before a ratio sign, is a table cell or a ratio, not part
        // of the name (`タイムズ24` keeps its digits).
        let span = &text[s..e];
        let no_digits = span.trim_end_matches(|c: char| c.is_ascii_digit());
        let spaced = no_digits.ends_with(' ');
        let ratio = text[e..].starts_with([':', '%', '対']);
        if no_digits.len() < span.len()
            && (spaced || ratio)
            && no_digits
                .trim_end_matches(' ')
                .chars()
                .next_back()
                .is_some_and(is_japanese)
        {
            e = s + no_digits.trim_end_matches(' ').len();
        }
        let e = s + strip_generic_sha(&text[s..e]).len();
        (s, e)
    }

    /// `model`: the trained model's names that no gazetteer row or rule knows,
    /// cut and judged by [`Self::model_candidate`]; `taken` is sorted by start
    /// and stays so. Returns the model's label of every token (`None` when
    /// the paragraph has no tokens).
    pub(super) fn model_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        gazetteer_ranges: &[(usize, usize)],
        taken: &mut Vec<Span>,
    ) -> Option<Vec<&'static str>> {
        // The trained model: names no gazetteer row or rule knows.
        let mut added: Vec<Span> = Vec::new();
        // It runs on every paragraph: IPADIC's organisation nouns read its labels.
        if !tokens.is_empty() {
            let marks = self.mark_sets.marks(text, tokens, gazetteer_ranges);
            let labels = self.model.labels(text, tokens, &marks);
            for (s, e) in model::spans_of(tokens, &labels) {
                let Some((s, e, name)) = self.model_candidate(text, tokens, s, e, cx.quoted) else {
                    continue;
                };
                let surface = &text[s..e];
                // A model name that extends one known name (さくら精工販売 around
                // さくら精工, a subsidiary named after its parent) replaces it; one that
                // cuts across a name, or spans several (a list), is dropped.
                let over = overlapping_spans(taken, s, e);
                let span = self.span(s, e, surface, name, "model", None);
                match over.len() {
                    0 => added.push(span),
                    1 if s <= taken[over.start].start
                        && taken[over.start].end <= e
                        && (s, e) != (taken[over.start].start, taken[over.start].end) =>
                    {
                        taken[over.start] = span;
                    }
                    _ => {}
                }
            }
            merge_sorted(taken, added);
            return Some(labels);
        }
        None
    }

    /// Drops the spans of `taken` that lie on a share bar of `text`
    /// (module doc).
    pub(super) fn drop_share_bar_spans(&self, text: &str, taken: &mut Vec<Span>) {
        if taken.is_empty() || self.share_platforms.find_iter(text).nth(1).is_none() {
            return;
        }
        for (s, e) in self.share_bars(text) {
            taken.retain_mut(|t| {
                if t.start < s || t.start >= e {
                    return true;
                }
                // `Share on LinkedIn⏎Shares of Kestrel Holdings`: a name the bar
                // was glued to by a line join starts after the bar (and its stop
                // words); one inside the bar is none.
                let EntityKind::Company { rule, country, .. } = &t.kind else {
                    return false;
                };
                let after =
                    e + text[e..t.end.max(e)].len() - text[e..t.end.max(e)].trim_start().len();
                if after >= t.end {
                    return false;
                }
                let (start, surface) = trim_english_stop(
                    text,
                    after,
                    t.end,
                    &self.en_function,
                    &self.en_possessive,
                    &self.en_descriptor,
                );
                let name = self.without_english_legal_form(surface);
                if !self.acceptable(name) {
                    return false;
                }
                *t = self.span(start, t.end, surface, name, &rule.clone(), country.clone());
                true
            });
        }
    }

    /// The byte ranges of the share bars of `text`: runs of share-bar words
    /// (HTML tags and separators between them aside) with two platforms or
    /// more and another share word, or three platforms; a line of its own or
    /// glued to the text around it by a scrape (`… M&A Share on Facebook |
    /// Share on LinkedIn`).
    fn share_bars(&self, text: &str) -> Vec<(usize, usize)> {
        let tags: Vec<(usize, usize)> = HTML_TAG
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start: Option<usize> = None;
        let mut tag = tags.iter().peekable();
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            while tag.peek().is_some_and(|&&(_, end)| end <= i) {
                tag.next();
            }
            let in_tag = tag.peek().is_some_and(|&&(a, _)| a <= i);
            let separator = in_tag || c.is_whitespace() || "|/・()[]:<>\"'=".contains(c);
            match (separator, start) {
                (true, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        let mut bars = Vec::new();
        let (mut run_start, mut platforms, mut others) = (None, 0, 0);
        let mut close = |run_start: Option<usize>, end: usize, platforms: usize, others: usize| {
            if let Some(s) = run_start {
                if platforms >= 3 || platforms >= 2 && others >= 1 {
                    bars.push((s, end));
                }
            }
        };
        let mut last_end = 0;
        for &(s, e) in &words {
            match self.share_bar_words.get(&text[s..e].to_lowercase()) {
                Some(&platform) => {
                    run_start.get_or_insert(s);
                    if platform {
                        platforms += 1;
                    } else {
                        others += 1;
                    }
                    last_end = e;
                }
                None => {
                    close(run_start.take(), last_end, platforms, others);
                    (platforms, others) = (0, 0);
                }
            }
        }
        close(run_start, last_end, platforms, others);
        bars
    }
}

/// An HTML tag left in a scraped text (`<div class="share">`).
static HTML_TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"</?[A-Za-z][^<>]{0,80}>").expect("valid pattern")
});
