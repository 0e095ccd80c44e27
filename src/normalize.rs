//! Normalize stage: one line of text in, its normalized form out.
//!
//! Rules, applied in this order (each is tested below):
//! 1. Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and control
//!    characters are dropped; tabs become spaces.
//! 2. Unicode NFKC: full-width ASCII becomes half-width (`ＮＴＴ２０２４` →
//!    `NTT2024`), half-width katakana becomes full-width (`ｿﾌﾄﾊﾞﾝｸ` →
//!    `ソフトバンク`), `㈱` becomes `(株)`, the ideographic space a space.
//!    Japanese punctuation `。、「」` is not affected.
//! 3. Hyphen variants (`‐ ‑ ‒ – ⁃ ⁻ ₋ −`) become `-`; dash and box-drawing
//!    variants (`— ― ─ ━`) become the long vowel mark `ー` after kana and `-`
//!    elsewhere.
//! 4. Repeated long vowel marks are shortened to one (`すごーーーい` → `すごーい`).
//! 5. Wave dashes and tildes (`〜 〰 ∼ ∾`, and `~` next to a digit or Japanese)
//!    become `〜` (`2019年~2021年` → `2019年〜2021年`).
//! 6. Runs of spaces become one space; spaces between two Japanese characters
//!    are removed (`日本 の 企業` → `日本の企業`), and so are the spaces of a
//!    letter-spaced run that holds a Japanese character (`株 式 会 社 F R O N T E O`
//!    → `株式会社FRONTEO`, a PDF letterhead); the line is trimmed.
//!
//! The result is idempotent: normalizing it again changes nothing.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Whether `c` is kana, a CJK ideograph, or Japanese punctuation.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' |
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' |
        '\u{31F0}'..='\u{31FF}')
}

fn is_wave(c: char) -> bool {
    matches!(c, '〜' | '〰' | '∼' | '∾' | '~')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A1}'..='\u{30FF}')
}

/// Normalizes every line of the blocks, dropping lines and blocks left empty.
pub fn normalize_blocks(blocks: Vec<crate::document::Block>) -> Vec<crate::document::Block> {
    blocks
        .into_iter()
        .filter_map(|mut b| {
            for l in &mut b.lines {
                if !is_normalized(&l.text) {
                    l.text = normalize_rules(&l.text);
                }
            }
            b.lines.retain(|l| !l.text.is_empty());
            (!b.lines.is_empty()).then_some(b)
        })
        .collect()
}

/// Whether `input` is already normalized, without allocating: one pass over
/// the characters, plus Unicode's NFKC quick check when a character outside
/// [`nfkc_stable`] needs it. A sufficient test: `false` only means the rules
/// must run.
pub fn is_normalized(input: &str) -> bool {
    if input.trim() != input {
        return false;
    }
    let mut prev: Option<char> = None;
    // Whether a character needs Unicode's quick check.
    let mut unsure = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let ok = match c {
            ' ' => {
                let next = chars.peek().copied();
                let solid = |x: Option<char>| x.is_some_and(|x| x != ' ' && x != '\n');
                solid(prev)
                    && solid(next)
                    && !(prev.is_some_and(is_japanese) && next.is_some_and(is_japanese))
            }
            '\n' => prev != Some(' '),
            'ー' => prev != Some('ー'),
            '~' => {
                let wavy = |x: char| x.is_ascii_digit() || is_japanese(x) || is_wave(x);
                !prev.is_some_and(wavy) && !chars.peek().copied().is_some_and(wavy)
            }
            '〰'
            | '∼'
            | '∾'
            | '\u{2010}'..='\u{2015}'
            | '\u{2043}'
            | '\u{207B}'
            | '\u{208B}'
            | '\u{2212}'
            | '\u{2500}'
            | '\u{2501}' => false,
            c => !is_zero_width(c) && !c.is_control() && !c.is_whitespace(),
        };
        if !ok {
            return false;
        }
        if !nfkc_stable(c) {
            // A character whose quick check says No never stands in NFKC text.
            if is_nfkc_quick(std::iter::once(c)) == IsNormalized::No {
                return false;
            }
            unsure = true;
        }
        prev = Some(c);
    }
    !unsure || is_nfkc_quick(input.chars()) == IsNormalized::Yes
}

