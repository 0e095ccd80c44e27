//! Candidate source `english_model`: a linear-chain CRF over the words of
//! English paragraphs (paragraphs without a Japanese character), trained on
//! the gold companies of annotated English news (`kiji train companies-en`,
//! [`crate::train::english`]).
//!
//! Words ([`Lexicon::words`]) are runs of letters and digits joined by `&`,
//! `.`, `-` and `'` (`AT&T`, `S.p.A.`, `Coca-Cola`); a final period belongs to
//! a word with a period inside (`U.S.`), to a single capital (`J.`) and to the
//! abbreviations of `org_rules.tsv` (`Co.`, `Inc.`, `Mr.`); a possessive `'s`
//! is a word of its own, and so is every other symbol. Sentences end after
//! `.`, `!`, `?` and at a line break.
//!
//! Features of word *i* ([`Lexicon::features`]): lowercased words and
//! capitalisation classes of *i−2…i+2*, shapes (`Xxxx`, `XX`, `Xx.`) and the
//! lexicon marks (common English word of `english_words.txt`, English legal
//! form, `en_company_word`, `en_descriptor`, `en_stop`, `en_function`,
//! `en_place`, `en_appositive_head`, non-company ending, `not_company`,
//! `countries.tsv`) of *i−1…i+1*, which gazetteer name and which rule span of
//! today's rules covers them (begin or inside), prefix and suffix of three
//! characters, word pairs (−1,0) and (0,+1), line start and a headline-like
//! paragraph. Values are hashed with the Japanese model's `key`, so tagging
//! builds no string; the model file has the Japanese model's format and is
//! read by [`CompanyModel`], whose Viterbi labels the words.
//!
//! How its spans are used is the [`Mode`] chosen by cross-validation on
//! news/train ([`DEFAULT_MODE`]). It never runs on Japanese paragraphs and
//! never changes the Japanese model's input.

use super::model::{self, key, CompanyModel, Features, B_COMPANY, I_COMPANY, OUTSIDE};
use super::*;

/// The English model shipped with kiji (`dictionaries/companies_en.crf`).
pub const BUNDLED_MODEL: &[u8] = include_bytes!("../../../dictionaries/companies_en.crf");

/// The variable naming an English model file to use instead of the bundled one.
pub const MODEL_ENV: &str = "KIJI_COMPANY_MODEL_EN";

/// How the English model's spans join the other sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not used.
    Off,
    /// One more source: its spans that overlap no gazetteer or rule span are added.
    Source,
    /// It decides the rules' spans: a rule span it does not overlap is dropped
    /// (acronyms that are a name's initials excepted), and its own spans are
    /// added; gazetteer spans stay.
    Replace,
    /// It decides every span: gazetteer and rule spans it does not overlap are dropped.
    Only,
}

impl Mode {
    /// Every mode, in the order cross-validation prints them.
    pub const ALL: [Mode; 4] = [Mode::Off, Mode::Source, Mode::Replace, Mode::Only];

    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Source => "source",
            Mode::Replace => "replace",
            Mode::Only => "only",
        }
    }
}

/// The mode kiji uses (chosen by `kiji train companies-en --cross-validate 5`).
pub const DEFAULT_MODE: Mode = Mode::Replace;

/// The least mean company probability of a model span's words (chosen by
/// cross-validation, as the mode).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.0;

/// Loads the English model: `path` when given, else the file named by
/// `KIJI_COMPANY_MODEL_EN`, else the bundled one.
pub fn load_model(path: Option<&std::path::Path>) -> Result<CompanyModel> {
    let env = std::env::var_os(MODEL_ENV).filter(|p| !p.is_empty());
    match path
        .map(std::path::Path::to_path_buf)
        .or(env.map(Into::into))
    {
        Some(p) => CompanyModel::from_file(&p),
        None => CompanyModel::from_bytes(BUNDLED_MODEL, "bundled dictionaries/companies_en.crf"),
    }
}

/// A word of an English paragraph (byte range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One sentence ready for the model: its words and their features.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// Words, with byte ranges in the paragraph.
    pub words: Vec<Word>,
    /// Feature hashes of each word.
    pub features: Features,
}

// Lexicon mark bits of a word (lowercased).
const M_COMMON: u32 = 1;
const M_LEGAL: u32 = 1 << 1;
const M_COMPANY_WORD: u32 = 1 << 2;
const M_STOP: u32 = 1 << 3;
const M_FUNCTION: u32 = 1 << 4;
const M_PLACE: u32 = 1 << 5;
const M_COUNTRY: u32 = 1 << 6;
const M_NOT_SUFFIX: u32 = 1 << 7;
const M_HEAD: u32 = 1 << 8;
const M_NOT_COMPANY: u32 = 1 << 9;
/// Computed, not looked up: the word ends with an `en_descriptor` (`-based`).
const M_DESCRIPTOR: u32 = 1 << 10;
const MARK_BITS: u32 = 11;

/// The English word lists as hashes of lowercased words, and the model.
#[derive(Debug)]
pub struct English {
    /// Lowercased-word hash → mark bits.
    marks: FnvHashMap<u64, u32>,
    /// Hashes of lowercased abbreviations that keep their period (`co.`).
    abbreviations: FnvHashSet<u64>,
    descriptors: Vec<String>,
    model: Option<CompanyModel>,
    mode: Mode,
    /// Least mean probability of a model span's words being a company.
    min_confidence: f32,
    /// This instance's key in the per-thread word cache.
    id: u64,
}

/// Distinguishes [`English`] instances in the per-thread word cache.
static NEXT_ENGLISH_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// FNV-1a of `w` lowercased (no string is built).
fn lower_hash(w: &str) -> u64 {
    let mut h = model::FNV_OFFSET;
    if w.is_ascii() {
        for b in w.bytes() {
            h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(model::FNV_PRIME);
        }
        return h;
    }
    let mut buf = [0u8; 4];
    for c in w.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(model::FNV_PRIME);
            }
        }
    }
    h
}

/// Capitalisation class: 1 all capitals, 2 initial capital, 3 lowercase,
/// 4 mixed (`eBay`, `iPhone`), 5 with digits, 6 a symbol.
fn cap_class(w: &str) -> u64 {
    let mut upper = 0;
    let mut lower = 0;
    let mut digit = 0;
    for c in w.chars() {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        } else if c.is_numeric() {
            digit += 1;
        }
    }
    let first_upper = w.chars().next().is_some_and(char::is_uppercase);
    match (upper, lower, digit) {
        (0, 0, 0) => 6,
        (_, _, d) if d > 0 => 5,
        (u, 0, _) if u > 0 => 1,
        (0, _, _) => 3,
        (1, _, _) if first_upper => 2,
        _ if first_upper => 4,
        _ => 4,
    }
}

/// Shape hash: capitals `X`, lowercase `x`, digits `d`, other characters as
/// themselves; `short` collapses runs (`Xx.`), the long one keeps at most
/// eight characters.
fn shapes(w: &str) -> (u64, u64) {
    let mut long = model::FNV_OFFSET;
    let mut short = model::FNV_OFFSET;
    let mut prev = '\0';
    for (i, c) in w.chars().enumerate() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        let step = |h: u64| (h ^ u64::from(s)).wrapping_mul(model::FNV_PRIME);
        if i < 8 {
            long = step(long);
        }
        if s != prev {
            short = step(short);
            prev = s;
        }
    }
    (long, short)
}

