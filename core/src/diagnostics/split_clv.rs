//! Closing line value per splits row (metrics.md 13 with 18): which of the
//! window's bets with their closes a row of the Splits view stands for,
//! and its figures beside the row's hit rate.

use super::clv::figures;
use crate::config::Thresholds;
use crate::model::clv::ClvBetRow;
use crate::model::splits::{Dimension, SplitsReport};

/// One edge bucket of the splits: its label and `[low, high)`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeBucket {
    pub label: String,
    pub low: f64,
    pub high: Option<f64>,
}

/// The bets of a splits row: all of them, one direction, one book
/// (`unknown`: none named; the case of the name ignored, as the close's
/// book is), or one edge bucket; `None` for the dimensions the close does
/// not judge (line kind, confidence decile) and an edge label not known.
pub fn bets_of_bucket<'a>(
    dimension: Dimension,
    bucket: &str,
    bets: &'a [ClvBetRow],
    edges: &[EdgeBucket],
) -> Option<Vec<&'a ClvBetRow>> {
    let chosen = |keep: &dyn Fn(&ClvBetRow) -> bool| bets.iter().filter(|b| keep(b)).collect();
    match dimension {
        Dimension::All => Some(bets.iter().collect()),
        Dimension::Direction => {
            let over = bucket == "OVER";
            Some(chosen(&|b| b.over == over))
        }
        Dimension::Bookmaker => {
            let book = bucket.to_lowercase();
            Some(chosen(&|b| {
                b.book == book || (book == "unknown" && b.book.is_empty())
            }))
        }
        Dimension::Edge => {
            let edge = edges.iter().find(|edge| edge.label == bucket)?;
            Some(chosen(&|b| {
                b.edge >= edge.low - 1e-9 && edge.high.is_none_or(|high| b.edge < high - 1e-9)
            }))
        }
        Dimension::LineKind | Dimension::ConfidenceDecile => None,
    }
}

/// Fills each splits row's `clv` from the window's bets with their closes.
pub fn attach(
    report: &mut SplitsReport,
    bets: &[ClvBetRow],
    edges: &[EdgeBucket],
    thresholds: &Thresholds,
) {
    let break_even = thresholds.break_even();
    for row in &mut report.rows {
        row.clv = bets_of_bucket(row.dimension, &row.bucket, bets, edges)
            .map(|chosen| figures(&chosen, break_even));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::clv::BookClose;
    use chrono::NaiveDate;

    fn bet(over: bool, edge: f64, book: &str, close: f64) -> ClvBetRow {
        ClvBetRow {
            game_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            player_lookup: format!("p{edge}{book}{over}"),
            game_id: "g".to_string(),
            over,
            line: 10.5,
            edge,
            book: book.to_string(),
            closes: vec![BookClose {
                book: "draftkings".to_string(),
                line: close,
                over_price: None,
                under_price: None,
            }],
        }
    }

    #[test]
    fn each_row_takes_its_own_bets() {
        let bets = vec![
            bet(true, 3.2, "draftkings", 11.5),
            bet(false, 4.5, "draftkings", 10.0),
            bet(true, 6.0, "", 9.5),
        ];
        let edges = vec![
            EdgeBucket {
                label: "[3,4)".into(),
                low: 3.0,
                high: Some(4.0),
            },
            EdgeBucket {
                label: "[4,∞)".into(),
                low: 4.0,
                high: None,
            },
        ];
        let n = |dimension, bucket: &str| {
            bets_of_bucket(dimension, bucket, &bets, &edges).map(|chosen| chosen.len())
        };
        assert_eq!(n(Dimension::All, "all"), Some(3));
        assert_eq!(n(Dimension::Direction, "OVER"), Some(2));
        assert_eq!(n(Dimension::Direction, "UNDER"), Some(1));
        assert_eq!(n(Dimension::Bookmaker, "DRAFTKINGS"), Some(2));
        assert_eq!(n(Dimension::Bookmaker, "unknown"), Some(1));
        assert_eq!(n(Dimension::Edge, "[3,4)"), Some(1));
        assert_eq!(n(Dimension::Edge, "[4,∞)"), Some(2));
        assert_eq!(n(Dimension::Edge, "[9,10)"), None);
        assert_eq!(n(Dimension::LineKind, "actual"), None);
        // OVER at 10.5 closing 11.5 (+1.0) and 9.5 (-1.0).
        let over = bets_of_bucket(Dimension::Direction, "OVER", &bets, &edges).unwrap();
        let f = figures(&over, 0.5238);
        assert_eq!(f.mean_points, Some(0.0));
    }
}
