//! `kiji show`: the HTML page of the fixtures, escaping, links and gold marks.

mod common;

use std::collections::HashSet;

use kiji::eval::GoldFile;
use kiji::show::{page, process_paths, Shown};

fn fixtures() -> Vec<kiji::Document> {
    let (docs, failed) = process_paths(common::pipeline(), &[common::root().join("fixtures")]);
    assert!(failed.is_empty(), "{failed:?}");
    docs
}

fn shown(docs: &[kiji::Document]) -> Vec<Shown<'_>> {
    docs.iter()
        .map(|doc| Shown {
            doc,
            marks: None,
            scores: None,
        })
        .collect()
}

#[test]
fn every_entity_is_one_highlighted_element_with_its_text() {
    let docs = fixtures();
    let html = page("fixtures", &shown(&docs));
    let want = common::entity_texts(&docs);
    let mut got = common::html_marks(&html);
    got.sort();
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    // One collapsed section per document, all listed in the index.
    assert_eq!(html.matches("<details").count(), docs.len());
    assert!(!html.contains("<details open"));
    for d in &docs {
        assert!(
            html.contains(&format!(">{}</a>", d.id)),
            "{} not in the index",
            d.id
        );
    }
}

#[test]
fn links_resolve_and_nothing_is_fetched() {
    let docs = fixtures();
    let html = page("fixtures", &shown(&docs));
    let ids: HashSet<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(hrefs.len() > docs.len(), "index and evidence links");
    for h in hrefs {
        let target = h
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external link {h}"));
        assert!(ids.contains(target), "link #{target} has no element");
    }
    assert!(
        !html.contains("src=\"http") && !html.contains("<link"),
        "external assets"
    );
}

#[test]
fn article_text_is_escaped() {
    let mut doc = common::pipeline()
        .process_text("t.md", "北條精機は豊橋ベアリング工業を買収すると発表した。")
        .unwrap();
    // A document as `--from-jsonl` may bring it: markup in the text, the id and a warning.
    let prefix = "<script>alert(1)</script> & ";
    let shift = prefix.chars().count();
    doc.text = format!("{prefix}{}", doc.text);
    for e in &mut doc.entities {
        e.start += shift;
        e.end += shift;
    }
    for p in &mut doc.paragraphs {
        p.end += shift;
    }
    doc.paragraphs[0].start = 0;
    for r in &mut doc.records {
        for ev in &mut r.evidence {
            ev.start += shift;
            ev.end += shift;
        }
    }
    doc.id = "<img src=x onerror=alert(2)>.md".into();
    doc.warnings.push("<b>bold</b>".into());
    let html = page("t", &shown(std::slice::from_ref(&doc)));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>bold"));
    // The entities still sit on their text.
    let got: Vec<String> = common::html_marks(&html).into_iter().map(|m| m.1).collect();
    assert!(got.contains(&"北條精機".to_string()), "{got:?}");
}

#[test]
fn gold_marks_hits_false_positives_and_misses() {
    let docs = fixtures();
    let digest: Vec<kiji::Document> = docs
        .into_iter()
        .filter(|d| d.id == "ja_digest.md")
        .collect();
    // Own gold: one company kiji finds, one it cannot (not in the text), one deal
    // it finds and one it does not.
    let gold: GoldFile = serde_json::from_str(
        r#"{"companies": ["北條精機", "豊橋ベアリング工業", "架空商事"],
            "partnerships": [{"a": "北條精機", "b": "豊橋ベアリング工業", "year": 2024},
                             {"a": "架空商事", "b": "北條精機", "year": null}]}"#,
    )
    .unwrap();
    let scores = kiji::eval::score_document(common::pipeline(), &digest[0], &gold);
    let shown = vec![Shown {
        doc: &digest[0],
        marks: Some(kiji::eval::marks(common::pipeline(), &digest[0], &gold)),
        scores: Some(scores),
    }];
    let html = page("gold", &shown);
    assert!(html.contains("class=\"company hit\""));
    assert!(
        html.contains("class=\"company fp\""),
        "companies not in gold are false positives"
    );
    assert!(html.contains("Companies missed: 架空商事"));
    assert!(html.contains("Records missed: 架空商事 × 北條精機"));
    assert!(html.contains("<tr class=\"hit\">") && html.contains("<tr class=\"fp\">"));
    assert!(html.contains(">partnerships_pair<"), "per-document scores");
}

