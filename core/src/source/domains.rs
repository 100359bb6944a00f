//! What a number may be, beyond its type: the range and decimals of each
//! NUMERIC(p, s) column as the contract declares it, and the domain of each
//! figure (a confidence score is 0-1, a decile 1-10, points and errors are
//! not negative, percentages 0-100). An import refuses a value outside them,
//! and a stored row holding one is skipped and named when read (on both
//! sources), so that `1e308` never becomes a 300-digit MAE and a false
//! alarm, whoever wrote it.

use super::tables::TableKind;

/// The values a numeric column may hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// NUMERIC(p, s): at most `s` decimals.
    pub decimals: Option<u32>,
    /// How the message names the domain.
    pub described: &'static str,
}

const fn numeric(precision: u32, scale: u32, min: Option<f64>, described: &'static str) -> Domain {
    // NUMERIC(p, s) holds |x| < 10^(p-s), at s decimals.
    let mut limit = 1.0;
    let mut digits = precision - scale;
    while digits > 0 {
        limit *= 10.0;
        digits -= 1;
    }
    let mut step = 1.0;
    let mut places = scale;
    while places > 0 {
        step /= 10.0;
        places -= 1;
    }
    Domain {
        min,
        max: Some(limit - step),
        decimals: Some(scale),
        described,
    }
}

const fn range(min: f64, max: f64, described: &'static str) -> Domain {
    Domain {
        min: Some(min),
        max: Some(max),
        decimals: None,
        described,
    }
}

const fn at_least_zero(described: &'static str) -> Domain {
    Domain {
        min: Some(0.0),
        max: None,
        decimals: None,
        described,
    }
}

/// Points of one player in one game: 0 to 100 (the record is 100).
const POINTS: Domain = Domain {
    max: Some(100.0),
    ..numeric(5, 1, Some(0.0), "NUMERIC(5,1) points, 0 to 100")
};
/// A points line: 0 to 80.
const LINE: Domain = Domain {
    max: Some(80.0),
    ..numeric(5, 1, Some(0.0), "NUMERIC(5,1) line, 0 to 80")
};
const SIGNED: Domain = numeric(5, 1, None, "NUMERIC(5,1)");
const MINUTES: Domain = Domain {
    max: Some(100.0),
    ..numeric(5, 1, Some(0.0), "NUMERIC(5,1) minutes, 0 to 100")
};
const PERCENT: Domain = range(0.0, 100.0, "a percentage, 0 to 100");
const COUNT: Domain = at_least_zero("a count, not negative");

/// The domain of `column` of `table`, when it has one beyond its type.
pub fn domain(table: TableKind, column: &str) -> Option<Domain> {
    use TableKind::*;
    Some(match (table, column) {
        (PredictionAccuracy | BacktestPredictions, "predicted_points") => POINTS,
        (PredictionAccuracy | BacktestPredictions, "line_value") => LINE,
        (PredictionAccuracy, "estimated_line_value") => LINE,
        (PredictionAccuracy, "absolute_error") => POINTS,
        (PredictionAccuracy, "signed_error" | "predicted_margin" | "actual_margin") => SIGNED,
        (PredictionAccuracy, "confidence_score") => Domain {
            min: Some(0.0),
            max: Some(1.0),
            ..numeric(4, 3, None, "NUMERIC(4,3), a confidence from 0 to 1")
        },
        (PredictionAccuracy, "confidence_decile") => range(1.0, 10.0, "a decile, 1 to 10"),
        (
            PredictionAccuracy | BacktestPredictions | PlayerGameSummary,
            "actual_points" | "points",
        ) => range(0.0, 100.0, "points, 0 to 100"),
        (PredictionAccuracy | PlayerGameSummary, "minutes_played") => MINUTES,
        (PredictionAccuracy, "feature_quality_score") => {
            range(0.0, 100.0, "a quality score, 0 to 100")
        }
        (FeatureStore, "feature_quality_score") => Domain {
            max: Some(100.0),
            ..numeric(
                5,
                2,
                Some(0.0),
                "NUMERIC(5,2), a quality score from 0 to 100",
            )
        },
        (PlayerGameSummary, "paint_attempts" | "mid_range_attempts" | "three_attempts_pbp") => {
            COUNT
        }
        (
            Diagnostics,
            "model_beats_vegas_pct"
            | "sharpness_score"
            | "hit_rate_7d"
            | "hit_rate_14d"
            | "hit_rate_30d"
            | "drift_score"
            | "shot_zone_completeness"
            | "hit_rate_baseline"
            | "feature_quality_avg",
        ) => PERCENT,
        (
            Diagnostics,
            "vegas_mae_tier1" | "vegas_mae_tier2" | "vegas_mae_tier3" | "model_mae"
            | "vegas_mae_baseline" | "predictions_made" | "predictions_graded" | "coverage"
            | "cusum_stat" | "cusum_threshold",
        ) => at_least_zero("not negative"),
        (Diagnostics, "cause_confidence") => range(0.0, 1.0, "a confidence from 0 to 1"),
        (Diagnostics, "missing_dates_7d") => {
            range(0.0, 7.0, "game dates of a 7-day window, 0 to 7")
        }
        _ => return None,
    })
}