/// Hashes of the first and last three characters, lowercased.
fn affixes(w: &str) -> (u64, u64) {
    if w.is_ascii() {
        let cut = w.len().saturating_sub(3);
        return (lower_hash(&w[..w.len().min(3)]), lower_hash(&w[cut..]));
    }
    let n = w.chars().count();
    let cut = |k: usize| w.char_indices().nth(k).map_or(w.len(), |(i, _)| i);
    (
        lower_hash(&w[..cut(3)]),
        lower_hash(&w[cut(n.saturating_sub(3))..]),
    )
}

// Feature templates; `at` adds the offset.
const T_BIAS: u64 = 1;
const T_LOWER: u64 = 2;
const T_CAP: u64 = 3;
const T_SHAPE: u64 = 4;
const T_MARK: u64 = 5;
const T_GAZ: u64 = 6;
const T_RULE: u64 = 7;
const T_EDGE: u64 = 8;
const T_PREFIX: u64 = 9;
const T_SUFFIX: u64 = 10;
const T_SHORT: u64 = 11;
const T_LEN: u64 = 12;
const T_LINE_START: u64 = 13;
const T_HEADLINE: u64 = 14;
const T_PAIR: u64 = 15;
const T_CAPS3: u64 = 16;
/// Not a feature: the key of a word type in the tagging cache.
const T_TYPE: u64 = 17;
/// Not a feature: the key of a neighbour pair in the tagging cache.
const T_PAIR_TYPE: u64 = 18;

fn at(template: u64, d: isize) -> u64 {
    // English templates live above the Japanese ones (a separate model anyway).
    1000 + template * 8 + (d + 3) as u64
}

/// Per-word values the templates combine.
#[derive(Debug, Clone, Copy, Default)]
struct Values {
    lower: u64,
    cap: u64,
    shape: u64,
    short: u64,
    marks: u32,
    gaz: u64,
    rule: u64,
    prefix: u64,
    suffix: u64,
    len: u64,
    line_start: bool,
}

/// The values of a word that depend on its letters only (cached per thread).
#[derive(Debug, Clone, Copy)]
struct WordValues {
    lower: u64,
    cap: u64,
    shape: u64,
    short: u64,
    marks: u32,
    prefix: u64,
    suffix: u64,
    len: u64,
}

/// Per-thread [`WordValues`] of the words seen, for one [`English`] instance.
#[derive(Default)]
struct WordCache {
    owner: u64,
    words: FnvHashMap<Box<str>, WordValues>,
}

/// Words kept before the word cache is emptied.
const WORD_CACHE_WORDS: usize = 1 << 16;

thread_local! {
    static WORDS: std::cell::RefCell<WordCache> = std::cell::RefCell::default();
}

/// Whether `t` is a gazetteer company (`gazetteer`, `group_company`).
fn known(t: &Span) -> bool {
    matches!(&t.kind, EntityKind::Company { rule, .. } if rule_family(rule) == 0)
}

/// Rule families of the spans that are features (0: none).
fn rule_family(rule: &str) -> u64 {
    match rule {
        "gazetteer" | "group_company" => 0,
        "english_legal" | "legal" => 1,
        "english_context" => 2,
        "english_apposition" => 3,
        "english_bracket" | "bracket_country" | "bracket_place" => 4,
        _ => 5,
    }
}

