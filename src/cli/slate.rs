//! `courtside slate [--date D] [--now T] [--json]`: the slate of a game date
//! (metrics.md section 17): games with tip-off and status, minutes to the
//! first tip-off, and per system the players with a line it predicted, the
//! missing ones with reasons, stale lines, and grading after the games.
//! Exit code: 0 healthy/info, 1 warning, 2 critical, as `diag`. Stored
//! names (teams, systems, players) are printed terminal-safe.

use super::common::parse_date_arg;
use crate::format::{count, terminal_safe as safe, terminal_safe_lines};
use crate::service::{self, Context};
use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use courtside_core::model::game_day::{Slate, SlatePhase};
use std::fmt::Write as _;

#[derive(Debug, Args)]
pub struct SlateArgs {
    /// The game date, YYYY-MM-DD (default: today in the config's `timezone`).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The time to judge at, RFC 3339 (default: now): the slate as it stood
    /// then (predictions made, snapshots taken and rows graded by then).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Missing players listed per system (default 10; the JSON lists all).
    #[arg(long, default_value_t = 10, value_name = "N", allow_negative_numbers = true,
          value_parser = super::numbers::players)]
    pub missing: usize,
    /// One JSON object with the same facts instead of the text.
    #[arg(long)]
    pub json: bool,
}

/// `--now`, or the clock.
pub fn parse_now(text: Option<&str>) -> Result<DateTime<Utc>> {
    match text {
        None => Ok(service::game_day::clock()),
        Some(text) => DateTime::parse_from_rfc3339(text.trim())
            .map(|at| at.with_timezone(&Utc))
            .with_context(|| {
                format!("--now `{text}` is not a time (RFC 3339, e.g. 2026-04-12T21:00:00Z)")
            }),
    }
}

pub async fn run(context: &Context, args: &SlateArgs) -> Result<i32> {
    let now = parse_now(args.now.as_deref())?;
    let date = match &args.date {
        Some(text) => parse_date_arg("--date", text)?,
        None => service::game_day::today(&context.config, now),
    };
    let slate =
        service::game_day::slate(context.source.as_ref(), &context.config.game_day, date, now)
            .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&slate)?);
    } else {
        let text = text(&slate, args.missing, &context.config.game_day);
        print!("{}", terminal_safe_lines(&text));
    }
    Ok(slate.level.exit_code())
}

/// The slate as text, at most 80 columns.
pub fn text(
    slate: &Slate,
    missing_shown: usize,
    rules: &courtside_core::config::GameDay,
) -> String {
    let zone = rules.zone();
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%H:%M").to_string();
    let mut out = String::new();
    let when = match (slate.phase, slate.minutes_to_first_tip) {
        (SlatePhase::NoGames, _) => "no games on the schedule".to_string(),
        (SlatePhase::Pregame, Some(m)) => format!("first tip-off in {}", minutes(m)),
        (SlatePhase::Live, _) => "games under way".to_string(),
        (SlatePhase::Final, _) => "every game final".to_string(),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{} {}  slate {}: {} game{}, {when}",
        slate.level.symbol(),
        slate.level.as_str().to_uppercase(),
        slate.game_date,
        slate.games.len(),
        if slate.games.len() == 1 { "" } else { "s" }
    );
    for game in &slate.games {
        let _ = writeln!(
            out,
            "  {:>5}  {:>3} @ {:<3}  {}",
            game.tip.map(local).unwrap_or_else(|| "?".into()),
            safe(&game.away),
            safe(&game.home),
            safe(&game.status)
        );
    }
    let _ = writeln!(
        out,
        "players with a line: {}  (stale lines: {})",
        count(slate.players_with_line),
        count(slate.stale_lines)
    );
    for system in &slate.systems {
        let coverage = system
            .predicted_coverage
            .map(|share| format!("{:.0}%", share * 100.0))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{} {:<28} predicted {:>4} of {:<4} {:>5}   graded {} of {}",
            system.level.symbol(),
            safe(&system.system_id),
            count(system.predicted),
            count(slate.players_with_line),
            coverage,
            count(system.grading.graded),
            count(system.grading.predicted)
        );
        if let Some(message) = &system.message {
            super::doctor::hanging(&mut out, "    ", 6, &safe(message));
        }
        if !system.missing.is_empty() && slate.phase != SlatePhase::Final {
            let names: Vec<String> = system
                .missing
                .iter()
                .take(missing_shown)
                .map(|m| format!("{} ({})", safe(&m.player_lookup), m.reason.as_str()))
                .collect();
            let more = system.missing.len().saturating_sub(missing_shown);
            let more = if more > 0 {
                format!(" … and {more} more")
            } else {
                String::new()
            };
            super::doctor::hanging(
                &mut out,
                "    missing: ",
                6,
                &format!("{}{more}", names.join(", ")),
            );
        }
    }
    if let Some(hours) = slate
        .systems
        .first()
        .and_then(|system| system.grading.hours_since_last_final)
    {
        let _ = writeln!(out, "last game final {hours:.1} hours ago");
    }
    if !slate.missing_tables.is_empty() {
        let _ = writeln!(
            out,
            "note: without {} the slate is partial",
            safe(&slate.missing_tables.join(", "))
        );
    }
    out
}

fn minutes(m: i64) -> String {
    if m >= 120 {
        format!("{}h {:02}m", m / 60, m % 60)
    } else {
        format!("{m} minutes")
    }
}
