//! `courtside watch` against a webhook receiver on 127.0.0.1 that the test
//! starts: posts on level changes only, survives restarts without re-posting,
//! retries 429 and 500 with backoff, is not held up by a hanging receiver,
//! never prints the URL, and rejects a bad URL at start.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How the receiver answers one request.
#[derive(Clone, Copy)]
enum Reply {
    Ok,
    Status(u16, Option<u64>),
    Hang,
}

struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<Value>>>,
    attempts: Arc<Mutex<u32>>,
}

async fn receiver(script: Vec<Reply>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/services/T0/B0/SECRET-TOKEN",
        listener.local_addr().unwrap()
    );
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let attempts = Arc::new(Mutex::new(0u32));
    let (bodies_in, attempts_in) = (bodies.clone(), attempts.clone());
    let script = Arc::new(Mutex::new(script.into_iter()));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (bodies, attempts, script) =
                (bodies_in.clone(), attempts_in.clone(), script.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                let body_start = loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                    if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buffer[..body_start]).to_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                while buffer.len() < body_start + length {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        break;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                }
                *attempts.lock().unwrap() += 1;
                let reply = script.lock().unwrap().next().unwrap_or(Reply::Ok);
                let response = match reply {
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                    Reply::Ok => {
                        if let Ok(body) = serde_json::from_slice(&buffer[body_start..]) {
                            bodies.lock().unwrap().push(body);
                        }
                        "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                            .to_string()
                    }
                    Reply::Status(code, retry_after) => format!(
                        "HTTP/1.1 {code} Nope\r\n{}content-length: 0\r\nconnection: close\r\n\r\n",
                        retry_after
                            .map(|s| format!("retry-after: {s}\r\n"))
                            .unwrap_or_default()
                    ),
                };
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Receiver {
        url,
        bodies,
        attempts,
    }
}

/// A one-season demo store and a config with no cooldown, shared per test.
fn setup(dir: &Path) -> PathBuf {
    let store = dir.join("demo.sqlite");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(["--store", store.to_str().unwrap(), "demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    std::fs::write(
        dir.join("config.yaml"),
        "slack:\n  cooldown_secs: 0\n  timeout_secs: 10\n  max_retries: 3\n",
    )
    .unwrap();
    store
}

async fn watch(dir: &Path, store: &Path, url: &str, args: &[&str]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"));
    command
        .args([
            "--store",
            store.to_str().unwrap(),
            "watch",
            "--interval",
            "0",
        ])
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .env("COURTSIDE_SLACK_WEBHOOK", url);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr)
}

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
        text.contains("posted warning for catboost_v8 (3 attempt(s))"),
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
