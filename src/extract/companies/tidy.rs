//! Tidy: the last step of a paragraph's company spans.
//!
//! Decides, for every Japanese span that a rule or the model found, what it
//! holds besides the name (cut) and whether it names no company at all:
//!
//! - no company: a market segment (`東証グロース`, `株式会社東京証券取引所
//!   スタンダード市場`, role `market_prefix`), the
//!   first words of a school (`鶴岡工業|高等専門学校`, `school_after`) or of a
//!   public body's or an office's compound (`神戸工業|試験場`, `経済産業|大臣`,
//!   `public_head`), a plant,
//!   office or branch (`大阪新工場`, `site_word`), a title after a legal form
//!   (`合同会社職務執行者…`);
//! - cut before the name: a symbol or open bracket (`・城南信用金庫`), a country
//!   and `・` before a name in kanji (`台湾・中國砂輪企業`; `countries.tsv`), a field
//!   label of a disclosure form (`名称…`), a describing noun in kanji
//!   (`子会社…`, `appositive_head`), a trade's description ending in `大手`
//!   (`インターネット金融大手…`, `describing_end`), an address (`東京都港区…`), a date
//!   (`昭和50年4月…`), a list number at a line's start (`1マイクロン…`);
//! - cut after it: a branch with its place (`…株式会社` + `北海道支社`), shares
//!   (`アルファ株を`), a title or other `trailing_title` word (`テクモ会長`, `…本社`), a count before `社` (`Aethon3社`), a ratio or a share (`…1に対し`, `KDDI49%`; of a Latin span only these two), an address's `内`
//!   (`…株式会社内`), a market and its segment (`…ホールディングス東証プライム上場`);
//!   an address before a legal form (`…3番5号株式会社`) is no name.
//!
//! The word lists are `org_rules.tsv` roles. Never finds a name, never moves a
//! span's end past where it was, and never touches a gazetteer span or a span
//! without Japanese characters (but for a count or a share glued after it).

use super::{
    after_leading_date, is_han, is_katakana, strip_generic_sha, strip_trailing_titles,
    CompanyExtractor,
};
use crate::document::EntityKind;
use crate::extract::Span;
use crate::normalize::is_japanese;
use crate::tokenize::{PosClass, Token};

impl CompanyExtractor {
    /// Tidies every span of `taken` (sorted, not overlapping; stays so).
    pub(super) fn tidy_japanese_spans(&self, text: &str, tokens: &[Token], taken: &mut Vec<Span>) {
        if tokens.is_empty() {
            return;
        }
        let spans = std::mem::take(taken);
        taken.extend(spans.into_iter().filter_map(|s| self.tidy(text, tokens, s)));
    }

