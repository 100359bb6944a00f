//! `watch` on game day: each round evaluates the slate of today and of
//! yesterday (the `not graded` rule fires the morning after) and posts what
//! the game-day monitor makes due through the same outbox as the verdicts,
//! once per system, date and level. `--replay-night D` plays one night
//! through the stored timestamps (predictions made, snapshots taken, rows
//! graded by each moment) from 10:00 on D to 14:00 the next day, in the
//! config's time zone, every 30 minutes, back to back.

use super::post_queue::{Job, PostQueue};
use super::watch_events;
use crate::model::silence::EventOutcome;
use crate::service::{self, Context};
use crate::source::embedded::EmbeddedStore;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use courtside_core::alerting::game_day::GameDayMonitor;
use courtside_core::config::routes::Topic;
use courtside_core::model::AlertLevel;
use std::collections::HashSet;

/// Minutes between the moments a replayed night is judged at.
pub const REPLAY_STEP_MINUTES: i64 = 30;

/// What one evaluation did: lines to print and errors met.
#[derive(Debug, Default)]
pub struct Round {
    pub lines: Vec<String>,
    pub errors: u32,
}

/// The slate of `date` at `now`, and the posts it makes due, queued.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate(
    context: &Context,
    state: &EmbeddedStore,
    queue: Option<&mut PostQueue>,
    monitor: &mut GameDayMonitor,
    in_flight: &mut HashSet<(String, NaiveDate, AlertLevel)>,
    only: &[String],
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Round {
    let mut round = Round::default();
    let mut slate = match service::game_day::slate(
        context.source.as_ref(),
        &context.config.game_day,
        date,
        now,
    )
    .await
    {
        Ok(slate) => slate,
        Err(error) => {
            round.errors += 1;
            round
                .lines
                .push(format!("game day {date} error: {error:#}"));
            return round;
        }
    };
    if !only.is_empty() {
        slate
            .systems
            .retain(|system| only.contains(&system.system_id));
    }
    let posts = monitor.observe(&slate);
    let Some(queue) = queue else {
        for post in posts {
            round.lines.push(format!(
                "game day {} {}: {} {} (no webhook: not posted)",
                post.system, post.date, post.level, post.rule
            ));
        }
        return round;
    };
    for post in posts {
        let key = (post.key.clone(), post.date, post.level);
        let posted =
            tokio::task::block_in_place(|| state.was_posted(&post.key, post.date, post.level));
        match posted {
            Ok(true) => {
                round.lines.push(format!(
                    "game day {} {}: {} already posted",
                    post.system, post.date, post.level
                ));
                continue;
            }
            Ok(false) if in_flight.contains(&key) => continue,
            Ok(false) => {}
            Err(error) => {
                round.errors += 1;
                round.lines.push(format!(
                    "alert state unreadable ({error:#}); not posted this round"
                ));
                monitor.forget(&post);
                continue;
            }
        }
        let change = watch_events::Change {
            system: &post.system,
            date: post.date,
            topic: Topic::GameDay,
            from: None,
            to: post.level,
            cause: Some(&post.rule),
        };
        // A silence holds it: recorded, and due again when the silence ends.
        if let Some(silence) = watch_events::silenced_by(
            context.source.as_ref(),
            Topic::GameDay,
            post.level,
            &post.system,
        ) {
            let note = watch_events::silenced(state, &change, &silence);
            round.lines.push(format!(
                "game day {} {}: {} {note}",
                post.system, post.date, post.level
            ));
            monitor.forget(&post);
            continue;
        }
        let queued = tokio::task::block_in_place(|| {
            state.enqueue_post(&post.key, post.date, post.level, &post.payload, Utc::now())
        });
        match queued {
            Ok(id) => {
                in_flight.insert(key);
                let route = queue.route_label(&post.key, post.level);
                let posting = EventOutcome::Posting;
                watch_events::record(state, &change, posting, route.as_deref(), None, None);
                round.lines.push(format!(
                    "game day {} {}: posting {} ({})",
                    post.system, post.date, post.level, post.rule
                ));
                queue.send(Job {
                    id,
                    system: post.key,
                    date: post.date,
                    level: post.level,
                    payload: post.payload,
                });
            }
            Err(error) => {
                round.errors += 1;
                round
                    .lines
                    .push(format!("not posted: cannot queue it ({error:#})"));
                monitor.forget(&post);
            }
        }
    }
    round
}

/// The dates a live round looks at: today in the config's zone, and
/// yesterday (its grading is judged the next morning).
pub fn live_dates(context: &Context, now: DateTime<Utc>) -> Vec<NaiveDate> {
    let today = service::game_day::today(&context.config, now);
    let mut dates: Vec<NaiveDate> = today.pred_opt().into_iter().collect();
    dates.push(today);
    dates
}

/// The moments a replayed night is judged at: 10:00 on `night` to 14:00 the
/// next day, local time, every [`REPLAY_STEP_MINUTES`].
pub fn replay_moments(context: &Context, night: NaiveDate) -> Vec<DateTime<Utc>> {
    let zone = context.config.game_day.zone();
    let local = |day: NaiveDate, hour: u32| {
        let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
        zone.from_local_datetime(&day.and_time(time))
            .earliest()
            .map(|at| at.with_timezone(&Utc))
    };
    let next = night.checked_add_days(Days::new(1)).unwrap_or(night);
    let (Some(start), Some(end)) = (local(night, 10), local(next, 14)) else {
        return Vec::new();
    };
    let mut moments = Vec::new();
    let mut at = start;
    while at <= end {
        moments.push(at);
        at += Duration::minutes(REPLAY_STEP_MINUTES);
    }
    moments
}
