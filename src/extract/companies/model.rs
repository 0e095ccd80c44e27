//! Candidate source `model`: a linear-chain CRF (CRFsuite format, trained and
//! run with the `crfs` crate) that tags lindera tokens of Japanese text with
//! BIO labels: `B-C`/`I-C` for a company (the corpus' 法人名), `B-G`/`I-G` for
//! other organisations (政治的組織名, その他の組織名), `O` for the rest.
//!
//! It finds company names that no gazetteer row or rule knows (unlisted
//! subsidiaries, foreign names in katakana, Chinese names in kanji), with the
//! legal form when it is written (`株式会社さくら精工`). It never decides alone:
//! its spans go through the same filter as every other source. It never runs
//! on text without Japanese (there are no tokens there).
//!
//! Features of token *i* ([`features`]): surfaces and coarse part of speech
//! of tokens *i−2…i+2*, character types and their changes, first and last
//! characters, gazetteer cover, and the marks of `dictionaries/org_rules.tsv`
//! and `countries.tsv` (legal form, company-type ending, non-company ending,
//! one-character country prefix). The same function feeds training
//! (`kiji train`, [`crate::train`]) and tagging, so the two cannot drift apart.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crfs::Attribute;
use fnv::FnvHashSet;

use crate::error::{KijiError, Result};
use crate::lexicon::Lexicons;
use crate::tokenize::{PosClass, Token, POS_TAGS};

/// The model shipped with kiji (`dictionaries/companies.crfsuite`).
pub const BUNDLED_MODEL: &[u8] = include_bytes!("../../../dictionaries/companies.crfsuite");

/// Label of the first token of a company.
pub const B_COMPANY: &str = "B-C";
/// Label of a following token of a company.
pub const I_COMPANY: &str = "I-C";
/// Label of the first token of another organisation.
pub const B_OTHER_ORG: &str = "B-G";
/// Label of a following token of another organisation.
pub const I_OTHER_ORG: &str = "I-G";
/// Label of every other token.
pub const OUTSIDE: &str = "O";

self_cell::self_cell!(
    /// The model bytes and the `crfs` model that reads them in place.
    struct ModelCell {
        owner: Vec<u8>,
        #[covariant]
        dependent: Model,
    }
    impl {Debug}
);

/// `crfs::Model` under a name `self_cell` can take.
type Model<'a> = crfs::Model<'a>;

/// A loaded company tagger.
#[derive(Debug)]
pub struct CompanyModel {
    cell: ModelCell,
    /// Where it came from, for messages.
    origin: String,
}

/// Which model file to load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ModelSource {
    /// The model compiled into kiji, unless `KIJI_COMPANY_MODEL` names a file.
    #[default]
    Default,
    /// The model compiled into kiji.
    Bundled,
    /// A model file (`kiji train --out FILE`).
    File(PathBuf),
}

impl ModelSource {
    /// `File($KIJI_COMPANY_MODEL)` when that variable is set, else `Bundled`.
    pub fn resolve(&self) -> ModelSource {
        match self {
            ModelSource::Default => match std::env::var_os("KIJI_COMPANY_MODEL") {
                Some(p) if !p.is_empty() => ModelSource::File(PathBuf::from(p)),
                _ => ModelSource::Bundled,
            },
            other => other.clone(),
        }
    }
}

fn model_error(origin: &str, message: impl std::fmt::Display) -> KijiError {
    KijiError::Model {
        origin: origin.to_string(),
        message: message.to_string(),
    }
}

impl CompanyModel {
    /// Loads the model named by `source`.
    pub fn load(source: &ModelSource) -> Result<Self> {
        match source.resolve() {
            ModelSource::File(path) => Self::from_file(&path),
            _ => Self::from_bytes(
                BUNDLED_MODEL.to_vec(),
                "bundled dictionaries/companies.crfsuite",
            ),
        }
    }

