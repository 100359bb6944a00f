//! The materialised day stats (`schemas/sqlite/11_courtside_day_stats.sql`):
//! each date's sums kept in the store once a pass computed them, so a
//! question about dates whose rows did not change reads a few thousand kept
//! rows instead of every prediction, in any process (a `diag` after the
//! dashboard, the next `backfill`). Kept current incrementally: triggers note
//! every date whose rows change, whoever writes them; the next read drops
//! the sums those changes touch (a player-game's date and the tier lookback
//! after it) and computes only the dates no longer kept, in one pass.
//!
//! Writing the kept sums is best effort and never blocks: a store that is
//! busy or read-only is answered by the pass alone, and nothing is kept
//! unless the store is exactly as the pass saw it (no change noted and none
//! applied since, checked in the writing transaction). A date where the
//! pass left rows out is not kept (nor, for a player-game, the tier
//! lookback after it), so every read naming those rows computes them again;
//! the other dates are. Every read first checks the triggers are in place
//! (a table replaced by another tool loses them). A read-only connection writes nothing at all: it reads the kept
//! dates that are still current and computes the others.

use super::aggregate::{self, Sums};
use super::kept_state::{KEPT_TABLES, drop_dates, state, text};
use super::{kept_read, kept_write};
use crate::model::day_stats::SkippedRows;
use crate::source::DayStatsQuery;
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

/// Bumped when what a kept date holds changes meaning: older sums are dropped.
const FORMAT: u32 = 3;

/// The triggers that note changed dates, with their tables; sums kept while
/// any was missing (or on another table: the one it watched was renamed
/// away) cannot be trusted.
const TRIGGERS: [(&str, &str); 6] = [
    (
        "courtside_day_dirty_prediction_insert",
        "prediction_accuracy",
    ),
    (
        "courtside_day_dirty_prediction_update",
        "prediction_accuracy",
    ),
    (
        "courtside_day_dirty_prediction_delete",
        "prediction_accuracy",
    ),
    (
        "courtside_day_dirty_player_game_insert",
        "player_game_summary",
    ),
    (
        "courtside_day_dirty_player_game_update",
        "player_game_summary",
    ),
    (
        "courtside_day_dirty_player_game_delete",
        "player_game_summary",
    ),
];

/// How long a read waits for the write lock before answering without
/// keeping anything (a long import holds it).
const WRITE_WAIT: Duration = Duration::from_millis(50);

/// A pass longer than this many days reads the store file ahead first.
const READ_AHEAD_DAYS: i64 = 60;

/// Whether every change-noting trigger is in place, on its table. Checked
/// on every read: a table another tool replaced (pandas' `to_sql(...,
/// if_exists="replace")`: DROP, CREATE, INSERT) took its triggers with it.
pub fn tracking(connection: &Connection) -> rusqlite::Result<bool> {
    let mut statement = connection.prepare_cached(
        "SELECT COUNT(*) FROM sqlite_master
         WHERE type = 'trigger' AND name = ?1 AND tbl_name = ?2",
    )?;
    for (name, table) in TRIGGERS {
        let count: i64 = statement.query_row([name, table], |row| row.get(0))?;
        if count == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Drops every kept date of every set (after the store was written without
/// the triggers); a pass running meanwhile keeps nothing (the generation
/// moves on).
pub fn forget(connection: &Connection) -> rusqlite::Result<()> {
    for table in KEPT_TABLES {
        // Table names are the constants above, never user input.
        connection.execute(&format!("DELETE FROM {table}"), [])?;
    }
    connection.execute("DELETE FROM courtside_day_sets", [])?;
    connection.execute("DELETE FROM courtside_day_dirty", [])?;
    connection.execute(
        "UPDATE courtside_day_params SET generation = generation + 1 WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// How many threshold sets are kept at once; a new one beyond them takes
/// the place of the one read longest ago.
const MAX_SETS: i64 = 4;

/// Kept tables of an earlier format (one threshold set, no `set_id`) are
/// dropped before the schema is applied: they are only a cache.
pub fn drop_old_format(connection: &Connection) -> rusqlite::Result<()> {
    let old: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'courtside_day_cells')
            AND NOT EXISTS (SELECT 1 FROM pragma_table_info('courtside_day_cells')
                            WHERE name = 'set_id')",
        [],
        |row| row.get(0),
    )?;
    if old {
        for table in KEPT_TABLES.iter().chain(&["courtside_day_params"]) {
            // Table names are constants, never user input.
            connection.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))?;
        }
    }
    Ok(())
}

/// Creates the tables and triggers in a store opened for reading (a store
/// made by an earlier version); when the triggers were missing, whatever was
/// kept is dropped. Nothing on a read-only connection.
pub fn install(connection: &Connection) -> Result<()> {
    if connection.is_readonly("main")? {
        return Ok(());
    }
    let has = |table: &str| -> rusqlite::Result<bool> {
        connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |row| row.get(0),
        )
    };
    if !has("prediction_accuracy")? || !has("player_game_summary")? {
        return Ok(());
    }
    let tracked = tracking(connection)?;
    // Kept by an earlier format (one threshold set): dropped, made again.
    let current = has("courtside_day_sets")?;
    if tracked && current {
        return Ok(());
    }
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)?;
    drop_old_format(&transaction)?;
    transaction.execute_batch(schema_file("11_courtside_day_stats.sql")?)?;
    super::migrate::add_missing_columns(&transaction)?;
    if !tracked {
        forget(&transaction)?;
    }
    transaction.commit()?;
    Ok(())
}