    fn tidy(&self, text: &str, tokens: &[Token], span: Span) -> Option<Span> {
        let EntityKind::Company {
            name,
            rule,
            country,
            ..
        } = &span.kind
        else {
            return Some(span);
        };
        let surface = &text[span.start..span.end];
        // 東証グロース, 東証プライム: a market segment, whether the span holds
        // the segment's word or stops before it (東証|グロース上場), whichever
        // source found it.
        let segment_after = |m: &str| {
            surface == m
                && text[span.end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() && !crate::tokenize::is_hiragana(c))
        };
        // 株式会社東京証券取引所スタンダード市場上場: the market as a company and
        // its segment.
        let body = self
            .legal_forms
            .iter()
            .find_map(|l| surface.strip_prefix(l.as_str()))
            .unwrap_or(surface);
        if self.market_prefix.iter().any(|m| {
            segment_after(m)
                || rule != "gazetteer" && body.starts_with(m.as_str()) && body.len() > m.len()
        }) {
            return None;
        }
        if rule == "gazetteer" {
            return Some(span);
        }
        if !surface.chars().any(is_japanese) {
            // KDDI49%, Aethon3社: a share or a count glued after a Latin name in
            // Japanese text; nothing else of a Latin span is touched.
            let end = without_glued_number(text, span.start, span.end, true);
            if end == span.end {
                return Some(span);
            }
            let mut span = span;
            span.end = end;
            if let EntityKind::Company { name, .. } = &mut span.kind {
                if name.as_str() == surface {
                    *name = text[span.start..end].to_string();
                }
            }
            return Some(span);
        }
        // 鶴岡工業|高等専門学校, 東京工業|大学: the name of a school, not a company.
        if self
            .school_after
            .iter()
            .any(|w| text[span.end..].starts_with(w.as_str()))
        {
            return None;
        }
        // 神戸工業|試験場, 岐阜県工業|技術研究所, 経済産業|大臣: the first words of
        // a public body's or an office's name; a legal form makes a company
        // (`さくら精工株式会社|技術研究所`: its laboratory).
        if self.without_legal_form(surface) == surface
            && self.heads_public_compound(text, tokens, span.end)
        {
            return None;
        }
        let (s, e, cut_country) = self.cut(text, tokens, span.start, span.end)?;
        if (s, e) == (span.start, span.end) {
            return Some(span);
        }
        let cut = &text[s..e];
        if !self.acceptable(cut) {
            return None;
        }
        // The canonical name loses what the surface lost, when the surface holds it.
        let new_name = match surface.find(name.as_str()) {
            Some(at) => {
                let (a, b) = (span.start + at, span.start + at + name.len());
                if a.max(s) < b.min(e) {
                    &text[a.max(s)..b.min(e)]
                } else {
                    cut
                }
            }
            None => cut,
        };
        // The country cut before the name (`台湾・…`) is the company's.
        let country = country.clone().or_else(|| cut_country.map(str::to_string));
        Some(self.span(s, e, cut, self.bare_name(new_name), rule, country))
    }

    /// The longest country of `countries.tsv` and a `・` opening `span`: their
    /// length in bytes and the country's code.
    /// Whether the nouns that go on right after `end` (no particle or symbol
    /// between) end in a word of role `public_head` (試験場, 研究所, 大臣): the
    /// name before them is then the first words of a public body's or an
    /// office's name (`神戸工業|試験場`, `経済産業|大臣`), not a company's.
    fn heads_public_compound(&self, text: &str, tokens: &[Token], end: usize) -> bool {
        if self.public_head.is_empty() {
            return false;
        }
        let mut run_end = end;
        for t in &tokens[tokens.partition_point(|t| t.start < end)..] {
            let noun = matches!(
                t.pos,
                PosClass::Noun | PosClass::ProperNoun | PosClass::Place | PosClass::Unknown
            );
            if t.start != run_end || !noun {
                break;
            }
            run_end = t.end;
        }
        let compound = &text[end..run_end];
        !compound.is_empty()
            && self
                .public_head
                .iter()
                .any(|h| compound.ends_with(h.as_str()))
    }

    fn country_and_dot(&self, span: &str) -> Option<(usize, &str)> {
        self.countries
            .iter()
            .filter(|(c, _)| span.starts_with(c.as_str()) && span[c.len()..].starts_with('・'))
            .max_by_key(|(c, _)| c.len())
            .map(|(c, (code, _))| (c.len() + '・'.len_utf8(), code.as_str()))
    }

    /// Where a name in `text[s..e]` starts after a disclosure form's field
    /// label glued before it (名称サッポロ合同会社), the longest label first.
    fn after_field_label(&self, text: &str, s: usize, e: usize) -> usize {
        self.field_labels
            .iter()
            .filter(|l| text[s..e].starts_with(l.as_str()) && s + l.len() < e)
            .max_by_key(|l| l.len())
            .map_or(s, |l| s + l.len())
    }

