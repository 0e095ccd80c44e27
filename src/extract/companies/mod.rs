//! Companies: the gazetteer (`dictionaries/companies.tsv`, matched with
//! Aho-Corasick, leftmost-longest, on token boundaries), then rules for
//! companies that are not in it. Each entity's `rule` says which one fired:
//! - `gazetteer`: a surface of the gazetteer; `group_company` when a known name
//!   goes on in katakana (パナソニックコネクト);
//! - `legal`: a legal form before or after a name (株式会社ヤフー, ヤフー株式会社, (株)アルファ);
//! - `bracket_country`: a name followed by a country in brackets (`Pony.ai(中国)`;
//!   a Latin name is capitalised words, never a sentence before the bracket);
//! - `bracket_place`: a name followed by its head office in brackets (`三信(東京都中央区)`);
//! - `sha`: a katakana or Latin name followed by 社 (モビルス社, 米Tractable社);
//! - `appositive`: a name after スタートアップの / AI企業の / 子会社の / カナダの ...;
//! - `deal_object`, `deal_subject`, `coordination`: in a paragraph with a deal
//!   term, a katakana or Latin name right before に/と/を/から + a deal word, at the
//!   start of a sentence before は/が, or in `AとBが` (names made only of unknown
//!   words or proper nouns, so common words never pass); `deal_object` also takes
//!   a kanji name there that opens with a word IPADIC does not know, or with a
//!   person's name or a proper noun and more (`小松紡績と業務提携`, `成城石井を買収`;
//!   here a common noun may follow), or with a place or an organisation and only
//!   proper words (never `米国事業`, `日経平均`, `国連`), without a person's suffix
//!   (`氏`) or a title (`部長`);
//! - `suffix`: a name followed by a company-type ending (横浜銀行, 東京スター銀行),
//!   where the name holds at least one proper noun, unknown word or Latin word;
//! - `english_legal`: capitalised words followed by Inc./Corp./Ltd./Co./LLC/Holdings/Group;
//! - `english_context`: capitalised words around an English deal phrase
//!   (`invested in X`, `X acquired`);
//! - `english_apposition`: a name after a place in the possessive or a company
//!   noun (`Japan's Sakura Seiko`, `payments firm Paynest`, `battery makers X and Y`;
//!   the nouns are `en_appositive_head` rows of `org_rules.tsv`);
//! - `english_bracket`: an English name before its acronym or stock ticker in
//!   brackets (`Acme Widget Bank (AWB)`, `Acme (NYSE: ACM)`); the acronym is a
//!   mention too;
//! - `securities_code`: a name before its four-digit securities code
//!   (`アルファ<1234>`, `アルファ (T:1234)`);
//! - `ipadic_org`: IPADIC organisation nouns (名詞,固有名詞,組織);
//! - `model`: the trained CRF tagger (`model.rs`), for Japanese text;
//! - `english_model`: the trained CRF tagger of English words (`english.rs`),
//!   for paragraphs without Japanese;
//! - `propagated`: a later mention of a name that a rule found earlier in the document;
//! - `defined`: a short form the document defines right after a company's name
//!   (`桜川エレクトロニクス株式会社(以下「SKE」といいます。)`, `Hoshino Trading Corporation
//!   ("Hoshino")`: `defined.rs`), at each later mention.
//!
//! Candidates in `not_company` of `dictionaries/org_rules.tsv` (ministries,
//! universities, products, generic and loan words), or ending with a
//! non-company ending (省, 大学, 機構 ...), are dropped, and so are names inside a
//! quoted product name (「PKSHA Speech Insight」). The entity's text is the name
//! as written with its legal form (株式会社ヤフー, Acme Co., Ltd.), without 社, the
//! bracketed country or a country prefix; its `name` drops the legal form, and
//! gazetteer hits get the canonical bilingual names and country.
//!
//! Files, one per candidate source and one filter: `gazetteer.rs` (kiji's
//! gazetteer and IPADIC's organisation nouns), `rules.rs` (one method per rule
//! family), `model.rs` (the CRF tagger), `filter.rs` (the cuts and checks of
//! model spans). This file builds the extractor, runs the sources in order
//! ([`CompanyExtractor::find`]) and holds the checks they share.

mod defined;
pub mod english;
mod filter;
mod gazetteer;
pub mod model;
mod rules;
mod tidy;

pub use defined::defined_short_forms;

use std::collections::HashMap;

use fnv::{FnvHashMap, FnvHashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::{alternation, gated, is_word_char, latin_boundaries_ok, Span};
use crate::document::EntityKind;
use crate::error::{KijiError, Result};
use crate::lexicon::{CompanyEntry, Lexicons};
use crate::normalize::is_japanese;
use crate::tokenize::{PosClass, Token};
use model::{CompanyModel, MarkSets, Marks};
use rules::RuleContext;

/// Characters that can form a Japanese or mixed company name.
const NAME_CLASS: &str = r"[ァ-ヺー・ヽヾA-Za-z0-9&\p{Han}]";
/// A capitalised English name of one to four words (the first may be
/// camel case with a lowercase initial: eAccess, iRobot), its letters those
/// of [`EN_LONG_NAME`] (`Citroën SA`, `Módulo Beauté`), words perhaps joined
/// by `&` (`Holland & Barrett`).
const EN_NAME: &str = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ſ0-9&\-]*(?:\.[A-Za-z0-9]+)*|[a-z][A-Z][A-Za-z0-9]+)(?:(?: &)? (?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ſ0-9&\-]*(?:\.[A-Za-z0-9]+)*)){0,3}";

/// A capitalised name in Latin letters (ASCII, Latin-1 and Latin Extended-A:
/// `Conservas Ría de Arousa`, `Wärtsilä`, `Škoda`) of any length, with `&`, `of`, `and`, the particles of
/// Romance and German names before a capitalised word (`Banco del Pacífico`,
/// `Caisse des Dépôts`, `Haus von Stein`; not `van` or `do`, English words)
/// inside, and possessives (`Lowe’s`), as the legal-form rule reads it. (The
/// particles of persons' names are `org_rules.tsv` rows, `en_name_particle`.)
/// Its letter classes are whole ranges so that the lazy DFA stays small
/// (listing Extended-A's upper-case letters one by one cost 2.6% of ingest),
/// so a lower-case letter of that block (`ă`) can start a match; the word
/// boundary checks after it keep such matches out (`tests/extract.rs`).
const EN_LONG_NAME: &str = r"[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ſ0-9&.\-'’]*(?: (?:[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ſ0-9&.\-'’]*|&|of|and|de|(?:del|della|des|di|dos|da|das|du|la|le|von|der|den)(?: (?:de|la|der|den))? [A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ſ0-9&.\-'’]*))*";

/// `org` as the rules read it: the English legal forms also in capitals and in
/// title case (`CO., LTD.`, `Plc` beside `Co., Ltd.`, `PLC`), and the
/// `rule_suffix` endings among the company-type endings, longest first.
fn rule_lists(org: &crate::lexicon::OrgRules) -> crate::lexicon::OrgRules {
    let mut out = org.clone();
    out.suffix.extend(org.rule_suffix.iter().cloned());
    out.suffix
        .sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    for l in &org.en_legal {
        let upper = l.to_uppercase();
        let mut chars = l.chars();
        let title: String = chars
            .next()
            .map(|c| {
                c.to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        // Title case only for one word of letters (`Plc`, not `Gmbh & co. kg`).
        let title = Some(title).filter(|_| l.chars().all(|c| c.is_ascii_alphabetic()));
        for v in std::iter::once(upper).chain(title) {
            if !out.en_legal.contains(&v) {
                out.en_legal.push(v);
            }
        }
    }
    out.en_legal
        .sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    out
}

/// The frequent English words (`dictionaries/english_words.txt`).
static ENGLISH_WORDS: std::sync::LazyLock<FnvHashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../../dictionaries/english_words.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });

/// Whether `word`, lowercased, is a frequent English word (`Iron`, `Marsh`).
pub(crate) fn is_frequent_english_word(word: &str) -> bool {
    ENGLISH_WORDS.contains(word.to_ascii_lowercase().as_str())
}

/// Whether `word` can stand alone for the English company name it starts
/// (`Quantia` of `Quantia Mining`): a capitalised word of letters, four or more,
/// that is not a frequent English word (`Origin`, `Korea`).
pub fn is_distinctive_english_word(word: &str) -> bool {
    word.len() >= 4
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !is_frequent_english_word(word)
}

