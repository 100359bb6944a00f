//! What `watch` writes to its timeline (`courtside_alert_events`) and the
//! silences it honours: a due post held by an active silence is recorded as
//! silenced (once per silence, system, date and level), not sent, and is due
//! again when the silence ends; a queued post is recorded with its route,
//! and its delivery or failure when it settles. A timeline that cannot be
//! written is logged, never the end of a round.

use crate::model::AlertLevel;
use crate::model::silence::{EventOutcome, Silence};
use crate::source::Source;
use crate::source::embedded::{EmbeddedStore, NewEvent};
use chrono::NaiveDate;
use courtside_core::config::game_day::clock;
use courtside_core::config::routes::Topic;

/// The active silence that holds a post of `topic` and `level` for
/// `system` now, if any, read from the source when a post is due (on
/// BigQuery the shared table, so a silence added anywhere holds it); an
/// unreadable silences table holds nothing, and says so in the log.
pub fn silenced_by(
    source: &dyn Source,
    topic: Topic,
    level: AlertLevel,
    system: &str,
) -> Option<Silence> {
    let now = clock();
    let read = tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(source.silences())
    });
    match read {
        Ok(silences) => silences
            .into_iter()
            .find(|silence| silence.holds(topic, level, system, now)),
        Err(error) => {
            tracing::warn!("silences unreadable, none honoured this round: {error:#}");
            None
        }
    }
}

/// One change and what became of its post.
pub struct Change<'a> {
    pub system: &'a str,
    pub date: NaiveDate,
    pub topic: Topic,
    pub from: Option<AlertLevel>,
    pub to: AlertLevel,
    pub cause: Option<&'a str>,
}

/// Records `change` held by `silence` (the first time only); the note says so.
pub fn silenced(state: &EmbeddedStore, change: &Change, silence: &Silence) -> String {
    let first = tokio::task::block_in_place(|| {
        state.was_silenced(silence.id, change.system, change.date, change.to)
    });
    if matches!(first, Ok(false)) {
        record(
            state,
            change,
            EventOutcome::Silenced,
            None,
            Some(&silence.sentence(clock())),
            Some(silence.id),
        );
    }
    format!("silenced ({}), not posted", silence.sentence(clock()))
}

/// Records `change` with `outcome` (its route where it has one).
pub fn record(
    state: &EmbeddedStore,
    change: &Change,
    outcome: EventOutcome,
    route: Option<&str>,
    detail: Option<&str>,
    silence_id: Option<i64>,
) {
    let event = NewEvent {
        at: clock(),
        system_id: change.system,
        game_date: change.date,
        topic: change.topic,
        from_level: change.from,
        to_level: change.to,
        cause: change.cause,
        outcome,
        route,
        detail,
        silence_id,
    };
    if let Err(error) = tokio::task::block_in_place(|| state.record_event(&event)) {
        tracing::warn!("the timeline was not written: {error:#}");
    }
}

/// Records a settled post of outbox key `key`: delivered on `route`, or
/// failed with `error`.
pub fn settled(
    state: &EmbeddedStore,
    key: &str,
    date: NaiveDate,
    level: AlertLevel,
    route: Option<&str>,
    error: Option<&str>,
) {
    let (topic, system) = Topic::of_key(key);
    let change = Change {
        system,
        date,
        topic,
        from: None,
        to: level,
        cause: None,
    };
    let outcome = if error.is_some() {
        EventOutcome::Failed
    } else {
        EventOutcome::Delivered
    };
    record(state, &change, outcome, route, error, None);
}
