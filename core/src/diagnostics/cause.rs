//! Root-cause attribution: weighted rules per cause, the tie-break order, the
//! confidence, and the sample-size guard (metrics.md section 7).

use super::alert::{CusumAlarm, LowCoverage};
use crate::config::Thresholds;
use crate::model::detector::MissingDate;
use crate::model::{CauseReport, Factor, PrimaryCause};
use crate::stats::round_to;

/// The inputs of the rules; `None` means missing or too small a sample, and a
/// rule whose input is `None` does not fire.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CauseInputs {
    pub beats_vegas_pct: Option<f64>,
    pub beats_vegas_baseline_pct: Option<f64>,
    pub drift_score: Option<f64>,
    pub hit_rate_7d_pct: Option<f64>,
    /// Whether the 7-day window has at least `min_bets` bets.
    pub week_is_sufficient: bool,
    pub model_mae: Option<f64>,
    pub shot_zone_completeness: Option<f64>,
    pub avg_paint_rate: Option<f64>,
    /// Coverage below one half on a game date (section 5b).
    pub low_coverage: Option<LowCoverage>,
    /// Not predicted, not graded, no lines or no graded rows on the date
    /// (metrics.md section 5b, Rev. 3).
    pub coverage_finding: Option<crate::model::detector::CoverageFinding>,
    /// The date diagnosed: its own gap is the finding, not a missing date.
    pub finding_date: Option<chrono::NaiveDate>,
    /// Game dates of the 7-day window with no predictions (section 5b).
    pub missing_dates_7d: Vec<MissingDate>,
    /// The CUSUM alarmed (section 11).
    pub cusum_alarm: Option<CusumAlarm>,
    /// Stored rows left out for a value that does not read or is out of range, with their share
    /// of the rows read.
    pub skipped_rows: Option<SkippedShare>,
    /// Rows of a bet left out in the 7-day window (metrics.md section 1,
    /// Rev. 3), with their share of the window's rows.
    pub duplicate_rows: Option<RowShare>,
    /// Rows of the 7-day window whose `line_source` no list names, by value,
    /// with their share of the window's bets.
    pub unknown_line_sources: Option<UnlistedSources>,
}

/// A count of rows and its share of the rows it is out of.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowShare {
    pub count: u64,
    pub share: f64,
}

/// Unlisted `line_source` values with their counts, and their share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnlistedSources {
    /// `(value, rows)`, by value.
    pub values: Vec<(String, u64)>,
    pub share: f64,
}

/// The weight of a data-quality finding about stored rows: 0.5 from
/// [`SKIPPED_SHARE_CAUSE`] of the rows on, else 0.2 (a named factor that
/// alone stays below the 0.3 a cause needs).
fn row_finding_weight(share: f64) -> f64 {
    if share >= SKIPPED_SHARE_CAUSE {
        0.5
    } else {
        0.2
    }
}

/// How many stored rows a fetch left out, of which tables, and their share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SkippedShare {
    pub count: u64,
    /// Each table with its count (`prediction_accuracy 12`).
    pub tables: Vec<String>,
    /// `count / (count + rows counted)`.
    pub share: f64,
}

/// A share of skipped rows at or above this makes the skipped rows a cause
/// on their own (0.5); below it they are a named factor (0.2) that alone
/// stays below the 0.3 a cause needs.
pub const SKIPPED_SHARE_CAUSE: f64 = 0.05;

/// Ties go to the first cause in this order: check the pipeline before blaming the model.
const TIE_BREAK_ORDER: [PrimaryCause; 3] = [
    PrimaryCause::DataQuality,
    PrimaryCause::VegasSharpness,
    PrimaryCause::ModelDrift,
];