/// The company extractor.
#[derive(Debug)]
pub struct CompanyExtractor {
    gazetteer: AhoCorasick,
    pattern_company: Vec<usize>,
    entries: Vec<CompanyEntry>,
    // Looked up for every candidate: FNV hashes short strings faster than SipHash.
    by_surface: FnvHashMap<String, usize>,
    /// Surfaces kiji derives from rows (…銀 for …銀行): matched, but not given
    /// to lindera as words (千葉銀 must not split 千葉銀座).
    derived: FnvHashSet<String>,
    legal_before: Regex,
    legal_after: Regex,
    bracket: Regex,
    bracket_place: Regex,
    sha: Regex,
    suffix: Regex,
    /// A name before a `kanji_name_suffix` word, however many company-type
    /// endings it holds itself (国際興業ホールディングス).
    holding_suffix: Regex,
    /// A run of name characters and hiragana before a `kana_name_suffix`
    /// ending or legal form (地元のあさひ|信用組合), and a legal form after the
    /// ending (きらぼしキャピタル|株式会社): the `kana_names` rule.
    kana_name: Regex,
    english_legal: Regex,
    coordination: Regex,
    english_object: Regex,
    appositive: Regex,
    /// A name in kanji after a foreign country and の, before a particle
    /// (台湾の華邦精密と…): the `appositive` rule's kanji form.
    appositive_han: Regex,
    deal_object: Regex,
    deal_subject: Regex,
    /// The tail of `deal_object` in kanji: に/と/を/から and a deal word (the
    /// name before it is read backwards, so that the regex needs no captures).
    deal_object_tail: Regex,
    english_subject: Regex,
    english_apposition: Regex,
    english_bracket: Regex,
    securities_code: Regex,
    not_company: FnvHashSet<String>,
    not_suffix: Vec<String>,
    form_ending: Vec<String>,
    generic: FnvHashSet<String>,
    countries: HashMap<String, (String, bool)>,
    en_legal: Vec<String>,
    triggers: Triggers,
    model: CompanyModel,
    mark_sets: MarkSets,
    /// The English tagger, its word lists and mode.
    english: english::English,
    /// Function words cut from the start of any English name.
    en_function: FnvHashSet<String>,
    /// `en_function` and `en_stop`: words that never make a name alone.
    en_stop: FnvHashSet<String>,
    en_place: FnvHashSet<String>,
    /// Lowercase nouns of places around a place's name (`Kandal province`).
    en_place_noun: FnvHashSet<String>,
    /// Capitalised last words of places' names (`Heilongjiang Province`).
    en_place_ending: FnvHashSet<String>,
    /// Stock exchanges (`NYSE`): cut from the end of a model's name.
    en_exchange: FnvHashSet<String>,
    /// Verbs of title-case headlines (`Agree`, `Merge`): cut from the end of
    /// a model's name (`Exxon, Mobil Merge to Create …`).
    en_headline_verb: FnvHashSet<String>,
    /// Labels of an English disclosure's header fields (`Securities Code`):
    /// cut from the end of a model's name before their colon.
    en_field_labels: Vec<String>,
    /// Plural nouns of a page's sections and lists (`Companies`, `Stocks`):
    /// an English name starts after one.
    en_section: FnvHashSet<String>,
    /// Last words of English names of non-company bodies (`Hospital`).
    en_not_ending: FnvHashSet<String>,
    /// `en_place_name`: places that name no company alone.
    en_place_name: FnvHashSet<String>,
    /// `en_legal_comma`: legal forms that end a name only after a comma.
    en_legal_comma: Vec<String>,
    /// `share_platform` and `share_word`, lower-cased: the words of a share bar,
    /// with whether each is a platform.
    share_bar_words: FnvHashMap<String, bool>,
    /// The `share_platform` rows, case-insensitively: a paragraph naming
    /// fewer than two has no share bar.
    share_platforms: AhoCorasick,
    /// Nouns after a quoted product's name (`service`, `app`).
    en_product_noun: FnvHashSet<String>,
    /// English titles before a person's name, lowercase (`managing director`):
    /// a model's name never ends with one's first word.
    en_title: Vec<String>,
    /// A wire or press-release dateline: its places in capitals, then a
    /// date, a wire or both (`DALLAS and NEW YORK, April 13, 2011
    /// /PRNewswire/`, `TOKYO (Reuters) -`, `TOKYO & BOULDER, Colo.--(BUSINESS
    /// WIRE)--Sep 17, 2025`); group 1 is the places, groups 2 to 5 the wire.
    dateline: Regex,
    /// Words that are cut with `'s` from the start of a name (`UK's`, `Taiwan's`).
    en_possessive: FnvHashSet<String>,
    en_descriptor: Vec<String>,
    trailing_titles: Vec<String>,
    field_labels: Vec<String>,
    sha_stop_after: Vec<char>,
    suffix_stop_after: Vec<char>,
    katakana_name_suffix: FnvHashSet<String>,
    kanji_name_suffix: FnvHashSet<String>,
    /// Katakana words that `・` joins to a name after a katakana ending
    /// (`name_continuation`: パートナーズ, マネジメント).
    name_continuation: FnvHashSet<String>,
    /// The cooperative banks' endings (`rule_suffix`: 信用金庫, 信金, 信用組合,
    /// 信組, 労働金庫), after which two or more kanji are a name even when
    /// IPADIC knows none of them (恩友信用組合), unless they are a `generic`
    /// word (地元, 地域).
    cooperative_suffix: FnvHashSet<String>,
    not_group_word: Vec<String>,
    short_form_ending: Vec<String>,
    market_prefix: Vec<String>,
    school_after: Vec<String>,
    public_head: Vec<String>,
    site_word: Vec<String>,
    /// Company-type endings (`suffix` and `rule_suffix`: 銀行, 信用金庫).
    suffix_words: Vec<String>,
    /// An address glued before a name: a prefecture and a city, ward, town or
    /// village (`東京都港区`, `愛知県豊田市`).
    leading_address: Regex,
    /// Persons' names beside a title or role ([`CompanyExtractor::person_names`]).
    person_name: Option<regex::Regex>,
    /// Persons' names after a role phrase and a comma ([`CompanyExtractor::person_names`]).
    person_after_role: Option<regex::Regex>,
    appositive_heads: FnvHashSet<String>,
    describing_ends: Vec<String>,
    /// `en_of_place_head`: a name ending in one goes on through `of` and a
    /// place (`Nexa Bank of Canada`).
    en_of_place_head: FnvHashSet<String>,
    /// ` of (the) <place>` right after a name.
    en_of_place: Regex,
    legal_forms: Vec<String>,
}

/// Literal words that rules need: one Aho-Corasick pass over a paragraph
/// tells which rules can match, so the others' regexes are not run.
#[derive(Debug)]
struct Triggers {
    ac: AhoCorasick,
    /// The rules (bits below) that each pattern enables.
    rules: Vec<u16>,
    /// Every rule that some pattern enables.
    all: u16,
}

const T_LEGAL: u16 = 1;
const T_BRACKET: u16 = 1 << 1;
const T_SHA: u16 = 1 << 2;
const T_SUFFIX: u16 = 1 << 3;
const T_EN_LEGAL: u16 = 1 << 4;
const T_DEAL_OBJECT: u16 = 1 << 5;
const T_EN_SUBJECT: u16 = 1 << 6;
const T_COORDINATION: u16 = 1 << 7;
const T_APPOSITIVE: u16 = 1 << 8;
const T_DEAL_SUBJECT: u16 = 1 << 9;

/// Rules that one character enables.
const SINGLE_CHAR_TRIGGERS: &[(char, u16)] = &[
    ('(', T_BRACKET),
    ('社', T_SHA),
    ('と', T_COORDINATION),
    ('の', T_APPOSITIVE),
    ('、', T_APPOSITIVE),
    ('は', T_DEAL_SUBJECT),
    ('が', T_DEAL_SUBJECT),
];
impl Triggers {
    fn new(org: &crate::lexicon::OrgRules) -> Result<Self> {
        fn strs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let en_words: Vec<String> = org
            .en_legal
            .iter()
            .chain(&org.en_company_word)
            .cloned()
            .collect();
        let (legal, suffixes, en_legal) = (strs(&org.legal), strs(&org.suffix), strs(&en_words));
        let (deal_words, en_verbs) = (strs(&org.deal_object_word), strs(&org.en_subject_verb));
        let groups: [(&[&str], u16); 5] = [
            (&legal, T_LEGAL),
            (&suffixes, T_SUFFIX),
            (&en_legal, T_EN_LEGAL),
            (&deal_words, T_DEAL_OBJECT),
            (&en_verbs, T_EN_SUBJECT),
        ];
        // One pattern per distinct word, with every rule it enables.
        let mut by_word: Vec<(&str, u16)> = Vec::new();
        for (words, bit) in groups {
            for &w in words {
                match by_word.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, bits)) => *bits |= bit,
                    None => by_word.push((w, bit)),
                }
            }
        }
        // Built once and run on every paragraph: a DFA searches fastest.
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(by_word.iter().map(|(w, _)| w))
            .map_err(|e| lexicon_error(e.to_string()))?;
        let rules: Vec<u16> = by_word.into_iter().map(|(_, bits)| bits).collect();
        Ok(Triggers {
            ac,
            all: rules.iter().fold(0, |a, b| a | b),
            rules,
        })
    }

    /// The rules whose literal occurs in `text`.
    fn find(&self, text: &str) -> u16 {
        // Single characters are frequent: memchr finds them faster than
        // reporting each occurrence from the automaton.
        let mut bits = 0;
        for (c, bit) in SINGLE_CHAR_TRIGGERS {
            if text.contains(*c) {
                bits |= bit;
            }
        }
        for m in self.ac.find_overlapping_iter(text) {
            bits |= self.rules[m.pattern().as_usize()];
            if bits & self.all == self.all {
                break;
            }
        }
        bits
    }
}

fn title_case(s: &str) -> Option<String> {
    if !s.is_ascii() || s.len() < 4 || s.contains(' ') {
        return None;
    }
    let mut chars = s.chars();
    let first = chars.next()?;
    let t: String = first
        .to_uppercase()
        .chain(chars.flat_map(|c| c.to_lowercase()))
        .collect();
    (t != s).then_some(t)
}

