//! Typed errors of the library. The binary wraps them with `anyhow`.

use std::path::PathBuf;

/// Everything that can go wrong inside kiji's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KijiError {
    /// Reading a file or writing output failed.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The IPADIC sources needed to build the dictionary are not there.
    #[error(
        "IPADIC sources not found in {dir} (missing {missing}). Install them with \
         `sudo apt-get update && sudo apt-get install -y mecab-ipadic` (Debian/Ubuntu), \
         or point KIJI_IPADIC_SRC at a folder holding IPADIC's *.csv, char.def, unk.def and matrix.def"
    )]
    DictionarySourceMissing {
        /// Where the sources were looked for.
        dir: PathBuf,
        /// The first file that was missing.
        missing: String,
    },
    /// lindera failed to build or load a dictionary, or to segment text.
    #[error("morphological analyzer: {0}")]
    Analyzer(String),
    /// A bundled or user-supplied lexicon file is malformed.
    #[error("lexicon {name}, line {line}: {message}")]
    Lexicon {
        /// Lexicon file name.
        name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The bytes do not look like text (NUL bytes, binary data).
    #[error("not text: {0}")]
    Binary(String),
    /// The input exceeds a configured limit.
    #[error("{what} is {actual} bytes, over the limit of {limit} bytes (raise it with {flag})")]
    Limit {
        /// Which limit ("file size", "line length").
        what: &'static str,
        /// Measured size.
        actual: u64,
        /// The configured limit.
        limit: u64,
        /// CLI flag that raises it.
        flag: &'static str,
    },
    /// A path could not be walked or opened (symlink loop, FIFO, permissions).
    #[error("{0}")]
    Unreadable(String),
    /// A JSON input line could not be used.
    #[error("bad JSON input: {0}")]
    BadJson(String),
    /// The company model (`dictionaries/companies.crf` or `KIJI_COMPANY_MODEL`)
    /// is missing or unreadable.
    #[error(
        "company model {origin}: {message} (rebuild it with `kiji train --out FILE`, \
         or unset KIJI_COMPANY_MODEL to use the bundled model)"
    )]
    Model {
        /// The file, or "bundled ...".
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A gold or expectation file could not be parsed.
    #[error("{path}: {message}")]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Result alias for the library.
pub type Result<T, E = KijiError> = std::result::Result<T, E>;

impl KijiError {
    /// Builds an [`KijiError::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        KijiError::Io {
            path: path.into(),
            source,
        }
    }
}
