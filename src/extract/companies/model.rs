//! Candidate source `model`: a linear-chain CRF (trained with the `crfs`
//! crate, a port of CRFsuite; see [`crate::train`]) that tags lindera tokens of Japanese text with
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
//!
//! Features are 64-bit hashes of (template, values), computed without building
//! strings; training gives them to `crfs` as hex names, and `kiji train`
//! exports the trained weights into kiji's own file (`dictionaries/companies.crf`),
//! which tagging reads into one hash map: no string is built or looked up per
//! feature (CRFsuite's string lookups made the pipeline four times slower).
//! Tagging sums the weights of a token type's own features once per thread
//! (a cache keyed by surface, tag and marks), so a token costs one cache hit
//! and the lookups of its eight neighbour-pair features.
//!
//! File format (little-endian): `KIJICRF1`, `u32` label count *L*, each label
//! as `u8` length + UTF-8, *L*×*L* `f32` transition weights (from, to), `u32`
//! attribute count, then per attribute its `u64` hash and *L* `f32` weights.

use std::path::{Path, PathBuf};

use crate::error::{KijiError, Result};
use crate::lexicon::Lexicons;
use crate::tokenize::Token;

/// The model shipped with kiji (`dictionaries/companies.crf`).
pub const BUNDLED_MODEL: &[u8] = include_bytes!("../../../dictionaries/companies.crf");

/// First bytes of a model file.
pub const MAGIC: &[u8; 8] = b"KIJICRF1";

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

/// A loaded company tagger: label names, transition weights and the state
/// weights of every attribute hash.
#[derive(Debug)]
pub struct CompanyModel {
    labels: Vec<String>,
    /// Each label as one of the constants of this module (`OUTSIDE` for
    /// labels it does not know).
    kinds: Vec<&'static str>,
    /// `transitions[from * L + to]`.
    transitions: Vec<f32>,
    /// The same weights by destination: `into[to * L + from]` (Viterbi reads
    /// one label's incoming weights in a row).
    into: Vec<f32>,
    /// Attribute hash → offset of its `L` weights in `weights`.
    attributes: KeyMap<u32>,
    weights: Vec<f32>,
    bytes: usize,
    origin: String,
    /// This load's key in the per-thread type cache.
    id: u64,
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

/// Reads the parts of a model file, failing (never panicking) on short input.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!("truncated at byte {}", self.at));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> std::result::Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> std::result::Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> std::result::Result<u64, String> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn f32(&mut self) -> std::result::Result<f32, String> {
        let b = self.take(4)?;
        let w = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if w.is_finite() {
            Ok(w)
        } else {
            Err(format!("weight at byte {} is not finite", self.at - 4))
        }
    }
}

/// A model's contents, as `kiji train` writes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelData {
    /// Label names.
    pub labels: Vec<String>,
    /// Transition weights, `from * L + to`.
    pub transitions: Vec<f32>,
    /// Attribute hash and its `L` state weights.
    pub attributes: Vec<(u64, Vec<f32>)>,
}

impl ModelData {
    /// The file's bytes (format in the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend((self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            out.push(l.len() as u8);
            out.extend(l.as_bytes());
        }
        for w in &self.transitions {
            out.extend(w.to_le_bytes());
        }
        out.extend((self.attributes.len() as u32).to_le_bytes());
        for (h, ws) in &self.attributes {
            out.extend(h.to_le_bytes());
            for w in ws {
                out.extend(w.to_le_bytes());
            }
        }
        out
    }
}

impl CompanyModel {
    /// Loads the model named by `source`.
    pub fn load(source: &ModelSource) -> Result<Self> {
        match source.resolve() {
            ModelSource::File(path) => Self::from_file(&path),
            _ => Self::from_bytes(BUNDLED_MODEL, "bundled dictionaries/companies.crf"),
        }
    }

