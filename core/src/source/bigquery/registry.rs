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
        if written == Some(events.len() as u64) {
            return Ok(());
        }
        // Fewer taken: those already there (a retried statement's first
        // answer was lost) count as written; any other is missing.
        let mut ids: Vec<&str> = events.iter().map(|e| e.experiment_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut stored = Vec::new();
        for id in ids {
            stored.extend(self.trail_of(id).await?);
        }
        let missing = events
            .iter()
            .filter(|event| {
                !stored.iter().any(|kept| {
                    // BigQuery keeps microseconds.
                    kept.experiment_id == event.experiment_id
                        && kept.at.timestamp_micros() == event.at.timestamp_micros()
                        && kept.to_status == event.to_status
                })
            })
            .count();
        if missing > 0 {
            bail!(
                "the audit trail took {} of {} events",
                events.len() - missing,
                events.len()
            );
        }
        Ok(())
    }

    /// The audit events of one experiment, whether or not it is registered.
    async fn trail_of(&self, experiment_id: &str) -> Result<Vec<ExperimentEvent>> {
        let mut params = Params::new();
        params.string("id", Some(experiment_id));
        let rows = self.lookup(&self.sql.trail_of, params).await?;
        rows.iter().map(event_row).collect()
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

    /// Registers one experiment: its event first, then the row (the
    /// committing step: until it is written no reader counts the event).
    pub(super) async fn register_one(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        self.insert_audit(std::slice::from_ref(event))
            .await
            .with_context(|| {
                format!(
                    "cannot register {}: its audit event was not written; nothing was registered",
                    row.experiment_name
                )
            })?;
        self.insert_row(row).await
    }

    /// The registry row, guarded: written only while neither its id nor its
    /// name is registered. A refusal names the experiment holding the name;
    /// a row found written by this very call (an answer lost and the
    /// statement retried) is success.
    async fn insert_row(&self, row: &ExperimentRow) -> Result<()> {
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
        let inserted = self
            .transport
            .query(&self.sql.insert_experiment, params.build())
            .await;
        // Read back rather than trusting the answer: a retried statement
        // whose first answer was lost counts 0 for a row it wrote, and one
        // whose every answer was lost may have written it.
        let holders = match (&inserted, self.holders_of_name(row).await) {
            (_, Ok(holders)) => holders,
            (Err(_), Err(_)) => {
                let error = inserted
                    .err()
                    .unwrap_or_else(|| anyhow::anyhow!("no answer"));
                return Err(error.context(format!(
                    "whether {} was registered is unknown (the registry could not be read back); `courtside exp list` tells",
                    row.experiment_name
                )));
            }
            (Ok(_), Err(read)) => return Err(read),
        };
        let first = holders.first().map(String::as_str);
        if first == Some(row.experiment_id.as_str()) {
            return Ok(());
        }
        if holders.contains(&row.experiment_id) {
            // Two registrations passed their guard at once: the one
            // registered first keeps the name, this one takes its row back.
            self.withdraw(row).await?;
        }
        match (first, inserted) {
            (Some(holder), _) => bail!(
                "cannot register {}: the name is registered already, as experiment {holder} (one name, one experiment: rename this one); nothing was registered",
                row.experiment_name
            ),
            (None, Err(error)) => Err(error.context(format!(
                "cannot register {}: nothing was registered",
                row.experiment_name
            ))),
            (None, Ok(_)) => bail!(
                "cannot register {}: the registry took no row and holds none by that name or id",
                row.experiment_name
            ),
        }
    }

    /// The experiments holding `row`'s name or id, the first registered first.
    async fn holders_of_name(&self, row: &ExperimentRow) -> Result<Vec<String>> {
        let mut params = Params::new();
        params
            .string("name", Some(&row.experiment_name))
            .string("id", Some(&row.experiment_id));
        let rows = self.lookup(&self.sql.holders_of_name, params).await?;
        rows.iter().map(|r| r.str("experiment_id")).collect()
    }

    async fn withdraw(&self, row: &ExperimentRow) -> Result<()> {
        let mut params = Params::new();
        params
            .string("id", Some(&row.experiment_id))
            .timestamp("created_at", Some(row.created_at));
        self.transport
            .query(&self.sql.withdraw_experiment, params.build())
            .await
            .with_context(|| {
                format!(
                    "{} was registered twice at once and its second row could not be taken back: archive experiment {}",
                    row.experiment_name, row.experiment_id
                )
            })?;
        Ok(())
    }

    /// Registers `batch`, one experiment at a time and each whole: its
    /// backtest rows (streamed under its own new id), its events, then its
    /// registry row, the committing step. A failure before that row leaves
    /// rows no reader counts (they belong to no registered experiment) and a
    /// rerun registers the experiment afresh. `on_written` hears of each
    /// experiment once it is registered.
    pub(super) async fn register_batch(
        &self,
        batch: &[crate::model::rows::NewExperiment],
        backtest: Arc<dyn BacktestFeed>,
        on_written: &(dyn for<'e> Fn(&'e crate::model::rows::NewExperiment) + Send + Sync),
    ) -> Result<()> {
        for (done, new) in batch.iter().enumerate() {
            let written = async {
                if new.backtest_rows > 0 {
                    self.load_backtest(&new.row.experiment_id, backtest.clone())
                        .await?;
                }
                self.insert_audit(&new.events).await?;
                self.insert_row(&new.row).await
            };
            written.await.with_context(|| {
                format!(
                    "{} not registered ({} of {} registered before it; a rerun registers the rest)",
                    new.row.experiment_name,
                    done,
                    batch.len()
                )
            })?;
            on_written(new);
        }
        Ok(())
    }

    /// Streams the backtest rows of `experiment_id` from `feed` into the
    /// table: the feed reads on a blocking thread and hands over batches
    /// (two at most in flight), each loaded before the next is read.
    pub(super) async fn load_backtest(
        &self,
        experiment_id: &str,
        feed: Arc<dyn BacktestFeed>,
    ) -> Result<()> {
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

    /// The backtest rows stored for `experiment_id`, reading the partitions
    /// of `period` (every partition without one).
    pub(super) async fn stored_backtest_rows(
        &self,
        experiment_id: &str,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    ) -> Result<u64> {
        let (from, to) = period.unwrap_or((chrono::NaiveDate::MIN, chrono::NaiveDate::MAX));
        let mut params = Params::new();
        params
            .string("id", Some(experiment_id))
            .date(
                "from",
                Some(from.max(chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(from))),
            )
            .date(
                "to",
                Some(to.min(chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(to))),
            );
        let rows = self.lookup(&self.sql.backtest_count, params).await?;
        rows.iter().next().map_or(Ok(0), |record| record.u64("n"))
    }

    pub(super) async fn append_checked(&self, event: &ExperimentEvent) -> Result<()> {
        match self.status_of(&event.experiment_id).await? {
            None => Err(TransitionError::Missing(event.experiment_id.clone()).into()),
            Some(actual) if actual != event.to_status => Err(anyhow::anyhow!(
                "the experiment is now {actual}, not {}: someone else changed it; nothing was written",
                event.to_status
            )),
            Some(_) => self
                .insert_events(std::slice::from_ref(event))
                .await
                .context("the request was not recorded; nothing changed"),
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
        let affected = match self
            .transport
            .query(&self.sql.transition, params.build())
            .await
        {
            Ok(output) => output.affected_rows.unwrap_or(0),
            // No answer: what happened is read back before anything is said.
            Err(error) => return self.after_failed_update(change, planned, error).await,
        };
        if affected == 0 {
            return Err(match self.status_of(&change.experiment_id).await? {
                None => TransitionError::Missing(change.experiment_id.clone()).into(),
                Some(actual) if actual == change.to.as_str() => {
                    // Our statement ran and its answer was lost (the retry
                    // found nothing left to change), unless someone else's
                    // event says they made it.
                    match self.made_by_another(change).await? {
                        Some(done) => done.into(),
                        None => return self.record(change, planned).await,
                    }
                }
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
        self.record(change, planned).await
    }

    /// The status change failed or its answer never came: the status read
    /// back says whether it took effect (its events are then written) or
    /// not (nothing was written); unreadable, the message says it is unknown.
    async fn after_failed_update(
        &self,
        change: &Transition,
        planned: Vec<String>,
        error: anyhow::Error,
    ) -> Result<Vec<String>> {
        match self.status_of(&change.experiment_id).await {
            Ok(Some(now)) if now == change.to.as_str() && self.made_by_another(change).await?.is_none() => {
                self.record(change, planned).await
            }
            Ok(_) => Err(error.context(format!(
                "{} -> {} was not made; nothing was written",
                change.from, change.to
            ))),
            Err(read) => Err(error.context(format!(
                "whether {} -> {} took effect is unknown (the status could not be read back: {read:#}); `courtside exp show {}` tells",
                change.from, change.to, change.experiment_id
            ))),
        }
    }

    /// The events of a change that took effect (exactly the experiment and
    /// its plan's archives): retried by the transport; when they still
    /// cannot be written, the error says the change stands without them.
    async fn record(&self, change: &Transition, planned: Vec<String>) -> Result<Vec<String>> {
        let mut events = vec![change.event()];
        events.extend(planned.iter().map(|id| change.archive_event(id)));
        if let Err(error) = self.insert_audit(&events).await {
            return Err(TransitionError::AuditMissing {
                experiment_id: change.experiment_id.clone(),
                to: change.to,
                archived: planned,
                cause: format!("{error:#}"),
            }
            .into());
        }
        Ok(planned)
    }

    /// When the audit trail's last event of the experiment already records
    /// the change (by someone else, or by us at another time), who made it.
    async fn made_by_another(&self, change: &Transition) -> Result<Option<TransitionError>> {
        // A trail that cannot be read (a registry kept without one) tells
        // nobody else made it.
        let trail = self
            .trail_of(&change.experiment_id)
            .await
            .unwrap_or_default();
        Ok(trail
            .last()
            .filter(|last| {
                last.to_status == change.to.as_str()
                    && last.at.timestamp_micros() != change.at.timestamp_micros()
            })
            .map(|last| TransitionError::AlreadyDone {
                to: change.to,
                actor: last.actor.clone().unwrap_or_else(|| "someone".to_string()),
                at: last.at.to_rfc3339(),
            }))
    }
}
