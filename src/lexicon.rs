//! Lexicons read from `dictionaries/`: the company gazetteer, the verb
//! lexicon, country names, and the affixes of company names. The files are
//! compiled into the binary; [`Lexicons::bundled`] parses them once.

use std::collections::HashMap;

use crate::error::{KijiError, Result};

/// One company of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyEntry {
    /// Canonical name.
    pub canonical: String,
    /// Japanese name.
    pub name_ja: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Every surface that names it (canonical, names, aliases).
    pub surfaces: Vec<String>,
}

/// One entry of the verb lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbEntry {
    /// Surfaces; the first is the lemma.
    pub forms: Vec<String>,
    /// `ja` or `en`.
    pub lang: String,
    /// Deal kind.
    pub kind: String,
    /// Continuations that cancel a match (投資 + 家).
    pub not_followed_by: Vec<String>,
    /// A deal term only where its sentence names a company (投資 is also
    /// spending in general: 設備への投資, IT投資).
    pub needs_company: bool,
    /// The party the term goes to is the one that acts (`AがBをCに譲渡`: C
    /// acquires B), column `actor` = `recipient`.
    pub recipient_acts: bool,
}

/// One deal kind of `deal_kinds.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealKind {
    /// The kind (`acquisition`).
    pub kind: String,
    /// Roles of the acting party and of the party acted on (`acquirer`,
    /// `target`); `None` for an undirected kind.
    pub roles: Option<(String, String)>,
    /// Kinds of one group are one relationship when they concern the same pair.
    pub group: String,
}

impl VerbEntry {
    /// Dictionary form.
    pub fn lemma(&self) -> &str {
        &self.forms[0]
    }
}

/// One currency of `currencies.tsv`: how news writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyEntry {
    /// ISO 4217 code, also matched as written before or after a number.
    pub code: String,
    /// Signs written before the number (`$`, `US$`, `₹`).
    pub symbols: Vec<String>,
    /// Japanese names written after the number (`円`, `米ドル`).
    pub ja: Vec<String>,
    /// English names written after the number, singular and plural.
    pub en: Vec<String>,
    /// Names that are also ordinary words (元, won): money only after a
    /// scale word or unit, or with a number of at least 10,000.
    pub weak: Vec<String>,
    /// Names of the currency's hundredth (`cents`, `pence`, `銭`).
    pub minor: Vec<String>,
    /// Surfaces whose currency depends on where the text is (`$`, `元`):
    /// this currency is their default reading.
    pub bare: Vec<String>,
}