    /// Loads a model file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| model_error(&origin, e))?;
        Self::from_bytes(bytes, &origin)
    }

    /// Reads a model from its bytes; `origin` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, origin: &str) -> Result<Self> {
        // crfs indexes the buffer by the offsets the header gives: a damaged
        // file can make it panic, which is reported as a bad model here.
        let checked = std::panic::catch_unwind(move || -> std::io::Result<ModelCell> {
            let cell = ModelCell::try_new(bytes, |b| crfs::Model::new(b))?;
            let m = cell.borrow_dependent();
            for label in [B_COMPANY, I_COMPANY, OUTSIDE] {
                if m.to_label_id(label).is_none() {
                    return Err(std::io::Error::other(format!("label {label} missing")));
                }
            }
            // Touch every attribute and feature once: a truncated file fails now, not later.
            let tagger = m.tagger()?;
            let probe = vec![vec![Attribute::new("bias", 1.0)]; 2];
            tagger.tag(&probe)?;
            for aid in 0..m.num_attrs() {
                if m.to_attr(aid).is_none() {
                    return Err(std::io::Error::other(format!("attribute {aid} unreadable")));
                }
            }
            Ok(cell)
        });
        let cell = match checked {
            Ok(Ok(cell)) => cell,
            Ok(Err(e)) => return Err(model_error(origin, e)),
            Err(_) => return Err(model_error(origin, "damaged model file")),
        };
        Ok(CompanyModel {
            cell,
            origin: origin.to_string(),
        })
    }

    /// Where the model came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Size of the model in bytes.
    pub fn size(&self) -> usize {
        self.cell.borrow_owner().len()
    }

    /// Tags `tokens` of `text`; returns the byte ranges labelled as companies.
    pub fn companies(
        &self,
        text: &str,
        tokens: &[Token],
        marks: &[Marks],
    ) -> Result<Vec<(usize, usize)>> {
        if tokens.is_empty() {
            return Ok(Vec::new());
        }
        let mut xseq = Vec::with_capacity(tokens.len());
        features(text, tokens, marks, &mut xseq);
        let m = self.cell.borrow_dependent();
        let tagger = m.tagger().map_err(|e| model_error(&self.origin, e))?;
        let labels = tagger
            .tag(&xseq)
            .map_err(|e| model_error(&self.origin, e))?;
        Ok(spans_of(tokens, &labels))
    }
}

/// Company byte ranges of a BIO label sequence (`I-C` after anything but a
/// company label starts a company too).
pub fn spans_of(tokens: &[Token], labels: &[&str]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open = false;
    for (t, &l) in tokens.iter().zip(labels) {
        match l {
            B_COMPANY => {
                out.push((t.start, t.end));
                open = true;
            }
            I_COMPANY if open => {
                if let Some(last) = out.last_mut() {
                    last.1 = t.end;
                }
            }
            I_COMPANY => {
                out.push((t.start, t.end));
                open = true;
            }
            _ => open = false,
        }
    }
    out
}

/// What the lexicons say of one token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// 1: the token starts a gazetteer name; 2: it is inside one.
    pub gazetteer: u8,
    /// A legal form (株式会社, (株)).
    pub legal: bool,
    /// A company-type ending (銀行, 汽車, ホールディングス).
    pub suffix: bool,
    /// An ending of a non-company organisation (省, 大学).
    pub not_suffix: bool,
    /// A country name or one-character country prefix (米, 中国).
    pub country: bool,
}

/// The word sets behind [`Marks`].
#[derive(Debug, Clone, Default)]
pub struct MarkSets {
    legal: FnvHashSet<String>,
    suffix: FnvHashSet<String>,
    not_suffix: FnvHashSet<String>,
    country: FnvHashSet<String>,
}

impl MarkSets {
    /// Collects the sets from the lexicons.
    pub fn new(lex: &Lexicons) -> Self {
        let set = |v: &[String]| v.iter().cloned().collect::<FnvHashSet<String>>();
        MarkSets {
            legal: set(&lex.org.legal),
            suffix: set(&lex.org.suffix),
            not_suffix: set(&lex.org.not_suffix),
            country: lex.countries.keys().cloned().collect(),
        }
    }