impl English {
    /// The word lists of `lex` and a model used as `mode`.
    pub fn new(lex: &Lexicons, model: Option<CompanyModel>, mode: Mode) -> Self {
        let mut marks = FnvHashMap::<u64, u32>::default();
        let mut abbreviations = FnvHashSet::default();
        let mut add = |w: &str, bit: u32| {
            *marks.entry(lower_hash(w)).or_default() |= bit;
        };
        for w in ENGLISH_WORDS.iter() {
            add(w, M_COMMON);
        }
        let org = &lex.org;
        let one_word = |w: &&String| !w.contains(' ');
        for (list, bit) in [
            (&org.en_company_word, M_COMPANY_WORD),
            (&org.en_stop, M_STOP),
            (&org.en_function, M_FUNCTION),
            (&org.en_place, M_PLACE),
            (&org.en_appositive_head, M_HEAD),
            (&org.not_suffix, M_NOT_SUFFIX),
            (&org.not_company, M_NOT_COMPANY),
        ] {
            for w in list.iter().filter(one_word) {
                add(w, bit);
            }
        }
        for w in lex.countries.keys().filter(one_word) {
            add(w, M_COUNTRY);
        }
        // Legal forms: every word of one (`Co.`, `Ltd.` of `Co., Ltd.`), but
        // a lower-case particle without a period (`de` of `S.A. de C.V.`).
        for form in &org.en_legal {
            for w in form.split([' ', ',']).filter(|w| {
                !w.is_empty() && *w != "&" && w.chars().any(|c| c.is_uppercase() || c == '.')
            }) {
                add(w, M_LEGAL);
            }
        }
        for w in org
            .en_legal
            .iter()
            .chain(&org.en_function)
            .flat_map(|f| f.split([' ', ',']))
            .chain(["No.", "St.", "Jr.", "Bros.", "Mt.", "Ms.", "Dr.", "vs."])
        {
            if w.len() > 1 && w.ends_with('.') {
                abbreviations.insert(lower_hash(w));
            }
        }
        English {
            marks,
            abbreviations,
            descriptors: org.en_descriptor.clone(),
            model,
            mode,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            id: NEXT_ENGLISH_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The model in use, if any, and its mode.
    pub fn model(&self) -> (Option<&CompanyModel>, Mode) {
        (self.model.as_ref(), self.mode)
    }

    /// Replaces the model and its mode.
    pub fn set(&mut self, model: Option<CompanyModel>, mode: Mode) {
        self.model = model;
        self.mode = mode;
    }

    /// Sets the least mean probability of a model span's words being a
    /// company (spans below it are dropped).
    pub fn set_min_confidence(&mut self, p: f32) {
        self.min_confidence = p;
    }

    /// The words of `text` (see the module doc).
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(c) = text[i..].chars().next() {
            let len = c.len_utf8();
            if c.is_whitespace() {
                i += len;
                continue;
            }
            if c.is_alphanumeric() {
                let mut end = i + len;
                loop {
                    let mut rest = text[end..].chars();
                    match rest.next() {
                        Some(n) if n.is_alphanumeric() => end += n.len_utf8(),
                        Some(n @ ('&' | '.' | '-' | '\'' | '’')) => match rest.next() {
                            Some(m) if m.is_alphanumeric() => {
                                // A possessive `'s` is a word of its own.
                                let apostrophe = matches!(n, '\'' | '’');
                                if apostrophe
                                    && matches!(m, 's' | 'S')
                                    && !rest.next().is_some_and(char::is_alphanumeric)
                                {
                                    break;
                                }
                                end += n.len_utf8() + m.len_utf8();
                            }
                            _ => break,
                        },
                        _ => break,
                    }
                }
                if text[end..].starts_with('.') {
                    let w = &text[i..end];
                    let single = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
                    let mut h = lower_hash(w);
                    h = (h ^ u64::from(b'.')).wrapping_mul(model::FNV_PRIME);
                    if w.contains('.') || single || self.abbreviations.contains(&h) {
                        end += 1;
                    }
                }
                out.push(Word { start: i, end });
                i = end;
                continue;
            }
            // `'s` after a word.
            if matches!(c, '\'' | '’') {
                let mut rest = text[i + len..].chars();
                if matches!(rest.next(), Some('s' | 'S'))
                    && !rest.next().is_some_and(char::is_alphanumeric)
                {
                    out.push(Word {
                        start: i,
                        end: i + len + 1,
                    });
                    i += len + 1;
                    continue;
                }
            }
            out.push(Word {
                start: i,
                end: i + len,
            });
            i += len;
        }
        out
    }

    /// The sentences of `text` with the features of their words; `taken` are
    /// the gazetteer and rule spans found so far (features, not decisions).
    pub fn sentences(&self, text: &str, taken: &[Span]) -> Vec<Sentence> {
        let p = self.prepare(text, taken);
        p.ranges
            .iter()
            .map(|r| self.sentence(&p.words[r.clone()], &p.values[r.clone()], p.headline))
            .collect()
    }

    /// The values of word `s` that depend on its letters only.
    fn word_values(&self, s: &str) -> WordValues {
        let lower = lower_hash(s);
        let mut marks = self.marks.get(&lower).copied().unwrap_or(0);
        if self
            .descriptors
            .iter()
            .any(|d| s.len() > d.len() && s.ends_with(d.as_str()))
        {
            marks |= M_DESCRIPTOR;
        }
        let (shape, short) = shapes(s);
        let (prefix, suffix) = affixes(s);
        WordValues {
            lower,
            cap: cap_class(s),
            shape,
            short,
            marks,
            prefix,
            suffix,
            len: s.chars().count().min(8) as u64,
        }
    }

    /// The values of word `k` (`w`), from its letters' values `x`.
    fn values(
        &self,
        x: &WordValues,
        text: &str,
        words: &[Word],
        k: usize,
        w: &Word,
        taken: &[Span],
    ) -> Values {
        let (mut gaz, mut rule) = (0, 0);
        let i = taken.partition_point(|t| t.end <= w.start);
        if let Some(t) = taken.get(i).filter(|t| t.start < w.end) {
            let begin = if t.start >= w.start { 1 } else { 2 };
            if let EntityKind::Company { rule: r, .. } = &t.kind {
                match rule_family(r) {
                    0 => gaz = begin,
                    f => rule = f * 4 + begin,
                }
            }
        }
        let line_start = k == 0 || text[words[k - 1].end..w.start].contains('\n');
        Values {
            lower: x.lower,
            cap: x.cap,
            shape: x.shape,
            short: x.short,
            marks: x.marks,
            gaz,
            rule,
            prefix: x.prefix,
            suffix: x.suffix,
            len: x.len,
            line_start,
        }
    }

    fn sentence(&self, words: &[Word], v: &[Values], headline: bool) -> Sentence {
        let n = v.len();
        let mut features = Features::default();
        features.hashes_mut().reserve(n * 40);
        for i in 0..n {
            let h = features.hashes_mut();
            h.push(key(T_BIAS, 0, 0, 0));
            for d in -2isize..=2 {
                let j = i as isize + d;
                if (0..n as isize).contains(&j) {
                    unary_keys(&v[j as usize], d, h);
                } else {
                    h.push(key(at(T_EDGE, d), 0, 0, 0));
                }
            }
            own_keys(&v[i], h);
            context_keys(v, i, headline, h);
            features.end_token();
        }
        Sentence {
            words: words.to_vec(),
            features,
        }
    }

    /// The words, their values, the sentences (ranges of words) and whether
    /// the paragraph looks like a headline.
    fn prepare(&self, text: &str, taken: &[Span]) -> Prepared {
        let words = self.words(text);
        // A headline-like paragraph: short, no final period, mostly capitalised words.
        let (caps, alpha) = words.iter().fold((0, 0), |(c, a), w| {
            let s = &text[w.start..w.end];
            match s.chars().next() {
                Some(ch) if ch.is_alphabetic() => (c + usize::from(ch.is_uppercase()), a + 1),
                _ => (c, a),
            }
        });
        let headline = text.len() < 200 && !text.ends_with('.') && caps * 5 >= alpha * 3;
        let values: Vec<Values> = WORDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.owner != self.id || cache.words.len() > WORD_CACHE_WORDS {
                cache.owner = self.id;
                cache.words.clear();
            }
            words
                .iter()
                .enumerate()
                .map(|(k, w)| {
                    let s = &text[w.start..w.end];
                    let x = match cache.words.get(s) {
                        Some(x) => *x,
                        None => {
                            let x = self.word_values(s);
                            cache.words.insert(s.into(), x);
                            x
                        }
                    };
                    self.values(&x, text, &words, k, w, taken)
                })
                .collect()
        });
        let mut ranges = Vec::new();
        let mut from = 0;
        for k in 0..words.len() {
            let w = &text[words[k].start..words[k].end];
            let end = k + 1 == words.len()
                || matches!(w, "." | "!" | "?")
                || text[words[k].end..words[k + 1].start].contains('\n');
            if end {
                ranges.push(from..k + 1);
                from = k + 1;
            }
        }
        Prepared {
            words,
            values,
            ranges,
            headline,
        }
    }

    /// The best labels of each sentence of `text` (with its words, and the
    /// company marginals when a least confidence is set), through the type cache.
    fn tag(&self, model: &CompanyModel, text: &str, taken: &[Span]) -> Vec<Tagged> {
        let p = self.prepare(text, taken);
        let mut out = Vec::new();
        for r in &p.ranges {
            let v = &p.values[r.clone()];
            let labels = model.labels_of_scores(&scores(model, v, p.headline));
            let words = p.words[r.clone()].to_vec();
            let marginals = (self.min_confidence > 0.0 && labels.iter().any(|l| *l != OUTSIDE))
                .then(|| model.company_marginals(&self.sentence(&words, v, p.headline).features));
            out.push((words, labels, marginals));
        }
        out
    }
}

