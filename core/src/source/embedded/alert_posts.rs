//! What `watch` remembers of its Slack posts (`courtside_alert_posts`) and
//! the posts it has queued but not delivered (`courtside_alert_outbox`).

use super::columns::*;
use super::store::EmbeddedStore;
use crate::model::AlertLevel;
use crate::model::alert_posts::{OutboxPost, PostState};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

impl EmbeddedStore {
    /// The level and time of the last post for `system`.
    pub fn last_post(&self, system: &str) -> Result<Option<PostState>> {
        let connection = self.connect()?;
        let row: Option<(String, String)> = connection
            .query_row(
                "SELECT alert_level, posted_at FROM courtside_alert_posts
                 WHERE system_id = ?1 ORDER BY posted_at DESC, rowid DESC LIMIT 1",
                [system],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(level, at)| {
            Some(PostState {
                last_level: AlertLevel::parse(&level)?,
                last_posted_at: parse_timestamp(&at).ok()?,
            })
        }))
    }

    /// Whether `level` was already posted for `system` on `date`.
    pub fn was_posted(&self, system: &str, date: NaiveDate, level: AlertLevel) -> Result<bool> {
        let connection = self.connect()?;
        let found: Option<i64> = connection
            .query_row(
                "SELECT 1 FROM courtside_alert_posts
                 WHERE system_id = ?1 AND game_date = ?2 AND alert_level = ?3",
                params![system, date_text(date), level.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// Records a successful post (idempotent).
    pub fn record_post(
        &self,
        system: &str,
        date: NaiveDate,
        level: AlertLevel,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let connection = self.connect()?;
        connection.execute(
            "INSERT OR IGNORE INTO courtside_alert_posts (system_id, game_date, alert_level, posted_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![system, date_text(date), level.as_str(), timestamp_text(at)],
        )?;
        Ok(())
    }

    /// Queues a post in the outbox; its id keeps the order.
    pub fn enqueue_post(
        &self,
        system: &str,
        date: NaiveDate,
        level: AlertLevel,
        payload: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let connection = self.connect()?;
        connection.execute(
            "INSERT INTO courtside_alert_outbox (system_id, game_date, alert_level, payload, queued_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                system,
                date_text(date),
                level.as_str(),
                payload.to_string(),
                timestamp_text(at)
            ],
        )?;
        Ok(connection.last_insert_rowid())
    }

    /// A queued post was delivered: out of the outbox, into the posts, at once.
    pub fn deliver_post(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        let mut connection = self.connect()?;
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT OR IGNORE INTO courtside_alert_posts (system_id, game_date, alert_level, posted_at)
             SELECT system_id, game_date, alert_level, ?2 FROM courtside_alert_outbox WHERE id = ?1",
            params![id, timestamp_text(at)],
        )?;
        transaction.execute("DELETE FROM courtside_alert_outbox WHERE id = ?1", [id])?;
        transaction.commit()?;
        Ok(())
    }

    /// A run begins sending queued post `id` (a stop before its delivery is
    /// recorded leaves the mark: the next run knows Slack may have it).
    pub fn mark_sending(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.connect()?.execute(
            "UPDATE courtside_alert_outbox SET sending_since = ?2 WHERE id = ?1",
            params![id, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// An interrupted post is sent once again: marked so that a second stop
    /// mid-send does not send it a third time.
    pub fn mark_resent(&self, id: i64) -> Result<()> {
        self.connect()?.execute(
            "UPDATE courtside_alert_outbox SET resent = 1, sending_since = NULL WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    /// A queued post failed all its retries: it leaves the outbox undelivered.
    pub fn abandon_post(&self, id: i64) -> Result<()> {
        self.connect()?
            .execute("DELETE FROM courtside_alert_outbox WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The posts still queued, oldest first (a row that does not read is
    /// dropped from the outbox rather than blocking the rest).
    pub fn pending_posts(&self) -> Result<Vec<OutboxPost>> {
        let connection = self.connect()?;
        let mut statement = connection.prepare(
            "SELECT id, system_id, game_date, alert_level, payload,
                    sending_since IS NOT NULL, COALESCE(resent, 0) <> 0
             FROM courtside_alert_outbox ORDER BY id",
        )?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    (
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                    ),
                    (row.get::<_, bool>(5)?, row.get::<_, bool>(6)?),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut posts = Vec::new();
        for ((id, system_id, date, level, payload), (interrupted, resent)) in rows {
            let parsed = parse_date(&date)
                .ok()
                .zip(AlertLevel::parse(&level))
                .zip(serde_json::from_str::<serde_json::Value>(&payload).ok());
            match parsed {
                Some(((game_date, level), payload)) => posts.push(OutboxPost {
                    id,
                    system_id,
                    game_date,
                    level,
                    payload,
                    interrupted,
                    resent,
                }),
                None => {
                    tracing::warn!("courtside_alert_outbox id {id}: unreadable, dropped");
                    self.abandon_post(id)?;
                }
            }
        }
        Ok(posts)
    }
}
