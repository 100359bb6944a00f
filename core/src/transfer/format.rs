//! The file formats import reads and export writes, and the reader's options.

use std::path::Path;

/// The export formats import reads and export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row (RFC 4180).
    Csv,
    /// Newline-delimited JSON: one object per line.
    Ndjson,
}

impl std::str::FromStr for Format {
    type Err = String;

    /// `csv`, or `ndjson` (also `json`, `jsonl`), in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "ndjson" | "json" | "jsonl" => Ok(Format::Ndjson),
            _ => Err(format!("`{text}` is not a format (csv or ndjson)")),
        }
    }
}

impl Format {
    /// The format a file's extension names: `.csv`, or `.json` / `.ndjson` / `.jsonl`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "json" | "ndjson" | "jsonl" => Some(Format::Ndjson),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Ndjson => "newline-delimited JSON",
        }
    }
}

/// Choices of the reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip columns the table does not have instead of refusing the file
    /// (the live `prediction_accuracy` has ~50 columns; courtside keeps 31).
    pub ignore_extra_columns: bool,
}
