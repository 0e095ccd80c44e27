//! Robustness under bad input (issue 9): a corpus of broken, odd and hostile
//! inputs is built in a temporary folder by the tests (nothing binary is
//! committed) and run through the `kiji` binary and the library.
//!
//! Every document must give exactly one output line (a result or
//! `{"id","error"}` with a clear message), nothing may panic (the binary turns
//! a caught panic into "internal error"), the `--report` counts must add up
//! (`seen = ok + failed + skipped`), and time and memory must stay bounded.
//! The time bounds below are blow-up guards (quadratic behaviour), not speed
//! targets: speed is measured in `benches/`.
//!
//! Unreadable files: the tests run as root, so `chmod 000` does not stop a
//! read. What really fails is a dangling symlink (`No such file or
//! directory`), a symlink to itself (`Too many levels of symbolic links`) and
//! a symlink to an ancestor folder (walk loop). A folder named like an article
//! (`folder.md/`) is walked as a folder. A FIFO named like an article has its
//! own test (reading it would block forever).
//!
//! Run: `cargo test --release --test bad_input`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use kiji::batch::{self, Outcome, Summary};
use kiji::ingest::{self, Content, Format, Input, Limits};
use serde_json::Value;

/// A blow-up guard for one pathological document, in release mode (debug builds get more).
const BLOWUP_SECS: u64 = 20;

fn kiji() -> Command {
    Command::cargo_bin("kiji").unwrap()
}

fn kiji_std() -> std::process::Command {
    std::process::Command::cargo_bin("kiji").unwrap()
}

fn blowup_bound() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(BLOWUP_SECS * 5)
    } else {
        Duration::from_secs(BLOWUP_SECS)
    }
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).expect("output is UTF-8");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad output line {l:?}: {e}")))
        .collect()
}

const JA: &str = "トヨタ自動車は2024年に米国のNVIDIAと資本業務提携を締結した。出資額は約50億円。";

/// What a corpus document must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A result (no `error`).
    Result,
    /// An error line whose message contains this (case-insensitive).
    Error(&'static str),
    /// Either a result or an error line with a message.
    Either,
    /// No line: counted as skipped.
    Skipped,
}

