//! Silences (`courtside_silences`, when this store is the source) and the
//! alert timeline (`courtside_alert_events`, in the store `watch` keeps its
//! outbox in, on every source). A row that does not read is skipped and
//! named in the log, never fatal.

use super::columns::*;
use super::store::EmbeddedStore;
use crate::model::AlertLevel;
use crate::model::silence::{AlertEvent, EventOutcome, NewSilence, Silence};
use crate::model::topic::Topic;
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

/// An event to record (the store gives its id).
pub struct NewEvent<'a> {
    pub at: DateTime<Utc>,
    pub system_id: &'a str,
    pub game_date: NaiveDate,
    pub topic: Topic,
    pub from_level: Option<AlertLevel>,
    pub to_level: AlertLevel,
    pub cause: Option<&'a str>,
    pub outcome: EventOutcome,
    pub route: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub silence_id: Option<i64>,
}

/// What `read` reads from the store at `path` (where `watch` keeps its
/// state): nothing when that store or its table is not there yet; an error
/// when it does not read (never shown as "none").
fn read_state<T>(
    path: &std::path::Path,
    read: impl FnOnce(&EmbeddedStore) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    or_none_yet(read(&EmbeddedStore::open_existing(path)?))
}

/// Nothing for a table not there yet (a store from before it, opened for
/// reading); every other error as it is.
fn or_none_yet<T>(rows: Result<Vec<T>>) -> Result<Vec<T>> {
    match rows {
        Err(error) if format!("{error:#}").contains("no such table") => Ok(Vec::new()),
        other => other,
    }
}

/// The timeline of `system` in the store at `path` (oldest first).
pub fn recent_events(path: &std::path::Path, system: &str) -> Result<Vec<AlertEvent>> {
    read_state(path, |store| store.alert_events(Some(system), None, None))
}

fn topic_of(text: &str) -> Option<Topic> {
    Topic::ALL.into_iter().find(|topic| topic.as_str() == text)
}

