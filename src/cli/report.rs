//! The human-readable diagnostics report of `courtside diag`, and the one-line
//! summary of `courtside backfill`. Stored strings in them (the system id,
//! messages) are terminal-safe; the callers print the whole text through
//! `terminal_safe_lines` as well.

use crate::format::OrNoData;
use crate::format::{
    count, coverage_sentences, detector_sentence, detector_status, number, percent, rate_with_p,
    signed, skipped_sentences, terminal_safe as safe,
};
use crate::model::Diagnostics;
use std::fmt::Write;

/// The multi-line report.
pub fn full(d: &Diagnostics, source_label: &str, is_demo: bool) -> String {
    let mut out = String::new();
    let demo = if is_demo { ", demo data" } else { "" };
    let _ = writeln!(
        out,
        "courtside diag: {} on {} ({}{demo})",
        safe(&d.system_id),
        d.game_date,
        safe(source_label)
    );
    let _ = writeln!(out);
    for sentence in skipped_sentences(d) {
        let _ = writeln!(out, "{sentence}");
    }
    if !d.has_data() {
        let _ = writeln!(
            out,
            "UNKNOWN  no graded predictions in the 30 days up to this date"
        );
        return out;
    }
    let level = d.alert_level;
    let _ = writeln!(
        out,
        "{} {}  {}",
        level.symbol(),
        level.as_str().to_ascii_uppercase(),
        safe(d.alert_message.as_deref().unwrap_or("all checks pass"))
    );
    for sentence in coverage_sentences(d) {
        let _ = writeln!(out, "{sentence}");
    }
    let confidence = d
        .cause
        .cause_confidence
        .map(|c| format!(" (confidence {})", number(Some(c), 2)))
        .unwrap_or_default();
    let _ = writeln!(out, "primary cause: {}{confidence}", d.cause.primary_cause);
    for factor in d.cause.contributing_factors.iter().flatten() {
        let _ = writeln!(
            out,
            "  - {} +{:.1}: {}",
            factor.factor,
            factor.contribution,
            safe(&factor.details)
        );
    }
    if !d.recommendations.is_empty() {
        let _ = writeln!(out, "recommendations:");
        for advice in &d.recommendations {
            let _ = writeln!(out, "  - {}", safe(advice));
        }
    }

    let s = &d.sharpness;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Vegas sharpness ({} to {}, real prop lines only; {} estimated-line rows left out)",
        s.window_start,
        s.window_end,
        count(s.estimated_rows_excluded)
    );
    let _ = writeln!(out, "  model beats Vegas   {}", s.model_beats_vegas);
    let _ = writeln!(
        out,
        "  Vegas MAE           {}   model MAE (same rows) {}",
        number(s.vegas_mae, 2),
        number(s.model_mae_same_rows, 2)
    );
    let _ = writeln!(
        out,
        "  Vegas MAE by tier   tier1 {}  tier2 {}  tier3 {}",
        number(s.vegas_mae_tier1, 2),
        number(s.vegas_mae_tier2, 2),
        number(s.vegas_mae_tier3, 2)
    );
    let status = s
        .sharpness_status
        .map_or_else(|| "no verdict".to_string(), |status| status.to_string());
    let _ = writeln!(
        out,
        "  sharpness score     {} ({status}); vs baseline {}",
        number(s.sharpness_score, 1),
        s.sharpness_vs_baseline
            .map_or_else(|| "no baseline".to_string(), |v| format!("{v:+.1}%"))
    );
    for tier in &s.by_player_tier {
        let _ = writeln!(
            out,
            "    {:<9} n={:<6} Vegas MAE {:<8} model MAE {:<8} beats {}",
            tier.tier,
            tier.n,
            number(tier.vegas_mae, 2),
            number(tier.model_mae, 2),
            percent(tier.beats_vegas.pct)
        );
    }

    let drift = &d.drift;
    let _ = writeln!(out);
    let _ = writeln!(out, "Model drift");
    let _ = writeln!(out, "  hit rate  7d   {}", rate_with_p(&drift.hit_rate_7d));
    let _ = writeln!(out, "  hit rate 14d   {}", rate_with_p(&drift.hit_rate_14d));
    let _ = writeln!(out, "  hit rate 30d   {}", rate_with_p(&drift.hit_rate_30d));
    let bias = drift.bias_direction.or_no_data();
    let _ = writeln!(
        out,
        "  model MAE {} (14d, n={})  mean error {} ({bias})",
        number(drift.model_mae, 2),
        count(drift.rows_14d),
        signed(drift.model_mean_error, 2)
    );
    let severity = drift.drift_severity.or_no_data();
    let _ = writeln!(
        out,
        "  drift score {} ({severity})",
        number(drift.drift_score, 0)
    );

    if let Some(detector) = &d.cusum {
        let _ = writeln!(out, "  {}", detector_status(detector));
        let _ = writeln!(out, "    {}", detector_sentence(&detector.design));
    }
    if let Some(since) = &d.since_promotion {
        let _ = writeln!(out, "  {}", since.sentence());
    }
    if let Some(clv) = d.clv.as_ref().filter(|clv| clv.snapshots_available) {
        let _ = writeln!(
            out,
            "  closing line value, {} to {}: {}",
            clv.from,
            clv.to,
            clv.overall.sentence()
        );
    }

    let q = &d.quality;
    let _ = writeln!(out);
    let _ = writeln!(out, "Data quality (7 days)");
    let _ = writeln!(
        out,
        "  shot-zone completeness {}  paint {}  three {}",
        crate::format::completeness(
            q.shot_zone_completeness,
            q.player_game_rows_7d,
            d.drift.hit_rate_7d.min_n
        ),
        percent(q.avg_paint_rate),
        percent(q.avg_three_rate)
    );
    let _ = writeln!(
        out,
        "  predictions made {}  graded {}  feature quality {}",
        count(q.predictions_made),
        count(q.predictions_graded),
        number(q.feature_quality_avg, 1)
    );

    let b = &d.baselines;
    let _ = writeln!(out);
    let _ = writeln!(out, "Baseline ({} to {})", b.window_start, b.window_end);
    let _ = writeln!(
        out,
        "  model beats Vegas   {}",
        b.model_beats_vegas_baseline
    );
    let _ = writeln!(out, "  hit rate            {}", b.hit_rate_baseline);
    let _ = writeln!(
        out,
        "  Vegas MAE {}  model MAE {}",
        number(b.vegas_mae_baseline, 2),
        number(b.model_mae_baseline, 2)
    );
    out
}

/// One line per day for `backfill`.
pub fn line(d: &Diagnostics) -> String {
    if !d.has_data() {
        return format!("{} {} unknown no data", d.game_date, safe(&d.system_id));
    }
    format!(
        "{} {} {:<8} {:<16} conf={} beats_vegas={} (n={}) hit_7d={} (n={}) drift={} completeness={}",
        d.game_date,
        safe(&d.system_id),
        d.alert_level,
        d.cause.primary_cause.as_str(),
        number(d.cause.cause_confidence, 2),
        percent(d.sharpness.model_beats_vegas.pct),
        d.sharpness.model_beats_vegas.n,
        percent(d.drift.hit_rate_7d.pct),
        d.drift.hit_rate_7d.n,
        number(d.drift.drift_score, 0),
        percent(d.quality.shot_zone_completeness)
    )
}
