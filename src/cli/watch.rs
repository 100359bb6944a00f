//! `courtside watch`: a headless monitor. Every interval it recomputes the
//! diagnostics of each system, prints a line when something changed, persists
//! if asked, and posts to Slack when alert hygiene says the level changed.
//! Posts go through one ordered queue per system (`post_queue`) and the
//! store's outbox, so a slow webhook never delays the next computation and a
//! post in flight at exit is sent at the next start. Store and source errors
//! are reported and retried with backoff. SIGINT, SIGTERM and SIGHUP stop it.
//! Every line it prints is terminal-safe (a system id or an error may quote
//! stored text).

use super::common::{Globals, parse_date_arg, store_path};
use super::post_queue::{Job, PostQueue, PostReport, next_report, settle};
use super::routes::{self, Routes};
use super::{outbox, watch_events, watch_game_day, watch_since_promotion};
use crate::alerting::decision;
use crate::alerting::hygiene::{HygieneRules, LevelTracker, Transition};
use crate::alerting::message;
use crate::alerting::message::RuleOdds;
use crate::format::terminal_safe as safe;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::silence::EventOutcome;
use crate::model::{AlertLevel, Diagnostics};
use crate::service;
use crate::service::Context;
use crate::service::alerts::AlertFigures;
use crate::source::embedded::EmbeddedStore;
use anyhow::Result;
use chrono::{NaiveDate, Utc};
use clap::Args;
use courtside_core::alerting::game_day::GameDayMonitor;
use courtside_core::config::routes::Topic;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Seconds between computations (default: refresh_secs).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true,
          value_parser = super::numbers::seconds)]
    pub interval: Option<u64>,
    /// Systems to watch (repeatable; default: the production system).
    #[arg(long = "system", value_name = "SYSTEM")]
    pub systems: Vec<String>,
    /// Write each computation to performance_diagnostics_daily.
    #[arg(long)]
    pub persist: bool,
    /// Replay these dates (comma-separated), one per interval, then stop.
    #[arg(long, value_name = "DATES", value_delimiter = ',')]
    pub replay: Vec<String>,
    /// Replay one game night's game-day rules through the stored times
    /// (10:00 on DATE to 14:00 the next day, every 30 minutes, back to
    /// back), posting what they make due, then stop.
    #[arg(long, value_name = "DATE", conflicts_with = "replay")]
    pub replay_night: Option<String>,
    /// Print which route each kind of post would take (URLs redacted), then stop.
    #[arg(long)]
    pub check_routes: bool,
    /// With --check-routes: print JSON.
    #[arg(long, requires = "check_routes")]
    pub json: bool,
}

fn summary(d: &Diagnostics) -> String {
    if !d.has_data() {
        return format!("{} {} unknown (no data)", d.system_id, d.game_date);
    }
    format!(
        "{} {} {} {} ({})",
        d.system_id,
        d.game_date,
        d.alert_level,
        d.cause.primary_cause,
        d.cause
            .cause_confidence
            .map_or("n/a".to_string(), |c| format!("{c:.2}"))
    )
}

/// Runs a synchronous alert-state SQLite call without holding up the async
/// worker it is on: the runtime moves its other tasks (the post queue, the
/// signal handler) to another worker meanwhile.
fn off_async<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

/// The wait after the `failed`-th round in a row with errors: 5 s, doubling,
/// up to the interval (or 5 s when the interval is shorter); a 0 s interval
/// (replays) retries at once.
pub fn retry_after(failed: u32, interval: Duration) -> Duration {
    if interval.is_zero() {
        return Duration::ZERO;
    }
    let doubled = Duration::from_secs(5).saturating_mul(1 << failed.saturating_sub(1).min(16));
    doubled.min(interval.max(Duration::from_secs(5)))
}

