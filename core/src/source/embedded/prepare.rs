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

impl EmbeddedStore {
    /// Computes and keeps the day sums of the stored prediction dates under
    /// `thresholds` (the dates kept already and unchanged are only read);
    /// the first and last date, or `None` for a store without predictions.
    /// Keeping is best effort, as on every read: a store busy for more than
    /// 50 ms or with unreadable rows is left to compute at its next read.
    pub fn keep_day_sums(&self, thresholds: &Thresholds) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let connection = self.connect()?;
        let (first, last) = aggregate::stored_prediction_dates(&connection)?;
        let parse = |text: Option<String>| {
            text.and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
        };
        let (Some(first), Some(last)) = (parse(first), parse(last)) else {
            return Ok(None);
        };
        if first > last {
            return Ok(None);
        }
        let query = DayStatsQuery::new(first, last, None, thresholds);
        materialized::day_sums(&connection, &query).map_err(|error| self.explained(error))?;
        Ok(Some((first, last)))
    }
}
