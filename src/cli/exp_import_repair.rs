//! `exp import` run again over an experiment an earlier import left
//! incomplete (registered, its backtest rows not stored: a version that
//! wrote the registry row first and failed after it): the rows are added
//! from the folder, all or none. Stored rows that differ in number from the
//! folder's are reported, never changed.

use crate::format::terminal_safe as safe;
use crate::source::Source;
use crate::transfer::backtest_feed::FolderBacktests;
use crate::transfer::experiment_dirs::Plan;
use anyhow::Result;
use std::sync::Arc;

/// What a rerun found of one registered experiment's backtest rows.
pub struct Unfinished {
    pub name: String,
    pub experiment_id: String,
    /// Rows in the folder.
    pub rows: usize,
    /// Rows stored.
    pub stored: u64,
}

impl Unfinished {
    /// No row stored: the folder's complete it.
    pub fn completable(&self) -> bool {
        self.stored == 0
    }

    pub fn line(&self, dry_run: bool) -> String {
        let name = safe(&self.name);
        match (self.completable(), dry_run) {
            (true, true) => format!(
                "would complete {name}: none of its {} backtest rows is stored (an earlier import stopped)",
                self.rows
            ),
            (true, false) => format!(
                "completed {name}: added the {} backtest rows an earlier import left out",
                self.rows
            ),
            (false, _) => format!(
                "warning: {name} has {} backtest rows stored where its folder has {}; left as it is (archive it and import the folder under a new name to replace them)",
                self.stored, self.rows
            ),
        }
    }
}

/// The unchanged experiments whose stored backtest rows are not the
/// folder's.
pub async fn find(
    source: &dyn Source,
    plans: &[Plan],
    backtests: &FolderBacktests,
) -> Result<Vec<Unfinished>> {
    let mut found = Vec::new();
    for plan in plans {
        let Plan::Unchanged {
            name,
            experiment_id,
            backtest,
        } = plan
        else {
            continue;
        };
        let rows = backtests.rows_of(experiment_id);
        if rows == 0 {
            continue;
        }
        let stored = source
            .backtest_row_count(experiment_id, backtest.evaluation)
            .await?;
        if stored != rows as u64 {
            found.push(Unfinished {
                name: name.clone(),
                experiment_id: experiment_id.clone(),
                rows,
                stored,
            });
        }
    }
    Ok(found)
}

/// Adds the rows of each completable experiment; the lines to say.
pub async fn complete(
    source: &dyn Source,
    unfinished: &[Unfinished],
    backtests: &Arc<FolderBacktests>,
) -> Result<Vec<String>> {
    let mut said = Vec::new();
    for experiment in unfinished {
        if experiment.completable() {
            source
                .add_backtest(&experiment.experiment_id, backtests.clone())
                .await?;
        }
        said.push(experiment.line(false));
    }
    Ok(said)
}