/// Affix and stop lists for companies outside the gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgRules {
    /// Legal forms (株式会社, (株)).
    pub legal: Vec<String>,
    /// Company-type endings (ホールディングス, 銀行).
    pub suffix: Vec<String>,
    /// Company-type endings of the suffix rule only (信用金庫, 信金): not a
    /// feature of the trained model, so the shipped model stays reproducible.
    pub rule_suffix: Vec<String>,
    /// Words that make a suffixed name generic (大手, 地方).
    pub generic: Vec<String>,
    /// Names that are never companies.
    pub not_company: Vec<String>,
    /// Endings of non-company organisations (省, 大学).
    pub not_suffix: Vec<String>,
    /// Endings of `not_suffix` that a company's name takes with a legal form
    /// (株式会社DNAチップ研究所).
    pub form_ending: Vec<String>,
    /// English legal suffixes (Inc., Corp.).
    pub en_legal: Vec<String>,
    /// English function words and titles, never the start of a name (The, Mr.).
    pub en_function: Vec<String>,
    /// English places, nationalities, months and generic nouns: never a name alone.
    pub en_stop: Vec<String>,
    /// Abbreviated places, never a company (US, UK).
    pub en_place: Vec<String>,
    /// Lowercase nouns of places (province, city): a name they follow, or
    /// precede with `of`, is a place's.
    pub en_place_noun: Vec<String>,
    /// Capitalised last words of places' names (Province, Prefecture).
    pub en_place_ending: Vec<String>,
    /// Stock exchanges, a ticker's venue (NYSE, Nasdaq): never the last word of a name.
    pub en_exchange: Vec<String>,
    /// Capitalised verbs of title-case headlines (`Agree`, `Merge`): never the
    /// last word of a name the English model finds; a filter only.
    pub en_headline_verb: Vec<String>,
    /// Labels of the header fields of an English disclosure (`Securities
    /// Code`, `Company Name`): before their colon, the end of no name.
    pub en_field_label: Vec<String>,
    /// Plural nouns of sections and lists (Companies, Stocks): a name starts after one.
    pub en_section: Vec<String>,
    /// Last words of English names of bodies that are no companies (Hospital,
    /// Foundation, College): a filter only, never a feature of a model.
    pub en_not_ending: Vec<String>,
    /// Places (cities, states, prefectures: `Abu Dhabi`, `Oshu`) that name no
    /// company alone; a filter only, never a model feature.
    pub en_place_name: Vec<String>,
    /// English legal forms that end a name only after a comma (`Citibank,
    /// N.A.`; `Operating Margin N.A.` is a table's "not available").
    pub en_legal_comma: Vec<String>,
    /// A social platform of a page's share bar (Facebook, LINE, X).
    pub share_platform: Vec<String>,
    /// Another word of a share bar (Share, Tweet, この記事を共有, シェア).
    pub share_word: Vec<String>,
    /// Lowercase nouns after a quoted product's name (service, app, brand).
    pub en_product_noun: Vec<String>,
    /// Endings of an English descriptor before a name (`Singapore-listed`, `Tokyo-based`).
    pub en_descriptor: Vec<String>,
    /// English words that end a company name and stay in it (Industries, Semiconductor).
    pub en_company_word: Vec<String>,
    /// Titles and share words cut from the end of a name after a legal form
    /// (代表取締役, 株式).
    pub trailing_title: Vec<String>,
    /// Labels of a disclosure form's fields (会社名, 商号): a legal form right
    /// after one starts the name that is the field's value.
    pub field_label: Vec<String>,
    /// Characters after …社 that make it an ordinary word (社長, 社員).
    pub sha_stop_after: Vec<String>,
    /// Characters after a company-type ending that make it a longer word (銀行業).
    pub suffix_stop_after: Vec<String>,
    /// Katakana company words before which any katakana name is a company (ホールディングス).
    pub katakana_name_suffix: Vec<String>,
    /// Group company words before which a kanji name of common words is a
    /// company (国際興業ホールディングス).
    pub kanji_name_suffix: Vec<String>,
    /// Endings and legal forms before which a name written partly in
    /// hiragana is a company (あさひ信用組合, 瀬戸内みらい銀行).
    pub kana_name_suffix: Vec<String>,
    /// Katakana words that go on a name after a katakana ending when `・`
    /// joins them (ハーロウ・キャピタル・パートナーズ).
    pub name_continuation: Vec<String>,
    /// Katakana after a known name that makes a venue, event, product line or team (センター).
    pub not_group_word: Vec<String>,
    /// Group endings whose name before them is the company's short form in the
    /// rest of a document (ホールディングス, HD, グループ: `SGホールディングス` → `SG`).
    pub short_form_ending: Vec<String>,
    /// Market names before a segment (東証: `東証グロース` is no company).
    pub market_prefix: Vec<String>,
    /// Words after a name that make it a school's (大学, 高等専門学校).
    pub school_after: Vec<String>,
    /// Last words of a compound naming a public body or an office (試験場,
    /// 大臣): a name that opens such a compound is none (`神戸工業試験場`).
    pub public_head: Vec<String>,
    /// Plants, offices and branches (工場, 支社, 事業所): no company.
    pub site_word: Vec<String>,
    /// English titles and roles before a person's name (chairman, CEO, Mr.):
    /// the name after them is a person's in the whole document.
    pub en_person_title: Vec<String>,
    /// Lower-case particles inside a person's name (de, van, bin: `Eline de
    /// Groot`).
    pub en_name_particle: Vec<String>,
    /// Nouns that describe a company right before its name (スタートアップ, 企業).
    pub appositive_head: Vec<String>,
    /// English nouns that describe a company right before its name (firm, maker).
    pub en_appositive_head: Vec<String>,
    /// Words that end a description of a company's trade glued before its
    /// name (大手: `インターネット金融大手|SBIホールディングス`).
    pub describing_end: Vec<String>,
    /// English last words of a name that goes on with `of` and a place
    /// (`Nexa Bank of Canada`, `Harbour Company of South Africa`).
    pub en_of_place_head: Vec<String>,
    /// Deal words that end the `deal_object` rule (提携, 買収).
    pub deal_object_word: Vec<String>,
    /// English verbs after a company that is the subject of a deal (acquired).
    pub en_subject_verb: Vec<String>,
    /// English deal phrases that a company's name follows (partnered with, to buy).
    pub en_object_cue: Vec<String>,
}

