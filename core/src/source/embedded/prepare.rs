//! Leaving a store ready after a write: the day sums of every stored date
//! computed and kept (`materialized.rs`) by the command that wrote the rows,
//! so the first read after an import or a demo build, in any process and
//! with the page cache cold, reads kept sums instead of every row.

use super::store::EmbeddedStore;
use super::{aggregate, materialized};
use crate::config::Thresholds;
use crate::source::DayStatsQuery;
use anyhow::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What keeping the day sums found: the dates, and what the rows say of
/// themselves (metrics.md section 1, Rev. 3).
#[derive(Debug, Clone, PartialEq)]
pub struct KeptSums {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Rows of a bet left out for the one that counts.
    pub duplicate_rows: u64,
    /// Counted rows by `line_source` value no configured list names.
    pub unlisted_line_sources: BTreeMap<String, u64>,
}

impl EmbeddedStore {
    /// Computes and keeps the day sums of the stored prediction dates under
    /// `thresholds` (the dates kept already and unchanged are only read);
    /// the first and last date with what the rows say of themselves, or
    /// `None` for a store without predictions.
    /// Keeping is best effort, as on every read: a store busy for more than
    /// 50 ms or with unreadable rows is left to compute at its next read.
    pub fn keep_day_sums(&self, thresholds: &Thresholds) -> Result<Option<KeptSums>> {
        let connection = self.connect()?;
        let (first, last) =
            aggregate::stored_prediction_dates(&connection, self.dates.not_after())?;
        let parse = |text: Option<String>| {
            text.and_then(|text| {
                NaiveDate::parse_from_str(text.get(..10).unwrap_or(&text), "%Y-%m-%d").ok()
            })
        };
        let (Some(first), Some(last)) = (parse(first), parse(last)) else {
            return Ok(None);
        };
        if first > last {
            return Ok(None);
        }
        let query = DayStatsQuery::new(first, last, None, thresholds);
        let sums =
            materialized::day_sums(&connection, &query).map_err(|error| self.explained(error))?;
        let mut kept = KeptSums {
            first,
            last,
            duplicate_rows: 0,
            unlisted_line_sources: BTreeMap::new(),
        };
        for day in &sums.system_days {
            kept.duplicate_rows += day.duplicate_rows;
            for (value, rows) in &day.unknown_line_sources {
                *kept.unlisted_line_sources.entry(value.clone()).or_default() += rows;
            }
        }
        Ok(Some(kept))
    }
}