/// The thresholds a kept date was computed with, as text.
fn params_text(query: &DayStatsQuery) -> String {
    format!(
        "format={FORMAT};edge={};star={};starter={};rotation={};lookback={};min_minutes={};{}",
        query.edge_threshold,
        query.star_min,
        query.starter_min,
        query.rotation_min,
        query.tier_lookback_days,
        query.tier_min_minutes,
        query.line_sources.key()
    )
}

/// Whether the kept tables of this format are there (a store kept by an
/// earlier format and opened read-only is answered by the pass alone).
fn installed(connection: &Connection) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'courtside_day_sets')",
        [],
        |row| row.get(0),
    )
}

/// The day sums of `query`: kept dates read back, the others computed in one
/// pass (and kept when the store allows). Same answer as
/// [`aggregate::day_sums`]. On a read-only connection nothing is written:
/// the kept dates are read while they are current (no change noted, the
/// same thresholds) and the others computed without keeping them.
pub fn day_sums(connection: &Connection, query: &DayStatsQuery) -> Result<Sums> {
    if query.from > query.to || !installed(connection)? {
        return aggregate::day_sums(connection, query);
    }
    let writable = !connection.is_readonly("main").unwrap_or(true);
    if !tracking(connection)? {
        // Changes went unnoted: nothing kept is trusted. A writer drops it
        // and puts the triggers and covering indexes back; a reader answers
        // with a correct pass of its own.
        let repaired = writable && with_short_wait(connection, || repair(connection)).is_ok();
        if !repaired {
            return aggregate::day_sums(connection, query);
        }
    }
    let params = params_text(query);
    // A change noted between applying and reading sends us round again;
    // a store written that often is answered by the pass alone.
    for _ in 0..3 {
        if writable
            && let Err(error) =
                with_short_wait(connection, || apply_changes(connection, &params, query))
        {
            tracing::debug!("day stats: changes not applied ({error}); one pass instead");
            return aggregate::day_sums(connection, query);
        }
        if let Some(sums) = read_or_fill(connection, query, &params, writable)? {
            return Ok(sums);
        }
        if !writable {
            // Changes noted that only a writer can apply.
            break;
        }
    }
    aggregate::day_sums(connection, query)
}

/// Drops every kept date and puts back what a replaced table lost: the
/// change-noting triggers and the covering indexes of its schema file.
fn repair(connection: &Connection) -> Result<()> {
    tracing::info!(
        "day stats: a table was replaced; kept sums dropped, triggers and indexes restored"
    );
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)?;
    drop_old_format(&transaction)?;
    // The triggers come back with the DDL; everything kept goes.
    transaction.execute_batch(schema_file("11_courtside_day_stats.sql")?)?;
    forget(&transaction)?;
    for file in ["01_prediction_accuracy.sql", "02_player_game_summary.sql"] {
        for index in indexes_of(schema_file(file)?) {
            // A table made elsewhere may lack an indexed column: the pass
            // then reads without the index, as it would anyway.
            if let Err(error) = transaction.execute_batch(&index) {
                tracing::warn!("day stats: index not restored ({error})");
            }
        }
    }
    transaction.commit()?;
    Ok(())
}

/// One of the embedded schema files.
fn schema_file(name: &str) -> Result<&'static str> {
    crate::source::schema::SQLITE
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, sql)| *sql)
        .ok_or_else(|| anyhow!("schemas/sqlite/{name} is missing from the build"))
}

/// The `CREATE INDEX` statements of a schema file (comments left out).
fn indexes_of(ddl: &str) -> Vec<String> {
    let text: String = ddl
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    text.split(';')
        .map(str::trim)
        .filter(|statement| statement.starts_with("CREATE INDEX"))
        .map(str::to_string)
        .collect()
}

/// Runs `work` with the busy wait shortened to [`WRITE_WAIT`].
fn with_short_wait<T>(connection: &Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    connection.busy_timeout(WRITE_WAIT)?;
    let outcome = work();
    // Back to the store's own wait (`store.rs`, `connect_with`).
    connection.busy_timeout(Duration::from_secs(10))?;
    outcome
}

