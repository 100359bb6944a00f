//! Whether the graded data changed, for a live dashboard's refresh, at no
//! cost: the two data tables' metadata (`tables.get`, free: last modified,
//! rows, bytes, and the streaming buffer, which DML and streamed inserts
//! move), read once for all the views of one refresh (the views ask at the
//! same instant; the first asks, the others wait for its answer). A billed
//! query of row counts and the last grading time backs it up: every
//! `QUERY_EVERY` (metadata that lags, as an emulator's does for DML),
//! when the metadata moved, and whenever it cannot be read.

use super::BigQuerySource;
use super::params::Params;
use anyhow::Result;
use chrono::Utc;
use gcp_bigquery_client::model::table::Table;
use std::time::{Duration, Instant};

/// Days of partitions the back-up query counts.
const VERSION_DAYS: u64 = 730;

/// A table's metadata as one text (missing fields are empty).
fn fingerprint(table: &Table) -> String {
    let buffer = table.streaming_buffer.as_ref();
    format!(
        "{}:{}:{}:{}:{}",
        table.last_modified_time.as_deref().unwrap_or_default(),
        table.num_rows.as_deref().unwrap_or_default(),
        table.num_bytes.as_deref().unwrap_or_default(),
        buffer
            .and_then(|b| b.estimated_rows.as_deref())
            .unwrap_or_default(),
        buffer
            .and_then(|b| b.oldest_entry_time.as_deref())
            .unwrap_or_default(),
    )
}

impl BigQuerySource {
    /// The same source with the version's timing scaled (a benchmark runs a
    /// dashboard's hour in a minute): one answer serves `shared_for`, the
    /// back-up query runs every `query_every`.
    pub fn with_version_timing(mut self, shared_for: Duration, query_every: Duration) -> Self {
        let kept = self.version.get_mut();
        kept.shared_for = shared_for;
        kept.query_every = query_every;
        self
    }

    /// Forgets the shared answer: this source just wrote rows.
    pub(super) async fn forget_version(&self) {
        self.version.lock().await.shared = None;
    }

    /// The data version: the metadata of both tables, with the back-up
    /// query's answer (run again when its interval has passed).
    pub(super) async fn current_version(&self) -> Result<Option<String>> {
        let mut kept = self.version.lock().await;
        if let Some((at, version)) = &kept.shared
            && at.elapsed() < kept.shared_for
        {
            return Ok(version.clone());
        }
        let metadata = self.metadata_version().await;
        // Run again when it is due, and with the metadata when that moved:
        // both halves change at once, so a change reloads the views once.
        let due = kept
            .queried
            .as_ref()
            .is_none_or(|(at, _)| at.elapsed() >= kept.query_every);
        if due || metadata.is_none() || metadata != kept.metadata {
            kept.queried = Some((Instant::now(), self.queried_version().await?));
            kept.metadata = metadata.clone();
        }
        let queried = kept.queried.as_ref().and_then(|(_, v)| v.clone());
        let version = match (metadata, queried) {
            (None, None) => None,
            (metadata, queried) => Some(format!(
                "{}|{}",
                metadata.unwrap_or_default(),
                queried.unwrap_or_default()
            )),
        };
        kept.shared = Some((Instant::now(), version.clone()));
        Ok(version)
    }

    /// Both data tables' metadata, or `None` when either cannot be read.
    async fn metadata_version(&self) -> Option<String> {
        let mut parts = Vec::new();
        for name in [
            &self.tables.prediction_accuracy,
            &self.tables.player_game_summary,
        ] {
            let (project, dataset, table) = self.split(name).ok()?;
            match self.transport.get_table(&project, &dataset, &table).await {
                Ok(Some(found)) => parts.push(fingerprint(&found)),
                Ok(None) => parts.push("missing".to_string()),
                Err(error) => {
                    tracing::debug!("data version: metadata not read ({error:#}); a query instead");
                    return None;
                }
            }
        }
        Some(parts.join("/"))
    }

    /// Row counts and the last grading time of the last two years (a billed
    /// query: three columns of recent partitions).
    async fn queried_version(&self) -> Result<Option<String>> {
        let since = Utc::now().date_naive() - chrono::Days::new(VERSION_DAYS);
        let mut params = Params::new();
        params.date("since", Some(since));
        let rows = self.lookup(&self.sql.data_version, params).await?;
        let Some(record) = rows.iter().next() else {
            return Ok(None);
        };
        Ok(Some(format!(
            "{}/{}/{}",
            record.u64("predictions")?,
            record
                .opt_timestamp("last_graded")?
                .map_or_else(String::new, |at| at.to_rfc3339()),
            record.u64("player_games")?
        )))
    }
}