/// Why `value` does not fit `domain` (`None`: it fits).
pub fn outside(domain: &Domain, value: f64) -> Option<String> {
    let shown = || {
        let text = value.to_string();
        if text.len() > 24 {
            format!("{value:e}")
        } else {
            text
        }
    };
    if domain.min.is_some_and(|min| value < min) || domain.max.is_some_and(|max| value > max) {
        return Some(format!(
            "{} is out of range ({})",
            shown(),
            domain.described
        ));
    }
    if let Some(places) = domain.decimals {
        let scaled = value * 10f64.powi(places as i32);
        if (scaled - scaled.round()).abs() > 1e-6 * scaled.abs().max(1.0) {
            return Some(format!(
                "{} has more than {places} decimal{} ({})",
                shown(),
                if places == 1 { "" } else { "s" },
                domain.described
            ));
        }
    }
    None
}

/// The stored columns whose domains a read checks: the ones a pass reads
/// (a value nothing reads cannot fake a figure).
pub const READ_CHECKED_PREDICTIONS: [&str; 5] = [
    "predicted_points",
    "actual_points",
    "line_value",
    "confidence_decile",
    "feature_quality_score",
];

/// `player_game_summary`'s columns a pass reads and checks.
pub const READ_CHECKED_PLAYER_GAMES: [&str; 5] = [
    "points",
    "minutes_played",
    "paint_attempts",
    "mid_range_attempts",
    "three_attempts_pbp",
];

/// The SQL condition "`column` is NULL or within its range" (both
/// dialects); the bounds are the constants above, never user input.
pub fn sql_within(table: TableKind, column: &str) -> String {
    let Some(domain) = domain(table, column) else {
        return "TRUE".to_string();
    };
    let mut parts = Vec::new();
    if let Some(min) = domain.min {
        parts.push(format!("{column} >= {min:?}"));
    }
    if let Some(max) = domain.max {
        parts.push(format!("{column} <= {max:?}"));
    }
    if parts.is_empty() {
        return "TRUE".to_string();
    }
    format!("({column} IS NULL OR ({}))", parts.join(" AND "))
}

/// The SQL condition "every one of `columns` is within its domain".
pub fn sql_all_within(table: TableKind, columns: &[&str]) -> String {
    columns
        .iter()
        .map(|column| sql_within(table, column))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The SQL expression naming the first of `columns` outside its domain
/// (NULL when every one is within): the column a skipped row is named by.
pub fn sql_first_outside(table: TableKind, columns: &[&str]) -> String {
    let arms: Vec<String> = columns
        .iter()
        .map(|column| format!("WHEN NOT {} THEN '{column}'", sql_within(table, column)))
        .collect();
    format!("CASE {} ELSE NULL END", arms.join(" "))
}

/// A stored number read for a pass: `None` when it is within its domain,
/// else why not.
pub fn stored_outside(table: TableKind, column: &str, value: f64) -> Option<String> {
    let domain = domain(table, column)?;
    let below = domain.min.is_some_and(|min| value < min);
    let above = domain.max.is_some_and(|max| value > max);
    // NaN compares false both ways: `is_finite` catches it.
    (below || above || !value.is_finite()).then(|| format!("out of range ({})", domain.described))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_columns_keep_their_declared_range_and_decimals() {
        let points = domain(TableKind::PredictionAccuracy, "predicted_points").unwrap();
        assert_eq!(points.max, Some(100.0));
        let line = domain(TableKind::PredictionAccuracy, "line_value").unwrap();
        assert!(outside(&line, 80.5).unwrap().contains("0 to 80"));
        assert_eq!(outside(&points, 24.5), None);
        assert!(outside(&points, 1e308).unwrap().contains("out of range"));
        assert!(outside(&points, -1.0).unwrap().contains("out of range"));
        assert!(
            outside(&points, 24.55)
                .unwrap()
                .contains("more than 1 decimal")
        );
        let confidence = domain(TableKind::PredictionAccuracy, "confidence_score").unwrap();
        assert_eq!(outside(&confidence, 0.875), None);
        assert!(outside(&confidence, 7.5).unwrap().contains("0 to 1"));
        let decile = domain(TableKind::PredictionAccuracy, "confidence_decile").unwrap();
        assert!(outside(&decile, 0.0).is_some() && outside(&decile, 10.0).is_none());
        assert_eq!(domain(TableKind::PredictionAccuracy, "player_lookup"), None);
    }

    #[test]
    fn stored_values_are_checked_for_range_not_decimals() {
        let table = TableKind::PredictionAccuracy;
        assert_eq!(stored_outside(table, "predicted_points", 24.55), None);
        assert!(stored_outside(table, "line_value", 1e308).is_some());
        assert!(stored_outside(table, "actual_points", 1_000_000.0).is_some());
        assert!(stored_outside(table, "predicted_points", -0.1).is_some());
        assert!(stored_outside(table, "predicted_points", f64::INFINITY).is_some());
        assert_eq!(
            sql_within(table, "line_value"),
            "(line_value IS NULL OR (line_value >= 0.0 AND line_value <= 80.0))"
        );
        assert!(sql_first_outside(table, &["line_value"]).starts_with("CASE WHEN NOT ("));
    }
}