/// `s` with each lower-case word of four or more letters capitalised (`SK
/// hynix` → `SK Hynix`: news capitalises a stylised brand word), when `s` is
/// Latin, has several words and changes; function words (`with`) stay.
fn capitalized_words(s: &str, function_words: &[String]) -> Option<String> {
    if !s.is_ascii() || !s.contains(' ') {
        return None;
    }
    let word = |w: &str| -> String {
        let mut chars = w.chars();
        match chars.next() {
            Some(first)
                if w.len() >= 4
                    && w.bytes().all(|b| b.is_ascii_lowercase())
                    && !function_words.iter().any(|f| f.eq_ignore_ascii_case(w)) =>
            {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            }
            _ => w.to_string(),
        }
    };
    let t = s.split(' ').map(word).collect::<Vec<_>>().join(" ");
    (t != s).then_some(t)
}

/// The titles as one regex alternation (a final period optional), or none.
fn title_alternation(titles: &[String]) -> Option<String> {
    (!titles.is_empty()).then(|| {
        titles
            .iter()
            .map(|t| regex::escape(t.trim_end_matches('.')))
            .collect::<Vec<_>>()
            .join("|")
    })
}

/// The pattern of [`CompanyExtractor::person_names`]: group 1 a name after
/// a title, group 2 a name of two to four words before a title or an age;
/// `particles` may stand between two words of a name (`Eline de Groot`).
fn person_name_pattern(titles: &[String], particles: &[String]) -> Result<Option<regex::Regex>> {
    let Some(alt) = title_alternation(titles) else {
        return Ok(None);
    };
    let particles = particles
        .iter()
        .map(|p| format!("{} ", regex::escape(p)))
        .collect::<Vec<_>>()
        .join("|");
    let word = if particles.is_empty() {
        r"(?:[A-Z][a-z]+|[A-Z]\.)".to_string()
    } else {
        format!(r"(?:(?:{particles}){{0,2}})(?:[A-Z][a-z]+|[A-Z]\.)")
    };
    // A first word may be two initials (`VN Dhoot, chairman`).
    let first = r"(?:[A-Z][a-z]+|[A-Z]\.|[A-Z]{2})";
    let pattern = format!(
        // ASCII word boundaries and classes: the lazy DFA scans Japanese text too.
        // Group 1: `chairman Name Name`, `CEO: Name Name` (a disclosure header's field).
        // Group 2: `Name Name, [the] chairman`, `Name Name, an economist`,
        // `Name Name, OJK's chief executive`, `Name Name, 47,`, `Name Name as
        // [its] chairman`.
        r"(?-u:(?i:\b(?:{alt}))\.?[,:]? ({word}(?: {word}){{0,3}})\b|\b({first}(?: {word}){{1,3}})(?:,(?: (?:the|an?|its|former|then))?(?: [A-Z][A-Za-z0-9&.\-]*(?:'|’)s)?| as(?: (?:the|its|a|new|interim|acting))?) (?:(?i:(?:{alt}))\b|[0-9]{{2}},))"
    );
    regex::Regex::new(&pattern)
        .map(Some)
        .map_err(|e| lexicon_error(format!("en_person_title pattern: {e}")))
}

/// The pattern of a person named after a role phrase and a comma, group 1
/// the name of two or three words, any script's letters (`Aena's director of
/// international development, Álvaro Montenegro.`, `its executive
/// vice-president for green projects, Samir Ouazzani, told`): a possessive or
/// `the`, `its`, `their`, up to two lower-case words, a title, up to six
/// lower-case words, a comma, the name, then a comma, a full stop, `said` or
/// `told` (`JP Varga, chairman, Torvane Group,` names a company after the
/// title).
fn person_after_role_pattern(titles: &[String]) -> Result<Option<regex::Regex>> {
    let Some(alt) = title_alternation(titles) else {
        return Ok(None);
    };
    let word = r"\p{Lu}[\p{Ll}'’\-]+";
    let pattern = format!(
        r"(?:['’]s|(?-u:\b)(?:the|its|their))(?: [a-z][a-z\-]*){{0,2}} (?i:(?:{alt}))(?: [a-z][a-z\-]*){{0,6}}, ({word}(?: {word}){{1,2}})(?:[,.;]| said(?-u:\b)| told(?-u:\b))"
    );
    regex::Regex::new(&pattern)
        .map(Some)
        .map_err(|e| lexicon_error(format!("en_person_title role pattern: {e}")))
}

fn lexicon_error(message: String) -> KijiError {
    KijiError::Lexicon {
        name: "companies.tsv".into(),
        line: 0,
        message,
    }
}