    /// The marks of every token; `gazetteer` holds the byte ranges of
    /// gazetteer names found in `text`, sorted by start.
    pub fn marks(&self, text: &str, tokens: &[Token], gazetteer: &[(usize, usize)]) -> Vec<Marks> {
        let mut g = 0;
        tokens
            .iter()
            .map(|t| {
                let w = &text[t.start..t.end];
                while g < gazetteer.len() && gazetteer[g].1 <= t.start {
                    g += 1;
                }
                let gaz = match gazetteer.get(g) {
                    Some(&(s, e)) if s == t.start && t.end <= e => 1,
                    Some(&(s, e)) if s < t.start && t.end <= e => 2,
                    _ => 0,
                };
                Marks {
                    gazetteer: gaz,
                    legal: self.legal.contains(w),
                    suffix: self.suffix.contains(w),
                    not_suffix: self.not_suffix.contains(w),
                    country: self.country.contains(w),
                }
            })
            .collect()
    }
}

/// Character type: K kanji, H hiragana, T katakana, A Latin, D digit, S other.
fn char_type(c: char) -> char {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' => 'K',
        '\u{3041}'..='\u{309F}' => 'H',
        '\u{30A1}'..='\u{30FA}' | 'ー' | 'ヽ' | 'ヾ' => 'T',
        'A'..='Z' | 'a'..='z' => 'A',
        '0'..='9' => 'D',
        _ => 'S',
    }
}

/// The character types of a word, runs collapsed, at most four (`カ社` → `TK`).
fn word_type(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars().map(char_type) {
        if !out.ends_with(c) {
            if out.len() == 4 {
                break;
            }
            out.push(c);
        }
    }
    out
}

fn pos_name(p: PosClass) -> &'static str {
    match p {
        PosClass::Organization => "org",
        PosClass::Person => "per",
        PosClass::Place => "loc",
        PosClass::ProperNoun => "prop",
        PosClass::Noun => "n",
        PosClass::Verb => "v",
        PosClass::Particle => "p",
        PosClass::Auxiliary => "aux",
        PosClass::Symbol => "sym",
        PosClass::Unknown => "unk",
        PosClass::Other => "x",
    }
}

/// Longest surface used as a feature, in characters (longer ones are cut).
const MAX_SURFACE: usize = 16;

