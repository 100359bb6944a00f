//! What BigQuery bills an open dashboard: the last refresh's estimate and
//! the day's total (UTC days, as BigQuery's quotas count them), from the
//! source's running count of every query the dashboard sent.

use chrono::NaiveDate;

/// The running count as of the start of the day and now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BillingDay {
    date: Option<NaiveDate>,
    at_start: u64,
    now: u64,
}

impl BillingDay {
    /// Takes the source's running count `billed` read on `today`.
    pub fn observe(&mut self, billed: u64, today: NaiveDate) {
        if self.date != Some(today) {
            // A new day starts from what was counted by its first refresh's
            // eve: the last count of the day before (zero on the first).
            self.at_start = if self.date.is_some() { self.now } else { 0 };
            self.date = Some(today);
        }
        self.now = billed.max(self.at_start);
    }

    /// Bytes billed today so far.
    pub fn today(&self) -> u64 {
        self.now - self.at_start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_total_counts_from_the_last_count_of_the_day_before() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let mut billing = BillingDay::default();
        billing.observe(30, day(7));
        billing.observe(50, day(7));
        assert_eq!(billing.today(), 50);
        billing.observe(70, day(8));
        assert_eq!(billing.today(), 20);
    }
}