    /// The span's bounds after the cuts and the code of a country cut before
    /// it, or `None` when no name is left.
    fn cut(
        &self,
        text: &str,
        tokens: &[Token],
        s: usize,
        e: usize,
    ) -> Option<(usize, usize, Option<&str>)> {
        let (mut s, mut e) = (s, e);
        let mut country = None;
        // ・城南信用金庫, 「アルファ: a symbol before the name; ((株)アルファ: a bracket
        // left open.
        loop {
            let span = &text[s..e];
            let first = span.chars().next()?;
            let unbalanced = first == '(' && span.matches('(').count() > span.matches(')').count();
            if unbalanced || !(first.is_alphanumeric() || first == '(' || first == '&') {
                s += first.len_utf8();
            } else {
                break;
            }
        }
        // 台湾・中國砂輪企業: a country and `・` before a name in kanji (a Chinese
        // or Taiwanese company's) are no part of it. A katakana name keeps
        // them: names open so (`ドイツ・テレコム`, `カナダ・グース`).
        if let Some((len, code)) = self.country_and_dot(&text[s..e]) {
            let rest = s + len;
            if text[rest..e].chars().count() >= 2 && text[rest..e].starts_with(is_han) {
                s = rest;
                country = Some(code);
            }
        }
        // 米セレスティア, 英Arkwell, 韓国ドンアン: a one-character country, or one
        // in kanji (not 日本: 日本オラクル is the subsidiary's name; not in
        // katakana: ドイツ|テレコム), glued before a name in katakana or Latin
        // letters, a word of its own (as the suffix rule cuts it:
        // `without_country_prefix`).
        if country.is_none() {
            if let Some((c, (code, _))) = self
                .countries
                .iter()
                .filter(|(c, (code, one_char))| *one_char || code != "JP" && c.chars().all(is_han))
                .filter(|(c, _)| text[s..e].starts_with(c.as_str()))
                .max_by_key(|(c, _)| c.len())
            {
                let rest = &text[s + c.len()..e];
                let name_starts = rest
                    .chars()
                    .next()
                    .is_some_and(|n| n != '・' && is_katakana(n) || n.is_ascii_alphabetic());
                // 加ト吉: a name IPADIC reads as one word keeps its first kanji.
                let word_break = tokens
                    .binary_search_by_key(&(s + c.len()), |t| t.start)
                    .is_ok();
                // A country of two kanji or more is kept where it can be a
                // region's name (中国 is also Chūgoku: `中国ジェイアールバス株式会社`,
                // with its legal form) or where one common word is left
                // (`中国|バス`, `台湾|セミコンダクター`).
                let long_country_kept = c.chars().count() >= 2
                    && (self
                        .legal_forms
                        .iter()
                        .any(|l| text[s..e].contains(l.as_str()))
                        || matches!(
                            super::overlapping(tokens, s + c.len(), e),
                            [only] if only.is_common_noun() || only.pos == PosClass::Noun
                        ));
                if name_starts && word_break && rest.chars().count() >= 2 && !long_country_kept {
                    s += c.len();
                    country = Some(code.as_str());
                }
            }
        }
        // 名称サッポロ合同会社: a disclosure form's field label glued before the name.
        s = self.after_field_label(text, s, e);
        // 100%子会社菱重…株式会社: a noun in kanji that describes the company
        // (`appositive_head`: 子会社, 傘下) glued before the name, on a token boundary.
        if let Some(h) = self
            .appositive_heads
            .iter()
            .filter(|h| h.chars().all(is_han) && text[s..e].starts_with(h.as_str()))
            .filter(|h| {
                tokens
                    .binary_search_by_key(&(s + h.len()), |t| t.start)
                    .is_ok()
            })
            .max_by_key(|h| h.len())
        {
            if text[s + h.len()..e].chars().count() >= 2 {
                s += h.len();
            }
        }
        // インターネット金融大手SBIホールディングス, 半導体大手|カナメ電子: a
        // description of the company's trade that ends in a `describing_end`
        // word (大手) glued before the name, on a token boundary; never a place
        // that opens with one (大手町, 大手門).
        if let Some(cut) = self
            .describing_ends
            .iter()
            .filter_map(|w| text[s..e].rfind(w.as_str()).map(|p| s + p + w.len()))
            .filter(|&c| tokens.binary_search_by_key(&c, |t| t.start).is_ok())
            .filter(|&c| !text[c..e].starts_with(['町', '門', '前', '筋', '通']))
            .max()
        {
            if text[cut..e].chars().count() >= 2 {
                s = cut;
            }
        }
        // 東京都港区アルファ株式会社: an address glued before the name.
        if let Some(m) = self.leading_address.find(&text[s..e]) {
            if m.end() < e - s {
                s += m.end();
            }
        }
        // 昭和50年4月アストラ社: a date glued before the name (the dates the
        // legal-form and suffix rules cut already, for every source).
        s = after_leading_date(text, s, e, tokens);
        // 1マイクロンテクノロジー: a list number at a line's start or after a space.
        let digits = text[s..e].len()
            - text[s..e]
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let line_start = text[..s]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace());
        if digits > 0
            && line_start
            && text[s + digits..e]
                .chars()
                .next()
                .is_some_and(|c| is_katakana(c) || is_han(c))
        {
            s += digits;
            // 1名称越後…株式会社: a form's numbered field (①名称, made 1 by NFKC).
            s = self.after_field_label(text, s, e);
        }
        let span = &text[s..e];
        // 合同会社職務執行者…: a title after a legal form starts no name.
        if self.legal_forms.iter().any(|l| {
            span.strip_prefix(l.as_str()).is_some_and(|rest| {
                self.trailing_titles
                    .iter()
                    .any(|t| rest.starts_with(t.as_str()))
            })
        }) {
            return None;
        }
        // アルファ株式会社内: `c/o` in an address; the company ends at its legal form.
        if let Some(rest) = span.strip_suffix('内') {
            if self.legal_forms.iter().any(|l| rest.ends_with(l.as_str())) {
                e -= '内'.len_utf8();
            }
        }
        let span = &text[s..e];
        // …3番5号株式会社: an address before a legal form that starts the next name.
        if let Some(l) = self
            .legal_forms
            .iter()
            .find(|l| span.ends_with(l.as_str()) && span.len() > l.len())
        {
            let before = span[..span.len() - l.len()].trim_end();
            if before.ends_with('号')
                && before[..before.len() - '号'.len_utf8()].ends_with(|c: char| c.is_ascii_digit())
                || before.ends_with("番地")
            {
                return None;
            }
        }
        // CATL株を: shares after a katakana or Latin name (株 alone is no legal form).
        if let Some(rest) = span.strip_suffix('株') {
            if rest
                .chars()
                .next_back()
                .is_some_and(|c| is_katakana(c) || c.is_ascii_alphanumeric())
            {
                e -= '株'.len_utf8();
            }
        }
        e = without_glued_number(text, s, e, false);
        // (株)アルファホールディングス東証プライム上場: a market and its segment
        // glued after the name (a full-width space lost), on a word boundary.
        if let Some(p) = self
            .market_prefix
            .iter()
            .filter_map(|m| text[s..e].find(m.as_str()).map(|p| (p, m.len())))
            .filter(|&(p, len)| {
                text[s..s + p].chars().count() >= 2
                    && s + p + len < e
                    && tokens.binary_search_by_key(&(s + p), |t| t.start).is_ok()
            })
            .map(|(p, _)| p)
            .min()
        {
            e = s + p;
        }
        // テクモ会長, アルファ本社: titles or other words of role `trailing_title`
        // glued after the name end it, whichever source found the span.
        let named = strip_trailing_titles(&text[s..e], &self.trailing_titles);
        if named.chars().count() >= 2 {
            e = s + named.len();
        }
        // アストラ社: a generic 社 after a name that lost what was before it.
        let e = s + strip_generic_sha(&text[s..e]).len();
        let e = self.after_short_form(text, tokens, s, e);
        let (s, e) = self.without_site(text, tokens, s, e)?;
        Some((s, e, country))
    }

    /// Where a name ends that opens with a headline's short form of a known
    /// company, one that cuts its name mid-word (a gazetteer surface that is
    /// its name but the last kanji: `三菱商` of 三菱商事), glued to common
    /// nouns only (`三菱商|電力事業を再編`): at the short form. Other short forms
    /// (`マイクロン|テクノロジー`, `大和ハウス|グループ`) and full names
    /// followed by nouns (`日立|物流`) are left as they are.
    fn after_short_form(&self, text: &str, tokens: &[Token], s: usize, e: usize) -> usize {
        let inside: Vec<&Token> = super::overlapping(tokens, s, e)
            .iter()
            .filter(|t| t.start >= s && t.end <= e)
            .collect();
        for (i, t) in inside.iter().enumerate() {
            if t.end >= e || i + 1 == inside.len() {
                break;
            }
            let short = &text[s..t.end];
            let truncated = self.lookup(short).is_some_and(|entry| {
                [Some(&entry.canonical), entry.name_ja.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|n| {
                        n.strip_prefix(short).is_some_and(|rest| {
                            let mut c = rest.chars();
                            c.next().is_some_and(is_han) && c.next().is_none()
                        })
                    })
            });
            if truncated && inside[i + 1..].iter().all(|t| t.is_common_noun()) {
                return t.end;
            }
        }
        e
    }

    /// A plant, office or branch (`site_word`: 工場, 支社, 事業所) is no company;
    /// after a company's name (a legal form, a company-type ending or a
    /// gazetteer surface) it is cut with the place before it
    /// (`株式会社アルファ北海道支社` → `株式会社アルファ`, `アルファ銀行渋谷支店` →
    /// `アルファ銀行`).
    fn without_site(
        &self,
        text: &str,
        tokens: &[Token],
        s: usize,
        e: usize,
    ) -> Option<(usize, usize)> {
        let span = &text[s..e];
        let Some(at) = self
            .site_word
            .iter()
            .filter_map(|w| span.find(w.as_str()))
            .min()
        else {
            return Some((s, e));
        };
        // Places (北海道, 渋谷) before the site word go with it.
        let mut cut = s + at;
        // Tokens are sorted and contiguous: their ends are sorted too.
        while let Some(t) = tokens
            .binary_search_by_key(&cut, |t| t.end)
            .ok()
            .map(|i| &tokens[i])
            .filter(|t| t.start > s && t.pos == PosClass::Place)
        {
            cut = t.start;
        }
        let name = &text[s..cut];
        let company = self.legal_forms.iter().any(|l| name.contains(l.as_str()))
            || self.suffix_words.iter().any(|w| name.ends_with(w.as_str()))
            || self.lookup(name).is_some();
        company.then_some((s, cut))
    }
}