/// Drops the kept dates that the noted changes touch, in every set (each
/// with its own tier lookback), clears the notes, and adds a set for
/// `params` when there is none (the set kept longest ago makes room).
fn apply_changes(connection: &Connection, params: &str, query: &DayStatsQuery) -> Result<()> {
    let seen = state(connection, params)?;
    if seen.set.is_some() && !seen.dirty {
        return Ok(());
    }
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)?;
    let now = state(&transaction, params)?;
    if now.dirty {
        for (set, lookback) in sets(&transaction)? {
            for (from, to) in touched_ranges(&transaction, lookback)? {
                drop_dates(&transaction, Some(set), from, to)?;
            }
        }
        transaction.execute("DELETE FROM courtside_day_dirty", [])?;
    }
    if now.set.is_none() {
        add_set(&transaction, params, query.tier_lookback_days)?;
    }
    transaction.execute(
        "INSERT INTO courtside_day_params (id, params, generation) VALUES (1, '', 1)
         ON CONFLICT (id) DO UPDATE SET generation = generation + 1",
        [],
    )?;
    transaction.commit()?;
    Ok(())
}

/// Every kept set with its tier lookback.
fn sets(connection: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut statement =
        connection.prepare_cached("SELECT set_id, lookback_days FROM courtside_day_sets")?;
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// A new set for `params`; beyond [`MAX_SETS`] the one kept longest ago
/// goes first.
fn add_set(connection: &Connection, params: &str, lookback: u32) -> Result<()> {
    let count: i64 =
        connection.query_row("SELECT COUNT(*) FROM courtside_day_sets", [], |row| {
            row.get(0)
        })?;
    if count >= MAX_SETS {
        let oldest: i64 = connection.query_row(
            "SELECT set_id FROM courtside_day_sets ORDER BY used_at, set_id LIMIT 1",
            [],
            |row| row.get(0),
        )?;
        for table in KEPT_TABLES {
            // Table names are constants, never user input.
            connection.execute(&format!("DELETE FROM {table} WHERE set_id = ?1"), [oldest])?;
        }
        connection.execute("DELETE FROM courtside_day_sets WHERE set_id = ?1", [oldest])?;
    }
    connection.execute(
        "INSERT INTO courtside_day_sets (params, lookback_days, used_at)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(used_at), 0) + 1 FROM courtside_day_sets))",
        params![params, i64::from(lookback)],
    )?;
    Ok(())
}

/// The date ranges the noted changes touch, merged: a prediction's date; a
/// player-game's date and the `lookback` days after it (the tiers of those
/// days count it). A note that is not a date (`2026-02-11 00:00:00`,
/// `2026-13-45`) is a row a pass reads, in the chunk of the dates around it,
/// and skips by name: the kept dates on either side of it are touched, so
/// a kept answer names it as a fresh pass does.
fn touched_ranges(connection: &Connection, lookback: i64) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let mut statement = connection.prepare("SELECT source, game_date FROM courtside_day_dirty")?;
    let notes: Vec<(String, String)> = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let after = |day: NaiveDate, source: &str| {
        if source == "g" {
            day.checked_add_days(chrono::Days::new(lookback.max(0) as u64))
                .unwrap_or(NaiveDate::MAX)
        } else {
            day
        }
    };
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (source, note) in &notes {
        if note.len() == 10
            && let Ok(day) = NaiveDate::parse_from_str(note, "%Y-%m-%d")
        {
            ranges.push((day, after(day, source)));
        } else if let Some((below, above)) = kept_around(connection, note)? {
            ranges.push((below, after(above, source)));
        }
    }
    ranges.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    Ok(merged)
}

/// The kept dates just below and above `note` as text (either one when the
/// other is missing); `None` when no date is kept.
fn kept_around(connection: &Connection, note: &str) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (below, above): (Option<String>, Option<String>) = connection.query_row(
        "SELECT (SELECT MAX(game_date) FROM courtside_day_done WHERE game_date <= ?1),
                (SELECT MIN(game_date) FROM courtside_day_done WHERE game_date > ?1)",
        [note],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let parse = |text: Option<String>| {
        text.and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
    };
    Ok(match (parse(below), parse(above)) {
        (Some(below), Some(above)) => Some((below, above)),
        (Some(one), None) | (None, Some(one)) => Some((one, one)),
        (None, None) => None,
    })
}