/// Every rule that fires, with its weight and the numbers behind it.
pub fn fired_factors(inputs: &CauseInputs, thresholds: &Thresholds) -> Vec<Factor> {
    let mut factors = Vec::new();
    let mut fire = |factor: PrimaryCause, contribution: f64, details: String| {
        factors.push(Factor {
            factor,
            contribution,
            details,
        })
    };
    let critical = thresholds.beats_vegas_critical.get();
    let warning = thresholds.beats_vegas_warning.get();
    if let Some(beats) = inputs.beats_vegas_pct {
        if beats < critical {
            fire(
                PrimaryCause::VegasSharpness,
                0.5,
                format!("model beats Vegas on {beats:.1}% of actual lines (< {critical})"),
            );
        } else if beats < warning {
            fire(
                PrimaryCause::VegasSharpness,
                0.3,
                format!("model beats Vegas on {beats:.1}% of actual lines (< {warning})"),
            );
        }
    }
    if let (Some(beats), Some(baseline)) = (inputs.beats_vegas_pct, inputs.beats_vegas_baseline_pct)
    {
        let drop = thresholds.beats_vegas_drop.get();
        if baseline - beats > drop {
            fire(
                PrimaryCause::VegasSharpness,
                0.2,
                format!(
                    "beats-Vegas fell {:.1} points from its baseline {baseline:.1}% to {beats:.1}% (> {drop})",
                    baseline - beats
                ),
            );
        }
    }
    if let Some(alarm) = &inputs.cusum_alarm {
        fire(
            PrimaryCause::ModelDrift,
            0.4,
            format!(
                "CUSUM alarm: S = {:.2} reached h = {:.2} (about one false alarm per {} bets when healthy)",
                alarm.stat,
                alarm.threshold,
                crate::format::about(alarm.arl0_bets)
            ),
        );
    }
    if let Some(low) = &inputs.low_coverage {
        fire(
            PrimaryCause::DataQuality,
            0.5,
            format!(
                "{} has {} graded rows on {}, a game date with {} player-games; usually {:.0}",
                low.system, low.predictions_made, low.game_date, low.player_games, low.usual_made
            ),
        );
    }
    if let Some(found) = &inputs.coverage_finding {
        fire(
            PrimaryCause::DataQuality,
            found.weight,
            found.message.clone(),
        );
    }
    let others: Vec<&MissingDate> = inputs
        .missing_dates_7d
        .iter()
        .filter(|day| {
            inputs
                .coverage_finding
                .as_ref()
                .is_none_or(|_| Some(day.game_date) != inputs.finding_date)
        })
        .collect();
    if !others.is_empty() {
        let dates: Vec<String> = others
            .iter()
            .map(|day| {
                format!(
                    "{} ({}, {} player-games)",
                    day.game_date,
                    day.kind.as_str(),
                    day.player_games
                )
            })
            .collect();
        fire(
            PrimaryCause::DataQuality,
            0.3,
            format!(
                "{} game date{} of the last 7 days without graded rows: {}",
                dates.len(),
                if dates.len() == 1 { "" } else { "s" },
                dates.join(", ")
            ),
        );
    }
    if let Some(duplicates) = &inputs.duplicate_rows {
        fire(
            PrimaryCause::DataQuality,
            row_finding_weight(duplicates.share),
            format!(
                "{} duplicate row{} of a bet left out in the last 7 days (one row per player, game and system counts; {:.1}% of the rows)",
                crate::format::count(duplicates.count),
                if duplicates.count == 1 { "" } else { "s" },
                100.0 * duplicates.share
            ),
        );
    }
    if let Some(unlisted) = &inputs.unknown_line_sources {
        let values: Vec<String> = unlisted
            .values
            .iter()
            .map(|(value, rows)| format!("{value} ({})", crate::format::count(*rows)))
            .collect();
        fire(
            PrimaryCause::DataQuality,
            row_finding_weight(unlisted.share),
            format!(
                "line_source values no line_sources list names, left out of every line-kind figure: {}; {:.1}% of the last 7 days' rows",
                values.join(", "),
                100.0 * unlisted.share
            ),
        );
    }
    if let Some(skipped) = &inputs.skipped_rows {
        fire(
            PrimaryCause::DataQuality,
            row_finding_weight(skipped.share),
            format!(
                "{} stored row{} left out for a value that does not read or is out of range ({}); {:.1}% of the rows read",
                crate::format::count(skipped.count),
                if skipped.count == 1 { "" } else { "s" },
                skipped.tables.join(", "),
                100.0 * skipped.share
            ),
        );
    }
    let drift_warning = thresholds.drift_warning.get();
    if let Some(score) = inputs.drift_score.filter(|score| *score >= drift_warning) {
        fire(
            PrimaryCause::ModelDrift,
            0.4,
            format!("drift score {score:.0} (>= {drift_warning})"),
        );
    }
    let hit_critical = thresholds.hit_rate_critical.get();
    if let Some(hit) = inputs
        .hit_rate_7d_pct
        .filter(|hit| inputs.week_is_sufficient && *hit < hit_critical)
    {
        fire(
            PrimaryCause::ModelDrift,
            0.2,
            format!("7-day hit rate {hit:.1}% (< {hit_critical})"),
        );
    }
    let mae_warning = thresholds.mae_warning.get();
    if let Some(mae) = inputs.model_mae.filter(|mae| *mae > mae_warning) {
        fire(
            PrimaryCause::ModelDrift,
            0.2,
            format!("model MAE {mae:.2} (> {mae_warning})"),
        );
    }
    let (complete_critical, complete_warning) = (
        thresholds.completeness_critical.get(),
        thresholds.completeness_warning.get(),
    );
    if let Some(completeness) = inputs.shot_zone_completeness {
        if completeness < complete_critical {
            fire(
                PrimaryCause::DataQuality,
                0.5,
                format!("shot-zone completeness {completeness:.1}% (< {complete_critical})"),
            );
        } else if completeness < complete_warning {
            fire(
                PrimaryCause::DataQuality,
                0.3,
                format!("shot-zone completeness {completeness:.1}% (< {complete_warning})"),
            );
        }
    }
    let (paint_min, paint_max) = (
        thresholds.paint_rate_min.get(),
        thresholds.paint_rate_max.get(),
    );
    if let Some(paint) = inputs
        .avg_paint_rate
        .filter(|paint| *paint < paint_min || *paint > paint_max)
    {
        fire(
            PrimaryCause::DataQuality,
            0.2,
            format!("average paint rate {paint:.1}% (outside {paint_min}-{paint_max})"),
        );
    }
    factors
}

