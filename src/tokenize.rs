//! Tokenize stage: Japanese morphological analysis with lindera and IPADIC.
//!
//! Input: one normalized paragraph (`&str`). Output: [`Token`]s with byte
//! offsets into that paragraph and a compact part-of-speech class.
//!
//! The IPADIC system dictionary is built once from the EUC-JP sources of
//! Debian's `mecab-ipadic` package into a cache folder outside the repository
//! (see [`DictionaryLocation`]), then memory-mapped at start-up (about 1 ms).
//! Company names from the gazetteer are added as a user dictionary, as
//! full IPADIC rows tagged `名詞,固有名詞,組織`, so that they come out as one token.
//!
//! The pipeline analyzes only paragraphs with a Japanese character. A token's
//! class comes from its characters where they decide it (all hiragana, a
//! symbol), else from the first three IPADIC fields of its entry, read once
//! per system-dictionary word and cached in a table (no allocation per token).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use lindera::dictionary::{
    load_fs_dictionary_with_options, Dictionary, DictionaryBuilder, Metadata, UserDictionary,
};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera::worker::SegmentWorker;

use crate::error::{KijiError, Result};

/// Name of the built dictionary folder inside the cache; bump when the build changes.
pub const DICTIONARY_NAME: &str = "ipadic-2.7.0-lindera-6.2";

/// Default folder of the IPADIC sources (Debian's `mecab-ipadic`).
pub const DEFAULT_IPADIC_SOURCE: &str = "/usr/share/mecab/dic/ipadic";

const METADATA_JSON: &str = include_str!("../dictionaries/ipadic-metadata.json");

/// IPADIC left/right context id of `名詞,固有名詞,組織`.
const ORG_CONTEXT_ID: u16 = 1292;
/// Word cost of user-dictionary company names: low enough to win, high enough
/// to leave the neighbouring particles tagged right.
const USER_WORD_COST: i32 = -3000;

/// Where the IPADIC sources are and where the built dictionary is cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictionaryLocation {
    /// Folder with IPADIC's `*.csv`, `char.def`, `unk.def`, `matrix.def` (EUC-JP).
    pub source_dir: PathBuf,
    /// Folder that holds built dictionaries (one sub-folder per version).
    pub cache_dir: PathBuf,
}

impl DictionaryLocation {
    /// Resolves the locations from the environment: `KIJI_IPADIC_SRC` (default
    /// `/usr/share/mecab/dic/ipadic`) and `KIJI_CACHE_DIR` (default
    /// `$XDG_CACHE_HOME/kiji`, else `$HOME/.cache/kiji`, else `./.kiji-cache`).
    /// A variable set to the empty string counts as unset (`KIJI_CACHE_DIR=`
    /// does not build the dictionary into the current folder).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var_os(name))
    }

    /// [`Self::from_env`] over the variables `var` gives.
    fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        let source_dir = var("KIJI_IPADIC_SRC")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_IPADIC_SOURCE));
        let cache_dir = var("KIJI_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("kiji")))
            .or_else(|| var("HOME").map(|d| PathBuf::from(d).join(".cache/kiji")))
            .unwrap_or_else(|| PathBuf::from(".kiji-cache"));
        DictionaryLocation {
            source_dir,
            cache_dir,
        }
    }

    /// The folder of the built system dictionary.
    pub fn built_dir(&self) -> PathBuf {
        self.cache_dir.join(DICTIONARY_NAME)
    }

    /// Whether the built dictionary is already in the cache.
    pub fn is_built(&self) -> bool {
        self.built_dir().join("metadata.json").is_file()
    }

    /// Builds the system dictionary into the cache unless it is already there.
    /// Returns `true` when it built one. The build goes to a fresh folder that is
    /// renamed into place, so a concurrent reader never sees half a dictionary.
    pub fn ensure_built(&self) -> Result<bool> {
        if self.is_built() {
            return Ok(false);
        }
        self.check_sources()?;
        std::fs::create_dir_all(&self.cache_dir).map_err(|e| KijiError::io(&self.cache_dir, e))?;
        let tmp = fresh_path(&self.cache_dir, ".build-");
        let builder = DictionaryBuilder::new(ipadic_metadata()?);
        builder
            .build_dictionary(&self.source_dir, &tmp)
            .map_err(|e| KijiError::Analyzer(format!("building IPADIC: {e}")))?;
        let target = self.built_dir();
        if let Err(err) = std::fs::rename(&tmp, &target) {
            let _ = std::fs::remove_dir_all(&tmp);
            if !self.is_built() {
                return Err(KijiError::io(&target, err));
            }
        }
        Ok(true)
    }

    fn check_sources(&self) -> Result<()> {
        for file in ["char.def", "unk.def", "matrix.def", "Noun.csv"] {
            if !self.source_dir.join(file).is_file() {
                return Err(KijiError::DictionarySourceMissing {
                    dir: self.source_dir.clone(),
                    missing: file.to_string(),
                });
            }
        }
        Ok(())
    }
}

