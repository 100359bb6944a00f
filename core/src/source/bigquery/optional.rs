//! BigQuery's side of `source::presence` and the model registry: a table's
//! columns from its metadata (kept a minute), the diagnostics history and
//! its MERGE on a table with or without courtside's added columns, the
//! audit trail written only where its table exists, and `model_registry`'s
//! rows. A missing table is told from every other failure by its typed
//! error (`presence::TableMissing`), never by guessing.

use super::BigQuerySource;
use super::metadata_cache::METADATA_TTL;
use super::params::Params;
use super::rows::history_row;
use super::sql;
use crate::config::TableName;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::rows::ExperimentEvent;
use crate::source::model_registry::{COLUMNS, RegistryModel};
use crate::source::presence;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::time::Instant;

/// Diagnostics rows per MERGE statement (30 parameters each).
const MERGE_BATCH: usize = 50;

impl BigQuerySource {
    /// The columns of `name`, `None` when it does not exist (metadata, kept
    /// [`METADATA_TTL`]).
    pub(super) async fn columns_of(&self, name: &TableName) -> Result<Option<Vec<String>>> {
        let key = name.qualified().to_string();
        if let Ok(kept) = self.metadata.columns.lock()
            && let Some((_, _, columns)) = kept
                .iter()
                .find(|(table, at, _)| *table == key && at.elapsed() < METADATA_TTL)
        {
            return Ok(columns.clone());
        }
        // A table of the contract is described as `doctor` sees it: the
        // metadata, confirmed by a free dry run where it lacks contract
        // columns (an emulator's metadata misses columns added by ALTER).
        let kind = crate::source::tables::TableKind::ALL
            .into_iter()
            .find(|kind| kind.table_name(&self.tables).qualified() == name.qualified());
        let columns = match kind {
            Some(kind) => {
                let shape = self.describe(kind, None).await?;
                shape
                    .exists
                    .then(|| shape.columns.iter().map(|c| c.name.clone()).collect())
            }
            None => {
                let (project, dataset, table) = self.split(name)?;
                self.transport
                    .table_columns(&project, &dataset, &table)
                    .await
                    .with_context(|| format!("reading the metadata of {key}"))?
            }
        };
        if let Ok(mut kept) = self.metadata.columns.lock() {
            kept.retain(|(table, _, _)| *table != key);
            kept.push((key, Instant::now(), columns.clone()));
        }
        Ok(columns)
    }