/// All lexicons.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// The gazetteer.
    pub companies: Vec<CompanyEntry>,
    /// The verb lexicon.
    pub verbs: Vec<VerbEntry>,
    /// Country name → (ISO code, usable as one-character prefix).
    pub countries: HashMap<String, (String, bool)>,
    /// Company-name rules.
    pub org: OrgRules,
    /// The currency table.
    pub currencies: Vec<CurrencyEntry>,
    /// Deal kinds and their roles.
    pub deal_kinds: Vec<DealKind>,
    /// Words the records stage reads around statements.
    pub record_words: RecordWords,
    /// Places where a bare `$` or `元` means another currency.
    pub currency_places: Vec<CurrencyPlace>,
}

/// One row of `currency_places.tsv`: a place and what a bare `$` or `元`
/// means there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyPlace {
    /// A label (`Singapore`).
    pub place: String,
    /// ISO 3166 alpha-2 code of the place's companies.
    pub country: String,
    /// Words that place a text there.
    pub cues: Vec<String>,
    /// The currency of a bare `$` there.
    pub dollar: Option<String>,
    /// The currency of a bare `元` there.
    pub yuan: Option<String>,
}

/// Parses `currency_places.tsv`.
pub fn parse_currency_places(text: &str) -> Result<Vec<CurrencyPlace>> {
    let mut out = Vec::new();
    for row in rows("currency_places.tsv", text, 3) {
        let (_, c) = row?;
        out.push(CurrencyPlace {
            place: c[0].to_string(),
            country: c[1].to_string(),
            cues: split_list(c[2]),
            dollar: c.get(3).and_then(|s| opt(s)),
            yuan: c.get(4).and_then(|s| opt(s)),
        });
    }
    Ok(out)
}

