//! Ingest stage: find input files, read and decode them, and parse them into
//! blocks with metadata.
//!
//! Input: paths given by the user. Output: [`Input`]s (one per document, in
//! path order) and, per input, a [`Parsed`] body whose blocks carry the
//! 1-based source line of every line.

pub mod decode;
pub mod html;
pub mod long_lines;
pub mod markdown;

use std::path::{Path, PathBuf};

use serde_json::Value;
use walkdir::WalkDir;

use crate::document::{Meta, Parsed};
use crate::error::{KijiError, Result};

/// Input formats kiji reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// Plain text, read like Markdown (`.txt`).
    Text,
    /// HTML (`.html`, `.htm`).
    Html,
}

impl Format {
    /// The name used in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
        }
    }

    /// The format for a file extension (lower case, without dot).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The format of a file by its extension (any case), else plain text.
    pub fn of_path(path: &Path) -> Format {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(|e| Format::from_extension(&e.to_ascii_lowercase()))
            .unwrap_or(Format::Text)
    }
}

/// Where the content of an [`Input`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A file to read (and decode) when the document is processed.
    File(PathBuf),
    /// Bytes already in memory.
    Bytes(Vec<u8>),
    /// One line of a JSON Lines file, read when the document is processed.
    JsonLine {
        /// The JSON Lines file.
        path: PathBuf,
        /// Byte offset of the line.
        offset: u64,
        /// Length of the line in bytes.
        len: u64,
        /// 1-based line number.
        line: u32,
    },
    /// A path that could not be walked or opened (symlink loop, FIFO ...): its
    /// document fails with this message, in its place in path order.
    Unreadable(String),
    /// An article body already decoded, with its metadata (from `kiji stream`
    /// or a JSON line).
    Text {
        /// The article body.
        body: String,
        /// Metadata that comes with it.
        meta: Meta,
    },
}

/// One document to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Output id: path relative to its root, `/`-separated; `PATH#LINE` for JSON Lines.
    pub id: String,
    /// Format of the body.
    pub format: Format,
    /// Where the bytes are.
    pub content: Content,
}

/// Limits that protect the machine from pathological inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Longest line processed as it is, in bytes; longer lines are split
    /// into paragraphs ([`long_lines`]).
    pub max_line_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            max_line_bytes: 4 * 1024 * 1024,
        }
    }
}

/// A path found while walking that is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path.
    pub path: String,
    /// Why (`extension`, ...).
    pub reason: String,
}

/// The result of walking the input paths.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Documents to process, sorted by id.
    pub inputs: Vec<Input>,
    /// Files not processed (unsupported extension).
    pub skipped: Vec<Skipped>,
    /// Paths that could not be walked or read (symlink loops, permissions ...), as (id, message).
    /// [`discover`] also lists them among `inputs` (as [`Content::Unreadable`]) in path order.
    pub errors: Vec<(String, String)>,
}