/// A tagged sentence: words, labels, company marginals.
type Tagged = (Vec<Word>, Vec<&'static str>, Option<Vec<f32>>);

/// A paragraph's words ready for tagging.
struct Prepared {
    words: Vec<Word>,
    values: Vec<Values>,
    ranges: Vec<std::ops::Range<usize>>,
    headline: bool,
}

/// The features that word `x` gives to the word `d` places before it.
fn unary_keys(x: &Values, d: isize, h: &mut Vec<u64>) {
    h.push(key(at(T_LOWER, d), x.lower, 0, 0));
    h.push(key(at(T_CAP, d), x.cap, 0, 0));
    if d.abs() <= 1 {
        h.push(key(at(T_SHAPE, d), x.shape, 0, 0));
        for b in 0..MARK_BITS {
            if x.marks & 1 << b != 0 {
                h.push(key(at(T_MARK, d), u64::from(b), x.cap, 0));
            }
        }
        if x.gaz != 0 {
            h.push(key(at(T_GAZ, d), x.gaz, 0, 0));
        }
        if x.rule != 0 {
            h.push(key(at(T_RULE, d), x.rule, 0, 0));
        }
    }
}

/// The features of word `x` of its own letters: prefix, suffix, short shape
/// and length (after the neighbours' features, in training's order).
fn own_keys(x: &Values, h: &mut Vec<u64>) {
    h.push(key(T_PREFIX, x.prefix, 0, 0));
    h.push(key(T_SUFFIX, x.suffix, 0, 0));
    h.push(key(T_SHORT, x.short, 0, 0));
    h.push(key(T_LEN, x.len, x.cap, 0));
}

/// The features of word `i` that depend on its place: line start, headline,
/// word pairs and the capitalisation of −1, 0, +1.
fn context_keys(v: &[Values], i: usize, headline: bool, h: &mut Vec<u64>) {
    let me = &v[i];
    if me.line_start {
        h.push(key(T_LINE_START, me.cap, 0, 0));
    }
    if headline {
        h.push(key(T_HEADLINE, me.cap, 0, 0));
    }
    let prev = i.checked_sub(1).map(|p| &v[p]);
    let next = v.get(i + 1);
    if let Some(p) = prev {
        h.push(key(at(T_PAIR, -1), p.lower, me.lower, 0));
    }
    if let Some(q) = next {
        h.push(key(at(T_PAIR, 1), me.lower, q.lower, 0));
    }
    h.push(key(
        T_CAPS3,
        prev.map_or(0, |p| p.cap),
        me.cap,
        next.map_or(0, |q| q.cap),
    ));
}

/// Per-thread sums of the unary weights of each word type at each offset
/// (most words of a text were seen before: a word costs one cache hit and
/// the lookups of its few context features), and the weight rows of the
/// context features: each neighbour pair's two word-pair features, and the
/// capitalisation features, which take few values.
#[derive(Default)]
struct TypeCache {
    model: u64,
    /// Type key (a hash already) → offset of its sums.
    index: model::KeyMap<u32>,
    sums: Vec<f32>,
    /// Neighbour-pair key → the pair's number in `pair_rows` and `pair_has`.
    pairs: model::KeyMap<u32>,
    /// Per pair: the weights of the first word's `(0,+1)` feature, then the
    /// second word's `(−1,0)` feature.
    pair_rows: Vec<f32>,
    /// Per pair: whether the model has each of the two features.
    pair_has: Vec<[bool; 2]>,
    /// The weights of every [`context_keys`] feature of capitalisation
    /// classes (`CAPS`), at [`caps_slot`]; empty until the model is known.
    caps_rows: Vec<f32>,
    /// Whether the model has the feature of each slot.
    caps_has: Vec<bool>,
}

/// Word types kept before the cache is emptied (60 bytes of sums each with
/// 3 labels: at most 2 MB per thread).
const TYPE_CACHE_TYPES: usize = 1 << 15;

/// Neighbour pairs kept before the cache is emptied (24 bytes of rows each
/// with 3 labels).
const PAIR_CACHE_PAIRS: usize = 1 << 16;

/// Capitalisation classes ([`cap_class`]), with 0 for no neighbour.
const CAPS: u64 = 7;

/// Slots of the capitalisation features: (−1, 0, +1) classes, then line
/// start, then headline.
const CAPS_SLOTS: usize = (CAPS * CAPS * CAPS + 2 * CAPS) as usize;

/// The slot of a capitalisation feature and its key: `T_CAPS3` of three
/// classes, `T_LINE_START` or `T_HEADLINE` of one; `None` for a class out of range.
fn caps_slot(template: u64, a: u64, b: u64, c: u64) -> Option<usize> {
    if a >= CAPS || b >= CAPS || c >= CAPS {
        return None;
    }
    let slot = match template {
        T_CAPS3 => (a * CAPS + b) * CAPS + c,
        T_LINE_START => CAPS * CAPS * CAPS + a,
        _ => CAPS * CAPS * CAPS + CAPS + a,
    };
    Some(slot as usize)
}

thread_local! {
    static TYPES: std::cell::RefCell<TypeCache> = std::cell::RefCell::default();
}

/// State scores (`n × L`) of one sentence's words: the sum of the weights of
/// the features [`English::sentences`] gives them, through the type cache.
fn scores(model: &CompanyModel, v: &[Values], headline: bool) -> Vec<f32> {
    let l = model.label_count();
    let n = v.len();
    let mut out = vec![0f32; n * l];
    let mut keys = Vec::with_capacity(32);
    TYPES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.model != model.load_id()
            || cache.index.len() > TYPE_CACHE_TYPES
            || cache.pairs.len() > PAIR_CACHE_PAIRS
        {
            cache.model = model.load_id();
            cache.index.clear();
            cache.sums.clear();
            cache.pairs.clear();
            cache.pair_rows.clear();
            cache.pair_has.clear();
            cache.caps_rows.clear();
            cache.caps_has.clear();
        }
        let cache = &mut *cache;
        if cache.caps_has.is_empty() {
            cache.caps_rows = vec![0.0; CAPS_SLOTS * l];
            cache.caps_has = vec![false; CAPS_SLOTS];
            let mut fill = |template: u64, a: u64, b: u64, c: u64| {
                if let (Some(slot), Some(w)) = (
                    caps_slot(template, a, b, c),
                    model.weights(key(template, a, b, c)),
                ) {
                    cache.caps_rows[slot * l..(slot + 1) * l].copy_from_slice(w);
                    cache.caps_has[slot] = true;
                }
            };
            for a in 0..CAPS {
                fill(T_LINE_START, a, 0, 0);
                fill(T_HEADLINE, a, 0, 0);
                for b in 0..CAPS {
                    for c in 0..CAPS {
                        fill(T_CAPS3, a, b, c);
                    }
                }
            }
        }
        let at_type: Vec<usize> = v
            .iter()
            .map(|x| {
                let k = key(
                    T_TYPE,
                    x.lower ^ x.shape.rotate_left(17),
                    x.short ^ x.prefix.rotate_left(9) ^ x.suffix.rotate_left(29),
                    x.cap | u64::from(x.marks) << 8 | x.gaz << 24 | x.rule << 32 | x.len << 48,
                );
                let next = cache.sums.len();
                let off = *cache.index.entry(k).or_insert(next as u32) as usize;
                if off == next {
                    cache.sums.resize(next + 5 * l, 0.0);
                    for (d, sum) in (-2isize..=2).zip(cache.sums[next..].chunks_mut(l)) {
                        keys.clear();
                        unary_keys(x, d, &mut keys);
                        if d == 0 {
                            own_keys(x, &mut keys);
                        }
                        for &h in &keys {
                            model.add(h, sum);
                        }
                    }
                }
                off
            })
            .collect();
        // The pair number of each neighbour pair (j, j + 1).
        let at_pair: Vec<usize> = v
            .windows(2)
            .map(|ab| {
                let (a, b) = (&ab[0], &ab[1]);
                let k = key(T_PAIR_TYPE, a.lower, b.lower, 0);
                let next = cache.pair_has.len();
                let pair = *cache.pairs.entry(k).or_insert(next as u32) as usize;
                if pair == next {
                    cache.pair_rows.resize((next + 1) * 2 * l, 0.0);
                    let mut has = [false; 2];
                    for (r, d) in [1isize, -1].into_iter().enumerate() {
                        if let Some(w) = model.weights(key(at(T_PAIR, d), a.lower, b.lower, 0)) {
                            let row = (next * 2 + r) * l;
                            cache.pair_rows[row..row + l].copy_from_slice(w);
                            has[r] = true;
                        }
                    }
                    cache.pair_has.push(has);
                }
                pair
            })
            .collect();
        let mut bias = vec![0f32; l];
        model.add(key(T_BIAS, 0, 0, 0), &mut bias);
        let mut edges = vec![0f32; 5 * l];
        for (d, e) in (-2isize..=2).zip(edges.chunks_mut(l)) {
            model.add(key(at(T_EDGE, d), 0, 0, 0), e);
        }
        // A capitalisation feature, from its slot when it has one.
        let caps = |template: u64, a: u64, b: u64, c: u64, state: &mut [f32]| match caps_slot(
            template, a, b, c,
        ) {
            Some(slot) => {
                if cache.caps_has[slot] {
                    model::add_to(state, &cache.caps_rows[slot * l..(slot + 1) * l]);
                }
            }
            None => model.add(key(template, a, b, c), state),
        };
        // One of a pair's two rows (0: `(0,+1)`, 1: `(−1,0)`).
        let pair_row = |pair: usize, r: usize, state: &mut [f32]| {
            if cache.pair_has[pair][r] {
                let row = (pair * 2 + r) * l;
                model::add_to(state, &cache.pair_rows[row..row + l]);
            }
        };
        for (i, state) in out.chunks_mut(l).enumerate() {
            state.copy_from_slice(&bias);
            for (k, d) in (-2isize..=2).enumerate() {
                let j = i as isize + d;
                let w = if (0..n as isize).contains(&j) {
                    let off = at_type[j as usize] + k * l;
                    &cache.sums[off..off + l]
                } else {
                    &edges[k * l..(k + 1) * l]
                };
                model::add_to(state, w);
            }
            // The features of `context_keys`, in its order.
            let me = &v[i];
            if me.line_start {
                caps(T_LINE_START, me.cap, 0, 0, state);
            }
            if headline {
                caps(T_HEADLINE, me.cap, 0, 0, state);
            }
            if i > 0 {
                pair_row(at_pair[i - 1], 1, state);
            }
            if i + 1 < n {
                pair_row(at_pair[i], 0, state);
            }
            let prev = i.checked_sub(1).map_or(0, |p| v[p].cap);
            let next = v.get(i + 1).map_or(0, |q| q.cap);
            caps(T_CAPS3, prev, me.cap, next, state);
        }
    });
    out
}