impl CompanyExtractor {
    /// Compiles the gazetteer and rules; `model` is the trained tagger.
    pub fn new(lex: &Lexicons, model: CompanyModel) -> Result<Self> {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_company = Vec::new();
        let mut by_surface = FnvHashMap::default();
        // A surface names the first row that has it.
        let mut add = |f: String, i: usize| -> bool {
            if by_surface.contains_key(&f) {
                return false;
            }
            by_surface.insert(f.clone(), i);
            patterns.push(f);
            pattern_company.push(i);
            true
        };
        let mut short_forms = Vec::new();
        for (i, c) in lex.companies.iter().enumerate() {
            for s in &c.surfaces {
                let mut forms = vec![s.clone()];
                // `Mitsubishi Corp.` is also written without the period.
                if s.is_ascii() && s.ends_with('.') && s.contains(' ') {
                    forms.push(s.trim_end_matches('.').to_string());
                }
                // Softbank for SoftBank, Nvidia for NVIDIA; SK Hynix for SK hynix.
                forms.extend(title_case(s));
                forms.extend(capitalized_words(s, &lex.org.en_function));
                for f in forms {
                    add(f, i);
                }
                // Headlines shorten a bank to …銀 (東日本銀行 → 東日本銀).
                if let Some(stem) = s.strip_suffix("銀行") {
                    if stem.chars().count() >= 2 && stem.chars().any(is_japanese) {
                        short_forms.push((format!("{stem}銀"), i));
                    }
                }
            }
        }
        // Written rows win over derived short forms; a short form that two rows
        // would share names neither.
        let mut derived = FnvHashSet::default();
        let mut seen: FnvHashMap<String, usize> = FnvHashMap::default();
        for (f, _) in &short_forms {
            *seen.entry(f.clone()).or_default() += 1;
        }
        for (f, i) in short_forms {
            if seen[&f] == 1 && add(f.clone(), i) {
                derived.insert(f);
            }
        }
        let gazetteer = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| lexicon_error(e.to_string()))?;
        let org = &rule_lists(&lex.org);
        let legal = alternation(&org.legal);
        let suffix = alternation(&org.suffix);
        let mut country_names: Vec<String> = lex.countries.keys().cloned().collect();
        country_names.sort();
        let countries_alt = alternation(&country_names);
        let prefixes: Vec<String> = lex
            .countries
            .iter()
            .filter(|(_, (_, p))| *p)
            .map(|(n, _)| n.clone())
            .collect();
        let prefix_alt = alternation(&prefixes);
        let en_legal = alternation(&org.en_legal);
        let en_words = alternation(&org.en_company_word);
        // Places that may stand in brackets inside a legal name (`Hitachi
        // (China) Ltd.`): the capitalised rows of `en_stop`, `en_place` and
        // `en_place_name` that are no function word, legal form, company
        // word, body ending or title (countries, regions, cities; `en_stop`'s
        // nationalities, months and government words come along, and never
        // stand in such brackets).
        let not_place: FnvHashSet<&String> = org
            .en_function
            .iter()
            .chain(&org.en_legal)
            .chain(&org.en_company_word)
            .chain(&org.en_not_ending)
            .chain(&org.en_person_title)
            .collect();
        let regions: Vec<String> = org
            .en_stop
            .iter()
            .chain(&org.en_place)
            .chain(&org.en_place_name)
            .filter(|w| !not_place.contains(w) && w.starts_with(|c: char| c.is_uppercase()))
            .cloned()
            .collect();
        let regions = alternation(&regions);
        let deal_words = alternation(&org.deal_object_word);
        // 会社の is too common before a name to mark an appositive.
        let heads: Vec<String> = org
            .appositive_head
            .iter()
            .filter(|h| h.as_str() != "会社")
            .cloned()
            .collect();
        let heads = alternation(&heads);
        let en_verbs = alternation(&org.en_subject_verb);
        let en_cues = alternation(&org.en_object_cue);
        let en_heads = alternation(&org.en_appositive_head);
        let re = |s: &str| Regex::new(s).map_err(|e| lexicon_error(e.to_string()));
        Ok(CompanyExtractor {
            gazetteer,
            pattern_company,
            entries: lex.companies.clone(),
            by_surface,
            derived,
            legal_before: re(&format!(
                r"(?:{legal}) ?(?P<name>(?:[ぁ-ゖ]{{2,6}})?{NAME_CLASS}+)"
            ))?,
            legal_after: re(&format!(r"(?P<name>{NAME_CLASS}+?) ?(?:{legal})"))?,
            bracket: re(&format!(
                r"(?P<name>{EN_LONG_NAME}|[a-z0-9][A-Za-z0-9.&'\-]*[A-Z][A-Za-z0-9.&'\-]*|{NAME_CLASS}+) ?\((?P<country>{countries_alt})\)"
            ))?,
            bracket_place: re(&format!(
                r"(?P<name>{NAME_CLASS}+) ?\((?:[A-Za-z0-9.&\-]+、)?(?:本社[::]?)?[^()、。]{{1,12}}?(?:都|道|府|県|市|区|町|村|州)[、。)]"
            ))?,
            sha: re(&format!(
                r"(?:(?P<country>{prefix_alt}|{countries_alt})の?)?(?P<name>[ァ-ヺー・ヽヾ]{{2,}}|[A-Za-z][A-Za-z0-9.&\-]*(?: [A-Z][A-Za-z0-9.&\-]*)*)社"
            ))?,
            suffix: re(&format!(r"(?P<name>{NAME_CLASS}+?)(?P<suffix>{suffix})"))?,
            holding_suffix: re(&format!(
                r"(?P<name>{NAME_CLASS}+?)(?P<suffix>{})",
                alternation(&org.kanji_name_suffix)
            ))?,
            kana_name: re(&format!(
                r"(?P<name>(?:{NAME_CLASS}|[ぁ-ゖ])+?)(?P<suffix>{})(?P<form> ?(?:{legal}))?",
                alternation(&org.kana_name_suffix)
            ))?,
            english_legal: re(&format!(
                r"(?P<name>{EN_LONG_NAME})(?P<legal>(?: \((?:{regions})\))?,? (?:(?P<word>{en_words})(?:,? (?:{en_legal}))?|{en_legal}))(?:[^A-Za-z0-9\-]|$)"
            ))?,
            securities_code: re(&format!(
                r"(?P<name>{NAME_CLASS}+) ?(?:<(?P<angle>\d{{4}})>|【(?P<lent>\d{{4}})】|\((?P<label>[A-Za-z]{{1,2}}[::]|東証[^::()]{{0,8}}[::]|(?:証券)?コード[::]?)?(?P<code>\d{{4}})\))"
            ))?,
            english_bracket: re(&format!(
                r"(?P<name>{EN_LONG_NAME}) ?\((?:(?P<acronym>[A-Z][A-Z0-9&\-]{{1,7}})|[A-Z][A-Za-z]{{1,9}} ?: ?[A-Z0-9][A-Z0-9.]{{0,9}}(?: ?/ ?[A-Z][A-Za-z]{{1,9}} ?: ?[A-Z0-9][A-Z0-9.]{{0,9}})*|[A-Z]{{1,5}}\.[A-Z]{{1,2}})\)"
            ))?,
            coordination: re(&format!(
                r"(?:^|[、。!?「』」 ])(?:速報!?|【[^】]*】)?(?P<a>{NAME_CLASS}{{2,12}}?)と(?P<b>{NAME_CLASS}{{2,12}}?)(?:が|は|の|、)"
            ))?,
            appositive: re(&format!(
                r"(?:(?:{heads}|(?P<country>{countries_alt}))の|(?:{heads}|大手)、)(?P<name>{EN_NAME}|[ァ-ヺー・]{{3,}})"
            ))?,
            appositive_han: re(&format!(
                r"(?:{countries_alt})の(?P<name>\p{{Han}}{{2,8}})(?:と|は|が|を|に|、)"
            ))?,
            deal_subject: re(&format!(
                r"(?:^|[。!?\n、] ?)(?:(?P<country>{prefix_alt})の?)?(?P<name>{EN_NAME}|[ァ-ヺー・]{{3,}})(?:社)?(?:は|が)"
            ))?,
            deal_object: re(&format!(
                r"(?:^|[^A-Za-z0-9ァ-ヺー・])(?:(?P<country>{prefix_alt})(?:の)?)?(?P<name>{EN_NAME}|[ァ-ヺー・]{{3,}})(?:社)?(?:に|と|を|との|とは|から)(?:[^。、]{{0,8}}?)(?:{deal_words})"
            ))?,
            deal_object_tail: re(&format!(
                r"(?:を|と|に|との|から)[^。、]{{0,8}}?(?:{deal_words})"
            ))?,
            english_object: re(&format!(r"(?-u:\b)(?:{en_cues}) (?P<name>{EN_NAME})"))?,
            english_apposition: re(&format!(
                r"(?:(?P<place>[A-Z][A-Za-z.]+(?: [A-Z][a-z]+)?)['’]s|(?-u:\b)(?:{en_heads}|[a-z]+makers?)) (?:(?P<a>{EN_NAME}) and )?(?P<name>{EN_NAME})"
            ))?,
            english_subject: re(&format!(
                r"(?P<name>{EN_NAME}) (?:has |have |had |will |would |also )?(?:{en_verbs})(?-u:\b)"
            ))?,
            not_company: org.not_company.iter().cloned().collect(),
            not_suffix: org.not_suffix.clone(),
            form_ending: org.form_ending.clone(),
            generic: org.generic.iter().cloned().collect(),
            countries: lex.countries.clone(),
            en_legal: org.en_legal.clone(),
            triggers: Triggers::new(org)?,
            model,
            mark_sets: MarkSets::new(lex),
            english: english::English::new(
                lex,
                Some(english::load_model(None)?),
                english::DEFAULT_MODE,
            ),
            en_function: org.en_function.iter().cloned().collect(),
            en_stop: org
                .en_function
                .iter()
                .chain(&org.en_stop)
                .cloned()
                .collect(),
            en_place: org.en_place.iter().cloned().collect(),
            en_place_noun: org.en_place_noun.iter().cloned().collect(),
            en_place_ending: org.en_place_ending.iter().cloned().collect(),
            en_exchange: org.en_exchange.iter().cloned().collect(),
            en_headline_verb: org.en_headline_verb.iter().cloned().collect(),
            en_field_labels: org.en_field_label.clone(),
            en_section: org.en_section.iter().cloned().collect(),
            en_not_ending: org.en_not_ending.iter().cloned().collect(),
            en_place_name: org.en_place_name.iter().cloned().collect(),
            en_legal_comma: org.en_legal_comma.clone(),
            share_platforms: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&org.share_platform)
                .map_err(|e| lexicon_error(format!("share_platform rows: {e}")))?,
            share_bar_words: org
                .share_word
                .iter()
                .map(|w| (w.to_lowercase(), false))
                .chain(org.share_platform.iter().map(|w| (w.to_lowercase(), true)))
                .collect(),
            en_product_noun: org.en_product_noun.iter().cloned().collect(),
            en_title: org
                .en_person_title
                .iter()
                .map(|t| t.to_lowercase())
                .collect(),
            dateline: {
                // The months are `record_words.tsv`'s `item_month` rows (Jan, Feb …).
                let m = alternation(&lex.record_words.item_month);
                let month = format!(r"(?:{m})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?");
                // A place is a word in capitals, hyphens only inside it
                // (`WILKES-BARRE`, not `MUNICH--`); after a comma, a state or a
                // country of one or two words may be capitalised (`BOULDER, Colo.`,
                // `SEOUL, South Korea`).
                let place = r"[A-Z][A-Z.'&]+(?:-[A-Z][A-Z.'&]*)*";
                Regex::new(&format!(
                    concat!(
                        r"^({place}(?:,? (?:(?:and|&) )?{place}|, [A-Z][a-z]+\.?(?: [A-Z][a-z]+)?)*)",
                        r"(?:,? (?:\(?{month}\)?:?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.? {month})",
                        r"(?:\s*[-–—]?\s*(?:\(([A-Za-z][A-Za-z .]*)\)\s*[-–—:]|/([A-Za-z][A-Za-z -]*)/))?",
                        r"|,? ?\(([A-Za-z][A-Za-z .]*)\)\s*[-–—:]",
                        r"|\s*--\s*\(([A-Za-z][A-Za-z .]*)\)\s*--\s*{month})",
                    ),
                    month = month,
                    place = place,
                ))
            }
            .map_err(|e| lexicon_error(e.to_string()))?,
            en_descriptor: org.en_descriptor.clone(),
            en_possessive: org
                .en_function
                .iter()
                .chain(&org.en_stop)
                .chain(&org.en_place)
                .chain(&org.en_place_name)
                .cloned()
                .collect(),
            trailing_titles: org.trailing_title.clone(),
            field_labels: org.field_label.clone(),
            sha_stop_after: org
                .sha_stop_after
                .iter()
                .filter_map(|w| w.chars().next())
                .collect(),
            suffix_stop_after: org
                .suffix_stop_after
                .iter()
                .filter_map(|w| w.chars().next())
                .collect(),
            katakana_name_suffix: org.katakana_name_suffix.iter().cloned().collect(),
            kanji_name_suffix: org.kanji_name_suffix.iter().cloned().collect(),
            name_continuation: org.name_continuation.iter().cloned().collect(),
            cooperative_suffix: org.rule_suffix.iter().cloned().collect(),
            not_group_word: org.not_group_word.clone(),
            short_form_ending: org.short_form_ending.clone(),
            market_prefix: org.market_prefix.clone(),
            school_after: org.school_after.clone(),
            public_head: org.public_head.clone(),
            site_word: org.site_word.clone(),
            suffix_words: org.suffix.iter().chain(&org.rule_suffix).cloned().collect(),
            leading_address: Regex::new(
                r"^(?:北海道|東京都|京都府|大阪府|\p{Han}{2,3}県)\s?\p{Han}{1,5}?[市区町村]\s?",
            )
            .map_err(|e| lexicon_error(e.to_string()))?,
            person_name: person_name_pattern(&org.en_person_title, &org.en_name_particle)?,
            person_after_role: person_after_role_pattern(&org.en_person_title)?,
            appositive_heads: org.appositive_head.iter().cloned().collect(),
            describing_ends: org.describing_end.clone(),
            en_of_place_head: org.en_of_place_head.iter().cloned().collect(),
            en_of_place: re(&format!(r"^ of (?:the )?(?:{regions})\b"))?,
            // The lexicon keeps legal forms longest first.
            legal_forms: org.legal.clone(),
        })
    }

    /// The company `start..end` of `text`: an English name and its legal form.
    fn english_legal_span(&self, text: &str, start: usize, end: usize) -> Option<Span> {
        // A name never starts with a space (`GmbH & Co.` split at `&`).
        let start = end - text[start..end].trim_start().len();
        let surface = &text[start..end];
        let name = self.without_english_legal_form(surface);
        let legal = surface[name.len()..].trim_start_matches([',', ' ']).trim();
        // The span is the name as written, legal form included (`Acme Motor
        // Co., Ltd.`); the canonical name keeps Group and Holdings only.
        let keep_legal = legal.is_empty();
        // `Mitsubishi Corp` is 三菱商事, not the group: the gazetteer may know the
        // name with its legal form.
        let with_legal = [
            format!("{name} {legal}"),
            format!("{name} {}.", legal.trim_end_matches('.')),
            format!("{name} Corporation"),
        ];
        let known = with_legal.iter().find(|n| self.lookup(n).is_some());
        let name_for_lookup = match known {
            Some(n) => n.as_str(),
            None if keep_legal => surface,
            None => name,
        };
        (!name.trim().is_empty() && self.acceptable(surface) && !self.en_stop.contains(name))
            .then(|| self.span(start, end, surface, name_for_lookup, "english_legal", None))
    }

    /// Byte offset in the English `name` where its last name starts: after a
    /// word that is a legal form or ends a sentence (a word of three or more
    /// letters with a final period), and after a following `and`, `&` or comma.
    fn last_name_start(&self, name: &str) -> usize {
        let mut start = 0;
        let mut offset = 0;
        let words: Vec<&str> = name.split(' ').collect();
        for (k, w) in words.iter().enumerate() {
            let next = offset + w.len() + 1;
            let is_last = k + 1 == words.len();
            let bare = w.trim_end_matches(',');
            let legal = self.en_legal.iter().any(|l| l == bare || l == w);
            let sentence_end = bare.ends_with('.')
                && bare.len() > 3
                && bare[..bare.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic());
            if !is_last && (legal || sentence_end) {
                start = next;
                if let Some(conj) = words.get(k + 1).filter(|c| matches!(**c, "and" | "&")) {
                    start += conj.len() + 1;
                }
            }
            offset = next;
        }
        start.min(name.len())
    }

    /// `name` (starting at byte `start`) without a leading country name and
    /// an optional `・`, when at least two characters remain; a one-character
    /// prefix (`英`, `米`) only before katakana or Latin (`英CVCキャピタル`; `中部電力`
    /// and `英和` keep theirs).
    fn without_country_prefix<'a>(&self, start: usize, name: &'a str) -> (usize, &'a str) {
        let prefix = self
            .countries
            .iter()
            .filter(|(c, (_, one_char))| {
                name.starts_with(c.as_str())
                    && (c.chars().count() >= 2
                        || *one_char
                            && name[c.len()..]
                                .chars()
                                .next()
                                .is_some_and(|n| is_katakana(n) || n.is_ascii_alphabetic()))
            })
            .map(|(c, _)| c)
            .max_by_key(|c| c.len());
        match prefix {
            Some(c) => {
                let rest = &name[c.len()..];
                let rest = rest.strip_prefix('・').unwrap_or(rest);
                if rest.chars().count() >= 2 {
                    (start + name.len() - rest.len(), rest)
                } else {
                    (start, name)
                }
            }
            None => (start, name),
        }
    }

    /// Whether the English `name` before a company word (Industries, Bank) can
    /// be a name: a title-case headline (`Expect The Unexpected In Joint
    /// Ventures`) has function words inside, a description a possessive
    /// (`World's Biggest Oil Company`).
    fn company_word_name_ok(&self, name: &str) -> bool {
        // `A and Denmark’s B Bank`: the last of a list, a place's possessive.
        let last = name.rsplit(" and ").next().unwrap_or(name);
        !last.split(' ').skip(1).any(|w| {
            let owner = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s"));
            self.en_function.contains(w) || owner.is_some_and(|o| !self.en_possessive.contains(o))
        })
    }

    /// The trained company model.
    pub fn model(&self) -> &CompanyModel {
        &self.model
    }

    /// The English tagger.
    pub fn english(&self) -> &english::English {
        &self.english
    }

    /// Replaces the English model and how its spans are used.
    pub fn set_english(&mut self, model: Option<CompanyModel>, mode: english::Mode) {
        self.english.set(model, mode);
    }

    /// Sets the English model spans' least confidence.
    pub fn set_english_min_confidence(&mut self, p: f32) {
        self.english.set_min_confidence(p);
    }

    /// Byte ranges of gazetteer names in `text` that sit on token boundaries.
    fn gazetteer_ranges(&self, text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
        self.gazetteer
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .filter(|&(s, e)| self.boundaries_ok(text, s, e, tokens))
            .collect()
    }

    /// The lexicon marks of each token, as the model's features read them.
    pub fn marks(&self, text: &str, tokens: &[Token]) -> Vec<Marks> {
        self.mark_sets
            .marks(text, tokens, &self.gazetteer_ranges(text, tokens))
    }

    /// The model's company spans (byte ranges) before any filter.
    pub fn model_spans(&self, text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
        let marks = self.marks(text, tokens);
        self.model.companies(text, tokens, &marks)
    }

    /// Whether `text` ends with a disclosure form's field label (会社名), spaces
    /// after it ignored.
    fn ends_with_field_label(&self, text: &str) -> bool {
        let text = text.trim_end();
        self.field_labels.iter().any(|l| text.ends_with(l.as_str()))
    }

    /// `name` up to the first field label in it after its first two characters.
    fn before_field_label<'a>(&self, name: &'a str) -> &'a str {
        let min = name.char_indices().nth(2).map_or(name.len(), |(i, _)| i);
        let cut = self
            .field_labels
            .iter()
            .filter_map(|l| name[min..].find(l.as_str()).map(|i| min + i))
            .min();
        cut.map_or(name, |i| &name[..i])
    }

    /// `name` without the English legal words at its end (`Acme Robotics Co.,
    /// Ltd.` → `Acme Robotics`); Group and Holdings stay.
    fn without_english_legal_form<'a>(&self, name: &'a str) -> &'a str {
        // A form follows a space or a comma: without one there is none.
        if !name.contains([' ', ',']) {
            return name;
        }
        let mut name = name;
        while let Some(shorter) = self
            .en_legal
            .iter()
            .filter(|l| !matches!(l.as_str(), "Group" | "Holdings"))
            .find_map(|l| {
                // A whole word only: `PayCo` keeps its `Co`.
                name.strip_suffix(l.as_str())
                    .filter(|n| n.ends_with([' ', ',']))
                    .map(|n| n.trim_end_matches([' ', ',']))
            })
        {
            // `Hankook & Co.`: a form after `&` is part of the name.
            if shorter.is_empty() || shorter == name || shorter.ends_with('&') {
                break;
            }
            name = shorter;
        }
        name
    }

    /// A company name without its legal form, Japanese (株式会社さくら精工 →
    /// さくら精工) or English (`Acme Motor Co.` → `Acme Motor`): the form
    /// canonical names take.
    pub fn bare_name<'a>(&self, name: &'a str) -> &'a str {
        self.without_english_legal_form(self.without_legal_form(name))
    }

    /// The short form a Japanese company name stands for in the rest of its
    /// document: the name before a group ending of `org_rules.tsv`
    /// (`short_form_ending`), without legal form (`SGホールディングス株式会社` →
    /// `SG`, `日揮HD` → `日揮`). None when that name is shorter than two
    /// characters (three for katakana), is a surface of the gazetteer (another
    /// company: `ソフトバンク` of `ソフトバンクグループ`) or is no acceptable name.
    pub fn short_form<'a>(&self, surface: &'a str) -> Option<&'a str> {
        let ends = |e: &String| surface.contains(e.as_str());
        if !self.short_form_ending.iter().any(ends)
            || !surface.chars().any(crate::normalize::is_japanese)
        {
            return None;
        }
        let bare = self.without_legal_form(surface);
        let stem = self
            .short_form_ending
            .iter()
            .find_map(|e| bare.strip_suffix(e.as_str()))?
            .trim_end_matches(['・', ' ']);
        let n = stem.chars().count();
        if n < 2
            || is_katakana_only(stem) && n < 3
            || self.lookup(stem).is_some()
            || !self.acceptable(stem)
        {
            return None;
        }
        Some(stem)
    }

    /// The names of persons an English text introduces with a title or role
    /// (`org_rules.tsv` role `en_person_title`): after one (`chairman Hirohisa
    /// Kishi`, `CEO Ed Zander`, `Mr. Tan`, a header's `CEO: Yutaka Kase`), or, for a name of two to four
    /// words, before one or an age (`Chanin Khaochan, director of …`, `Greg
    /// Brown, 47,`, `Rahmat Siregar, OJK's chief executive`), or after a role
    /// phrase and a comma (`Aena's director of international development,
    /// Álvaro Montenegro.`). Each name and its last word.
    pub fn person_names<'a>(&self, text: &'a str) -> std::collections::HashSet<&'a str> {
        let mut out = std::collections::HashSet::new();
        // Each name and its last word.
        let add = |out: &mut std::collections::HashSet<&'a str>, name: &'a str| {
            out.insert(name);
            if let Some((_, last)) = name.rsplit_once(' ') {
                out.insert(last);
            }
        };
        let Some(re) = &self.person_name else {
            return out;
        };
        for c in re.captures_iter(text) {
            let Some(name) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            // `… Tessaly Wind, China's minister said`: a title that says
            // something is a quote's speaker, not the name's apposition.
            let after = &text[c.get(0).map_or(name.end(), |m| m.end())..];
            if c.get(2).is_some()
                && [" said", " says", " told"].iter().any(|v| {
                    after
                        .strip_prefix(v)
                        .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
                })
            {
                continue;
            }
            let (at, mut name) = (name.start(), name.as_str());
            // `President and CEO: Yutaka Kase Securities Code: 2768`: after a
            // header field's colon a name of two words is the person's, or the
            // first two words when the next field's label follows them; any
            // other value (`Director: Ostrava Capital Partners Fund`) is none.
            let after_colon = text[..at].trim_end().ends_with(':');
            if let Some((p, _)) = name.match_indices(' ').nth(1).filter(|_| after_colon) {
                let rest = &name[p + 1..];
                if !self
                    .en_field_labels
                    .iter()
                    .any(|l| rest.starts_with(l.as_str()))
                {
                    continue;
                }
                name = &name[..p];
            }
            add(&mut out, name);
        }
        for c in self
            .person_after_role
            .iter()
            .flat_map(|re| re.captures_iter(text))
        {
            // `Pellworth's chairman said the buyer, Tessaly Wind, would …`:
            // the role phrase ends before a verb of saying.
            let phrase =
                &text[c.get(0).map_or(0, |m| m.start())..c.get(1).map_or(0, |m| m.start())];
            if phrase
                .split(' ')
                .any(|w| matches!(w, "said" | "says" | "told" | "that" | "when" | "while"))
            {
                continue;
            }
            add(&mut out, c.get(1).map_or("", |m| m.as_str()));
        }
        out
    }

    /// Where a wire or press-release dateline that opens `line` ends
    /// (`TOKYO, Dec 27, 2017 - (JCN Newswire) -`), if one does.
    pub fn dateline_end(&self, line: &str) -> Option<usize> {
        self.dateline.find(line).map(|m| m.end())
    }

    /// An English name found at `start` after the last section word inside it
    /// (`Overseas Companies Norvik Shipping` → `Norvik Shipping`: `org_rules.tsv`
    /// role `en_section`); a section word that ends the name stays (`The
    /// Hershey Companies`).
    fn after_section_word<'a>(&self, start: usize, name: &'a str) -> (usize, &'a str) {
        let Some((body, _)) = name.rsplit_once(' ') else {
            return (start, name);
        };
        let (mut at, mut pos) = (0, 0);
        for w in body.split(' ') {
            pos += w.len() + 1;
            if self.en_section.contains(w) {
                at = pos;
            }
        }
        (start + at, &name[at..])
    }

    /// Whether `name` does not end like a non-company organisation (大学, 省,
    /// 組合), unless a longer company-type ending or legal form ends it
    /// (信用組合, 投資事業有限責任組合).
    pub fn acceptable_ending(&self, name: &str) -> bool {
        let company_ending = |not: &str| {
            self.suffix_words
                .iter()
                .chain(&self.legal_forms)
                .any(|w| w.len() > not.len() && w.ends_with(not) && name.ends_with(w.as_str()))
        };
        !self
            .not_suffix
            .iter()
            .any(|s| name.ends_with(s.as_str()) && !company_ending(s))
    }

    /// `name` without a legal form before or after it (株式会社さくら精工 → さくら精工).
    fn without_legal_form<'a>(&self, name: &'a str) -> &'a str {
        for l in &self.legal_forms {
            if let Some(rest) = name
                .strip_prefix(l.as_str())
                .or_else(|| name.strip_suffix(l.as_str()))
            {
                let rest = rest.trim();
                if rest.chars().count() >= 2 {
                    return rest;
                }
            }
        }
        name
    }

    /// Gazetteer entry for a surface, if any.
    pub fn lookup(&self, surface: &str) -> Option<&CompanyEntry> {
        self.by_surface.get(surface).map(|&i| &self.entries[i])
    }

    /// Every written surface of the gazetteer, for the tokenizer's user
    /// dictionary (derived short forms such as …銀 are left out).
    pub fn surfaces(&self) -> impl Iterator<Item = &str> {
        self.by_surface
            .keys()
            .filter(|s| !self.derived.contains(*s))
            .map(String::as_str)
    }

    /// A company entity kind for `surface` found by `rule`, resolved against
    /// the gazetteer.
    pub fn company(&self, surface: &str, rule: &str, country: Option<String>) -> EntityKind {
        match self.lookup(surface) {
            Some(e) => EntityKind::Company {
                name: e.canonical.clone(),
                name_ja: e.name_ja.clone(),
                name_en: e.name_en.clone(),
                country: e.country.clone().or(country),
                rule: rule.to_string(),
            },
            None => EntityKind::Company {
                name: surface.to_string(),
                name_ja: None,
                name_en: None,
                country,
                rule: rule.to_string(),
            },
        }
    }

    /// Whether `name` can be a company name found by a rule.
    pub fn acceptable(&self, name: &str) -> bool {
        self.acceptable_body(name) && self.acceptable_ending(name.trim())
    }

    /// Whether `name` is only a place (`org_rules.tsv` role `en_place_name`:
    /// `Abu Dhabi`, `Oshu`): the English model's and the English context
    /// rules' spans that are one are none (`Houston Inc.`, with a legal form,
    /// stays a company).
    pub fn is_place_name(&self, name: &str) -> bool {
        self.en_place_name.contains(name.trim())
    }

    /// Whether `surface` ends with a legal form of role `en_legal_comma`
    /// without the comma it needs (`Dividend Forecast N.A.`: not available).
    pub(super) fn bare_comma_form(&self, surface: &str) -> bool {
        self.en_legal_comma.iter().any(|f| {
            surface
                .strip_suffix(f.as_str())
                .is_some_and(|r| r.ends_with(' ') && !r.trim_end().ends_with(','))
        })
    }

    /// Whether `name`, written with a legal form, can be a company's: as
    /// [`Self::acceptable`], but an ending of role `form_ending` is allowed
    /// (`株式会社DNAチップ研究所`; `…研究所` alone is an institute's).
    pub fn acceptable_with_form(&self, name: &str) -> bool {
        let name = name.trim();
        self.acceptable_body(name)
            && (self.acceptable_ending(name)
                || self.form_ending.iter().any(|s| name.ends_with(s.as_str())))
    }

    /// The checks of [`Self::acceptable`] other than the ending.
    fn acceptable_body(&self, name: &str) -> bool {
        let name = name.trim();
        // `the World Bank Group`: a body named with its article is still none.
        let bare = name
            .strip_prefix("the ")
            .or_else(|| name.strip_prefix("The "))
            .unwrap_or(name);
        if name.chars().count() < 2
            || self.not_company.contains(name)
            || self.not_company.contains(bare)
            || self.generic.contains(name)
        {
            return false;
        }
        if name
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            return false;
        }
        // `Sakra World Hospital`, `Brenlo Medical Foundation`: a body, no company.
        if name.contains(' ')
            && name
                .rsplit(' ')
                .next()
                .is_some_and(|w| self.en_not_ending.contains(w))
        {
            return false;
        }
        true
    }

    /// Finds companies in one paragraph.
    /// `deal_context` tells whether the paragraph holds a partnership term; it
    /// enables the `coordination` rule (`AとBが…提携`).
    pub fn find(&self, text: &str, tokens: &[Token], deal_context: bool) -> Vec<Span> {
        let (mut taken, cx, gazetteer_ranges) = self.rule_spans(text, tokens, deal_context);
        // From here on spans are added in text order: `taken` is kept sorted by
        // start (its spans never overlap, so ends are sorted too) and each new
        // span is checked against its neighbours only (a 10,000-row table is one
        // paragraph).
        taken.sort_by_key(|t| t.start);
        if tokens.is_empty() {
            self.english_names(text, &mut taken);
        }
        let labels = self.model_names(text, tokens, &cx, &gazetteer_ranges, &mut taken);
        self.ipadic_names(text, tokens, &cx, labels.as_deref(), &mut taken);
        self.tidy_japanese_spans(text, tokens, &mut taken);
        self.drop_share_bar_spans(text, &mut taken);
        self.extend_through_place(text, &mut taken);
        taken
    }

    /// An English name no list knows that ends in an `en_of_place_head` word
    /// goes on through `of` and a place (`Nexa Bank of Canada`, `Harbour
    /// Company of South Africa`, `Kestrel Oil of New Jersey`), where
    /// no other name starts inside that run. A name the gazetteer knows, by
    /// any rule, stays as the list knows it (`Toyota Motor Corp. of Japan` is
    /// Toyota). `taken` is sorted by start.
    fn extend_through_place(&self, text: &str, taken: &mut [Span]) {
        if self.en_of_place_head.is_empty() || !text.contains(" of ") {
            return;
        }
        for i in 0..taken.len() {
            let (s, e) = (taken[i].start, taken[i].end);
            let EntityKind::Company {
                rule,
                country,
                name,
                ..
            } = &taken[i].kind
            else {
                continue;
            };
            let last = text[s..e].rsplit(' ').next().unwrap_or("");
            if matches!(rule.as_str(), "gazetteer" | "group_company")
                || !self.en_of_place_head.contains(last)
                || self.lookup(name).is_some()
                || self.lookup(&text[s..e]).is_some()
            {
                continue;
            }
            let Some(m) = self.en_of_place.find(&text[e..]) else {
                continue;
            };
            let end = e + m.end();
            if taken.get(i + 1).is_some_and(|next| next.start < end) {
                continue;
            }
            let (rule, country) = (rule.clone(), country.clone());
            let surface = &text[s..end];
            taken[i] = self.span(s, end, surface, surface, &rule, country);
        }
    }

    /// The gazetteer's and the rules' spans (unsorted), the rules' context and
    /// the gazetteer ranges on token boundaries.
    fn rule_spans(
        &self,
        text: &str,
        tokens: &[Token],
        deal_context: bool,
    ) -> (Vec<Span>, RuleContext, Vec<(usize, usize)>) {
        let mut taken: Vec<Span> = Vec::new();
        let cx = RuleContext {
            // Cheap literal checks skip the regexes that cannot match (the hot path).
            triggers: self.triggers.find(text),
            // Quotes are looked at only where the paragraph has some.
            quoted: text.contains(['「', '『']),
            deal_context,
        };
        let gazetteer_ranges = self.gazetteer_names(text, tokens, &cx, &mut taken);
        self.kana_names(text, tokens, &cx, &mut taken);
        self.legal_names(text, tokens, &cx, &mut taken);
        self.bracket_names(text, tokens, &cx, &mut taken);
        self.sha_names(text, tokens, &cx, &mut taken);
        self.suffix_names(text, tokens, &cx, &mut taken);
        self.english_legal_names(text, &cx, &mut taken);
        self.english_bracket_names(text, &cx, &mut taken);
        self.securities_code_names(text, tokens, &mut taken);
        self.context_names(text, tokens, &cx, &mut taken);
        self.appositive_han_names(text, tokens, &cx, &mut taken);
        self.deal_object_han_names(text, tokens, &cx, &mut taken);
        self.coordination_names(text, tokens, &cx, &mut taken);
        self.english_context_names(text, &cx, &mut taken);
        (taken, cx, gazetteer_ranges)
    }

    fn span(
        &self,
        start: usize,
        end: usize,
        surface: &str,
        name: &str,
        rule: &str,
        country: Option<String>,
    ) -> Span {
        let mut kind = self.company(name, rule, country);
        if let EntityKind::Company { name: n, .. } = &mut kind {
            if self.lookup(name).is_none() && surface != name {
                *n = name.to_string();
            }
        }
        Span { start, end, kind }
    }

    fn boundaries_ok(&self, text: &str, s: usize, e: usize, tokens: &[Token]) -> bool {
        if !latin_boundaries_ok(text, s, e) {
            return false;
        }
        let first = text[s..].chars().next().unwrap_or(' ');
        let last = text[..e].chars().next_back().unwrap_or(' ');
        // Tokens are sorted and contiguous: their starts and ends are both sorted.
        let left = !is_japanese(first)
            || tokens.is_empty()
            || tokens.binary_search_by_key(&s, |t| t.start).is_ok();
        let right = !is_japanese(last)
            || tokens.is_empty()
            || tokens.binary_search_by_key(&e, |t| t.end).is_ok();
        // A katakana name glued to more katakana is part of a longer word (リコー in リコール).
        let before = text[..s].chars().next_back();
        let after = text[e..].chars().next();
        let glued = (is_katakana(first) && before.is_some_and(is_katakana))
            || (is_katakana(last) && after.is_some_and(is_katakana));
        left && right && !glued
    }

    fn bracket_country_after(&self, text: &str, end: usize) -> Option<String> {
        let rest = text[end..].strip_prefix('(')?;
        let close = rest.find(')')?;
        self.countries.get(&rest[..close]).map(|(c, _)| c.clone())
    }

    fn all_common_nouns(&self, start: usize, end: usize, tokens: &[Token]) -> bool {
        let inside: Vec<&Token> = overlapping(tokens, start, end)
            .iter()
            .filter(|t| t.start >= start && t.end <= end)
            .collect();
        !inside.is_empty()
            && inside
                .iter()
                .all(|t| matches!(t.pos, PosClass::Noun | PosClass::Other | PosClass::Particle))
    }

    /// Whether every token of the name is an unknown word, a proper noun or Latin
    /// (names seen in no dictionary: 华岳汽车, Quantia), so common words never pass.
    fn has_unknown_or_proper(
        &self,
        start: usize,
        end: usize,
        text: &str,
        tokens: &[Token],
    ) -> bool {
        let inside: Vec<&Token> = overlapping(tokens, start, end).iter().collect();
        !inside.is_empty()
            && inside.iter().all(|t| {
                text[t.start..t.end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric())
                    || matches!(
                        t.pos,
                        PosClass::Organization
                            | PosClass::ProperNoun
                            | PosClass::Unknown
                            | PosClass::Place
                    )
            })
            && inside.iter().any(|t| {
                matches!(
                    t.pos,
                    PosClass::Unknown | PosClass::Organization | PosClass::ProperNoun
                )
            })
    }

    /// Whether the name part holds a proper noun, an unknown word or a Latin
    /// word, other than the generic ones of `org_rules.tsv` (AI, IT, DX).
    fn has_proper_part(&self, start: usize, end: usize, text: &str, tokens: &[Token]) -> bool {
        let latin_words = text[start..end]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()));
        if latin_words.into_iter().any(|w| !self.generic.contains(w)) {
            return true;
        }
        // Two lone kanji in a row (青|嶺, 力|成): a word IPADIC does not know,
        // read character by character; not an ordinal (第|二地方銀行).
        let inside = overlapping(tokens, start, end);
        let lone_han = |t: &Token| {
            is_lone_kanji(&text[t.start..t.end])
                && !t.is_suffix()
                && matches!(
                    t.pos,
                    PosClass::Noun
                        | PosClass::ProperNoun
                        | PosClass::Place
                        | PosClass::Person
                        | PosClass::Organization
                        | PosClass::Unknown
                )
        };
        if inside.windows(2).any(|w| {
            w[0].end == w[1].start
                && lone_han(&w[0])
                && lone_han(&w[1])
                && &text[w[0].start..w[0].end] != "第"
        }) {
            return true;
        }
        // A generic Latin word (AI, IT, DX) is an unknown token, not a name.
        inside.iter().any(|t| {
            matches!(
                t.pos,
                PosClass::Organization
                    | PosClass::Person
                    | PosClass::Place
                    | PosClass::ProperNoun
                    | PosClass::Unknown
            ) && !self.generic.contains(&text[t.start..t.end])
        })
    }
}