/// The rows of `dictionaries/record_words.tsv`, by role; English rows of
/// every role but `item_month` in lower case.
#[derive(Debug, Clone, Default)]
pub struct RecordWords {
    /// Phrases that refer to the parties of the statement before (両社, both companies).
    pub refers_back: Vec<String>,
    /// English month abbreviations that open a dated digest item (Jan, Feb).
    pub item_month: Vec<String>,
    /// Words that make an amount a company figure (売上高, revenue).
    pub figure: Vec<String>,
    /// Words that mark an amount as the deal value (買収額; English rows end
    /// with the space that follows them: `worth `).
    pub deal_value: Vec<String>,
    /// Cues that a deal is not (yet) done: talks, plans, denials (検討, 協議, talks, denied).
    pub modality: Vec<String>,
    /// Cues that a relationship ends or ended (解消, 撤退, terminated).
    pub ended: Vec<String>,
    /// Cues of a standing group relation rather than a deal (子会社, 傘下, subsidiary, unit).
    pub relation: Vec<String>,
    /// Words by which a release or disclosure names its issuer (当社, the Company).
    pub self_reference: Vec<String>,
    /// Words of deals that are not deal terms of `verbs.tsv` (統合, 増資, stake):
    /// a statement with one makes candidates, with a weaker feature.
    pub weak_term: Vec<String>,
    /// Words that head a list of investors, one company a line (投資家, 引受先, investors).
    pub investor_list: Vec<String>,
    /// Endings of a stock exchange's name (証券取引所, stock exchange): a listing
    /// venue, seldom a party.
    pub venue_ending: Vec<String>,
    /// Words of the names of exchanges and their groups besides the endings
    /// (東証, Euronext, Börse): a listing venue pairs only with one of these.
    pub exchange_word: Vec<String>,
    /// What follows a company a sentence says came to be (となっ, が発足): the
    /// sentences after it are about that company.
    pub became: Vec<String>,
    /// Words that label a page's date line (published, updated, 配信, 更新).
    pub date_label: Vec<String>,
    /// Phrases that count three or more parties (`3社`, 三者, three companies):
    /// a statement with one that names three or more companies lists co-parties.
    pub co_parties: Vec<String>,
    /// Abbreviations whose period ends no sentence, in any case (`Co.`, `LTD.`, `Mr.`);
    /// lower case.
    pub abbreviation: Vec<String>,
}

const COMPANIES: &str = include_str!("../dictionaries/companies.tsv");
const LISTED_COMPANIES: &str = include_str!("../dictionaries/listed_companies.tsv");
const REGISTERED_COMPANIES: &str = include_str!("../dictionaries/registered_companies.tsv");
const VERBS: &str = include_str!("../dictionaries/verbs.tsv");
const COUNTRIES: &str = include_str!("../dictionaries/countries.tsv");
const ORG_RULES: &str = include_str!("../dictionaries/org_rules.tsv");
const CURRENCIES: &str = include_str!("../dictionaries/currencies.tsv");
const DEAL_KINDS: &str = include_str!("../dictionaries/deal_kinds.tsv");
const RECORD_WORDS: &str = include_str!("../dictionaries/record_words.tsv");
const CURRENCY_PLACES: &str = include_str!("../dictionaries/currency_places.tsv");

