//! A small set of literal patterns searched at each position of a text, for
//! the sets a document builds for itself (its companies' names, its
//! paragraphs' leading characters): building an Aho-Corasick automaton per
//! document cost more instructions than searching with it.
//!
//! Patterns are indexed by their first three bytes, behind a 4096-bit filter;
//! the (rare) patterns shorter than three bytes are tried at every position.
//! Empty patterns never match. A set where more than [`BUCKET_LIMIT`]
//! patterns share their first three bytes (or are shorter) is
//! [`Patterns::crowded`]: each position may try them all, so callers search
//! such a set with an Aho-Corasick automaton instead (ten thousand paragraphs
//! that start alike).

use fnv::FnvHashMap;

/// Bits of the filter's index.
const FILTER_BITS: u32 = 12;

/// Most patterns tried one by one at a position (those sharing their first
/// three bytes, or the short ones) in a set that is not crowded.
pub const BUCKET_LIMIT: usize = 32;

/// Literal patterns, searched for the longest one starting at a position.
#[derive(Debug, Default)]
pub struct Patterns<'a> {
    patterns: Vec<&'a [u8]>,
    /// Set bits: the filter slots of the patterns' first three bytes.
    filter: Vec<u64>,
    /// First three bytes → patterns starting with them, longest first.
    by_prefix: FnvHashMap<u32, Vec<u32>>,
    /// Patterns of one or two bytes, longest first.
    short: Vec<u32>,
}

/// The first three bytes of `b` as one number.
fn prefix(b: &[u8]) -> u32 {
    u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16
}

/// The filter slot of a three-byte prefix.
fn slot(p: u32) -> usize {
    (p.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)) as usize
}

impl<'a> Patterns<'a> {
    /// The set of `patterns`; a pattern's number is its place in the iterator.
    pub fn new<I, S>(patterns: I) -> Self
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<[u8]> + ?Sized + 'a,
    {
        let patterns: Vec<&[u8]> = patterns.into_iter().map(AsRef::as_ref).collect();
        let mut filter = vec![0u64; 1 << (FILTER_BITS - 6)];
        let mut by_prefix: FnvHashMap<u32, Vec<u32>> = FnvHashMap::default();
        let mut short = Vec::new();
        for (k, p) in patterns.iter().enumerate() {
            if p.len() >= 3 {
                let v = prefix(p);
                let s = slot(v);
                filter[s >> 6] |= 1 << (s & 63);
                by_prefix.entry(v).or_default().push(k as u32);
            } else if !p.is_empty() {
                short.push(k as u32);
            }
        }
        let longest_first = |list: &mut Vec<u32>| {
            list.sort_by_key(|&k| std::cmp::Reverse(patterns[k as usize].len()));
        };
        by_prefix.values_mut().for_each(longest_first);
        longest_first(&mut short);
        Patterns {
            patterns,
            filter,
            by_prefix,
            short,
        }
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether more than [`BUCKET_LIMIT`] patterns share their first three
    /// bytes or are shorter: a search could try them all at each position.
    pub fn crowded(&self) -> bool {
        self.short.len() > BUCKET_LIMIT
            || self
                .by_prefix
                .values()
                .any(|list| list.len() > BUCKET_LIMIT)
    }

    /// The longest pattern that `hay` holds at byte `at`: its number and
    /// length (the first given among equal ones).
    #[inline(always)]
    pub fn longest_at(&self, hay: &[u8], at: usize) -> Option<(usize, usize)> {
        let rest = hay.get(at..)?;
        // The common case, inlined into the callers' loops: no pattern's
        // first three bytes are here (the filter's bit is clear).
        if rest.len() >= 3 && self.short.is_empty() {
            let s = slot(prefix(rest));
            if self.filter[s >> 6] & (1 << (s & 63)) == 0 {
                return None;
            }
        }
        self.longest_in(rest)
    }

    /// [`Patterns::longest_at`] on the rest of the text from a position.
    fn longest_in(&self, rest: &[u8]) -> Option<(usize, usize)> {
        let starts = |k: &u32| {
            let p = self.patterns[*k as usize];
            rest.starts_with(p).then_some((*k as usize, p.len()))
        };
        if rest.len() >= 3 {
            let v = prefix(rest);
            let s = slot(v);
            if self.filter[s >> 6] & (1 << (s & 63)) != 0 {
                if let Some(found) = self
                    .by_prefix
                    .get(&v)
                    .and_then(|l| l.iter().find_map(starts))
                {
                    return Some(found);
                }
            }
        }
        self.short.iter().find_map(starts)
    }

    /// Leftmost-longest matches of `hay` that do not overlap (the search goes
    /// on after each match): pattern number, start, end.
    pub fn find_iter<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < hay.len() {
                if let Some((k, len)) = self.longest_at(hay, at) {
                    let start = at;
                    at += len;
                    return Some((k, start, at));
                }
                at += 1;
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn leftmost_longest(pats: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pats)
            .unwrap();
        ac.find_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn finds_what_aho_corasick_finds() {
        let cases: &[(&[&str], &str)] = &[
            (&["abc", "abcd", "bcd"], "xabcdabcbcd"),
            (
                &["トヨタ", "トヨタ自動車", "自動車"],
                "トヨタ自動車とトヨタの自動車",
            ),
            (&["ab", "b", "abc"], "abcabxbb"),
            (
                &["Quantia", "Quantia Inc."],
                "Quantia Inc. and Quantia, Quanti",
            ),
            (&["同社は", "同社"], "同社は同社が同"),
            (&["aaa"], "aaaaaaa"),
        ];
        for (pats, hay) in cases {
            let ours: Vec<_> = Patterns::new(pats.iter().copied())
                .find_iter(hay.as_bytes())
                .collect();
            assert_eq!(ours, leftmost_longest(pats, hay), "{pats:?} in {hay}");
        }
    }

    /// Short strings over a few letters, one- and three-byte characters.
    fn word(max: usize) -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "abcア社株".chars().collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 1..max)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]
        /// Distinct patterns (as the callers give): the same non-overlapping
        /// leftmost-longest matches as aho-corasick.
        #[test]
        fn leftmost_longest_as_aho_corasick(
            pats in proptest::collection::btree_set(word(5), 1..8),
            hay in word(40),
        ) {
            let pats: Vec<&str> = pats.iter().map(String::as_str).collect();
            let ours: Vec<_> = Patterns::new(pats.iter().copied())
                .find_iter(hay.as_bytes())
                .collect();
            prop_assert_eq!(ours, leftmost_longest(&pats, &hay));
        }