/// Adds `span` to `taken` unless it overlaps a span there; a legal-form span
/// around known names (ヤフー株式会社) replaces them.
fn push(taken: &mut Vec<Span>, span: Span) {
    if span.start >= span.end {
        return;
    }
    if matches!(&span.kind, EntityKind::Company { rule, .. } if rule == "legal" || rule == "english_legal")
    {
        taken.retain(|t| !(span.start <= t.start && t.end <= span.end));
    }
    if !taken
        .iter()
        .any(|t| span.start < t.end && t.start < span.end)
    {
        taken.push(span);
    }
}

/// Where a name in `text[start..end]` starts after the last list separator:
/// a ・ with a character that is not katakana on either side enumerates
/// (三重県・三井銀行, ・関西鉄道), while the katakana words of one name are joined
/// by it (キー・セーフティ・システムズ).
fn after_list_separator(text: &str, start: usize, end: usize) -> usize {
    let span = &text[start..end];
    let letter = |c: Option<char>| c.is_some_and(|c| c != '・' && is_katakana(c));
    let mut cut = start;
    for (i, c) in span.char_indices() {
        if c != '・' {
            continue;
        }
        let before = span[..i].chars().next_back();
        let after = span[i + c.len_utf8()..].chars().next();
        if !(letter(before) && letter(after)) && after.is_some() {
            cut = start + i + c.len_utf8();
        }
    }
    cut
}