fn ipadic_metadata() -> Result<Metadata> {
    serde_json::from_str(METADATA_JSON)
        .map_err(|e| KijiError::Analyzer(format!("bundled IPADIC metadata: {e}")))
}

/// Coarse part-of-speech class of a token, enough for the extractors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PosClass {
    /// 名詞,固有名詞,組織 (organization), including user-dictionary companies.
    Organization,
    /// 名詞,固有名詞,人名 (person).
    Person,
    /// 名詞,固有名詞,地域 (place).
    Place,
    /// Other proper nouns.
    ProperNoun,
    /// Other nouns (common, verbal, numeral ...).
    Noun,
    /// Verbs.
    Verb,
    /// Particles (助詞).
    Particle,
    /// Auxiliary verbs (助動詞).
    Auxiliary,
    /// Symbols and punctuation.
    Symbol,
    /// Words not in the dictionary.
    Unknown,
    /// Anything else.
    Other,
}

impl PosClass {
    /// Every class, in declaration order (`ALL[c as usize] == c`).
    pub const ALL: [PosClass; 11] = [
        PosClass::Organization,
        PosClass::Person,
        PosClass::Place,
        PosClass::ProperNoun,
        PosClass::Noun,
        PosClass::Verb,
        PosClass::Particle,
        PosClass::Auxiliary,
        PosClass::Symbol,
        PosClass::Unknown,
        PosClass::Other,
    ];
}

/// One token of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the analysed text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Coarse part of speech.
    pub pos: PosClass,
    /// Finer IPADIC tag: an index into [`POS_TAGS`].
    pub tag: u8,
    /// IPADIC's own tag of the word, an index into [`POS_TAGS`]: the same as
    /// `tag`, except for words in hiragana, whose `tag` is `hiragana` (the
    /// company model's features) and whose `word_tag` tells a particle from a
    /// noun (の, あさひ) for the rules that need it.
    pub word_tag: u8,
}

impl Token {
    /// Whether IPADIC reads the token as a common noun (`名詞,一般`,
    /// `名詞,サ変接続`: 電力, 事業, 再編).
    pub fn is_common_noun(&self) -> bool {
        self.tag == TAG_COMMON_NOUN || self.tag == TAG_VERBAL_NOUN
    }

    /// Whether IPADIC reads the token as a person's suffix (`名詞,接尾,人名`: 氏, 様).
    pub fn is_person_suffix(&self) -> bool {
        self.tag == TAG_PERSON_SUFFIX
    }

    /// Whether IPADIC reads the token as a suffix noun (`名詞,接尾`: 局 of 大鉄局).
    pub fn is_suffix(&self) -> bool {
        POS_TAGS
            .get(usize::from(self.tag))
            .is_some_and(|t| t.starts_with("名詞,接尾"))
    }
}