pub async fn run(context: &Context, globals: &Globals, args: &WatchArgs) -> Result<i32> {
    // First, so that a stop during start-up is heard by the loop.
    let stop = crate::signals::stop_signal();
    tokio::pin!(stop);
    let interval = Duration::from_secs(args.interval.unwrap_or(context.config.refresh_secs.0));
    let replay_night = args
        .replay_night
        .as_deref()
        .map(|text| parse_date_arg("--replay-night", text))
        .transpose()?;
    if interval.is_zero() && args.replay.is_empty() && replay_night.is_none() {
        anyhow::bail!(
            "--interval 0 would recompute without pause: give at least 1 second (0 is for --replay, which then runs its dates back to back)"
        );
    }
    let routes = Routes::from_config(&context.config, args.check_routes)?;
    let slack = &context.config.slack;
    let replay: Vec<NaiveDate> = args
        .replay
        .iter()
        .map(|text| parse_date_arg("--replay", text))
        .collect::<Result<_>>()?;
    let systems = if args.systems.is_empty() {
        vec![context.config.production_system.clone()]
    } else {
        args.systems.clone()
    };
    let source = context.source.as_ref();
    for system in &systems {
        service::check_system(source, system).await?;
    }
    if args.check_routes {
        return routes::print_check(&routes, &systems, args.json);
    }
    routes::refuse_untaken(&routes, &systems)?;
    // Posting needs a route (a default webhook or slack.routes).
    let posting = !routes.is_empty();
    // The embedded store holds what was posted and the outbox (on BigQuery it
    // is created when absent); later connections never create a file.
    let state = EmbeddedStore::open(&store_path(globals, &context.config)?)?;
    let thresholds = &context.config.thresholds;
    eprintln!(
        "watching {} every {}s; alerts {}",
        safe(&systems.join(", ")),
        interval.as_secs(),
        routes.summary()
    );
    let mut queue = posting.then(|| PostQueue::new(routes.clone(), state.clone()));
    let mut in_flight: HashSet<(String, NaiveDate, AlertLevel)> = HashSet::new();
    // What the last run queued and did not deliver goes out first, in order.
    if let Some(queue) = &mut queue {
        outbox::resend_pending(&state, queue, &mut in_flight);
    }
    let mut early_reports: Vec<PostReport> = Vec::new();
    // Posts started in this run count as the latest level at once, so a quick
    // next computation does not post the same change again; a failure undoes it.
    let mut sent: HashMap<String, decision::PostState> = HashMap::new();
    let mut last_line: HashMap<String, String> = HashMap::new();
    let mut trackers: HashMap<String, LevelTracker> = HashMap::new();
    let mut verdicts: HashMap<String, &'static str> = HashMap::new();
    // Each post quotes how often its rule cries wolf at the system's volume
    // (metrics.md 12); a system without graded bets yet has no figure.
    let mut odds: HashMap<String, AlertFigures> = HashMap::new();
    if posting {
        for system in &systems {
            match service::alerts::alert_figures(source, system, None, None, thresholds).await {
                Ok(figures) => {
                    odds.insert(system.clone(), figures);
                }
                Err(error) => tracing::info!("no false-alarm figures for {system}: {error:#}"),
            }
        }
    }
    let rules = HygieneRules {
        pending_evaluations: context.config.alerting.pending_evaluations.0,
        recovery_evaluations: context.config.alerting.recovery_evaluations.0,
    };
    let mut pending_notes: Vec<String> = Vec::new();
    let mut step = 0usize;
    let mut round_errors = 0u32;
    let mut failed_rounds = 0u32;
    // Systems whose latest date could not be read this round.
    let mut unreadable: HashSet<String> = HashSet::new();
    let mut game_day = GameDayMonitor::default();
    if let Some(night) = replay_night {
        for now in watch_game_day::replay_moments(context, night) {
            let round = watch_game_day::evaluate(
                context,
                &state,
                queue.as_mut(),
                &mut game_day,
                &mut in_flight,
                &args.systems,
                night,
                now,
            )
            .await;
            for line in round.lines {
                println!("{} {}", now.format("%Y-%m-%dT%H:%M:%SZ"), safe(&line));
            }
        }
    }
    while replay_night.is_none() {
        // What the posts reported since the last computation goes on the next line.
        let mut finished = std::mem::take(&mut early_reports);
        while let Some(report) = queue.as_mut().and_then(PostQueue::try_report) {
            finished.push(report);
        }
        for report in finished {
            pending_notes.push(settle(&state, report, &mut in_flight, &mut sent));
        }
        let dates: Vec<Option<NaiveDate>> = match replay.get(step) {
            Some(date) => vec![Some(*date); systems.len()],
            None if !replay.is_empty() => break,
            None => {
                let mut latest = Vec::new();
                for system in &systems {
                    match source.latest_date(Some(system)).await {
                        Ok(date) => latest.push(date),
                        Err(error) => {
                            round_errors += 1;
                            unreadable.insert(system.clone());
                            println!(
                                "{} {}",
                                Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                                safe(&format!("{system} error: {error:#}"))
                            );
                            latest.push(None);
                        }
                    }
                }
                latest
            }
        };
        for (system, date) in systems.iter().zip(dates) {
            let Some(date) = date else {
                if unreadable.remove(system) {
                    continue;
                }
                println!(
                    "{} {} no graded predictions yet",
                    Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                    safe(system)
                );
                continue;
            };
            let diagnostics = match service::diagnose_day(source, date, system, thresholds).await {
                Ok(d) => d,
                Err(error) => {
                    round_errors += 1;
                    println!(
                        "{} {}",
                        Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                        safe(&format!("{system} error: {error:#}"))
                    );
                    continue;
                }
            };
            let line = summary(&diagnostics);
            let mut notes = std::mem::take(&mut pending_notes);
            // The since-promotion verdict changing is said on its own line
            // of the log (and carried by every post of the system).
            let verdict = diagnostics
                .since_promotion
                .as_ref()
                .map(|since| since.word());
            if let Some(word) = verdict
                && let Some(before) = verdicts.insert(system.clone(), word)
                && before != word
            {
                notes.push(format!("since promotion: {word} (was {before})"));
            }
            if let (Some(queue), Some(since)) = (&mut queue, &diagnostics.since_promotion) {
                let said = watch_since_promotion::evaluate(
                    source,
                    &state,
                    queue,
                    &mut in_flight,
                    &mut sent,
                    system,
                    date,
                    since,
                );
                notes.extend(said.note);
                round_errors += u32::from(said.failed);
            }
            if args.persist
                && diagnostics.has_data()
                && let Err(error) = source
                    .persist_diagnostics(
                        &[DiagnosticsRow::from(&diagnostics)],
                        &context.config.production_system,
                    )
                    .await
            {
                round_errors += 1;
                notes.push(format!("not persisted: {error:#}"));
            }
            // Nothing measured is its own state, posted once (section 15).
            let level = if diagnostics.has_data() {
                diagnostics.alert_level
            } else {
                AlertLevel::Unknown
            };
            // What the store says was posted; unreadable (the file moved, a
            // table renamed) means no post this round, not the end of watch.
            let stored = if posting {
                match off_async(|| {
                    let posted = state.was_posted(system, date, level)?;
                    anyhow::Ok((posted, state.last_post(system)?))
                }) {
                    Ok(stored) => Some(stored),
                    Err(error) => {
                        round_errors += 1;
                        notes.push(format!(
                            "alert state unreadable ({error:#}); not posted this round"
                        ));
                        None
                    }
                }
            } else {
                None
            };
            if let Some(queue) = &mut queue
                && let Some((posted_before, stored_last)) = stored
            {
                let key = (system.clone(), date, level);
                let already = posted_before || in_flight.contains(&key);
                let last = match sent.get(system) {
                    Some(started) => Some(started.clone()),
                    None => stored_last,
                };
                let tracker = trackers
                    .entry(system.clone())
                    .or_insert_with(|| LevelTracker::new(last.as_ref().map(|l| l.last_level)));
                // A replay keeps the cooldown by the replayed dates (noon
                // UTC of each), counted from what it posted itself: the wall
                // clock would hold back every post after the first.
                let (clock, cooldown_from) = if replay.is_empty() {
                    (Utc::now(), last.clone())
                } else {
                    let noon = date.and_hms_opt(12, 0, 0).map(|at| at.and_utc());
                    (noon.unwrap_or_else(Utc::now), sent.get(system).cloned())
                };
                let before = tracker.clone();
                let transition = tracker.observe(level, date, rules);
                let change = watch_events::Change {
                    system,
                    date,
                    topic: Topic::Verdict,
                    from: Some(before.posted()),
                    to: level,
                    cause: Some(diagnostics.cause.primary_cause.as_str()),
                };
                let payload = match transition {
                    None => None,
                    Some(Transition::Pending {
                        level,
                        held,
                        needed,
                    }) => {
                        notes.push(format!(
                            "{level} pending ({held} of {needed} evaluations in a row)"
                        ));
                        None
                    }
                    // A silence holds it: recorded, not sent, and due
                    // again (the tracker forgets it) once the silence ends.
                    Some(_)
                        if let Some(silence) =
                            watch_events::silenced_by(source, Topic::Verdict, level, system) =>
                    {
                        *tracker = before;
                        notes.push(watch_events::silenced(&state, &change, &silence));
                        None
                    }
                    Some(due) => {
                        match decision::hold_back(
                            already,
                            cooldown_from.as_ref(),
                            clock,
                            slack.cooldown_secs,
                        ) {
                            Some(reason) => {
                                if !already {
                                    let held = EventOutcome::Held;
                                    watch_events::record(
                                        &state,
                                        &change,
                                        held,
                                        None,
                                        Some(reason),
                                        None,
                                    );
                                }
                                notes.push(format!("not posted: {reason}"));
                                None
                            }
                            None => Some(match due {
                                Transition::Recovered {
                                    previous,
                                    peak,
                                    since,
                                    ..
                                } => message::recovered(&diagnostics, previous, peak, since),
                                Transition::Unknown { last_known } => {
                                    message::unknown(&diagnostics, last_known)
                                }
                                _ => {
                                    let odds = odds.get(system).map(|figures| RuleOdds {
                                        bets_per_day: figures.bets_per_day,
                                        break_even_pct: 100.0 * figures.break_even,
                                        rules: &figures.rules,
                                    });
                                    message::alert(&diagnostics, odds.as_ref())
                                }
                            }),
                        }
                    }
                };
                if let Some(payload) = payload {
                    match off_async(|| {
                        state.enqueue_post(system, date, level, &payload, Utc::now())
                    }) {
                        Ok(id) => {
                            in_flight.insert(key);
                            sent.insert(
                                system.clone(),
                                decision::PostState {
                                    last_level: level,
                                    last_posted_at: clock,
                                },
                            );
                            notes.push(format!("posting {level}"));
                            let route = queue.route_label(system, level);
                            let posting = EventOutcome::Posting;
                            watch_events::record(
                                &state,
                                &change,
                                posting,
                                route.as_deref(),
                                None,
                                None,
                            );
                            queue.send(Job {
                                id,
                                system: system.clone(),
                                date,
                                level,
                                payload,
                            });
                        }
                        Err(error) => {
                            round_errors += 1;
                            notes.push(format!("not posted: cannot queue it ({error:#})"));
                        }
                    }
                }
            }
            if last_line.get(system) != Some(&line) || !notes.is_empty() {
                let suffix = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", notes.join("; "))
                };
                println!(
                    "{} {}",
                    Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                    safe(&format!("{line}{suffix}"))
                );
                last_line.insert(system.clone(), line);
            }
        }
        // The game-day rules, live only (a replay of dates has no clock).
        if replay.is_empty() {
            let now = service::game_day::clock();
            for date in watch_game_day::live_dates(context, now) {
                let round = watch_game_day::evaluate(
                    context,
                    &state,
                    queue.as_mut(),
                    &mut game_day,
                    &mut in_flight,
                    &args.systems,
                    date,
                    now,
                )
                .await;
                round_errors += round.errors;
                for line in round.lines {
                    println!("{} {}", now.format("%Y-%m-%dT%H:%M:%SZ"), safe(&line));
                }
            }
        }
        step += 1;
        // A replay ends with its last date: no interval after it unless a
        // post is still in flight (then the wait ends when it finishes).
        if !replay.is_empty() && step >= replay.len() && in_flight.is_empty() {
            break;
        }
        // After a round with errors the next one waits `retry_after`: 5 s,
        // 10 s, 20 s ... up to the interval, and the line says so.
        let wait = if round_errors == 0 {
            if failed_rounds > 0 {
                println!(
                    "{} recovered after {failed_rounds} round(s) with errors",
                    Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
                );
            }
            failed_rounds = 0;
            interval
        } else {
            failed_rounds += 1;
            let backoff = retry_after(failed_rounds, interval);
            println!(
                "{} {round_errors} error(s) this round; retrying in {}s",
                Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                backoff.as_secs()
            );
            backoff
        };
        round_errors = 0;
        // Replayed dates run back to back (a finished post is still waited
        // for, so its line comes in order).
        let wait = if replay.is_empty() {
            wait
        } else if in_flight.is_empty() {
            Duration::ZERO
        } else {
            wait.min(Duration::from_secs(5))
        };
        tokio::select! {
            _ = &mut stop => {
                eprintln!("stopping");
                break;
            }
            _ = tokio::time::sleep(wait) => {}
            // A finished post ends the wait, so its line comes at once.
            Some(report) = next_report(&mut queue) => early_reports.push(report),
        }
    }
    // Posts in flight get a moment to finish; what is still queued stays in
    // the outbox for the next start, and the line says so.
    let grace = Duration::from_millis(if replay.is_empty() && replay_night.is_none() {
        800
    } else {
        3000
    });
    if let Some(queue) = queue {
        let mut finished = early_reports;
        finished.extend(queue.finish(grace).await);
        for report in finished {
            println!(
                "{}",
                safe(&settle(&state, report, &mut in_flight, &mut sent))
            );
        }
        match off_async(|| state.pending_posts()) {
            Ok(left) if !left.is_empty() => println!(
                "{} post(s) not delivered before exit: kept in the outbox, sent first at the next start",
                left.len()
            ),
            Ok(_) => {}
            Err(error) => println!("cannot read the outbox: {}", safe(&format!("{error:#}"))),
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_five_seconds_to_the_interval() {
        let minute = Duration::from_secs(60);
        let waits: Vec<u64> = (1..=6).map(|n| retry_after(n, minute).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
        assert_eq!(
            retry_after(3, Duration::from_secs(2)),
            Duration::from_secs(5)
        );
        assert_eq!(retry_after(9, Duration::ZERO), Duration::ZERO);
    }
}