/// Company byte ranges of a BIO label sequence over `words`.
pub fn spans_of(words: &[Word], labels: &[&str]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open = false;
    for (w, &l) in words.iter().zip(labels) {
        match l {
            I_COMPANY if open => {
                if let Some(last) = out.last_mut() {
                    last.1 = w.end;
                }
            }
            B_COMPANY | I_COMPANY => {
                out.push((w.start, w.end));
                open = true;
            }
            _ => open = false,
        }
    }
    out
}

/// BIO labels of `words` for company byte ranges `spans` (which start and
/// end on word boundaries).
pub fn labels_of(words: &[Word], spans: &[(usize, usize)]) -> Vec<&'static str> {
    let mut out = vec![OUTSIDE; words.len()];
    for &(s, e) in spans {
        for (k, w) in words.iter().enumerate() {
            if w.start >= s && w.end <= e {
                out[k] = if w.start == s { B_COMPANY } else { I_COMPANY };
            }
        }
    }
    out
}

impl CompanyExtractor {
    /// The English model's input for one paragraph, as training sees it: its
    /// sentences with features over the gazetteer and rule spans (none for a
    /// paragraph with Japanese).
    pub fn english_sentences(&self, text: &str, deal_context: bool) -> Vec<Sentence> {
        if text.chars().any(is_japanese) {
            return Vec::new();
        }
        let (mut taken, _, _) = self.rule_spans(text, &[], deal_context);
        taken.sort_by_key(|t| t.start);
        self.english.sentences(text, &taken)
    }

    /// The English model's own company spans in `text` (before any filter).
    pub fn english_model_spans(&self, text: &str, deal_context: bool) -> Vec<(usize, usize)> {
        let Some(model) = self.english.model.as_ref() else {
            return Vec::new();
        };
        self.english_sentences(text, deal_context)
            .iter()
            .flat_map(|s| spans_of(&s.words, &model.labels_of_features(&s.features)))
            .collect()
    }

    /// `english_model`: tags an English paragraph and joins the model's spans
    /// to `taken` (sorted by start, and kept so) as the [`Mode`] says.
    pub(super) fn english_names(&self, text: &str, taken: &mut Vec<Span>) {
        let (Some(model), mode) = self.english.model() else {
            return;
        };
        if mode == Mode::Off || text.chars().any(is_japanese) {
            return;
        }
        let mut spans = Vec::new();
        for (words, labels, marginals) in self.english.tag(model, text, taken) {
            for (a, b) in spans_of(&words, &labels) {
                if let Some(p) = &marginals {
                    let inside: Vec<f32> = words
                        .iter()
                        .zip(p)
                        .filter(|(w, _)| w.start >= a && w.end <= b)
                        .map(|(_, &p)| p)
                        .collect();
                    let mean = inside.iter().sum::<f32>() / inside.len().max(1) as f32;
                    if mean < self.english.min_confidence {
                        continue;
                    }
                }
                if let Some(span) = self.english_candidate(text, a, b) {
                    spans.push(span);
                }
            }
        }
        // Places, trademarks and products are no companies, whichever source named them.
        let no_company = |s: usize, e: usize| {
            self.english_place(text, s, e) || trademark(text, e) || self.product(text, s, e)
        };
        spans.retain(|s| !no_company(s.start, s.end));
        taken.retain(|t| known(t) || !no_company(t.start, t.end));
        let overlaps =
            |t: &Span, spans: &[Span]| spans.iter().any(|s| s.start < t.end && t.start < s.end);
        match mode {
            // An acronym that is a name's initials (`english_bracket`) stays too.
            Mode::Replace => taken.retain(|t| {
                matches!(&t.kind, EntityKind::Company { rule, .. }
                    if rule_family(rule) == 0 || rule == "english_bracket")
                    || !matches!(t.kind, EntityKind::Company { .. })
                    || overlaps(t, &spans)
            }),
            Mode::Only => taken.retain(|t| overlaps(t, &spans)),
            _ => {}
        }
        if mode != Mode::Source {
            // A model name around known names (`Dentsu Public Relations` around
            // `Dentsu`) is a company of its own: it replaces them.
            for s in &spans {
                let hit = overlapping_spans(taken, s.start, s.end);
                // Strictly inside, and joined by a space, not a hyphen (`Tata
                // Steel-would`) or a possessive (`Qualcomm’s Integrated …`).
                let inside = |t: &Span| {
                    s.start <= t.start
                        && t.end <= s.end
                        && (t.start, t.end) != (s.start, s.end)
                        && (t.start == s.start || text[..t.start].ends_with(' '))
                        && (t.end == s.end || text[t.end..].starts_with(' '))
                };
                let possessive = ["'s ", "’s "]
                    .iter()
                    .any(|p| text[s.start..s.end].contains(p));
                if !hit.is_empty()
                    && !possessive
                    && taken[hit.clone()].iter().all(|t| inside(t) && known(t))
                {
                    taken.drain(hit);
                }
            }
        }
        let added: Vec<Span> = spans.into_iter().filter(|s| !overlaps(s, taken)).collect();
        merge_sorted(taken, added);
    }

