//! Reading one column of a stored row as the type the day stats need, and
//! what a value that does not read becomes: a [`BadCell`] naming the column
//! and the value, so the pass skips and reports the row instead of failing.

use super::fnv::FnvMap;
use crate::model::day_stats::SkippedRow;
use chrono::{Datelike, NaiveDate};
use rusqlite::Row;
use rusqlite::types::ValueRef;

/// A column of a stored row that does not read as its type.
#[derive(Debug)]
pub struct BadCell {
    pub index: usize,
    pub value: String,
    pub problem: String,
}

pub type CellResult<T> = Result<T, BadCell>;

/// A stored value as a person reads it (text cut to 60 characters).
pub fn shown(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(value) => value.to_string(),
        ValueRef::Real(value) => value.to_string(),
        ValueRef::Text(text) => String::from_utf8_lossy(text).chars().take(60).collect(),
        ValueRef::Blob(blob) => format!("<{} bytes>", blob.len()),
    }
}

fn cell<'r>(row: &'r Row<'_>, index: usize) -> CellResult<ValueRef<'r>> {
    row.get_ref(index).map_err(|error| BadCell {
        index,
        value: String::new(),
        problem: error.to_string(),
    })
}

fn bad<T>(index: usize, value: ValueRef<'_>, problem: &str) -> CellResult<T> {
    Err(BadCell {
        index,
        value: shown(value),
        problem: problem.to_string(),
    })
}

pub fn bytes<'r>(row: &'r Row<'_>, index: usize) -> CellResult<&'r [u8]> {
    match cell(row, index)? {
        ValueRef::Text(text) | ValueRef::Blob(text) => Ok(text),
        other => bad(index, other, "expected text"),
    }
}

pub fn number(row: &Row<'_>, index: usize) -> CellResult<Option<f64>> {
    match cell(row, index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(value) => Ok(Some(value as f64)),
        ValueRef::Real(value) => Ok(Some(value)),
        other => bad(index, other, "expected a number"),
    }
}

/// An integer column; a REAL with a fraction is no integer (as SQL's
/// `BETWEEN 5 AND 7` leaves 7.5 out).
pub fn integer(row: &Row<'_>, index: usize) -> CellResult<Option<i64>> {
    match cell(row, index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(value) => Ok(Some(value)),
        ValueRef::Real(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
            Ok(Some(value as i64))
        }
        ValueRef::Real(_) => Ok(None),
        other => bad(index, other, "expected an integer"),
    }
}

/// Dates as stored (`YYYY-MM-DD` bytes) to day numbers, each parsed once.
#[derive(Default)]
pub struct Days {
    parsed: FnvMap<Vec<u8>, i32>,
    /// The last date read (rows come mostly in date order).
    last: Option<(Vec<u8>, i32)>,
}

impl Days {
    /// The day number of the date in column `index`.
    pub fn read(&mut self, row: &Row<'_>, index: usize) -> CellResult<i32> {
        let text = bytes(row, index)?;
        if let Some((seen, day)) = &self.last
            && seen == text
        {
            return Ok(*day);
        }
        let day = match self.parsed.get(text) {
            Some(day) => *day,
            None => {
                let shown = String::from_utf8_lossy(text);
                let day = NaiveDate::parse_from_str(&shown, "%Y-%m-%d")
                    .map_err(|_| BadCell {
                        index,
                        value: shown.chars().take(60).collect(),
                        problem: "not a date (YYYY-MM-DD)".to_string(),
                    })?
                    .num_days_from_ce();
                self.parsed.insert(text.to_vec(), day);
                day
            }
        };
        self.last = Some((text.to_vec(), day));
        Ok(day)
    }
}

/// The date a stored `game_date` begins with (`2026-02-11 00:00:00` is
/// 2026-02-11), or `None`: which day's kept sums a bad row belongs to.
pub fn date_prefix(row: &Row<'_>, index: usize) -> Option<NaiveDate> {
    let text = match row.get_ref(index).ok()? {
        ValueRef::Text(text) => text,
        _ => return None,
    };
    let text = std::str::from_utf8(text.get(..10)?).ok()?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The report of a skipped row: its table, its key from the `key` columns
/// (`(name, index)`, read leniently) and the bad column by name.
pub fn skipped_row(
    table: &str,
    columns: &[&str],
    row: &Row<'_>,
    key: &[(&str, usize)],
    bad: BadCell,
) -> SkippedRow {
    let key = key
        .iter()
        .map(|(name, index)| {
            let value = row.get_ref(*index).map(shown).unwrap_or_default();
            format!("{name} {value}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    SkippedRow {
        table: table.to_string(),
        key,
        column: columns.get(bad.index).copied().unwrap_or("?").to_string(),
        value: bad.value,
        problem: bad.problem,
    }
}
