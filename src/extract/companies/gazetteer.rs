//! Candidate sources from word lists: kiji's gazetteer
//! (`dictionaries/companies.tsv`, longest match on token boundaries, with the
//! canonical bilingual names of its row) and IPADIC's organisation nouns
//! (名詞,固有名詞,組織).
//!
//! The gazetteer never takes a name inside a longer word (a known name that
//! goes on in katakana is a group company of its own, `group_company`) or
//! inside a longer quoted title. IPADIC's organisation nouns are taken only in
//! paragraphs that speak of companies, and never take short
//! common-looking words (two kanji or two katakana), a span another source
//! took, a name the model labels as another kind of organisation, or one
//! before a common katakana noun (リーマン in リーマンショック).

use super::rules::RuleContext;
use super::*;

impl CompanyExtractor {
    /// `gazetteer` and `group_company`: known names in `text`; returns the
    /// ranges of the known names on token boundaries (the model's features).
    pub(super) fn gazetteer_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        taken: &mut Vec<Span>,
    ) -> Vec<(usize, usize)> {
        // The gazetteer names on token boundaries, for the model's features
        // (what `gazetteer_ranges` gives, collected in this one pass).
        let mut gazetteer_ranges = Vec::new();
        for m in self.gazetteer.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let on_boundaries = self.boundaries_ok(text, s, e, tokens);
            if on_boundaries {
                gazetteer_ranges.push((s, e));
            } else {
                // パナソニックコネクト: a known name that goes on in katakana is a
                // group company with a name of its own.
                let before = text[..s].chars().next_back();
                let last = text[..e].chars().next_back().unwrap_or(' ');
                let run_end = e + text[e..]
                    .chars()
                    .take_while(|&c| is_katakana(c))
                    .map(char::len_utf8)
                    .sum::<usize>();
                if run_end > e
                    && is_katakana(last)
                    && !before.is_some_and(|b| is_katakana(b) || b.is_ascii_alphanumeric())
                    && text[e..run_end].chars().count() >= 3
                    && self.acceptable(&text[e..run_end])
                    && !self.ends_with_not_group_word(&text[e..run_end])
                {
                    let surface = &text[s..run_end];
                    push(
                        taken,
                        self.span(s, run_end, surface, surface, "group_company", None),
                    );
                }
                continue;
            }
            if cx.quoted && inside_longer_quote(text, s, e) {
                // 「PKSHA Speech Insight」: a product named after its maker.
                continue;
            }
            let entry = &self.entries[self.pattern_company[m.pattern().as_usize()]];
            let country = self.bracket_country_after(text, e);
            // Gazetteer matches come in order and do not overlap each other:
            // only the last span taken can overlap this one (no quadratic scan
            // on a page with thousands of names).
            if taken.last().is_some_and(|t| t.end > s) {
                continue;
            }
            taken.push(Span {
                start: s,
                end: e,
                kind: EntityKind::Company {
                    name: entry.canonical.clone(),
                    name_ja: entry.name_ja.clone(),
                    name_en: entry.name_en.clone(),
                    country: entry.country.clone().or(country),
                    rule: "gazetteer".into(),
                },
            });
        }
        gazetteer_ranges
    }

    /// Whether `s` ends with a venue, event or team word (`not_group_word` rows:
    /// スタジアム, ホークス).
    fn ends_with_not_group_word(&self, s: &str) -> bool {
        self.not_group_word.iter().any(|w| s.ends_with(w.as_str()))
    }

    /// `ipadic_org`: runs of IPADIC organisation nouns that no other source
    /// took and that the model's `labels` do not mark as another organisation,
    /// in paragraphs that speak of companies; `taken` is sorted by start and
    /// stays so.
    pub(super) fn ipadic_names(
        &self,
        text: &str,
        tokens: &[Token],
        cx: &RuleContext,
        labels: Option<&[&str]>,
        taken: &mut Vec<Span>,
    ) {
        // Only where the paragraph speaks of companies: elsewhere an organisation
        // noun is a team, a band, a newspaper or a school as often as a company.
        let Some(labels) = labels.filter(|_| cx.speaks_of_companies()) else {
            return;
        };
        let mut added: Vec<Span> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if tokens[i].pos != PosClass::Organization {
                i += 1;
                continue;
            }
            let first = i;
            let start = tokens[i].start;
            let mut end = tokens[i].end;
            while i + 1 < tokens.len()
                && tokens[i + 1].pos == PosClass::Organization
                && tokens[i + 1].start == end
            {
                i += 1;
                end = tokens[i].end;
            }
            i += 1;
            let surface = &text[start..end];
            // Short all-kanji organisation nouns are often common words (巨人, 同行).
            let short_kana = surface.chars().count() <= 2 && surface.chars().all(is_katakana);
            let short_kanji = short_kana
                || surface.chars().count() <= 2
                    && surface.chars().all(|c| !c.is_ascii() && !is_katakana(c));
            // The model may know the name as another kind of
            // organisation (a team, a party, an agency): then it is not a company.
            let veto = labels[first..i]
                .iter()
                .any(|x| matches!(*x, model::B_OTHER_ORG | model::I_OTHER_ORG));
            // ソフトバンクホークス, 西武ライオンズ: a team, a venue or an event.
            let not_group = self.ends_with_not_group_word(surface);
            // リーマンショック: an organisation noun before a common katakana noun
            // is part of a compound word (an event, a product, a term).
            let compound = surface.chars().next_back().is_some_and(is_katakana)
                && tokens.get(i).is_some_and(|t| {
                    t.start == end
                        && t.pos == PosClass::Noun
                        && text[t.start..t.end]
                            .chars()
                            .all(|c| is_katakana(c) && c != '・')
                });
            if !veto
                && !not_group
                && !compound
                && self.acceptable(surface)
                && !short_kanji
                && !surface.chars().all(|c| c.is_ascii_lowercase())
                && overlapping_spans(taken, start, end).is_empty()
            {
                added.push(self.span(start, end, surface, surface, "ipadic_org", None));
            }
        }
        merge_sorted(taken, added);
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::RuleContext;
    use super::*;

    /// The IPADIC source alone on `text`, with the model's labels all `O`.
    fn ipadic(text: &str, deal_context: bool) -> Vec<String> {
        let pipeline =
            crate::Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)");
        let companies = &pipeline.extractor().companies;
        let tokens = pipeline.paragraph_tokens(text).unwrap();
        let cx = RuleContext {
            triggers: companies.triggers.find(text),
            quoted: false,
            deal_context,
        };
        let labels = vec![model::OUTSIDE; tokens.len()];
        let mut taken = Vec::new();
        companies.ipadic_names(text, &tokens, &cx, Some(&labels), &mut taken);
        taken
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn organisation_nouns_count_only_where_the_paragraph_speaks_of_companies() {
        // ヤンキース is an IPADIC organisation: a team where nothing speaks of
        // companies, a candidate beside a deal term.
        assert!(ipadic("ヤンキースは昨夜の試合に勝った。", false).is_empty());
        assert_eq!(
            ipadic("ヤンキースは球場の命名権で提携した。", true),
            ["ヤンキース"]
        );
    }
}