/// Characters that NFKC leaves alone whatever surrounds them (combining class
/// 0, quick check Yes, never composed with a neighbour): printable ASCII, kana
/// (without the sound marks), the common CJK ideographs, punctuation and
/// symbols. A line made only of these needs no Unicode quick check; the test
/// below checks every one of them against unicode-normalization.
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        ' '..='~' | '\u{3001}'..='\u{3029}' | '\u{3030}'..='\u{3035}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        // Latin-1 letters, quotes and common symbols (※ → × ○ ■ ★ ...).
        | '\u{00BF}'..='\u{00FF}' | '\u{2018}'..='\u{2023}' | '\u{2030}'..='\u{2032}'
        | '\u{2038}'..='\u{203B}' | '\u{2190}'..='\u{222B}' | '\u{2231}'..='\u{2328}'
        | '\u{232B}'..='\u{23FF}' | '\u{2500}'..='\u{257F}' | '\u{25A0}'..='\u{27BF}')
}

/// Normalizes one line (or a paragraph; line breaks are kept).
pub fn normalize(input: &str) -> String {
    if is_normalized(input) {
        return input.to_string();
    }
    normalize_rules(input)
}

/// Every rule, applied whether or not the input needs it.
fn normalize_rules(input: &str) -> String {
    let cleaned: String = input
        .chars()
        .filter(|&c| !is_zero_width(c) && (!c.is_control() || c == '\n' || c == '\t'))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let nfkc: Vec<char> = cleaned.nfkc().collect();
    let mut out = String::with_capacity(nfkc.len() * 3);
    let mut prev: Option<char> = None;
    for (i, &c) in nfkc.iter().enumerate() {
        let next = nfkc.get(i + 1).copied();
        let mapped = match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2043}' | '\u{207B}'
            | '\u{208B}' | '\u{2212}' => '-',
            '\u{2014}' | '\u{2015}' | '\u{2500}' | '\u{2501}' | 'ー' => {
                if c == 'ー' || prev.is_some_and(|p| is_kana(p) || p == 'ー') {
                    'ー'
                } else {
                    '-'
                }
            }
            '〜' | '〰' | '∼' | '∾' => '〜',
            // A tilde next to a digit, Japanese or another wave dash is a wave dash.
            '~' if prev.is_some_and(|p| p.is_ascii_digit() || is_japanese(p) || is_wave(p))
                || next.is_some_and(|n| n.is_ascii_digit() || is_japanese(n) || is_wave(n)) =>
            {
                '〜'
            }
            _ => c,
        };
        if mapped == 'ー' && prev == Some('ー') {
            continue;
        }
        if mapped == ' ' && (prev == Some(' ') || prev.is_none() || prev == Some('\n')) {
            continue;
        }
        if mapped == '\n' && prev == Some(' ') {
            out.pop();
        }
        out.push(mapped);
        prev = Some(mapped);
    }
    // Remove spaces between Japanese characters and inside letter-spaced runs
    // (then long vowels that met collapse).
    let chars: Vec<char> = out.chars().collect();
    let spaced = letter_spaced(&chars);
    let mut result = String::with_capacity(out.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if spaced.binary_search(&i).is_ok() {
                continue;
            }
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            if before.is_some_and(is_japanese) && after.is_some_and(is_japanese) {
                continue;
            }
        }
        if c == 'ー' && result.ends_with('ー') {
            continue;
        }
        result.push(c);
    }

    let trimmed = result.trim();
    if is_nfkc_quick(trimmed.chars()) == IsNormalized::Yes {
        trimmed.to_string()
    } else {
        // Removing a space can bring a combining mark next to a new base.
        trimmed.nfkc().collect::<String>().trim().to_string()
    }
}

/// Positions of the spaces inside letter-spaced runs (`株 式 会 社 F R O N T E O`,
/// a PDF letterhead's justified layout): four or more single letters or
/// digits, one of them Japanese, each after one space. A run of Latin letters
/// alone (`U S A`) or of punctuation (`| | |`) is left as written.
fn letter_spaced(chars: &[char]) -> Vec<usize> {
    let single = |i: usize| {
        chars[i].is_alphanumeric()
            && (i == 0 || chars[i - 1] == ' ')
            && chars.get(i + 1).is_none_or(|&c| c == ' ')
    };
    let mut spaces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !single(i) {
            i += 1;
            continue;
        }
        let (mut end, mut letters, mut japanese) = (i, 1, is_japanese(chars[i]));
        while end + 2 < chars.len() && chars[end + 1] == ' ' && single(end + 2) {
            end += 2;
            letters += 1;
            japanese |= is_japanese(chars[end]);
        }
        if letters >= 4 && japanese {
            spaces.extend((i + 1..end).step_by(2));
        }
        i = end + 1;
    }
    spaces
}

#[cfg(test)]
mod tests {
    use super::{is_normalized, normalize, normalize_rules};
    use proptest::prelude::*;