/// Whether a file's extension names a JSON Lines input.
fn is_jsonl(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("jsonl" | "ndjson"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = if rel.as_os_str().is_empty() {
        Path::new(path.file_name().unwrap_or(path.as_os_str()))
    } else {
        rel
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `paths` (files or folders, recursively, following symlinks) and
/// lists the documents in them, sorted by id. JSON Lines files are expanded
/// to one input per non-empty line.
pub fn discover(paths: &[PathBuf], _limits: &Limits) -> Discovery {
    let mut d = Discovery::default();
    for root in paths {
        let is_dir = root.is_dir();
        let base = if is_dir {
            root.as_path()
        } else {
            root.parent().unwrap_or(Path::new(""))
        };
        for entry in WalkDir::new(root).follow_links(true) {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| relative_id(base, p))
                        .unwrap_or_else(|| root.display().to_string());
                    let msg = if err.loop_ancestor().is_some() {
                        "symlink loop; not followed".to_string()
                    } else {
                        err.io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    d.errors.push((path, msg));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path();
            let id = relative_id(base, path);
            // FIFOs, sockets and devices would block or never end: not documents.
            if !entry.file_type().is_file()
                && extension(path)
                    .as_deref()
                    .and_then(Format::from_extension)
                    .is_some()
            {
                d.errors.push((
                    id,
                    "not a regular file (FIFO, socket or device); not read".to_string(),
                ));
                continue;
            }
            if !entry.file_type().is_file() {
                d.skipped.push(Skipped {
                    path: id,
                    reason: "not a regular file".to_string(),
                });
                continue;
            }
            if is_jsonl(path) {
                expand_jsonl(path, &id, &mut d);
                continue;
            }
            match extension(path).as_deref().and_then(Format::from_extension) {
                Some(format) => d.inputs.push(Input {
                    id,
                    format,
                    content: Content::File(path.to_path_buf()),
                }),
                None => d.skipped.push(Skipped {
                    path: id,
                    reason: "extension".to_string(),
                }),
            }
        }
    }
    for (id, message) in &d.errors {
        d.inputs.push(Input {
            id: id.clone(),
            format: Format::Text,
            content: Content::Unreadable(message.clone()),
        });
    }
    d.inputs.sort_by(|a, b| id_key(&a.id).cmp(&id_key(&b.id)));
    d
}

/// Sort key that orders `f.jsonl#10` after `f.jsonl#9`.
fn id_key(id: &str) -> (&str, u64) {
    match id.rsplit_once('#') {
        Some((path, n)) if n.chars().all(|c| c.is_ascii_digit()) => (path, n.parse().unwrap_or(0)),
        _ => (id, 0),
    }
}

fn expand_jsonl(path: &Path, id: &str, d: &mut Discovery) {
    use std::io::BufRead;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            d.errors
                .push((id.to_string(), KijiError::io(path, e).to_string()));
            return;
        }
    };
    // Only line positions are kept; each line is read again when processed,
    // so a large JSON Lines file is never held in memory.
    let mut reader = std::io::BufReader::new(file);
    let mut buf = Vec::new();
    let mut offset = 0u64;
    let mut line_no = 0u32;
    loop {
        buf.clear();
        let n = match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                d.errors.push((
                    format!("{id}#{}", line_no + 1),
                    KijiError::io(path, e).to_string(),
                ));
                break;
            }
        };
        line_no += 1;
        if !buf.iter().all(|b| b.is_ascii_whitespace()) {
            d.inputs.push(Input {
                id: format!("{id}#{line_no}"),
                format: Format::Markdown,
                content: Content::JsonLine {
                    path: path.to_path_buf(),
                    offset,
                    len: n as u64,
                    line: line_no,
                },
            });
        }
        offset += n as u64;
    }
}

/// Reads one line of a JSON Lines file.
pub fn read_json_line(path: &Path, offset: u64, len: u64) -> Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| KijiError::io(path, e))?;
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| KijiError::io(path, e))?;
    let mut buf = vec![0; len as usize];
    f.read_exact(&mut buf).map_err(|e| KijiError::io(path, e))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads one scraped article from a JSON object: body in `text`, `body`,
/// `content` or `html`; optional `title`, `date`, `url`, `author`, `format`.
pub fn json_article(line: &str) -> Result<(Format, Content)> {
    let value: Value = serde_json::from_str(line).map_err(|e| KijiError::BadJson(e.to_string()))?;
    let obj = value
        .as_object()
        .ok_or_else(|| KijiError::BadJson("a line is not a JSON object".to_string()))?;
    let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (body, mut format) = if let Some(html) = field("html") {
        (html, Format::Html)
    } else if let Some(body) = field("text")
        .or_else(|| field("body"))
        .or_else(|| field("content"))
    {
        (body, Format::Markdown)
    } else {
        return Err(KijiError::BadJson(
            "no article body: expected a string in `text`, `body`, `content` or `html`".to_string(),
        ));
    };
    if let Some(f) = field("format") {
        format = Format::from_extension(&f.to_ascii_lowercase()).unwrap_or(format);
    }
    let list = |k: &str| -> Vec<String> {
        match obj.get(k) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let meta = Meta {
        title: field("title"),
        date: field("date"),
        author: field("author"),
        categories: list("categories"),
        tags: list("tags"),
        url: field("url"),
    };
    Ok((format, Content::Text { body, meta }))
}

/// Reads a file, refusing files over the size limit.
pub fn read_limited(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path)
        .map_err(|e| KijiError::io(path, e))?
        .len();
    if len > limits.max_file_bytes {
        return Err(KijiError::Limit {
            what: "file size",
            actual: len,
            limit: limits.max_file_bytes,
            flag: "--max-file-bytes",
        });
    }
    std::fs::read(path).map_err(|e| KijiError::io(path, e))
}

/// Parses decoded text in `format`; HTML is also recognised by its opening tag.
pub fn parse(text: &str, format: Format) -> Parsed {
    let head = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    if format == Format::Html || head.starts_with("<!doctype html") || head.starts_with("<html") {
        html::parse(text)
    } else {
        markdown::parse(text)
    }
}
