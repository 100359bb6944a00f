//! Reads BigQuery's export formats — CSV with a header row and
//! newline-delimited JSON — into canonical rows, checking every value against
//! its column. The first problem stops the read with one message naming the
//! file, the line (1-based, as an editor shows it; the CSV header is line 1)
//! and the column. Works on bytes already in memory; never panics on content.

use super::tables::TableKind;
use super::validate::check_row;
use super::value::{CanonicalRow, from_json, json_type, parse_text};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

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

/// Choices of the reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip columns the table does not have instead of refusing the file
    /// (the live `prediction_accuracy` has ~50 columns; courtside keeps 31).
    pub ignore_extra_columns: bool,
}

/// A serde_json error without its `line 1` position, with the character column.
pub fn json_error_text(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let base = text.split(" at line ").next().unwrap_or(&text);
    if error.column() > 0 {
        format!("{base} at character {}", error.column())
    } else {
        base.to_string()
    }
}

/// Reads every row of one file, calling `sink` with each valid row in order.
/// Returns the number of rows.
pub fn read_rows<E: From<ImportError>>(
    file: &str,
    bytes: &[u8],
    format: Format,
    table: TableKind,
    options: ReadOptions,
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    let file: Arc<str> = Arc::from(file);
    sniff(&file, bytes, format)?;
    match format {
        Format::Csv => read_csv(&file, bytes, table, options, sink),
        Format::Ndjson => read_ndjson(&file, bytes, table, options, sink),
    }
}

/// Refuses empty files and files that are plainly not text before parsing.
fn sniff(file: &Arc<str>, bytes: &[u8], format: Format) -> Result<(), ImportError> {
    let at_line = |line: u64, message: String| {
        Origin {
            file: file.clone(),
            line,
        }
        .error(None, message)
    };
    let content = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if content.iter().all(u8::is_ascii_whitespace) {
        let expected = match format {
            Format::Csv => "a header row naming the columns",
            Format::Ndjson => "one JSON object per line",
        };
        return Err(at_line(
            1,
            format!("the file is empty (expected {expected})"),
        ));
    }
    let packed = if bytes.starts_with(&[0x1f, 0x8b]) {
        Some("gzip-compressed (decompress it first)")
    } else if bytes.starts_with(b"PAR1") {
        Some("a Parquet file")
    } else if bytes.starts_with(b"Obj\x01") {
        Some("an Avro file")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a zip archive")
    } else {
        None
    };
    if let Some(packed) = packed {
        return Err(at_line(
            1,
            format!(
                "{packed}, not {}; export as CSV or NEWLINE_DELIMITED_JSON",
                format.name()
            ),
        ));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
        return Err(at_line(
            line,
            format!("binary data (a NUL byte), not {} text", format.name()),
        ));
    }
    Ok(())
}

/// The line where a quoted CSV field opens and never closes (a truncated file):
/// the csv parser would silently end the field at the end of the file.
fn unclosed_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut in_quotes = false;
    let mut field_start = true;
    let mut opened_on = 1u64;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if in_quotes {
            if byte == b'"' {
                if bytes.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    in_quotes = false;
                }
            } else if byte == b'\n' {
                line += 1;
            }
        } else {
            match byte {
                b'"' if field_start => {
                    in_quotes = true;
                    opened_on = line;
                    field_start = false;
                }
                b',' | b'\r' => field_start = true,
                b'\n' => {
                    line += 1;
                    field_start = true;
                }
                _ => field_start = false,
            }
        }
        index += 1;
    }
    in_quotes.then_some(opened_on)
}

/// A header name close to a column's (a typo), for the message.
fn close_column(table: TableKind, name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    table
        .columns()
        .iter()
        .map(|column| (edit_distance(&name, column.name), column.name))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, column)| column)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

fn unknown_column(table: TableKind, name: &str, none_matched: bool) -> String {
    let hint = if none_matched {
        " (is the header row missing? the first line must name the columns)".to_string()
    } else if let Some(close) = close_column(table, name) {
        format!(" (did you mean {close}?)")
    } else {
        " (--ignore-extra-columns skips columns courtside does not read)".to_string()
    };
    format!("not a column of {table}{hint}")
}