/// The IPADIC part-of-speech tags kiji tells apart (the first two or three
/// fields), plus `hiragana`, `symbol` and `unknown` for tokens classified
/// from their characters. [`Token::tag`] indexes this table.
pub const POS_TAGS: [&str; 33] = [
    "名詞,固有名詞,組織",
    "名詞,固有名詞,人名",
    "名詞,固有名詞,地域",
    "名詞,固有名詞,一般",
    "名詞,固有名詞",
    "名詞,一般",
    "名詞,サ変接続",
    "名詞,形容動詞語幹",
    "名詞,副詞可能",
    "名詞,接尾,一般",
    "名詞,接尾,助数詞",
    "名詞,接尾,地域",
    "名詞,接尾,人名",
    "名詞,接尾",
    "名詞,数",
    "名詞,代名詞",
    "名詞,非自立",
    "名詞",
    "動詞,自立",
    "動詞",
    "形容詞",
    "副詞",
    "接頭詞",
    "連体詞",
    "接続詞",
    "助詞",
    "助動詞",
    "記号",
    "感動詞",
    "hiragana",
    "symbol",
    "unknown",
    "other",
];

/// Index of `name` in [`POS_TAGS`].
const fn tag_index(name: &str) -> u8 {
    let mut i = 0;
    while i < POS_TAGS.len() {
        if const_eq(POS_TAGS[i], name) {
            return i as u8;
        }
        i += 1;
    }
    panic!("unknown tag");
}

const fn const_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && starts_with(a.as_bytes(), b.as_bytes())
}

const TAG_HIRAGANA: u8 = tag_index("hiragana");
const TAG_SYMBOL: u8 = tag_index("symbol");
const TAG_UNKNOWN: u8 = tag_index("unknown");
const TAG_OTHER: u8 = tag_index("other");
const TAG_PERSON_SUFFIX: u8 = tag_index("名詞,接尾,人名");
const TAG_COMMON_NOUN: u8 = tag_index("名詞,一般");
const TAG_VERBAL_NOUN: u8 = tag_index("名詞,サ変接続");

/// One token with its full IPADIC features, for inspection (`kiji tokenize`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DetailedToken {
    /// Surface form.
    pub surface: String,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The comma-separated IPADIC features (part of speech, base form, reading ...).
    pub features: Vec<String>,
}

/// A loaded analyzer: the shared segmenter and a pool of per-thread workers.
/// `Send + Sync`; build it once and share it.
pub struct Analyzer {
    segmenter: Segmenter,
    workers: Mutex<Vec<SegmentWorker>>,
    /// Tag ([`POS_TAGS`] index) of each system dictionary word, filled on
    /// first sight (0: not yet seen; otherwise the tag + 1).
    system_pos: Vec<AtomicU8>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

impl Analyzer {
    /// Loads the cached system dictionary (building it first when needed) and
    /// adds `user_words` (company names) as organization nouns.
    pub fn load(location: &DictionaryLocation, user_words: &[&str]) -> Result<Self> {
        Self::load_with(location, user_words, true)
    }

    /// [`Analyzer::load`], with the user dictionary read from and written to the
    /// cache only when `cache` (a pipeline over other lexicons than the bundled
    /// ones builds its own each time, and leaves no file behind).
    pub fn load_with(
        location: &DictionaryLocation,
        user_words: &[&str],
        cache: bool,
    ) -> Result<Self> {
        location.ensure_built()?;
        let dir = location.built_dir();
        let dictionary = load_fs_dictionary_with_options(&dir, true)
            .map_err(|e| KijiError::Analyzer(format!("loading {}: {e}", dir.display())))?;
        let user = if cache {
            user_dictionary(&dir, &dictionary, user_words)?
        } else {
            build_user_dictionary(&dictionary, &user_csv(user_words))?
        };
        let words = dictionary.prefix_dictionary.words_idx_data.len() / 4;
        let segmenter = Segmenter::new(Mode::Normal, dictionary, user);
        Ok(Analyzer {
            segmenter,
            workers: Mutex::new(Vec::new()),
            system_pos: (0..words).map(|_| AtomicU8::new(0)).collect(),
        })
    }

