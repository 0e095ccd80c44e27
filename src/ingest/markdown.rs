//! Markdown / plain text: YAML front matter, then blocks (headings, paragraphs,
//! tables, end markers) with Markdown syntax and inline HTML removed.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, BlockKind, Line, Meta, Parsed, CELL_SEPARATOR};
use crate::normalize::is_japanese;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-=_*~#]{2,}\s*end\s*[-=_*~#]{2,}|\[\s*end\s*\]|<\s*end\s*>|-{2,}\s*end of (?:article|content|page)\s*-{2,})\s*$")
        .unwrap()
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$").unwrap());
static RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$").unwrap());
static LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-*+•・]|\d{1,3}[.)])\s+").unwrap());
static QUOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:>\s?)+").unwrap());
static TABLE_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$").unwrap());
static IMAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!\[([^\]]*)\]\([^)]*\)").unwrap());
/// A link: its text is kept, its destination dropped. A destination is empty
/// or looks like one (no space, a `/`, `.`, `:`, `#`, `?` or `=` in it, an
/// optional quoted title): `[M&Aニュース](2021年10月4日〜15日)` is text in brackets.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\[([^\]]+)\](?:\((?:[^()\s]*[/.:#?=][^()\s]*)?(?:\s+"[^"]*")?\)|\[[^\]]*\])"#)
        .unwrap()
});
static AUTOLINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<((?:https?|mailto):[^>\s]+)>").unwrap());
static STRONG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*(.+?)\*\*|__(.+?)__|~~(.+?)~~").unwrap());
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\w*])\*([^\s*](?:[^*]*[^\s*])?)\*").unwrap());
static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`([^`]+)`").unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>").unwrap()
});
static BREAK_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").unwrap());

/// Whether `line` is a scrape end marker (`---END---` and close variants).
pub fn is_marker(line: &str) -> bool {
    if line.len() > 64 {
        return false;
    }
    // Markers hidden by zero-width characters or written in full width count too.
    MARKER.is_match(line) || MARKER.is_match(&crate::normalize::normalize(line))
}

/// Splits a leading YAML front matter block off `text`. Returns the metadata,
/// the number of lines the block took, and warnings.
pub fn front_matter(text: &str) -> (Meta, usize, Vec<String>) {
    let mut warnings = Vec::new();
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return (Meta::default(), 0, warnings);
    };
    if first.trim_end() != "---" {
        return (Meta::default(), 0, warnings);
    }
    let mut yaml = String::new();
    for (i, line) in lines.enumerate() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let consumed = i + 2;
            return match serde_yaml::from_str::<serde_yaml::Value>(&yaml) {
                Ok(serde_yaml::Value::Mapping(map)) => (meta_from_yaml(&map), consumed, warnings),
                Ok(serde_yaml::Value::Null) => (Meta::default(), consumed, warnings),
                Ok(_) => {
                    warnings.push("front matter is not a YAML mapping; ignored".to_string());
                    (Meta::default(), consumed, warnings)
                }
                Err(e) => {
                    warnings.push(format!("front matter is not valid YAML ({e}); ignored"));
                    (Meta::default(), consumed, warnings)
                }
            };
        }
        if is_marker(line) {
            break;
        }
        yaml.push_str(line);
        yaml.push('\n');
    }
    warnings.push("front matter block opened with --- is never closed; read as body".to_string());
    (Meta::default(), 0, warnings)
}

fn yaml_scalar(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => yaml_scalar(&t.value),
        _ => None,
    }
}

fn yaml_list(value: &serde_yaml::Value) -> Vec<String> {
    match value {
        serde_yaml::Value::Sequence(items) => items.iter().filter_map(yaml_scalar).collect(),
        // `tags: a, b` and `tags: a` are common in scraped blogs.
        other => yaml_scalar(other)
            .map(|s| {
                s.split([',', '、'])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Fills [`Meta`] from a YAML mapping (keys are matched case-insensitively).
pub fn meta_from_yaml(map: &serde_yaml::Mapping) -> Meta {
    let mut meta = Meta::default();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        match key.to_ascii_lowercase().as_str() {
            "title" => meta.title = yaml_scalar(value),
            "date" | "published" | "pubdate" | "published_at" => meta.date = yaml_scalar(value),
            "author" | "authors" | "byline" => {
                meta.author = yaml_scalar(value).or_else(|| {
                    let list = yaml_list(value);
                    (!list.is_empty()).then(|| list.join(", "))
                })
            }
            "categories" | "category" => meta.categories = yaml_list(value),
            "tags" | "tag" | "keywords" => meta.tags = yaml_list(value),
            "url" | "link" | "permalink" | "source" => meta.url = yaml_scalar(value),
            _ => {}
        }
    }
    meta
}

/// Removes inline Markdown and HTML from one line, keeping the words.
pub fn strip_inline(line: &str) -> String {
    // Every pattern below needs one of these characters: most lines have none.
    let mut s = if line.contains(['[', '<', '*', '_', '~', '`']) {
        strip_markup(line)
    } else {
        line.to_string()
    };
    if s.contains('&') {
        s = html_escape::decode_html_entities(&s).into_owned();
    }
    s.trim().to_string()
}

