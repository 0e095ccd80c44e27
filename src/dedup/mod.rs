//! Dedup stage: removes end markers, repairs paragraphs cut at a marker, and
//! drops repeated, truncated and near-duplicate paragraphs.
//!
//! Input: normalized [`Block`]s in document order. Output: the kept blocks, in
//! the order of their first occurrence, and [`DedupStats`].
//!
//! Steps, in order:
//! 1. **Markers** (`---END---` and variants) are removed. A paragraph that ends
//!    without sentence-final punctuation right before a marker was cut there:
//!    if the paragraph after the marker (optionally starting with `...`/`…`)
//!    repeats its tail, the two are *stitched* on the overlap (at least
//!    [`MIN_OVERLAP`] characters); otherwise, unless the cut paragraph is a
//!    prefix of another paragraph or the continuation repeats one elsewhere,
//!    they are *joined* (a word split across the marker: `自` + `国の…`).
//! 2. **Exact** duplicates (same text ignoring whitespace) are kept once, at
//!    their first occurrence; repeated headings are counted apart.
//! 3. **Fragments**: a paragraph that is a prefix of a longer one and ends
//!    mid-sentence, or that is contained in another paragraph, is dropped.
//! 4. **Near** duplicates: paragraphs of at least [`NEAR_MIN_CHARS`] characters
//!    are compared on character 4-gram shingles. MinHash ([`SIGNATURE_LEN`]
//!    hashes, LSH with [`BANDS`] bands) finds candidates in linear time; a pair is
//!    a near duplicate when its Jaccard similarity is at least [`NEAR_JACCARD`]
//!    or the shorter one is at least [`NEAR_CONTAINMENT`] contained in the longer.
//!    The longer (more complete) text is kept, at the first one's place, with
//!    the sentences that only the other version has. Only the first and last
//!    [`CANDIDATES_PER_BAND`] paragraphs of a bucket are compared, so the step
//!    stays linear on templated boilerplate.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::document::{Block, BlockKind, DedupStats, Repair};
use crate::patterns::Patterns;
use crate::tokenize::Analyzer;

pub mod join;
use join::Join;

/// Shortest tail/head overlap that stitches a cut paragraph to its continuation.
pub const MIN_OVERLAP: usize = 8;
/// Paragraphs shorter than this (in characters) are never near duplicates.
pub const NEAR_MIN_CHARS: usize = 30;
/// Jaccard similarity of 4-gram shingle sets from which two paragraphs are near duplicates.
pub const NEAR_JACCARD: f64 = 0.6;
/// Containment of the shorter paragraph's shingles in the longer one's from
/// which they are near duplicates (a sentence added or dropped).
pub const NEAR_CONTAINMENT: f64 = 0.8;
/// Number of MinHash values in a signature.
pub const SIGNATURE_LEN: usize = 64;
/// LSH bands (of `SIGNATURE_LEN / BANDS` rows each).
pub const BANDS: usize = 16;
const SHINGLE: usize = 4;
/// Paragraphs compared from each end of an LSH bucket.
pub const CANDIDATES_PER_BAND: usize = 8;
/// Leading characters of a paragraph searched for in the others (contained fragments).
const FRAGMENT_GRAM: usize = 8;
/// Paragraphs with the same leading characters that are looked for as fragments.
const FRAGMENT_CANDIDATES: usize = 64;
/// Full comparisons per paragraph searched for fragments (bounds templated boilerplate).
const FRAGMENT_CHECKS: usize = 4096;

/// Whether `text` ends a sentence (or a quotation, or a list item that is complete).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '。' | '!' | '?' | '.' | '」' | '』' | ')' | '"' | '”' | ']' | '】' | ':' | '…'
        )
    })
}

/// A block's text without whitespace: what the exact and fragment steps compare.
fn key(block: &Block) -> String {
    let mut out = String::with_capacity(block.lines.iter().map(|l| l.text.len()).sum());
    for line in &block.lines {
        let text = line.text.as_str();
        // The runs between whitespace characters (most lines have none).
        let mut from = 0;
        for (i, c) in text.char_indices() {
            if is_space(c) {
                out.push_str(&text[from..i]);
                from = i + c.len_utf8();
            }
        }
        out.push_str(&text[from..]);
    }
    out
}