/// Builds the bad-input corpus under `root`; returns the expected output per id.
fn build_corpus(root: &Path) -> BTreeMap<String, Expect> {
    let mut expect = BTreeMap::new();
    let mut put = |name: &str, bytes: &[u8], e: Expect| {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        expect.insert(name.to_string(), e);
    };
    build_files(&mut put);
    // Symlinks: a loop to an ancestor folder, one to itself, a dangling one.
    fs::create_dir_all(root.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("loop/up")).unwrap();
    expect.insert("loop/up".into(), Expect::Error("symlink loop"));
    std::os::unix::fs::symlink("self.md", root.join("self.md")).unwrap();
    expect.insert("self.md".into(), Expect::Error("symbolic links"));
    std::os::unix::fs::symlink("missing-target.md", root.join("dangling.md")).unwrap();
    expect.insert("dangling.md".into(), Expect::Error("no such file"));
    // chmod 000: unreadable for a normal user (error), readable for root (result).
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(
        root.join("no_permission.md"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    expect
}

fn build_files(put: &mut dyn FnMut(&str, &[u8], Expect)) {
    put("empty.md", b"", Expect::Result);
    put(
        "whitespace.txt",
        " \n\t\n\u{3000}\n\r\n  \n".as_bytes(),
        Expect::Result,
    );
    put(
        "only_markers.md",
        "---END---\n".repeat(200).as_bytes(),
        Expect::Result,
    );
    put(
        "binary_nul.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        Expect::Error("not text"),
    );
    put(
        "binary_nul_late.md",
        &nul_after_text(),
        Expect::Error("not text"),
    );
    put(
        "invalid_utf8_middle.md",
        &invalid_utf8_middle(),
        Expect::Result,
    );
    put(
        "truncated_multibyte.md",
        &truncated_multibyte(),
        Expect::Result,
    );
    put(
        "shift_jis.txt",
        &encoding_rs::SHIFT_JIS.encode(JA).0,
        Expect::Result,
    );
    put(
        "euc_jp.txt",
        &encoding_rs::EUC_JP.encode(JA).0,
        Expect::Result,
    );
    put(
        "iso_2022_jp.txt",
        &encoding_rs::ISO_2022_JP.encode(JA).0,
        Expect::Result,
    );
    put("utf16le_bom.txt", &utf16(JA, true, true), Expect::Result);
    put("utf16be_bom.txt", &utf16(JA, false, true), Expect::Result);
    // No BOM: NUL bytes in ASCII characters; a clear "not text" error or a correct decoding.
    put(
        "utf16le_no_bom.txt",
        &utf16(JA, true, false),
        Expect::Either,
    );
    put("huge_one_line.txt", &huge_one_line(), Expect::Result);
    put(
        "near_identical.md",
        near_identical_paragraphs(10_000).as_bytes(),
        Expect::Result,
    );
    put(
        "table_10000_rows.md",
        big_table(10_000).as_bytes(),
        Expect::Result,
    );
    put(
        "unterminated_front_matter.md",
        format!("---\ntitle: 閉じない\ndate: 2024-01-01\n{JA}\n").as_bytes(),
        Expect::Result,
    );
    put(
        "front_matter_not_yaml.md",
        format!("---\n: : [[\n\t- {{ x\n\"unclosed\n---\n{JA}\n").as_bytes(),
        Expect::Result,
    );
    put(
        "front_matter_not_mapping.md",
        format!("---\n- a\n- b\n---\n{JA}\n").as_bytes(),
        Expect::Result,
    );
    put(
        "emoji_marks.md",
        emoji_and_marks().as_bytes(),
        Expect::Result,
    );
    put(
        "html_only_tags.html",
        b"<html><body><div><p></p><script>x()</script></div>",
        Expect::Result,
    );
    put(
        "crlf_and_cr.txt",
        format!("{JA}\r\n\r\nSecond.\rThird.\r").as_bytes(),
        Expect::Result,
    );
    put(
        "unsupported.pdf",
        b"%PDF-1.4 not an article",
        Expect::Skipped,
    );

    // 50 nested folders.
    let mut deep = String::new();
    for i in 0..50 {
        deep.push_str(&format!("d{i:02}/"));
    }
    put(&format!("{deep}deep.md"), JA.as_bytes(), Expect::Result);

    // A folder named like an article is walked as a folder.
    put("folder.md/inner.md", JA.as_bytes(), Expect::Result);

    put("no_permission.md", JA.as_bytes(), Expect::Either);
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn nul_after_text() -> Vec<u8> {
    let mut b = JA.repeat(20).into_bytes();
    b.extend_from_slice(b"\n\x00\x01\x02\x03");
    b
}

fn invalid_utf8_middle() -> Vec<u8> {
    let mut b = format!("{JA}\n\n").repeat(5).into_bytes();
    let mid = JA.len() * 2 + 4 + 3; // on a character boundary (every char of JA is 1 or 3 bytes)
    let at = (mid..b.len())
        .find(|&i| std::str::from_utf8(&b[..i]).is_ok())
        .unwrap();
    b.splice(at..at, [0xFF, 0xC3, 0x28]);
    b
}

fn truncated_multibyte() -> Vec<u8> {
    let mut b = JA.as_bytes().to_vec();
    b.extend_from_slice(&"あ".as_bytes()[..2]);
    b
}

fn huge_one_line() -> Vec<u8> {
    let unit = "ソフトバンクはOpenAIと提携した。";
    let mut s = String::with_capacity(50 * 1024 * 1024 + unit.len());
    while s.len() < 50 * 1024 * 1024 {
        s.push_str(unit);
    }
    s.into_bytes()
}

fn near_identical_paragraphs(n: usize) -> String {
    let mut s = String::from("---\ntitle: 繰り返し\n---\n");
    for i in 0..n {
        s.push_str(&format!(
            "トヨタ自動車は2024年にNVIDIAと資本業務提携を締結したと発表した。第{}報。\n\n",
            i % 97
        ));
        if i % 1000 == 999 {
            s.push_str("---END---\n\n");
        }
    }
    s
}

fn big_table(rows: usize) -> String {
    let mut s = String::from("# 提携一覧\n\n| 企業 | 提携先 | 年 | 金額 |\n|---|---|---|---|\n");
    let names = [
        "トヨタ自動車",
        "NVIDIA",
        "ソフトバンク",
        "OpenAI",
        "日立製作所",
        "Microsoft",
    ];
    for i in 0..rows {
        s.push_str(&format!(
            "| {} | {} | {}年 | {}億円 |\n",
            names[i % names.len()],
            names[(i + 1) % names.len()],
            2000 + i % 25,
            i % 1000
        ));
    }
    s
}

fn emoji_and_marks() -> String {
    [
        "トヨタ自動車🚗は👍🏽NVIDIAと2024年に提携した。",
        "家族👨\u{200D}👩\u{200D}👧と❤\u{FE0F}と☺\u{FE0E}と🇯🇵の旗。",
        "葛\u{E0100}飾区の会社と辻\u{E0101}󠄁󠄁が出資。",
        "e\u{0301}te\u{0301} cafe\u{0301} and Zalgo t\u{0336}\u{0337}e\u{0338}x\u{0335}t.",
        "か\u{3099}き\u{309A}と\u{0301}\u{0301}\u{0301}先頭の結合文字。",
        "\u{0301}\u{20DD}\u{FE0F}",
        "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟﾌﾟ と ㈱テスト と ①②③ と ﬁ ligature.",
        "RTL: שלום عربي and bidi \u{202E}override\u{202C}.",
    ]
    .join("\n\n")
}

/// Runs `cmd` with stdout to `out`, sampling the child's peak memory (VmHWM, kB).
fn run_measured(mut cmd: std::process::Command, out: &Path) -> (i32, String, u64, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::from(fs::File::create(out).unwrap()))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(status) = fs::read_to_string(format!("/proc/{}/status", child.id())) {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "the run did not finish in 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = reader.join().unwrap();
    (
        status.code().unwrap_or(-1),
        stderr,
        peak_kb,
        start.elapsed(),
    )
}

#[test]
fn corpus_gives_one_line_per_document_no_panic_counts_add_up_and_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let expect = build_corpus(&root);
    let report = dir.path().join("report.json");
    let out1 = dir.path().join("out1.jsonl");

    let mut cmd = kiji_std();
    cmd.args(["ingest", "--jobs", "2", "--report"])
        .arg(&report)
        .arg(&root);
    let (code, stderr, peak_kb, took) = run_measured(cmd, &out1);
    eprintln!(
        "corpus run: {:.1} s, peak RSS {} MB",
        took.as_secs_f64(),
        peak_kb / 1024
    );
    assert!(
        !stderr.contains("internal error"),
        "a panic was caught:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, 2, "some documents fail: exit 2\n{stderr}");
    // The whole corpus (50 MB line, 10,000 paragraphs, 10,000 rows ...) in bounded time and memory.
    assert!(took < blowup_bound() * 3, "corpus took {took:?}: blow-up?");
    assert!(
        peak_kb < 3 * 1024 * 1024,
        "peak memory {} MB: not bounded",
        peak_kb / 1024
    );

    let stdout = fs::read(&out1).unwrap();
    let docs = json_lines(&stdout);
    let mut seen_ids = BTreeSet::new();
    for d in &docs {
        let id = d["id"].as_str().expect("every line has an id").to_string();
        assert!(seen_ids.insert(id.clone()), "{id} written twice");
        match d.get("error") {
            Some(err) => {
                let msg = err.as_str().expect("error is a string");
                assert!(msg.len() >= 10, "{id}: error message too short: {msg:?}");
                assert!(!msg.contains("internal error"), "{id}: panic: {msg}");
                assert_eq!(
                    d.as_object().unwrap().len(),
                    2,
                    "error line is {{id, error}}: {d}"
                );
            }
            None => {
                for field in ["text", "entities", "records", "dedup", "source"] {
                    assert!(d.get(field).is_some(), "{id}: missing {field}");
                }
            }
        }
    }
    let expected_ids: BTreeSet<String> = expect
        .iter()
        .filter(|(_, e)| !matches!(e, Expect::Skipped))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        seen_ids, expected_ids,
        "one line per document, no more, no less"
    );
    for (id, e) in expect.iter().filter(|(_, e)| !matches!(e, Expect::Skipped)) {
        let d = docs.iter().find(|d| d["id"] == id.as_str()).unwrap();
        match e {
            Expect::Result => assert!(d.get("error").is_none(), "{id}: expected a result, got {d}"),
            Expect::Error(needle) => {
                let msg = d["error"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{id}: expected an error, got a result"));
                assert!(
                    msg.to_lowercase().contains(&needle.to_lowercase()),
                    "{id}: error {msg:?} should mention {needle:?}"
                );
            }
            Expect::Either | Expect::Skipped => {}
        }
    }

    // Sensible results.
    let doc = |id: &str| docs.iter().find(|d| d["id"] == id).unwrap();
    for id in ["empty.md", "whitespace.txt", "only_markers.md"] {
        assert_eq!(doc(id)["text"], "", "{id}");
        assert_eq!(doc(id)["entities"].as_array().unwrap().len(), 0, "{id}");
    }
    for (id, enc) in [
        ("shift_jis.txt", "Shift_JIS"),
        ("euc_jp.txt", "EUC-JP"),
        ("iso_2022_jp.txt", "ISO-2022-JP"),
        ("utf16le_bom.txt", "UTF-16LE"),
        ("utf16be_bom.txt", "UTF-16BE"),
    ] {
        assert_eq!(doc(id)["source"]["encoding"], enc, "{id}");
        assert!(
            doc(id)["text"]
                .as_str()
                .unwrap()
                .contains("トヨタ自動車は2024年に米国のNVIDIAと資本業務提携"),
            "{id}: {}",
            doc(id)["text"]
        );
    }
    let no_bom = doc("utf16le_no_bom.txt");
    if no_bom.get("error").is_none() {
        assert!(
            no_bom["text"].as_str().unwrap().contains("トヨタ自動車"),
            "UTF-16 without BOM decoded wrongly: {no_bom}"
        );
    }
    for id in ["invalid_utf8_middle.md", "truncated_multibyte.md"] {
        let d = doc(id);
        let warnings = d["warnings"].to_string();
        assert!(
            warnings.contains("replaced with U+FFFD"),
            "{id}: {warnings}"
        );
        assert_eq!(d["source"]["encoding"], "UTF-8", "{id}");
        assert!(d["text"].as_str().unwrap().contains("資本業務提携"), "{id}");
    }
    assert!(doc("unterminated_front_matter.md")["warnings"]
        .to_string()
        .contains("never closed"));
    assert!(doc("front_matter_not_yaml.md")["warnings"]
        .to_string()
        .contains("not valid YAML"));
    assert!(doc("front_matter_not_yaml.md")["text"]
        .as_str()
        .unwrap()
        .contains("資本業務提携"));
    assert!(doc("front_matter_not_mapping.md")["warnings"]
        .to_string()
        .contains("not a YAML mapping"));
    assert!(
        doc("near_identical.md")["paragraphs"]
            .as_array()
            .unwrap()
            .len()
            <= 200,
        "10,000 near-identical paragraphs should collapse"
    );
    let table = doc("table_10000_rows.md");
    assert!(
        !table["records"].as_array().unwrap().is_empty(),
        "table rows give records"
    );
    for e in doc("emoji_marks.md")["entities"].as_array().unwrap() {
        let text: Vec<char> = doc("emoji_marks.md")["text"]
            .as_str()
            .unwrap()
            .chars()
            .collect();
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..t].iter().collect::<String>(),
            e["text"].as_str().unwrap()
        );
    }

    // The report's counts add up.
    let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let n = |k: &str| {
        r[k].as_u64()
            .unwrap_or_else(|| panic!("report has no {k}: {r}"))
    };
    assert_eq!(n("seen"), n("ok") + n("failed") + n("skipped"), "{r}");
    assert_eq!(n("ok") + n("failed"), docs.len() as u64, "{r}");
    assert_eq!(n("skipped"), 1, "unsupported.pdf: {r}");
    let errors = docs.iter().filter(|d| d.get("error").is_some()).count() as u64;
    assert_eq!(n("failed"), errors, "{r}");

    // Same bytes with one thread.
    let out2 = dir.path().join("out2.jsonl");
    let mut cmd = kiji_std();
    cmd.args(["ingest", "--quiet", "--jobs", "1"]).arg(&root);
    let (code2, _, _, _) = run_measured(cmd, &out2);
    assert_eq!(code2, 2);
    assert!(
        fs::read(&out2).unwrap() == stdout,
        "--jobs 1 and --jobs 2 differ on the bad-input corpus"
    );
}

/// Processes a document of `n` units and one of `n / 4`, and fails on a blow-up:
/// over the generous bound, or a quadratic growth (linear work grows about 4
/// times from `n / 4` to `n`, quadratic work 16 times; more than 8 times once
/// the big one takes over a second is taken as quadratic).
fn assert_no_blowup(what: &str, n: usize, make: impl Fn(usize) -> String) -> kiji::Document {
    let p = common::pipeline();
    let time = |text: &str| {
        let t = Instant::now();
        let doc = p.process_text(what, text).unwrap();
        (t.elapsed(), doc)
    };
    let small = make(n / 4);
    let (t_small, _) = time(&small);
    let (t_small2, _) = time(&small);
    let t_small = t_small.min(t_small2);
    let (t_big, doc) = time(&make(n));
    let ratio = t_big.as_secs_f64() / t_small.as_secs_f64().max(1e-3);
    eprintln!(
        "{what}: {} units {t_small:?}, {n} units {t_big:?} (x{ratio:.1})",
        n / 4
    );
    assert!(t_big < blowup_bound(), "{what}: {n} units took {t_big:?}");
    assert!(
        t_big < Duration::from_secs(1) || ratio < 8.0,
        "{what}: quadratic blow-up: {} units in {t_small:?}, {n} units in {t_big:?} (x{ratio:.1}, linear is x4)",
        n / 4
    );
    common::assert_offsets(&doc);
    doc
}

#[test]
fn ten_thousand_near_identical_paragraphs_do_not_blow_up() {
    let doc = assert_no_blowup(
        "near-identical paragraphs",
        10_000,
        near_identical_paragraphs,
    );
    assert!(doc.dedup.markers >= 10, "{:?}", doc.dedup);
    assert!(doc.paragraphs.len() <= 200, "{} kept", doc.paragraphs.len());
}

#[test]
fn ten_thousand_templated_paragraphs_do_not_blow_up() {
    // Boilerplate-like paragraphs that differ in a few numbers: similar, mostly
    // under the near-duplicate threshold, and sharing LSH buckets.
    assert_no_blowup("templated paragraphs", 10_000, |n| {
        (0..n)
            .map(|i| {
                format!(
                    "第{i}号の記事では、会社{}が{}年に新しい工場を建設した。\n\n",
                    i * 7919 % 100_003,
                    1900 + i % 120
                )
            })
            .collect()
    });
}

#[test]
fn table_with_ten_thousand_rows_does_not_blow_up() {
    let doc = assert_no_blowup("table rows", 10_000, big_table);
    assert!(!doc.records.is_empty());
}

#[test]
fn limits_name_their_flags() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("big.md"), JA.repeat(100)).unwrap();
    fs::write(
        dir.path().join("long_line.md"),
        format!("短い行。\n{}{}\n", "え".repeat(100), "お".repeat(100)),
    )
    .unwrap();
    let out = kiji()
        .args(["ingest", "--quiet", "--max-file-bytes", "1000"])
        .arg(dir.path().join("big.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let d = &json_lines(&out.stdout)[0];
    let msg = d["error"].as_str().unwrap();
    assert!(
        msg.contains("--max-file-bytes") && msg.contains("1000"),
        "{msg}"
    );
    assert!(msg.contains("file size"), "{msg}");

    // A line over the line limit is split into paragraphs, with a warning naming the flag.
    let out = kiji()
        .args(["ingest", "--quiet", "--max-line-bytes", "300"])
        .arg(dir.path().join("long_line.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let d = &json_lines(&out.stdout)[0];
    let warning = d["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("--max-line-bytes") && warning.contains("300"),
        "{warning}"
    );
    let text = d["text"].as_str().unwrap();
    assert_eq!(
        text.matches('え').count(),
        100,
        "nothing of the long line is lost"
    );
    assert_eq!(
        text.matches('お').count(),
        100,
        "nothing of the long line is lost"
    );
    assert!(d["paragraphs"].as_array().unwrap().len() >= 3, "{d}");

    // The library's limits on bytes in memory too.
    let p = kiji::Pipeline::new(kiji::Options {
        limits: Limits {
            max_file_bytes: 100,
            max_line_bytes: 50,
        },
        ..Default::default()
    })
    .unwrap();
    let e = p.process_text("x.md", &"a".repeat(200)).unwrap_err();
    assert!(e.to_string().contains("--max-file-bytes"), "{e}");
    let digits: String = (0..30).map(|i| format!("{i:02}")).collect();
    let doc = p.process_text("x.md", &digits).unwrap();
    assert_eq!(
        doc.paragraphs.len(),
        2,
        "a 60-byte line is cut in two under a 50-byte limit"
    );
    assert!(
        doc.warnings[0].contains("--max-line-bytes"),
        "{:?}",
        doc.warnings
    );
    // A JSON Lines article's body is split the same way.
    let jl = dir.path().join("a.jsonl");
    let body: String = (0..200).map(|i| format!("{i:03}")).collect();
    fs::write(&jl, format!("{{\"text\": \"{body}\"}}\n")).unwrap();
    let out = kiji()
        .args(["ingest", "--quiet", "--max-line-bytes", "300"])
        .arg(&jl)
        .output()
        .unwrap();
    let d = &json_lines(&out.stdout)[0];
    assert!(d.get("error").is_none(), "{d}");
    assert!(
        d["warnings"][0]
            .as_str()
            .unwrap()
            .contains("--max-line-bytes"),
        "{d}"
    );
    let text: String = d["text"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(text, body, "the pieces of the body, in order");
}

#[test]
fn the_50_mb_line_is_one_document_of_paragraphs() {
    let p = common::pipeline();
    let t = Instant::now();
    let doc = p
        .process(&Input {
            id: "huge.txt".into(),
            format: Format::Text,
            content: Content::Bytes(huge_one_line()),
        })
        .unwrap();
    assert!(
        doc.warnings.iter().any(|w| w.contains("--max-line-bytes")),
        "{:?}",
        doc.warnings
    );
    // The line is one sentence repeated: its pieces are repeats of each other.
    assert!(doc.dedup.exact + doc.dedup.near > 1000, "{:?}", doc.dedup);
    assert!(doc.text.contains("ソフトバンクはOpenAIと提携した。"));
    assert!(t.elapsed() < blowup_bound());
}

/// Writes `n` articles (copies of the fixtures) into `dir`.
fn big_folder(dir: &Path, n: usize) {
    fs::create_dir_all(dir).unwrap();
    let fixtures: Vec<PathBuf> = fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "md" || e == "txt" || e == "html")
        })
        .collect();
    for i in 0..n {
        let f = &fixtures[i % fixtures.len()];
        let ext = f.extension().unwrap().to_str().unwrap();
        let mut body = fs::read(f).unwrap();
        body.extend_from_slice(format!("\n\n記事番号{i}。\n").as_bytes());
        fs::write(dir.join(format!("a{i:05}.{ext}")), body).unwrap();
    }
}

#[test]
fn closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big");
    big_folder(&big, 300);
    for root in [common::root().join("fixtures"), big] {
        // `kiji ingest ROOT | head -1`
        let mut child = kiji_std()
            .args(["ingest", "--jobs", "2"])
            .arg(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with("{\"id\""), "{first}");
        // The reading end is closed here (dropped).
        let out = wait_with_timeout(child, Duration::from_secs(120));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{}: {stderr}", root.display());
        for bad in ["error", "Broken pipe", "panicked", "internal"] {
            assert!(!stderr.contains(bad), "{}: {stderr}", root.display());
        }
    }
}

