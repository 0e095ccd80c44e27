//! HTML: scripts, styles and navigation dropped, entities decoded, block
//! elements become paragraphs, tables keep rows and cells, `<title>` and
//! `<meta>` fill [`Meta`].

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, BlockKind, Line, Meta, Parsed, CELL_SEPARATOR};

use super::markdown::is_marker;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\x22']|\x22[^\x22]*\x22|'[^']*')*)>|[^<]+|<")
        .unwrap()
});
static RAW_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>|<template\b.*?</template\s*>|<!--.*?-->")
        .unwrap()
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#).unwrap()
});

/// Elements whose whole content is dropped.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "iframe",
    "button", "select", "head",
];
/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "br",
    "hr",
    "body",
    "address",
    "caption",
];

fn attrs(raw: &str) -> Vec<(String, String)> {
    ATTR.captures_iter(raw)
        .map(|c| {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map(|m| m.as_str())
                .unwrap_or("");
            (
                c[1].to_ascii_lowercase(),
                html_escape::decode_html_entities(v).into_owned(),
            )
        })
        .collect()
}

fn collapse(text: &str) -> String {
    let decoded = html_escape::decode_html_entities(text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Builder {
    blocks: Vec<Block>,
    text: String,
    text_line: u32,
    heading: bool,
    rows: Vec<Line>,
    row: Option<(Vec<String>, u32)>,
    cell: Option<String>,
}

impl Builder {
    fn flush(&mut self) {
        let text = collapse(&self.text);
        self.text.clear();
        if text.is_empty() {
            return;
        }
        let kind = if is_marker(&text) {
            BlockKind::Marker
        } else if self.heading {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        let line = Line {
            text,
            source_line: self.text_line,
        };
        // Consecutive paragraph lines stay separate paragraphs in HTML.
        self.blocks.push(Block::new(kind, vec![line]));
    }

    fn push_text(&mut self, s: &str, line: u32) {
        if let Some(cell) = self.cell.as_mut() {
            cell.push_str(s);
            return;
        }
        if self.text.trim().is_empty() {
            self.text_line = line + leading_newlines(s);
        }
        self.text.push_str(s);
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some((cells, line)) = self.row.take() {
            if cells.iter().any(|c| !c.is_empty()) {
                self.rows.push(Line {
                    text: cells.join(CELL_SEPARATOR),
                    source_line: line,
                });
            }
        }
    }

    fn end_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            let text = collapse(&cell).replace(CELL_SEPARATOR, " ");
            if let Some((cells, _)) = self.row.as_mut() {
                cells.push(text);
            }
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        if !self.rows.is_empty() {
            let rows = std::mem::take(&mut self.rows);
            self.blocks.push(Block::new(BlockKind::Table, rows));
        }
    }
}

fn leading_newlines(s: &str) -> u32 {
    let trimmed = s.trim_start();
    s[..s.len() - trimmed.len()].matches('\n').count() as u32
}

/// Parses an HTML document.
pub fn parse(html: &str) -> Parsed {
    // Script and style bodies are raw text (they may hold `<p>` in strings):
    // blank them out first, keeping their line breaks for line numbers.
    let html = RAW_TEXT.replace_all(html, |c: &regex::Captures| {
        "\n".repeat(c[0].matches('\n').count())
    });
    let html = html.as_ref();
    let mut meta = Meta::default();
    let mut b = Builder {
        blocks: Vec::new(),
        text: String::new(),
        text_line: 1,
        heading: false,
        rows: Vec::new(),
        row: None,
        cell: None,
    };
    let mut skip: Vec<String> = Vec::new();
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut line: u32 = 1;
    for m in TOKEN.captures_iter(html) {
        let whole = m.get(0).map(|x| x.as_str()).unwrap_or("");
        let this_line = line;
        line += whole.matches('\n').count() as u32;
        let Some(name) = m.get(2).map(|n| n.as_str().to_ascii_lowercase()) else {
            if whole.starts_with("<!") || whole.starts_with("<?") {
                continue;
            }
            if in_title {
                title.get_or_insert_with(String::new).push_str(whole);
            } else if skip.is_empty() {
                b.push_text(whole, this_line);
            }
            continue;
        };
        let closing = m.get(1).is_some_and(|c| c.as_str() == "/");
        let raw_attrs = m.get(3).map(|a| a.as_str()).unwrap_or("");
        if name == "title" {
            in_title = !closing;
            continue;
        }
        if name == "meta" && !closing {
            read_meta(&attrs(raw_attrs), &mut meta);
            continue;
        }
        if SKIP.contains(&name.as_str()) {
            if raw_attrs.trim_end().ends_with('/') {
                continue;
            }
            if closing {
                if let Some(pos) = skip.iter().rposition(|s| *s == name) {
                    skip.truncate(pos);
                }
            } else {
                skip.push(name);
            }
            continue;
        }
        if !skip.is_empty() {
            continue;
        }
        match name.as_str() {
            "table" => {
                b.flush();
                if closing {
                    b.end_table();
                }
            }
            "tr" => {
                b.end_row();
                if !closing {
                    b.row = Some((Vec::new(), this_line));
                }
            }
            "td" | "th" => {
                b.end_cell();
                if !closing {
                    if b.row.is_none() {
                        b.row = Some((Vec::new(), this_line));
                    }
                    b.cell = Some(String::new());
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                b.flush();
                b.heading = !closing;
            }
            n if BLOCK.contains(&n) => {
                if let Some(cell) = b.cell.as_mut() {
                    cell.push(' ');
                } else {
                    b.flush();
                }
            }
            _ => {}
        }
    }
    b.flush();
    b.end_table();
    if meta.title.is_none() {
        meta.title = title.map(|t| collapse(&t)).filter(|t| !t.is_empty());
    }
    Parsed {
        meta,
        blocks: b.blocks,
        warnings: Vec::new(),
    }
}

fn read_meta(attrs: &[(String, String)], meta: &mut Meta) {
    let key = attrs
        .iter()
        .find(|(k, _)| k == "name" || k == "property" || k == "itemprop")
        .map(|(_, v)| v.to_ascii_lowercase());
    let Some(content) = attrs
        .iter()
        .find(|(k, _)| k == "content")
        .map(|(_, v)| v.trim().to_string())
    else {
        return;
    };
    if content.is_empty() {
        return;
    }
    match key.as_deref() {
        Some("og:title" | "twitter:title") if meta.title.is_none() => meta.title = Some(content),
        Some("author" | "article:author" | "byl") => meta.author = Some(content),
        Some(
            "article:published_time"
            | "date"
            | "pubdate"
            | "publish-date"
            | "datepublished"
            | "dc.date",
        ) => meta.date = Some(content),
        Some("keywords" | "news_keywords") => {
            meta.tags = content
                .split([',', '、'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }
        Some("article:tag") => meta.tags.push(content),
        Some("article:section") => meta.categories.push(content),
        Some("og:url") => meta.url = Some(content),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><title>提携 &amp; 出資のニュース</title>
<meta name="author" content="経済部">
<meta property="article:published_time" content="2024-11-05T10:00:00+09:00">
<style>p { color: red; }</style><script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">ホーム</a></nav>
<article><h1>富士通とNVIDIAが協業</h1>
<p>富士通は&quot;AI基盤&quot;で
NVIDIAと協業すると発表した。</p>
<table><tr><th>企業</th><th>提携先</th></tr>
<tr><td>富士通</td><td>NVIDIA（米国）</td></tr></table>
</article><footer>Copyright</footer></body></html>"#;

    #[test]
    fn html_blocks_meta_and_tables() {
        let p = parse(PAGE);
        assert_eq!(p.meta.title.as_deref(), Some("提携 & 出資のニュース"));
        assert_eq!(p.meta.author.as_deref(), Some("経済部"));
        assert_eq!(p.meta.date.as_deref(), Some("2024-11-05T10:00:00+09:00"));
        let texts: Vec<String> = p.blocks.iter().map(|b| b.joined()).collect();
        assert_eq!(texts[0], "富士通とNVIDIAが協業");
        assert_eq!(p.blocks[0].kind, BlockKind::Heading);
        assert_eq!(
            texts[1],
            "富士通は\"AI基盤\"で NVIDIAと協業すると発表した。"
        );
        assert_eq!(p.blocks[1].source_line(), 8);
        assert_eq!(p.blocks[2].kind, BlockKind::Table);
        assert_eq!(p.blocks[2].lines[1].text, "富士通 | NVIDIA（米国）");
        assert!(!texts
            .iter()
            .any(|t| t.contains("ホーム") || t.contains("Copyright") || t.contains("not text")));
    }
}