/// Data rows of a TSV: comments and blank lines skipped, header skipped.
fn rows<'a>(
    name: &'a str,
    text: &'a str,
    columns: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>)>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(move |(i, l)| {
            let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cells.len() < columns {
                return Err(KijiError::Lexicon {
                    name: name.to_string(),
                    line: i + 1,
                    message: format!(
                        "expected {columns} tab-separated columns, found {}",
                        cells.len()
                    ),
                });
            }
            Ok((i + 1, cells))
        })
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl Lexicons {
    /// Parses the lexicons compiled into kiji.
    pub fn bundled() -> Result<Self> {
        let mut lex = Self::parse(
            COMPANIES,
            &[
                ("listed_companies.tsv", LISTED_COMPANIES),
                ("registered_companies.tsv", REGISTERED_COMPANIES),
            ],
            VERBS,
            COUNTRIES,
            ORG_RULES,
            CURRENCIES,
            DEAL_KINDS,
            RECORD_WORDS,
        )?;
        lex.currency_places = parse_currency_places(CURRENCY_PLACES)?;
        Ok(lex)
    }

    /// Parses lexicons from TSV texts (same formats as `dictionaries/`).
    /// `generated` gazetteer files (name and text: `listed_companies.tsv`,
    /// `registered_companies.tsv`) come after the hand-made `companies` rows,
    /// so that a surface both have names the hand-made row.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        companies: &str,
        generated: &[(&str, &str)],
        verbs: &str,
        countries: &str,
        org_rules: &str,
        currencies: &str,
        deal_kinds: &str,
        record_words: &str,
    ) -> Result<Self> {
        let mut kinds = Vec::new();
        for row in rows("deal_kinds.tsv", deal_kinds, 3) {
            let (line, c) = row?;
            let roles = match c[1].split_once(',') {
                Some((a, b)) => Some((a.trim().to_string(), b.trim().to_string())),
                None if c[1].is_empty() => None,
                None => {
                    return Err(KijiError::Lexicon {
                        name: "deal_kinds.tsv".into(),
                        line,
                        message: format!("roles `{}` are not `first,second`", c[1]),
                    })
                }
            };
            kinds.push(DealKind {
                kind: c[0].to_string(),
                roles,
                group: c[2].to_string(),
            });
        }
        let mut list = Vec::new();
        let sources =
            std::iter::once(("companies.tsv", companies)).chain(generated.iter().copied());
        for row in sources.flat_map(|(name, text)| rows(name, text, 5)) {
            let (_, c) = row?;
            let canonical = c[0].to_string();
            let name_ja = opt(c[1]);
            let name_en = opt(c[2]);
            let mut surfaces = vec![canonical.clone()];
            surfaces.extend(name_ja.iter().cloned());
            surfaces.extend(name_en.iter().cloned());
            surfaces.extend(split_list(c[3]));
            surfaces.sort();
            surfaces.dedup();
            list.push(CompanyEntry {
                canonical,
                name_ja,
                name_en,
                country: opt(c[4]),
                surfaces,
            });
        }
        let mut verb_list = Vec::new();
        for row in rows("verbs.tsv", verbs, 3) {
            let (line, c) = row?;
            let forms = split_list(c[0]);
            if forms.is_empty() {
                return Err(KijiError::Lexicon {
                    name: "verbs.tsv".into(),
                    line,
                    message: "no form".into(),
                });
            }
            verb_list.push(VerbEntry {
                forms,
                lang: c[1].to_string(),
                kind: c[2].to_string(),
                not_followed_by: c.get(3).map(|s| split_list(s)).unwrap_or_default(),
                needs_company: c.get(4).is_some_and(|s| *s == "yes"),
                recipient_acts: c.get(5).is_some_and(|s| *s == "recipient"),
            });
            if !kinds.iter().any(|k| k.kind == c[2]) {
                return Err(KijiError::Lexicon {
                    name: "verbs.tsv".into(),
                    line,
                    message: format!("kind `{}` is not in deal_kinds.tsv", c[2]),
                });
            }
        }
        let mut country_map = HashMap::new();
        for row in rows("countries.tsv", countries, 3) {
            let (_, c) = row?;
            country_map.insert(c[0].to_string(), (c[1].to_string(), c[2] == "yes"));
        }
        let mut org = OrgRules::default();
        for row in rows("org_rules.tsv", org_rules, 2) {
            let (line, c) = row?;
            let target = match c[1] {
                "legal" => &mut org.legal,
                "suffix" => &mut org.suffix,
                "rule_suffix" => &mut org.rule_suffix,
                "generic" => &mut org.generic,
                "not_company" => &mut org.not_company,
                "not_suffix" => &mut org.not_suffix,
                "form_ending" => &mut org.form_ending,
                "en_legal" => &mut org.en_legal,
                "en_function" => &mut org.en_function,
                "en_stop" => &mut org.en_stop,
                "en_place" => &mut org.en_place,
                "en_place_noun" => &mut org.en_place_noun,
                "en_place_ending" => &mut org.en_place_ending,
                "en_exchange" => &mut org.en_exchange,
                "en_headline_verb" => &mut org.en_headline_verb,
                "en_field_label" => &mut org.en_field_label,
                "en_section" => &mut org.en_section,
                "en_not_ending" => &mut org.en_not_ending,
                "en_place_name" => &mut org.en_place_name,
                "en_legal_comma" => &mut org.en_legal_comma,
                "share_platform" => &mut org.share_platform,
                "share_word" => &mut org.share_word,
                "en_product_noun" => &mut org.en_product_noun,
                "en_descriptor" => &mut org.en_descriptor,
                "en_company_word" => &mut org.en_company_word,
                "trailing_title" => &mut org.trailing_title,
                "field_label" => &mut org.field_label,
                "sha_stop_after" => &mut org.sha_stop_after,
                "suffix_stop_after" => &mut org.suffix_stop_after,
                "katakana_name_suffix" => &mut org.katakana_name_suffix,
                "kanji_name_suffix" => &mut org.kanji_name_suffix,
                "kana_name_suffix" => &mut org.kana_name_suffix,
                "name_continuation" => &mut org.name_continuation,
                "not_group_word" => &mut org.not_group_word,
                "short_form_ending" => &mut org.short_form_ending,
                "market_prefix" => &mut org.market_prefix,
                "school_after" => &mut org.school_after,
                "public_head" => &mut org.public_head,
                "site_word" => &mut org.site_word,
                "en_person_title" => &mut org.en_person_title,
                "en_name_particle" => &mut org.en_name_particle,
                "appositive_head" => &mut org.appositive_head,
                "en_appositive_head" => &mut org.en_appositive_head,
                "describing_end" => &mut org.describing_end,
                "en_of_place_head" => &mut org.en_of_place_head,
                "deal_object_word" => &mut org.deal_object_word,
                "en_subject_verb" => &mut org.en_subject_verb,
                "en_object_cue" => &mut org.en_object_cue,
                other => {
                    return Err(KijiError::Lexicon {
                        name: "org_rules.tsv".into(),
                        line,
                        message: format!("unknown role {other:?}"),
                    })
                }
            };
            target.push(c[0].to_string());
        }
        // Longest first, so that alternations prefer the longest affix.
        for list in [
            &mut org.legal,
            &mut org.suffix,
            &mut org.en_legal,
            &mut org.not_suffix,
        ] {
            list.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        }
        let mut currency_list = Vec::new();
        for row in rows("currencies.tsv", currencies, 5) {
            let (line, c) = row?;
            if c[0].len() != 3 || !c[0].bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(KijiError::Lexicon {
                    name: "currencies.tsv".into(),
                    line,
                    message: format!("{:?} is not an ISO 4217 code", c[0]),
                });
            }
            currency_list.push(CurrencyEntry {
                code: c[0].to_string(),
                symbols: split_list(c[1]),
                ja: split_list(c[2]),
                en: split_list(c[3]),
                weak: split_list(c[4]),
                minor: c.get(5).map(|s| split_list(s)).unwrap_or_default(),
                bare: c.get(6).map(|s| split_list(s)).unwrap_or_default(),
            });
        }
        let mut words = RecordWords::default();
        for row in rows("record_words.tsv", record_words, 2) {
            let (line, c) = row?;
            let (target, lower) = match c[1] {
                "refers_back" => (&mut words.refers_back, true),
                "item_month" => (&mut words.item_month, false),
                "figure" => (&mut words.figure, true),
                "deal_value" => (&mut words.deal_value, true),
                "modality" => (&mut words.modality, true),
                "ended" => (&mut words.ended, true),
                "relation" => (&mut words.relation, true),
                "self_reference" => (&mut words.self_reference, true),
                "weak_term" => (&mut words.weak_term, true),
                "abbreviation" => (&mut words.abbreviation, true),
                "investor_list" => (&mut words.investor_list, true),
                "venue_ending" => (&mut words.venue_ending, true),
                "exchange_word" => (&mut words.exchange_word, true),
                "date_label" => (&mut words.date_label, true),
                "became" => (&mut words.became, true),
                "co_parties" => (&mut words.co_parties, true),
                other => {
                    return Err(KijiError::Lexicon {
                        name: "record_words.tsv".into(),
                        line,
                        message: format!("unknown role {other:?}"),
                    })
                }
            };
            let mut w = if lower {
                c[0].to_lowercase()
            } else {
                c[0].to_string()
            };
            if c[1] == "deal_value" && w.is_ascii() {
                w.push(' ');
            }
            target.push(w);
        }
        Ok(Lexicons {
            currency_places: Vec::new(),
            record_words: words,
            companies: list,
            verbs: verb_list,
            countries: country_map,
            org,
            currencies: currency_list,
            deal_kinds: kinds,
        })
    }
}