/// One read transaction: the kept dates of the range, the others computed
/// (and kept when `writable`); `None` when a change was noted since
/// [`apply_changes`].
fn read_or_fill(
    connection: &Connection,
    query: &DayStatsQuery,
    params: &str,
    writable: bool,
) -> Result<Option<Sums>> {
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Deferred)?;
    let seen = state(&transaction, params)?;
    let Some(set) = seen.set.filter(|_| !seen.dirty) else {
        return Ok(None);
    };
    let Some((from, to)) = stored_range(&transaction, query)? else {
        return aggregate::day_sums(&transaction, query).map(Some);
    };
    let missing = missing_dates(&transaction, set, from, to)?;
    let systems: Option<HashSet<&str>> = query
        .systems
        .as_ref()
        .map(|list| list.iter().map(String::as_str).collect());
    let (Some(&first), Some(&last)) = (missing.first(), missing.last()) else {
        let sums = kept_read::read_kept(&transaction, set, from, to, systems.as_ref())?;
        return Ok(Some(sums));
    };
    if (last - first).num_days() > READ_AHEAD_DAYS {
        if let Some(path) = connection.path().filter(|path| !path.is_empty()) {
            super::read_ahead::start(std::path::Path::new(path));
        }
    }
    let span = DayStatsQuery {
        from: first,
        to: last,
        systems: None,
        ..query.clone()
    };
    let computed = aggregate::day_sums(&transaction, &span)?;
    let mut sums = match first.pred_opt().filter(|day| *day >= from) {
        Some(before) => kept_read::read_kept(&transaction, set, from, before, systems.as_ref())?,
        None => empty(),
    };
    let after = match last.succ_opt().filter(|day| *day <= to) {
        Some(next) => kept_read::read_kept(&transaction, set, next, to, systems.as_ref())?,
        None => empty(),
    };
    // The span was read for every system (to keep it whole); a question
    // about some systems names only their rows left out (and the
    // player-games'), as a fresh pass of it does. Only when rows were left
    // out: a second pass of the span, for those systems.
    let skipped = match &query.systems {
        Some(_) if !computed.skipped.is_empty() => {
            let asked = DayStatsQuery {
                systems: query.systems.clone(),
                ..span.clone()
            };
            aggregate::day_sums(&transaction, &asked)?.skipped
        }
        _ => computed.skipped.clone(),
    };
    transaction.commit()?;
    if writable
        && let Some(unkept) = kept_write::unkept_dates(&computed.skipped, query.tier_lookback_days)
        && let Err(error) = with_short_wait(connection, || {
            kept_write::keep(
                connection,
                set,
                &span,
                &computed,
                &unkept,
                params,
                seen.generation,
            )
        })
    {
        tracing::debug!("day stats: not kept ({error})");
    }
    let wanted = |system: &str| systems.as_ref().is_none_or(|set| set.contains(system));
    sums.day_stats.extend(
        computed
            .day_stats
            .into_iter()
            .filter(|row| wanted(&row.system_id)),
    );
    sums.system_days.extend(
        computed
            .system_days
            .into_iter()
            .filter(|day| wanted(&day.system_id)),
    );
    sums.quality.extend(computed.quality);
    sums.skipped = skipped;
    sums.day_stats.extend(after.day_stats);
    sums.system_days.extend(after.system_days);
    sums.quality.extend(after.quality);
    Ok(Some(sums))
}

fn empty() -> Sums {
    Sums {
        day_stats: Vec::new(),
        system_days: Vec::new(),
        quality: Vec::new(),
        skipped: SkippedRows::default(),
    }
}

/// The query's range cut to the stored dates of either table (outside them
/// there is nothing to sum); `None` when they do not meet.
fn stored_range(
    connection: &Connection,
    query: &DayStatsQuery,
) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let bounds: (Option<String>, Option<String>) = connection.query_row(
        "SELECT MIN(first), MAX(last) FROM (
           SELECT (SELECT MIN(game_date) FROM prediction_accuracy
                   WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31') AS first,
                  (SELECT MAX(game_date) FROM prediction_accuracy
                   WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31') AS last
           UNION ALL
           SELECT (SELECT MIN(game_date) FROM player_game_summary
                   WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31'),
                  (SELECT MAX(game_date) FROM player_game_summary
                   WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31'))",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let parse = |text: Option<String>| {
        text.and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
    };
    // An unreadable bound (a malformed value shaped like a date) keeps the
    // query's own.
    let first = parse(bounds.0).map_or(query.from, |first| first.max(query.from));
    let last = parse(bounds.1).map_or(query.to, |last| last.min(query.to));
    Ok((first <= last).then_some((first, last)))
}

/// The dates of `[from, to]` that are not kept, in order.
fn missing_dates(
    connection: &Connection,
    set: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>> {
    let mut statement = connection.prepare_cached(
        "SELECT game_date FROM courtside_day_done
         WHERE set_id = ?3 AND game_date BETWEEN ?1 AND ?2",
    )?;
    let kept: BTreeSet<String> = statement
        .query_map(params![text(from), text(to), set], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(from
        .iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| !kept.contains(&text(*day)))
        .collect())
}