/// [`char::is_whitespace`], answered at once for the characters above
/// U+3000 (none is whitespace): most characters of a Japanese text.
#[inline]
fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// A hasher for values that are already hashes (one multiply-xorshift).
#[derive(Default)]
pub struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
}

/// A set of shingle hashes.
pub type ShingleSet = HashSet<u64, std::hash::BuildHasherDefault<PreHashed>>;

/// Hashes of the character shingles of `text` (whitespace ignored).
pub fn shingles(text: &str) -> ShingleSet {
    let chars: Vec<char> = text.chars().filter(|&c| !is_space(c)).collect();
    let mut set = ShingleSet::with_capacity_and_hasher(chars.len(), Default::default());
    if chars.len() < SHINGLE {
        if !chars.is_empty() {
            set.insert(hash_chars(&chars));
        }
        return set;
    }
    for w in chars.windows(SHINGLE) {
        set.insert(hash_chars(w));
    }
    set
}

/// Hash of a shingle (at most [`SHINGLE`] characters): the code points packed
/// into two words (21 bits each), each mixed; deterministic everywhere.
fn hash_chars(chars: &[char]) -> u64 {
    let mut packed = [0u64; 2];
    for (i, &c) in chars.iter().take(SHINGLE).enumerate() {
        packed[i / 3] |= (c as u64) << (21 * (i % 3));
    }
    packed[1] |= (chars.len() as u64) << 42;
    mix(mix(packed[0]) ^ packed[1])
}

/// FNV-1a (64-bit) of `bytes`: a stable hash that other tools can recompute.
pub fn fnv_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(bytes);
    h.finish()
}

/// MinHash signature of a whole document's text (low 32 bits of each of the
/// [`SIGNATURE_LEN`] values of a one-permutation MinHash over its character
/// 4-grams, whitespace ignored), or `None` when the text is shorter than
/// [`NEAR_MIN_CHARS`] characters (too short to call a duplicate). The
/// shingles are hashed as they are read: no set is built.
pub fn signature(text: &str) -> Option<Vec<u32>> {
    let (sig, chars) = oph_of_text(text);
    (chars >= NEAR_MIN_CHARS).then(|| sig.into_iter().map(|v| v as u32).collect())
}

/// One-permutation MinHash of the 4-gram shingles of `text` (whitespace
/// ignored): one hash per shingle, the minimum per bin, empty bins filled
/// from the next non-empty one (rotation densification); deterministic across
/// runs and machines. Shingles are hashed as the characters are read (no
/// set). Also returns the number of characters that are not whitespace.
fn oph_of_text(text: &str) -> (Vec<u64>, usize) {
    let mut bins = [u64::MAX; SIGNATURE_LEN];
    let mut window = ['\0'; SHINGLE];
    let mut n = 0;
    for c in text.chars().filter(|&c| !is_space(c)) {
        if n < SHINGLE {
            window[n] = c;
        } else {
            for i in 1..SHINGLE {
                window[i - 1] = window[i];
            }
            window[SHINGLE - 1] = c;
        }
        n += 1;
        if n >= SHINGLE {
            oph_insert(&mut bins, hash_chars(&window));
        }
    }
    if (1..SHINGLE).contains(&n) {
        oph_insert(&mut bins, hash_chars(&window[..n]));
    }
    (densify(&bins), n)
}

