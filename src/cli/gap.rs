//! `courtside gap`: the backtest-vs-production analysis of one experiment,
//! its text terminal-safe.

use crate::diagnostics::gap::GapReport;
use crate::format::OrNoData;
use crate::format::{count, percent, terminal_safe, terminal_safe_lines};
use crate::model::Rate;
use crate::service;
use crate::service::Context;
use anyhow::{Result, bail};
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Args)]
pub struct GapArgs {
    /// Experiment id, unique id prefix, or name.
    #[arg(long, value_name = "ID|NAME")]
    pub experiment: String,
    /// Production system (default: the experiment's target system, else the configured one).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Edge threshold for bets (default: the configured one).
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          value_parser = super::numbers::points)]
    pub edge: Option<f64>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dry_run: super::dry_run::DryRunArg,
}

pub async fn run(context: &Context, args: &GapArgs) -> Result<i32> {
    let dry_run = args.dry_run.begin(context)?;
    let mut thresholds = context.config.thresholds.clone();
    if let Some(edge) = args.edge {
        if !edge.is_finite() || edge < 0.0 {
            bail!("--edge: must be a number of at least 0, got {edge}");
        }
        thresholds.edge_threshold.0 = edge;
    }
    let source = context.source.as_ref();
    let experiments = source.experiments().await?;
    let experiment = service::find_experiment(&experiments, &args.experiment)?;
    let system = service::target_system(
        experiment,
        args.system.as_deref(),
        &context.config.production_system,
    );
    let report = service::gap(source, experiment, &system, &thresholds).await?;
    if dry_run {
        return super::dry_run::report(context, args.json);
    }
    if args.json {
        let mut json = serde_json::to_value(&report)?;
        if let Some(object) = json.as_object_mut() {
            object.insert(
                "experiment_id".into(),
                experiment.experiment_id.clone().into(),
            );
            object.insert(
                "experiment_name".into(),
                experiment.experiment_name.clone().into(),
            );
            object.insert("system_id".into(), system.clone().into());
            object.insert("edge_threshold".into(), thresholds.edge_threshold.0.into());
        }
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        let text = text(&report, &experiment.experiment_name, &system);
        print!("{}", terminal_safe_lines(&text));
    }
    Ok(0)
}

fn rate_line(out: &mut String, name: &str, rate: &Rate) {
    let _ = writeln!(out, "  {name:<28} {rate}");
}

/// The human-readable report.
pub fn text(report: &GapReport, experiment: &str, system: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "courtside gap: {} (backtest) vs {} (production)",
        terminal_safe(experiment),
        terminal_safe(system)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "population   backtest only {}  production only {}  both {}  (rows: backtest {}, production {})",
        count(report.backtest_only),
        count(report.production_only),
        count(report.both),
        count(report.backtest_rows),
        count(report.production_rows)
    );
    let _ = writeln!(
        out,
        "line mix     real lines: backtest {}  production {}",
        percent(report.backtest_actual_line_pct),
        percent(report.production_actual_line_pct)
    );
    if report.missing_dates.is_empty() {
        let _ = writeln!(
            out,
            "missing      no backtest date is missing from production"
        );
    } else {
        let dates: Vec<String> = report
            .missing_dates
            .iter()
            .map(|m| format!("{} ({})", m.game_date, m.backtest_rows))
            .collect();
        let _ = writeln!(
            out,
            "missing      {} dates: {}",
            dates.len(),
            dates.join(", ")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "hit rates (bets, 95% interval)");
    rate_line(&mut out, "HR(B) backtest", &report.hit_rate_backtest);
    rate_line(
        &mut out,
        "HR(B∩) backtest, shared",
        &report.hit_rate_backtest_shared,
    );
    rate_line(
        &mut out,
        "HR(B∩, real lines)",
        &report.hit_rate_backtest_shared_actual,
    );
    rate_line(
        &mut out,
        "HR(P∩) production, shared",
        &report.hit_rate_production_shared,
    );
    rate_line(&mut out, "HR(P) production", &report.hit_rate_production);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "decomposition of the gap {}",
        report
            .gap
            .map_or_else(|| "(no data)".to_string(), |g| format!("{g:+.2} points"))
    );
    for step in &report.steps {
        let _ = writeln!(
            out,
            "  {:<22} {}",
            terminal_safe(&step.name),
            step.points.map(|p| format!("{p:+.2}")).or_no_data()
        );
    }
    match &report.mcnemar {
        Some(test) => {
            let _ = writeln!(
                out,
                "McNemar on {} paired bets: b={} (backtest hit, production miss) c={} (backtest miss, production hit) {} ({})",
                report.paired_bets,
                test.b,
                test.c,
                crate::format::p_value(test.p_value),
                match test.method {
                    crate::stats::McNemarMethod::ExactBinomial => "exact",
                    crate::stats::McNemarMethod::ChiSquare => "chi-square",
                }
            );
        }
        None => {
            let _ = writeln!(
                out,
                "McNemar: no data ({} paired bets, no paired disagreements)",
                report.paired_bets
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", report.verdict);
    out
}
