//! The registry's writes on BigQuery: registrations, audit events and
//! lifecycle changes, each a statement whose effect is checked
//! (`numDmlAffectedRows`); a promotion runs its plan exactly.

use super::BigQuerySource;
use super::params::Params;
use super::rows::*;
use crate::model::experiment::{Status, Transition, TransitionError};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::source::backtest_feed::BacktestFeed;
use crate::source::tables::TableKind;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::sync::Arc;

impl BigQuerySource {
    pub(super) async fn insert_events(&self, events: &[ExperimentEvent]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut params = Params::new();
        for (index, event) in events.iter().enumerate() {
            event_params(&mut params, index, event);
        }
        let written = self
            .transport
            .query(&self.sql.insert_events(events.len()), params.build())
            .await?
            .affected_rows;
        if written != Some(events.len() as u64) {
            bail!(
                "the audit trail took {} of {} events",
                written.map_or("an unknown number".to_string(), |n| n.to_string()),
                events.len()
            );
        }
        Ok(())
    }

    pub(super) async fn status_of(&self, experiment_id: &str) -> Result<Option<String>> {
        let mut params = Params::new();
        params.string("id", Some(experiment_id));
        let rows = self.lookup(&self.sql.status_of, params).await?;
        rows.iter().next().map(|r| r.str("status")).transpose()
    }

    /// The experiments promoted for `target` now, other than `experiment_id`.
    pub(super) async fn promoted_for_target(
        &self,
        experiment_id: &str,
        production_system: &str,
        target: &str,
    ) -> Result<Vec<String>> {
        let mut params = Params::new();
        params
            .string("id", Some(experiment_id))
            .string("production", Some(production_system))
            .string("target", Some(target));
        let rows = self.lookup(&self.sql.promoted_for_target, params).await?;
        rows.iter().map(|r| r.str("experiment_id")).collect()
    }

    pub(super) async fn register_one(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        let mut params = Params::new();
        params
            .string("id", Some(&row.experiment_id))
            .string("name", Some(&row.experiment_name))
            .string("hypothesis", row.hypothesis.as_deref())
            .string("type", Some(&row.experiment_type))
            .strings("tags", &row.tags)
            .string("config", json_text(Some(&row.config_json)).as_deref())
            .string("results", json_text(row.results_json.as_ref()).as_deref())
            .string("model_path", row.model_path.as_deref())
            .string("git_commit", row.git_commit.as_deref())
            .string("parent", row.parent_experiment_id.as_deref())
            .string("status", Some(row.status.as_str()))
            .timestamp("created_at", Some(row.created_at))
            .timestamp("completed_at", row.completed_at)
            .string("created_by", row.created_by.as_deref());
        period_params(&mut params, "train", row.train_period.as_ref());
        period_params(&mut params, "eval", row.eval_period.as_ref());
        let written = self
            .transport
            .query(&self.sql.insert_experiment, params.build())
            .await
            .with_context(|| format!("cannot register {}", row.experiment_name))?
            .affected_rows;
        if written != Some(1) {
            bail!(
                "cannot register {}: an experiment with id {} already exists",
                row.experiment_name,
                row.experiment_id
            );
        }
        self.insert_audit(std::slice::from_ref(event)).await
    }

    pub(super) async fn register_batch(
        &self,
        batch: &[crate::model::rows::NewExperiment],
        backtest: Arc<dyn BacktestFeed>,
    ) -> Result<()> {
        // BigQuery has no transaction across these statements here (the
        // emulator passes no parameters into scripts): each experiment is
        // written whole in turn; a failure names where it stopped.
        for (done, new) in batch.iter().enumerate() {
            let written = async {
                let (first, rest) = new
                    .events
                    .split_first()
                    .ok_or_else(|| anyhow::anyhow!("no registration event"))?;
                self.register_one(&new.row, first).await?;
                self.insert_audit(rest).await?;
                if new.backtest_rows > 0 {
                    self.load_backtest(&new.row.experiment_id, backtest.clone())
                        .await?;
                }
                anyhow::Ok(())
            };
            written.await.with_context(|| {
                format!(
                    "registering {} ({} of {} written before it)",
                    new.row.experiment_name,
                    done,
                    batch.len()
                )
            })?;
        }
        Ok(())
    }

