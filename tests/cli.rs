//! Tests of the `kiji` command line: ingest, extract, check, tokenize, exit codes.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn kiji() -> Command {
    Command::cargo_bin("kiji").unwrap()
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            fs::copy(&p, dest).unwrap();
        }
    }
}

/// A copy of the fixtures in which `ja_alliance_table` expects an amount one
/// yen off (so `kiji check` fails on it); its expectation file's path and
/// original text.
fn fixtures_with_one_failing(dir: &Path) -> (std::path::PathBuf, String) {
    copy_dir(&common::root().join("fixtures"), dir);
    let expected = dir.join("ja_alliance_table.expected.json");
    let original = fs::read_to_string(&expected).unwrap();
    let edited = original.replacen("\"value\": 5000000000.0", "\"value\": 5000000001.0", 1);
    assert_ne!(edited, original);
    fs::write(&expected, &edited).unwrap();
    (expected, original)
}

#[test]
fn ingest_fixtures_one_sorted_line_per_article_same_for_any_jobs() {
    let fixtures = common::root().join("fixtures");
    let one = kiji()
        .args(["ingest", "--quiet", "--jobs", "1"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let two = kiji()
        .args(["ingest", "--quiet", "--jobs", "2"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert_eq!(
        one.stdout, two.stdout,
        "output depends on the number of threads"
    );
    let again = kiji()
        .args(["ingest", "--quiet", "--jobs", "2"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert_eq!(two.stdout, again.stdout, "output differs between runs");
    let docs = lines(&one.stdout);
    // Articles: every .md, .txt and .html file, sub-folders included
    // (`damaged/` also holds `.clean` originals and a README, which are not).
    let articles = walkdir::WalkDir::new(&fixtures)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            e.file_type().is_file()
                && (n.ends_with(".md") || n.ends_with(".txt") || n.ends_with(".html"))
        })
        .count();
    assert_eq!(docs.len(), articles);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    for d in &docs {
        assert!(d.get("error").is_none(), "{d}");
        for field in ["id", "meta", "lang", "text", "entities", "records", "dedup"] {
            assert!(d.get(field).is_some(), "missing {field}");
        }
    }
}

#[test]
fn bad_files_give_error_lines_and_counts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("good.md"),
        "---\ntitle: 良い記事\n---\nトヨタ自動車はNVIDIAと提携した。\n",
    )
    .unwrap();
    fs::write(
        root.join("binary.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    fs::write(root.join("empty.txt"), b"").unwrap();
    fs::write(root.join("image.png"), b"not an article").unwrap();
    std::os::unix::fs::symlink(root.join("gone.md"), root.join("dangling.md")).unwrap();
    let report = root.join("report.json");
    let out = kiji()
        .args(["ingest", "--quiet", "--report"])
        .arg(&report)
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "some documents failed: exit 2");
    let docs = lines(&out.stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    for id in ["good.md", "binary.txt", "empty.txt", "dangling.md"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let binary = docs.iter().find(|d| d["id"] == "binary.txt").unwrap();
    assert!(
        binary["error"].as_str().unwrap().contains("binary"),
        "{binary}"
    );
    let empty = docs.iter().find(|d| d["id"] == "empty.txt").unwrap();
    assert_eq!(empty["text"], "");
    let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["seen"], 5);
    assert_eq!(
        r["ok"].as_u64().unwrap() + r["failed"].as_u64().unwrap() + r["skipped"].as_u64().unwrap(),
        5
    );
    assert_eq!(r["skipped"], 1);
    assert_eq!(r["failed"], 2);
}

#[test]
fn output_file_and_records_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs.jsonl");
    let csv = dir.path().join("records.csv");
    kiji()
        .args(["ingest", "--quiet", "-o"])
        .arg(&out)
        .arg("--records")
        .arg(&csv)
        .args(["--records-format", "csv"])
        .arg(common::root().join("fixtures/ja_alliance_table.md"))
        .assert()
        .success();
    let docs = lines(&fs::read(&out).unwrap());
    assert_eq!(docs[0]["id"], "ja_alliance_table.md");
    let text = fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("\u{FEFF}id,company_a,company_b,"),
        "{text}"
    );
    assert!(text.lines().count() > 3);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
    // The output has the mode of any new file (0666 less the umask), not a
    // temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.path().join("probe");
        fs::write(&probe, b"").unwrap();
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), mode(&probe));
    }
}

