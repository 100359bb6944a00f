//! What the materialised day stats hold, as both their reading-and-deciding
//! (`materialized.rs`) and their writing (`kept_write.rs`) see it: the kept
//! tables, the threshold sets and generation, and dropping dates.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// Tables holding kept sums (dropped together).
pub(super) const KEPT_TABLES: [&str; 5] = [
    "courtside_day_done",
    "courtside_day_cells",
    "courtside_day_systems",
    "courtside_day_line_sources",
    "courtside_day_quality",
];

/// The set kept for one question's thresholds (if any), the generation, and
/// whether a change is noted.
pub(super) struct State {
    pub(super) set: Option<i64>,
    pub(super) generation: i64,
    pub(super) dirty: bool,
}

pub(super) fn state(connection: &Connection, params: &str) -> rusqlite::Result<State> {
    connection.query_row(
        "SELECT (SELECT set_id FROM courtside_day_sets WHERE params = ?1),
                COALESCE((SELECT generation FROM courtside_day_params WHERE id = 1), 0),
                EXISTS (SELECT 1 FROM courtside_day_dirty)",
        [params],
        |row| {
            Ok(State {
                set: row.get(0)?,
                generation: row.get(1)?,
                dirty: row.get(2)?,
            })
        },
    )
}

/// Drops the kept sums of `[from, to]`: of one set, or of every set.
pub(super) fn drop_dates(
    connection: &Connection,
    set: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<()> {
    for table in KEPT_TABLES {
        // Table names are the constants above, never user input.
        connection.execute(
            &format!(
                "DELETE FROM {table} WHERE game_date BETWEEN ?1 AND ?2
                   AND (?3 IS NULL OR set_id = ?3)"
            ),
            params![text(from), text(to), set],
        )?;
    }
    Ok(())
}

pub(super) fn text(date: NaiveDate) -> String {
    super::columns::date_text(date)
}