    /// Whether `text[s..e]` is a place by its words or context: it ends with
    /// a place's word (`Heilongjiang Province`: `en_place_ending`), a lowercase
    /// place noun follows it (`Kandal province`), follows it after `, a`
    /// (`Oshu, a city in Iwate`) or precedes it with `of` (`the town of
    /// Nitra`: `en_place_noun`), or it stands, in capitals, among the places
    /// of a dateline (`DALLAS and NEW YORK, April 13, 2011`), or is the
    /// dateline's wire (`TOKYO, Dec 27, 2017 - (JCN Newswire) -`: a credit,
    /// never a party).
    fn english_place(&self, text: &str, s: usize, e: usize) -> bool {
        let surface = &text[s..e];
        if surface
            .rsplit(' ')
            .next()
            .is_some_and(|w| surface.contains(' ') && self.en_place_ending.contains(w))
        {
            return true;
        }
        let noun = |w: &str| self.en_place_noun.contains(w);
        let first_word = |t: &str| -> Option<String> {
            let w: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
            let rest = &t[w.len()..];
            (!w.is_empty() && !rest.starts_with(['-', '\'', '’'])).then_some(w)
        };
        let after = &text[e..];
        if let Some(w) = after.strip_prefix(' ').and_then(first_word) {
            if noun(&w) {
                return true;
            }
        }
        if let Some(rest) = after
            .strip_prefix(", a ")
            .or_else(|| after.strip_prefix(", an "))
        {
            let mut words = rest.split(' ');
            let near = words.next().and_then(first_word);
            let next = words.next().and_then(first_word);
            if near.as_deref().is_some_and(noun) || next.as_deref().is_some_and(noun) {
                return true;
            }
        }
        if let Some(before) = text[..s].strip_suffix(" of ") {
            let w: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if noun(&w) {
                return true;
            }
        }
        let line = text[..s].rfind('\n').map_or(0, |i| i + 1);
        let Some(c) = self.dateline.captures(&text[line..]) else {
            return false;
        };
        let within = |g: usize| {
            c.get(g)
                .is_some_and(|m| line + m.start() <= s && e <= line + m.end())
        };
        (within(1) && !surface.chars().any(char::is_lowercase)) || (2..=5).any(within)
    }

    /// The company a model span `a..b` stands for, after cutting leading stop
    /// words, places in the possessive and descriptors, or `None` (no capital,
    /// an acronym alone in brackets or defined by the lower-case words before
    /// it, unbalanced brackets, a stop word, or a name
    /// [`CompanyExtractor::acceptable`] rejects).
    fn english_candidate(&self, text: &str, a: usize, b: usize) -> Option<Span> {
        let (s, surface) = trim_english_stop(
            text,
            a,
            b,
            &self.en_stop,
            &self.en_possessive,
            &self.en_descriptor,
        );
        // `China Railway Material`, `India Cements`: a country's name that
        // opens the model's name is part of it.
        let (s, surface) = match text[a..s].strip_suffix(' ') {
            Some(w) if w.len() > 3 && !w.contains(' ') && self.countries.contains_key(w) => {
                (a, &text[a..b])
            }
            _ => (s, surface),
        };
        let (s, surface) = self.after_section_word(s, surface);
        let mut surface = surface.trim_end_matches([',', ' ']);
        // `Company Name: Halvorn Corporation Securities Code: 9999` (an
        // English disclosure's header): a field's label before its colon ends
        // no name.
        if text[s + surface.len()..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':')
        {
            let label = self
                .en_field_labels
                .iter()
                .filter_map(|l| surface.strip_suffix(l.as_str()))
                .filter(|rest| rest.is_empty() || rest.ends_with(' '))
                .min_by_key(|rest| rest.len());
            if let Some(rest) = label {
                surface = rest.trim_end_matches([',', ' ']);
                if surface.is_empty() {
                    return None;
                }
            }
        }
        // `Mubadala MUDEV.UL`, `New Amcor NYSE` (shares): a ticker's code or
        // venue ends no name; nor does a title or a title's first word
        // (`Tata Steel Managing` Director …), nor a title-case headline's
        // verb (`Exxon, Mobil Merge to Create …`).
        while let Some((rest, last)) = surface.rsplit_once(' ') {
            let after: String = text[s + surface.len()..]
                .chars()
                .take(24)
                .collect::<String>()
                .to_lowercase();
            let last_lower = last.to_lowercase();
            let title = self.en_title.iter().any(|t| {
                *t == last_lower
                    || t.strip_prefix(last_lower.as_str())
                        .and_then(|r| r.strip_prefix(' '))
                        .is_some_and(|r| after.strip_prefix(' ').is_some_and(|a| a.starts_with(r)))
            });
            if !(title
                || self.en_exchange.contains(last)
                || (self.en_headline_verb.contains(last)
                    && headline_goes_on(&text[s + surface.len()..]))
                || is_exchange_code(last))
            {
                break;
            }
            surface = rest.trim_end_matches([',', ' ']);
        }
        let e = s + surface.len();
        let name = self.bare_name(surface);
        let capital = surface
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
            || surface.chars().any(char::is_uppercase);
        // `(CCS)`, `(SBUX)`: an acronym or ticker alone in brackets is a term or
        // a ticker; a rule takes the acronyms that are a name's initials.
        // Quoted inside the brackets too (`("KCAC")`).
        let before = text[..s].trim_end_matches(['"', '“']);
        let after = text[e..].trim_start_matches(['"', '”']);
        let bracketed =
            before.ends_with('(') && after.starts_with([')', ',']) && !surface.contains(' ');
        let unbalanced = surface.matches('(').count() != surface.matches(')').count();
        if !capital
            || bracketed
            || defined_term(&text[..s], surface)
            || unbalanced
            || self.en_stop.contains(name)
            || self.is_place_name(surface)
            || self.bare_comma_form(surface)
            || !self.acceptable(name)
            || !self.acceptable(surface)
        {
            return None;
        }
        Some(self.span(s, e, surface, name, "english_model", None))
    }

    /// Whether `text[s..e]` names a product: it stands alone in quotes and a
    /// product noun follows (`the “Mecha Comic” service`, `"Qora" app`:
    /// `org_rules.tsv` role `en_product_noun`).
    fn product(&self, text: &str, s: usize, e: usize) -> bool {
        let open = text[..s].ends_with(['“', '"', '\'', '‘']);
        let quoted = text[e..]
            .strip_prefix(['”', '"', '\'', '’'])
            .is_some_and(|after| {
                let noun: String = after
                    .strip_prefix(' ')
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                open && self.en_product_noun.contains(noun.as_str())
            });
        quoted || self.owned_product(text, s, e)
    }

    /// Whether `text[s..e]` is a product a possessive owns: `its`, `their` or
    /// `our` before it (or before the name listed with it) and a product noun
    /// after it (`its CobaNova and CobaOral technology`).
    fn owned_product(&self, text: &str, s: usize, e: usize) -> bool {
        let listed = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        let before = text[..s].strip_suffix(' ').unwrap_or("");
        let before = match before.rsplit_once(' ') {
            Some((rest, "and" | "or")) => match rest.rsplit_once(' ') {
                Some((rest, w)) if listed(w) => rest,
                _ => before,
            },
            _ => before,
        };
        let owner = before.rsplit(' ').next().unwrap_or("");
        if !matches!(owner, "its" | "their" | "our") {
            return false;
        }
        let mut words = text[e..].split(' ').skip(1);
        let mut next = words.next().unwrap_or("");
        if matches!(next, "and" | "or") && words.next().is_some_and(listed) {
            next = words.next().unwrap_or("");
        }
        let noun: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        self.en_product_noun.contains(noun.as_str())
    }
}