/// Picks the primary cause and its confidence from the fired factors.
pub fn attribute(inputs: &CauseInputs, thresholds: &Thresholds) -> CauseReport {
    let factors = fired_factors(inputs, thresholds);
    let total = |cause: PrimaryCause| -> f64 {
        factors
            .iter()
            .filter(|factor| factor.factor == cause)
            .map(|factor| factor.contribution)
            .sum()
    };
    let totals: Vec<(PrimaryCause, f64)> = TIE_BREAK_ORDER
        .iter()
        .map(|&cause| (cause, total(cause)))
        .collect();
    let winner = pick_winner(&totals);

    let cannot_support_verdict = !inputs.week_is_sufficient;
    match winner {
        None if cannot_support_verdict => CauseReport {
            primary_cause: PrimaryCause::SampleSize,
            cause_confidence: None,
            contributing_factors: None,
        },
        None => CauseReport {
            primary_cause: PrimaryCause::None,
            cause_confidence: None,
            contributing_factors: None,
        },
        Some((cause, best_total)) => {
            let bonus = if factors.len() > 3 { 0.1 } else { 0.0 };
            let confidence = (best_total.min(1.0) + bonus).min(1.0);
            // Rev. 2: a sample-size verdict states no confidence; its factors stay.
            let (primary_cause, cause_confidence) =
                if cause == PrimaryCause::ModelDrift && cannot_support_verdict {
                    (PrimaryCause::SampleSize, None)
                } else if best_total < 0.3 - 1e-12 {
                    (PrimaryCause::NormalVariance, Some(0.5))
                } else {
                    (cause, Some(confidence))
                };
            CauseReport {
                primary_cause,
                cause_confidence: cause_confidence.map(|c| round_to(c, 4)),
                contributing_factors: Some(factors),
            }
        }
    }
}