/// Where a name ends that has a count of companies before `社` (`Aethon3社`,
/// `アルファ2社`) or a ratio or a share (`スクウェア1に対し`, `香川銀行1:`,
/// `KDDI49%`) glued after it: its digits are cut. A name may end in digits
/// (`タイムズ24`), but not before `社`, `:`, `対`, `%` or `.`. A Latin span
/// (`latin`) loses only a count or a share, and keeps two letters at least.
fn without_glued_number(text: &str, s: usize, e: usize, latin: bool) -> usize {
    let span = &text[s..e];
    let stem = span.trim_end_matches(|c: char| c.is_ascii_digit());
    let Some(last) = stem.chars().next_back() else {
        return e;
    };
    if stem.len() == span.len() {
        return e;
    }
    let after = &text[e..];
    let count = after.starts_with('社')
        && (is_katakana(last) || last.is_ascii_alphabetic())
        && (!latin || stem.len() >= 2);
    let ratio = stem.chars().count() >= 2
        && if latin {
            after.starts_with(['%', '％']) && last.is_ascii_alphabetic()
        } else {
            (after.starts_with([':', '：', '対', '%', '％', '.']) || after.starts_with("に対"))
                && (is_katakana(last) || is_han(last))
        };
    if count || ratio {
        s + stem.len()
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    /// The tidy step alone on one model span `name` of `text`: its surface
    /// afterwards, or `None` when it names no company.
    fn tidy(text: &str, name: &str) -> Option<String> {
        let pipeline =
            crate::Pipeline::with_defaults().expect("pipeline (run scripts/setup.sh first)");
        let companies = &pipeline.extractor().companies;
        let tokens = pipeline.paragraph_tokens(text).unwrap();
        let s = text.find(name).unwrap();
        let span = companies.span(s, s + name.len(), name, name, "model", None);
        companies
            .tidy(text, &tokens, span)
            .map(|t| text[t.start..t.end].to_string())
    }

    #[test]
    fn describing_nouns_sites_and_segments_leave_the_name() {
        // A relation noun glued before a model's name is cut on its token boundary.
        assert_eq!(
            tidy(
                "三葉重工の100%子会社ハナミズキ精機株式会社から事業を引き継ぐ。",
                "子会社ハナミズキ精機株式会社"
            )
            .as_deref(),
            Some("ハナミズキ精機株式会社")
        );
        // A market segment and a plant are no company.
        assert_eq!(tidy("東証グロースに上場した。", "東証グロース"), None);
        assert_eq!(tidy("東証グロース上場のA社", "東証"), None);
        assert_eq!(tidy("東証1部に上場した。", "東証"), None);
        // The exchange itself stays a company.
        assert_eq!(
            tidy("東証と大証が統合した。", "東証").as_deref(),
            Some("東証")
        );
        assert_eq!(tidy("ゼータ商事は東京本店を買収した。", "東京本店"), None);
        assert_eq!(tidy("大阪新工場を建てる。", "大阪新工場"), None);
    }

    #[test]
    fn a_name_that_opens_a_public_bodys_or_an_offices_name_is_none() {
        // The nouns after the name end in a public body's or an office's word.
        assert_eq!(
            tidy("北条工業試験場と共同で新素材を開発した。", "北条工業"),
            None
        );
        assert_eq!(
            tidy("山吹県工業技術研究所と連携協定を締結した。", "山吹県工業"),
            None
        );
        assert_eq!(tidy("東雲経済産業大臣が視察した。", "東雲経済産業"), None);
        // A particle or a symbol ends the compound: the name before it stays.
        assert_eq!(
            tidy("北条工業と試験場の運営で提携した。", "北条工業").as_deref(),
            Some("北条工業")
        );
        assert_eq!(
            tidy("北条工業、研究所を新設。", "北条工業").as_deref(),
            Some("北条工業")
        );
        // A legal form makes a company: the compound after it is its own
        // (a laboratory).
        assert_eq!(
            tidy("北条工業株式会社技術研究所を新設。", "北条工業株式会社").as_deref(),
            Some("北条工業株式会社")
        );
        // A common noun that heads no public body leaves the name.
        assert_eq!(
            tidy("北条工業社長が会見した。", "北条工業").as_deref(),
            Some("北条工業")
        );
    }

    #[test]
    fn a_ratio_glued_after_a_name_is_cut_but_a_names_digits_stay() {
        assert_eq!(
            tidy(
                "合併比率はカスミテック1に対しアオバ電子0.5とする。",
                "カスミテック1"
            )
            .as_deref(),
            Some("カスミテック")
        );
        assert_eq!(
            tidy("パークス24と業務提携した。", "パークス24").as_deref(),
            Some("パークス24")
        );
    }

    #[test]
    fn a_title_glued_after_a_name_is_cut() {
        assert_eq!(
            tidy(
                "新会社の会長には山田一郎カスミテック会長が就く。",
                "カスミテック会長"
            )
            .as_deref(),
            Some("カスミテック")
        );
        assert_eq!(
            tidy("アオバ電子本社で記者会見を開いた。", "アオバ電子本社").as_deref(),
            Some("アオバ電子")
        );
        // A bank's and a cooperative bank's heads.
        assert_eq!(
            tidy("しおかぜ銀行頭取の山田氏が語った。", "しおかぜ銀行頭取").as_deref(),
            Some("しおかぜ銀行")
        );
        assert_eq!(
            tidy("浜風信用金庫理事長が出席した。", "浜風信用金庫理事長").as_deref(),
            Some("浜風信用金庫")
        );
    }

    #[test]
    fn a_headline_short_form_glued_to_common_nouns_ends_the_name() {
        // 三菱商 (三菱商事 but its last kanji) + common nouns.
        assert_eq!(
            tidy("三菱商電力事業を再編", "三菱商電力").as_deref(),
            Some("三菱商")
        );
        // A short form that is a word of the name keeps what follows it.
        assert_eq!(
            tidy(
                "マイクロンテクノロジーが工場を新設",
                "マイクロンテクノロジー"
            )
            .as_deref(),
            Some("マイクロンテクノロジー")
        );
        assert_eq!(
            tidy("大和ハウスグループが出資", "大和ハウスグループ").as_deref(),
            Some("大和ハウスグループ")
        );
    }
}