    /// Segments `text` into tokens (byte offsets into `text`).
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>> {
        self.with_worker(|worker| {
            let tokens = worker
                .segment(text)
                .map_err(|e| KijiError::Analyzer(format!("segmenting: {e}")))?;
            let mut out = Vec::with_capacity(tokens.len());
            for token in tokens {
                let (pos, tag) = self.classify(&token, text);
                let word_tag = if tag == TAG_HIRAGANA {
                    self.dictionary_tag(&token).1
                } else {
                    tag
                };
                out.push(Token {
                    start: token.byte_start,
                    end: token.byte_end,
                    pos,
                    tag,
                    word_tag,
                });
            }
            Ok(out)
        })
    }

    /// Segments `text` and calls `f` with each token's byte range and feature
    /// fields, in order (what `kiji tokenize` prints: no `String` per token).
    /// Stops at the first error `f` returns.
    pub fn for_each_token<E: From<KijiError>>(
        &self,
        text: &str,
        mut f: impl FnMut(usize, usize, &mut dyn Iterator<Item = &str>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.with_worker(|worker| {
            let tokens = worker
                .segment(text)
                .map_err(|e| KijiError::Analyzer(format!("segmenting: {e}")))?;
            for mut t in tokens {
                let (start, end) = (t.byte_start, t.byte_end);
                if let Err(e) = f(start, end, &mut t.details_iter()) {
                    return Ok(Err(e));
                }
            }
            Ok(Ok(()))
        })?
    }

    /// Writes the analysis of `text` in MeCab's format: one line per token,
    /// its surface, a tab and its dictionary fields joined by commas, then
    /// `EOS` (what `kiji tokenize` prints for each normalized line).
    pub fn write_mecab<W, E>(&self, text: &str, out: &mut W) -> std::result::Result<(), E>
    where
        W: std::io::Write,
        E: From<KijiError> + From<std::io::Error>,
    {
        self.for_each_token(text, |start, end, fields| -> std::result::Result<(), E> {
            out.write_all(&text.as_bytes()[start..end])?;
            for (i, f) in fields.enumerate() {
                out.write_all(if i == 0 { b"\t" } else { b"," })?;
                out.write_all(f.as_bytes())?;
            }
            out.write_all(b"\n")?;
            Ok(())
        })?;
        out.write_all(b"EOS\n")?;
        Ok(())
    }

    /// Segments `text` and returns every token with its full feature list.
    pub fn tokenize_detailed(&self, text: &str) -> Result<Vec<DetailedToken>> {
        self.with_worker(|worker| {
            let tokens = worker
                .segment(text)
                .map_err(|e| KijiError::Analyzer(format!("segmenting: {e}")))?;
            Ok(tokens
                .into_iter()
                .map(|mut t| DetailedToken {
                    surface: t.surface.to_string(),
                    start: t.byte_start,
                    end: t.byte_end,
                    features: t.details().iter().map(|s| s.to_string()).collect(),
                })
                .collect())
        })
    }

    /// Segments only, without reading any part of speech: the baseline that the
    /// throughput comparison measures the whole pipeline against.
    pub fn count_tokens(&self, text: &str) -> Result<usize> {
        self.with_worker(|worker| {
            worker
                .segment(text)
                .map(|t| t.len())
                .map_err(|e| KijiError::Analyzer(format!("segmenting: {e}")))
        })
    }

    fn with_worker<T>(&self, f: impl FnOnce(&mut SegmentWorker) -> Result<T>) -> Result<T> {
        let taken = self.workers.lock().ok().and_then(|mut pool| pool.pop());
        let mut worker = taken.unwrap_or_else(|| self.segmenter.new_worker());
        let result = f(&mut worker);
        if let Ok(mut pool) = self.workers.lock() {
            pool.push(worker);
        }
        result
    }
}

/// Reads the part of speech only for tokens that can carry one of interest:
/// hiragana-only tokens (particles, auxiliaries, verb endings) and ASCII are
/// classified from their characters, which avoids the cost of `details()`.
impl Analyzer {
    /// The class of a token: from its characters where they decide it, else
    /// from the first three part-of-speech fields of its dictionary entry
    /// (read once per system word, without allocating).
    fn classify(&self, token: &lindera::token::Token<'_>, text: &str) -> (PosClass, u8) {
        let surface = &text[token.byte_start..token.byte_end];
        let mut chars = surface.chars();
        let Some(first) = chars.next() else {
            return (PosClass::Other, TAG_OTHER);
        };
        if surface.chars().all(is_hiragana) {
            // Particles and auxiliaries are short hiragana words; the few
            // hiragana nouns do not matter to the extractors.
            return (PosClass::Particle, TAG_HIRAGANA);
        }
        if surface
            .chars()
            .all(|c| c.is_ascii_punctuation() || c.is_whitespace())
            || (!first.is_alphanumeric() && surface.chars().count() == 1)
        {
            return (PosClass::Symbol, TAG_SYMBOL);
        }
        self.dictionary_tag(token)
    }

