//! Matching a file's column names to a table's: the hint a refused name
//! gets, and the columns the caller fills in itself (the experiment id of a
//! folder's backtest rows), which a file may not name.

use crate::source::tables::TableKind;
use serde_json::Value;

/// Why a file may not name a column the caller fills in.
pub const FILLED_IN: &str = "courtside fills this column in for every row (the folder is one experiment); remove it from the file";

/// Whether column `index` is one the caller fills in (`fixed`: column
/// index and value).
pub fn is_fixed(fixed: &[(usize, Value)], index: usize) -> bool {
    fixed.iter().any(|(column, _)| *column == index)
}

/// A row of `width` nulls with the caller's values in place.
pub fn blank_row(width: usize, fixed: &[(usize, Value)]) -> Vec<Value> {
    let mut row = vec![Value::Null; width];
    for (index, value) in fixed {
        if let Some(slot) = row.get_mut(*index) {
            *slot = value.clone();
        }
    }
    row
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

/// Why `name` is refused as a column of `table`, with a hint.
pub fn unknown_column(table: TableKind, name: &str, none_matched: bool) -> String {
    let hint = if none_matched {
        " (is the header row missing? the first line must name the columns)".to_string()
    } else if let Some(close) = close_column(table, name) {
        format!(" (did you mean {close}?)")
    } else {
        " (--ignore-extra-columns skips columns courtside does not read)".to_string()
    };
    format!("not a column of {table}{hint}")
}