fn read_csv<E: From<ImportError>>(
    file: &Arc<str>,
    bytes: &[u8],
    table: TableKind,
    options: ReadOptions,
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    let origin = |line: u64| Origin {
        file: file.clone(),
        line,
    };
    if let Some(line) = unclosed_quote(bytes) {
        return Err(origin(line)
            .error(
                None,
                "a quoted field opens here and is never closed (truncated file?)",
            )
            .into());
    }
    let columns = table.columns();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let read = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord| {
        reader.read_byte_record(record).map_err(|error| {
            let line = error.position().map_or(0, csv::Position::line);
            origin(line).error(None, format!("not readable as CSV: {error}"))
        })
    };

    // The header: each name must be a column of the table, once.
    if !read(&mut reader, &mut record)? {
        return Err(origin(1)
            .error(None, "the file is empty (expected a header row)")
            .into());
    }
    let header_line = record.position().map_or(1, csv::Position::line);
    let mut names = Vec::with_capacity(record.len());
    for (index, raw) in record.iter().enumerate() {
        let raw = if index == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name = std::str::from_utf8(raw).map_err(|_| {
            origin(header_line).error(
                None,
                format!("header field {} is not valid UTF-8", index + 1),
            )
        })?;
        if name.trim().is_empty() {
            return Err(origin(header_line)
                .error(
                    None,
                    format!(
                        "header field {} is empty (a trailing comma?); every field must name a column",
                        index + 1
                    ),
                )
                .into());
        }
        names.push(name.trim().to_string());
    }
    let none_matched = names.iter().all(|name| table.column_index(name).is_none());
    let mut targets: Vec<Option<usize>> = Vec::with_capacity(names.len());
    for name in &names {
        match table.column_index(name) {
            Some(index) if targets.contains(&Some(index)) => {
                return Err(origin(header_line)
                    .error(Some(name), "named twice in the header")
                    .into());
            }
            Some(index) => targets.push(Some(index)),
            None if options.ignore_extra_columns && !none_matched => targets.push(None),
            None => {
                return Err(origin(header_line)
                    .error(Some(name), unknown_column(table, name, none_matched))
                    .into());
            }
        }
    }
    if let Some(missing) = columns
        .iter()
        .enumerate()
        .find(|(index, column)| column.required && !targets.contains(&Some(*index)))
    {
        return Err(origin(header_line)
            .error(
                Some(missing.1.name),
                "required (NOT NULL) but missing from the header",
            )
            .into());
    }

    let mut rows = 0;
    while read(&mut reader, &mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() < names.len() {
            // Name the first column the line lacks.
            let missing = names.get(record.len()).map(String::as_str);
            let message = format!(
                "missing: the line has {} fields, the header {} (truncated line?)",
                record.len(),
                names.len()
            );
            return Err(origin(line).error(missing, message).into());
        }
        if record.len() > names.len() {
            let message = format!(
                "the line has {} fields, the header {} (an unquoted comma?)",
                record.len(),
                names.len()
            );
            return Err(origin(line).error(None, message).into());
        }
        let mut row = vec![Value::Null; columns.len()];
        for ((raw, target), name) in record.iter().zip(&targets).zip(&names) {
            let Some(index) = *target else { continue };
            let column = &columns[index];
            let text = std::str::from_utf8(raw).map_err(|error| {
                origin(line).error(
                    Some(name),
                    format!(
                        "not valid UTF-8 (byte {} of the field)",
                        error.valid_up_to() + 1
                    ),
                )
            })?;
            if text.is_empty() {
                continue;
            }
            row[index] = parse_text(column.kind, text)
                .map_err(|message| origin(line).error(Some(column.name), message))?;
        }
        check_row(table, &row)
            .map_err(|(index, message)| origin(line).error(Some(columns[index].name), message))?;
        sink(origin(line), row)?;
        rows += 1;
    }
    Ok(rows)
}