/// Share of equal positions of two signatures: an estimate of their Jaccard similarity.
pub fn estimated_jaccard(a: &[u32], b: &[u32]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

/// Seed of the one-permutation MinHash.
const OPH_SEED: u64 = 0x9E37_79B9_7F4A_7C15u64
    .wrapping_mul(6364136223846793005)
    .wrapping_add(1442695040888963407);

/// SplitMix64 finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Puts a shingle hash in its bin of a one-permutation MinHash.
fn oph_insert(bins: &mut [u64; SIGNATURE_LEN], shingle: u64) {
    let v = mix(shingle ^ OPH_SEED);
    let bin = (v % SIGNATURE_LEN as u64) as usize;
    let v = v / SIGNATURE_LEN as u64;
    if v < bins[bin] {
        bins[bin] = v;
    }
}

/// Fills each empty bin from the next non-empty one (offset by the distance).
fn densify(bins: &[u64; SIGNATURE_LEN]) -> Vec<u64> {
    if bins.iter().all(|&v| v == u64::MAX) {
        return bins.to_vec();
    }
    (0..SIGNATURE_LEN)
        .map(|i| {
            (0..SIGNATURE_LEN)
                .map(|d| (d, bins[(i + d) % SIGNATURE_LEN]))
                .find(|&(_, v)| v != u64::MAX)
                .map(|(d, v)| v.wrapping_add((d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)))
                .unwrap_or(u64::MAX)
        })
        .collect()
}

/// LSH band keys of a signature (in-process bucket keys: the band's index
/// and rows mixed together).
pub fn band_keys(sig: &[u64]) -> Vec<u64> {
    let rows = sig.len() / BANDS;
    (0..BANDS)
        .map(|b| {
            sig[b * rows..(b + 1) * rows]
                .iter()
                .fold(mix(b as u64 ^ OPH_SEED), |h, &v| mix(h ^ v))
        })
        .collect()
}

/// Jaccard similarity and containment of the smaller set in the larger.
pub fn similarity(a: &ShingleSet, b: &ShingleSet) -> (f64, f64) {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return (0.0, 0.0);
    }
    let inter = small.iter().filter(|s| large.contains(s)).count() as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    (inter / union, inter / small.len() as f64)
}

/// Whether two shingle sets are near duplicates by the documented thresholds.
pub fn is_near_duplicate(a: &ShingleSet, b: &ShingleSet) -> bool {
    let (jaccard, containment) = similarity(a, b);
    jaccard >= NEAR_JACCARD || containment >= NEAR_CONTAINMENT
}

/// Runs all dedup steps.
pub fn dedup(blocks: Vec<Block>) -> (Vec<Block>, DedupStats) {
    let (blocks, stats, _) = dedup_with(blocks, None, false);
    (blocks, stats)
}

/// [`dedup`], with the analyzer deciding joins at markers (see [`join`]);
/// with `explain`, also every repair, in order.
pub fn dedup_with(
    blocks: Vec<Block>,
    analyzer: Option<&Analyzer>,
    explain: bool,
) -> (Vec<Block>, DedupStats, Vec<Repair>) {
    let mut stats = DedupStats::default();
    let mut log = Log {
        on: explain,
        repairs: Vec::new(),
    };
    let blocks = repair_markers(blocks, analyzer, &mut stats, &mut log);
    let (blocks, keys) = drop_exact(blocks, &mut stats, &mut log);
    let blocks = drop_fragments(blocks, keys, &mut stats, &mut log);
    let blocks = drop_near(blocks, &mut stats, &mut log);
    (blocks, stats, log.repairs)
}

/// The repairs of one document, collected only when asked for.
struct Log {
    on: bool,
    repairs: Vec<Repair>,
}

impl Log {
    fn add(&mut self, action: &str, reason: impl FnOnce() -> String, block: &Block) {
        if self.on {
            self.repairs.push(Repair {
                action: action.to_string(),
                reason: reason(),
                line: block.source_line(),
                text: block.joined().chars().take(80).collect(),
            });
        }
    }
}

fn strip_ellipsis(text: &str) -> (&str, bool) {
    let t = text.trim_start();
    for lead in ["...", "…", "・・・"] {
        if let Some(rest) = t.strip_prefix(lead) {
            return (rest.trim_start(), true);
        }
    }
    (t, false)
}