/// Katakana, the long vowel mark and the middle dot `・`.
pub(crate) fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・')
}

/// The indices of the spans of `sorted` (sorted by start, not overlapping
/// each other) that overlap `start..end`.
fn overlapping_spans(sorted: &[Span], start: usize, end: usize) -> std::ops::Range<usize> {
    let a = sorted.partition_point(|t| t.end <= start);
    let b = sorted.partition_point(|t| t.start < end);
    a..b.max(a)
}

/// Adds `more` (sorted, overlapping nothing in `taken`) to the sorted `taken`.
fn merge_sorted(taken: &mut Vec<Span>, more: Vec<Span>) {
    if !more.is_empty() {
        taken.extend(more);
        taken.sort_by_key(|t| t.start);
    }
}

/// The tokens (sorted by start) that overlap `start..end`.
fn overlapping(tokens: &[Token], start: usize, end: usize) -> &[Token] {
    let a = tokens.partition_point(|t| t.end <= start);
    let b = tokens.partition_point(|t| t.start < end);
    &tokens[a..b.max(a)]
}

/// Whether `pos` is inside 「…」 or 『…』 (product and service names are quoted).
fn inside_quotes(text: &str, pos: usize) -> bool {
    // Quotes do not span lines (a table row, a list item), and a quote opened
    // more than 600 bytes (about 200 Japanese characters) before is not looked
    // for: the search stays short on very long lines.
    let window = crate::ingest::long_lines::floor_char_boundary(text, pos.saturating_sub(600));
    let line_start = text[window..pos]
        .rfind('\n')
        .map(|i| window + i + 1)
        .unwrap_or(window);
    let before = &text[line_start..pos];
    let open = before.rfind(['「', '『']);
    let close = before.rfind(['」', '』']);
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether `start..end` lies inside 「…」 or 『…』 that holds more than it.
fn inside_longer_quote(text: &str, start: usize, end: usize) -> bool {
    if !inside_quotes(text, start) {
        return false;
    }
    let open = text[..start].rfind(['「', '『']).unwrap_or(start);
    let open_len = text[open..].chars().next().map(char::len_utf8).unwrap_or(0);
    let close = text[end..]
        .find(['」', '』'])
        .map(|c| end + c)
        .unwrap_or(end);
    let quoted = text[open + open_len..close].trim();
    // A product name is short and has no particles or commas; a quoted headline does.
    let product_like = quoted.chars().count() <= 40
        && !quoted
            .chars()
            .any(|c| matches!(c, '\u{3041}'..='\u{309F}' | '、' | '。'));
    product_like && quoted != text[start..end].trim()
}

/// A CJK ideograph (kanji) or the iteration mark 々.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

/// `name` without a generic 社 after a katakana or Latin name (`フェンダー社` →
/// `フェンダー`); after kanji, 社 is part of the name (`東西新聞社`). The model's
/// training labels and its filter both follow this convention.
pub(crate) fn strip_generic_sha(name: &str) -> &str {
    match name.strip_suffix('社') {
        Some(rest) if rest.chars().next_back().is_some_and(|c| !is_han(c)) => rest,
        _ => name,
    }
}

fn is_katakana_only(s: &str) -> bool {
    s.chars().all(is_katakana)
}

/// Whether a name is two or more kanji, with katakana or not (国際興業, 日本ハム).
fn is_kanji_name(name: &str) -> bool {
    name.chars().count() >= 2
        && name.chars().all(|c| is_han(c) || is_katakana(c))
        && name.chars().any(is_han)
}

/// Whether a token's text is one kanji (力 of 力|成|科技, a name IPADIC reads
/// character by character).
fn is_lone_kanji(word: &str) -> bool {
    let mut c = word.chars();
    c.next().is_some_and(is_han) && c.next().is_none()
}

fn strip_trailing_titles<'a>(name: &'a str, titles: &[String]) -> &'a str {
    // 株式会社アルファ代表取締役CEO: titles, then a Latin abbreviation of one.
    let title_tail = |mut rest: &str| {
        while let Some(r) = titles.iter().find_map(|t| rest.strip_prefix(t.as_str())) {
            rest = r;
        }
        rest.bytes().all(|b| b.is_ascii_uppercase())
    };
    let cut = name
        .char_indices()
        .skip(1)
        .find(|&(i, _)| {
            titles.iter().any(|t| name[i..].starts_with(t.as_str())) && title_tail(&name[i..])
        })
        .map_or(name.len(), |(i, _)| i);
    let mut n = &name[..cut];
    // 代表取締役社長: titles follow each other.
    while let Some(x) = titles
        .iter()
        .find_map(|t| n.strip_suffix(t.as_str()).filter(|x| !x.is_empty()))
    {
        n = x;
    }
    n
}

