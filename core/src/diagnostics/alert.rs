//! Alert level (first matching condition wins; `unknown` when nothing fired
//! and an input could not be evaluated), the alert message and the
//! recommendations that follow the level (metrics.md section 8, Rev. 2).

use crate::config::Thresholds;
use crate::model::{AlertLevel, CauseReport, PrimaryCause};

/// A CUSUM alarm, with the figures its message names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CusumAlarm {
    pub stat: f64,
    pub threshold: f64,
    pub arl0_bets: f64,
}

/// A day on which the system made far fewer predictions than usual.
#[derive(Debug, Clone, PartialEq)]
pub struct LowCoverage {
    pub system: String,
    pub game_date: chrono::NaiveDate,
    pub coverage: f64,
    pub predictions_made: u64,
    pub player_games: u64,
    pub usual_made: f64,
}

/// The inputs of the alert conditions; a condition on `None` is false.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertInputs {
    /// Beats-Vegas over 14 days, only with at least `min_bets` actual-line rows.
    pub beats_vegas_pct: Option<f64>,
    pub beats_vegas_n: u64,
    /// The 7-day hit rate, only when the week has at least `min_bets` bets.
    pub hit_rate_7d_pct: Option<f64>,
    pub bets_7d: u64,
    pub drift_score: Option<f64>,
    /// Shot-zone completeness, only with at least `min_bets` player-games.
    pub shot_zone_completeness: Option<f64>,
    pub player_games_7d: u64,
    /// The CUSUM alarmed on the date.
    pub cusum_alarm: Option<CusumAlarm>,
    /// Coverage below one half on a game date.
    pub low_coverage: Option<LowCoverage>,
    /// Not predicted, not graded, no lines or no graded rows on the date
    /// (metrics.md section 5b, Rev. 3): a warning.
    pub coverage_finding: Option<crate::model::detector::CoverageFinding>,
}

/// `[UNKNOWN] not evaluated: …` when no rule fired and an input of the
/// rules could not be evaluated: each such input with its n and what it needs.
pub fn not_evaluated(inputs: &AlertInputs, thresholds: &Thresholds) -> Vec<String> {
    let need = thresholds.min_bets();
    let mut missing = Vec::new();
    if inputs.hit_rate_7d_pct.is_none() {
        missing.push(format!(
            "7-day hit rate (n={} bets, needs {need})",
            inputs.bets_7d
        ));
    }
    if inputs.beats_vegas_pct.is_none() {
        missing.push(format!(
            "beats-Vegas over 14 days (n={} actual-line rows, needs {need})",
            inputs.beats_vegas_n
        ));
    }
    if inputs.shot_zone_completeness.is_none() {
        missing.push(format!(
            "shot-zone completeness (n={} player-games in 7 days, needs {need})",
            inputs.player_games_7d
        ));
    }
    missing
}