fn wait_with_timeout(mut child: Child, limit: Duration) -> std::process::Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tmp_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(".kiji-") && n.ends_with(".tmp")
        })
        .collect()
}

/// Starts `kiji ingest BIG -o OUT`, waits until the temporary output has data, kills it.
fn kill_mid_run(big: &Path, out_dir: &Path, out: &Path) {
    let mut child = kiji_std()
        .args(["ingest", "--quiet", "--jobs", "1", "-o"])
        .arg(out)
        .arg(big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let written: u64 = tmp_files(out_dir)
            .iter()
            .filter_map(|p| fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        if written > 0 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted; make the folder bigger"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no output started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

#[test]
fn interrupted_run_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big");
    big_folder(&big, 1500);
    let out_dir = dir.path().join("out");
    fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("out.jsonl");

    kill_mid_run(&big, &out_dir, &out);
    assert!(
        !out.exists(),
        "a killed run left {} in place",
        out.display()
    );
    assert!(
        !tmp_files(&out_dir).is_empty(),
        "the partial output is a .kiji-*.tmp file"
    );

    // An earlier complete output is not replaced by a partial one.
    fs::write(&out, "earlier complete output\n").unwrap();
    kill_mid_run(&big, &out_dir, &out);
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "earlier complete output\n"
    );
}

#[test]
fn file_that_vanishes_mid_run_gives_an_error_line() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.md", "b.md", "c.md"] {
        fs::write(dir.path().join(name), JA).unwrap();
    }
    let limits = Limits::default();
    let discovery = ingest::discover(&[dir.path().to_path_buf()], &limits);
    assert_eq!(discovery.inputs.len(), 3);
    fs::remove_file(dir.path().join("b.md")).unwrap();
    let mut summary = Summary::default();
    let mut lines = Vec::new();
    batch::run(
        common::pipeline(),
        &discovery.inputs,
        &mut summary,
        |o, _| {
            lines.push(match o {
                Outcome::Ok(d) => (d.id.clone(), None),
                Outcome::Failed(id, msg) => (id, Some(msg)),
            });
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    let ids: Vec<&str> = lines.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["a.md", "b.md", "c.md"]);
    let msg = lines[1].1.as_deref().expect("b.md vanished: an error");
    assert!(
        msg.contains("b.md") && msg.contains("No such file"),
        "{msg}"
    );
    assert_eq!((summary.seen, summary.ok, summary.failed), (3, 2, 1));
    assert_eq!(
        summary.reasons.get("vanished"),
        Some(&1),
        "{:?}",
        summary.reasons
    );
}