/// Drops leading tokens that are common nouns or prefixes (大手, 地方, 同), or
/// a date (`2024年5月15日`), from a name found before a suffix or legal form,
/// and the tail of a common word the name starts inside (後 of その後);
/// returns the new start and name.
/// Whether token `i` of `inside` is part of a date (`昭和31年10月`): an era
/// before a year, digits before 年, 月 or 日, or that counter after digits
/// (`dated` is set once a counter follows digits).
fn is_date_token(text: &str, inside: &[&Token], i: usize, dated: &mut bool) -> bool {
    let t = inside[i];
    let word = &text[t.start..t.end];
    let next = inside.get(i + 1).map(|n| &text[n.start..n.end]);
    // An era before the year (`昭和31年10月`) is part of the date.
    if matches!(word, "明治" | "大正" | "昭和" | "平成" | "令和")
        && next.is_some_and(|n| n.chars().all(|c| c.is_ascii_digit() || c == '元'))
    {
        return true;
    }
    // Digits before 年, 月 or 日, and that counter itself.
    let digits = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let counter = matches!(word, "年" | "月" | "日");
    let next_counter = next.is_some_and(|n| matches!(n, "年" | "月" | "日"));
    if (digits && next_counter) || (counter && *dated) {
        *dated = true;
        return true;
    }
    false
}