/// The level and the conditions that fired at that level, in words with numbers.
pub fn alert_level(inputs: &AlertInputs, thresholds: &Thresholds) -> (AlertLevel, Vec<String>) {
    let beats = inputs.beats_vegas_pct;
    let hit = inputs.hit_rate_7d_pct;
    let beats_below = |limit: f64| {
        beats.filter(|value| *value < limit).map(|value| {
            format!(
                "beats-Vegas {value:.1}% < {limit} (n={})",
                inputs.beats_vegas_n
            )
        })
    };
    let hit_below = |limit: f64, label: &str| {
        hit.filter(|value| *value < limit).map(|value| {
            format!(
                "7-day hit rate {value:.1}% < {label} (n={})",
                inputs.bets_7d
            )
        })
    };

    let critical: Vec<String> = match (
        beats_below(thresholds.beats_vegas_critical.get()),
        hit_below(
            thresholds.hit_rate_critical.get(),
            &thresholds.hit_rate_critical.get().to_string(),
        ),
    ) {
        (Some(beats), Some(hit)) => vec![beats, hit],
        _ => Vec::new(),
    };
    if !critical.is_empty() {
        return (AlertLevel::Critical, critical);
    }

    let drift_warning = thresholds.drift_warning.get();
    let completeness_warning = thresholds.completeness_warning.get();
    let warning: Vec<String> = [
        inputs
            .coverage_finding
            .as_ref()
            .map(|found| found.message.clone()),
        inputs.low_coverage.as_ref().map(|low| {
            format!(
                "coverage {:.2} < 0.5: {} has {} graded rows on {}, a game date with {} player-games; usually {:.0}",
                low.coverage,
                low.system,
                low.predictions_made,
                low.game_date,
                low.player_games,
                low.usual_made
            )
        }),
        inputs.cusum_alarm.map(|alarm| {
            format!(
                "CUSUM alarm: S = {:.2} >= h = {:.2} (about one false alarm per {} bets when healthy)",
                alarm.stat,
                alarm.threshold,
                crate::format::about(alarm.arl0_bets)
            )
        }),
        beats_below(thresholds.beats_vegas_warning.get()),
        inputs
            .drift_score
            .filter(|score| *score >= drift_warning)
            .map(|score| format!("drift score {score:.0} >= {drift_warning}")),
        inputs
            .shot_zone_completeness
            .filter(|value| *value < completeness_warning)
            .map(|value| format!("shot-zone completeness {value:.1}% < {completeness_warning}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !warning.is_empty() {
        return (AlertLevel::Warning, warning);
    }

    let break_even = thresholds.break_even_pct();
    let info: Vec<String> = [
        beats_below(thresholds.beats_vegas_info.get()),
        hit_below(break_even, &format!("break-even {break_even:.1}%")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !info.is_empty() {
        return (AlertLevel::Info, info);
    }
    let missing = not_evaluated(inputs, thresholds);
    if !missing.is_empty() {
        return (AlertLevel::Unknown, missing);
    }
    (AlertLevel::Healthy, Vec::new())
}

/// `"[LEVEL] <what fired>; primary cause: <cause> (confidence: <c>)"`,
/// `"[UNKNOWN] not evaluated: <inputs>"`, `None` when healthy.
pub fn alert_message(level: AlertLevel, fired: &[String], cause: &CauseReport) -> Option<String> {
    if level == AlertLevel::Healthy {
        return None;
    }
    if level == AlertLevel::Unknown {
        return Some(format!("[UNKNOWN] not evaluated: {}", fired.join("; ")));
    }
    let confidence = cause
        .cause_confidence
        .map_or_else(|| "n/a".to_string(), |c| format!("{c:.2}"));
    Some(format!(
        "[{}] {}; primary cause: {} (confidence: {confidence})",
        level.as_str().to_ascii_uppercase(),
        fired.join("; "),
        cause.primary_cause
    ))
}

/// What to do, by level and cause.
pub fn recommendations(
    level: AlertLevel,
    cause: &CauseReport,
    inputs: &AlertInputs,
    thresholds: &Thresholds,
) -> Vec<String> {
    let edge = thresholds.edge_threshold.get();
    let mut advice = Vec::new();
    match level {
        AlertLevel::Critical | AlertLevel::Emergency => {
            advice.push(format!(
                "Pause betting, or raise the edge threshold above {edge:.1}, until beats-Vegas and the 7-day hit rate recover"
            ));
            advice.push(
                "Check line accuracy by player tier (Sharpness tab) before resuming".to_string(),
            );
        }
        AlertLevel::Warning => {
            let sharp = inputs
                .beats_vegas_pct
                .is_some_and(|beats| beats < thresholds.beats_vegas_warning.get());
            if sharp || cause.primary_cause == PrimaryCause::VegasSharpness {
                advice.push(format!(
                    "Raise the edge threshold to 5+ (now {edge:.1}): the market is sharper than usual"
                ));
                advice
                    .push("Favour Rotation and Bench players, where lines stay softer".to_string());
            }
            let quality = inputs
                .shot_zone_completeness
                .is_some_and(|value| value < thresholds.completeness_warning.get());
            // A coverage gap is its own data problem: the feed advice is for
            // the features, given only when they are what is short.
            if quality
                || (cause.primary_cause == PrimaryCause::DataQuality
                    && inputs.coverage_finding.is_none())
            {
                advice.push(
                    "Check the upstream shot-zone feed before trusting today's features"
                        .to_string(),
                );
            }
            if cause.primary_cause == PrimaryCause::ModelDrift {
                advice.push(
                    "Look at the drift tab: compare the bias and MAE with the baseline; consider retraining on recent data"
                        .to_string(),
                );
            }
        }
        AlertLevel::Info => {
            advice.push("No action needed yet: watch the trend over the next days".to_string());
        }
        AlertLevel::Unknown => {
            advice.push(
                "No verdict: wait for more graded games, or check that predictions and player-games are arriving"
                    .to_string(),
            );
        }
        AlertLevel::Healthy => {}
    }
    if let Some(found) = &inputs.coverage_finding {
        use crate::model::detector::GapKind;
        let first = match found.kind {
            GapKind::NotPredicted => {
                "Check the prediction job first: player_prop_predictions has no active prediction of this system for the date while games were scheduled"
            }
            GapKind::NotGraded => {
                "Re-run grading for the date: the predictions were made and the games are final, but prediction_accuracy lacks them"
            }
            GapKind::NoLines => {
                "Check the line feed (odds_api_player_points_props): no prediction had a line, so no bets were possible"
            }
            GapKind::NoGradedRows => {
                "Check the prediction and grading jobs: the date has games and no graded rows (configure player_prop_predictions and the schedule to tell which)"
            }
            GapKind::NotRunning => "",
        };
        if !first.is_empty() {
            advice.insert(0, first.to_string());
        }
    } else if inputs.low_coverage.is_some() {
        advice.insert(
            0,
            "Check the prediction pipeline first: this system made far fewer predictions than usual on a game date"
                .to_string(),
        );
    }
    if cause.primary_cause == PrimaryCause::SampleSize && level != AlertLevel::Healthy {
        advice.push(format!(
            "Too few bets this week for a verdict (need {}): wait for more graded games",
            thresholds.min_bets()
        ));
    }
    advice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thresholds() -> Thresholds {
        Thresholds::default()
    }

    fn level(inputs: AlertInputs) -> AlertLevel {
        alert_level(&inputs, &thresholds()).0
    }

    #[test]
    fn first_match_wins() {
        let critical = AlertInputs {
            beats_vegas_pct: Some(41.0),
            hit_rate_7d_pct: Some(49.0),
            drift_score: Some(100.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(critical), AlertLevel::Critical);
        // mbv < 42 alone is a warning (mbv < 45).
        let warning = AlertInputs {
            beats_vegas_pct: Some(41.0),
            hit_rate_7d_pct: Some(55.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(warning), AlertLevel::Warning);
        let info = AlertInputs {
            beats_vegas_pct: Some(48.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(info), AlertLevel::Info);
        let info_hit = AlertInputs {
            beats_vegas_pct: Some(55.0),
            hit_rate_7d_pct: Some(52.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(info_hit), AlertLevel::Info);
        let healthy = AlertInputs {
            beats_vegas_pct: Some(55.0),
            hit_rate_7d_pct: Some(52.4),
            drift_score: Some(25.0),
            shot_zone_completeness: Some(70.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(healthy), AlertLevel::Healthy);
    }

    #[test]
    fn conditions_on_nulls_are_false() {
        // Rev. 2: nothing evaluated is `unknown`, never `healthy`.
        assert_eq!(level(AlertInputs::default()), AlertLevel::Unknown);
        // Critical needs both; a missing hit rate leaves only the warning.
        let inputs = AlertInputs {
            beats_vegas_pct: Some(30.0),
            ..AlertInputs::default()
        };
        assert_eq!(level(inputs), AlertLevel::Warning);
    }

    #[test]
    fn message_names_level_numbers_and_cause() {
        let inputs = AlertInputs {
            beats_vegas_pct: Some(43.25),
            beats_vegas_n: 900,
            ..AlertInputs::default()
        };
        let (level, fired) = alert_level(&inputs, &thresholds());
        let cause = CauseReport {
            primary_cause: PrimaryCause::VegasSharpness,
            cause_confidence: Some(0.5),
            contributing_factors: None,
        };
        let message = alert_message(level, &fired, &cause).unwrap();
        assert_eq!(
            message,
            "[WARNING] beats-Vegas 43.2% < 45 (n=900); primary cause: vegas_sharpness (confidence: 0.50)"
        );
        assert_eq!(alert_message(AlertLevel::Healthy, &[], &cause), None);
        let advice = recommendations(level, &cause, &inputs, &thresholds());
        assert!(advice.iter().any(|line| line.contains("5+")), "{advice:?}");
    }
}