    /// The class and tag the dictionary gives `token`'s word (cached per
    /// system word), whatever its characters.
    fn dictionary_tag(&self, token: &lindera::token::Token<'_>) -> (PosClass, u8) {
        let id = token.word_id;
        if id.is_unknown() {
            return (PosClass::Unknown, TAG_UNKNOWN);
        }
        if !id.is_system() {
            return match token.user_dictionary {
                Some(user) => pos_tag(user.word_details_iter(id.id() as usize)),
                None => (PosClass::Other, TAG_OTHER),
            };
        }
        let Some(slot) = self.system_pos.get(id.id() as usize) else {
            return pos_tag(token.dictionary.word_details_iter(id.id() as usize));
        };
        // The slot holds the tag + 1; the class follows from the tag.
        match slot.load(Ordering::Relaxed) {
            0 => {
                let (class, tag) = pos_tag(token.dictionary.word_details_iter(id.id() as usize));
                slot.store(tag + 1, Ordering::Relaxed);
                (class, tag)
            }
            n => (TAG_CLASS[(n - 1) as usize], n - 1),
        }
    }
}

/// The class of each tag of [`POS_TAGS`].
const TAG_CLASS: [PosClass; POS_TAGS.len()] = {
    let mut out = [PosClass::Other; POS_TAGS.len()];
    let mut i = 0;
    while i < POS_TAGS.len() {
        out[i] = class_of_tag(POS_TAGS[i]);
        i += 1;
    }
    out
};

const fn class_of_tag(tag: &str) -> PosClass {
    let b = tag.as_bytes();
    if const_eq(tag, "名詞,固有名詞,組織") {
        PosClass::Organization
    } else if const_eq(tag, "名詞,固有名詞,人名") {
        PosClass::Person
    } else if const_eq(tag, "名詞,固有名詞,地域") {
        PosClass::Place
    } else if starts_with(b, "名詞,固有名詞".as_bytes()) {
        PosClass::ProperNoun
    } else if starts_with(b, "名詞".as_bytes()) {
        PosClass::Noun
    } else if starts_with(b, "動詞".as_bytes()) {
        PosClass::Verb
    } else if const_eq(tag, "助詞") || const_eq(tag, "hiragana") {
        PosClass::Particle
    } else if const_eq(tag, "助動詞") {
        PosClass::Auxiliary
    } else if const_eq(tag, "記号") || const_eq(tag, "symbol") {
        PosClass::Symbol
    } else if const_eq(tag, "unknown") {
        PosClass::Unknown
    } else {
        PosClass::Other
    }
}

const fn starts_with(a: &[u8], p: &[u8]) -> bool {
    if a.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if a[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The tag (index into [`POS_TAGS`]) and class of a dictionary entry from its
/// detail fields: the longest table entry that its first three fields start with.
fn pos_tag<'a>(mut fields: impl Iterator<Item = &'a str>) -> (PosClass, u8) {
    let (a, b, c) = (fields.next(), fields.next(), fields.next());
    let (Some(a), b, c) = (a, b.unwrap_or("*"), c.unwrap_or("*")) else {
        return (PosClass::Other, TAG_OTHER);
    };
    // The tag that is `parts` joined by commas (no string is built).
    let find = |parts: &[&str]| {
        POS_TAGS.iter().position(|t| {
            let mut rest = *t;
            parts.iter().enumerate().all(|(i, p)| {
                if i > 0 {
                    let Some(r) = rest.strip_prefix(',') else {
                        return false;
                    };
                    rest = r;
                }
                match rest.strip_prefix(p) {
                    Some(r) => {
                        rest = r;
                        true
                    }
                    None => false,
                }
            }) && rest.is_empty()
        })
    };
    let tag = find(&[a, b, c])
        .or_else(|| find(&[a, b]))
        .or_else(|| find(&[a]))
        .map_or(TAG_OTHER, |i| i as u8);
    (TAG_CLASS[tag as usize], tag)
}

/// The class of a dictionary entry from its detail fields.
#[cfg(test)]
fn pos_class<'a>(fields: impl Iterator<Item = &'a str>) -> PosClass {
    pos_tag(fields).0
}

/// Whether `c` is a hiragana letter.
pub(crate) fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// The user dictionary of `words` (company names): read from the cache folder
/// `dir` when a file built from the same rows is there (`user-HASH.bin`, the
/// FNV-1a hash of its CSV rows), else built and written there for the next
/// start (to a fresh file renamed into place; a cache that cannot be written
/// only costs the next start the build again).
fn user_dictionary(
    dir: &Path,
    dictionary: &Dictionary,
    words: &[&str],
) -> Result<Option<UserDictionary>> {
    let csv = user_csv(words);
    if csv.is_empty() {
        return Ok(None);
    }
    let mut hash = fnv::FnvHasher::default();
    std::hash::Hasher::write(&mut hash, csv.as_bytes());
    let cached = dir.join(format!(
        "user-{:016x}.bin",
        std::hash::Hasher::finish(&hash)
    ));
    if let Ok(user) = lindera::dictionary::load_user_dictionary_from_bin(&cached) {
        return Ok(Some(user));
    }
    let Some(user) = build_user_dictionary(dictionary, &csv)? else {
        return Ok(None);
    };
    let tmp = fresh_path(dir, ".user-");
    let written =
        lindera_dictionary::builder::user_dictionary::build_user_dictionary(user.clone(), &tmp)
            .is_ok()
            && std::fs::rename(&tmp, &cached).is_ok();
    if !written {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(Some(user))
}

/// A path in `dir` no other process writes: `prefix`, the process id and the
/// time in nanoseconds (what is built there is renamed into place, so a
/// concurrent reader never sees half of it).
fn fresh_path(dir: &Path, prefix: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    dir.join(format!("{prefix}{}-{nanos}", std::process::id()))
}

/// Builds the user dictionary of `csv` rows (none for no rows).
fn build_user_dictionary(dictionary: &Dictionary, csv: &str) -> Result<Option<UserDictionary>> {
    if csv.is_empty() {
        return Ok(None);
    }
    DictionaryBuilder::new((*dictionary.metadata).clone())
        .build_user_dict_from_reader(csv.as_bytes())
        .map(Some)
        .map_err(|e| KijiError::Analyzer(format!("user dictionary: {e}")))
}

/// The rows of the user dictionary of `words`, in IPADIC's CSV format.
fn user_csv(words: &[&str]) -> String {
    let mut csv = String::new();
    let mut seen = std::collections::HashSet::new();
    for word in words {
        let word = word.trim();
        // IPADIC rows are comma-separated without quoting; lindera matches
        // surfaces exactly, so names with commas or line breaks are skipped.
        if word.is_empty() || word.contains([',', '"', '\n']) || !seen.insert(word) {
            continue;
        }
        csv.push_str(&format!(
            "{word},{ORG_CONTEXT_ID},{ORG_CONTEXT_ID},{USER_WORD_COST},名詞,固有名詞,組織,*,*,*,{word},*,*\n"
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::{pos_class, user_dictionary, DictionaryLocation, PosClass};
    use std::path::PathBuf;

    #[test]
    fn the_user_dictionary_is_cached_and_a_damaged_cache_is_built_again() {
        let location = DictionaryLocation::from_env();
        location.ensure_built().unwrap();
        let dictionary =
            lindera::dictionary::load_fs_dictionary_with_options(&location.built_dir(), true)
                .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cached = || -> Vec<PathBuf> {
            let mut v: Vec<PathBuf> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            v.sort();
            v
        };
        let entries = |d: &lindera::dictionary::UserDictionary| d.dict.vals_data.len();
        let words = ["北斗ケミカル", "東西化成"];
        let built = user_dictionary(dir.path(), &dictionary, &words)
            .unwrap()
            .unwrap();
        let files = cached();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("user-"));
        let bytes = std::fs::read(&files[0]).unwrap();
        // Read back from the file: the same rows.
        let read = user_dictionary(dir.path(), &dictionary, &words)
            .unwrap()
            .unwrap();
        assert_eq!(entries(&read), entries(&built));
        assert_eq!(cached(), files);
        // Other rows, another file.
        user_dictionary(dir.path(), &dictionary, &["南海新報"]).unwrap();
        assert_eq!(cached().len(), 2);
        // A damaged file is built again and replaced.
        std::fs::write(&files[0], b"not a dictionary").unwrap();
        let again = user_dictionary(dir.path(), &dictionary, &words)
            .unwrap()
            .unwrap();
        assert_eq!(entries(&again), entries(&built));
        assert_eq!(std::fs::read(&files[0]).unwrap(), bytes);
        // No words, no dictionary.
        assert!(user_dictionary(dir.path(), &dictionary, &[])
            .unwrap()
            .is_none());
    }

    #[test]
    fn an_empty_variable_counts_as_unset() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let at =
            DictionaryLocation::from_vars(vars(&[("KIJI_CACHE_DIR", ""), ("HOME", "/home/a")]));
        assert_eq!(at.cache_dir, PathBuf::from("/home/a/.cache/kiji"));
        let at =
            DictionaryLocation::from_vars(vars(&[("KIJI_CACHE_DIR", "/c"), ("HOME", "/home/a")]));
        assert_eq!(at.cache_dir, PathBuf::from("/c"));
        let at =
            DictionaryLocation::from_vars(vars(&[("XDG_CACHE_HOME", ""), ("KIJI_IPADIC_SRC", "")]));
        assert_eq!(at.cache_dir, PathBuf::from(".kiji-cache"));
        assert_eq!(at.source_dir, PathBuf::from(super::DEFAULT_IPADIC_SOURCE));
    }

    #[test]
    fn class_table_round_trips_through_its_index() {
        for (i, c) in PosClass::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
    }

    #[test]
    fn classes_from_ipadic_fields() {
        let class = |f: &str| pos_class(f.split(','));
        assert_eq!(
            class("名詞,固有名詞,組織,*,*,*,トヨタ"),
            PosClass::Organization
        );
        assert_eq!(class("名詞,固有名詞,地域,一般"), PosClass::Place);
        assert_eq!(class("名詞,固有名詞,一般"), PosClass::ProperNoun);
        assert_eq!(class("名詞,サ変接続,*"), PosClass::Noun);
        assert_eq!(class("動詞,自立,*"), PosClass::Verb);
        assert_eq!(class("UNK"), PosClass::Other);
    }
}