/// Where a name in `start..end` starts after a date glued before it
/// (`昭和50年4月アストラ社` → `アストラ社`), by [`is_date_token`]; `start` when
/// there is no date or nothing would be left.
fn after_leading_date(text: &str, start: usize, end: usize, tokens: &[Token]) -> usize {
    let inside: Vec<&Token> = overlapping(tokens, start, end)
        .iter()
        .filter(|t| t.start >= start && t.end <= end)
        .collect();
    let (mut s, mut dated) = (start, false);
    for i in 0..inside.len() {
        if inside[i].start != s || !is_date_token(text, &inside, i, &mut dated) {
            break;
        }
        s = inside[i].end;
    }
    if dated && s < end {
        s
    } else {
        start
    }
}

fn trim_leading_generic<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    tokens: &[Token],
    generic: &FnvHashSet<String>,
) -> (usize, &'a str) {
    // その後富士紡績: a name never starts inside a common word.
    let start = overlapping(tokens, start, start + 1)
        .first()
        .filter(|t| t.start < start && t.end < end && t.pos == PosClass::Noun)
        .map_or(start, |t| t.end);
    let mut s = start;
    let inside: Vec<&Token> = overlapping(tokens, start, end)
        .iter()
        .filter(|t| t.start >= start && t.end <= end)
        .collect();
    let mut dated = false;
    for (i, t) in inside.iter().enumerate() {
        if t.start != s {
            break;
        }
        if is_date_token(text, &inside, i, &mut dated) {
            s = t.end;
            continue;
        }
        // 力成科技, 國成麵粉: a Chinese name is single kanji that IPADIC reads as
        // common nouns; a lone kanji that no kanji precedes (会社名京成…) starts
        // the name when a lone kanji or a proper noun follows it.
        let word = &text[t.start..t.end];
        let lone_han = is_lone_kanji(word)
            && !generic.contains(word)
            && !text[..t.start].ends_with(is_han)
            && inside.get(i + 1).is_some_and(|n| {
                n.start == t.end
                    && text[n.start..n.end].starts_with(is_han)
                    && (is_lone_kanji(&text[n.start..n.end])
                        || matches!(
                            n.pos,
                            PosClass::ProperNoun
                                | PosClass::Place
                                | PosClass::Person
                                | PosClass::Organization
                        ))
            });
        if matches!(t.pos, PosClass::Noun | PosClass::Other)
            && !lone_han
            && !word
                .chars()
                .any(|c| c.is_ascii_alphanumeric() || is_katakana(c))
        {
            s = t.end;
        } else {
            break;
        }
    }
    if s >= end {
        // Only a date (`1998年`): no name; every token a common noun: keep them
        // so that the caller can judge them.
        let only_date = dated
            && inside
                .last()
                .is_some_and(|t| matches!(&text[t.start..t.end], "年" | "月" | "日"));
        if only_date {
            return (end, &text[end..end]);
        }
        return (start, &text[start..end]);
    }
    (s, &text[s..end])
}

/// For `AI企業OpenAI(米国)`, the name is the Latin tail; for `NTTドコモ(日本)` the whole run.
fn bracket_name(text: &str, start: usize, end: usize) -> (usize, &str) {
    let run = &text[start..end];
    if run.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.') && !run.is_ascii() {
        if let Some(pos) = run.rfind(|c: char| !c.is_ascii()) {
            let tail_start = pos + run[pos..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            return (start + tail_start, &text[start + tail_start..end]);
        }
    }
    (start, run)
}

/// Cuts leading words of `stop` (with an `of` after them: `Shares of`), places
/// in the possessive (`UK's`) and descriptors (`Tokyo-based`) from the English
/// name `start..end`.
fn trim_english_stop<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    stop: &FnvHashSet<String>,
    places: &FnvHashSet<String>,
    descriptors: &[String],
) -> (usize, &'a str) {
    let mut s = start;
    loop {
        let rest = &text[s..end];
        let word = rest.split(' ').next().unwrap_or("");
        // `UK's Gallaher Group`: a place in the possessive is not part of the name.
        let possessive_place = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .is_some_and(|w| places.contains(w));
        // `Singapore-listed Harbourline`, `Tokyo-based Aomori`, and after a place
        // of several words `Hong Kong-listed Everbright`, `Ho Chi Minh
        // City-based Sen Vang`: a descriptor, with the place before it.
        let is_descriptor = |w: &str| {
            descriptors
                .iter()
                .any(|d| w.len() > d.len() && w.ends_with(d.as_str()))
        };
        let descriptor_end = rest
            .split(' ')
            .take(4)
            .scan(0, |at, w| {
                *at += w.len() + 1;
                Some((*at, w))
            })
            .take_while(|(_, w)| w.starts_with(|c: char| c.is_uppercase()))
            .find(|(_, w)| is_descriptor(w))
            .map(|(at, _)| at - 1);
        let cut = descriptor_end
            .or_else(|| (stop.contains(word) || possessive_place).then_some(word.len()));
        if let Some(cut) = cut.filter(|&c| rest.len() > c) {
            s += cut + 1;
            // `Shares of Acme Inc.`, `CEO and President of Acme`: `of` and `and`
            // after a stop word go too.
            for joiner in ["of ", "and ", "& "] {
                if stop.contains(word) && text[s..end].starts_with(joiner) && end > s + joiner.len()
                {
                    s += joiner.len();
                }
            }
        } else {
            break;
        }
    }
    (s, &text[s..end])
}
