//! What `watch` remembers of its Slack posts (`courtside_alert_posts`).

use super::columns::*;
use super::store::EmbeddedStore;
use crate::model::AlertLevel;
use crate::model::alert_posts::PostState;
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
}
