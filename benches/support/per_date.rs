//! The older per-date method the team's Python diagnostics used: for each
//! system and date, four queries, each reading its own window again. Kept to
//! measure what one pass over the rows saves.

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

/// The per-date method for one system and date: four queries, each reading
/// its own window again (7-day hit rate, 14-day beats-Vegas and MAE, 30-day
/// hit rate, the 60-day baseline).
pub fn per_date(connection: &Connection, system: &str, day: NaiveDate) -> [f64; 4] {
    let window = |days: u64| ((day - Days::new(days - 1)).to_string(), day.to_string());
    let hit_rate = |days: u64| -> f64 {
        let (from, to) = window(days);
        connection
            .query_row(
                "SELECT SUM(CASE WHEN prediction_correct = 1 THEN 1 ELSE 0 END), COUNT(*)
                 FROM prediction_accuracy
                 WHERE system_id = ?1 AND game_date BETWEEN ?2 AND ?3
                   AND COALESCE(is_voided, 0) = 0 AND COALESCE(is_superseded_prediction, 0) = 0
                   AND recommendation IN ('OVER', 'UNDER') AND prediction_correct IS NOT NULL
                   AND ABS(predicted_points - line_value) >= 3.0",
                params![system, from, to],
                |row| {
                    let hits: Option<f64> = row.get(0)?;
                    let bets: f64 = row.get(1)?;
                    Ok(hits.unwrap_or(0.0) / bets.max(1.0))
                },
            )
            .expect("per-date hit rate")
    };
    let (from, to) = window(14);
    let sharpness: f64 = connection
        .query_row(
            "SELECT AVG(CASE WHEN ROUND(ABS(predicted_points - actual_points), 1)
                               < ROUND(ABS(line_value - actual_points), 1) THEN 1.0 ELSE 0.0 END)
                    + AVG(ABS(predicted_points - actual_points))
             FROM prediction_accuracy
             WHERE system_id = ?1 AND game_date BETWEEN ?2 AND ?3
               AND COALESCE(is_voided, 0) = 0 AND line_source = 'ACTUAL_PROP'",
            params![system, from, to],
            |row| Ok(row.get::<_, Option<f64>>(0)?.unwrap_or(0.0)),
        )
        .expect("per-date sharpness");
    let base_from = (day - Days::new(73)).to_string();
    let base_to = (day - Days::new(14)).to_string();
    let baseline: f64 = connection
        .query_row(
            "SELECT AVG(ABS(predicted_points - actual_points)) FROM prediction_accuracy
             WHERE system_id = ?1 AND game_date BETWEEN ?2 AND ?3
               AND COALESCE(is_voided, 0) = 0",
            params![system, base_from, base_to],
            |row| Ok(row.get::<_, Option<f64>>(0)?.unwrap_or(0.0)),
        )
        .expect("per-date baseline");
    [hit_rate(7), sharpness, hit_rate(30), baseline]
}

/// The per-date method over every date of `from ..= to` for `systems`: a
/// checksum of the figures, so the work cannot be skipped.
pub fn backfill(connection: &Connection, systems: &[&str], from: NaiveDate, to: NaiveDate) -> f64 {
    let mut sum = 0.0;
    for system in systems {
        for day in from.iter_days().take_while(|d| *d <= to) {
            sum += per_date(connection, system, day).iter().sum::<f64>();
        }
    }
    sum
}
