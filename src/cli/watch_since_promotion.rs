//! `watch` and the since-promotion verdict (metrics.md 19): when a
//! system's verdict changes, or is first decided, one post through the same
//! outbox as the verdicts, kept under its own key (`alerting::since_promotion`)
//! so a restarted `watch` knows what it last said.

use super::post_queue::{Job, PostQueue};
use super::watch_events;
use crate::model::silence::EventOutcome;
use crate::source::embedded::EmbeddedStore;
use chrono::{NaiveDate, Utc};
use courtside_core::alerting::decision::PostState;
use courtside_core::alerting::since_promotion::{due, level_of, payload, post_key};
use courtside_core::config::routes::Topic;
use courtside_core::model::AlertLevel;
use courtside_core::model::since_promotion::SincePromotion;
use std::collections::{HashMap, HashSet};

/// What a system's post changed: the note for its log line, if any, and
/// whether the state or the outbox failed.
pub struct Said {
    pub note: Option<String>,
    pub failed: bool,
}

/// Queues the post of `since` for `system` on `date` when it is due.
/// `sent` holds what this process queued under each key (before its
/// delivery is recorded; a post abandoned after its retries leaves it, so
/// it is tried again), else the store's last delivered post is what was
/// said.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    source: &dyn crate::source::Source,
    state: &EmbeddedStore,
    queue: &mut PostQueue,
    in_flight: &mut HashSet<(String, NaiveDate, AlertLevel)>,
    sent: &mut HashMap<String, PostState>,
    system: &str,
    date: NaiveDate,
    since: &SincePromotion,
) -> Said {
    let key = post_key(system);
    let level = level_of(since);
    let last = match sent.get(&key) {
        Some(queued) => Some(queued.last_level),
        None => match tokio::task::block_in_place(|| state.last_post(&key)) {
            Ok(stored) => stored.map(|post| post.last_level),
            Err(error) => {
                return Said {
                    note: Some(format!(
                        "since-promotion state unreadable ({error:#}); not posted this round"
                    )),
                    failed: true,
                };
            }
        },
    };
    let in_flight_key = (key.clone(), date, level);
    if !due(since, last) || in_flight.contains(&in_flight_key) {
        return Said {
            note: None,
            failed: false,
        };
    }
    let change = watch_events::Change {
        system,
        date,
        topic: Topic::SincePromotion,
        from: last,
        to: level,
        cause: Some(since.word()),
    };
    // A silence holds it: recorded; still due when the silence ends.
    if let Some(silence) = watch_events::silenced_by(source, Topic::SincePromotion, level, system) {
        return Said {
            note: Some(format!(
                "since promotion {}",
                watch_events::silenced(state, &change, &silence)
            )),
            failed: false,
        };
    }
    let body = payload(system, date, since, last);
    match tokio::task::block_in_place(|| state.enqueue_post(&key, date, level, &body, Utc::now())) {
        Ok(id) => {
            in_flight.insert(in_flight_key);
            let route = queue.route_label(&key, level);
            let posting = EventOutcome::Posting;
            watch_events::record(state, &change, posting, route.as_deref(), None, None);
            sent.insert(
                key.clone(),
                PostState {
                    last_level: level,
                    last_posted_at: Utc::now(),
                },
            );
            queue.send(Job {
                id,
                system: key,
                date,
                level,
                payload: body,
            });
            Said {
                note: Some(format!("posting since promotion: {}", since.word())),
                failed: false,
            }
        }
        Err(error) => Said {
            note: Some(format!(
                "since promotion not posted: cannot queue it ({error:#})"
            )),
            failed: true,
        },
    }
}
