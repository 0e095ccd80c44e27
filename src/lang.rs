//! Language identification for paragraphs and documents (`ja`, `en`, `mixed`),
//! from the share of Japanese characters among letters.

use crate::document::Lang;
use crate::normalize::is_japanese;

/// Counts of Japanese characters and Latin letters in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Script {
    /// Kana and ideographs.
    pub japanese: usize,
    /// ASCII letters.
    pub latin: usize,
}

/// Counts the scripts of `text`.
pub fn script(text: &str) -> Script {
    let mut s = Script::default();
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            s.latin += 1;
        } else if c >= '\u{3040}' && is_japanese(c) {
            // Japanese, without the symbols and punctuation (U+3000–U+303F).
            s.japanese += 1;
        }
    }
    s
}

/// Language of one paragraph, or `None` when it has no letters.
/// A Japanese character carries about as much as three Latin letters, so a
/// paragraph is `ja` when Japanese characters are at least 25% of the letters,
/// `en` under 5%, and `mixed` in between.
pub fn paragraph_lang(text: &str) -> Option<Lang> {
    let s = script(text);
    let total = s.japanese + s.latin;
    if total == 0 {
        return None;
    }
    let share = s.japanese as f64 / total as f64;
    Some(if share >= 0.25 {
        Lang::Ja
    } else if share < 0.05 {
        Lang::En
    } else {
        Lang::Mixed
    })
}

/// Language of a document from its paragraphs' languages and lengths (chars):
/// `mixed` when the minority language holds at least 10% of the text.
pub fn document_lang(paragraphs: &[(Option<Lang>, usize)]) -> Lang {
    let (mut ja, mut en) = (0.0, 0.0);
    for &(lang, len) in paragraphs {
        match lang {
            Some(Lang::Ja) => ja += len as f64,
            Some(Lang::En) => en += len as f64,
            Some(Lang::Mixed) => {
                ja += len as f64 / 2.0;
                en += len as f64 / 2.0;
            }
            None => {}
        }
    }
    let total = ja + en;
    if total == 0.0 || en / total < 0.1 {
        Lang::Ja
    } else if ja / total < 0.1 {
        Lang::En
    } else {
        Lang::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs() {
        assert_eq!(
            paragraph_lang("ソフトバンクはOpenAIと提携した。"),
            Some(Lang::Ja)
        );
        assert_eq!(
            paragraph_lang("Softbank is uniting Japan's industrial elite."),
            Some(Lang::En)
        );
        assert_eq!(paragraph_lang("12,345"), None);
    }

    #[test]
    fn documents() {
        assert_eq!(
            document_lang(&[(Some(Lang::Ja), 1000), (Some(Lang::En), 20)]),
            Lang::Ja
        );
        assert_eq!(
            document_lang(&[(Some(Lang::Ja), 1000), (Some(Lang::En), 900)]),
            Lang::Mixed
        );
        assert_eq!(document_lang(&[(Some(Lang::En), 1000)]), Lang::En);
    }
}
