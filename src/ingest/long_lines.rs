//! Lines over the line limit (minified HTML, JSON dumps, PDF extractions) are
//! split into paragraphs instead of refusing the file.
//!
//! A long line is cut at sentence ends (`。！？!?`, and `. ` `! ` `? ` in Latin
//! text) into pieces of at most [`piece_bytes`] bytes, sentences packed in
//! order; a sentence longer than that is cut at its last space before the
//! bound, else at a character boundary. Pieces become paragraphs of their
//! own: in Markdown and text they are separated by a blank line before
//! parsing; in HTML, whose paragraphs come from its tags, the parsed blocks
//! whose line is still over the limit are split the same way. Never: a line
//! within the limit is touched, text is dropped or reordered, or a character is
//! cut in two.

use crate::document::{Block, BlockKind, Line};

/// Largest piece a long line is cut into: 4 KiB (a long news paragraph), or
/// the line limit when it is smaller.
pub fn piece_bytes(max_line_bytes: u64) -> usize {
    (max_line_bytes as usize).clamp(1, 4 * 1024)
}

/// The pieces of `line`, each at most `max` bytes (a piece may exceed `max`
/// only by one character, when a single character is longer than `max`).
pub fn pieces(line: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while rest.len() > max {
        let cut = cut_point(rest, max);
        let (head, tail) = rest.split_at(cut);
        out.push(head.trim_end());
        rest = tail.trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The largest character boundary of `s` at or before byte `i`.
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where to cut `s` (longer than `max` bytes): after the last sentence end
/// within `max` bytes, else after the last space, else at the last character
/// boundary; always after at least one character.
fn cut_point(s: &str, max: usize) -> usize {
    let bound = floor_char_boundary(s, max);
    let window = &s[..bound];
    let mut sentence_end = None;
    let mut space = None;
    let mut prev: Option<char> = None;
    for (i, c) in window.char_indices() {
        if matches!(c, '。' | '！' | '？') {
            sentence_end = Some(i + c.len_utf8());
        } else if c.is_whitespace() {
            if matches!(prev, Some('.' | '!' | '?')) {
                sentence_end = Some(i);
            }
            space = Some(i);
        }
        prev = Some(c);
    }
    let cut = sentence_end.or(space).unwrap_or(bound);
    if cut == 0 {
        // One character longer than the bound: take it whole.
        s.chars().next().map_or(s.len(), char::len_utf8)
    } else {
        cut
    }
}

/// Splits every line of `text` longer than `max_line_bytes` into paragraphs
/// (pieces separated by a blank line); returns the text and how many lines
/// were split. `text` is returned unchanged when no line is over the limit.
pub fn split_text(text: String, max_line_bytes: u64) -> (String, usize) {
    let limit = max_line_bytes as usize;
    if !text.split('\n').any(|l| l.len() > limit) {
        return (text, 0);
    }
    let max = piece_bytes(max_line_bytes);
    let mut out = String::with_capacity(text.len() + text.len() / max * 2 + 16);
    let mut split = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.len() > limit {
            split += 1;
            out.push_str(&pieces(line, max).join("\n\n"));
        } else {
            out.push_str(line);
        }
    }
    (out, split)
}

/// Splits the lines of parsed blocks still over the limit (HTML text without
/// block tags) into paragraph blocks; returns how many lines were split.
pub fn split_blocks(blocks: &mut Vec<Block>, max_line_bytes: u64) -> usize {
    let limit = max_line_bytes as usize;
    if !blocks
        .iter()
        .any(|b| b.lines.iter().any(|l| l.text.len() > limit))
    {
        return 0;
    }
    let max = piece_bytes(max_line_bytes);
    let mut split = 0;
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks.drain(..) {
        if !block.lines.iter().any(|l| l.text.len() > limit) {
            out.push(block);
            continue;
        }
        let mut kept: Vec<Line> = Vec::new();
        for line in block.lines {
            if line.text.len() <= limit {
                kept.push(line);
                continue;
            }
            split += 1;
            if !kept.is_empty() {
                out.push(Block::new(block.kind, std::mem::take(&mut kept)));
            }
            for piece in pieces(&line.text, max) {
                out.push(Block::new(
                    BlockKind::Paragraph,
                    vec![Line {
                        text: piece.to_string(),
                        source_line: line.source_line,
                    }],
                ));
            }
        }
        if !kept.is_empty() {
            out.push(Block::new(block.kind, kept));
        }
    }
    *blocks = out;
    split
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_untouched() {
        let text = "一行目。\n\n二行目です。".to_string();
        assert_eq!(split_text(text.clone(), 100), (text, 0));
    }

    #[test]
    fn long_lines_split_at_sentence_ends() {
        let line = "両社は提携した。".repeat(10); // 240 bytes
        let (text, n) = split_text(format!("見出し\n{line}"), 100);
        assert_eq!(n, 1);
        let paras: Vec<&str> = text.split("\n\n").collect();
        assert!(paras[0].starts_with("見出し\n"));
        for p in &paras[1..] {
            assert!(p.len() <= 100 && p.ends_with('。'), "{p}");
        }
        assert_eq!(text.replace(['\n'], "").replace("見出し", ""), line);
    }

    #[test]
    fn latin_sentences_and_spaces() {
        let line = "The firm agreed to buy the unit. It will pay cash. ".repeat(4);
        let p = pieces(line.trim_end(), 60);
        assert!(p.iter().all(|x| x.len() <= 60));
        assert!(p[0].ends_with('.'));
        assert_eq!(p.join(" "), line.trim_end());
    }

    #[test]
    fn a_line_without_sentence_ends_or_spaces_is_cut_at_char_boundaries() {
        let line = "あ".repeat(50); // 150 bytes, no sentence end
        let p = pieces(&line, 20);
        assert!(p
            .iter()
            .all(|x| x.len() <= 20 && x.chars().all(|c| c == 'あ')));
        assert_eq!(p.concat(), line);
    }

    #[test]
    fn blocks_over_the_limit_become_paragraphs() {
        let long = "文章です。".repeat(40);
        let mut blocks = vec![
            Block::new(
                BlockKind::Heading,
                vec![Line {
                    text: "見出し".into(),
                    source_line: 1,
                }],
            ),
            Block::new(
                BlockKind::Paragraph,
                vec![Line {
                    text: long.clone(),
                    source_line: 2,
                }],
            ),
        ];
        assert_eq!(split_blocks(&mut blocks, 64), 1);
        assert_eq!(blocks[0].kind, BlockKind::Heading);
        assert!(blocks.len() > 3);
        let joined: String = blocks[1..]
            .iter()
            .map(|b| b.lines[0].text.clone())
            .collect();
        assert_eq!(joined, long);
        assert!(blocks[1..].iter().all(|b| b.lines[0].source_line == 2));
    }
}