fn surface(w: &str) -> &str {
    match w.char_indices().nth(MAX_SURFACE) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

fn marks_code(m: &Marks) -> String {
    let mut s = String::new();
    s.push(match m.gazetteer {
        1 => 'B',
        2 => 'I',
        _ => '-',
    });
    for (on, c) in [
        (m.legal, 'L'),
        (m.suffix, 'S'),
        (m.not_suffix, 'N'),
        (m.country, 'C'),
    ] {
        s.push(if on { c } else { '-' });
    }
    s
}

/// The attributes of every token (one `Vec` per token, appended to `out`).
pub fn features(text: &str, tokens: &[Token], marks: &[Marks], out: &mut Vec<Vec<Attribute>>) {
    let n = tokens.len();
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| surface(&text[t.start..t.end]))
        .collect();
    let types: Vec<String> = words.iter().map(|w| word_type(w)).collect();
    let poss: Vec<&str> = tokens.iter().map(|t| pos_name(t.pos)).collect();
    let tags: Vec<&str> = tokens
        .iter()
        .map(|t| POS_TAGS.get(t.tag as usize).copied().unwrap_or("other"))
        .collect();
    let codes: Vec<String> = marks.iter().map(marks_code).collect();
    let at = |i: usize, d: isize| -> Option<usize> {
        let j = i as isize + d;
        (0..n as isize).contains(&j).then_some(j as usize)
    };
    let mut buf = String::new();
    for i in 0..n {
        let mut attrs: Vec<Attribute> = Vec::with_capacity(32);
        let mut add = |attrs: &mut Vec<Attribute>, args: std::fmt::Arguments| {
            buf.clear();
            let _ = buf.write_fmt(args);
            attrs.push(Attribute::new(buf.as_str(), 1.0));
        };
        add(&mut attrs, format_args!("bias"));
        for d in -2isize..=2 {
            match at(i, d) {
                Some(j) => {
                    add(&mut attrs, format_args!("w[{d}]={}", words[j]));
                    add(&mut attrs, format_args!("p[{d}]={}", poss[j]));
                    add(&mut attrs, format_args!("q[{d}]={}", tags[j]));
                    add(&mut attrs, format_args!("t[{d}]={}", types[j]));
                }
                None => add(&mut attrs, format_args!("w[{d}]=<edge>")),
            }
        }
        for d in -1isize..=1 {
            if let Some(j) = at(i, d) {
                add(&mut attrs, format_args!("m[{d}]={}", codes[j]));
            }
        }
        if let Some(j) = at(i, -1) {
            add(
                &mut attrs,
                format_args!("w[-1]|w[0]={}|{}", words[j], words[i]),
            );
            add(
                &mut attrs,
                format_args!("p[-1]|p[0]={}|{}", poss[j], poss[i]),
            );
            add(
                &mut attrs,
                format_args!("t[-1]|t[0]={}|{}", types[j], types[i]),
            );
        }
        if let Some(j) = at(i, 1) {
            add(
                &mut attrs,
                format_args!("w[0]|w[1]={}|{}", words[i], words[j]),
            );
            add(
                &mut attrs,
                format_args!("p[0]|p[1]={}|{}", poss[i], poss[j]),
            );
            add(
                &mut attrs,
                format_args!("t[0]|t[1]={}|{}", types[i], types[j]),
            );
            if let Some(k) = at(i, 2) {
                // Cue phrases after a name: と提携, を買収, の子会社.
                add(
                    &mut attrs,
                    format_args!("w[1]|w[2]={}|{}", words[j], words[k]),
                );
            }
        }
        if let Some(k) = at(i, -2) {
            add(
                &mut attrs,
                format_args!("w[-2]|w[-1]={}|{}", words[k], words[i - 1]),
            );
        }
        let w = words[i];
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            add(&mut attrs, format_args!("first={first}"));
        }
        if let Some(last) = w.chars().next_back() {
            add(&mut attrs, format_args!("last={last}"));
        }
        let n_chars = w.chars().count();
        if n_chars > 2 {
            let cut = w.char_indices().nth(2).map_or(w.len(), |(i, _)| i);
            add(&mut attrs, format_args!("prefix2={}", &w[..cut]));
            let from = w.char_indices().nth(n_chars - 2).map_or(0, |(i, _)| i);
            add(&mut attrs, format_args!("suffix2={}", &w[from..]));
        }
        for d in [-3isize, 3] {
            if let Some(j) = at(i, d) {
                add(&mut attrs, format_args!("w[{d}]={}", words[j]));
            }
        }
        let len = n_chars.min(6);
        add(&mut attrs, format_args!("len={len}"));
        out.push(attrs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(start: usize, end: usize) -> Token {
        Token {
            start,
            end,
            pos: PosClass::Noun,
            tag: 0,
        }
    }

    #[test]
    fn bio_labels_become_spans() {
        let tokens = [tok(0, 3), tok(3, 6), tok(6, 9), tok(9, 12), tok(12, 15)];
        let labels = [B_COMPANY, I_COMPANY, OUTSIDE, I_COMPANY, B_COMPANY];
        assert_eq!(spans_of(&tokens, &labels), vec![(0, 6), (9, 12), (12, 15)]);
    }

    #[test]
    fn word_types_collapse_runs() {
        assert_eq!(word_type("サクラ精工"), "TK");
        assert_eq!(word_type("ABC123"), "AD");
        assert_eq!(word_type("株式会社"), "K");
    }

    #[test]
    fn bundled_model_loads() {
        let m = CompanyModel::load(&ModelSource::Bundled).unwrap();
        assert!(m.size() > 1000);
    }

    #[test]
    fn corrupt_model_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.crfsuite");
        std::fs::write(&path, b"lCRF not a model").unwrap();
        let err = CompanyModel::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("broken.crfsuite"), "{err}");
        assert!(err.contains("kiji train"), "{err}");
        let missing = CompanyModel::from_file(&dir.path().join("none.crfsuite"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("none.crfsuite"), "{missing}");
    }
}