fn read_ndjson<E: From<ImportError>>(
    file: &Arc<str>,
    bytes: &[u8],
    table: TableKind,
    options: ReadOptions,
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    let origin = |line: u64| Origin {
        file: file.clone(),
        line,
    };
    let columns = table.columns();
    let index_of: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(index, column)| (column.name, index))
        .collect();
    let mut rows = 0;
    for (number, raw) in bytes.split(|byte| *byte == b'\n').enumerate() {
        let line = number as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if line == 1 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = std::str::from_utf8(raw).map_err(|error| {
            origin(line).error(
                None,
                format!(
                    "not valid UTF-8 (byte {} of the line)",
                    error.valid_up_to() + 1
                ),
            )
        })?;
        let value: Value = serde_json::from_str(text).map_err(|error| {
            let hint = if text.trim_start().starts_with('[') {
                "; expected one JSON object per line, not a JSON array"
            } else {
                "; expected one complete JSON object per line"
            };
            origin(line).error(
                None,
                format!("not valid JSON ({}){hint}", json_error_text(&error)),
            )
        })?;
        let Value::Object(fields) = value else {
            return Err(origin(line)
                .error(
                    None,
                    format!(
                        "{} is not a JSON object (expected one object per line, keys = column names)",
                        json_type(&value)
                    ),
                )
                .into());
        };
        let mut row = vec![Value::Null; columns.len()];
        for (key, value) in fields {
            let Some(&index) = index_of.get(key.as_str()) else {
                if options.ignore_extra_columns {
                    continue;
                }
                return Err(origin(line)
                    .error(Some(&key), unknown_column(table, &key, false))
                    .into());
            };
            let column = &columns[index];
            row[index] = from_json(column.kind, value)
                .map_err(|message| origin(line).error(Some(column.name), message))?;
        }
        check_row(table, &row)
            .map_err(|(index, message)| origin(line).error(Some(columns[index].name), message))?;
        sink(origin(line), row)?;
        rows += 1;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(
        format: Format,
        table: TableKind,
        text: &[u8],
    ) -> Result<Vec<(u64, CanonicalRow)>, ImportError> {
        read_with(format, table, text, ReadOptions::default())
    }

    fn read_with(
        format: Format,
        table: TableKind,
        text: &[u8],
        options: ReadOptions,
    ) -> Result<Vec<(u64, CanonicalRow)>, ImportError> {
        let mut rows = Vec::new();
        let file = match format {
            Format::Csv => "t.csv",
            Format::Ndjson => "t.ndjson",
        };
        read_rows(file, text, format, table, options, &mut |origin, row| {
            rows.push((origin.line, row));
            Ok::<(), ImportError>(())
        })?;
        Ok(rows)
    }

    fn csv_error(table: TableKind, text: &str) -> String {
        read(Format::Csv, table, text.as_bytes())
            .unwrap_err()
            .to_string()
    }

    fn ndjson_error(table: TableKind, text: &[u8]) -> String {
        read(Format::Ndjson, table, text).unwrap_err().to_string()
    }

    const FEATURES: TableKind = TableKind::FeatureStore;
    const HEADER: &str =
        "player_lookup,game_id,game_date,has_vegas_line,feature_quality_score,feature_version\n";

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_path(Path::new("a.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a.CSV")), Some(Format::Csv));
        for name in ["a.json", "a.ndjson", "a.jsonl"] {
            assert_eq!(Format::from_path(Path::new(name)), Some(Format::Ndjson));
        }
        assert_eq!(Format::from_path(Path::new("a.csv.gz")), None);
        assert_eq!(Format::from_path(Path::new("a")), None);
    }

    #[test]
    fn csv_rows_with_quoting_nulls_and_a_bom() {
        let text = format!(
            "\u{feff}{HEADER}a,g1,2026-01-05,true,88.5,v2.3\n\"b, jr\",g1,2026-01-05,,,\"multi\nline\"\n"
        );
        let rows = read(Format::Csv, FEATURES, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            (
                2,
                vec![
                    json!("a"),
                    json!("g1"),
                    json!("2026-01-05"),
                    json!(true),
                    json!(88.5),
                    json!("v2.3")
                ]
            )
        );
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1[0], json!("b, jr"));
        assert_eq!(rows[1].1[3], Value::Null);
        assert_eq!(rows[1].1[5], json!("multi\nline"));
    }

    #[test]
    fn csv_columns_in_any_order_and_optional_ones_absent() {
        let text = "game_date,game_id,player_lookup\r\n2026-01-05,g1,a\r\n";
        let rows = read(Format::Csv, FEATURES, text.as_bytes()).unwrap();
        assert_eq!(
            rows[0].1,
            vec![
                json!("a"),
                json!("g1"),
                json!("2026-01-05"),
                Value::Null,
                Value::Null,
                Value::Null
            ]
        );
        let header_only = read(Format::Csv, FEATURES, HEADER.as_bytes()).unwrap();
        assert!(header_only.is_empty());
    }

    #[test]
    fn csv_errors_name_file_line_and_column() {
        assert_eq!(
            csv_error(
                FEATURES,
                &format!("{HEADER}a,g1,2026-01-05,,,\na,g2,2026-13-01,,,\n")
            ),
            "t.csv:3: column game_date: `2026-13-01` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,maybe,,\n")),
            "t.csv:2: column has_vegas_line: `maybe` is not a boolean (true/false or 1/0)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,high,\n")),
            "t.csv:2: column feature_quality_score: `high` is not a number"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true\n")),
            "t.csv:2: column feature_quality_score: missing: the line has 4 fields, the header 6 (truncated line?)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,1,v,x\n")),
            "t.csv:2: the line has 7 fields, the header 6 (an unquoted comma?)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER},g1,2026-01-05,true,1,v\n")),
            "t.csv:2: column player_lookup: required (NOT NULL) but missing or empty"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id\na,g1\n"),
            "t.csv:1: column game_date: required (NOT NULL) but missing from the header"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_dat\n"),
            "t.csv:1: column game_dat: not a column of ml_feature_store_v2 (did you mean game_date?)"
        );
        assert!(
            csv_error(FEATURES, "a,g1,2026-01-05,true,1,v\n").contains("is the header row missing")
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_date,\n"),
            "t.csv:1: header field 4 is empty (a trailing comma?); every field must name a column"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_date,game_id\n"),
            "t.csv:1: column game_id: named twice in the header"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,1,\"v2.\n")),
            "t.csv:2: a quoted field opens here and is never closed (truncated file?)"
        );
        assert_eq!(
            csv_error(FEATURES, "\n \n"),
            "t.csv:1: the file is empty (expected a header row naming the columns)"
        );
        assert_eq!(
            csv_error(FEATURES, ""),
            "t.csv:1: the file is empty (expected a header row naming the columns)"
        );
    }

    #[test]
    fn csv_invalid_utf8_names_line_and_column() {
        let mut text = format!("{HEADER}a,g1,2026-01-05,,,\n").into_bytes();
        text.extend_from_slice(b"b,g1,2026-01-05,,,v\xff\xfe\n");
        let error = read(Format::Csv, FEATURES, &text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.csv:3: column feature_version: not valid UTF-8 (byte 2 of the field)"
        );
    }

    #[test]
    fn extra_columns_can_be_ignored() {
        let text = format!("extra,{}\nx,a,g1,2026-01-05,,,\n", HEADER.trim_end());
        assert!(read(Format::Csv, FEATURES, text.as_bytes()).is_err());
        let options = ReadOptions {
            ignore_extra_columns: true,
        };
        let rows = read_with(Format::Csv, FEATURES, text.as_bytes(), options).unwrap();
        assert_eq!(rows[0].1[0], json!("a"));
        let rows = read_with(
            Format::Ndjson,
            FEATURES,
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","other":1}"#,
            options,
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn binary_and_compressed_files_are_refused() {
        let gzip = [0x1f, 0x8b, 8, 0, 0, 0];
        assert!(
            read(Format::Csv, FEATURES, &gzip)
                .unwrap_err()
                .to_string()
                .contains("gzip")
        );
        assert!(
            read(Format::Ndjson, FEATURES, b"PAR1\x00\x00")
                .unwrap_err()
                .to_string()
                .contains("Parquet")
        );
        assert_eq!(
            read(Format::Csv, FEATURES, b"player_lookup\nab\x00c\n")
                .unwrap_err()
                .to_string(),
            "t.csv:2: binary data (a NUL byte), not CSV text"
        );
    }

    #[test]
    fn ndjson_rows() {
        let text = br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","has_vegas_line":true,"feature_quality_score":"88.25","feature_version":null}

{"game_date":"2026-01-06","game_id":"g2","player_lookup":"b"}
"#;
        let rows = read(Format::Ndjson, FEATURES, text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1[4], json!(88.25));
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1[2], json!("2026-01-06"));
    }

    #[test]
    fn ndjson_errors_name_file_line_and_column() {
        let good = br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05"}"#;
        let with = |bad: &[u8]| [&good[..], b"\n", bad, b"\n"].concat();
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-32"}"#)
            ),
            "t.ndjson:2: column game_date: `2026-01-32` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","has_vegas_line":"sometimes"}"#)),
            "t.ndjson:2: column has_vegas_line: `sometimes` is not a boolean (true/false or 1/0)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"g"}"#)),
            "t.ndjson:2: column game_date: required (NOT NULL) but missing or empty"
        );
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(
                    br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","colour":1}"#
                )
            ),
            "t.ndjson:2: column colour: not a column of ml_feature_store_v2 (--ignore-extra-columns skips columns courtside does not read)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"#)),
            "t.ndjson:2: not valid JSON (EOF while parsing a value at character 31); expected one complete JSON object per line"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(b"[1, 2]")),
            "t.ndjson:2: an array is not a JSON object (expected one object per line, keys = column names)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(b"{\"player_lookup\":\"a\xff\"}")),
            "t.ndjson:2: not valid UTF-8 (byte 20 of the line)"
        );
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(br#"{"player_lookup":7,"game_id":"g","game_date":"2026-01-05"}"#)
            ),
            "t.ndjson:2: column player_lookup: expected a string, found a number"
        );
        assert_eq!(
            ndjson_error(FEATURES, b"\n\n"),
            "t.ndjson:1: the file is empty (expected one JSON object per line)"
        );
        assert!(ndjson_error(FEATURES, b"[\n{}\n]\n").contains("not a JSON array"));
    }

    #[test]
    fn nothing_panics_on_arbitrary_bytes() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet = b"a,\"\n\r{}[]:0123456789.-TZ \xff\xc3\xa9";
        for length in 0..300 {
            let bytes: Vec<u8> = (0..length)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            for table in TableKind::ALL {
                let _ = read(Format::Csv, table, &bytes);
                let _ = read(Format::Ndjson, table, &bytes);
                let mut with_header = format!(
                    "{}\n",
                    table
                        .columns()
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join(",")
                )
                .into_bytes();
                with_header.extend_from_slice(&bytes);
                let _ = read(Format::Csv, table, &with_header);
            }
        }
    }
}