/// The cause with the highest positive total; among equal totals (to 1e-9), the
/// one first in `TIE_BREAK_ORDER`.
fn pick_winner(totals: &[(PrimaryCause, f64)]) -> Option<(PrimaryCause, f64)> {
    let rank = |cause: PrimaryCause| TIE_BREAK_ORDER.iter().position(|c| *c == cause);
    let mut ordered: Vec<(PrimaryCause, f64)> = totals
        .iter()
        .copied()
        .filter(|(_, total)| *total > 0.0)
        .collect();
    ordered.sort_by_key(|(cause, _)| rank(*cause));
    ordered
        .into_iter()
        .fold(None, |best, candidate| match best {
            Some(best) if best.1 >= candidate.1 - 1e-9 => Some(best),
            _ => Some(candidate),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sufficient() -> CauseInputs {
        CauseInputs {
            week_is_sufficient: true,
            ..CauseInputs::default()
        }
    }

    fn thresholds() -> Thresholds {
        Thresholds::default()
    }

    #[test]
    fn nothing_fired_is_none_with_null_confidence_and_factors() {
        let report = attribute(&sufficient(), &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::None);
        assert_eq!(report.cause_confidence, None);
        assert_eq!(report.contributing_factors, None);
    }

    #[test]
    fn sharpness_rules_are_exclusive_then_add_the_drop() {
        let inputs = CauseInputs {
            beats_vegas_pct: Some(41.0),
            beats_vegas_baseline_pct: Some(57.0),
            ..sufficient()
        };
        let report = attribute(&inputs, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::VegasSharpness);
        assert_eq!(report.cause_confidence, Some(0.7));
        assert_eq!(report.contributing_factors.unwrap().len(), 2);

        let report = attribute(
            &CauseInputs {
                beats_vegas_pct: Some(44.0),
                ..sufficient()
            },
            &thresholds(),
        );
        assert_eq!(report.cause_confidence, Some(0.3));
        assert_eq!(report.primary_cause, PrimaryCause::VegasSharpness);
    }

    #[test]
    fn ties_between_rules_go_to_data_quality() {
        // data_quality 0.5 (completeness < 50) vs vegas_sharpness 0.5 (mbv < 42).
        let inputs = CauseInputs {
            beats_vegas_pct: Some(40.0),
            shot_zone_completeness: Some(40.0),
            ..sufficient()
        };
        assert_eq!(
            attribute(&inputs, &thresholds()).primary_cause,
            PrimaryCause::DataQuality
        );
        // 0.7 each: completeness < 50 + paint vs mbv < 42 + a drop from baseline.
        let inputs = CauseInputs {
            beats_vegas_pct: Some(40.0),
            beats_vegas_baseline_pct: Some(50.0),
            shot_zone_completeness: Some(40.0),
            avg_paint_rate: Some(70.0),
            ..sufficient()
        };
        let report = attribute(&inputs, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::DataQuality);
        // Four factors: 0.7 + 0.1.
        assert_eq!(report.cause_confidence, Some(0.8));
    }

    #[test]
    fn tie_break_order_is_quality_sharpness_drift() {
        let totals = |sharp: f64, drift: f64, quality: f64| {
            pick_winner(&[
                (PrimaryCause::VegasSharpness, sharp),
                (PrimaryCause::ModelDrift, drift),
                (PrimaryCause::DataQuality, quality),
            ])
            .map(|(cause, _)| cause)
        };
        assert_eq!(totals(0.5, 0.5, 0.0), Some(PrimaryCause::VegasSharpness));
        assert_eq!(totals(0.5, 0.5, 0.5), Some(PrimaryCause::DataQuality));
        assert_eq!(totals(0.0, 0.4, 0.4), Some(PrimaryCause::DataQuality));
        // Floating-point sums that are equal in exact arithmetic still tie.
        assert_eq!(
            totals(0.3 + 0.2 + 0.1, 0.4 + 0.2, 0.0),
            Some(PrimaryCause::VegasSharpness)
        );
        assert_eq!(totals(0.3, 0.6, 0.5), Some(PrimaryCause::ModelDrift));
        assert_eq!(totals(0.0, 0.0, 0.0), None);
    }

    #[test]
    fn drift_wins_when_its_total_is_higher() {
        // vegas_sharpness 0.3 + 0.2 = 0.5; model_drift 0.4 + 0.2 = 0.6.
        let inputs = CauseInputs {
            beats_vegas_pct: Some(44.0),
            beats_vegas_baseline_pct: Some(56.0),
            drift_score: Some(50.0),
            model_mae: Some(6.0),
            ..sufficient()
        };
        let report = attribute(&inputs, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::ModelDrift);
        // Four factors fired: 0.6 + 0.1.
        assert_eq!(report.cause_confidence, Some(0.7));
    }

    #[test]
    fn small_totals_are_normal_variance_with_factors_kept() {
        let inputs = CauseInputs {
            avg_paint_rate: Some(65.0),
            ..sufficient()
        };
        let report = attribute(&inputs, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::NormalVariance);
        assert_eq!(report.cause_confidence, Some(0.5));
        assert_eq!(report.contributing_factors.unwrap().len(), 1);
    }

    #[test]
    fn a_thin_week_turns_drift_or_none_into_sample_size() {
        let thin = CauseInputs {
            drift_score: Some(100.0),
            model_mae: Some(6.0),
            week_is_sufficient: false,
            ..CauseInputs::default()
        };
        assert_eq!(
            attribute(&thin, &thresholds()).primary_cause,
            PrimaryCause::SampleSize
        );
        let nothing = CauseInputs::default();
        assert_eq!(
            attribute(&nothing, &thresholds()).primary_cause,
            PrimaryCause::SampleSize
        );
        // A data-quality verdict does not rest on the week's bets.
        let pipeline = CauseInputs {
            shot_zone_completeness: Some(30.0),
            ..CauseInputs::default()
        };
        assert_eq!(
            attribute(&pipeline, &thresholds()).primary_cause,
            PrimaryCause::DataQuality
        );
    }

    #[test]
    fn hit_rate_rule_needs_a_sufficient_week() {
        let inputs = CauseInputs {
            hit_rate_7d_pct: Some(40.0),
            week_is_sufficient: false,
            ..CauseInputs::default()
        };
        assert!(fired_factors(&inputs, &thresholds()).is_empty());
    }

    #[test]
    fn confidence_is_capped_at_one() {
        let inputs = CauseInputs {
            shot_zone_completeness: Some(30.0),
            avg_paint_rate: Some(70.0),
            beats_vegas_pct: Some(44.0),
            drift_score: Some(50.0),
            ..sufficient()
        };
        let report = attribute(&inputs, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::DataQuality);
        // 0.7 + 0.1 for four factors.
        assert_eq!(report.cause_confidence, Some(0.8));
    }

    #[test]
    fn skipped_rows_are_named_and_a_cause_only_when_many() {
        let few = CauseInputs {
            skipped_rows: Some(SkippedShare {
                count: 12,
                tables: vec!["prediction_accuracy 12".to_string()],
                share: 0.01,
            }),
            ..sufficient()
        };
        let report = attribute(&few, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::NormalVariance);
        let factors = report.contributing_factors.unwrap();
        assert_eq!(factors.len(), 1);
        assert_eq!(factors[0].factor, PrimaryCause::DataQuality);
        assert_eq!(factors[0].contribution, 0.2);
        assert!(
            factors[0]
                .details
                .starts_with("12 stored rows left out for a value that does not read or is out of range (prediction_accuracy 12); 1.0%"),
            "{}",
            factors[0].details
        );
        let many = CauseInputs {
            skipped_rows: Some(SkippedShare {
                share: 0.2,
                ..few.skipped_rows.clone().unwrap()
            }),
            ..sufficient()
        };
        let report = attribute(&many, &thresholds());
        assert_eq!(report.primary_cause, PrimaryCause::DataQuality);
        assert_eq!(report.cause_confidence, Some(0.5));
    }
}