/// Links, images, emphasis, code spans and HTML tags replaced by their text.
fn strip_markup(line: &str) -> String {
    let mut s = IMAGE.replace_all(line, "$1").into_owned();
    s = LINK.replace_all(&s, "$1").into_owned();
    s = AUTOLINK.replace_all(&s, "$1").into_owned();
    s = STRONG.replace_all(&s, "$1$2$3").into_owned();
    s = EMPHASIS.replace_all(&s, "$1$2").into_owned();
    s = CODE.replace_all(&s, "$1").into_owned();
    TAG.replace_all(&s, "").into_owned()
}

/// Splits a Markdown table row into cells (without the outer pipes).
fn table_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|')
        .map(|c| strip_inline(&c.replace(CELL_SEPARATOR, " ")))
        .collect()
}

fn is_table_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.len() > 1 && t[1..].contains('|')
}

/// Whether a line break between `prev` and `next` is a soft wrap inside an
/// English paragraph (a long line cut mid-sentence, continued by a word).
fn is_soft_wrap(prev: &str, next: &str) -> bool {
    let last = prev.chars().next_back();
    let first = next.chars().next();
    prev.chars().count() >= 40
        && last.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | ';' | '-'))
        && first.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '(' | '"' | '$'))
}

/// Whether a line break between `prev` and `next` is a wrap of a fixed-width
/// Japanese paragraph (a PDF's text: `…を金融商` / `品取引法…`): `prev` is a full
/// line (at least 25 characters and 80% of the block's `width`) that ends
/// inside a sentence, and `next` goes on in Japanese, not with an item mark
/// (`・`, `※`, `(1)`).
fn is_japanese_wrap(prev: &str, next: &str, width: usize) -> bool {
    let (p, n) = (prev.trim(), next.trim());
    let len = p.chars().count();
    let Some(last) = p.chars().next_back() else {
        return false;
    };
    let mut first = n.chars();
    let continues = match first.next() {
        Some('(') => first.next().is_some_and(|c| !c.is_ascii_digit()),
        Some(c) => {
            is_japanese(c)
                && !matches!(
                    c,
                    '・' | '※'
                        | '■'
                        | '□'
                        | '●'
                        | '○'
                        | '◆'
                        | '◇'
                        | '【'
                        | '〈'
                        | '《'
                        | '「'
                )
        }
        None => false,
    };
    len >= 25
        && len * 10 >= width * 8
        && is_japanese(last)
        && !matches!(last, '。' | '」' | '』' | '】')
        && continues
}

/// Splits the lines of a text paragraph: in scraped news a line is a
/// paragraph, except for soft-wrapped English lines, which are joined. A run
/// of three or more such lines (or a whole paragraph of three or more lines)
/// none of which ends a sentence and each of which starts with a capital or a
/// digit is a list (a contents page, a headline list, a menu): its lines stay
/// paragraphs of their own.
fn split_lines(lines: Vec<Line>, blocks: &mut Vec<Block>) {
    if is_line_list(&lines) {
        for line in lines {
            blocks.push(Block::new(BlockKind::Paragraph, vec![line]));
        }
        return;
    }
    // A fixed-width Japanese block wraps only when a sentence ends in it (a
    // list of headlines ends none).
    let width = lines
        .iter()
        .map(|l| l.text.trim().chars().count())
        .max()
        .unwrap_or(0);
    let prose = lines
        .iter()
        .any(|l| l.text.trim_end().ends_with(['。', '．']));
    // Runs of lines that soft wraps would join.
    let mut runs: Vec<Vec<Line>> = Vec::new();
    for line in lines {
        match runs.last_mut() {
            Some(run)
                if is_soft_wrap(&run[run.len() - 1].text, &line.text)
                    || prose && is_japanese_wrap(&run[run.len() - 1].text, &line.text, width) =>
            {
                run.push(line)
            }
            _ => runs.push(vec![line]),
        }
    }
    for run in runs {
        if is_line_list(&run) {
            for line in run {
                blocks.push(Block::new(BlockKind::Paragraph, vec![line]));
            }
            continue;
        }
        let mut lines = run.into_iter();
        let Some(mut joined) = lines.next() else {
            continue;
        };
        for line in lines {
            joined.text.push(' ');
            joined.text.push_str(&line.text);
        }
        blocks.push(Block::new(BlockKind::Paragraph, vec![joined]));
    }
}

