//! The embedded pass's side of `source::one_bet`: which of two stored rows
//! of one bet counts, by the same order the SQL of both sources uses, so
//! the streaming pass keeps the row a `ROW_NUMBER()` would rank first.

use super::stored_rows::StoredBet;
use std::cmp::Ordering;

impl StoredBet {
    /// Whether `other` is a row of the same bet (player, game and system on
    /// the same date).
    pub fn same_bet(&self, other: &StoredBet) -> bool {
        self.day == other.day
            && self.game == other.game
            && self.player == other.player
            && self.system == other.system
    }

    /// Whether this row counts rather than `other` ([`crate::source::one_bet::ORDER`];
    /// a tie keeps `other`, the row read first).
    pub fn counts_before(&self, other: &StoredBet) -> bool {
        rank(self, other) == Ordering::Greater
    }
}

/// NULL below every number, as SQL orders them.
fn number(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// `Greater` when `a` comes first in the order of `one_bet::ORDER`.
fn rank(a: &StoredBet, b: &StoredBet) -> Ordering {
    b.superseded
        .cmp(&a.superseded)
        .then_with(|| a.graded_at.cmp(&b.graded_at))
        .then_with(|| number(a.line, b.line))
        .then_with(|| number(a.predicted, b.predicted))
        .then_with(|| number(a.actual, b.actual))
        .then_with(|| a.recommendation.cmp(&b.recommendation))
        .then_with(|| a.correct.cmp(&b.correct))
        .then_with(|| a.decile.cmp(&b.decile))
        .then_with(|| b.voided.cmp(&a.voided))
        .then_with(|| a.line_source.cmp(&b.line_source))
        .then_with(|| number(a.feature_quality, b.feature_quality))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(graded_at: &str, line: f64) -> StoredBet {
        StoredBet {
            graded_at: Some(graded_at.as_bytes().to_vec()),
            line: Some(line),
            ..StoredBet::default()
        }
    }

    #[test]
    fn the_latest_grading_then_the_greatest_line_counts() {
        let early = row("2026-01-15T10:00:00Z", 25.5);
        let late = row("2026-01-15T11:00:00Z", 20.5);
        assert!(late.counts_before(&early) && !early.counts_before(&late));
        let higher = row("2026-01-15T11:00:00Z", 21.5);
        assert!(higher.counts_before(&late));
        let ungraded = StoredBet {
            line: Some(40.0),
            ..StoredBet::default()
        };
        assert!(early.counts_before(&ungraded));
        let superseded = StoredBet {
            superseded: true,
            ..row("2026-01-16T00:00:00Z", 30.0)
        };
        assert!(early.counts_before(&superseded));
        assert!(
            !early.counts_before(&early.clone()),
            "a tie keeps the first"
        );
    }
}
