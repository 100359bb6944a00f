//! `courtside history`: the persisted `performance_diagnostics_daily` rows of
//! a range, the team's legacy rows included, with their vocabulary read and
//! unknown values flagged. Each row is one terminal-safe line.

use super::common::parse_date_arg;
use crate::format;
use crate::model::history::{HistoryView, shown};
use crate::service;
use crate::service::Context;
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// First date, YYYY-MM-DD (default: the 30 days ending at --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last date, YYYY-MM-DD (default: the latest date with graded rows).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One system (default: every system; rows without one are the production system's).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// JSON lines instead of one line per row.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(context: &Context, args: &HistoryArgs) -> Result<i32> {
    let production = &context.config.production_system;
    let source = context.source.as_ref();
    let to = match &args.to {
        Some(text) => parse_date_arg("--to", text)?,
        None => service::default_date(source, production).await?,
    };
    let from = match &args.from {
        Some(text) => parse_date_arg("--from", text)?,
        None => to - chrono::Days::new(29),
    };
    super::common::check_range(from, to)?;
    let rows = service::history(source, from, to, args.system.as_deref(), production).await?;
    if rows.is_empty() {
        eprintln!("no persisted diagnostics between {from} and {to}");
        return Ok(0);
    }
    for row in &rows {
        let view = HistoryView::from_row(row, production);
        if args.json {
            println!("{}", serde_json::to_string(&view)?);
        } else {
            println!("{}", format::terminal_safe(&line(&view)));
        }
    }
    Ok(0)
}

/// One row as text: level (word and symbol), cause, the key figures, factors.
pub fn line(view: &HistoryView) -> String {
    let level = match view.alert_level.known() {
        Some(level) => format!("{} {}", level.symbol(), level),
        None => format!("? {}", shown(&Some(view.alert_level.clone()))),
    };
    let mut text = format!(
        "{} {} {level:<10} cause {} sharpness {} drift {} bias {} beats-vegas {} hit-7d {}",
        view.game_date,
        view.system_id,
        shown(&view.primary_cause),
        shown(&view.sharpness_status),
        shown(&view.drift_severity),
        shown(&view.bias_direction),
        format::percent(view.model_beats_vegas_pct),
        format::percent(view.hit_rate_7d),
    );
    if !view.factors.is_empty() {
        text.push_str(&format!(" | {}", view.factors.join("; ")));
    }
    if !view.unknown.is_empty() {
        text.push_str(&format!(" | unknown values in {}", view.unknown.join(", ")));
    }
    text
}