impl EmbeddedStore {
    /// Adds `silence`; its id.
    pub fn insert_silence(&self, silence: &NewSilence) -> Result<i64> {
        let connection = self.connect()?;
        connection.execute(
            "INSERT INTO courtside_silences (system_id, topic, alert_level, starts_at, ends_at, author, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                silence.system_id,
                silence.topic.map(Topic::as_str),
                silence.level.map(AlertLevel::as_str),
                timestamp_text(silence.starts_at),
                timestamp_text(silence.ends_at),
                silence.author,
                silence.comment,
            ],
        )?;
        Ok(connection.last_insert_rowid())
    }

    /// Every silence, newest first (none before the table is there); a
    /// row that does not read is skipped and named in the log.
    pub fn read_silences(&self) -> Result<Vec<Silence>> {
        or_none_yet(self.silence_rows())
    }

    fn silence_rows(&self) -> Result<Vec<Silence>> {
        let connection = self.connect()?;
        let mut statement = connection.prepare(
            "SELECT id, system_id, topic, alert_level, starts_at, ends_at, author, comment, expired_at, expired_by
             FROM courtside_silences ORDER BY id DESC",
        )?;
        let rows = statement
            .query_map([], |row| {
                let id: i64 = row.get("id")?;
                let text = |column: &str| row.get::<_, Option<String>>(column);
                // Outer `None`: the cell does not read; inner `None`: every topic or level.
                let topic = text("topic")?;
                let level = text("alert_level")?;
                let (Some(topic), Some(level), Some(starts_at), Some(ends_at)) = (
                    topic
                        .as_deref()
                        .map_or(Some(None), |t| topic_of(t).map(Some)),
                    level
                        .as_deref()
                        .map_or(Some(None), |l| AlertLevel::parse(l).map(Some)),
                    parse_timestamp(&row.get::<_, String>("starts_at")?).ok(),
                    parse_timestamp(&row.get::<_, String>("ends_at")?).ok(),
                ) else {
                    return Ok(Err(id));
                };
                Ok(Ok(Silence {
                    id,
                    system_id: row.get("system_id")?,
                    topic,
                    level,
                    starts_at,
                    ends_at,
                    author: row.get("author")?,
                    comment: row.get("comment")?,
                    expired_at: text("expired_at")?
                        .as_deref()
                        .and_then(|at| parse_timestamp(at).ok()),
                    expired_by: text("expired_by")?,
                }))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                row.map_err(|id| tracing::warn!("courtside_silences id {id}: unreadable, skipped"))
                    .ok()
            })
            .collect())
    }

    /// Ends silence `id` at `at`; an error when there is no such silence or
    /// it has ended already.
    pub fn end_silence(&self, id: i64, by: &str, at: DateTime<Utc>) -> Result<Silence> {
        let found = self.read_silences()?.into_iter().find(|s| s.id == id);
        let silence = crate::model::silence::expirable(found.as_ref(), id, at)
            .map_err(anyhow::Error::msg)?
            .clone();
        let connection = self.connect()?;
        connection.execute(
            "UPDATE courtside_silences SET expired_at = ?2, expired_by = ?3 WHERE id = ?1",
            params![id, timestamp_text(at), by],
        )?;
        Ok(Silence {
            expired_at: Some(at),
            expired_by: Some(by.to_string()),
            ..silence
        })
    }

    pub fn record_event(&self, event: &NewEvent) -> Result<i64> {
        let connection = self.connect()?;
        connection.execute(
            "INSERT INTO courtside_alert_events
               (at, system_id, game_date, topic, from_level, to_level, cause, outcome, route, detail, silence_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                timestamp_text(event.at),
                event.system_id,
                date_text(event.game_date),
                event.topic.as_str(),
                event.from_level.map(AlertLevel::as_str),
                event.to_level.as_str(),
                event.cause,
                event.outcome.as_str(),
                event.route,
                event.detail,
                event.silence_id,
            ],
        )?;
        Ok(connection.last_insert_rowid())
    }

    /// Whether silence `silence` already held a post of `system` at `level`
    /// (each held post is recorded once, not every round).
    pub fn was_silenced(
        &self,
        silence: i64,
        system: &str,
        date: NaiveDate,
        level: AlertLevel,
    ) -> Result<bool> {
        let connection = self.connect()?;
        let found: Option<i64> = connection
            .query_row(
                "SELECT 1 FROM courtside_alert_events
                 WHERE silence_id = ?1 AND system_id = ?2 AND game_date = ?3 AND to_level = ?4 AND outcome = 'silenced'",
                params![silence, system, date_text(date), level.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// The timeline in the order it happened, of `system` (every system
    /// when `None`) and game dates `from..=to` where given.
    pub fn alert_events(
        &self,
        system: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<AlertEvent>> {
        let connection = self.connect()?;
        let mut statement = connection.prepare(
            "SELECT id, at, system_id, game_date, topic, from_level, to_level, cause, outcome, route, detail, silence_id
             FROM courtside_alert_events
             WHERE (?1 IS NULL OR system_id = ?1) AND (?2 IS NULL OR game_date >= ?2) AND (?3 IS NULL OR game_date <= ?3)
             ORDER BY id",
        )?;
        let rows = statement
            .query_map(
                params![system, from.map(date_text), to.map(date_text)],
                |row| {
                    let id: i64 = row.get("id")?;
                    let text = |column: &str| row.get::<_, String>(column);
                    let (Some(at), Some(game_date), Some(topic), Some(to_level), Some(outcome)) = (
                        parse_timestamp(&text("at")?).ok(),
                        parse_date(&text("game_date")?).ok(),
                        topic_of(&text("topic")?),
                        AlertLevel::parse(&text("to_level")?),
                        EventOutcome::parse(&text("outcome")?),
                    ) else {
                        return Ok(Err(id));
                    };
                    Ok(Ok(AlertEvent {
                        id,
                        at,
                        system_id: text("system_id")?,
                        game_date,
                        topic,
                        from_level: row
                            .get::<_, Option<String>>("from_level")?
                            .as_deref()
                            .and_then(AlertLevel::parse),
                        to_level,
                        cause: row.get("cause")?,
                        outcome,
                        route: row.get("route")?,
                        detail: row.get("detail")?,
                        silence_id: row.get("silence_id")?,
                    }))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let events = rows
            .into_iter()
            .filter_map(|row| {
                row.map_err(|id| {
                    tracing::warn!("courtside_alert_events id {id}: unreadable, skipped")
                })
                .ok()
            })
            .collect();
        Ok(events)
    }
}

/// Runs `work` (a store read or write of its own) on the blocking pool.
pub(super) async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| anyhow::anyhow!("store task failed: {error}"))?
}
