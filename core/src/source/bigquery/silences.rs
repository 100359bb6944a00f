//! Silences on BigQuery (`tables.silences`, `setup` creates it): one table
//! everyone who watches the warehouse shares, so a silence added on a
//! laptop holds the `watch` running elsewhere. The table is small and not
//! partitioned; each statement names its columns and takes its values as
//! parameters. An add is guarded on its own fields, so a retried statement
//! whose first answer was lost adds nothing more.

use super::BigQuerySource;
use super::decode::Record;
use super::params::Params;
use crate::model::AlertLevel;
use crate::model::silence::{NewSilence, Silence, expirable};
use crate::model::topic::Topic;
use crate::source::presence::is_missing;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};

const COLUMNS: &str = "id, system_id, topic, alert_level, starts_at, ends_at, author, comment, expired_at, expired_by";

impl BigQuerySource {
    fn silences_table(&self) -> String {
        format!("`{}`", self.tables.silences.qualified())
    }

    /// Every silence, newest first; none before the table is there. A row
    /// that does not read is skipped and named in the log.
    pub(super) async fn read_silences(&self) -> Result<Vec<Silence>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {} ORDER BY id DESC",
            self.silences_table()
        );
        let rows = match self.lookup(&sql, Params::new()).await {
            Err(error) if is_missing(&error) => {
                tracing::info!("no silences: {error:#}");
                return Ok(Vec::new());
            }
            other => other.with_context(|| self.tables.silences.qualified().to_string())?,
        };
        Ok(rows
            .iter()
            .filter_map(|row| {
                silence_of(row)
                    .map_err(|error| {
                        tracing::warn!(
                            "{}: a silence does not read, skipped: {error:#}",
                            self.tables.silences.qualified()
                        )
                    })
                    .ok()
            })
            .collect())
    }

    /// Adds `silence` with the next id; its id.
    pub(super) async fn insert_silence(&self, silence: &NewSilence) -> Result<i64> {
        let table = self.silences_table();
        let same = "system_id = @system_id AND author = @author AND starts_at = @starts_at AND comment = @comment";
        let sql = format!(
            "INSERT INTO {table} ({COLUMNS})
             SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), @system_id, @topic,
                    @alert_level, @starts_at, @ends_at, @author, @comment,
                    CAST(NULL AS TIMESTAMP), CAST(NULL AS STRING)
             FROM (SELECT 1)
             WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {same})"
        );
        // The fields that tell this silence from any other (the lookup
        // takes only those: every parameter sent is one the statement uses).
        let mut own = Params::new();
        own.string("system_id", Some(&silence.system_id))
            .timestamp("starts_at", Some(silence.starts_at))
            .string("author", Some(&silence.author))
            .string("comment", Some(&silence.comment));
        let mut params = own.clone();
        params
            .string("topic", silence.topic.map(Topic::as_str))
            .string("alert_level", silence.level.map(AlertLevel::as_str))
            .timestamp("ends_at", Some(silence.ends_at));
        self.transport
            .query(&sql, params.build())
            .await
            .map_err(|error| self.setup_hint(error))?;
        let id_sql = format!("SELECT MAX(id) AS id FROM {table} WHERE {same}");
        let rows = self.lookup(&id_sql, own).await?;
        let id = rows
            .iter()
            .next()
            .map(|row| row.opt_i64("id"))
            .transpose()?
            .flatten();
        id.context("the silence just added does not read back")
    }

    /// Ends silence `id` at `at`, by `by`.
    pub(super) async fn end_silence(
        &self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Silence> {
        let all = self.read_silences().await?;
        let found: Vec<&Silence> = all.iter().filter(|s| s.id == id).collect();
        if found.len() > 1 {
            bail!(
                "{} silences carry id {id} (added at the same instant): `silence expire` cannot tell them apart; set expired_at of the one to end in {}",
                found.len(),
                self.tables.silences.qualified()
            );
        }
        expirable(found.first().copied(), id, at).map_err(anyhow::Error::msg)?;
        let sql = format!(
            "UPDATE {} SET expired_at = @at, expired_by = @by WHERE id = @id AND expired_at IS NULL",
            self.silences_table()
        );
        let mut params = Params::new();
        params
            .int("id", Some(id))
            .timestamp("at", Some(at))
            .string("by", Some(by));
        self.transport.query(&sql, params.build()).await?;
        let ended = self
            .read_silences()
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .context("the silence just ended does not read back")?;
        if ended.expired_at.is_none() {
            bail!("silence {id} was not ended (the table did not take the change)");
        }
        Ok(ended)
    }

    /// `error`, with what to do when the silences table is not there.
    fn setup_hint(&self, error: anyhow::Error) -> anyhow::Error {
        if is_missing(&error) {
            error.context(format!(
                "{} is missing: `courtside setup --apply` creates it",
                self.tables.silences.qualified()
            ))
        } else {
            error
        }
    }
}

fn silence_of(row: Record) -> Result<Silence> {
    let word = |column: &str| row.opt_str(column);
    let topic = match word("topic")? {
        None => None,
        Some(text) => Some(
            Topic::ALL
                .into_iter()
                .find(|topic| topic.as_str() == text)
                .with_context(|| format!("topic `{text}` is not a topic"))?,
        ),
    };
    let level = match word("alert_level")? {
        None => None,
        Some(text) => Some(
            AlertLevel::parse(&text)
                .with_context(|| format!("alert_level `{text}` is not a level"))?,
        ),
    };
    Ok(Silence {
        id: row.opt_i64("id")?.context("id is NULL")?,
        system_id: row.str("system_id")?,
        topic,
        level,
        starts_at: row.timestamp("starts_at")?,
        ends_at: row.timestamp("ends_at")?,
        author: row.str("author")?,
        comment: row.str("comment")?,
        expired_at: row.opt_timestamp("expired_at")?,
        expired_by: word("expired_by")?,
    })
}
