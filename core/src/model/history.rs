//! A persisted diagnostics row as a reader sees it: every vocabulary column
//! read in its written or legacy spelling (data-contract.md), an unknown value
//! kept as-is and flagged, a `NO_DATA` sharpness read as missing, and contributing factors
//! in either the structured form or the old plain-string form.

use super::diagnostics::DiagnosticsRow;
use super::vocab::{AlertLevel, BiasDirection, DriftSeverity, PrimaryCause, Read, SharpnessStatus};
use serde::Serialize;
use serde_json::Value;

/// One history row, normalised for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryView {
    pub game_date: chrono::NaiveDate,
    pub system_id: String,
    pub alert_level: Read<AlertLevel>,
    pub alert_message: Option<String>,
    pub primary_cause: Option<Read<PrimaryCause>>,
    pub cause_confidence: Option<f64>,
    pub sharpness_status: Option<Read<SharpnessStatus>>,
    pub drift_severity: Option<Read<DriftSeverity>>,
    pub bias_direction: Option<Read<BiasDirection>>,
    pub model_beats_vegas_pct: Option<f64>,
    pub hit_rate_7d: Option<f64>,
    pub drift_score: Option<f64>,
    pub shot_zone_completeness: Option<f64>,
    /// Each factor as one line of text.
    pub factors: Vec<String>,
    /// Columns whose stored value is not in the vocabulary.
    pub unknown: Vec<&'static str>,
}

fn read<T: Copy>(
    column: &'static str,
    text: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    unknown: &mut Vec<&'static str>,
) -> Option<Read<T>> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    // The team's class writes NO_DATA for a sharpness and UNKNOWN for a
    // bias it could not compute: both read as missing.
    if (column == "sharpness_status" && text.eq_ignore_ascii_case("no_data"))
        || (column == "bias_direction" && text.eq_ignore_ascii_case("unknown"))
    {
        return None;
    }
    let value = Read::from_text(text, parse);
    if value.known().is_none() {
        unknown.push(column);
    }
    Some(value)
}

/// One factor: `{factor, contribution, details}` or a plain string.
fn factor_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(object) => {
            let name = object
                .get("factor")
                .and_then(Value::as_str)
                .unwrap_or("factor");
            let contribution = object
                .get("contribution")
                .and_then(Value::as_f64)
                .map(|c| format!(" ({:.0}%)", c * 100.0))
                .unwrap_or_default();
            let details = object
                .get("details")
                .and_then(Value::as_str)
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!("{name}{contribution}{details}")
        }
        other => other.to_string(),
    }
}

impl HistoryView {
    /// `legacy_system` is what a row without a system is read as.
    pub fn from_row(row: &DiagnosticsRow, legacy_system: &str) -> Self {
        let mut unknown = Vec::new();
        let mut alert_level = Read::from_text(&row.alert_level, AlertLevel::parse);
        if alert_level.known().is_none() {
            unknown.push("alert_level");
        }
        // Nothing measured is never healthy (metrics.md section 8): a row
        // that says healthy (the team's class writes `ok` with no hit rate and
        // a neutral 50% beats-Vegas) without a hit rate reads as unknown.
        if alert_level.known() == Some(AlertLevel::Healthy) && row.hit_rate_7d.is_none() {
            alert_level = Read::Known(AlertLevel::Unknown);
        }
        let factors = match &row.contributing_factors {
            Some(Value::Array(items)) => items.iter().map(factor_text).collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![factor_text(other)],
        };
        HistoryView {
            game_date: row.game_date,
            system_id: row
                .system_id
                .clone()
                .unwrap_or_else(|| legacy_system.to_string()),
            alert_level,
            alert_message: row.alert_message.clone(),
            primary_cause: read(
                "primary_cause",
                row.primary_cause.as_deref(),
                PrimaryCause::parse,
                &mut unknown,
            ),
            cause_confidence: row.cause_confidence,
            sharpness_status: read(
                "sharpness_status",
                row.sharpness_status.as_deref(),
                SharpnessStatus::parse,
                &mut unknown,
            ),
            drift_severity: read(
                "drift_severity",
                row.drift_severity.as_deref(),
                DriftSeverity::parse,
                &mut unknown,
            ),
            bias_direction: read(
                "bias_direction",
                row.bias_direction.as_deref(),
                BiasDirection::parse,
                &mut unknown,
            ),
            model_beats_vegas_pct: row.model_beats_vegas_pct,
            hit_rate_7d: row.hit_rate_7d,
            drift_score: row.drift_score,
            shot_zone_completeness: row.shot_zone_completeness,
            factors,
            unknown,
        }
    }
}