/// Whether a line ends a sentence: with `!?;:` or a closing quote or bracket,
/// or with a period that does not end an abbreviation (`Inc.`, `Co.`, `S.p.A.`:
/// a short capitalised word, or one with another period inside).
fn ends_sentence(t: &str) -> bool {
    if t.ends_with(['!', '?', ';', ':', '"', '\'', ')']) {
        return true;
    }
    let Some(word) = t.strip_suffix('.') else {
        return false;
    };
    let last = word.rsplit(' ').next().unwrap_or(word);
    let abbreviation = last.contains('.')
        || (last.chars().count() <= 4 && last.chars().next().is_some_and(|c| c.is_uppercase()));
    !abbreviation
}

/// Whether lines that soft wraps would join are a list of headlines: three or
/// more, none ending a sentence, each starting with a capital or a digit.
fn is_line_list(run: &[Line]) -> bool {
    run.len() >= 3
        && run.iter().all(|l| {
            let t = l.text.trim();
            !ends_sentence(t)
                && t.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Parses Markdown or plain text (after front matter) into blocks.
/// `first_line` is the 1-based file line of the first line of `body`.
pub fn parse_body(body: &str, first_line: u32) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    let mut table: Vec<Line> = Vec::new();
    let mut in_code = false;
    let flush = |kind: BlockKind, lines: &mut Vec<Line>, blocks: &mut Vec<Block>| {
        if lines.is_empty() {
            return;
        }
        let lines = std::mem::take(lines);
        // A one-column table of prose (`| Acme and Brindle agreed to … |`, a
        // page laid out in a table) is paragraphs, one a row.
        let prose_column = kind == BlockKind::Table
            && lines.iter().all(|l| !l.text.contains(CELL_SEPARATOR))
            && lines.iter().any(|l| l.text.chars().count() >= 40);
        if prose_column {
            for line in lines {
                blocks.push(Block::new(BlockKind::Paragraph, vec![line]));
            }
        } else if kind == BlockKind::Paragraph {
            split_lines(lines, blocks);
        } else {
            blocks.push(Block::new(kind, lines));
        }
    };
    let raw_lines: Vec<&str> = body.lines().collect();
    // Inside a table whose rows have no outer pipes (`a | b`, GFM): it starts at
    // a row with a pipe that a delimiter row follows and ends at a row without one.
    let mut pipeless = false;
    for (i, &raw) in raw_lines.iter().enumerate() {
        let source_line = first_line + i as u32;
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        pipeless = if pipeless {
            raw.contains('|')
        } else {
            raw.contains('|')
                && raw_lines
                    .get(i + 1)
                    .is_some_and(|n| n.contains('|') && TABLE_SEPARATOR.is_match(n))
        };
        if !in_code && (is_table_line(raw) || pipeless) {
            flush(BlockKind::Paragraph, &mut current, &mut blocks);
            if TABLE_SEPARATOR.is_match(raw) {
                continue;
            }
            let cells = table_cells(raw);
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            table.push(Line {
                text: cells.join(CELL_SEPARATOR),
                source_line,
            });
            continue;
        }
        flush(BlockKind::Table, &mut table, &mut blocks);
        if in_code {
            if !trimmed.is_empty() {
                current.push(Line {
                    text: raw.trim_end().to_string(),
                    source_line,
                });
            }
            continue;
        }
        if trimmed.is_empty() {
            flush(BlockKind::Paragraph, &mut current, &mut blocks);
            continue;
        }
        if is_marker(raw) {
            flush(BlockKind::Paragraph, &mut current, &mut blocks);
            blocks.push(Block::new(
                BlockKind::Marker,
                vec![Line {
                    text: trimmed.to_string(),
                    source_line,
                }],
            ));
            continue;
        }
        if RULE.is_match(raw) {
            flush(BlockKind::Paragraph, &mut current, &mut blocks);
            continue;
        }
        if let Some(caps) = HEADING.captures(raw) {
            flush(BlockKind::Paragraph, &mut current, &mut blocks);
            let text = strip_inline(&caps[2]);
            if !text.is_empty() {
                blocks.push(Block::new(
                    BlockKind::Heading,
                    vec![Line { text, source_line }],
                ));
            }
            continue;
        }
        // Inline HTML blocks: <br> splits lines, other tags vanish.
        for piece in BREAK_TAG.split(raw) {
            let without_quote = QUOTE.replace(piece, "");
            let without_list = LIST.replace(&without_quote, "");
            let text = strip_inline(&without_list);
            if !text.is_empty() {
                current.push(Line { text, source_line });
            }
        }
    }
    flush(BlockKind::Paragraph, &mut current, &mut blocks);
    flush(BlockKind::Table, &mut table, &mut blocks);
    blocks
}

/// Parses a whole Markdown or text file: front matter, then body.
pub fn parse(text: &str) -> Parsed {
    let (meta, consumed, warnings) = front_matter(text);
    let body_start = if consumed == 0 {
        0
    } else {
        text.match_indices('\n')
            .nth(consumed - 1)
            .map(|(i, _)| i + 1)
            .unwrap_or(text.len())
    };
    Parsed {
        meta,
        blocks: parse_body(&text[body_start..], consumed as u32 + 1),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_real_yaml() {
        let text = "---\ntitle: \"国産AIの行方: 提携は進むか\"\ndate: 2025-06-12 09:00:00 +0900\ncategories: [\"AI活用\"]\ntags:\n  - LLM\n  - 'Google'\nauthor: 編集部\n---\n本文です。\n";
        let p = parse(text);
        assert_eq!(p.meta.title.as_deref(), Some("国産AIの行方: 提携は進むか"));
        assert_eq!(p.meta.date.as_deref(), Some("2025-06-12 09:00:00 +0900"));
        assert_eq!(p.meta.categories, vec!["AI活用"]);
        assert_eq!(p.meta.tags, vec!["LLM", "Google"]);
        assert_eq!(p.meta.author.as_deref(), Some("編集部"));
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(p.blocks[0].lines[0].source_line, 10);
    }

    #[test]
    fn unterminated_and_invalid_front_matter_warn() {
        let p = parse("---\ntitle: x\n本文が続く。\n");
        assert!(p.warnings[0].contains("never closed"));
        assert!(p.meta.title.is_none());
        let p = parse("---\ntitle: [unclosed\n---\n本文。\n");
        assert!(p.warnings[0].contains("not valid YAML"), "{:?}", p.warnings);
        assert_eq!(p.blocks[0].lines[0].text, "本文。");
    }

    #[test]
    fn markdown_syntax_is_removed() {
        let body = "## 見出し ##\n\n- **太字**と[リンク](https://example.com)と`code`\n<p style=\"font-size:0.9em;\">注: 参考</p>\n";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks[0].kind, BlockKind::Heading);
        assert_eq!(blocks[0].lines[0].text, "見出し");
        assert_eq!(blocks[1].lines[0].text, "太字とリンクとcode");
        assert_eq!(blocks[2].lines[0].text, "注: 参考");
    }

    #[test]
    fn a_one_column_table_of_prose_is_paragraphs() {
        let body = "| Quorvane Ltd. and Brindle Corp. agreed to form a joint venture in Pune. |\n| The venture will make drones. |\n\n| 会社 |\n| アルファ |\n";
        let blocks = parse_body(body, 1);
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [BlockKind::Paragraph, BlockKind::Paragraph, BlockKind::Table]
        );
        assert_eq!(blocks[1].lines[0].text, "The venture will make drones.");
    }

    #[test]
    fn brackets_before_a_parenthesis_that_is_no_destination_stay_text() {
        let body =
            "[週刊M&A](2023年5月8日〜5月12日)\n[記事一覧](/news/ \"一覧\")、[参照][1]、[空]()\n";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks[0].lines[0].text, "[週刊M&A](2023年5月8日〜5月12日)");
        assert_eq!(blocks[1].lines[0].text, "記事一覧、参照、空");
    }

    #[test]
    fn lines_are_paragraphs_but_soft_wrapped_english_is_joined() {
        let blocks = parse_body("キーポイント\n国家戦略としてのAI基盤構築\nToyota Motor Corp. and NVIDIA signed a partnership\nin 2024 to develop chips.\n", 1);
        let texts: Vec<String> = blocks.iter().map(|b| b.joined()).collect();
        assert_eq!(
            texts,
            vec![
                "キーポイント",
                "国家戦略としてのAI基盤構築",
                "Toyota Motor Corp. and NVIDIA signed a partnership in 2024 to develop chips."
            ]
        );
    }

    #[test]
    fn a_run_of_headline_lines_is_a_list_not_one_wrapped_paragraph() {
        let body = "Harbor Tools Inc. and Pellam Steel Co. form joint venture\nGrenfield Paper Corp. names new chief financial officer\nOstrava Rail a.s. orders twelve locomotives from Brandt\n";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[1].joined(),
            "Grenfield Paper Corp. names new chief financial officer"
        );
        // A wrapped paragraph that ends a sentence is still joined.
        let body = "Harbor Tools Inc. and Pellam Steel Co. said on Monday they\nWould form a joint venture to make rail parts in Ohio and\nSell them across the Midwest, the companies said.\n";
        assert_eq!(parse_body(body, 1).len(), 1);
    }

    #[test]
    fn a_fixed_width_japanese_paragraph_is_joined_but_not_a_headline_list() {
        // A disclosure's PDF text, wrapped at a fixed width mid-word.
        let body = "ヒバリ精機株式会社(以下「公開買付者」)は、本日開催の取締役会において、\n\
                    ミドリ電工株式会社の普通株式を金融商品取引法に基づく公開買付けにより取得\n\
                    することを決議いたしましたので、お知らせいたします。\n";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].joined().contains("において、 ミドリ電工"));
        // Headlines of a contents page end no sentence: each stays a paragraph.
        let body = "ヒバリ精機とミドリ電工が資本業務提携を発表、次世代モーター開発へ\n\
                    アオイ食品が北陸の老舗菓子メーカーを買収、販路を全国に拡大する方針\n\
                    サクラ運輸とカエデ物流が共同配送で協業、地方路線の維持を目指す\n";
        assert_eq!(parse_body(body, 1).len(), 3);
        // An item mark starts a paragraph of its own.
        let body = "当社は、本日開催の取締役会において、下記のとおり決議いたしましたので\n\
                    ・ミドリ電工株式会社との資本業務提携に関する契約の締結について。\n";
        assert_eq!(parse_body(body, 1).len(), 2);
    }

    #[test]
    fn tables_keep_rows_and_cells() {
        let body = "| | | |\n|---|---|---|\n| 企業 | 提携先 | 年 |\n| 日立製作所 | OpenAI（米国） | 2025年 |\n\n後の段落。";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks[0].kind, BlockKind::Table);
        assert_eq!(blocks[0].lines.len(), 2);
        assert_eq!(
            blocks[0].lines[1].text,
            "日立製作所 | OpenAI（米国） | 2025年"
        );
        assert_eq!(blocks[0].lines[1].source_line, 4);
        assert_eq!(blocks[1].kind, BlockKind::Paragraph);
    }

    #[test]
    fn tables_without_outer_pipes_are_tables() {
        let body = "順位 | 買収企業 | 被買収企業 |\n---|---|---|\n1 | 日立製作所 | ミドリ電装 |\n2 | ソニー | カワセミ精工\n後の段落。\n\nA | B は表ではない。";
        let blocks = parse_body(body, 1);
        assert_eq!(blocks[0].kind, BlockKind::Table);
        assert_eq!(blocks[0].lines.len(), 3);
        assert_eq!(blocks[0].lines[2].text, "2 | ソニー | カワセミ精工");
        assert_eq!(blocks[1].kind, BlockKind::Paragraph);
        assert_eq!(blocks[1].lines[0].text, "後の段落。");
        assert_eq!(blocks[2].kind, BlockKind::Paragraph);
    }

    #[test]
    fn end_markers_are_their_own_blocks() {
        for m in [
            "---END---",
            "--- END ---",
            "===END===",
            "[END]",
            "---end---",
        ] {
            assert!(is_marker(m), "{m}");
        }
        assert!(!is_marker("---"));
        let blocks = parse_body("前半の文章で、自\n---END---\n国の技術", 1);
        assert_eq!(
            blocks.iter().map(|b| b.kind).collect::<Vec<_>>(),
            vec![
                BlockKind::Paragraph,
                BlockKind::Marker,
                BlockKind::Paragraph
            ]
        );
    }
}
