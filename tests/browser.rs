//! The page of `kiji show` in a real browser: headless Chromium (Debian's
//! `chromium`, installed by `scripts/setup.sh --browser`; `KIJI_CHROMIUM` names
//! another binary) loads the fixtures' page, runs its script and dumps the DOM.
//! Skips with a message when no Chromium is found.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KIJI_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// The DOM after the page's script ran, and Chromium's log.
fn dump_dom(browser: &Path, page: &Path, fragment: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{fragment}", page.display()))
        .output()
        .expect("running chromium");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_fixtures_page_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIP: no Chromium found (scripts/setup.sh --browser installs Debian's chromium)"
        );
        return;
    };
    let (docs, failed) =
        kiji::show::process_paths(common::pipeline(), &[common::root().join("fixtures")]);
    assert!(failed.is_empty());
    let shown: Vec<kiji::show::Shown> = docs
        .iter()
        .map(|doc| kiji::show::Shown {
            doc,
            marks: None,
            scores: None,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("fixtures.html");
    std::fs::write(&page, kiji::show::page("fixtures", &shown)).unwrap();

    let (dom, log) = dump_dom(&browser, &page, "");
    assert!(
        dom.contains("<body data-ready=\"1\">"),
        "the script ran to its end"
    );
    assert!(!log.contains("Uncaught"), "script error: {log}");
    // Every entity of the JSON output is one highlighted element with its text.
    let want = common::entity_texts(&docs);
    let mut got = common::html_marks(&dom);
    got.sort();
    assert_eq!(got, want);
    // Every link of the page resolves to an element of the DOM.
    let ids: HashSet<&str> = dom
        .split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    for href in dom
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
    {
        let target = href.strip_prefix('#').expect("only links inside the page");
        assert!(ids.contains(target), "#{target} has no element");
    }
    // The index filter: documents without records are hidden.
    let (filtered, _) = dump_dom(&browser, &page, "#only=record");
    let hidden = filtered.matches("style=\"display: none;\"").count();
    let without = docs.iter().filter(|d| d.records.is_empty()).count();
    assert_eq!(
        hidden,
        2 * without,
        "index row and document of each one without records"
    );
}
