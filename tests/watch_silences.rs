//! Silences and the timeline, end to end: a silenced warning is not posted
//! and is in the timeline as silenced (once, however many rounds it holds);
//! after the silence ends the still-holding warning is posted once; an ended
//! and an expired silence are shown as such; `timeline --json` lists every
//! change and delivery in order. The clock is `COURTSIDE_NOW`.

#[path = "watch_support/mod.rs"]
mod support;

use serde_json::Value;
use support::{as_actor as run, json, receiver, setup, stdout};

/// catboost_v8's warning day in the one-season demo (`watch.rs`).
const WARNING_DAY: &str = "2025-12-14";

#[tokio::test(flavor = "multi_thread")]
async fn a_silenced_warning_is_recorded_not_posted_and_posted_once_after_the_silence() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let d = dir.path();
    let watch = ["watch", "--interval", "0", "--replay", WARNING_DAY];

    let added = run(
        d,
        &store,
        "2026-12-01T10:00:00Z",
        "alice",
        None,
        &[
            "silence",
            "add",
            "--system",
            "catboost_v8",
            "--level",
            "warning",
            "--for",
            "3h",
            "--comment",
            "retraining",
        ],
    )
    .await;
    let text = stdout(&added);
    assert!(added.status.success(), "{text}");
    assert!(
        text.contains("silence 1: 🔕 catboost_v8 warning until 13:00 UTC, by alice: retraining"),
        "{text}"
    );

    // Two rounds inside the silence: nothing posted, one silenced event.
    for now in ["2026-12-01T11:00:00Z", "2026-12-01T11:30:00Z"] {
        let output = run(d, &store, now, "alice", Some(&hook.url), &watch).await;
        let log = stdout(&output);
        assert!(output.status.success(), "{log}");
        assert!(log.contains("silenced (🔕 catboost_v8 warning until 13:00 UTC, by alice: retraining), not posted"), "{log}");
    }
    assert!(hook.texts().is_empty(), "{:#?}", hook.texts());
    let events = json(
        &run(
            d,
            &store,
            "2026-12-01T11:45:00Z",
            "alice",
            None,
            &["timeline", "--json"],
        )
        .await,
    );
    let events = events.as_array().unwrap().clone();
    let silenced: Vec<&Value> = events
        .iter()
        .filter(|e| e["outcome"] == "silenced")
        .collect();
    assert_eq!(silenced.len(), 1, "once: {events:#?}");
    assert_eq!(silenced[0]["system_id"], "catboost_v8");
    assert_eq!(silenced[0]["to_level"], "warning");
    assert_eq!(silenced[0]["topic"], "verdict");
    assert_eq!(silenced[0]["silence_id"], 1);

    // The silence has ended and the warning still holds: posted once.
    for _ in 0..2 {
        let output = run(
            d,
            &store,
            "2026-12-01T14:00:00Z",
            "alice",
            Some(&hook.url),
            &watch,
        )
        .await;
        assert!(output.status.success(), "{}", stdout(&output));
    }
    let posts = hook.texts();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].contains("WARNING"), "{}", posts[0]);

    // The timeline in order: silenced, then posting and delivered.
    let events = json(
        &run(
            d,
            &store,
            "2026-12-01T14:05:00Z",
            "alice",
            None,
            &["timeline", "--json", "--system", "catboost_v8"],
        )
        .await,
    );
    let outcomes: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["silenced", "posting", "delivered"], "{events:#}");
    assert_eq!(events[2]["route"], "default", "{events:#}");
    let ids: Vec<i64> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let text = stdout(
        &run(
            d,
            &store,
            "2026-12-01T14:05:00Z",
            "alice",
            None,
            &["timeline"],
        )
        .await,
    );
    assert!(text.contains("catboost_v8 2025-12-14  verdict"), "{text}");
    assert!(text.contains("delivered to default"), "{text}");

    // Ended and expired silences are shown as such.
    let second = json(
        &run(
            d,
            &store,
            "2026-12-01T14:10:00Z",
            "alice",
            None,
            &[
                "silence",
                "add",
                "--system",
                "xgboost_v7",
                "--until",
                "20:00",
                "--comment",
                "backfill",
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(second["state"], "active", "{second:#}");
    let expired = json(
        &run(
            d,
            &store,
            "2026-12-01T14:20:00Z",
            "bob",
            None,
            &["silence", "expire", "2", "--json"],
        )
        .await,
    );
    assert_eq!(expired["state"], "expired", "{expired:#}");
    assert_eq!(expired["expired_by"], "bob", "{expired:#}");
    let again = run(
        d,
        &store,
        "2026-12-01T14:30:00Z",
        "bob",
        None,
        &["silence", "expire", "2"],
    )
    .await;
    assert_eq!(again.status.code(), Some(1), "{}", stdout(&again));
    assert!(
        stdout(&again).contains("silence 2 has expired already"),
        "{}",
        stdout(&again)
    );
    let list = json(
        &run(
            d,
            &store,
            "2026-12-01T15:00:00Z",
            "alice",
            None,
            &["silence", "list", "--json"],
        )
        .await,
    );
    let states: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["system_id"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("xgboost_v7", "expired"), ("catboost_v8", "ended")],
        "{list:#}"
    );
    let text = stdout(
        &run(
            d,
            &store,
            "2026-12-01T15:00:00Z",
            "alice",
            None,
            &["silence", "list"],
        )
        .await,
    );
    assert!(
        text.contains("ended 13:00 UTC, by alice: retraining"),
        "{text}"
    );
    assert!(
        text.contains("expired 2026-12-01 14:20 UTC by bob, by alice: backfill"),
        "{text}"
    );

    // A silence without a comment is refused.
    let refused = run(
        d,
        &store,
        "2026-12-01T15:00:00Z",
        "alice",
        None,
        &[
            "silence",
            "add",
            "--system",
            "x",
            "--for",
            "1h",
            "--comment",
            " ",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    assert!(
        stdout(&refused).contains("--comment is required"),
        "{}",
        stdout(&refused)
    );
}

/// `timeline --json` after a replay of the demo's January lists every
/// change and its delivery in order: each post `posting` then `delivered`
/// on its route, as many as the receiver got, ids and times increasing.
#[tokio::test(flavor = "multi_thread")]
async fn the_timeline_of_a_replayed_january_lists_every_change_and_delivery_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let d = dir.path();
    let january: Vec<String> = (1..=31).map(|day| format!("2026-01-{day:02}")).collect();
    let dates = january.join(",");
    let now = "2026-02-01T09:00:00Z";
    let output = run(
        d,
        &store,
        now,
        "alice",
        Some(&hook.url),
        &["watch", "--interval", "0", "--replay", &dates],
    )
    .await;
    assert!(output.status.success(), "{}", stdout(&output));
    let posts = hook.texts();
    assert!(posts.len() >= 2, "January has changes: {posts:#?}");
    let events = json(
        &run(
            d,
            &store,
            now,
            "alice",
            None,
            &[
                "timeline",
                "--json",
                "--from",
                "2026-01-01",
                "--to",
                "2026-01-31",
            ],
        )
        .await,
    );
    let events = events.as_array().unwrap();
    let posting: Vec<&Value> = events
        .iter()
        .filter(|e| e["outcome"] == "posting")
        .collect();
    let delivered: Vec<&Value> = events
        .iter()
        .filter(|e| e["outcome"] == "delivered")
        .collect();
    assert_eq!(
        posting.len(),
        posts.len(),
        "one posting per post: {events:#?}"
    );
    assert_eq!(delivered.len(), posts.len(), "each delivered: {events:#?}");
    // Each queue's deliveries (a system's verdicts, its since-promotion
    // verdicts) come in the order of its postings, each after it.
    let mut queues: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (
                e["system_id"].as_str().unwrap().to_string(),
                e["topic"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    queues.sort();
    queues.dedup();
    for (system, topic) in &queues {
        let of = |outcome: &str| -> Vec<(i64, String, String)> {
            events
                .iter()
                .filter(|e| {
                    e["system_id"] == system.as_str()
                        && e["topic"] == topic.as_str()
                        && e["outcome"] == outcome
                })
                .map(|e| {
                    (
                        e["id"].as_i64().unwrap(),
                        e["game_date"].as_str().unwrap().to_string(),
                        e["to_level"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        let (queued, sent) = (of("posting"), of("delivered"));
        assert_eq!(queued.len(), sent.len(), "{system} {topic}: {events:#?}");
        for (q, s) in queued.iter().zip(&sent) {
            assert_eq!((&q.1, &q.2), (&s.1, &s.2), "{events:#?}");
            assert!(q.0 < s.0, "delivered after it was queued: {events:#?}");
        }
        let dates: Vec<&String> = queued.iter().map(|q| &q.1).collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "in date order: {dates:?}"
        );
    }
    for event in events {
        assert!(
            event["game_date"].as_str().unwrap().starts_with("2026-01-"),
            "{event}"
        );
        if event["outcome"] == "posting" || event["outcome"] == "delivered" {
            assert_eq!(event["route"], "default", "{event}");
        }
    }
    let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}