/// `-o` onto an existing path that is no regular file (a named pipe here, as
/// `/dev/null`) writes through it instead of replacing it with a file.
#[cfg(unix)]
#[test]
fn output_onto_a_pipe_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(&fifo).unwrap())
    };
    kiji()
        .args(["ingest", "--quiet", "-o"])
        .arg(&fifo)
        .arg(common::root().join("fixtures/ja_alliance_table.md"))
        .assert()
        .success();
    // Checked before joining: a pipe replaced by a file would leave the reader waiting.
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let docs = lines(&reader.join().unwrap());
    assert_eq!(docs[0]["id"], "ja_alliance_table.md");
}

#[test]
fn extract_prints_one_pretty_document() {
    let out = kiji()
        .arg("extract")
        .write_stdin("ソフトバンクは2025年にOpenAIと合弁会社を設立し、約30億円を出資する。")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let types: Vec<&str> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for t in ["company", "year", "verb", "amount"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
}

#[test]
fn extract_candidates_lists_every_pair_with_its_probability() {
    let out = kiji()
        .args(["extract", "--candidates"])
        .write_stdin("千歳電機は北條精機と資本業務提携を結んだ。若葉電子は新工場を建てる。")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let candidates = doc["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{candidates:?}");
    let c = &candidates[0];
    assert_eq!(c["companies"], serde_json::json!(["千歳電機", "北條精機"]));
    assert_eq!(c["passes"], true);
    assert!(c["probability"].as_f64().unwrap() > 0.5);
    assert!(c["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f[0] == "rule"));
    // The kind model's score of each group.
    let scores = c["kind_scores"].as_object().unwrap();
    assert_eq!(
        scores.len(),
        kiji::records::kinds::GROUPS.len(),
        "{scores:?}"
    );
    assert!(scores
        .values()
        .all(|v| v.as_f64().is_some_and(f64::is_finite)));
    assert_eq!(doc["records"].as_array().unwrap().len(), 1);
    // Without the flag the document has no candidates.
    let out = kiji()
        .arg("extract")
        .write_stdin("千歳電機は北條精機と資本業務提携を結んだ。")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.get("candidates").is_none());
}

#[test]
fn train_records_reproduces_its_model_file_and_reports_cross_validation() {
    let Some(seeds) = common::seeds() else {
        eprintln!("skipped: ../shared/seeds not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = format!(
        "seeds={}={}",
        seeds.join("gold.json").display(),
        seeds.display()
    );
    // `kiji train records` on the seeds, two folds, writing `name` in `dir`
    // (validated on the seeds again: a small corpus that exercises the
    // validation step; the default validation corpora are the project's).
    let validate = corpus.replacen("seeds=", "seeds-again=", 1);
    let train_records = |name: &str| {
        let mut cmd = kiji();
        cmd.args([
            "train",
            "records",
            "--folds",
            "2",
            "--corpus",
            &corpus,
            "--validate",
            &validate,
            "--out",
        ])
        .arg(dir.path().join(name));
        cmd
    };
    let mut files = Vec::new();
    for name in ["a.model", "b.model"] {
        let out_path = dir.path().join(name);
        let out = train_records(name).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            stdout.contains("cross-validated (2 folds), seeds:"),
            "{stdout}"
        );
        assert!(stdout.contains("partnerships_pair"), "{stdout}");
        assert!(stdout.contains("candidate recall"), "{stdout}");
        assert!(
            stdout.contains("validation (never trained on), seeds-again:"),
            "{stdout}"
        );
        files.push(fs::read_to_string(&out_path).unwrap());
    }
    assert!(files[0].contains("Validation seeds-again (never trained on): pair P"));
    assert!(files[0].contains("validation pair F1"));
    assert_eq!(files[0], files[1], "training is deterministic");
    let model = kiji::records::RecordModel::parse(&files[0], "trained").unwrap();
    assert!(model.len() > 10 && model.threshold() > 0.0 && model.threshold() < 1.0);
    // The kind model beside it (`a.model` → `a_kinds.model`), as deterministic.
    let kinds: Vec<String> = ["a_kinds.model", "b_kinds.model"]
        .iter()
        .map(|n| fs::read_to_string(dir.path().join(n)).unwrap())
        .collect();
    assert_eq!(kinds[0], kinds[1], "kind training is deterministic");
    let kind_model = kiji::records::KindModel::parse(&kinds[0], "trained").unwrap();
    assert!(kind_model.len() > 10, "{}", kinds[0]);
    assert!(kinds[0].contains("Margin (chosen by"));
    // The trained file is a model kiji runs with.
    let out = kiji()
        .arg("extract")
        .env("KIJI_RECORDS_MODEL", dir.path().join("a.model"))
        .env("KIJI_RECORD_KINDS_MODEL", dir.path().join("a_kinds.model"))
        .write_stdin("千歳電機は北條精機と資本業務提携を結んだ。")
        .output()
        .unwrap();
    assert!(out.status.success());
    // With the bundled Japanese model as the held-out one, the test folds are
    // read as before: the realistic table equals the cross-validated one.
    let out = train_records("h.model")
        .arg("--held-out-company-model")
        .arg(common::root().join("dictionaries/companies.crf"))
        .env_remove("KIJI_COMPANY_MODEL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let table = |title: &str| {
        let start = stdout
            .find(title)
            .unwrap_or_else(|| panic!("{title}: {stdout}"));
        stdout[start + title.len()..]
            .lines()
            .skip(1)
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        table("cross-validated (2 folds), seeds:"),
        table("cross-validated (2 folds), seeds, test folds read by the held-out company model:")
    );
    // A held-out model that cannot be read is an error naming it.
    let out = train_records("x.model")
        .args(["--held-out-company-model", "/no/standin.crf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standin.crf"));
    // A corpus that does not exist is a usage error naming it.
    let out = kiji()
        .args([
            "train",
            "records",
            "--corpus",
            "x=/no/gold.json=/no/dir",
            "--out",
        ])
        .arg(dir.path().join("c.model"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corpus x"));
}

#[test]
fn a_bad_records_or_kind_model_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.model");
    fs::write(&bad, "bias\tnot-a-number\n").unwrap();
    let out = kiji()
        .arg("extract")
        .env("KIJI_RECORDS_MODEL", &bad)
        .write_stdin("千歳電機は北條精機と資本業務提携を結んだ。")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.model"));
    // So is a bad kind model file, with the line and what is wrong.
    let bad = dir.path().join("bad_kinds.model");
    fs::write(&bad, "@margin\tinf\n@groups\talliance\tequity\nbias\t1\n").unwrap();
    let out = kiji()
        .arg("extract")
        .env("KIJI_RECORD_KINDS_MODEL", &bad)
        .write_stdin("千歳電機は北條精機と資本業務提携を結んだ。")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad_kinds.model"), "{stderr}");
    assert!(stderr.contains("1 weights for 2 groups"), "{stderr}");
}

#[test]
fn usage_errors_exit_1() {
    kiji().args(["ingest"]).assert().code(1);
    kiji().args(["ingest", "/no/such/folder"]).assert().code(1);
}

/// A reader that stops reading (`kiji check fixtures | head -1`): the
/// command stops printing and goes on, with no panic, nothing on stderr, its
/// files written and its own exit code.
#[test]
fn a_closed_standard_output_ends_report_commands_quietly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        vec!["check", "fixtures"],
        vec!["extract", "fixtures/en_factbox.md"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiji"))
            .current_dir(root)
            .args(&args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // A failed check still fails, and its report file is still written.
    let dir = tempfile::tempdir().unwrap();
    fixtures_with_one_failing(dir.path());
    let html = dir.path().join("report.html");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiji"))
        .args(["check", "--html"])
        .arg(&html)
        .arg(dir.path())
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(html.exists());
}

#[test]
fn tokenize_prints_mecab_style() {
    let out = kiji()
        .arg("tokenize")
        .write_stdin("三菱UFJ銀行が出資した。\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("三菱UFJ銀行\t名詞,固有名詞,組織"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("EOS"));
    let json = kiji()
        .args(["tokenize", "--json"])
        .write_stdin("提携")
        .output()
        .unwrap();
    let tok: Value =
        serde_json::from_slice(json.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(tok["surface"], "提携");
    let count = kiji()
        .args(["tokenize", "--count"])
        .write_stdin("三菱UFJ銀行が出資した。\n提携\n")
        .output()
        .unwrap();
    let n: usize = String::from_utf8(count.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(n >= 5, "{n}");
}

#[test]
fn check_passes_on_fixtures_fails_on_an_edit_and_bless_restores() {
    kiji()
        .arg("check")
        .arg(common::root().join("fixtures"))
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let (expected, original) = fixtures_with_one_failing(dir.path());
    let out = kiji().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("FAIL ja_alliance_table.md"), "{report}");
    assert!(
        report.contains("expected 5000000001.0, got 5000000000.0"),
        "{report}"
    );
    let bless = kiji()
        .args(["check", "--bless"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8(bless.stdout)
        .unwrap()
        .contains("blessed ja_alliance_table.md"));
    assert_eq!(fs::read_to_string(&expected).unwrap(), original);
    kiji().arg("check").arg(dir.path()).assert().success();
}

#[test]
fn json_lines_input_gives_one_document_per_line_with_path_hash_line_ids() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{\"text\": \"楽天証券はイスラエルのAI企業と業務提携を締結した。\", \"title\": \"提携\", \"date\": \"2024-11-01\"}\n\n{\"html\": \"<p>富士通とNVIDIAが協業</p>\"}\n{\"title\": \"no body\"}\n";
    fs::write(dir.path().join("shard.jsonl"), body).unwrap();
    let out = kiji()
        .args(["ingest", "--quiet"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let docs = lines(&out.stdout);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["shard.jsonl#1", "shard.jsonl#3", "shard.jsonl#4"]);
    assert_eq!(docs[0]["meta"]["title"], "提携");
    assert_eq!(docs[0]["source"]["format"], "jsonl");
    assert_eq!(docs[1]["text"], "富士通とNVIDIAが協業");
    assert!(docs[2]["error"]
        .as_str()
        .unwrap()
        .contains("no article body"));
}

#[test]
fn near_duplicate_documents_are_marked_and_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = "三菱UFJ銀行は2025年、生成AIの開発を手がけるスタートアップと包括的な業務提携を結んだと発表した。まず社内文書の作成支援から始め、順次対象業務を広げる。";
    let b = format!("{a}担当者は「年内に全店で使えるようにしたい」と話した。");
    fs::write(dir.path().join("a.md"), a).unwrap();
    fs::write(dir.path().join("b.md"), &b).unwrap();
    fs::write(dir.path().join("c.md"), a).unwrap();
    fs::write(dir.path().join("d.md"), "全く別の記事。KDDIは通信網の保守にAIを導入し、障害の予兆を検知する仕組みを全国に広げると発表した。").unwrap();
    let out = kiji()
        .args(["ingest", "--quiet", "--keep-raw"])
        .arg(dir.path())
        .output()
        .unwrap();
    let docs = lines(&out.stdout);
    let dups: Vec<&Value> = docs.iter().map(|d| &d["duplicate_of"]).collect();
    assert_eq!(
        dups,
        vec![
            &Value::Null,
            &Value::from("a.md"),
            &Value::from("a.md"),
            &Value::Null
        ]
    );
    assert_eq!(docs[1]["raw"], b.as_str());
}

#[test]
fn explain_dedup_lists_each_repair_with_its_reason() {
    let file = common::root().join("fixtures/damaged/en_cloud_partnership.md");
    let out = kiji()
        .args(["extract", "--explain-dedup"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    let repairs = d["repairs"].as_array().unwrap();
    let find = |action: &str| {
        repairs
            .iter()
            .find(|r| r["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in {repairs:?}"))
    };
    assert_eq!(find("joined")["reason"], "split acronym");
    assert!(find("joined")["text"]
        .as_str()
        .unwrap()
        .starts_with("O, Priya"));
    assert!(find("exact")["reason"]
        .as_str()
        .unwrap()
        .starts_with("same as line "));
    assert_eq!(find("kept apart")["reason"], "headline");
    assert!(repairs.iter().all(|r| r["line"].as_u64().unwrap() > 0));
    // Without the flag there is no `repairs` field.
    let out = kiji().arg("extract").arg(&file).output().unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(d.get("repairs").is_none());
}

#[test]
fn eval_with_unseen_companies_reads_each_file_without_its_gazetteer_rows() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a1_ja_bulletin.txt"),
        "# 物流\n\n三菱商事とローソンは物流で協業する。楽天も参加する。\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("gold.json"),
        r#"{"a1_ja_bulletin.txt": {"lang": "ja", "companies": ["三菱商事", "ローソン", "楽天"]}}"#,
    )
    .unwrap();
    let companies_row = |args: &[&str]| -> String {
        let out = kiji()
            .arg("eval")
            .args(args)
            .arg(dir.path().join("gold.json"))
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let row = text.lines().find(|l| l.starts_with("companies ")).unwrap();
        row.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    // The gazetteer knows all three; without their rows, kiji finds only the
    // name its rules and models know by themselves.
    assert_eq!(companies_row(&[]), "companies 1.000 1.000 1.000 3 3 3");
    let unseen = companies_row(&["--unseen-companies"]);
    let recall: f64 = unseen.split(' ').nth(2).unwrap().parse().unwrap();
    assert!(recall < 1.0, "{unseen}");
}