/// A vocabulary value for display: the written form, or the stored text with `?`.
pub fn shown<T: Copy + std::fmt::Display>(value: &Option<Read<T>>) -> String {
    match value {
        None => "—".to_string(),
        Some(Read::Known(known)) => known.to_string(),
        Some(Read::Unknown(text)) => format!("{text}?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn legacy() -> DiagnosticsRow {
        DiagnosticsRow {
            game_date: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
            computed_at: Utc.with_ymd_and_hms(2026, 1, 21, 8, 0, 0).unwrap(),
            vegas_mae_tier1: None,
            vegas_mae_tier2: None,
            vegas_mae_tier3: None,
            model_beats_vegas_pct: Some(43.5),
            sharpness_score: None,
            sharpness_status: Some("VERY_SHARP".into()),
            hit_rate_7d: None,
            hit_rate_14d: None,
            hit_rate_30d: None,
            model_mae: None,
            model_mean_error: None,
            bias_direction: Some("OVER".into()),
            drift_score: None,
            drift_severity: Some("HIGH".into()),
            shot_zone_completeness: None,
            predictions_made: None,
            predictions_graded: None,
            feature_quality_avg: None,
            vegas_mae_baseline: None,
            hit_rate_baseline: None,
            sharpness_vs_baseline: None,
            primary_cause: Some("VEGAS_SHARP".into()),
            cause_confidence: Some(0.7),
            contributing_factors: Some(serde_json::json!(["Vegas MAE down 12%", "hit rate 48%"])),
            alert_triggered: true,
            alert_level: "WARNING".into(),
            alert_message: None,
            system_id: None,
            coverage: None,
            missing_dates_7d: None,
            cusum_stat: None,
            cusum_threshold: None,
            cusum_alarm: None,
        }
    }

    #[test]
    fn legacy_vocabulary_reads_as_the_written_form() {
        let view = HistoryView::from_row(&legacy(), "catboost_v8");
        assert_eq!(view.system_id, "catboost_v8");
        assert_eq!(view.alert_level.known(), Some(AlertLevel::Warning));
        assert_eq!(shown(&view.sharpness_status), "razor_sharp");
        assert_eq!(shown(&view.drift_severity), "moderate");
        assert_eq!(shown(&view.primary_cause), "vegas_sharpness");
        assert_eq!(shown(&view.bias_direction), "over");
        assert_eq!(view.factors, ["Vegas MAE down 12%", "hit rate 48%"]);
        assert!(view.unknown.is_empty());
    }

    #[test]
    fn unknown_values_are_kept_and_flagged_and_no_data_is_missing() {
        let mut row = legacy();
        row.sharpness_status = Some("NO_DATA".into());
        row.primary_cause = Some("COSMIC_RAYS".into());
        row.contributing_factors = Some(serde_json::json!([
            {"factor": "vegas_sharpness", "contribution": 0.6, "details": "beats-vegas 44.7%"}
        ]));
        let view = HistoryView::from_row(&row, "catboost_v8");
        assert_eq!(shown(&view.sharpness_status), "—");
        assert_eq!(shown(&view.primary_cause), "COSMIC_RAYS?");
        assert_eq!(view.unknown, ["primary_cause"]);
        assert_eq!(view.factors, ["vegas_sharpness (60%): beats-vegas 44.7%"]);
    }
}