/// Whether `acronym` is defined in the text before it, after `or`, as the
/// initials of lower-case words (`hybrid vehicle or HV`, `solid oxide fuel
/// cell, or "SOFC"`): a term, not a company (an acronym alone in brackets,
/// `fuel cell vehicles (FCVs)`, is dropped whatever precedes it). Only the
/// model's names are read so: an acronym the gazetteer knows (`LG`, `GE`)
/// stays a company whatever precedes it.
fn defined_term(before: &str, acronym: &str) -> bool {
    let letters = acronym.strip_suffix('s').unwrap_or(acronym);
    if !(2..=6).contains(&letters.len()) || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let before = before.trim_end_matches(['"', '“', ' ']);
    let Some(head) = before.strip_suffix(" or") else {
        return false;
    };
    let head = head.trim_end_matches([',', ' ']);
    // `plug-in hybrid vehicle (PHV)` or `fuel-cell vehicle (FCV)`: a
    // hyphenated word gives one initial or one per part.
    let initials = |hyphen_splits: bool| {
        let words: Vec<&str> = head
            .split(|c: char| c == ' ' || hyphen_splits && c == '-')
            .filter(|w| !w.is_empty())
            .collect();
        let n = letters.len();
        words.len() >= n
            && words[words.len() - n..]
                .iter()
                .zip(letters.chars())
                .all(|(w, l)| {
                    w.starts_with(l.to_ascii_lowercase())
                        && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                })
    };
    initials(false) || initials(true)
}

/// Whether a name ending at `e` is a product's: a registered-trademark or
/// trademark sign follows it (`NYDA®`, `Vexa(R)`, `Vexa(TM)`).
fn trademark(text: &str, e: usize) -> bool {
    let after = &text[e..];
    after.starts_with(['®', '™', '℠']) || after.starts_with("(R)") || after.starts_with("(TM)")
}

