//! `kiji stream` gives the same documents as `kiji ingest`, in input order,
//! one line per input line, and goes on after bad lines.

mod common;

use assert_cmd::Command;
use serde_json::{json, Value};

/// The articles at the top of `fixtures/` (not `damaged/`), their ids and one
/// JSON line each.
fn fixture_lines() -> (Vec<String>, String) {
    let dir = common::root().join("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".json"))
        .collect();
    files.sort();
    let mut ids = Vec::new();
    let mut input = String::new();
    for f in files {
        let ext = f.extension().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(&f).unwrap();
        let id = f.file_name().unwrap().to_string_lossy().into_owned();
        let key = if ext.starts_with("htm") {
            "html"
        } else {
            "text"
        };
        let mut obj = json!({"id": format!("stream:{id}"), "format": ext});
        obj[key] = Value::String(body);
        input.push_str(&obj.to_string());
        input.push('\n');
        ids.push(id);
    }
    (ids, input)
}

#[test]
fn stream_equals_ingest_apart_from_id() {
    let (ids, input) = fixture_lines();
    let fixtures = common::root().join("fixtures");
    let ingest = Command::cargo_bin("kiji")
        .unwrap()
        .args(["ingest", "--quiet"])
        .args(ids.iter().map(|id| fixtures.join(id)))
        .output()
        .unwrap();
    let stream = Command::cargo_bin("kiji")
        .unwrap()
        .args(["stream", "--jobs", "2"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        stream.status.success(),
        "{}",
        String::from_utf8_lossy(&stream.stderr)
    );
    let a: Vec<Value> = String::from_utf8(ingest.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let b: Vec<Value> = String::from_utf8(stream.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(a.len(), ids.len());
    assert_eq!(b.len(), ids.len());
    for ((mut x, mut y), id) in a.into_iter().zip(b).zip(&ids) {
        assert_eq!(x["id"], id.as_str());
        assert_eq!(y["id"], format!("stream:{id}"));
        for v in [&mut x, &mut y] {
            v.as_object_mut().unwrap().remove("id");
            // ingest read bytes from disk, stream got a decoded string: same text, same size.
            v["source"]["format"] = Value::Null;
        }
        if x["duplicate_of"].is_string() {
            let d = x["duplicate_of"].as_str().unwrap().to_string();
            x["duplicate_of"] = Value::String(format!("stream:{d}"));
        }
        assert_eq!(x, y, "{id}");
    }
}

#[test]
fn bad_lines_give_error_lines_in_order_and_the_stream_goes_on() {
    let input = "{\"id\": \"a\", \"text\": \"トヨタ自動車はNVIDIAと提携した。\"}\nnot json\n{\"id\": 7}\n\n{\"id\": \"b\", \"body\": \"Sony invested in Quantia Inc. in 2024.\"}\n";
    let out = Command::cargo_bin("kiji")
        .unwrap()
        .arg("stream")
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["id"], "#2");
    assert!(lines[1]["error"].as_str().unwrap().contains("bad JSON"));
    assert_eq!(lines[2]["id"], "7");
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("no article body"));
    assert_eq!(lines[3]["id"], "#4");
    assert_eq!(lines[4]["id"], "b");
    assert_eq!(lines[4]["records"][0]["parties"][0]["role"], "investor");
}

#[test]
fn signatures_are_added_on_request() {
    let text =
        "ソフトバンクは国内の主要企業と組み、日本語に強い基盤モデルを開発する計画を明らかにした。";
    let input = format!("{}\n", json!({"id": "s", "text": text}));
    let out = Command::cargo_bin("kiji")
        .unwrap()
        .args(["stream", "--signatures"])
        .write_stdin(input)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["signature"].as_array().unwrap().len(),
        kiji::dedup::SIGNATURE_LEN
    );
    assert_eq!(v["text_hash"].as_str().unwrap().len(), 16);
}
