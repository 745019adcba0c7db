//! The library's one error type. Every variant names the file, article or model it is
//! about and keeps its cause, so that the CLI can print a message a user can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("model directory {dir}: {message}")]
    Model { dir: PathBuf, message: String },
    #[error("model directory {dir}: cannot load weights: {source}")]
    Weights {
        dir: PathBuf,
        #[source]
        source: tch::TchError,
    },
    #[error("model directory {dir}: tokenizer: {source}")]
    Tokenizer {
        dir: PathBuf,
        #[source]
        source: rust_tokenizers::error::TokenizerError,
    },
    #[error("model inference failed: {0}")]
    Inference(#[from] tch::TchError),
    #[error("model inference failed: {0}")]
    Encoder(#[from] rust_bert::RustBertError),
    #[error("building table `{table}`: {source}")]
    Table {
        table: String,
        #[source]
        source: polars::error::PolarsError,
    },
    #[error("data file {path}: {message}")]
    Data { path: PathBuf, message: String },
    #[error("output {path}: {message}")]
    Output { path: PathBuf, message: String },
    #[error(transparent)]
    Text(#[from] stancewatch_text::Error),
    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    pub fn table(table: &str) -> impl FnOnce(polars::error::PolarsError) -> Self + '_ {
        move |source| Error::Table {
            table: table.to_string(),
            source,
        }
    }
}
