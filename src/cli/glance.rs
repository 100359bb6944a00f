//! `courtside systems [--date D] [--json]`: every system at a glance on one
//! date, the Overview's systems strip as a table (the same library
//! function, the same words), with the worst level; exit code as `diag`
//! for the worst.

use super::common::parse_date_arg;
use crate::service::systems_strip::{SystemGlance, systems_strip, worst_level};
use crate::service::{self, Context};
use anyhow::Result;
use clap::Args;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct GlanceArgs {
    /// The date, YYYY-MM-DD (default: the production system's latest date with data).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// One JSON object: the worst level and each system's row with its diagnostics.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct GlanceJson {
    game_date: chrono::NaiveDate,
    worst_level: Option<crate::model::AlertLevel>,
    systems: Vec<GlanceRowJson>,
}

/// One system: its role and latest data, and its diagnostics exactly as
/// `diag --system S --date D --json` prints them.
#[derive(Serialize)]
struct GlanceRowJson {
    system_id: String,
    role: crate::service::systems_strip::SystemRole,
    latest_date: Option<chrono::NaiveDate>,
    alert_level: crate::model::AlertLevel,
    diagnostics: serde_json::Value,
}

pub async fn run(context: &Context, args: &GlanceArgs) -> Result<i32> {
    let source = context.source.as_ref();
    let champion = &context.config.production_system;
    let date = match &args.date {
        Some(text) => parse_date_arg("--date", text)?,
        None => match service::latest_date(source, champion).await? {
            Some(date) => date,
            None => match source.latest_date(None).await? {
                Some(date) => date,
                None => anyhow::bail!("no graded predictions of any system: give --date"),
            },
        },
    };
    let glance = systems_strip(source, date, champion, &context.config.thresholds).await?;
    let worst = worst_level(glance.iter().map(|g| g.diagnostics.alert_level));
    if args.json {
        let json = GlanceJson {
            game_date: date,
            worst_level: worst,
            systems: glance
                .iter()
                .map(|g| GlanceRowJson {
                    system_id: g.system_id.clone(),
                    role: g.role,
                    latest_date: g.latest_date,
                    alert_level: g.diagnostics.alert_level,
                    diagnostics: g.diagnostics.to_json(),
                })
                .collect(),
        };
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print!(
            "{}",
            crate::format::terminal_safe_lines(&table(date, &glance))
        );
    }
    Ok(worst.map_or(3, |level| level.exit_code()))
}

/// The strip as aligned text.
pub fn table(date: chrono::NaiveDate, glance: &[SystemGlance]) -> String {
    let header = [
        "system",
        "role",
        "level",
        "hit rate 7d",
        "coverage",
        "data",
        "since promotion",
    ];
    let rows: Vec<[String; 7]> = glance.iter().map(SystemGlance::cells).collect();
    let widths: Vec<usize> = (0..7)
        .map(|i| {
            rows.iter()
                .map(|row| unicode_width::UnicodeWidthStr::width(row[i].as_str()))
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| crate::tui::widgets::pad(cell, *width))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = format!("systems on {date}\n");
    out.push_str(&line(header.to_vec()));
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    if let Some(worst) = worst_level(glance.iter().map(|g| g.diagnostics.alert_level)) {
        out.push_str(&format!(
            "worst: {} {}\n",
            worst.symbol(),
            worst.as_str().to_ascii_uppercase()
        ));
    }
    out
}
