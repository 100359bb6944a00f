//! Which stored dates count: a `game_date` must be a real `YYYY-MM-DD`
//! calendar date no later than the store's [`DateLimit`] (today plus
//! `future_days`). The latest date is the latest such date with a graded row
//! whose numbers are within their domains; every other date is a skipped
//! row, named, and never decides anything.

use super::cells::shown;
use super::columns::date_text;
use crate::config::DateLimit;
use crate::model::day_stats::{SkippedRow, SkippedRows};
use crate::source::domains;
use crate::source::tables::TableKind;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};

/// The text every stored value of a date up to `not_after` sorts below
/// (`2026-04-12 ` and `2026-04-12T00:00:00` included).
pub fn past(not_after: NaiveDate) -> String {
    format!("{}~", date_text(not_after))
}

/// The latest valid date with a graded row of `system` (any when `None`)
/// whose numbers are within their domains: the store's latest dates are
/// walked down, malformed ones passed over, from `not_after`.
pub fn latest_valid_date(
    connection: &Connection,
    system: Option<&str>,
    not_after: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let valid_numbers = domains::sql_all_within(
        TableKind::PredictionAccuracy,
        &domains::READ_CHECKED_PREDICTIONS,
    );
    // Column names and bounds are constants, never user input.
    let sql = format!(
        "SELECT game_date FROM prediction_accuracy
         WHERE game_date >= '0000-01-01' AND game_date < ?2
           AND (?1 IS NULL OR system_id = ?1)
           AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
           AND {valid_numbers}
         ORDER BY game_date DESC"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut rows = statement.query(params![system, past(not_after)])?;
    while let Some(row) = rows.next()? {
        let Ok(text) = row.get_ref(0)?.as_str() else {
            continue;
        };
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            && text.len() == 10
            && date <= not_after
        {
            return Ok(Some(date));
        }
    }
    Ok(None)
}

/// Rows whose `game_date` no pass reads: NULL (a team's table may allow
/// it), not shaped like a date (sorting outside every range), or after
/// `not_after` (a future row, or a malformed one that sorts there). Each is
/// named and counted, never allowed to hide the rest (three index seeks when
/// there are none).
pub fn unread_dates(
    connection: &Connection,
    table: &str,
    key_column: &str,
    limit: &DateLimit,
    not_after: NaiveDate,
    skipped: &mut SkippedRows,
) -> Result<()> {
    // Table and column names are constants, never user input. Three
    // branches, each a seek in a game_date index: as one OR, SQLite scanned
    // the whole (system_id, game_date) index instead (36 MB of a 1M-row
    // store, on every read, the kept ones included).
    let pick = format!("SELECT rowid, {key_column}, game_date FROM {table}");
    let sql = format!(
        "{pick} WHERE game_date IS NULL
         UNION ALL {pick} WHERE game_date < '0000-01-01'
         UNION ALL {pick} WHERE game_date >= ?1"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut rows = statement.query([past(not_after)])?;
    while let Some(row) = rows.next()? {
        let text = |index: usize| row.get_ref(index).map(shown).unwrap_or_default();
        let value = text(2);
        let null = matches!(row.get_ref(2), Ok(ValueRef::Null));
        let problem = match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            _ if null => "not a date".to_string(),
            Ok(_) if value.len() == 10 => limit.describe(not_after),
            _ => "not a date (YYYY-MM-DD)".to_string(),
        };
        skipped.note(SkippedRow {
            table: table.to_string(),
            key: format!("rowid {}, {key_column} {}", text(0), text(1)),
            column: "game_date".to_string(),
            value,
            problem,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dates: &[&str]) -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE prediction_accuracy (game_date, system_id, predicted_points,
                   actual_points, line_value, confidence_decile, feature_quality_score)",
            )
            .unwrap();
        for date in dates {
            connection
                .execute(
                    "INSERT INTO prediction_accuracy VALUES (?1, 's', 20.5, 18, 19.5, 5, 80)",
                    [date],
                )
                .unwrap();
        }
        connection
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_latest_date_is_the_latest_valid_one() {
        let connection = store(&[
            "2026-04-11",
            "2026-04-12",
            "2026-04-12 ",
            "2026-04-12T00:00:00",
            "2026-04-31",
            "2026-13-45",
            "2099-01-01",
            "banana",
        ]);
        let latest = latest_valid_date(&connection, Some("s"), day("2026-12-08")).unwrap();
        assert_eq!(latest, Some(day("2026-04-12")));
        let earlier = latest_valid_date(&connection, None, day("2026-04-11")).unwrap();
        assert_eq!(earlier, Some(day("2026-04-11")));
        let mut skipped = SkippedRows::default();
        let limit = DateLimit::default();
        unread_dates(
            &connection,
            "prediction_accuracy",
            "system_id",
            &limit,
            day("2026-12-08"),
            &mut skipped,
        )
        .unwrap();
        let named: Vec<(&str, &str)> = skipped
            .examples
            .iter()
            .map(|row| (row.value.as_str(), row.problem.as_str()))
            .collect();
        assert_eq!(skipped.count, 3, "{named:?}");
        assert!(named.contains(&("2026-13-45", "not a date (YYYY-MM-DD)")));
        assert!(named.contains(&("banana", "not a date (YYYY-MM-DD)")));
        assert!(
            named.iter().any(|(value, problem)| *value == "2099-01-01"
                && problem.starts_with("after 2026-12-08"))
        );
    }

    #[test]
    fn a_row_without_a_game_date_is_named() {
        let connection = store(&["2026-04-11"]);
        connection
            .execute(
                "INSERT INTO prediction_accuracy VALUES (NULL, 's', 20.5, 18, 19.5, 5, 80)",
                [],
            )
            .unwrap();
        let mut skipped = SkippedRows::default();
        unread_dates(
            &connection,
            "prediction_accuracy",
            "system_id",
            &DateLimit::default(),
            day("2026-12-08"),
            &mut skipped,
        )
        .unwrap();
        assert_eq!(skipped.count, 1, "{:?}", skipped.examples);
        let row = &skipped.examples[0];
        assert_eq!(
            (
                row.key.as_str(),
                row.column.as_str(),
                row.value.as_str(),
                row.problem.as_str()
            ),
            ("rowid 2, system_id s", "game_date", "NULL", "not a date")
        );
        // It never decides the latest date either.
        let latest = latest_valid_date(&connection, Some("s"), day("2026-12-08")).unwrap();
        assert_eq!(latest, Some(day("2026-04-11")));
    }

    #[test]
    fn a_row_out_of_its_domain_never_decides_the_latest_date() {
        let connection = store(&["2026-04-11", "2026-04-12"]);
        connection
            .execute_batch(
                "UPDATE prediction_accuracy SET line_value = 1e308 WHERE game_date = '2026-04-12'",
            )
            .unwrap();
        let latest = latest_valid_date(&connection, Some("s"), day("2026-12-08")).unwrap();
        assert_eq!(latest, Some(day("2026-04-11")));
    }
}