    /// Characters that every rule reacts to, and ordinary ones.
    fn line() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> =
            "aZ09 ~-ー—―─〜∼\t\n　ＡＢ１ｶﾞｰ㈱（）、。日本語のカタカナ\u{200B}\u{0301}\u{3099}é"
                .chars()
                .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..24)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]
        /// The fast check never lets through a line that a rule would change.
        #[test]
        fn is_normalized_implies_every_rule_is_a_no_op(input in line()) {
            if is_normalized(&input) {
                prop_assert_eq!(normalize_rules(&input), input);
            }
        }

        /// The check accepts the normalizer's own output (so it saves work where it matters).
        #[test]
        fn normalized_output_passes_the_check_unless_it_holds_a_combining_mark(input in line()) {
            let out = normalize(&input);
            if !out.chars().any(|c| matches!(c, '\u{0300}'..='\u{036F}' | '\u{3099}' | '\u{309A}')) {
                prop_assert!(is_normalized(&out), "{:?} -> {:?}", input, out);
            }
        }
    }

    #[test]
    fn stable_characters_are_left_alone_by_nfkc() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
        let stable: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| super::nfkc_stable(c))
            .collect();
        assert!(stable.len() > 20_000);
        for c in stable {
            let one = c.to_string();
            assert_eq!(one.nfkc().collect::<String>(), one, "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(
                is_nfkc_quick(one.chars()),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn is_normalized_on_typical_lines() {
        assert!(is_normalized("ソフトバンクは2024年にOpenAIと提携した。"));
        assert!(is_normalized("Sakana AI raised $100 million."));
        assert!(!is_normalized("ＮＴＴデータ"));
        assert!(!is_normalized("日本 の企業"));
        assert!(!is_normalized("すごーーい"));
        assert!(!is_normalized(" leading"));
        assert!(!is_normalized("2019年~2021年"));
    }

    #[test]
    fn full_width_ascii_to_half_width() {
        assert_eq!(
            normalize("ＮＴＴデータは２０２４年に１００億円"),
            "NTTデータは2024年に100億円"
        );
    }

    #[test]
    fn half_width_katakana_to_full_width() {
        assert_eq!(normalize("ｿﾌﾄﾊﾞﾝｸとｱｼﾞﾗ"), "ソフトバンクとアジラ");
    }

    #[test]
    fn company_marks_and_parentheses() {
        assert_eq!(
            normalize("㈱アルファテック（日本）"),
            "(株)アルファテック(日本)"
        );
    }

    #[test]
    fn hyphens_and_long_vowels() {
        assert_eq!(normalize("セブン‐イレブン"), "セブン-イレブン");
        assert_eq!(normalize("データ—センター"), "データーセンター");
        assert_eq!(normalize("2020–2021"), "2020-2021");
        assert_eq!(normalize("すごーーーい、コーーヒー"), "すごーい、コーヒー");
    }

    #[test]
    fn wave_dashes_and_tildes() {
        assert_eq!(normalize("2019年～2021年"), "2019年〜2021年");
        assert_eq!(normalize("2019〜2021年"), "2019〜2021年");
        assert_eq!(normalize("10∼20億円"), "10〜20億円");
    }

    #[test]
    fn spaces_between_japanese_removed_but_not_between_words() {
        assert_eq!(
            normalize("日本 の　企業と Sakana AI が  提携"),
            "日本の企業と Sakana AI が提携"
        );
    }

    #[test]
    fn letter_spaced_letterhead_joined() {
        assert_eq!(
            normalize("株  式   会  社 F R O N T E O"),
            "株式会社FRONTEO"
        );
        assert_eq!(
            normalize("代表取締役社長 平 田 機 工 2 0 2 4 年"),
            "代表取締役社長平田機工2024年"
        );
        // Latin letters alone, punctuation and ordinary words keep their spaces.
        assert_eq!(normalize("the U S A team"), "the U S A team");
        assert_eq!(normalize("研 究 所 | | | |"), "研究所 | | | |");
        assert_eq!(normalize("A 社 と Sakana AI"), "A 社と Sakana AI");
    }

    #[test]
    fn zero_width_and_control_dropped() {
        assert_eq!(
            normalize("提\u{200B}携\u{0007}を\u{FEFF}締結"),
            "提携を締結"
        );
    }

    #[test]
    fn japanese_punctuation_kept() {
        assert_eq!(
            normalize("「提携」を締結した。次に、"),
            "「提携」を締結した。次に、"
        );
    }

    #[test]
    fn idempotent_on_samples() {
        for s in [
            "ＡＢＣ　ｱｲｳ〜ーー",
            "e\u{200B}\u{0301}x",
            " 日本 ~ 企業 ",
            "👍🏽 ｶﾞ ゙",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }
}
