//! Fuzz target: decoding (`kiji::ingest::decode::decode`): BOMs, UTF-8 with
//! damage, UTF-16, ISO-2022-JP, Shift_JIS / EUC-JP detection, binary checks.
//! Checks that decoding is deterministic and that a successful decoding of
//! data without a BOM has no NUL characters.
#![no_main]

use kiji::ingest::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let first = decode::decode(data);
    let second = decode::decode(data);
    match (&first, &second) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "decoding is not deterministic");
            let bom = data.starts_with(&[0xEF, 0xBB, 0xBF])
                || data.starts_with(&[0xFF, 0xFE])
                || data.starts_with(&[0xFE, 0xFF]);
            if !bom {
                assert!(!a.text.contains('\0'), "NUL decoded from {data:?}");
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("decoding is not deterministic"),
    }
});
