//! Output stage: JSON Lines of documents, records as JSON Lines or CSV, and
//! files written atomically (to a temporary file renamed into place when
//! complete, so an interrupted run never leaves a truncated file that looks
//! finished).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::document::{Document, ErrorLine, Record};
use crate::error::{KijiError, Result};

/// Bytes reserved for one JSON line (a news article's line is a few KB).
const JSON_LINE_CAPACITY: usize = 8 * 1024;

/// Where output goes: stdout or a file written atomically.
pub enum Sink {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// An existing path that is no regular file (`/dev/null`, a named pipe),
    /// written in place: renaming a file onto it would replace it.
    Special {
        /// The opened path.
        file: BufWriter<std::fs::File>,
        /// The path, for error messages.
        path: PathBuf,
    },
    /// A temporary file next to `target`, renamed onto it by [`Sink::finish`].
    File {
        /// The temporary file.
        tmp: BufWriter<tempfile::NamedTempFile>,
        /// Final path.
        target: PathBuf,
    },
}

impl Sink {
    /// Opens `path`, or stdout for `None` or `-`.
    pub fn open(path: Option<&Path>) -> Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if p.as_os_str() == "-" => Ok(Sink::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(|e| KijiError::io(p, e))?;
                Ok(Sink::Special {
                    file: BufWriter::new(f),
                    path: p.to_path_buf(),
                })
            }
            Some(p) => {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                std::fs::create_dir_all(dir).map_err(|e| KijiError::io(dir, e))?;
                let mut builder = tempfile::Builder::new();
                builder.prefix(".kiji-").suffix(".tmp");
                // The finished file gets the usual mode (0666 less the umask), not
                // the temporary file's private 0600.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let tmp = builder
                    .tempfile_in(dir)
                    .map_err(|e| KijiError::io(dir, e))?;
                Ok(Sink::File {
                    tmp: BufWriter::new(tmp),
                    target: p.to_path_buf(),
                })
            }
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::Special { file, .. } => file,
            Sink::File { tmp, .. } => tmp,
        }
    }

    /// Writes one JSON line.
    pub fn write_json<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        // Serialize first, then write: a closed pipe keeps its error kind (BrokenPipe).
        let mut line = Vec::with_capacity(JSON_LINE_CAPACITY);
        serde_json::to_writer(&mut line, value).map_err(io::Error::other)?;
        line.push(b'\n');
        self.writer().write_all(&line)
    }

    /// Writes raw bytes.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer().write_all(bytes)
    }

    /// Flushes stdout (so a stream consumer sees lines as they are produced).
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }

    /// Flushes and, for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|e| KijiError::io("<stdout>", e)),
            Sink::Special { mut file, path } => file.flush().map_err(|e| KijiError::io(&path, e)),
            Sink::File { tmp, target } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| KijiError::io(&target, e.into_error()))?;
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| KijiError::io(&target, e))?;
                tmp.persist(&target)
                    .map_err(|e| KijiError::io(&target, e.error))?;
                Ok(())
            }
        }
    }
}

/// One record line of `--records` (JSON Lines): the document id and the record.
#[derive(Debug, Serialize)]
pub struct RecordLine<'a> {
    /// Document id.
    pub id: &'a str,
    /// The record.
    #[serde(flatten)]
    pub record: &'a Record,
}

/// Format of the records file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordsFormat {
    /// JSON Lines, one record per line.
    Jsonl,
    /// CSV with a header (UTF-8 with BOM, so spreadsheets read Japanese right).
    Csv,
}

/// Columns of the records CSV.
pub const CSV_HEADER: [&str; 12] = [
    "id",
    "company_a",
    "company_b",
    "country_a",
    "country_b",
    "role_a",
    "role_b",
    "kind",
    "verb",
    "year",
    "amount_value",
    "amount_currency",
];

/// Writes the records of documents as JSON Lines or CSV.
pub struct RecordWriter {
    sink: Sink,
    format: RecordsFormat,
    csv_header_written: bool,
}

impl RecordWriter {
    /// Opens the records file.
    pub fn open(path: &Path, format: RecordsFormat) -> Result<Self> {
        Ok(RecordWriter {
            sink: Sink::open(Some(path))?,
            format,
            csv_header_written: false,
        })
    }

    /// Writes the records of one document.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        match self.format {
            RecordsFormat::Jsonl => {
                for r in &doc.records {
                    self.sink.write_json(&RecordLine {
                        id: &doc.id,
                        record: r,
                    })?;
                }
                Ok(())
            }
            RecordsFormat::Csv => {
                let mut buf = Vec::new();
                {
                    let mut w = csv::Writer::from_writer(&mut buf);
                    if !self.csv_header_written {
                        w.write_record(CSV_HEADER.iter().copied().chain(["evidence"]))
                            .map_err(io::Error::other)?;
                    }
                    for r in &doc.records {
                        let p = |i: usize| r.parties.get(i);
                        let row = [
                            doc.id.clone(),
                            p(0).map(|x| x.name.clone()).unwrap_or_default(),
                            p(1).map(|x| x.name.clone()).unwrap_or_default(),
                            p(0).and_then(|x| x.country.clone()).unwrap_or_default(),
                            p(1).and_then(|x| x.country.clone()).unwrap_or_default(),
                            p(0).and_then(|x| x.role.clone()).unwrap_or_default(),
                            p(1).and_then(|x| x.role.clone()).unwrap_or_default(),
                            r.kind.clone().unwrap_or_default(),
                            r.verb.clone().unwrap_or_default(),
                            r.year.map(|y| y.to_string()).unwrap_or_default(),
                            r.amount
                                .as_ref()
                                .map(|a| format!("{}", a.value))
                                .unwrap_or_default(),
                            r.amount
                                .as_ref()
                                .map(|a| a.currency.clone())
                                .unwrap_or_default(),
                            r.evidence
                                .iter()
                                .map(|e| e.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" / "),
                        ];
                        w.write_record(&row).map_err(io::Error::other)?;
                    }
                    w.flush()?;
                }
                if !self.csv_header_written {
                    self.sink.write_bytes("\u{FEFF}".as_bytes())?;
                    self.csv_header_written = true;
                }
                self.sink.write_bytes(&buf)
            }
        }
    }

    /// Finishes the file (renamed into place).
    pub fn finish(mut self) -> Result<()> {
        if self.format == RecordsFormat::Csv && !self.csv_header_written {
            let empty = Document::empty("");
            let _ = self.write(&empty);
        }
        self.sink.finish()
    }
}

impl Document {
    /// A document with no content (used for headers and tests).
    pub fn empty(id: &str) -> Document {
        Document {
            id: id.to_string(),
            source: crate::document::Source {
                format: String::new(),
                encoding: String::new(),
                bytes: 0,
            },
            meta: Default::default(),
            lang: Default::default(),
            text: String::new(),
            paragraphs: Vec::new(),
            entities: Vec::new(),
            records: Vec::new(),
            dedup: Default::default(),
            repairs: None,
            duplicate_of: None,
            warnings: Vec::new(),
            raw: None,
            signature: None,
            text_hash: None,
        }
    }
}

/// The output line of a failed document.
pub fn error_line(id: &str, error: &str) -> ErrorLine {
    ErrorLine {
        id: id.to_string(),
        error: error.to_string(),
    }
}
