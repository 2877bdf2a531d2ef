//! The error of the benchmark runner: a sentence saying what failed, and the cause beneath it.
//!
//! The runner is a host tool whose errors end a run and are read by a person, so one type with
//! a message and an optional source is enough; nothing matches on kinds.

use std::error::Error;
use std::fmt;

/// What went wrong in a benchmark run, in words, with the underlying error if there was one.
#[derive(Debug)]
pub struct BenchError {
    message: String,
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
}

/// The result of every fallible step of the runner.
pub type Result<T> = std::result::Result<T, BenchError>;

impl BenchError {
    /// An error described by `message` alone.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error described by `message`, caused by `source`.
    pub fn caused_by(
        message: impl Into<String>,
        source: impl Into<Box<dyn Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {}", self.message, source),
            None => f.write_str(&self.message),
        }
    }
}

impl Error for BenchError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Adds the sentence "while doing X" to any error that converts into a [`BenchError`] source.
pub trait Context<T> {
    /// Wraps the error, if any, in a [`BenchError`] whose message is `what`.
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: Into<Box<dyn Error + Send + Sync + 'static>>> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| BenchError::caused_by(what(), e))
    }
}
