//! Silences (`courtside_silences`) and the alert timeline
//! (`courtside_alert_events`) in the store `watch` keeps its outbox in. A
//! row that does not read is skipped and named in the log, never fatal.

use super::columns::*;
use super::store::EmbeddedStore;
use crate::model::AlertLevel;
use crate::model::silence::{AlertEvent, EventOutcome, Silence};
use crate::model::topic::Topic;
use anyhow::{Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

/// A silence to add (the store gives its id).
pub struct NewSilence<'a> {
    pub system_id: &'a str,
    pub topic: Option<Topic>,
    pub level: Option<AlertLevel>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub author: &'a str,
    pub comment: &'a str,
}

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

/// The silences of `system` active at `now` in the store at `path` (where
/// `watch` keeps its state): none when that store or its table is not there
/// yet; an error when it does not read (never shown as "no silences").
pub fn active_silences(
    path: &std::path::Path,
    system: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Silence>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let store = EmbeddedStore::open_existing(path)?;
    match store.silences() {
        Ok(silences) => Ok(silences
            .into_iter()
            .filter(|silence| {
                silence.system_id == system
                    && silence.state(now) == crate::model::silence::SilenceState::Active
            })
            .collect()),
        Err(error) if format!("{error:#}").contains("no such table") => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

/// The timeline of `system` in the store at `path` (oldest first): empty
/// when that store or its table is not there yet.
pub fn recent_events(path: &std::path::Path, system: &str) -> Result<Vec<AlertEvent>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let store = EmbeddedStore::open_existing(path)?;
    match store.alert_events(Some(system), None, None) {
        Ok(events) => Ok(events),
        Err(error) if format!("{error:#}").contains("no such table") => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

fn topic_of(text: &str) -> Option<Topic> {
    Topic::ALL.into_iter().find(|topic| topic.as_str() == text)
}

impl EmbeddedStore {
    pub fn add_silence(&self, silence: &NewSilence) -> Result<i64> {
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

    /// Every silence, newest first.
    pub fn silences(&self) -> Result<Vec<Silence>> {
        let connection = self.connect()?;
        let mut statement = connection.prepare(
            "SELECT id, system_id, topic, alert_level, starts_at, ends_at, author, comment, expired_at, expired_by
             FROM courtside_silences ORDER BY id DESC",
        )?;
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = statement
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                    row.get(9)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut silences = Vec::new();
        for (id, system_id, topic, level, starts, ends, author, comment, expired, expired_by) in
            rows
        {
            let topic = match topic.as_deref().map(topic_of) {
                Some(None) => {
                    tracing::warn!(
                        "courtside_silences id {id}: topic {topic:?} unreadable, skipped"
                    );
                    continue;
                }
                other => other.flatten(),
            };
            let level = match level.as_deref().map(AlertLevel::parse) {
                Some(None) => {
                    tracing::warn!("courtside_silences id {id}: alert_level unreadable, skipped");
                    continue;
                }
                other => other.flatten(),
            };
            let (Ok(starts_at), Ok(ends_at)) = (parse_timestamp(&starts), parse_timestamp(&ends))
            else {
                tracing::warn!(
                    "courtside_silences id {id}: starts_at or ends_at unreadable, skipped"
                );
                continue;
            };
            silences.push(Silence {
                id,
                system_id,
                topic,
                level,
                starts_at,
                ends_at,
                author,
                comment,
                expired_at: expired.as_deref().and_then(|at| parse_timestamp(at).ok()),
                expired_by,
            });
        }
        Ok(silences)
    }

    /// Ends silence `id` at `at`; an error when there is no such silence or
    /// it has ended already.
    pub fn expire_silence(&self, id: i64, by: &str, at: DateTime<Utc>) -> Result<Silence> {
        let Some(silence) = self.silences()?.into_iter().find(|s| s.id == id) else {
            bail!("there is no silence {id} (`courtside silence list` shows them)");
        };
        let state = silence.state(at);
        if matches!(
            state,
            crate::model::silence::SilenceState::Ended
                | crate::model::silence::SilenceState::Expired
        ) {
            bail!(
                "silence {id} has {} already: {}",
                state.as_str(),
                silence.sentence(at)
            );
        }
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
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = statement
            .query_map(
                params![system, from.map(date_text), to.map(date_text)],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                        row.get(8)?,
                        row.get(9)?,
                        row.get(10)?,
                        row.get(11)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut events = Vec::new();
        for (id, at, system_id, date, topic, from, to, cause, outcome, route, detail, silence_id) in
            rows
        {
            let parsed = (
                parse_timestamp(&at).ok(),
                parse_date(&date).ok(),
                topic_of(&topic),
                AlertLevel::parse(&to),
                EventOutcome::parse(&outcome),
            );
            let (Some(at), Some(game_date), Some(topic), Some(to_level), Some(outcome)) = parsed
            else {
                tracing::warn!("courtside_alert_events id {id}: unreadable, skipped");
                continue;
            };
            events.push(AlertEvent {
                id,
                at,
                system_id,
                game_date,
                topic,
                from_level: from.as_deref().and_then(AlertLevel::parse),
                to_level,
                cause,
                outcome,
                route,
                detail,
                silence_id,
            });
        }
        Ok(events)
    }
}
