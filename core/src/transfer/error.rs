//! Where an imported row came from, and the one error an import stops on:
//! `file:line: column name: message`.

use std::fmt;
use std::sync::Arc;

/// Where a row came from: the file as named on the command line and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: u64,
}

impl Origin {
    /// An error at this line, about `column` when given.
    pub fn error(&self, column: Option<&str>, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_string(),
            line: Some(self.line),
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

/// The first problem of an import: `file:line: column name: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}