    /// Loads a model file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| model_error(&origin, e))?;
        Self::from_bytes(&bytes, &origin)
    }

    /// Reads a model from its bytes; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        Self::parse(bytes, origin).map_err(|m| model_error(origin, m))
    }

    fn parse(bytes: &[u8], origin: &str) -> std::result::Result<Self, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a kiji company model (bad magic)".into());
        }
        let n = r.u32()? as usize;
        if n == 0 || n > 64 {
            return Err(format!("{n} labels"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.u8()? as usize;
            let name = std::str::from_utf8(r.take(len)?).map_err(|e| e.to_string())?;
            labels.push(name.to_string());
        }
        let find = |l: &str| {
            labels
                .iter()
                .position(|x| x == l)
                .ok_or_else(|| format!("label {l} missing"))
        };
        find(B_COMPANY)?;
        find(I_COMPANY)?;
        find(OUTSIDE)?;
        let transitions: Vec<f32> = (0..n * n)
            .map(|_| r.f32())
            .collect::<std::result::Result<_, _>>()?;
        let count = r.u32()? as usize;
        // Each attribute takes 8 + 4n bytes: a count the file cannot hold is damage.
        if count.saturating_mul(8 + 4 * n) > bytes.len() {
            return Err(format!(
                "{count} attributes do not fit in {} bytes",
                bytes.len()
            ));
        }
        let mut attributes = KeyMap::default();
        attributes.reserve(count);
        let mut weights = Vec::with_capacity(count * n);
        for _ in 0..count {
            let h = r.u64()?;
            attributes.insert(h, weights.len() as u32);
            for _ in 0..n {
                weights.push(r.f32()?);
            }
        }
        if r.at != bytes.len() {
            return Err(format!(
                "{} bytes after the last attribute",
                bytes.len() - r.at
            ));
        }
        let known = [B_COMPANY, I_COMPANY, B_OTHER_ORG, I_OTHER_ORG];
        let kinds = labels
            .iter()
            .map(|l| known.into_iter().find(|k| k == l).unwrap_or(OUTSIDE))
            .collect();
        let l = labels.len();
        let into = (0..l * l)
            .map(|i| transitions[(i % l) * l + i / l])
            .collect();
        Ok(CompanyModel {
            labels,
            kinds,
            transitions,
            into,
            attributes,
            weights,
            bytes: bytes.len(),
            origin: origin.to_string(),
            id: NEXT_MODEL_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Where the model came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Size of the model file in bytes.
    pub fn size(&self) -> usize {
        self.bytes
    }

    /// Number of attributes with weights.
    pub fn attributes(&self) -> usize {
        self.attributes.len()
    }

    /// Number of labels.
    pub(crate) fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// This load's identity (for per-thread caches of its weights).
    pub(crate) fn load_id(&self) -> u64 {
        self.id
    }

    /// The best label of every item of state scores `n × L` (Viterbi).
    pub(crate) fn labels_of_scores(&self, states: &[f32]) -> Vec<&'static str> {
        if states.is_empty() {
            return Vec::new();
        }
        self.viterbi(states)
            .iter()
            .map(|&y| self.kinds[y])
            .collect()
    }

    /// The `L` weights of attribute `h`, if the model has it.
    pub(crate) fn weights(&self, h: u64) -> Option<&[f32]> {
        let l = self.labels.len();
        self.attributes
            .get(&h)
            .and_then(|&off| self.weights.get(off as usize..off as usize + l))
    }

    /// Adds the weights of attribute `h`, if the model has it, to `state`.
    pub(crate) fn add(&self, h: u64, state: &mut [f32]) {
        if let Some(&off) = self.attributes.get(&h) {
            let w = &self.weights[off as usize..off as usize + state.len()];
            add_to(state, w);
        }
    }

    /// State scores (`n × L`) of the features of [`features`], as a plain
    /// sum of their weights: the reference the cached path must equal, and
    /// the English tagger's reference and marginals (`english.rs`).
    pub(crate) fn scores_by_features(&self, feats: &Features) -> Vec<f32> {
        let l = self.labels.len();
        let mut out = vec![0f32; feats.len() * l];
        for (t, state) in out.chunks_mut(l).enumerate() {
            for &h in feats.item(t) {
                self.add(h, state);
            }
        }
        out
    }

    /// State scores (`n × L`) of `tokens`, with the per-thread type cache.
    fn scores(&self, text: &str, tokens: &[Token], marks: &[Marks]) -> Vec<f32> {
        let l = self.labels.len();
        let v = all_values(text, tokens, marks);
        let n = v.len();
        let mut out = vec![0f32; n * l];
        let mut keys = Vec::with_capacity(16);
        let mut edges = vec![0f32; SPAN * l];
        for (d, e) in OFFSETS.zip(edges.chunks_mut(l)) {
            if let Some(h) = edge_key(d) {
                self.add(h, e);
            }
        }
        let mut bias = vec![0f32; l];
        self.add(key(T_BIAS, 0, 0, 0), &mut bias);
        TYPES.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.model != self.id
                || cache.index.len() > TYPE_CACHE_TYPES
                || cache.pair_index.len() > PAIR_CACHE_PAIRS
            {
                cache.model = self.id;
                cache.index.clear();
                cache.sums.clear();
                cache.pair_index.clear();
                cache.pair_sums.clear();
            }
            let cache = &mut *cache;
            // Offset of each token's type sums in the cache.
            let at: Vec<usize> = v
                .iter()
                .map(|x| {
                    let k = key(T_TYPE, x.word, x.pos | x.tag << 16, x.marks);
                    let next = cache.sums.len();
                    let off = *cache.index.entry(k).or_insert(next as u32) as usize;
                    if off == next {
                        cache.sums.resize(next + SPAN * l, 0.0);
                        for (d, sum) in OFFSETS.zip(cache.sums[next..].chunks_mut(l)) {
                            keys.clear();
                            unary_keys(x, d, &mut keys);
                            for &h in &keys {
                                self.add(h, sum);
                            }
                        }
                    }
                    off
                })
                .collect();
            for (i, state) in out.chunks_mut(l).enumerate() {
                state.copy_from_slice(&bias);
                for (k, d) in OFFSETS.enumerate() {
                    let j = i as isize + d;
                    // Token j's sums at offset d, or the edge past either end.
                    let w = if (0..n as isize).contains(&j) {
                        let off = at[j as usize] + k * l;
                        &cache.sums[off..off + l]
                    } else {
                        &edges[k * l..(k + 1) * l]
                    };
                    add_to(state, w);
                }
            }
            // Each pair of neighbours (j, j + 1) adds its pair features to the
            // four tokens j − 1 … j + 2 that look at it.
            for j in 0..n.saturating_sub(1) {
                let (a, b) = (&v[j], &v[j + 1]);
                let k = key(
                    T_PAIR_TYPE,
                    a.word,
                    b.word,
                    key(0, a.pos, b.pos, a.kind << 32 | b.kind),
                );
                let next = cache.pair_sums.len();
                let off = *cache.pair_index.entry(k).or_insert(next as u32) as usize;
                if off == next {
                    cache.pair_sums.resize(next + PAIR_REACH * l, 0.0);
                    for (r, sum) in cache.pair_sums[next..].chunks_mut(l).enumerate() {
                        keys.clear();
                        neighbour_pair_keys(a, b, r, &mut keys);
                        for &h in &keys {
                            self.add(h, sum);
                        }
                    }
                }
                for r in 0..PAIR_REACH {
                    // Token j − 1 + r, when it exists.
                    let Some(t) = (j + r).checked_sub(1).filter(|&t| t < n) else {
                        continue;
                    };
                    let w = &cache.pair_sums[off + r * l..off + (r + 1) * l];
                    add_to(&mut out[t * l..(t + 1) * l], w);
                }
            }
        });
        out
    }

    /// The best label sequence (indices into the labels) by Viterbi over
    /// state scores `n × L`.
    fn viterbi(&self, states: &[f32]) -> Vec<usize> {
        match self.labels.len() {
            3 => viterbi_fixed::<3>(&self.into, states),
            5 => viterbi_fixed::<5>(&self.into, states),
            _ => self.viterbi_any(states),
        }
    }

    /// [`CompanyModel::viterbi`] for any number of labels.
    fn viterbi_any(&self, states: &[f32]) -> Vec<usize> {
        let l = self.labels.len();
        let n = states.len().checked_div(l).unwrap_or(0);
        let mut path = vec![0usize; n];
        if n == 0 {
            return path;
        }
        // Best scores ending in each label at the previous and current item.
        let mut prev = states[..l].to_vec();
        let mut cur = vec![0f32; l];
        let mut back = vec![0u16; n * l];
        for (state, back) in states.chunks_exact(l).zip(back.chunks_exact_mut(l)).skip(1) {
            for (((y, into), s), b) in self
                .into
                .chunks_exact(l)
                .enumerate()
                .zip(state)
                .zip(back.iter_mut())
            {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for (p, (&score, &w)) in prev.iter().zip(into).enumerate() {
                    let v = score + w;
                    if v > best {
                        best = v;
                        arg = p;
                    }
                }
                cur[y] = best + s;
                *b = arg as u16;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let mut y = (0..l).fold(0, |b, i| if prev[i] > prev[b] { i } else { b });
        for t in (0..n).rev() {
            path[t] = y;
            y = back[t * l + y] as usize;
        }
        path
    }

    /// The best label of every item of `feats` (features computed by another
    /// tagger over this file format, such as the English one), by a plain sum
    /// of weights and Viterbi.
    pub(crate) fn labels_of_features(&self, feats: &Features) -> Vec<&'static str> {
        if feats.is_empty() {
            return Vec::new();
        }
        self.viterbi(&self.scores_by_features(feats))
            .iter()
            .map(|&y| self.kinds[y])
            .collect()
    }

    /// Each item's probability of being part of a company (`B-C` or `I-C`)
    /// under the model, by forward-backward over the same scores as
    /// [`CompanyModel::labels_of_features`].
    pub(crate) fn company_marginals(&self, feats: &Features) -> Vec<f32> {
        let l = self.labels.len();
        let n = feats.len();
        if n == 0 {
            return Vec::new();
        }
        let states = self.scores_by_features(feats);
        let lse = |v: &mut dyn Iterator<Item = f64>| {
            let v: Vec<f64> = v.collect();
            let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
        };
        let mut alpha = vec![0f64; n * l];
        let mut beta = vec![0f64; n * l];
        for y in 0..l {
            alpha[y] = f64::from(states[y]);
        }
        for t in 1..n {
            for y in 0..l {
                let s = lse(&mut (0..l)
                    .map(|p| alpha[(t - 1) * l + p] + f64::from(self.transitions[p * l + y])));
                alpha[t * l + y] = s + f64::from(states[t * l + y]);
            }
        }
        for t in (0..n - 1).rev() {
            for y in 0..l {
                beta[t * l + y] = lse(&mut (0..l).map(|q| {
                    f64::from(self.transitions[y * l + q])
                        + f64::from(states[(t + 1) * l + q])
                        + beta[(t + 1) * l + q]
                }));
            }
        }
        let z = lse(&mut (0..l).map(|y| alpha[(n - 1) * l + y]));
        (0..n)
            .map(|t| {
                (0..l)
                    .filter(|&y| matches!(self.kinds[y], B_COMPANY | I_COMPANY))
                    .map(|y| (alpha[t * l + y] + beta[t * l + y] - z).exp())
                    .sum::<f64>() as f32
            })
            .collect()
    }

    /// Tags `tokens` of `text`; returns the byte ranges labelled as companies.
    pub fn companies(&self, text: &str, tokens: &[Token], marks: &[Marks]) -> Vec<(usize, usize)> {
        spans_of(tokens, &self.labels(text, tokens, marks))
    }

    /// The best label of every token: [`B_COMPANY`], [`I_COMPANY`],
    /// [`B_OTHER_ORG`], [`I_OTHER_ORG`] or [`OUTSIDE`] (labels of other names
    /// a model file may hold count as outside).
    pub fn labels(&self, text: &str, tokens: &[Token], marks: &[Marks]) -> Vec<&'static str> {
        if tokens.is_empty() {
            return Vec::new();
        }
        self.viterbi(&self.scores(text, tokens, marks))
            .iter()
            .map(|&y| self.kinds[y])
            .collect()
    }
}

