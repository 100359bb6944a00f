//! BigQuery's newline-delimited JSON export (one object per line, keys =
//! column names) read into checked canonical rows.

use super::columns::unknown_column;
use super::error::{ImportError, Origin};
use super::format::ReadOptions;
use super::validate::check_row;
use crate::source::canonical::{CanonicalRow, from_json, json_error_text, json_type};
use crate::source::tables::TableKind;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Reads every row of an NDJSON file, calling `sink` with each checked row.
pub fn read_ndjson<E: From<ImportError>>(
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