/// Whether `after` (the text after a name) goes on as a headline does after
/// its verb (`Merge to Create`, `Agree in Principle`, `Signs Supply Pact`): a
/// preposition, a capitalised word, a colon or the line's end. A name in
/// prose goes on otherwise (`Gazprom Invest said …`).
fn headline_goes_on(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(' ') else {
        return after.is_empty() || after.starts_with(['\n', ':', ',']);
    };
    rest.starts_with(char::is_uppercase)
        || [
            "to ", "in ", "on ", "with ", "for ", "over ", "after ", "amid ", "as ",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// Whether a word is an exchange's code of a security (Reuters style:
/// `MUDEV.UL`, `7203.T`, `0700.HK`): two to six capitals or digits, a dot,
/// one or two capitals.
fn is_exchange_code(word: &str) -> bool {
    let Some((code, venue)) = word.split_once('.') else {
        return false;
    };
    (2..=6).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && (1..=2).contains(&venue.len())
        && venue.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The company extractor with the bundled lexicons and Japanese model.
    fn extractor() -> CompanyExtractor {
        let ja = CompanyModel::load(&model::ModelSource::Bundled).unwrap();
        CompanyExtractor::new(&Lexicons::bundled().unwrap(), ja).unwrap()
    }

    fn english() -> English {
        English::new(&Lexicons::bundled().unwrap(), None, Mode::Off)
    }

    fn texts<'a>(text: &'a str, words: &[Word]) -> Vec<&'a str> {
        words.iter().map(|w| &text[w.start..w.end]).collect()
    }

    #[test]
    fn words_keep_ampersands_abbreviations_and_possessives() {
        let e = english();
        let text = "Brindle AT&T Co., Ltd. and Fiore S.p.A. said Zeta-Kite's U.S. unit grew 4.5%.";
        let w = e.words(text);
        assert_eq!(
            texts(text, &w),
            [
                "Brindle",
                "AT&T",
                "Co.",
                ",",
                "Ltd.",
                "and",
                "Fiore",
                "S.p.A.",
                "said",
                "Zeta-Kite",
                "'s",
                "U.S.",
                "unit",
                "grew",
                "4.5",
                "%",
                "."
            ]
        );
    }

    #[test]
    fn sentences_end_at_periods_and_line_breaks() {
        let e = english();
        let text = "Quorvex Inc. bought Lumasta. Then it grew\nNew line here";
        let s = e.sentences(text, &[]);
        let lens: Vec<usize> = s.iter().map(|s| s.words.len()).collect();
        // `Inc.` keeps its period, so the first sentence ends at `Lumasta .`.
        assert_eq!(lens, [5, 3, 3]);
        for x in &s {
            assert_eq!(x.features.len(), x.words.len());
        }
    }

    #[test]
    fn features_see_rule_spans_and_capitals() {
        let e = english();
        let text = "Shares of Quorvex Holdings rose";
        let span = Span {
            start: 10,
            end: 26,
            kind: EntityKind::Company {
                name: "Quorvex Holdings".into(),
                name_ja: None,
                name_en: None,
                country: None,
                rule: "english_legal".into(),
            },
        };
        let with = e.sentences(text, std::slice::from_ref(&span));
        let without = e.sentences(text, &[]);
        assert_ne!(with[0].features.item(2), without[0].features.item(2));
        assert_eq!(with[0].features.item(0), without[0].features.item(0));
        let lower = e.sentences("shares of quorvex holdings rose", &[]);
        assert_ne!(lower[0].features.item(2), without[0].features.item(2));
    }

    #[test]
    fn bio_round_trip() {
        let e = english();
        let text = "Pelican Vale Ltd. and Orrin agreed";
        let w = e.words(text);
        let labels = labels_of(&w, &[(0, 17), (22, 27)]);
        assert_eq!(
            labels,
            [B_COMPANY, I_COMPANY, I_COMPANY, OUTSIDE, B_COMPANY, OUTSIDE]
        );
        assert_eq!(spans_of(&w, &labels), [(0, 17), (22, 27)]);
    }

    #[test]
    fn the_shipped_model_finds_an_invented_company_with_a_legal_form() {
        let mut x = extractor();
        let en = CompanyModel::from_bytes(BUNDLED_MODEL, "bundled").unwrap();
        assert!(en.attributes() > 1000);
        x.set_english(Some(en), DEFAULT_MODE);
        let text = "Quorvanta Biologics Ltd. said on Tuesday it had signed a supply \
                    agreement with a hospital group.";
        let spans = x.english_model_spans(text, true);
        let names: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert!(names.contains(&"Quorvanta Biologics Ltd."), "{names:?}");
        // Tagging is deterministic.
        assert_eq!(x.english_model_spans(text, true), spans);
    }

    #[test]
    fn places_datelines_and_wires_are_told_by_their_context() {
        let x = extractor();
        let place = |text: &str, name: &str| {
            let s = text.find(name).unwrap();
            x.english_place(text, s, s + name.len())
        };
        let text = "BRISTOL and LEEDS, March 3, 2025 /PRNewswire/ -- Harvel Biotech Inc. said";
        assert!(place(text, "BRISTOL"));
        assert!(place(text, "LEEDS"));
        assert!(place(text, "PRNewswire"));
        assert!(!place(text, "Harvel Biotech Inc."));
        let text = "Intro.\nOSAKA, Feb 9, 2024 - (Kyodo Wire) - Sanwa Kogyo will build it";
        assert!(place(text, "OSAKA"));
        assert!(place(text, "Kyodo Wire"));
        assert!(!place(text, "Sanwa Kogyo"));
        let text = "TOKYO & BOULDER, Colo. & MUNICH--(BUSINESS WIRE)--Sep 17, 2025--Norvane KK \
                    and Peakline Robotics said";
        for name in ["TOKYO", "BOULDER", "MUNICH", "BUSINESS WIRE"] {
            assert!(place(text, name), "{name}");
        }
        assert!(!place(text, "Peakline Robotics"));
        // A line of names in capitals with no date or wire is no dateline.
        assert!(!place("IBM (IBM) said on Monday", "IBM"));
        assert!(!place("IBM--(BUSINESS WIRE) said", "IBM"));
        let text = "a plant in Tosu, a city in Saga, one in the town of Marlow, \
                    officials of Hubei Province and the Gansu province government";
        for name in ["Tosu", "Marlow", "Hubei Province", "Gansu"] {
            assert!(place(text, name), "{name}");
        }
        // `state-owned`, `City` in a name and `of` after another noun say nothing.
        let text = "Korval state-owned bank, Dream City Holdings, shares of Korval";
        for name in ["Korval", "Dream City Holdings"] {
            assert!(!place(text, name), "{name}");
        }
        assert!(!place("the shares of Korval rose", "Korval"));
    }

    #[test]
    fn tickers_titles_sections_and_trademarks_bound_no_name() {
        let x = extractor();
        let candidate = |text: &str, name: &str| {
            let s = text.find(name).unwrap();
            x.english_candidate(text, s, s + name.len())
                .map(|span| text[span.start..span.end].to_string())
        };
        // (text, the model's span, the name it stands for)
        for (text, span, name) in [
            // A ticker's code or venue ends no name.
            (
                "It widened its pact with Qorvane MUDEV.UL, the fund.",
                "Qorvane MUDEV.UL",
                "Qorvane",
            ),
            (
                "holders get 5.1 New Brenlo NYSE shares each",
                "New Brenlo NYSE",
                "New Brenlo",
            ),
            // A page's section word starts no name, but may end one.
            (
                "Overseas Companies Norvik Shipping agreed.",
                "Overseas Companies Norvik Shipping",
                "Norvik Shipping",
            ),
            (
                "The Brenlo Companies agreed to buy it.",
                "Brenlo Companies",
                "Brenlo Companies",
            ),
            // A disclosure header's field label before its colon ends no name.
            (
                "Company Name: Halvorn Corporation Securities Code: 9999",
                "Halvorn Corporation Securities Code",
                "Halvorn Corporation",
            ),
            // A label without its colon, or only a word's ending, stays.
            (
                "Halvorn Securities Code will list it.",
                "Halvorn Securities Code",
                "Halvorn Securities Code",
            ),
            (
                "Scanlight Barcode: 4",
                "Scanlight Barcode",
                "Scanlight Barcode",
            ),
            // A title-case headline's verb ends no name.
            (
                "Norvale, Kestrel Dairy Merge to Create Regional Giant",
                "Kestrel Dairy Merge",
                "Kestrel Dairy",
            ),
            (
                "Tanaka Seiki and Hoshino Heavy Industries Agree in Principle",
                "Hoshino Heavy Industries Agree",
                "Hoshino Heavy Industries",
            ),
            // A title's first word ends no name; a name that only looks like one stays whole.
            (
                "said Halvorn Steel Managing Director Ravi Menon.",
                "Halvorn Steel Managing",
                "Halvorn Steel",
            ),
            (
                "Halvorn Steel Managing Partners said",
                "Halvorn Steel Managing Partners",
                "Halvorn Steel Managing Partners",
            ),
        ] {
            assert_eq!(candidate(text, span).as_deref(), Some(name), "{text}");
        }
        // The longest label goes (`Investor Contact`, not `Contact`).
        assert_eq!(
            candidate(
                "Halvorn Investor Contact: Jane Roe",
                "Halvorn Investor Contact"
            )
            .as_deref(),
            Some("Halvorn")
        );
        // A headline goes on after its verb; prose does not.
        assert!(headline_goes_on(" to Create Giant"));
        assert!(headline_goes_on(" Supply Pact"));
        assert!(headline_goes_on("\nTokyo, June 22"));
        assert!(!headline_goes_on(" said on Monday"));
        // An acronym alone in brackets, quoted or not, is a term's or a
        // ticker's (a rule keeps those that are a company's initials).
        for (text, acronym) in [
            ("the Lake City Works Committee (\"LCWC\") said", "LCWC"),
            ("carbon capture (CCS) plans", "CCS"),
            // Initials of the lower-case words before `or` define a term.
            ("its first plug-in hybrid vehicle or PHV in 2012", "PHV"),
            ("a solid oxide fuel cell, or SOFC, by 2027", "SOFC"),
            ("a solid oxide fuel cell, or \"SOFC\", by 2027", "SOFC"),
        ] {
            assert_eq!(candidate(text, acronym), None, "{text}");
        }
        // Capitalised words or other initials define no term.
        for (text, acronym) in [
            ("Qentro Vexa Holdings or QVH agreed", "QVH"),
            ("with a partner or QVH in 2024", "QVH"),
        ] {
            assert_eq!(candidate(text, acronym).as_deref(), Some(acronym), "{text}");
        }
        assert!(defined_term("electric vehicles or", "EVs"));
        assert!(defined_term("a fuel-cell vehicle or", "FCV"));
        assert!(!defined_term("electric vehicles and", "EV"));
        assert!(is_exchange_code("7203.T") && is_exchange_code("0700.HK"));
        assert!(!is_exchange_code("S.A.") && !is_exchange_code("Co.Ltd"));
        // A quoted name before a product noun is a product's.
        let text = "Qentro, which runs the “Lumi Reader” service, agreed.";
        let s = text.find("Lumi Reader").unwrap();
        assert!(x.product(text, s, s + "Lumi Reader".len()));
        let text = "It signed with “Lumi Reader” on Monday.";
        let s = text.find("Lumi Reader").unwrap();
        assert!(!x.product(text, s, s + "Lumi Reader".len()));
        // A name a possessive owns, before a product noun, is a product's.
        let text = "The company will exploit its VexaCyte and VexaOral technology for delivery.";
        for name in ["VexaCyte", "VexaOral"] {
            let s = text.find(name).unwrap();
            assert!(x.product(text, s, s + name.len()), "{name}");
        }
        let text = "Qentro said its partner Vexa Labs will build the platform.";
        let s = text.find("Vexa Labs").unwrap();
        assert!(!x.product(text, s, s + "Vexa Labs".len()));
        assert!(trademark("its Vexalor® spray", 11));
        assert!(trademark("Vexalor(TM) spray", 7));
        assert!(!trademark("Vexalor Inc.", 7));
    }

    #[test]
    fn cached_scores_equal_the_sum_of_the_features() {
        let model = CompanyModel::from_bytes(BUNDLED_MODEL, "bundled").unwrap();
        let e = English::new(&Lexicons::bundled().unwrap(), None, Mode::Off);
        let text = "Quorvanta Biologics Ltd. said on Tuesday that Quorvanta will buy \
                    Brindle AT&T Co. Quorvanta shares rose.\nQuorvanta Biologics Ltd. again";
        // Twice: the second pass reads every word type from the cache.
        for _ in 0..2 {
            let p = e.prepare(text, &[]);
            for r in &p.ranges {
                let v = &p.values[r.clone()];
                let fast = scores(&model, v, p.headline);
                let s = e.sentence(&p.words[r.clone()], v, p.headline);
                let slow = model.scores_by_features(&s.features);
                assert_eq!(fast.len(), slow.len());
                for (a, b) in fast.iter().zip(&slow) {
                    assert!((a - b).abs() < 1e-4, "{a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn odd_text_does_not_panic() {
        let e = english();
        for t in [
            "", "'", "'s", "a.", "&&", "x'", "é'S", "..", "A.B.", "Co.", "—’s",
        ] {
            let s = e.sentences(t, &[]);
            for x in s {
                assert_eq!(x.features.len(), x.words.len());
            }
        }
    }
}