/// Adds `w` to `state` element by element (unrolled for 3 and 5 labels).
#[inline(always)]
pub(crate) fn add_to(state: &mut [f32], w: &[f32]) {
    #[inline(always)]
    fn fixed<const L: usize>(state: &mut [f32], w: &[f32]) -> bool {
        match (<&mut [f32; L]>::try_from(state), <&[f32; L]>::try_from(w)) {
            (Ok(s), Ok(w)) => {
                for y in 0..L {
                    s[y] += w[y];
                }
                true
            }
            _ => false,
        }
    }
    if !fixed::<5>(state, w) && !fixed::<3>(state, w) {
        for (s, w) in state.iter_mut().zip(w) {
            *s += w;
        }
    }
}

/// [`CompanyModel::viterbi`] for `L` labels known at compile time (the
/// same sums and comparisons in the same order, unrolled); `into` holds
/// each label's incoming transition weights in a row.
fn viterbi_fixed<const L: usize>(into: &[f32], states: &[f32]) -> Vec<usize> {
    let n = states.len() / L;
    let mut path = vec![0usize; n];
    let Some(first) = states.get(..L).filter(|_| into.len() == L * L) else {
        return path;
    };
    let mut rows = [[0f32; L]; L];
    for (row, weights) in rows.iter_mut().zip(into.chunks_exact(L)) {
        row.copy_from_slice(weights);
    }
    let mut prev = [0f32; L];
    prev.copy_from_slice(first);
    let mut back = vec![[0u8; L]; n];
    for (state, back) in states.chunks_exact(L).zip(back.iter_mut()).skip(1) {
        let mut cur = [0f32; L];
        for y in 0..L {
            let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
            for p in 0..L {
                let v = prev[p] + rows[y][p];
                if v > best {
                    best = v;
                    arg = p;
                }
            }
            cur[y] = best + state[y];
            back[y] = arg as u8;
        }
        prev = cur;
    }
    let mut y = (0..L).fold(0, |b, i| if prev[i] > prev[b] { i } else { b });
    for t in (0..n).rev() {
        path[t] = y;
        y = usize::from(back[t][y]);
    }
    path
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

/// Mark bits of one word in [`MarkSets`].
const M_LEGAL: u8 = 1;
const M_SUFFIX: u8 = 2;
const M_NOT_SUFFIX: u8 = 4;
const M_COUNTRY: u8 = 8;

/// The word lists behind [`Marks`], as one map from word to mark bits.
#[derive(Debug, Clone, Default)]
pub struct MarkSets {
    words: fnv::FnvHashMap<String, u8>,
}

impl MarkSets {
    /// Collects the lists from the lexicons.
    pub fn new(lex: &Lexicons) -> Self {
        let mut words = fnv::FnvHashMap::<String, u8>::default();
        let lists: [(&[String], u8); 3] = [
            (&lex.org.legal, M_LEGAL),
            (&lex.org.suffix, M_SUFFIX),
            (&lex.org.not_suffix, M_NOT_SUFFIX),
        ];
        for (list, bit) in lists {
            for w in list {
                *words.entry(w.clone()).or_default() |= bit;
            }
        }
        for w in lex.countries.keys() {
            *words.entry(w.clone()).or_default() |= M_COUNTRY;
        }
        MarkSets { words }
    }

    /// The marks of every token; `gazetteer` holds the byte ranges of
    /// gazetteer names found in `text`, sorted by start.
    pub fn marks(&self, text: &str, tokens: &[Token], gazetteer: &[(usize, usize)]) -> Vec<Marks> {
        let mut g = 0;
        tokens
            .iter()
            .map(|t| {
                while g < gazetteer.len() && gazetteer[g].1 <= t.start {
                    g += 1;
                }
                let gaz = match gazetteer.get(g) {
                    Some(&(s, e)) if s == t.start && t.end <= e => 1,
                    Some(&(s, e)) if s < t.start && t.end <= e => 2,
                    _ => 0,
                };
                let bits = self.words.get(&text[t.start..t.end]).copied().unwrap_or(0);
                Marks {
                    gazetteer: gaz,
                    legal: bits & M_LEGAL != 0,
                    suffix: bits & M_SUFFIX != 0,
                    not_suffix: bits & M_NOT_SUFFIX != 0,
                    country: bits & M_COUNTRY != 0,
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

/// Longest surface used as a feature, in characters (longer ones are cut).
const MAX_SURFACE: usize = 16;

fn surface(w: &str) -> &str {
    match w.char_indices().nth(MAX_SURFACE) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

fn marks_code(m: &Marks) -> u64 {
    u64::from(m.gazetteer)
        | u64::from(m.legal) << 2
        | u64::from(m.suffix) << 3
        | u64::from(m.not_suffix) << 4
        | u64::from(m.country) << 5
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// The key of one feature: its template and up to three value hashes, mixed
/// with splitmix64's finalizer (four multiplications instead of FNV's 32).
pub(crate) fn key(template: u64, a: u64, b: u64, c: u64) -> u64 {
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut h = mix(template.wrapping_add(0x9e37_79b9_7f4a_7c15));
    for v in [a, b, c] {
        h = mix(h ^ v.wrapping_add(0x9e37_79b9_7f4a_7c15));
    }
    h
}

/// A hasher for keys that are hashes already: it passes the `u64` through.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed; other input is folded in for correctness.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// The feature hashes of a token sequence, stored flat.
#[derive(Debug, Clone, Default)]
pub struct Features {
    hashes: Vec<u64>,
    ends: Vec<usize>,
}

impl Features {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends one token whose feature hashes are the last ones pushed to
    /// [`Features::hashes_mut`] since the previous token.
    pub(crate) fn end_token(&mut self) {
        self.ends.push(self.hashes.len());
    }

    /// The flat hash list, for another tagger's feature builder.
    pub(crate) fn hashes_mut(&mut self) -> &mut Vec<u64> {
        &mut self.hashes
    }

    /// The feature hashes of token `t`.
    pub fn item(&self, t: usize) -> &[u64] {
        let start = if t == 0 { 0 } else { self.ends[t - 1] };
        &self.hashes[start..self.ends[t]]
    }
}

/// Per-token values the templates combine.
struct TokenValues {
    word: u64,
    pos: u64,
    tag: u64,
    kind: u64,
    marks: u64,
    first: u64,
    last: u64,
    prefix2: Option<u64>,
    suffix2: Option<u64>,
    len: u64,
}

/// The values of a token that depend on its surface only.
#[derive(Debug, Clone, Copy)]
struct SurfaceValues {
    word: u64,
    kind: u64,
    first: u64,
    last: u64,
    prefix2: Option<u64>,
    suffix2: Option<u64>,
    len: u64,
}

fn token_values(x: SurfaceValues, t: &Token, m: &Marks) -> TokenValues {
    TokenValues {
        word: x.word,
        pos: t.pos as u64,
        tag: u64::from(t.tag),
        kind: x.kind,
        marks: marks_code(m),
        first: x.first,
        last: x.last,
        prefix2: x.prefix2,
        suffix2: x.suffix2,
        len: x.len,
    }
}

/// Surfaces kept before the per-thread surface cache is emptied.
const SURFACE_CACHE_SURFACES: usize = 1 << 16;

thread_local! {
    /// [`SurfaceValues`] of the surfaces seen on this thread.
    static SURFACES: std::cell::RefCell<fnv::FnvHashMap<Box<str>, SurfaceValues>> =
        std::cell::RefCell::default();
}

fn surface_values_of(w: &str) -> SurfaceValues {
    let w = surface(w);
    let mut kind = 0u64;
    let mut kinds = 0;
    let mut prev = ' ';
    for c in w.chars().map(char_type) {
        if c != prev && kinds < 4 {
            kind = kind << 8 | c as u64;
            kinds += 1;
            prev = c;
        }
    }
    let n = w.chars().count();
    let cut = |k: usize| w.char_indices().nth(k).map_or(w.len(), |(i, _)| i);
    SurfaceValues {
        word: fnv(w.as_bytes()),
        kind,
        first: w.chars().next().map_or(0, u64::from),
        last: w.chars().next_back().map_or(0, u64::from),
        prefix2: (n > 2).then(|| fnv(&w.as_bytes()[..cut(2)])),
        suffix2: (n > 2).then(|| fnv(&w.as_bytes()[cut(n - 2)..])),
        len: n.min(6) as u64,
    }
}

// Feature templates (the first argument of `key`). Offsets -3..=3 are added.
const T_BIAS: u64 = 1;
const T_WORD: u64 = 10;
const T_POS: u64 = 20;
const T_TAG: u64 = 30;
const T_KIND: u64 = 40;
const T_EDGE: u64 = 50;
const T_MARKS: u64 = 60;
const T_WORD_PAIR: u64 = 70;
const T_POS_PAIR: u64 = 80;
const T_KIND_PAIR: u64 = 90;
const T_FIRST: u64 = 100;
const T_LAST: u64 = 101;
const T_PREFIX2: u64 = 102;
const T_SUFFIX2: u64 = 103;
const T_LEN: u64 = 104;
/// Not a feature: the key of a token type in the tagging cache.
const T_TYPE: u64 = 200;
/// Key of a pair of neighbours in the per-thread cache (never a feature).
const T_PAIR_TYPE: u64 = 201;

fn offset(template: u64, d: isize) -> u64 {
    (template as i64 + d as i64 + 3) as u64
}

/// Offsets of the neighbours whose own values are features of a token.
const OFFSETS: std::ops::RangeInclusive<isize> = -3..=3;
/// Number of offsets in [`OFFSETS`].
const SPAN: usize = 7;

/// The features that token `x` gives to the token `d` places before it
/// (`x` is at *i + d*): its surface, part of speech, tag and character types
/// within ±2, its surface at ±3, its marks within ±1, and at 0 its first and
/// last characters, 2-character prefix and suffix, and length.
fn unary_keys(x: &TokenValues, d: isize, out: &mut Vec<u64>) {
    out.push(key(offset(T_WORD, d), x.word, 0, 0));
    if d.abs() <= 2 {
        out.push(key(offset(T_POS, d), x.pos, 0, 0));
        out.push(key(offset(T_TAG, d), x.tag, 0, 0));
        out.push(key(offset(T_KIND, d), x.kind, 0, 0));
    }
    if d.abs() <= 1 {
        out.push(key(offset(T_MARKS, d), x.marks, 0, 0));
    }
    if d == 0 {
        out.push(key(T_FIRST, x.first, 0, 0));
        out.push(key(T_LAST, x.last, 0, 0));
        if let Some(p) = x.prefix2 {
            out.push(key(T_PREFIX2, p, 0, 0));
        }
        if let Some(s) = x.suffix2 {
            out.push(key(T_SUFFIX2, s, 0, 0));
        }
        out.push(key(T_LEN, x.len, 0, 0));
    }
}

/// The feature of a missing neighbour at offset `d` (before the first or
/// after the last token), within ±2.
fn edge_key(d: isize) -> Option<u64> {
    (d.abs() <= 2).then(|| key(offset(T_EDGE, d), 0, 0, 0))
}

/// The features of token `i` that combine two neighbours: surface pairs
/// (−2,−1), (−1,0), (0,+1), (+1,+2), and part-of-speech and character-type
/// pairs (−1,0), (0,+1). Cue phrases after a name (と提携, を買収, の子会社)
/// are the pair (+1,+2).
fn pair_keys(v: &[TokenValues], i: usize, out: &mut Vec<u64>) {
    let me = &v[i];
    if let Some(p) = i.checked_sub(1).map(|j| &v[j]) {
        out.push(key(offset(T_WORD_PAIR, -1), p.word, me.word, 0));
        out.push(key(offset(T_POS_PAIR, -1), p.pos, me.pos, 0));
        out.push(key(offset(T_KIND_PAIR, -1), p.kind, me.kind, 0));
        if let Some(pp) = i.checked_sub(2).map(|j| &v[j]) {
            out.push(key(offset(T_WORD_PAIR, -2), pp.word, p.word, 0));
        }
    }
    if let Some(q) = v.get(i + 1) {
        out.push(key(offset(T_WORD_PAIR, 1), me.word, q.word, 0));
        out.push(key(offset(T_POS_PAIR, 1), me.pos, q.pos, 0));
        out.push(key(offset(T_KIND_PAIR, 1), me.kind, q.kind, 0));
        if let Some(qq) = v.get(i + 2) {
            out.push(key(offset(T_WORD_PAIR, 2), q.word, qq.word, 0));
        }
    }
}

/// Tokens that look at one pair of neighbours (j, j + 1): j − 1, j, j + 1, j + 2.
const PAIR_REACH: usize = 4;

/// The [`pair_keys`] that the neighbours `a` (token j) and `b` (token j + 1)
/// give to token j − 1 + `r`: the same features, grouped by pair.
fn neighbour_pair_keys(a: &TokenValues, b: &TokenValues, r: usize, out: &mut Vec<u64>) {
    match r {
        // Token j − 1: its (+1, +2) surfaces.
        0 => out.push(key(offset(T_WORD_PAIR, 2), a.word, b.word, 0)),
        // Token j: its (0, +1) pairs.
        1 => {
            out.push(key(offset(T_WORD_PAIR, 1), a.word, b.word, 0));
            out.push(key(offset(T_POS_PAIR, 1), a.pos, b.pos, 0));
            out.push(key(offset(T_KIND_PAIR, 1), a.kind, b.kind, 0));
        }
        // Token j + 1: its (−1, 0) pairs.
        2 => {
            out.push(key(offset(T_WORD_PAIR, -1), a.word, b.word, 0));
            out.push(key(offset(T_POS_PAIR, -1), a.pos, b.pos, 0));
            out.push(key(offset(T_KIND_PAIR, -1), a.kind, b.kind, 0));
        }
        // Token j + 2: its (−2, −1) surfaces.
        _ => out.push(key(offset(T_WORD_PAIR, -2), a.word, b.word, 0)),
    }
}

fn all_values(text: &str, tokens: &[Token], marks: &[Marks]) -> Vec<TokenValues> {
    let none = Marks::default();
    SURFACES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > SURFACE_CACHE_SURFACES {
            cache.clear();
        }
        tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = &text[t.start..t.end];
                let x = match cache.get(w) {
                    Some(x) => *x,
                    None => {
                        let x = surface_values_of(w);
                        cache.insert(w.into(), x);
                        x
                    }
                };
                token_values(x, t, marks.get(i).unwrap_or(&none))
            })
            .collect()
    })
}

/// The feature hashes of every token: surfaces, part of speech, IPADIC tag
/// and character types of tokens −2…+2 (surfaces also at ±3), pairs of
/// neighbours, the lexicon marks of −1…+1, first and last characters,
/// 2-character prefix and suffix, and length. Training uses this; tagging
/// computes the same sums through a per-token-type cache.
pub fn features(text: &str, tokens: &[Token], marks: &[Marks]) -> Features {
    let v = all_values(text, tokens, marks);
    let n = v.len();
    let mut out = Features {
        hashes: Vec::with_capacity(n * 36),
        ends: Vec::with_capacity(n),
    };
    for i in 0..n {
        let h = &mut out.hashes;
        h.push(key(T_BIAS, 0, 0, 0));
        for d in OFFSETS {
            let j = i as isize + d;
            if (0..n as isize).contains(&j) {
                unary_keys(&v[j as usize], d, h);
            } else if let Some(e) = edge_key(d) {
                h.push(e);
            }
        }
        pair_keys(&v, i, h);
        out.ends.push(h.len());
    }
    out
}

/// Per-thread cache of token-type weights: for each token type seen (surface,
/// part of speech, tag, marks), the summed weights of its [`unary_keys`] at
/// every offset, and for each pair of neighbours seen, the summed weights of
/// its [`pair_keys`] for the four tokens that look at it. Most tokens and
/// pairs of a text were seen before, so tagging a token costs two cache hits
/// instead of some fifty lookups in the model's large table.
#[derive(Default)]
struct TypeCache {
    /// The model the cached sums belong to.
    model: u64,
    /// Type key → offset of its `SPAN × L` sums in `sums`.
    index: KeyMap<u32>,
    sums: Vec<f32>,
    /// Neighbour-pair key → offset of its `PAIR_REACH × L` sums in `pair_sums`.
    pair_index: KeyMap<u32>,
    pair_sums: Vec<f32>,
}

/// Types kept before the cache is emptied (140 bytes each with 5 labels:
/// at most 4.6 MB per thread).
const TYPE_CACHE_TYPES: usize = 1 << 15;

/// Neighbour pairs kept before the cache is emptied (80 bytes of sums each
/// with 5 labels: at most 5.2 MB per thread with the index).
const PAIR_CACHE_PAIRS: usize = 1 << 16;

thread_local! {
    static TYPES: std::cell::RefCell<TypeCache> = std::cell::RefCell::default();
}

/// Distinguishes loaded models in the per-thread cache.
static NEXT_MODEL_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::PosClass;

    fn tok(start: usize, end: usize) -> Token {
        Token {
            start,
            end,
            pos: PosClass::Noun,
            tag: 0,
            word_tag: 0,
        }
    }

    #[test]
    fn bio_labels_become_spans() {
        let tokens = [tok(0, 3), tok(3, 6), tok(6, 9), tok(9, 12), tok(12, 15)];
        let labels = [B_COMPANY, I_COMPANY, OUTSIDE, I_COMPANY, B_COMPANY];
        assert_eq!(spans_of(&tokens, &labels), vec![(0, 6), (9, 12), (12, 15)]);
    }

    #[test]
    fn features_depend_on_the_text_only() {
        let text = "ABC精工と提携";
        let tokens = [tok(0, 3), tok(3, 9), tok(9, 12), tok(12, 18)];
        let a = features(text, &tokens, &[]);
        let b = features(text, &tokens, &[]);
        assert_eq!(a.hashes, b.hashes);
        assert_eq!(a.len(), 4);
        // The two ends of the sequence see different neighbours.
        assert_ne!(a.item(0), a.item(3));
    }

    #[test]
    fn a_written_model_reads_back_and_tags_by_its_weights() {
        let labels: Vec<String> = [OUTSIDE, B_COMPANY, I_COMPANY]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = "甲乙";
        let tokens = [tok(0, 3), tok(3, 6)];
        // The first token's word feature votes B-C; the second's votes I-C.
        let data = ModelData {
            labels,
            transitions: vec![0.0; 9],
            attributes: vec![
                (
                    key(offset(T_WORD, 0), fnv("甲".as_bytes()), 0, 0),
                    vec![0.0, 5.0, 0.0],
                ),
                (
                    key(offset(T_WORD, 0), fnv("乙".as_bytes()), 0, 0),
                    vec![0.0, 0.0, 5.0],
                ),
            ],
        };
        let bytes = data.to_bytes();
        let m = CompanyModel::from_bytes(&bytes, "test").unwrap();
        assert_eq!(m.companies(text, &tokens, &[]), vec![(0, 6)]);
    }

    #[test]
    fn unrolled_viterbi_equals_the_general_one() {
        // A fixed pseudo-random sequence, with ties (small integers) and
        // negative values.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 9) as f32 - 4.0 + if seed.is_multiple_of(3) { 0.25 } else { 0.0 }
        };
        let names = [OUTSIDE, B_COMPANY, I_COMPANY, B_OTHER_ORG, I_OTHER_ORG];
        for l in [3, 5] {
            let data = ModelData {
                labels: names[..l].iter().map(|s| s.to_string()).collect(),
                transitions: (0..l * l).map(|_| next()).collect(),
                attributes: Vec::new(),
            };
            let m = CompanyModel::from_bytes(&data.to_bytes(), "test").unwrap();
            for n in [0, 1, 2, 7, 40] {
                let states: Vec<f32> = (0..n * l).map(|_| next()).collect();
                assert_eq!(
                    m.viterbi(&states),
                    m.viterbi_any(&states),
                    "{l} labels, {n} items"
                );
            }
        }
    }

    /// Tokens of `words` laid end to end, with varied tags and marks.
    fn laid(words: &[&str]) -> (String, Vec<Token>, Vec<Marks>) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        let mut marks = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let start = text.len();
            text.push_str(w);
            let mut t = tok(start, text.len());
            t.tag = (w.len() % 7) as u8;
            tokens.push(t);
            marks.push(Marks {
                legal: *w == "株式会社",
                country: *w == "米",
                gazetteer: (i % 5 == 0) as u8,
                ..Marks::default()
            });
        }
        (text, tokens, marks)
    }

    #[test]
    fn cached_scores_equal_the_sum_of_the_features() {
        let m = CompanyModel::load(&ModelSource::Bundled).unwrap();
        let words = [
            "米",
            "ノースウィンド",
            "社",
            "は",
            "、",
            "東京",
            "の",
            "株式会社",
            "さくら",
            "精工",
            "と",
            "業務",
            "提携",
            "し",
            "た",
            "。",
            "さくら",
            "精工",
            "は",
            "株式会社",
            "の",
            "子会社",
        ];
        // Twice: the second pass reads every type from the cache.
        for _ in 0..2 {
            for len in [1, 2, 3, 7, words.len()] {
                let (text, tokens, marks) = laid(&words[..len]);
                let fast = m.scores(&text, &tokens, &marks);
                let slow = m.scores_by_features(&features(&text, &tokens, &marks));
                assert_eq!(fast.len(), slow.len());
                for (a, b) in fast.iter().zip(&slow) {
                    assert!((a - b).abs() < 1e-4, "{len} words: {a} vs {b}");
                }
                assert!(slow.iter().any(|&x| x != 0.0));
            }
        }
    }

    #[test]
    fn two_models_on_one_thread_keep_their_own_cache() {
        let bundled = CompanyModel::load(&ModelSource::Bundled).unwrap();
        let (text, tokens, marks) = laid(&["甲", "乙"]);
        let data = ModelData {
            labels: [OUTSIDE, B_COMPANY, I_COMPANY].map(String::from).to_vec(),
            transitions: vec![0.0; 9],
            attributes: vec![(
                key(offset(T_WORD, 0), fnv("甲".as_bytes()), 0, 0),
                vec![0.0, 5.0, 0.0],
            )],
        };
        let other = CompanyModel::from_bytes(&data.to_bytes(), "test").unwrap();
        let a = bundled.scores(&text, &tokens, &marks);
        let b = other.scores(&text, &tokens, &marks);
        assert_eq!(b, vec![0.0, 5.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(bundled.scores(&text, &tokens, &marks), a);
    }

    #[test]
    fn damaged_model_bytes_are_errors_not_panics() {
        let data = ModelData {
            labels: [OUTSIDE, B_COMPANY, I_COMPANY]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            transitions: vec![0.5; 9],
            attributes: vec![(7, vec![1.0, 2.0, 3.0])],
        };
        let bytes = data.to_bytes();
        for cut in 0..bytes.len() {
            assert!(
                CompanyModel::from_bytes(&bytes[..cut], "cut").is_err(),
                "{cut}"
            );
        }
        let mut nan = bytes.clone();
        let at = nan.len() - 4;
        nan[at..].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(CompanyModel::from_bytes(&nan, "nan").is_err());
    }

    #[test]
    fn bundled_model_loads() {
        let m = CompanyModel::load(&ModelSource::Bundled).unwrap();
        assert!(m.attributes() > 1000);
    }

    #[test]
    fn corrupt_model_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.crf");
        std::fs::write(&path, b"KIJICRF1 not a model").unwrap();
        let err = CompanyModel::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("broken.crf"), "{err}");
        assert!(err.contains("kiji train"), "{err}");
        let missing = CompanyModel::from_file(&dir.path().join("none.crf"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("none.crf"), "{missing}");
    }
}