/// ISO code of a country name as written in brackets (米国 → US), from the bundled `countries.tsv`.
pub fn country_code(name: &str) -> Option<String> {
    static MAP: std::sync::LazyLock<HashMap<String, String>> = std::sync::LazyLock::new(|| {
        rows("countries.tsv", COUNTRIES, 3)
            .filter_map(|r| r.ok())
            .map(|(_, c)| (c[0].to_string(), c[1].to_string()))
            .collect()
    });
    MAP.get(name.trim()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicons_parse_and_are_large_enough() {
        let lex = Lexicons::bundled().unwrap();
        assert!(
            lex.companies.len() >= 400,
            "{} companies",
            lex.companies.len()
        );
        assert!(lex
            .verbs
            .iter()
            .any(|v| v.lemma() == "資本業務提携" && v.kind == "capital_business_alliance"));
        assert_eq!(lex.countries.get("米国").map(|c| c.0.as_str()), Some("US"));
        assert!(lex.org.not_company.iter().any(|s| s == "経済産業省"));
    }

    #[test]
    fn generated_companies_are_extra_rows_after_the_hand_made_ones() {
        let lex = Lexicons::bundled().unwrap();
        let hand = rows("companies.tsv", COMPANIES, 5).count();
        let listed: Vec<_> = rows("listed_companies.tsv", LISTED_COMPANIES, 6)
            .map(Result::unwrap)
            .collect();
        let registered: Vec<_> = rows("registered_companies.tsv", REGISTERED_COMPANIES, 6)
            .map(Result::unwrap)
            .collect();
        assert!(listed.len() >= 1500, "{} listed rows", listed.len());
        assert!(
            registered.len() >= 1500,
            "{} registered rows",
            registered.len()
        );
        assert_eq!(lex.companies.len(), hand + listed.len() + registered.len());
        use unicode_normalization::UnicodeNormalization;
        for (line, c) in &listed {
            // canonical = name_ja, NFKC, a securities code, Japan or no country.
            assert_eq!(c[0], c[1], "line {line}");
            assert_eq!(c[0].nfkc().collect::<String>(), c[0], "line {line}");
            assert!(c[5].len() == 4 && c[5].chars().all(|x| x.is_ascii_alphanumeric()));
            assert!(c[4] == "JP" || c[4].is_empty(), "line {line}");
        }
        for (line, c) in &registered {
            // canonical = name_ja without a legal form, NFKC, Japan; a
            // securities code only for listed filers.
            assert_eq!(c[0], c[1], "line {line}");
            assert_eq!(c[0].nfkc().collect::<String>(), c[0], "line {line}");
            assert!(!c[0].contains("株式会社") && !c[0].contains("有限会社"));
            assert!(c[5].is_empty() || c[5].len() == 4, "line {line}");
            assert_eq!(c[4], "JP", "line {line}");
        }
        let moriroku = lex.companies[hand..]
            .iter()
            .find(|c| c.canonical == "森六ホールディングス")
            .expect("a listed holding company");
        assert!(moriroku.surfaces.contains(&"森六HD".to_string()));
        let ryukyu = lex.companies[hand + listed.len()..]
            .iter()
            .find(|c| c.canonical == "琉球セメント")
            .expect("an unlisted filer");
        assert_eq!(ryukyu.country.as_deref(), Some("JP"));
    }

    #[test]
    fn no_surface_names_two_companies() {
        let lex = Lexicons::bundled().unwrap();
        let mut seen = HashMap::new();
        for c in &lex.companies {
            for s in &c.surfaces {
                if let Some(other) = seen.insert(s.clone(), c.canonical.clone()) {
                    panic!("{s} names both {other} and {}", c.canonical);
                }
            }
        }
    }
}
