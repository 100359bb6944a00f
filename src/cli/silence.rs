//! `courtside silence add|list|expire` and `courtside timeline`: silences
//! with an author, a comment and an end, kept by the source (the embedded
//! store's table; on BigQuery `tables.silences`, shared by everyone who
//! watches the warehouse), and the timeline of every level change, post,
//! silence and delivery `watch` recorded in the store it keeps its outbox
//! in. Times are UTC on the game-day clock (`COURTSIDE_NOW` moves it, for
//! replays and tests).

use super::common::{Globals, parse_date_arg, store_path};
use crate::format::terminal_safe as safe;
use crate::model::AlertLevel;
use crate::model::silence::NewSilence;
use crate::source::Source;
use crate::source::bigquery::BigQuerySource;
use crate::source::embedded::EmbeddedStore;
use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, Utc};
use clap::{Args, Subcommand};
use courtside_core::config::game_day::clock;
use courtside_core::config::routes::Topic;
use courtside_core::config::{Config, SourceKind};
use courtside_core::registry::actor::Actor;

#[derive(Debug, Args)]
pub struct SilenceArgs {
    #[command(subcommand)]
    pub command: SilenceCommand,
}

#[derive(Debug, Subcommand)]
pub enum SilenceCommand {
    /// Quiet a system's posts (of one topic and level, where given) for a
    /// while; the author is the actor, the comment is required.
    Add {
        #[arg(long, value_name = "SYSTEM")]
        system: String,
        /// verdict, game_day, registry or since_promotion (default: all).
        #[arg(long, value_name = "TOPIC", value_parser = topic_arg)]
        topic: Option<Topic>,
        /// critical, warning, info, healthy or unknown (default: all).
        #[arg(long, value_name = "LEVEL", value_parser = level_arg)]
        level: Option<AlertLevel>,
        /// How long: 90m, 3h, 2d.
        #[arg(long = "for", value_name = "DURATION", conflicts_with = "until",
              required_unless_present = "until", value_parser = duration_arg)]
        duration: Option<Duration>,
        /// Until when (UTC): 18:00 (the next one), 2026-03-01T18:00, or RFC 3339.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        /// Why (shown beside it everywhere).
        #[arg(long, value_name = "TEXT")]
        comment: String,
        #[arg(long)]
        json: bool,
    },
    /// Every silence, newest first, with its state now.
    List {
        #[arg(long)]
        json: bool,
    },
    /// End a silence now.
    Expire {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

/// `courtside timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// First game date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last game date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn topic_arg(text: &str) -> Result<Topic, String> {
    Topic::ALL
        .into_iter()
        .find(|topic| topic.as_str() == text)
        .ok_or_else(|| "one of verdict, game_day, registry, since_promotion".to_string())
}

fn level_arg(text: &str) -> Result<AlertLevel, String> {
    AlertLevel::parse(text)
        .filter(|level| *level != AlertLevel::Emergency)
        .ok_or_else(|| "one of critical, warning, info, healthy, unknown".to_string())
}

/// `90m`, `3h`, `2d`: more than nothing, at most 30 days.
fn duration_arg(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    // The unit is the last character (split at a character, never inside one).
    let at = text.char_indices().last().map_or(0, |(at, _)| at);
    let (number, unit) = text.split_at(at);
    let count: i64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 90m, 3h or 2d"))?;
    let duration = match unit {
        "m" => Duration::minutes(count),
        "h" => Duration::hours(count),
        "d" => Duration::days(count),
        _ => return Err(format!("`{text}` is not a duration such as 90m, 3h or 2d")),
    };
    if duration <= Duration::zero() || duration > Duration::days(30) {
        return Err(format!(
            "`{text}`: a silence lasts more than nothing and at most 30 days"
        ));
    }
    Ok(duration)
}

/// `--until`: RFC 3339, `YYYY-MM-DDTHH:MM` (UTC), or `HH:MM` (UTC, the next one).
fn until_arg(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(at.and_utc());
        }
    }
    if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M") {
        let today = now.date_naive().and_time(time).and_utc();
        return Ok(if today > now {
            today
        } else {
            today + Duration::days(1)
        });
    }
    bail!("--until `{text}` is not a time: give 18:00, 2026-03-01T18:00 or an RFC 3339 time (UTC)")
}

fn state_store(globals: &Globals, config: &Config) -> Result<EmbeddedStore> {
    EmbeddedStore::open(&store_path(globals, config)?)
}

/// Where the silences are kept: on BigQuery the warehouse's
/// `tables.silences`, otherwise the embedded store.
async fn silence_source(globals: &Globals, config: &Config) -> Result<Box<dyn Source>> {
    Ok(match config.source.kind {
        SourceKind::Bigquery => {
            Box::new(BigQuerySource::connect(&config.source.bigquery, &config.tables).await?)
        }
        SourceKind::Embedded => Box::new(state_store(globals, config)?),
    })
}

