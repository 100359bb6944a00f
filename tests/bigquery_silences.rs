//! Silences on BigQuery, shared through the warehouse: before `setup` a
//! silence is refused with the fix; `setup --apply` creates
//! `tables.silences`; a silence alice adds on her machine (her own state
//! store) is listed on bob's, shown in his `diag --json`, and holds his
//! `watch` (recorded as silenced in his timeline, nothing posted); bob
//! expires it and the still-holding warning is posted once; a retried add
//! (its first answer lost) adds nothing more. The clock is `COURTSIDE_NOW`.

#[path = "common/demo.rs"]
mod demo;
#[path = "common/emulator.rs"]
mod emulator;
#[path = "watch_support/mod.rs"]
mod support;

use courtside::model::silence::NewSilence;
use courtside::source::Source;
use courtside::source::bigquery::params::Params;
use std::path::Path;
use std::process::Output;
use support::{json, parsed, receiver, stdout};

/// catboost_v8's warning day in the one-season demo (`watch.rs`).
const WARNING_DAY: &str = "2025-12-14";

/// Runs courtside as `actor` at `now` on the test's BigQuery config, with
/// `state` as the machine's own store (outbox and timeline).
async fn run(
    dir: &Path,
    state: &str,
    now: &str,
    actor: &str,
    hook: Option<&str>,
    args: &[&str],
) -> Output {
    support::as_actor(dir, &dir.join(state), now, actor, hook, args).await
}

const ADD: [&str; 10] = [
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
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
async fn a_silence_added_on_one_machine_holds_the_watch_on_another_through_the_warehouse() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = demo::demo_store(d);
    let mut config = emulator::qualified(emulator::config("silences"));
    config.slack.cooldown_secs = 0;
    config.slack.max_retries = 3;
    let source = emulator::create_tables(&config).await;
    emulator::load_from(&demo, &source).await;
    // A warehouse set up before silences existed.
    source
        .execute(
            &format!("DROP TABLE `{}`", config.tables.silences.qualified()),
            Params::new(),
        )
        .await
        .unwrap();
    emulator::write_config(&config, d, "config.yaml");

    let refused = run(
        d,
        "alice.sqlite",
        "2026-12-01T09:00:00Z",
        "alice",
        None,
        &ADD,
    )
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    assert!(
        stdout(&refused).contains("courtside setup --apply"),
        "{}",
        stdout(&refused)
    );
    let listed = json(
        &run(
            d,
            "bob.sqlite",
            "2026-12-01T09:00:00Z",
            "bob",
            None,
            &["silence", "list", "--json"],
        )
        .await,
    );
    assert_eq!(listed, serde_json::json!([]), "none before the table");

    let setup = run(
        d,
        "alice.sqlite",
        "2026-12-01T09:00:00Z",
        "alice",
        None,
        &["setup", "--apply"],
    )
    .await;
    assert!(setup.status.success(), "{}", stdout(&setup));
    assert!(
        stdout(&setup).contains("create table courtside_silences"),
        "{}",
        stdout(&setup)
    );

    let added = run(
        d,
        "alice.sqlite",
        "2026-12-01T10:00:00Z",
        "alice",
        None,
        &ADD,
    )
    .await;
    let text = stdout(&added);
    assert!(added.status.success(), "{text}");
    assert!(
        text.contains("silence 1: 🔕 catboost_v8 warning until 13:00 UTC, by alice: retraining"),
        "{text}"
    );

    // Bob's machine: another state store, the same warehouse.
    let on_bob = json(
        &run(
            d,
            "bob.sqlite",
            "2026-12-01T10:30:00Z",
            "bob",
            None,
            &["silence", "list", "--json"],
        )
        .await,
    );
    assert_eq!(on_bob[0]["author"], "alice", "{on_bob:#}");
    assert_eq!(on_bob[0]["state"], "active", "{on_bob:#}");
    // diag's exit code is the day's level (a warning).
    let diag = parsed(
        &run(
            d,
            "bob.sqlite",
            "2026-12-01T10:30:00Z",
            "bob",
            None,
            &[
                "diag",
                "--system",
                "catboost_v8",
                "--date",
                WARNING_DAY,
                "--json",
            ],
        )
        .await,
    );
    assert_eq!(diag["silences"][0]["comment"], "retraining", "{diag:#}");

    let hook = receiver(vec![]).await;
    let watch = ["watch", "--interval", "0", "--replay", WARNING_DAY];
    let held = run(
        d,
        "bob.sqlite",
        "2026-12-01T11:00:00Z",
        "bob",
        Some(&hook.url),
        &watch,
    )
    .await;
    let log = stdout(&held);
    assert!(held.status.success(), "{log}");
    assert!(
        log.contains(
            "silenced (🔕 catboost_v8 warning until 13:00 UTC, by alice: retraining), not posted"
        ),
        "{log}"
    );
    assert!(hook.texts().is_empty(), "{:#?}", hook.texts());

    let expired = json(
        &run(
            d,
            "bob.sqlite",
            "2026-12-01T11:30:00Z",
            "bob",
            None,
            &["silence", "expire", "1", "--json"],
        )
        .await,
    );
    assert_eq!(expired["state"], "expired", "{expired:#}");
    assert_eq!(expired["expired_by"], "bob", "{expired:#}");
    let again = run(
        d,
        "alice.sqlite",
        "2026-12-01T11:35:00Z",
        "alice",
        None,
        &["silence", "expire", "1"],
    )
    .await;
    assert_eq!(again.status.code(), Some(1), "{}", stdout(&again));
    assert!(
        stdout(&again).contains("has expired already"),
        "{}",
        stdout(&again)
    );

    let posted = run(
        d,
        "bob.sqlite",
        "2026-12-01T11:40:00Z",
        "bob",
        Some(&hook.url),
        &watch,
    )
    .await;
    assert!(posted.status.success(), "{}", stdout(&posted));
    let posts = hook.texts();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert!(posts[0].contains("WARNING"), "{}", posts[0]);
    let outcomes: Vec<String> = json(
        &run(
            d,
            "bob.sqlite",
            "2026-12-01T11:45:00Z",
            "bob",
            None,
            &["timeline", "--json", "--system", "catboost_v8"],
        )
        .await,
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|e| e["outcome"].as_str().unwrap().to_string())
    .collect();
    assert_eq!(outcomes, ["silenced", "posting", "delivered"]);

    // A retried add (the first answer lost) is the same silence, not a second.
    let source = courtside::source::bigquery::BigQuerySource::connect(
        &config.source.bigquery,
        &config.tables,
    )
    .await
    .unwrap();
    let retried = NewSilence {
        system_id: "xgboost_v7".into(),
        topic: None,
        level: None,
        starts_at: "2026-12-01T12:00:00Z".parse().unwrap(),
        ends_at: "2026-12-01T18:00:00Z".parse().unwrap(),
        author: "carol".into(),
        comment: "backfill".into(),
    };
    let first = source.add_silence(&retried).await.unwrap();
    let second = source.add_silence(&retried).await.unwrap();
    assert_eq!((first, second), (2, 2));
    let all = source.silences().await.unwrap();
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(all[0].id, 2, "newest first");
}
