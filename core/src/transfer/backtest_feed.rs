//! The backtest rows of an `exp import`, read twice and never held: once to
//! check every folder before anything is written (counting the rows), and
//! again, checked again, in batches while the source writes them (the
//! [`BacktestFeed`] a source reads). A file changed between the two reads is
//! refused: a row no longer passes, or the count differs.

use super::backtest_rows::{BacktestFiles, RowRules};
use super::error::Origin;
use crate::source::backtest_feed::{BACKTEST_BATCH, BacktestFeed};
use crate::source::canonical::CanonicalRow;
use anyhow::{Result, bail};

/// The backtest files of the experiments an import registers.
#[derive(Debug, Clone, PartialEq)]
pub struct FolderBacktests {
    /// Each experiment's files and the rows counted when they were checked.
    experiments: Vec<(BacktestFiles, usize)>,
    rules: RowRules,
}

impl FolderBacktests {
    /// The experiments' files (those without any are left out), not read yet.
    pub fn new(files: Vec<BacktestFiles>, rules: RowRules) -> FolderBacktests {
        FolderBacktests {
            experiments: files
                .into_iter()
                .filter(|files| !files.files.is_empty())
                .map(|files| (files, 0))
                .collect(),
            rules,
        }
    }

    /// Reads every experiment's rows once, checked, keeping only their
    /// counts; the first problem of each experiment, or nothing.
    pub fn check(&mut self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        for (files, counted) in &mut self.experiments {
            let mut ignore = |_: Origin, _: CanonicalRow| -> Result<()> { Ok(()) };
            match files.read(&self.rules, &mut ignore) {
                Ok(rows) => *counted = rows,
                Err(error) => problems.push(format!("{error:#}")),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The rows counted for `experiment_id` (0 without backtest files).
    pub fn rows_of(&self, experiment_id: &str) -> usize {
        self.experiments
            .iter()
            .find(|(files, _)| files.experiment_id == experiment_id)
            .map_or(0, |(_, counted)| *counted)
    }
}

impl BacktestFeed for FolderBacktests {
    fn read(
        &self,
        experiment_id: &str,
        batch: &mut dyn FnMut(Vec<CanonicalRow>) -> Result<()>,
    ) -> Result<usize> {
        let Some((files, counted)) = self
            .experiments
            .iter()
            .find(|(files, _)| files.experiment_id == experiment_id)
        else {
            return Ok(0);
        };
        let mut pending: Vec<CanonicalRow> = Vec::with_capacity(BACKTEST_BATCH);
        let mut collect = |_: Origin, row: CanonicalRow| -> Result<()> {
            pending.push(row);
            if pending.len() >= BACKTEST_BATCH {
                let full = std::mem::replace(&mut pending, Vec::with_capacity(BACKTEST_BATCH));
                batch(full)?;
            }
            Ok(())
        };
        let rows = files.read(&self.rules, &mut collect)?;
        if !pending.is_empty() {
            batch(pending)?;
        }
        if rows != *counted {
            bail!(
                "{}: {rows} backtest rows now, {counted} when they were checked: the files changed during the import",
                files
                    .files
                    .first()
                    .map_or_else(String::new, |(path, _)| path.display().to_string())
            );
        }
        Ok(rows)
    }
}