pub fn run(globals: &Globals, args: &SilenceArgs, config: &Config) -> Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let source = silence_source(globals, config).await?;
        let result = run_on(source.as_ref(), &args.command).await;
        for note in source.notes() {
            eprintln!("courtside: {}", crate::format::terminal_safe_lines(&note));
        }
        result
    })
}

async fn run_on(source: &dyn Source, command: &SilenceCommand) -> Result<i32> {
    let now = clock();
    match command {
        SilenceCommand::Add {
            system,
            topic,
            level,
            duration,
            until,
            comment,
            json,
        } => {
            if comment.trim().is_empty() {
                bail!("--comment is required: say why (it is shown beside the silence everywhere)");
            }
            let ends_at = match (duration, until) {
                (Some(duration), _) => now + *duration,
                (None, Some(until)) => until_arg(until, now)?,
                (None, None) => bail!("give --for or --until"),
            };
            if ends_at <= now {
                bail!(
                    "--until {} is not in the future (now {})",
                    ends_at.to_rfc3339(),
                    now.to_rfc3339()
                );
            }
            let actor = Actor::current()?;
            let id = source
                .add_silence(&NewSilence {
                    system_id: system.clone(),
                    topic: *topic,
                    level: *level,
                    starts_at: now,
                    ends_at,
                    author: actor.name().to_string(),
                    comment: comment.trim().to_string(),
                })
                .await?;
            let silence = source
                .silences()
                .await?
                .into_iter()
                .find(|s| s.id == id)
                .context("the silence just added does not read back")?;
            print_silence(&silence, now, *json)
        }
        SilenceCommand::List { json } => {
            let silences = source.silences().await?;
            if *json {
                let all: Vec<_> = silences.iter().map(|s| silence_json(s, now)).collect();
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else if silences.is_empty() {
                println!("no silences");
            } else {
                for silence in &silences {
                    println!(
                        "{:>4}  {:<8} {}",
                        silence.id,
                        silence.state(now).as_str(),
                        safe(&silence.sentence(now))
                    );
                }
            }
            Ok(0)
        }
        SilenceCommand::Expire { id, json } => {
            let actor = Actor::current()?;
            let silence = source.expire_silence(*id, actor.name(), now).await?;
            print_silence(&silence, now, *json)
        }
    }
}

/// Prints one silence (`silence N: 🔕 …`, or its JSON); exit code 0.
fn print_silence(
    silence: &crate::model::silence::Silence,
    now: DateTime<Utc>,
    json: bool,
) -> Result<i32> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&silence_json(silence, now))?
        );
    } else {
        println!("silence {}: {}", silence.id, safe(&silence.sentence(now)));
    }
    Ok(0)
}

/// A silence as `--json` gives it: its fields, its state and its sentence.
pub fn silence_json(
    silence: &crate::model::silence::Silence,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let mut value = serde_json::to_value(silence).unwrap_or_default();
    value["state"] = silence.state(now).as_str().into();
    value["sentence"] = silence.sentence(now).into();
    value
}

pub fn timeline(globals: &Globals, args: &TimelineArgs, config: &Config) -> Result<i32> {
    let from = args
        .from
        .as_deref()
        .map(|d| parse_date_arg("--from", d))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|d| parse_date_arg("--to", d))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        bail!("--from {from} is after --to {to}");
    }
    let events = state_store(globals, config)?.alert_events(args.system.as_deref(), from, to)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&events)?);
        return Ok(0);
    }
    if events.is_empty() {
        println!("no alert events recorded (watch records them)");
    }
    for event in &events {
        let change = match event.from_level {
            Some(from) => format!("{from} -> {}", event.to_level),
            None => event.to_level.to_string(),
        };
        let mut line = format!(
            "{}  {} {}  {:<15} {:<20} {}",
            event.at.format("%Y-%m-%d %H:%M:%S"),
            safe(&event.system_id),
            event.game_date,
            event.topic.as_str(),
            change,
            event.outcome.as_str(),
        );
        if let Some(route) = &event.route {
            line.push_str(&format!(" to {}", safe(route)));
        }
        if let Some(cause) = &event.cause {
            line.push_str(&format!(" ({})", safe(cause)));
        }
        if let Some(detail) = &event.detail {
            line.push_str(&format!(": {}", safe(detail)));
        }
        println!("{line}");
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_and_times_read_as_people_write_them() {
        assert_eq!(duration_arg("3h").unwrap(), Duration::hours(3));
        assert_eq!(duration_arg("90m").unwrap(), Duration::minutes(90));
        assert!(duration_arg("0h").is_err());
        assert!(duration_arg("31d").is_err());
        assert!(duration_arg("3x").is_err());
        assert!(
            duration_arg("3é").is_err(),
            "a multi-byte unit is refused, not a panic"
        );
        assert!(duration_arg("").is_err());
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        assert_eq!(
            until_arg("18:00", now).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap()
        );
        assert_eq!(
            until_arg("09:00", now).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
        );
        assert_eq!(
            until_arg("2026-03-04T10:30", now).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 4, 10, 30, 0).unwrap()
        );
        assert!(until_arg("tomorrow", now).is_err());
    }
}
