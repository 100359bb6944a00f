//! The backtest rows `exp import` registers, handed to a source as a feed
//! it reads in batches while it writes, never all at once: a registration
//! of any size runs in flat memory. The feed reads and checks the files
//! again as it goes (see `transfer::backtest_feed`); an error stops the
//! registration (on the embedded store, nothing is written).

use crate::source::canonical::CanonicalRow;
use anyhow::Result;

/// Rows per batch a feed hands on.
pub const BACKTEST_BATCH: usize = 5_000;

/// Where the backtest rows of the experiments being registered come from.
pub trait BacktestFeed: Send + Sync {
    /// Reads the backtest rows of `experiment_id` (canonical rows of
    /// `backtest_predictions`, the id filled in), calling `batch` with at
    /// most [`BACKTEST_BATCH`] rows at a time, in order. Returns how many
    /// rows there were.
    fn read(
        &self,
        experiment_id: &str,
        batch: &mut dyn FnMut(Vec<CanonicalRow>) -> Result<()>,
    ) -> Result<usize>;
}

/// A feed without rows (experiments registered without a backtest).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBacktest;

impl BacktestFeed for NoBacktest {
    fn read(
        &self,
        _experiment_id: &str,
        _batch: &mut dyn FnMut(Vec<CanonicalRow>) -> Result<()>,
    ) -> Result<usize> {
        Ok(0)
    }
}
