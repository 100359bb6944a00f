//! `courtside watch` against a webhook receiver on 127.0.0.1 that the test
//! starts: posts on level changes only, survives restarts without re-posting,
//! retries 429 and 500 with backoff, is not held up by a hanging receiver,
//! never prints the URL, and rejects a bad URL at start.

#[path = "watch_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::{Reply, receiver, setup, stdout, watch};

// Quiet 2025-11-25, bad shot zones 2025-12-14 (warning), drift 2026-03-25
// (critical), healthy 2026-04-12 held for two evaluations (the default
// `alerting.recovery_evaluations`), so the second one posts the recovery.
const SEQUENCE: &str = "2025-11-25,2025-12-14,2026-03-25,2026-04-12,2026-04-12";

#[tokio::test(flavor = "multi_thread")]
async fn a_sequence_of_days_posts_each_change_once_and_the_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let output = watch(dir.path(), &store, &hook.url, &["--replay", SEQUENCE]).await;
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let bodies = hook.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 3, "{text}\n{bodies:#?}");
    let texts: Vec<String> = bodies
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        texts[0].contains("WARNING") && texts[0].contains("data_quality"),
        "{}",
        texts[0]
    );
    assert!(
        texts[0].contains("shot-zone completeness"),
        "factors with numbers: {}",
        texts[0]
    );
    assert!(
        texts[1].contains("CRITICAL") && texts[1].contains("model_drift"),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("RECOVERED")
            && texts[2].contains("was critical")
            && texts[2].contains("peak critical")
            && texts[2].contains("since 2025-12-14"),
        "{}",
        texts[2]
    );
    assert!(
        text.contains("healthy pending (1 of 2 evaluations in a row)"),
        "the first healthy evaluation waits: {text}"
    );
    // Each post says how often its rule cries wolf (metrics.md 12).
    assert!(
        texts[0].contains("False alarms: no simulated false-alarm figure"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("of 90-day stretches of a healthy model at"),
        "{}",
        texts[1]
    );
    let blocks = bodies[1]["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert!(
        bodies[1].to_string().contains("Pause betting"),
        "recommendations included"
    );
    assert!(
        !text.contains("SECRET-TOKEN"),
        "the URL never appears: {text}"
    );

    // A restart with the same days posts nothing new.
    let again = watch(dir.path(), &store, &hook.url, &["--replay", SEQUENCE]).await;
    assert!(again.status.success());
    assert_eq!(hook.bodies.lock().unwrap().len(), 3, "{}", stdout(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_without_data_is_posted_once_as_unknown_and_is_no_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    // Warning, then two evaluations of a date after the season (nothing graded).
    let output = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay", "2025-12-14,2026-05-11,2026-05-11"],
    )
    .await;
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let bodies = hook.bodies.lock().unwrap().clone();
    let texts: Vec<&str> = bodies.iter().map(|b| b["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2, "{text}\n{texts:#?}");
    assert!(texts[0].contains("WARNING"), "{}", texts[0]);
    assert!(
        texts[1].contains("UNKNOWN") && texts[1].contains("last measured level was warning"),
        "{}",
        texts[1]
    );
    assert!(!texts.iter().any(|t| t.contains("RECOVERED")), "{texts:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_level_does_not_post_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let output = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay", "2025-12-13,2025-12-14,2025-12-15"],
    )
    .await;
    assert!(output.status.success(), "{}", stdout(&output));
    assert_eq!(hook.bodies.lock().unwrap().len(), 1, "{}", stdout(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_server_errors_are_retried() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![
        Reply::Status(429, Some(1)),
        Reply::Status(500, None),
        Reply::Ok,
    ])
    .await;
    let output = watch(dir.path(), &store, &hook.url, &["--replay", "2025-12-14"]).await;
    let text = stdout(&output);
    assert_eq!(*hook.attempts.lock().unwrap(), 3, "{text}");
    assert_eq!(hook.bodies.lock().unwrap().len(), 1, "{text}");
    assert!(
        text.contains("posted warning for catboost_v8 to default (3 attempt(s))"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_receiver_does_not_hold_up_the_computations() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![Reply::Hang; 10]).await;
    let started = Instant::now();
    let output = watch(dir.path(), &store, &hook.url, &["--replay", SEQUENCE]).await;
    let elapsed = started.elapsed();
    let text = stdout(&output);
    // Every day is computed although each post waits 10 s for its timeout.
    assert_eq!(
        text.matches("catboost_v8 20").count(),
        SEQUENCE.split(',').count(),
        "{text}"
    );
    assert!(elapsed < Duration::from_secs(9), "took {elapsed:?}: {text}");
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_receiver_is_reported_without_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/services/T0/B0/SECRET-TOKEN",
        closed.local_addr().unwrap()
    );
    drop(closed);
    std::fs::write(
        dir.path().join("config.yaml"),
        "slack:\n  cooldown_secs: 0\n  max_retries: 1\n",
    )
    .unwrap();
    let output = watch(dir.path(), &store, &url, &["--replay", "2025-12-14"]).await;
    let text = stdout(&output);
    assert!(
        text.contains("alert post failed") && text.contains("cannot connect"),
        "{text}"
    );
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
    let log = std::fs::read_to_string(dir.path().join("courtside.log")).unwrap_or_default();
    assert!(log.contains("alert post failed"), "{log}");
    assert!(!log.contains("SECRET-TOKEN"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_webhook_url_is_rejected_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    std::fs::write(
        dir.path().join("config.yaml"),
        "slack:\n  webhook_url: \"http://hooks.example.com/SECRET-TOKEN\"\n",
    )
    .unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"));
    command
        .args([
            "--store",
            store.to_str().unwrap(),
            "watch",
            "--replay",
            "2025-12-14",
        ])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .env_remove("COURTSIDE_SLACK_WEBHOOK");
    let output = command.output().unwrap();
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("slack.webhook_url: the webhook URL must use https"),
        "{text}"
    );
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
    // Every command refuses it at start, not only watch.
    let diag = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(["--store", store.to_str().unwrap(), "diag"])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    let text = stdout(&diag);
    assert!(!diag.status.success(), "{text}");
    assert!(
        text.contains("slack.webhook_url: the webhook URL must use https"),
        "{text}"
    );
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_and_sigint_stop_it_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![Reply::Hang; 10]).await;
    for (name, signal) in [("TERM", libc::SIGTERM), ("INT", libc::SIGINT)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args([
                "--store",
                store.to_str().unwrap(),
                "watch",
                "--interval",
                "60",
            ])
            .env("COURTSIDE_DATA_DIR", dir.path())
            .env("COURTSIDE_CONFIG_DIR", dir.path())
            .env("COURTSIDE_SLACK_WEBHOOK", &hook.url)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Let it compute once (a post may be in flight to the hanging receiver).
        tokio::time::sleep(Duration::from_secs(3)).await;
        // SAFETY: sending a signal to our own child process.
        let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        assert_eq!(sent, 0, "kill -{name}");
        let started = Instant::now();
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{signal}: {:?}",
            started.elapsed()
        );
        assert!(status.success(), "{name}: {status:?}");
    }
}

/// A system's posts arrive in the order they were decided: the WARNING
/// retries through a 429 and a 500 while the RECOVERED waits behind it.
#[tokio::test(flavor = "multi_thread")]
async fn a_recovery_never_overtakes_the_warning_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![
        Reply::Status(429, Some(1)),
        Reply::Status(500, None),
        Reply::Ok,
        Reply::Ok,
    ])
    .await;
    // Warning on 12-14, then healthy twice: the recovery is decided while
    // the warning is still retrying.
    let output = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay", "2025-12-14,2026-04-12,2026-04-12"],
    )
    .await;
    let text = stdout(&output);
    let bodies = hook.bodies.lock().unwrap().clone();
    let texts: Vec<&str> = bodies.iter().map(|b| b["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2, "{text}\n{texts:#?}");
    assert!(texts[0].contains("WARNING"), "{texts:?}");
    assert!(texts[1].contains("RECOVERED"), "{texts:?}");
}

/// A post still undelivered when watch ends stays in the outbox, is named at
/// exit, and goes out first at the next start (and only once).
#[tokio::test(flavor = "multi_thread")]
async fn an_undelivered_post_is_kept_and_sent_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hanging = receiver(vec![Reply::Hang; 4]).await;
    let first = watch(
        dir.path(),
        &store,
        &hanging.url,
        &["--replay", "2025-12-14"],
    )
    .await;
    let text = stdout(&first);
    assert!(first.status.success(), "{text}");
    assert!(
        text.contains("1 post(s) not delivered before exit: kept in the outbox"),
        "{text}"
    );
    assert!(hanging.bodies.lock().unwrap().is_empty());

    let good = receiver(vec![]).await;
    let second = watch(dir.path(), &store, &good.url, &["--replay", "2025-12-14"]).await;
    let text = stdout(&second);
    assert!(text.contains("resending 1 post(s)"), "{text}");
    let bodies = good.bodies.lock().unwrap().clone();
    assert_eq!(
        bodies.len(),
        1,
        "sent once, not again for the same day: {text}"
    );
    assert!(bodies[0]["text"].as_str().unwrap().contains("WARNING"));
    assert!(!text.contains("not delivered before exit"), "{text}");
}

/// The since-promotion verdict (metrics.md 19) is posted when it changes:
/// the demo champion's edge is proven on 2026-03-08 (a first decided
/// verdict is news) and no longer on 2026-03-20 (its drift), each posted
/// once under its own key; a restarted `watch` on 2026-03-20 knows what it
/// last said and posts nothing about it again.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_of_the_since_promotion_verdict_is_posted_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let since_posts = |hook: &support::Receiver| -> Vec<String> {
        hook.texts()
            .into_iter()
            .filter(|text| text.contains("SINCE PROMOTION"))
            .collect()
    };
    let output = watch(
        dir.path(),
        &store,
        &hook.url,
        &["--replay", "2026-03-08,2026-03-20"],
    )
    .await;
    let log = stdout(&output);
    assert!(output.status.success(), "{log}");
    let posts = since_posts(&hook);
    assert_eq!(posts.len(), 2, "{log}\n{posts:#?}");
    assert!(
        posts[0].starts_with("◆ SINCE PROMOTION catboost_v8 on 2026-03-08: edge proven.")
            && posts[0].contains("since V8_PRODUCTION_BASELINE was promoted (2026-01-02)"),
        "{}",
        posts[0]
    );
    assert!(
        posts[1]
            .starts_with("◆ SINCE PROMOTION catboost_v8 on 2026-03-20: not yet (was edge proven).")
            && posts[1].contains("not yet proven (always-valid"),
        "{}",
        posts[1]
    );
    assert!(log.contains("posting since promotion: not yet"), "{log}");

    let again = receiver(vec![]).await;
    let output = watch(dir.path(), &store, &again.url, &["--replay", "2026-03-20"]).await;
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        since_posts(&again).is_empty(),
        "said already: {:#?}",
        since_posts(&again)
    );
}

/// A replay keeps the cooldown by the replayed dates, not the wall clock:
/// with an hour's cooldown, the replayed sequence (weeks between its dates)
/// still posts the warning, the critical and the last date's recovery,
/// where the wall clock (seconds apart) held back all but the first.
#[tokio::test(flavor = "multi_thread")]
async fn a_replay_keeps_the_cooldown_by_the_replayed_dates() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    std::fs::write(
        dir.path().join("config.yaml"),
        "slack:\n  cooldown_secs: 3600\n  timeout_secs: 10\n  max_retries: 3\n",
    )
    .unwrap();
    let hook = receiver(vec![]).await;
    let output = watch(dir.path(), &store, &hook.url, &["--replay", SEQUENCE]).await;
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let texts: Vec<String> = hook
        .texts()
        .into_iter()
        .filter(|t| !t.contains("SINCE PROMOTION"))
        .collect();
    assert_eq!(texts.len(), 3, "{text}\n{texts:#?}");
    assert!(texts[0].contains("WARNING"), "{}", texts[0]);
    assert!(texts[1].contains("CRITICAL"), "{}", texts[1]);
    assert!(texts[2].contains("RECOVERED"), "{}", texts[2]);
    assert!(!text.contains("not posted: cooldown"), "{text}");
}
