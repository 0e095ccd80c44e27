//! Decoding bytes to text: BOM sniffing, UTF-8, UTF-16, ISO-2022-JP, and
//! Shift_JIS / EUC-JP (or other legacy encodings) detected with chardetng.
//!
//! Input: the raw bytes of a file. Output: [`Decoded`] text with the name of
//! the encoding and the number of invalid sequences that were replaced.

use encoding_rs::{Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{KijiError, Result};

/// Decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text (invalid sequences replaced by U+FFFD).
    pub text: String,
    /// Encoding name as reported in `source.encoding`.
    pub encoding: &'static str,
    /// Number of invalid byte sequences that were replaced.
    pub replaced: usize,
}

/// Share of invalid UTF-8 sequences (per byte) under which a file is taken as
/// UTF-8 with some damage rather than as a legacy encoding.
const UTF8_DAMAGE_RATIO: f64 = 0.002;

/// Decodes `bytes`, detecting the encoding. Fails on binary data (NUL bytes
/// outside UTF-16, or a large share of control characters).
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == UTF_8 {
            check_binary(body)?;
        }
        return Ok(decode_with(encoding, body, bom_name(encoding)));
    }
    check_binary(bytes)?;
    if bytes.is_ascii()
        && bytes
            .windows(2)
            .any(|w| w == [0x1b, b'$'] || w == [0x1b, b'('])
    {
        return Ok(decode_with(ISO_2022_JP, bytes, "ISO-2022-JP"));
    }
    // Valid UTF-8 (the common case) decodes without copying twice.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
            replaced: 0,
        });
    }
    let invalid = bytes
        .utf8_chunks()
        .filter(|c| !c.invalid().is_empty())
        .count();
    if (invalid as f64) <= (bytes.len() as f64) * UTF8_DAMAGE_RATIO
        || invalid <= 2 && bytes.len() < 1000
    {
        return Ok(Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
            replaced: invalid,
        });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"jp"), true);
    // Between the two common Japanese legacy encodings, keep the one that
    // decodes with fewer errors: chardetng's guess on short texts can be off.
    let encoding = if guess == SHIFT_JIS || guess == EUC_JP {
        let sjis = decode_with(SHIFT_JIS, bytes, "Shift_JIS");
        let euc = decode_with(EUC_JP, bytes, "EUC-JP");
        return Ok(
            if euc.replaced < sjis.replaced || (euc.replaced == sjis.replaced && guess == EUC_JP) {
                euc
            } else {
                sjis
            },
        );
    } else {
        guess
    };
    Ok(decode_with(encoding, bytes, encoding.name()))
}

fn bom_name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        "UTF-8"
    }
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8], name: &'static str) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: name,
        replaced,
    }
}

/// Rejects data that is not text: any NUL byte, or more than 5% control bytes.
fn check_binary(bytes: &[u8]) -> Result<()> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(KijiError::Binary(format!(
            "NUL byte at offset {pos}; the file looks like binary data"
        )));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    if bytes.len() >= 64 && controls * 20 > bytes.len() {
        return Err(KijiError::Binary(format!(
            "{controls} control bytes in {} bytes; the file looks like binary data",
            bytes.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JA: &str =
        "トヨタ自動車は2024年に米国のAI企業と資本業務提携を締結した。出資額は約50億円。";

    #[test]
    fn utf8_plain_and_with_bom() {
        assert_eq!(decode(JA.as_bytes()).unwrap().encoding, "UTF-8");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(JA.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(d.text, JA);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn shift_jis_and_euc_jp_give_the_same_text() {
        for enc in [SHIFT_JIS, EUC_JP] {
            let (bytes, _, _) = enc.encode(JA);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, JA, "{}", enc.name());
            assert_eq!(d.encoding, enc.name());
            assert_eq!(d.replaced, 0);
        }
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(JA.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap().text, JA);
        assert_eq!(decode(&le).unwrap().encoding, "UTF-16LE");
        let mut be = vec![0xFE, 0xFF];
        be.extend(JA.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        assert_eq!(decode(&be).unwrap().text, JA);
    }

    #[test]
    fn iso_2022_jp() {
        let (bytes, _, _) = ISO_2022_JP.encode(JA);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "ISO-2022-JP");
        assert_eq!(d.text, JA);
    }

    #[test]
    fn invalid_bytes_inside_utf8_are_replaced_and_counted() {
        let long = JA.repeat(40);
        let mut bytes = long.as_bytes().to_vec();
        let at = long.char_indices().nth(100).unwrap().0;
        bytes.insert(at, 0xFF);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 1);
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn nul_bytes_are_binary() {
        let err = decode(b"PK\x03\x04\x00\x00binary").unwrap_err();
        assert!(err.to_string().contains("NUL byte"), "{err}");
    }
}
