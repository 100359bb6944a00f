//! BigQuery's CSV export (a header row naming the columns, RFC 4180) read
//! into checked canonical rows.

use super::columns::{FILLED_IN, blank_row, is_fixed, unknown_column};
use super::error::{ImportError, Origin};
use super::format::ReadOptions;
use super::scan::Opened;
use super::validate::check_row;
use crate::source::canonical::{CanonicalRow, parse_text};
use crate::source::tables::TableKind;
use serde_json::Value;
use std::io::Read;
use std::sync::Arc;

/// Reads every row of a CSV file, calling `sink` with each checked row.
/// `fixed` columns (index and value) are filled in for every row; the
/// header may not name them.
pub fn read_csv<E: From<ImportError>, R: Read>(
    file: &Arc<str>,
    opened: Opened<R>,
    table: TableKind,
    options: ReadOptions,
    fixed: &[(usize, Value)],
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    let origin = |line: u64| Origin {
        file: file.clone(),
        line,
    };
    let state = opened.state;
    // Lines come from the scan: the csv parser's own count is one short on CRLF files.
    let line_of = |record: &csv::ByteRecord| {
        // On CRLF files the parser puts a record's start at the `\n` that
        // ends the line before: that newline belongs before the record.
        let offset = record.position().map_or(0, csv::Position::byte);
        state.borrow_mut().line_at(offset + 1)
    };
    let columns = table.columns();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(opened.reader);
    let mut record = csv::ByteRecord::new();
    let read = |reader: &mut csv::Reader<_>, record: &mut csv::ByteRecord| {
        let more = reader.read_byte_record(record).map_err(|error| {
            let offset = error.position().map_or(0, csv::Position::byte);
            let line = state.borrow_mut().line_at(offset + 1);
            origin(line).error(None, format!("not readable as CSV: {error}"))
        })?;
        // A quoted field still open at the end: the parser would end it
        // silently, making one record of the rest of the file.
        if let Some(line) = state.borrow().unclosed_quote() {
            return Err(origin(line).error(
                None,
                "a quoted field opens here and is never closed (truncated file?)",
            ));
        }
        Ok::<bool, ImportError>(more)
    };

    // The header: each name must be a column of the table, once.
    if !read(&mut reader, &mut record)? {
        return Err(origin(1)
            .error(None, "the file is empty (expected a header row)")
            .into());
    }
    let header_line = line_of(&record);
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
            Some(index) if is_fixed(fixed, index) => {
                return Err(origin(header_line).error(Some(name), FILLED_IN).into());
            }
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
    if let Some(missing) = columns.iter().enumerate().find(|(index, column)| {
        column.required && !targets.contains(&Some(*index)) && !is_fixed(fixed, *index)
    }) {
        return Err(origin(header_line)
            .error(
                Some(missing.1.name),
                "required (NOT NULL) but missing from the header",
            )
            .into());
    }

    let mut rows = 0;
    while read(&mut reader, &mut record)? {
        let line = line_of(&record);
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
        let mut row = blank_row(columns.len(), fixed);
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
