//! BigQuery's newline-delimited JSON export (one object per line, keys =
//! column names) read line by line into checked canonical rows. A key given
//! twice in one object is refused (a JSON parser would keep the last one
//! silently).

use super::columns::{FILLED_IN, blank_row, is_fixed, unknown_column};
use super::error::{ImportError, Origin};
use super::format::ReadOptions;
use super::scan::Opened;
use super::validate::check_row;
use crate::source::canonical::{CanonicalRow, from_json, json_error_text};
use crate::source::tables::TableKind;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

/// One line: an object's fields in order (duplicates kept, to be refused),
/// or the kind of JSON value it is instead.
enum Line {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LineVisitor;
        impl<'de> Visitor<'de> for LineVisitor {
            type Value = Line;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    fields.push((key, value));
                }
                Ok(Line::Object(fields))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Line, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Line::Other("an array"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Line, E> {
                Ok(Line::Other("a boolean"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Line, E> {
                Ok(Line::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Line, E> {
                Ok(Line::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Line, E> {
                Ok(Line::Other("a number"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Line, E> {
                Ok(Line::Other("a string"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Line, E> {
                Ok(Line::Other("null"))
            }
        }
        deserializer.deserialize_any(LineVisitor)
    }
}

/// Reads every row of an NDJSON file, calling `sink` with each checked row.
/// `fixed` columns (index and value) are filled in for every row; an
/// object may not name them.
pub fn read_ndjson<E: From<ImportError>, R: Read>(
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
    let columns = table.columns();
    let index_of: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(index, column)| (column.name, index))
        .collect();
    let mut input = BufReader::new(opened.reader);
    let mut buffer = Vec::new();
    let mut rows = 0;
    let mut line = 0u64;
    loop {
        buffer.clear();
        let read = input.read_until(b'\n', &mut buffer);
        line += 1;
        match read {
            Ok(0) => break,
            Ok(_) => {}
            // A NUL byte stops the scan; the caller reports it.
            Err(error) if error.kind() == std::io::ErrorKind::InvalidData => break,
            Err(error) => {
                return Err(origin(line)
                    .error(None, format!("cannot read: {error}"))
                    .into());
            }
        }
        let raw = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
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
        let parsed: Line = serde_json::from_str(text).map_err(|error| {
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
        let fields = match parsed {
            Line::Object(fields) => fields,
            Line::Other(kind) => {
                return Err(origin(line)
                    .error(
                        None,
                        format!(
                            "{kind} is not a JSON object (expected one object per line, keys = column names)"
                        ),
                    )
                    .into());
            }
        };
        let mut row = blank_row(columns.len(), fixed);
        let mut given = vec![false; columns.len()];
        let mut extra_seen: Vec<String> = Vec::new();
        for (key, value) in fields {
            let Some(&index) = index_of.get(key.as_str()) else {
                if options.ignore_extra_columns {
                    if extra_seen.contains(&key) {
                        return Err(origin(line)
                            .error(Some(&key), "given twice in one object")
                            .into());
                    }
                    extra_seen.push(key);
                    continue;
                }
                return Err(origin(line)
                    .error(Some(&key), unknown_column(table, &key, false))
                    .into());
            };
            let column = &columns[index];
            if is_fixed(fixed, index) {
                return Err(origin(line).error(Some(column.name), FILLED_IN).into());
            }
            if given[index] {
                return Err(origin(line)
                    .error(
                        Some(column.name),
                        "given twice in one object (which one is meant?)",
                    )
                    .into());
            }
            given[index] = true;
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