#[test]
fn show_command_writes_the_page_and_reads_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let kiji = assert_cmd::cargo::cargo_bin("kiji");
    let html = show_page("fixtures", dir.path());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("ja_digest.md"));
    // The same documents from `kiji ingest` output.
    let jsonl = dir.path().join("docs.jsonl");
    let status = std::process::Command::new(&kiji)
        .args(["ingest", "fixtures", "--quiet", "-o"])
        .arg(&jsonl)
        .current_dir(common::root())
        .status()
        .unwrap();
    assert!(status.success());
    let out2 = dir.path().join("from.html");
    let status = std::process::Command::new(&kiji)
        .args(["show", "--from-jsonl"])
        .arg(&jsonl)
        .arg("-o")
        .arg(&out2)
        .status()
        .unwrap();
    assert!(status.success());
    let from = std::fs::read_to_string(&out2).unwrap();
    assert_eq!(
        common::html_marks(&from).len(),
        common::html_marks(&html).len(),
        "the same entities either way"
    );
    // A missing path is a usage error naming it.
    let o = std::process::Command::new(&kiji)
        .args(["show", "no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/dir"));
}

#[test]
fn check_html_shows_a_failing_fixture_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let fx = common::root().join("fixtures");
    std::fs::copy(fx.join("ja_digest.md"), dir.path().join("ja_digest.md")).unwrap();
    std::fs::copy(fx.join("en_factbox.md"), dir.path().join("en_factbox.md")).unwrap();
    std::fs::copy(
        fx.join("en_factbox.expected.json"),
        dir.path().join("en_factbox.expected.json"),
    )
    .unwrap();
    // An expectation that no longer holds: one record's kind edited.
    let expected = std::fs::read_to_string(fx.join("ja_digest.expected.json")).unwrap();
    let edited = expected.replacen("\"kind\": \"merger\"", "\"kind\": \"joint_venture\"", 1);
    assert_ne!(edited, expected);
    std::fs::write(dir.path().join("ja_digest.expected.json"), edited).unwrap();
    let page = dir.path().join("check.html");
    let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiji"))
        .arg("check")
        .arg(dir.path())
        .arg("--html")
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "one fixture fails");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("1 changed, 1 unchanged"));
    assert!(html.contains("ja_digest.md"));
    assert!(
        !html.contains("en_factbox.md"),
        "only failing fixtures are shown"
    );
    assert!(html.contains("kind: expected &quot;joint_venture&quot;, got &quot;merger&quot;"));
    assert!(html.contains("<th>expected</th><th>now</th>"));
    // Both sides carry the document: its entities twice.
    let doc = fixture_doc("ja_digest.md");
    assert_eq!(common::html_marks(&html).len(), 2 * doc.entities.len());
}

fn fixture_doc(name: &str) -> kiji::Document {
    let path = common::root().join("fixtures").join(name);
    let text = std::fs::read_to_string(path).unwrap();
    common::pipeline().process_text(name, &text).unwrap()
}

#[test]
fn repairs_are_marked_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let html = show_page("fixtures/damaged/ja_battery_jv.txt", dir.path());
    // The word split across a marker: its paragraph is outlined, the rule in the tooltip.
    assert!(html.contains("<p class=\"repaired\" title=\"joined (split word), line 11"));
    // The repeated paragraph is shown struck through where it stood, with what it repeats.
    assert!(html.contains("<p class=\"dropped\" title=\"exact (same as line 19), line 25\"><del>"));
    assert!(html.contains(
        "<p class=\"dropped\" title=\"marker (end marker removed), line 9\"><del>---END---</del>"
    ));
}

/// Runs `kiji show PATH -o DIR/page.html` from the repository root; the page.
fn show_page(path: &str, dir: &std::path::Path) -> String {
    let out = dir.join("page.html");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("kiji"))
        .args(["show", path, "-o"])
        .arg(&out)
        .current_dir(common::root())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(&out).unwrap()
}