    /// Courtside's added diagnostics columns the table lacks (all of them
    /// when the table is not there).
    async fn diagnostics_lacks(&self) -> Result<Vec<&'static str>> {
        Ok(match self.columns_of(&self.tables.diagnostics).await? {
            Some(columns) => presence::diagnostics_missing(&columns),
            None => presence::DIAGNOSTICS_ADDED
                .iter()
                .map(|(column, _)| *column)
                .collect(),
        })
    }

    pub(super) async fn history_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        system: Option<&str>,
        legacy_system: &str,
    ) -> Result<Vec<DiagnosticsRow>> {
        let table = self.tables.diagnostics.qualified();
        let missing = self.diagnostics_lacks().await?;
        if !missing.is_empty() {
            if self.columns_of(&self.tables.diagnostics).await?.is_none() {
                self.notes
                    .push(presence::missing_table_note(table, "no history"));
                return Ok(Vec::new());
            }
            self.notes.push(presence::history_note(table, &missing));
        }
        let mut params = Params::new();
        params
            .date("from", Some(from))
            .date("to", Some(to))
            .string("system", system)
            .string("legacy", Some(legacy_system));
        let rows = self
            .rows(&self.sql.history_without(&missing), params)
            .await?;
        rows.iter()
            .map(|record| history_row(record, legacy_system))
            .collect::<Result<Vec<_>>>()
            .context("performance_diagnostics_daily")
    }

    /// Writes `rows` by MERGE, or nothing (and a note naming the fix) when
    /// the table lacks courtside's columns (see
    /// [`presence::persist_refused_note`] for why nothing rather than part).
    pub(super) async fn persist_rows(
        &self,
        rows: &[DiagnosticsRow],
        legacy_system: &str,
    ) -> Result<usize> {
        let missing = self.diagnostics_lacks().await?;
        if !missing.is_empty() {
            self.notes.push(presence::persist_refused_note(
                self.tables.diagnostics.qualified(),
                &missing,
            ));
            return Ok(0);
        }
        // One source row per key: MERGE refuses a target row matched twice.
        let mut latest: Vec<&DiagnosticsRow> = Vec::new();
        for row in rows {
            latest.retain(|kept| {
                !(kept.game_date == row.game_date && kept.system_id == row.system_id)
            });
            latest.push(row);
        }
        for batch in latest.chunks(MERGE_BATCH) {
            let mut params = Params::new();
            for (index, row) in batch.iter().enumerate() {
                sql::diagnostics_params(&mut params, index, row);
            }
            // The target's partitions: the batch's dates only.
            params
                .date("merge_from", batch.iter().map(|row| row.game_date).min())
                .date("merge_to", batch.iter().map(|row| row.game_date).max());
            // The rows of the legacy system also delete that date's row
            // without a system, in the same MERGE.
            let legacy: Vec<usize> = batch
                .iter()
                .enumerate()
                .filter(|(_, row)| row.system_id.as_deref() == Some(legacy_system))
                .map(|(index, _)| index)
                .collect();
            self.transport
                .query(
                    &self.sql.merge_diagnostics(batch.len(), &legacy),
                    params.build(),
                )
                .await
                .context("writing performance_diagnostics_daily")?;
        }
        Ok(rows.len())
    }

    /// Appends `events` to the audit trail, or, when its table is missing,
    /// nothing and a note: the change itself went through its guarded UPDATE.
    pub(super) async fn insert_audit(&self, events: &[ExperimentEvent]) -> Result<()> {
        let written = self.insert_events(events).await;
        let table = self.tables.experiment_events.qualified();
        self.notes
            .or_missing(written, || presence::no_audit_trail_note(table))
    }

    /// `model_registry`'s rows, newest first; `None` without the table.
    pub(super) async fn registry_rows(&self) -> Result<Option<Vec<RegistryModel>>> {
        if let Ok(kept) = self.metadata.registry.lock()
            && let Some((at, rows)) = kept.as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(rows.clone());
        }
        // A validated table name and constant columns; the table is small
        // and unpartitioned (the team writes one row per model).
        let text = format!(
            "SELECT {} FROM `{}` ORDER BY created_at DESC",
            COLUMNS.join(", "),
            self.tables.model_registry.qualified()
        );
        let rows = match self.lookup(&text, Params::new()).await {
            Ok(rows) => Some(
                rows.iter()
                    .map(|record| {
                        Ok(RegistryModel {
                            model_id: record.str("model_id")?,
                            status: record.opt_str("status")?,
                            is_production: record.opt_bool("is_production")?,
                            enabled: record.opt_bool("enabled")?,
                            created_on: record
                                .opt_timestamp("created_at")
                                .ok()
                                .flatten()
                                .map(|at| at.date_naive()),
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .context("model_registry")?,
            ),
            Err(error) if presence::is_missing(&error) => None,
            Err(error) => return Err(error.context("reading model_registry")),
        };
        if let Ok(mut kept) = self.metadata.registry.lock() {
            *kept = Some((Instant::now(), rows.clone()));
        }
        Ok(rows)
    }

    /// The note of a read without `backtest_predictions`.
    pub(super) fn no_backtest(&self) -> String {
        presence::no_backtest_note(self.tables.backtest_predictions.qualified())
    }

    /// The population fingerprints of the backtests; none (and a note)
    /// without `backtest_predictions`.
    pub(super) async fn fingerprints(
        &self,
        line_sources: &crate::model::LineSources,
    ) -> Result<Vec<crate::model::fingerprint::Fingerprint>> {
        let mut params = Params::new();
        params.strings("actual_sources", &line_sources.actual);
        let rows = self.lookup(&self.sql.backtest_fingerprints, params).await;
        let rows = self
            .notes
            .or_missing(rows.map(Some), || self.no_backtest())?;
        rows.iter()
            .flat_map(|rows| rows.iter())
            .map(|r| {
                let hash = r.str("key_hash")?;
                Ok(crate::model::fingerprint::Fingerprint {
                    experiment_id: r.str("experiment_id")?,
                    rows: r.u64("n_rows")?,
                    dates: r.u64("dates")?,
                    actual_line_share: r.opt_f64("actual_share")?,
                    first_date: r.opt_date("first_date")?,
                    last_date: r.opt_date("last_date")?,
                    keys: hash.chars().take(8).collect(),
                })
            })
            .collect()
    }
}