#[test]
fn fifo_named_like_an_article_does_not_hang_the_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), JA).unwrap();
    let fifo = dir.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available; skipped");
        return;
    }
    let report = dir.path().join("report.json");
    let child = kiji_std()
        .args(["ingest", "--quiet", "--report"])
        .arg(&report)
        .arg(dir.path().join("a.md"))
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Nobody ever writes to the FIFO: reading it would block forever.
    let out = wait_with_timeout(child, Duration::from_secs(30));
    let docs = json_lines(&out.stdout);
    let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["seen"], 2, "{r}");
    let fifo_line = docs.iter().find(|d| d["id"] == "pipe.md");
    match fifo_line {
        Some(d) => assert!(
            d["error"]
                .as_str()
                .is_some_and(|m| m.contains("not a regular file")),
            "the FIFO gives an error line naming the problem: {d}"
        ),
        None => assert_eq!(r["skipped"], 1, "{r}"),
    }
}

#[test]
fn emoji_combining_marks_and_variation_selectors_keep_offsets_right() {
    let p = common::pipeline();
    let doc = p.process_text("emoji.md", &emoji_and_marks()).unwrap();
    common::assert_offsets(&doc);
    assert!(doc.text.contains("🚗"), "{}", doc.text);
    assert!(
        doc.text.contains('\u{E0100}') || doc.text.contains("葛飾区"),
        "{}",
        doc.text
    );
    let names: Vec<&str> = doc
        .entities
        .iter()
        .filter(|e| matches!(e.kind, kiji::EntityKind::Company { .. }))
        .map(|e| e.text.as_str())
        .collect();
    assert!(
        names.contains(&"トヨタ自動車") && names.contains(&"NVIDIA"),
        "{names:?}"
    );
    // Twice the same.
    let again = p.process_text("emoji.md", &emoji_and_marks()).unwrap();
    assert_eq!(
        serde_json::to_string(&doc).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

// ---------------------------------------------------------------------------
// Regression tests: inputs found by fuzzing (fuzz/) and property tests
// (tests/properties.rs), minimized. Each must process without a panic.
// ---------------------------------------------------------------------------

/// Processes `bytes` as a Markdown file, with the panic guard off, and checks the offsets.
#[allow(dead_code)]
fn process_bytes_ok(bytes: &[u8]) {
    let p = common::pipeline();
    let input = Input {
        id: "crash.md".into(),
        format: Format::Markdown,
        content: Content::Bytes(bytes.to_vec()),
    };
    if let Ok(doc) = p.process(&input) {
        common::assert_offsets(&doc);
    }
    let html = Input {
        format: Format::Html,
        ..input
    };
    if let Ok(doc) = p.process(&html) {
        common::assert_offsets(&doc);
    }
}

/// Evidence offsets must slice `text` to exactly the evidence's `text`
/// (found by tests/properties.rs). The second sentence's range included the
/// space before it while its `text` was trimmed.
#[test]
fn evidence_offsets_slice_the_evidence_text() {
    for input in [
        "Toyota Motor Corp. and NVIDIA signed a partnership in 2024 to develop chips. \
         トヨタ自動車は2024年に米国のNVIDIAと資本業務提携を締結した。",
        "出資額は約50億円。 aトヨタ自動車は2024年に米国のNVIDIAと資本業務提携を締結した。",
    ] {
        let doc = common::pipeline().process_text("ev.md", input).unwrap();
        let chars: Vec<char> = doc.text.chars().collect();
        assert!(!doc.records.is_empty(), "{input}");
        for r in &doc.records {
            for ev in &r.evidence {
                let slice: String = chars[ev.start..ev.end].iter().collect();
                assert_eq!(
                    slice, ev.text,
                    "evidence offsets of {ev:?} in {:?}",
                    doc.text
                );
            }
        }
    }
}

/// Normalization is idempotent, as `src/normalize.rs` documents (found by
/// tests/properties.rs): removing a space between Japanese characters can
/// bring two long vowel marks together, and a `~` next to another tilde is
/// decided on the neighbour before it is mapped to `〜`.
#[test]
fn normalize_is_idempotent_on_found_cases() {
    for input in ["ー ー", "ア ー ー", "~∼", "~~１", "～∼"] {
        let once = kiji::normalize::normalize(input);
        assert_eq!(
            kiji::normalize::normalize(&once),
            once,
            "normalize({input:?}) = {once:?}"
        );
    }
}

/// A paragraph joined across an end marker (a word cut by the marker) is
/// normalized as a whole (found by tests/properties.rs): `一` + `~` gave `一~`,
/// which normalizes to `一〜`.
#[test]
fn paragraph_joined_across_a_marker_is_normalized() {
    let doc = common::pipeline()
        .process_text("join.md", "一\n---END---\n~")
        .unwrap();
    for line in doc.text.split('\n') {
        assert_eq!(
            kiji::normalize::normalize(line),
            line,
            "text {:?}",
            doc.text
        );
    }
}

/// An end marker with a zero-width character or a BOM next to it, or written
/// in full-width forms, is still an end marker (found by tests/properties.rs):
/// the marker was matched before normalization removed or folded those
/// characters, so `---END---` leaked into the clean text.
#[test]
fn marker_hidden_by_zero_width_character() {
    for input in [
        "\u{200B}---END---\n本文です。",
        "本文です。\n---END---\u{200B}\n",
        "\u{FEFF}---END---\n本文です。",
        "－－－ＥＮＤ－－－\n本文です。",
    ] {
        let doc = common::pipeline().process_text("m.md", input).unwrap();
        assert!(!doc.text.contains("END"), "{input:?} gave {:?}", doc.text);
        assert_eq!(doc.dedup.markers, 1, "{input:?}");
    }
}

/// Error lines from walking (dangling symlinks, loops, FIFOs) take their
/// place in path order with the other lines, as the README promises ("sorted
/// by path"). Written first in directory-listing order, they would make the
/// output depend on the file system's listing order.
#[test]
fn walk_error_lines_are_sorted_by_path_with_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["a.md", "m.md", "z.md"] {
        fs::write(root.join(name), JA).unwrap();
    }
    std::os::unix::fs::symlink("missing.md", root.join("b_dangling.md")).unwrap();
    std::os::unix::fs::symlink("y_self.md", root.join("y_self.md")).unwrap();
    fs::create_dir_all(root.join("n_loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("n_loop/up")).unwrap();
    let out = kiji()
        .args(["ingest", "--quiet"])
        .arg(root)
        .output()
        .unwrap();
    let ids: Vec<String> = json_lines(&out.stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "a.md",
            "b_dangling.md",
            "m.md",
            "n_loop/up",
            "y_self.md",
            "z.md"
        ],
        "lines in path order"
    );
}