/// Longest `k >= MIN_OVERLAP` such that the last `k` chars of `tail` equal the
/// first `k` chars of `head`. Returns the byte length in `head`.
fn overlap(tail: &str, head: &str) -> Option<usize> {
    let tail_chars: Vec<(usize, char)> = tail.char_indices().collect();
    let head_chars: Vec<char> = head.chars().collect();
    let max = tail_chars.len().min(head_chars.len());
    (MIN_OVERLAP..=max).rev().find_map(|k| {
        let start = tail_chars[tail_chars.len() - k].0;
        let head_bytes: usize = head_chars[..k].iter().map(|c| c.len_utf8()).sum();
        (tail[start..] == head[..head_bytes]).then_some(head_bytes)
    })
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn repair_markers(
    blocks: Vec<Block>,
    analyzer: Option<&Analyzer>,
    stats: &mut DedupStats,
    log: &mut Log,
) -> Vec<Block> {
    // Global knowledge for the join decision.
    let owned: Vec<String> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(key)
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(owned.len());
    for k in &owned {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let mut keys: Vec<&str> = owned.iter().map(String::as_str).collect();
    keys.sort_unstable();
    keys.dedup();
    let is_prefix_of_other = |k: &str| -> bool {
        let i = keys.partition_point(|x| *x <= k);
        keys.get(i).is_some_and(|next| next.starts_with(k))
    };

    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut after_marker = false;
    for block in blocks {
        if block.kind == BlockKind::Marker {
            stats.markers += 1;
            log.add("marker", || "end marker removed".into(), &block);
            after_marker = true;
            continue;
        }
        let was_after = std::mem::replace(&mut after_marker, false);
        if !was_after || block.kind != BlockKind::Paragraph {
            out.push(block);
            continue;
        }
        let is_first = out.len() == 1;
        let Some(prev) = out.last_mut().filter(|p| p.kind == BlockKind::Paragraph) else {
            out.push(block);
            continue;
        };
        let prev_text = prev
            .lines
            .last()
            .map(|l| l.text.clone())
            .unwrap_or_default();
        if ends_sentence(&prev_text) {
            log.add("kept apart", || "sentence end".into(), &block);
            out.push(block);
            continue;
        }
        let first = &block.lines[0].text;
        let (cont, had_ellipsis) = strip_ellipsis(first);
        if let Some(skip) = overlap(&prev_text, cont) {
            let merged = crate::normalize::normalize(&format!("{prev_text}{}", &cont[skip..]));
            log.add(
                "stitched",
                || {
                    format!(
                        "continuation repeats {} characters",
                        cont[..skip].chars().count()
                    )
                },
                &block,
            );
            append(prev, merged, block);
            stats.stitched += 1;
            continue;
        }
        let block_key = key(&block);
        let cont_repeats = counts.get(block_key.as_str()).copied().unwrap_or(0) > 1;
        let prev_is_fragment = is_prefix_of_other(&key(prev));
        let (join, reason) = if had_ellipsis {
            // `…` opens a continuation; Latin words keep their space.
            match (prev_text.chars().last(), cont.chars().next()) {
                (Some(a), Some(b)) if is_latin(a) && is_latin(b) => (Join::Space, "ellipsis"),
                _ => (Join::Concat, "ellipsis"),
            }
        } else if !cont_repeats && !prev_is_fragment && !cont.is_empty() {
            join::decide(&prev_text, cont, is_first, analyzer)
        } else if cont.is_empty() {
            (Join::Separate, "empty")
        } else if cont_repeats {
            (Join::Separate, "the text after the marker occurs again")
        } else {
            (Join::Separate, "a cut copy of a later paragraph")
        };
        if join != Join::Separate {
            log.add("joined", || reason.to_string(), &block);
            let space = if join == Join::Space { " " } else { "" };
            let merged = crate::normalize::normalize(&format!("{prev_text}{space}{cont}"));
            append(prev, merged, block);
            stats.stitched += 1;
            continue;
        }
        log.add("kept apart", || reason.to_string(), &block);
        out.push(block);
    }
    out
}

/// Replaces the last line of `prev` by `merged` and appends the remaining lines of `next`.
fn append(prev: &mut Block, merged: String, next: Block) {
    if let Some(last) = prev.lines.last_mut() {
        last.text = merged;
    }
    prev.lines.extend(next.lines.into_iter().skip(1));
}

/// Drops exact repeats; returns the kept blocks with their [`key`]s.
fn drop_exact(
    blocks: Vec<Block>,
    stats: &mut DedupStats,
    log: &mut Log,
) -> (Vec<Block>, Vec<String>) {
    let keys: Vec<String> = blocks.iter().map(key).collect();
    // The source line of each text's first occurrence.
    let mut seen: HashMap<(BlockKind, &str), u32> = HashMap::with_capacity(keys.len());
    let keep: Vec<bool> = blocks
        .iter()
        .zip(&keys)
        .map(|(b, k)| {
            if k.is_empty() {
                return false;
            }
            let first = match seen.entry((b.kind, k.as_str())) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(b.source_line());
                    None
                }
                std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
            };
            let Some(line) = first else {
                return true;
            };
            let action = if b.kind == BlockKind::Heading {
                stats.headings += 1;
                "heading"
            } else {
                stats.exact += 1;
                "exact"
            };
            log.add(action, || format!("same as line {line}"), b);
            false
        })
        .collect();
    blocks
        .into_iter()
        .zip(keys)
        .zip(keep)
        .filter_map(|(bk, keep)| keep.then_some(bk))
        .unzip()
}

