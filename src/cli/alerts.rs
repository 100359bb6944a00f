//! `courtside alerts`: how often each alert rule cries wolf at a system's
//! volume, and how fast it sees a drop to break-even (metrics.md section 12).

use crate::diagnostics::false_alarms::RuleSource;
use crate::format::{about, detector_sentence};
use crate::service::Context;
use crate::service::alerts::{AlertFigures, alert_figures};
use anyhow::{Result, bail};
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// System whose volume the figures use (default: the production system).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Bets a game date instead of the system's measured volume.
    #[arg(long, value_name = "BETS", allow_negative_numbers = true,
          value_parser = super::numbers::bets)]
    pub bets_per_day: Option<u64>,
    /// Healthy hit rate as a fraction (default: drift_detector.healthy_hit_rate).
    #[arg(long, value_name = "RATE", allow_negative_numbers = true,
          value_parser = super::numbers::fraction)]
    pub healthy_rate: Option<f64>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(context: &Context, args: &AlertsArgs) -> Result<i32> {
    if let Some(rate) = args.healthy_rate
        && !(rate.is_finite() && rate > 0.0 && rate < 1.0)
    {
        bail!("--healthy-rate: a fraction between 0 and 1, got {rate}");
    }
    let system = args
        .system
        .clone()
        .unwrap_or_else(|| context.config.production_system.clone());
    let source = context.source.as_ref();
    if args.bets_per_day.is_none() {
        crate::service::check_system(source, &system).await?;
    }
    let figures = alert_figures(
        source,
        &system,
        args.bets_per_day,
        args.healthy_rate,
        &context.config.thresholds,
    )
    .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        print!("{}", crate::format::terminal_safe_lines(&table(&figures)));
    }
    Ok(0)
}

/// The figures as a table, with the detector in words.
pub fn table(figures: &AlertFigures) -> String {
    let mut out = String::new();
    let volume = if figures.measured_volume {
        format!(
            "{} bets a game date (the median of {}'s last 30 game dates)",
            figures.bets_per_day,
            crate::format::terminal_safe(&figures.system_id)
        )
    } else {
        format!("{} bets a game date (as given)", figures.bets_per_day)
    };
    let _ = writeln!(
        out,
        "How often each alert rule cries wolf at {volume}, healthy hit rate {:.1}%, break-even {:.2}%",
        100.0 * figures.healthy_hit_rate,
        100.0 * figures.break_even
    );
    let _ = writeln!(
        out,
        "({} seeded runs of {} healthy game dates of independent bets, then a drop to break-even; delays capped at {})",
        about(f64::from(figures.runs)),
        figures.healthy_days,
        figures.delay_cap_days
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<62} {:>26} {:>24}",
        "rule", "false alarm in 90 days", "delay to detect a drop"
    );
    let mut source = None;
    for rule in &figures.rules {
        if source != Some(rule.source) {
            source = Some(rule.source);
            let _ = writeln!(
                out,
                "{}",
                match rule.source {
                    RuleSource::Courtside => "courtside's rules (gated at min_bets):",
                    RuleSource::TeamDecay =>
                        "the team's decay detector (no sample-size gate, rates rounded to 0.1):",
                    RuleSource::TeamSeed => "the seed's rules (no sample-size gate):",
                }
            );
        }
        let interval = rule.false_alarm_90d_interval;
        let _ = writeln!(
            out,
            "  {:<60} {:>26} {:>24}",
            rule.rule.describe(),
            format!(
                "{:.1}% [{:.1}–{:.1}]",
                rule.false_alarm_90d, interval.low, interval.high
            ),
            format!("{:.1} game dates", rule.delay_to_break_even),
        );
    }
    let _ = writeln!(out);
    let design = &figures.cusum;
    let _ = writeln!(
        out,
        "CUSUM: h = {:.2} (H = {} units, m = {}): {}.",
        design.threshold_units as f64 * design.llr_span / 100.0,
        design.threshold_units,
        design.m,
        detector_sentence(design)
    );
    out
}
