//! The registry's writes on the embedded store, each one transaction:
//! registrations (the name checked inside it, so racing imports cannot both
//! pass), their events and backtest rows streamed from a feed, and the
//! backtest rows an earlier import left out.

use super::{EmbeddedStore, StoreWriter, TableLoader};
use crate::model::rows::{ExperimentEvent, ExperimentRow, NewExperiment};
use crate::source::backtest_feed::BacktestFeed;
use crate::source::tables::TableKind;
use anyhow::{Result, anyhow};
use rusqlite::TransactionBehavior;
use std::sync::Arc;

/// Streams `experiment_id`'s rows from `feed` into `loader`; a refused row
/// fails naming `what`.
fn stream_backtest(
    loader: &mut TableLoader<'_>,
    feed: &dyn BacktestFeed,
    experiment_id: &str,
    what: &str,
) -> Result<()> {
    feed.read(experiment_id, &mut |rows| -> Result<()> {
        for row in &rows {
            loader
                .insert(row)
                .map_err(|error| anyhow!("cannot {what}: {error}"))?;
        }
        Ok(())
    })?;
    Ok(())
}

impl EmbeddedStore {
    /// A new experiment and its first event.
    pub(super) async fn register_one(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        let (row, event) = (row.clone(), event.clone());
        self.blocking(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let writer = StoreWriter::new(&transaction);
            writer
                .experiment(&row)
                .map_err(|error| anyhow!("cannot register {}: {error}", row.experiment_name))?;
            writer.event(&event)?;
            transaction.commit()?;
            Ok(())
        })
        .await
    }

    /// Every experiment of `batch` with its events and backtest rows, in one
    /// transaction: all or nothing.
    pub(super) async fn register_batch(
        &self,
        batch: &[NewExperiment],
        backtest: Arc<dyn BacktestFeed>,
    ) -> Result<()> {
        let batch = batch.to_vec();
        self.blocking(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let writer = StoreWriter::new(&transaction);
                let mut loader = writer.table_loader(TableKind::BacktestPredictions)?;
                for new in &batch {
                    let name = &new.row.experiment_name;
                    writer
                        .experiment(&new.row)
                        .map_err(|error| anyhow!("cannot register {name}: {error}"))?;
                    for event in &new.events {
                        writer.event(event)?;
                    }
                    if new.backtest_rows > 0 {
                        let what = format!("register the backtest rows of {name}");
                        stream_backtest(&mut loader, &*backtest, &new.row.experiment_id, &what)?;
                    }
                }
            }
            transaction.commit()?;
            Ok(())
        })
        .await
    }

    /// The backtest rows stored for `experiment_id`.
    pub(super) async fn stored_backtest_rows(&self, experiment_id: &str) -> Result<u64> {
        let id = experiment_id.to_string();
        self.blocking(move |connection| {
            let count: i64 = connection.query_row(
                "SELECT COUNT(*) FROM backtest_predictions WHERE experiment_id = ?1",
                [&id],
                |row| row.get(0),
            )?;
            Ok(count.max(0) as u64)
        })
        .await
    }

    /// Adds `experiment_id`'s backtest rows from `feed`, all or none.
    pub(super) async fn load_backtest(
        &self,
        experiment_id: &str,
        feed: Arc<dyn BacktestFeed>,
    ) -> Result<()> {
        let id = experiment_id.to_string();
        self.blocking(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let writer = StoreWriter::new(&transaction);
                let mut loader = writer.table_loader(TableKind::BacktestPredictions)?;
                stream_backtest(&mut loader, &*feed, &id, "add the backtest rows")?;
            }
            transaction.commit()?;
            Ok(())
        })
        .await
    }
}