fn drop_fragments(
    blocks: Vec<Block>,
    keys: Vec<String>,
    stats: &mut DedupStats,
    log: &mut Log,
) -> Vec<Block> {
    let is_para = |i: usize| blocks[i].kind == BlockKind::Paragraph;
    let mut sorted: Vec<&str> = (0..keys.len())
        .filter(|&i| is_para(i))
        .map(|i| keys[i].as_str())
        .collect();
    sorted.sort_unstable();
    // For each fragment, the paragraph that completes it (None: not a fragment).
    // First: a paragraph cut mid-sentence that is a prefix of another one.
    let mut container: Vec<Option<usize>> = (0..keys.len())
        .map(|i| {
            let k = keys[i].as_str();
            if !is_para(i) || ends_sentence(k) {
                return None;
            }
            let pos = sorted.partition_point(|x| *x <= k);
            let next = sorted.get(pos).filter(|next| next.starts_with(k))?;
            (0..keys.len()).find(|&j| j != i && keys[j] == **next)
        })
        .collect();
    // Then: a paragraph contained in a longer one. Each remaining paragraph's
    // first FRAGMENT_GRAM characters are searched at every place of every
    // paragraph ([`Patterns`]); each hit is checked in full.
    let mut by_gram: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in (0..keys.len()).filter(|&i| is_para(i) && container[i].is_none()) {
        let k = keys[i].as_str();
        if let Some((gram_end, _)) = k.char_indices().nth(FRAGMENT_GRAM) {
            let list = by_gram.entry(&k[..gram_end]).or_default();
            if list.len() < FRAGMENT_CANDIDATES {
                list.push(i);
            }
        }
    }
    let grams: Vec<(&str, Vec<usize>)> = by_gram.into_iter().collect();
    if !grams.is_empty() {
        // Every gram has FRAGMENT_GRAM characters: at most one starts at a
        // place, and the places in order are the matches in order.
        let search = Patterns::new(grams.iter().map(|(g, _)| *g));
        // Many paragraphs that start alike: an automaton keeps the search linear.
        let automaton = search
            .crowded()
            .then(|| {
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(grams.iter().map(|(g, _)| g))
                    .ok()
            })
            .flatten();
        for j in (0..keys.len()).filter(|&j| is_para(j)) {
            let hay = keys[j].as_bytes();
            let mut checks = 0;
            // The candidates of gram `g` found at `at`; true once the
            // paragraph's checks are used up.
            let mut visit = |g: usize, at: usize| {
                for &i in &grams[g].1 {
                    if container[i].is_some() || i == j || keys[i].len() >= hay.len() {
                        continue;
                    }
                    checks += 1;
                    if hay[at..].starts_with(keys[i].as_bytes()) {
                        container[i] = Some(j);
                    }
                }
                checks > FRAGMENT_CHECKS
            };
            match &automaton {
                Some(ac) => {
                    for m in ac.find_overlapping_iter(hay) {
                        if visit(m.pattern().as_usize(), m.start()) {
                            break;
                        }
                    }
                }
                None => {
                    for at in 0..hay.len() {
                        if let Some((g, _)) = search.longest_at(hay, at) {
                            if visit(g, at) {
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    // A fragment is replaced by its completion at the fragment's (earlier) place.
    let blocks_line: Vec<u32> = blocks.iter().map(Block::source_line).collect();
    let mut slots: Vec<Option<Block>> = blocks.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    for i in 0..slots.len() {
        match container[i] {
            None => {
                if let Some(b) = slots[i].take() {
                    out.push(b);
                }
            }
            Some(j) => {
                stats.fragments += 1;
                if let Some(b) = &slots[i] {
                    let line = blocks_line[j];
                    log.add("fragment", || format!("part of line {line}"), b);
                }
                slots[i] = None;
                if j > i && container[j].is_none() {
                    if let Some(b) = slots[j].take() {
                        out.push(b);
                    }
                }
            }
        }
    }
    out
}

/// Splits text into sentences, each keeping its final punctuation.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '!' | '?') {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// `base` plus the sentences of `other` that have no similar sentence in
/// `base` (an added sentence of a variant), each placed after the sentence
/// that precedes it in `other`. Sentences only move between versions of one
/// paragraph; nothing is invented.
pub fn merge_sentences(base: &str, other: &str) -> String {
    let base_sentences = split_sentences(base);
    let base_shingles: Vec<ShingleSet> = base_sentences.iter().map(|s| shingles(s)).collect();
    let matches = |s: &str| -> Option<usize> {
        let sh = shingles(s);
        base_shingles.iter().position(|b| {
            let (jaccard, containment) = similarity(&sh, b);
            jaccard >= 0.5 || containment >= 0.8
        })
    };
    // Insertions after base sentence index (None: before the first).
    let mut inserts: Vec<(Option<usize>, &str)> = Vec::new();
    let mut anchor: Option<usize> = None;
    for s in split_sentences(other) {
        match matches(s) {
            Some(i) => anchor = Some(i),
            // A cut tail without final punctuation is not a sentence to add.
            None if ends_sentence(s) && s.chars().count() >= 8 => inserts.push((anchor, s)),
            None => {}
        }
    }
    if inserts.is_empty() {
        return base.to_string();
    }
    let mut out = String::with_capacity(base.len() + other.len());
    for (_, s) in inserts.iter().filter(|(a, _)| a.is_none()) {
        out.push_str(s);
    }
    for (i, b) in base_sentences.iter().enumerate() {
        out.push_str(b);
        for (_, s) in inserts.iter().filter(|(a, _)| *a == Some(i)) {
            out.push_str(s);
        }
    }
    out
}

fn drop_near(blocks: Vec<Block>, stats: &mut DedupStats, log: &mut Log) -> Vec<Block> {
    let mut kept: Vec<Option<Block>> = Vec::with_capacity(blocks.len());
    // Shingle sets of kept paragraphs, built only when one is a candidate
    // (the band keys come from hashes of the text, without a set).
    let mut kept_shingles: Vec<Option<ShingleSet>> = Vec::new();
    // Band keys are hashes already.
    let mut buckets: HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<PreHashed>> =
        HashMap::default();
    for b in blocks {
        let text = b.joined();
        if b.kind != BlockKind::Paragraph || text.chars().count() < NEAR_MIN_CHARS {
            kept.push(Some(b));
            kept_shingles.push(None);
            continue;
        }
        let bands = band_keys(&oph_of_text(&text).0);
        // At most the first and last CANDIDATES_PER_BAND of each bucket are compared,
        // so templated boilerplate cannot make this quadratic.
        let mut candidates: Vec<usize> = bands
            .iter()
            .filter_map(|k| buckets.get(k))
            .flat_map(|list| {
                let n = list.len();
                let head = &list[..n.min(CANDIDATES_PER_BAND)];
                let tail = &list[n.saturating_sub(CANDIDATES_PER_BAND).max(head.len())..];
                head.iter().chain(tail).copied()
            })
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut sh: Option<ShingleSet> = None;
        let hit = candidates.into_iter().find(|&j| {
            let Some(other) = &kept[j] else {
                return false;
            };
            let sh = sh.get_or_insert_with(|| shingles(&text));
            let other = kept_shingles[j].get_or_insert_with(|| shingles(&other.joined()));
            is_near_duplicate(sh, other)
        });
        match hit {
            Some(j) => {
                stats.near += 1;
                let Some(existing) = kept[j].take() else {
                    continue;
                };
                // Keep the more complete version at the first one's place, and
                // add the sentences that only the other version has.
                let (mut base, other) = if text.chars().count() > existing.joined().chars().count()
                {
                    (b, existing)
                } else {
                    (existing, b)
                };
                let line = base.source_line();
                log.add(
                    "near",
                    || format!("near duplicate of line {line}, the longer version kept"),
                    &other,
                );
                if base.lines.len() == 1 && other.lines.len() == 1 {
                    base.lines[0].text = merge_sentences(&base.lines[0].text, &other.lines[0].text);
                }
                kept[j] = Some(base);
                kept_shingles[j] = None;
                for k in &bands {
                    buckets.entry(*k).or_default().push(j);
                }
            }
            None => {
                let idx = kept.len();
                for k in &bands {
                    buckets.entry(*k).or_default().push(idx);
                }
                kept.push(Some(b));
                kept_shingles.push(sh);
            }
        }
    }
    kept.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Line;

    fn para(text: &str) -> Block {
        Block::new(
            BlockKind::Paragraph,
            vec![Line {
                text: text.to_string(),
                source_line: 1,
            }],
        )
    }
    fn marker() -> Block {
        Block::new(
            BlockKind::Marker,
            vec![Line {
                text: "---END---".into(),
                source_line: 1,
            }],
        )
    }
    fn heading(text: &str) -> Block {
        Block::new(
            BlockKind::Heading,
            vec![Line {
                text: text.to_string(),
                source_line: 1,
            }],
        )
    }
    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks.iter().map(|b| b.joined()).collect()
    }

    const LONG_A: &str = "経済産業省は国内のデータセンター事業者に対する支援を拡充し、計算資源の確保を急ぐ方針を示した。";
    const LONG_B: &str = "一方で、地方の中小企業ではAIを扱える人材が不足しており、教育投資の遅れが課題として残っている。";

    #[test]
    fn markers_removed_and_exact_duplicates_kept_once() {
        let (out, stats) = dedup(vec![para(LONG_A), marker(), para(LONG_B), para(LONG_A)]);
        assert_eq!(texts(&out), vec![LONG_A, LONG_B]);
        assert_eq!(stats.markers, 1);
        assert_eq!(stats.exact, 1);
    }

    #[test]
    fn every_repair_is_explained_in_order() {
        let (out, _, repairs) = dedup_with(
            vec![
                para("2024年5月14日"),
                marker(),
                para(LONG_B),
                para(LONG_A),
                para(LONG_A),
            ],
            None,
            true,
        );
        assert_eq!(texts(&out), vec!["2024年5月14日", LONG_B, LONG_A]);
        let got: Vec<(&str, &str)> = repairs
            .iter()
            .map(|r| (r.action.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("marker", "end marker removed"),
                ("kept apart", "dateline"),
                ("exact", "same as line 1"),
            ]
        );
        // Not asked for: nothing collected.
        let (_, _, none) = dedup_with(vec![para(LONG_A), para(LONG_A)], None, false);
        assert!(none.is_empty());
    }

    #[test]
    fn a_heading_before_a_marker_is_never_joined() {
        let (out, stats) = dedup(vec![heading("今後の展望"), marker(), para(LONG_A)]);
        assert_eq!(texts(&out), vec!["今後の展望", LONG_A]);
        assert_eq!(stats.stitched, 0);
    }

    #[test]
    fn word_split_across_marker_is_joined() {
        let (out, stats) = dedup(vec![
            para("競争が激化する中で、独"),
            marker(),
            para("自の技術基盤を持てるかが問われている。"),
        ]);
        assert_eq!(
            texts(&out),
            vec!["競争が激化する中で、独自の技術基盤を持てるかが問われている。"]
        );
        assert_eq!(stats.stitched, 1);
    }

    #[test]
    fn overlapping_continuation_is_stitched() {
        let (out, stats) = dedup(vec![
            para("次に、海外勢の動きを見てみましょう。米国の大手クラウド各社は"),
            marker(),
            para("...米国の大手クラウド各社は、巨額の設備投資を続けています。"),
        ]);
        assert_eq!(
            texts(&out),
            vec!["次に、海外勢の動きを見てみましょう。米国の大手クラウド各社は、巨額の設備投資を続けています。"]
        );
        assert_eq!(stats.stitched, 1);
    }

    #[test]
    fn cut_prefix_fragment_is_dropped_for_the_complete_paragraph() {
        let full = "富士通とNVIDIAの協業は、国内製造業のAI活用を後押しするとみられている。";
        let (out, stats) = dedup(vec![
            para("富士通とNVIDIAの協業は、国内製造業の"),
            marker(),
            para(LONG_B),
            para(full),
        ]);
        // The complete paragraph takes the fragment's (earlier) place.
        assert_eq!(texts(&out), vec![full, LONG_B]);
        assert_eq!(stats.fragments, 1);
    }

    #[test]
    fn repeated_headings_kept_once() {
        let (out, stats) = dedup(vec![
            heading("国際競争"),
            para(LONG_A),
            heading("国際競争"),
            para(LONG_A),
        ]);
        assert_eq!(texts(&out), vec!["国際競争", LONG_A]);
        assert_eq!(stats.headings, 1);
        assert_eq!(stats.exact, 1);
    }

    #[test]
    fn no_character_above_the_ideographic_space_is_whitespace() {
        let above = ('\u{3001}'..=char::MAX)
            .filter(|c| c.is_whitespace())
            .count();
        assert_eq!(above, 0);
        assert!(is_space('\u{3000}') && is_space(' ') && !is_space('あ'));
    }

    #[test]
    fn near_duplicate_keeps_the_more_complete_version() {
        let v1 = "楽天証券は投資情報サービスを刷新し、AIによる銘柄分析を個人投資家向けに提供すると発表した。";
        let v2 = "楽天証券は投資情報サービスを刷新し、AIによる銘柄分析を個人投資家向けに提供すると発表した。提供は来春からの予定だ。";
        let (out, stats) = dedup(vec![para(v1), para(LONG_B), para(v2)]);
        assert_eq!(texts(&out), vec![v2, LONG_B]);
        assert_eq!(stats.near + stats.fragments, 1);
    }

    #[test]
    fn near_duplicates_keep_the_sentences_only_one_version_has() {
        let s1 = "まず、私たち技術者にとって今回の協業は腕の見せ所であり、基盤の仕組みを深く理解する必要があります。";
        let s2 = "現場の課題に向き合い、複数の技術を組み合わせて解決する力が、これからますます問われるでしょう。";
        let a = format!("{s1}培ってきたスキルを磨き直す好機です。{s2}");
        let b = format!("{s1}{s2}特に製造業では実装力が鍵になります。");
        let (out, stats) = dedup(vec![para(&a), para(LONG_B), para(&b)]);
        assert_eq!(stats.near, 1);
        assert_eq!(
            texts(&out)[0],
            format!(
                "{s1}培ってきたスキルを磨き直す好機です。{s2}特に製造業では実装力が鍵になります。"
            )
        );
    }

    #[test]
    fn similar_but_different_paragraphs_both_stay() {
        let a = "まず注目すべきは、政府が半導体工場の誘致に向けて数千億円規模の補助金を用意した点です。";
        let b = "まず注目すべきは、大学と企業の共同研究が地方にも広がり、若手研究者の採用が増えている点です。";
        let (out, stats) = dedup(vec![para(a), para(b)]);
        assert_eq!(out.len(), 2);
        assert_eq!(stats, DedupStats::default());
    }

    /// The definition [`oph_of_text`] streams: one-permutation MinHash of the set.
    fn minhash_oph(shingles: &ShingleSet) -> Vec<u64> {
        let mut bins = [u64::MAX; SIGNATURE_LEN];
        for &s in shingles {
            oph_insert(&mut bins, s);
        }
        densify(&bins)
    }

    #[test]
    fn streamed_minhash_equals_minhash_of_the_shingle_set() {
        for text in [
            LONG_A,
            LONG_B,
            "abc",
            "a b  c d e f g",
            "",
            "Sakana AI と 提携 2024",
        ] {
            let (sig, chars) = oph_of_text(text);
            assert_eq!(sig, minhash_oph(&shingles(text)), "{text}");
            assert_eq!(chars, text.chars().filter(|c| !c.is_whitespace()).count());
        }
    }

    #[test]
    fn complete_paragraph_before_marker_is_not_joined() {
        let (out, _) = dedup(vec![para(LONG_A), marker(), para(LONG_B)]);
        assert_eq!(texts(&out), vec![LONG_A, LONG_B]);
    }
}