        /// Patterns of one length in characters (dedup's grams): a match at
        /// each place where aho-corasick's overlapping search finds one.
        #[test]
        fn equal_length_patterns_as_overlapping_search(
            pats in proptest::collection::btree_set(word(4), 1..8),
            hay in word(40),
        ) {
            let k = pats.iter().map(|p| p.chars().count()).max().unwrap_or(1);
            let pats: Vec<&str> = pats
                .iter()
                .map(String::as_str)
                .filter(|p| p.chars().count() == k)
                .collect();
            let search = Patterns::new(pats.iter().copied());
            let ours: Vec<(usize, usize)> = (0..hay.len())
                .filter_map(|at| search.longest_at(hay.as_bytes(), at).map(|(p, _)| (p, at)))
                .collect();
            let ac = AhoCorasick::new(&pats).unwrap();
            let theirs: Vec<(usize, usize)> = ac
                .find_overlapping_iter(&hay)
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn longest_at_each_position() {
        let p = Patterns::new(["ab", "abc", "", "c"]);
        assert_eq!(p.len(), 4);
        assert_eq!(p.longest_at(b"abcd", 0), Some((1, 3)));
        assert_eq!(p.longest_at(b"abd", 0), Some((0, 2)));
        assert_eq!(p.longest_at(b"abd", 2), None);
        assert_eq!(p.longest_at(b"c", 0), Some((3, 1)));
        assert_eq!(p.longest_at(b"c", 5), None);
        assert!(Patterns::new(Vec::<&str>::new()).is_empty());
        let many: Vec<String> = (0..=BUCKET_LIMIT).map(|i| format!("第{i}号")).collect();
        assert!(Patterns::new(many.iter().map(String::as_str)).crowded());
        assert!(!Patterns::new(many[1..].iter().map(String::as_str)).crowded());
    }
}