    /// Streams the backtest rows of `experiment_id` from `feed` into the
    /// table: the feed reads on a blocking thread and hands over batches
    /// (two at most in flight), each loaded before the next is read.
    async fn load_backtest(&self, experiment_id: &str, feed: Arc<dyn BacktestFeed>) -> Result<()> {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Vec<Value>>>(2);
        let id = experiment_id.to_string();
        let reading = tokio::task::spawn_blocking(move || {
            feed.read(&id, &mut |rows| -> Result<()> {
                sender
                    .blocking_send(rows)
                    .map_err(|_| anyhow::anyhow!("the load stopped"))
            })
        });
        let mut loaded = 0;
        let prefix = format!("{experiment_id}-");
        while let Some(rows) = receiver.recv().await {
            // A failed load drops the receiver: the reader stops at its next batch.
            self.load_numbered(TableKind::BacktestPredictions, &rows, &prefix, loaded)
                .await?;
            loaded += rows.len();
        }
        reading
            .await
            .map_err(|error| anyhow::anyhow!("reading the backtest rows failed: {error}"))??;
        Ok(())
    }

    pub(super) async fn append_checked(&self, event: &ExperimentEvent) -> Result<()> {
        match self.status_of(&event.experiment_id).await? {
            None => Err(TransitionError::Missing(event.experiment_id.clone()).into()),
            Some(actual) if actual != event.to_status => Err(anyhow::anyhow!(
                "the experiment is now {actual}, not {}: someone else changed it; nothing was written",
                event.to_status
            )),
            Some(_) => self.insert_events(std::slice::from_ref(event)).await,
        }
    }

    /// A lifecycle change as one UPDATE carrying its status precondition
    /// (and, for a promotion, its plan's archives), then exactly its events.
    pub(super) async fn transition(
        &self,
        change: &Transition,
        production_system: &str,
    ) -> Result<Vec<String>> {
        change.check()?;
        let finished = matches!(change.to, Status::Completed | Status::Failed);
        let promoting = change.to == Status::Promoted;
        let target = change
            .target_system
            .clone()
            .unwrap_or_else(|| production_system.to_string());
        // What a promotion archives: its plan's, else what is promoted now.
        let mut planned = match (&change.archives, promoting) {
            (Some(planned), true) => planned.clone(),
            (None, true) => {
                self.promoted_for_target(&change.experiment_id, production_system, &target)
                    .await?
            }
            (_, false) => Vec::new(),
        };
        planned.sort();
        let mut params = Params::new();
        params
            .strings("archives", &planned)
            .string("id", Some(&change.experiment_id))
            .string("from", Some(change.from.as_str()))
            .string("to", Some(change.to.as_str()))
            .bool("finished", Some(finished))
            .timestamp("at", Some(change.at))
            .string(
                "results",
                json_text(change.results_json.as_ref()).as_deref(),
            )
            .string("model_path", change.model_path.as_deref())
            .bool("promoting", Some(promoting))
            .string("production", Some(production_system))
            .string("target", Some(&target));
        // One statement: the change and (for a promotion) the archiving of the
        // target's promoted experiment happen together or not at all.
        let affected = self
            .transport
            .query(&self.sql.transition, params.build())
            .await?
            .affected_rows
            .unwrap_or(0);
        if affected == 0 {
            return Err(match self.status_of(&change.experiment_id).await? {
                None => TransitionError::Missing(change.experiment_id.clone()).into(),
                Some(actual) if actual != change.from.as_str() => TransitionError::StaleStatus {
                    expected: change.from,
                    actual,
                }
                .into(),
                Some(_) => TransitionError::StalePlan {
                    promoted: self
                        .promoted_for_target(&change.experiment_id, production_system, &target)
                        .await?,
                    target,
                    planned,
                }
                .into(),
            });
        }
        // The statement changed exactly the experiment and its plan's archives.
        let mut events = vec![change.event()];
        events.extend(planned.iter().map(|id| change.archive_event(id)));
        self.insert_audit(&events).await?;
        Ok(planned)
    }
}
