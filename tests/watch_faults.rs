//! Fault injection on a running `courtside watch`: the store moved away and
//! back, a table renamed away and back, and SIGTERM while a post hangs. Each
//! case asserts on what was printed, posted and stored.

#[path = "common/replaced_table.rs"]
mod replaced_table;
#[path = "watch_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Reply, receiver, setup};

/// A running `watch` whose stdout lines are collected as they come.
struct Running {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

fn start(dir: &Path, store: &Path, url: &str, args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(["--store", store.to_str().unwrap(), "watch"])
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .env("COURTSIDE_SLACK_WEBHOOK", url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
    }
    Running { child, lines }
}

impl Running {
    /// Waits (up to 60 s) for a line after the first `after` lines that
    /// contains `text`; returns its index.
    async fn wait_for(&self, text: &str, after: usize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(found) = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .enumerate()
                .skip(after)
                .find(|(_, line)| line.contains(text))
                .map(|(index, _)| index)
            {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no line with `{text}` after line {after}: {:#?}",
                self.lines.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    async fn terminate(mut self) -> (std::process::ExitStatus, String) {
        // SAFETY: sending a signal to our own child process.
        assert_eq!(
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) },
            0
        );
        let status = tokio::task::spawn_blocking(move || {
            let status = self.child.wait().unwrap();
            (status, self)
        })
        .await
        .unwrap();
        // The reader threads end with the process; give them a moment.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let text = status.1.text();
        (status.0, text)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_moved_and_a_table_renamed_mid_run_are_reported_retried_and_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let running = start(dir.path(), &store, &hook.url, &["--interval", "1"]);
    let first = running.wait_for("catboost_v8", 0).await;

    // The store file moves away: the round fails, says so, and backs off;
    // nothing is created at the old path.
    let moved = dir.path().join("moved.sqlite");
    std::fs::rename(&store, &moved).unwrap();
    let failed = running.wait_for("retrying in 5s", first).await;
    assert!(
        !store.exists(),
        "a store was created at the old path: {}",
        running.text()
    );
    let error_text = running.text();
    assert!(error_text.contains("demo.sqlite"), "{error_text}");
    std::fs::rename(&moved, &store).unwrap();
    let recovered = running.wait_for("recovered after", failed).await;

    // A table renamed away and back: the same report and recovery.
    let connection = rusqlite::Connection::open(&store).unwrap();
    connection
        .execute_batch("ALTER TABLE prediction_accuracy RENAME TO prediction_accuracy_away")
        .unwrap();
    let failed = running.wait_for("retrying in", recovered).await;
    let lines = running.lines.lock().unwrap().clone();
    assert!(
        lines[recovered..=failed]
            .iter()
            .any(|line| line.contains("prediction_accuracy")),
        "the error names the table: {lines:#?}"
    );
    connection
        .execute_batch("ALTER TABLE prediction_accuracy_away RENAME TO prediction_accuracy")
        .unwrap();
    drop(connection);
    running.wait_for("recovered after", failed).await;

    let (status, text) = running.terminate().await;
    assert!(status.success(), "{status:?}: {text}");
    assert!(text.contains("stopping"), "{text}");
    assert!(!text.contains("SECRET-TOKEN"), "{text}");
    // Posted at most once per (system, date, level), errors or not.
    let bodies = hook.bodies.lock().unwrap().clone();
    let mut texts: Vec<&str> = bodies
        .iter()
        .map(|body| body["text"].as_str().unwrap())
        .collect();
    let count = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), count, "a post repeated: {bodies:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_while_a_post_hangs_keeps_it_in_the_outbox_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![Reply::Hang; 8]).await;
    // A warning day, then a long wait: the post to the hanging receiver is
    // in flight when the signal comes.
    let running = start(
        dir.path(),
        &store,
        &hook.url,
        &["--interval", "60", "--replay", "2025-12-14,2025-12-15"],
    );
    running.wait_for("2025-12-14", 0).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, text) = running.terminate().await;
    assert!(status.success(), "{status:?}: {text}");
    assert!(
        text.contains("1 post(s) not delivered before exit: kept in the outbox"),
        "{text}"
    );
    assert!(hook.bodies.lock().unwrap().is_empty());
    let connection = rusqlite::Connection::open(&store).unwrap();
    let kept: i64 = connection
        .query_row("SELECT COUNT(*) FROM courtside_alert_outbox", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(kept, 1, "{text}");
}

/// The production system's persisted `hit_rate_7d` for `date` and when it
/// was computed, as `watch --persist` wrote it.
fn persisted(store: &Path, date: &str) -> Option<(f64, String)> {
    let connection = rusqlite::Connection::open(store).ok()?;
    connection
        .query_row(
            "SELECT hit_rate_7d, computed_at FROM performance_diagnostics_daily
             WHERE game_date = ?1 AND system_id = 'catboost_v8'",
            [date],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .ok()
}

/// Another tool replaces `prediction_accuracy` (pandas' `to_sql(...,
/// if_exists="replace")`: DROP, CREATE, INSERT) under a running `watch
/// --persist`: its next rounds persist the true figures, equal to `diag` on
/// a copy of the replaced store, never the kept ones of before.
#[tokio::test(flavor = "multi_thread")]
async fn a_table_replaced_under_a_running_watch_persist_is_noticed_at_its_next_round() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let hook = receiver(vec![]).await;
    let date = "2026-04-12";
    let running = start(
        dir.path(),
        &store,
        &hook.url,
        &["--interval", "1", "--persist"],
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let before = loop {
        if let Some(row) = persisted(&store, date) {
            break row;
        }
        assert!(Instant::now() < deadline, "{}", running.text());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    replaced_table::replace_flipping_results(&store, "2026-04-06");
    // The truth, from a copy no running process has read.
    let copy = dir.path().join("copy.sqlite");
    replaced_table::copy_of(&store, &copy);
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args([
            "--store",
            copy.to_str().unwrap(),
            "diag",
            "--date",
            date,
            "--json",
        ])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    let truth: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = truth["hit_rate_7d"].as_f64().unwrap();
    assert!(
        (expected - before.0).abs() > 1.0,
        "the replacement moves the rate: {} -> {expected}",
        before.0
    );
    // A round computed after the replacement persists the truth.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some((rate, at)) = persisted(&store, date)
            && at > before.1
            && (rate - expected).abs() < 1e-9
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "watch still persists {:?} (true: {expected}): {}",
            persisted(&store, date),
            running.text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (_, text) = running.terminate().await;
    assert!(!text.contains("panicked"), "{text}");
}

/// SIGKILL while a post is being sent (no exit handler runs): Slack may
/// have it already, and an incoming webhook has no idempotency key. The
/// next start sends it once more, marked as a possible repeat; killed again
/// mid-send, the start after that does not send it a third time.
#[tokio::test(flavor = "multi_thread")]
async fn a_post_killed_mid_send_is_sent_again_once_marked_as_a_possible_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    // Starts watch on `args`, waits until a post is being sent to `url`
    // (or `after` is printed), and kills it: SIGKILL, no exit handler runs.
    let kill_mid_send = |args: &'static [&'static str], url: String, after: &'static str| {
        let dir = dir.path().to_path_buf();
        let store = store.clone();
        async move {
            let mut running = start(&dir, &store, &url, args);
            running.wait_for(after, 0).await;
            tokio::time::sleep(Duration::from_millis(700)).await;
            running.child.kill().unwrap();
            running.child.wait().unwrap();
            running.text()
        }
    };
    let outbox = |store: &Path| -> i64 {
        rusqlite::Connection::open(store)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM courtside_alert_outbox", [], |row| {
                row.get(0)
            })
            .unwrap()
    };
    let hanging = receiver(vec![Reply::Hang; 8]).await;
    let first = kill_mid_send(
        &["--interval", "60", "--replay", "2025-12-14,2025-12-15"],
        hanging.url.clone(),
        "posting",
    )
    .await;
    assert!(*hanging.attempts.lock().unwrap() >= 1, "{first}");

    // The next start: sent again with the mark, delivered, the outbox empty.
    let hook = receiver(vec![]).await;
    let output = support::watch(dir.path(), &store, &hook.url, &["--replay", "2025-12-14"]).await;
    let text = support::stdout(&output);
    assert!(
        text.contains("interrupted mid-send: sent again, marked as a possible repeat"),
        "{text}"
    );
    let texts = hook.texts();
    assert_eq!(texts.len(), 1, "{text}\n{texts:#?}");
    assert!(
        texts[0].starts_with("(possible repeat: the last run was stopped while sending this) "),
        "{}",
        texts[0]
    );
    assert_eq!(outbox(&store), 0);

    // Killed mid-send twice (a new post: another date's), the third start
    // drops it instead of sending it a third time.
    let hanging = receiver(vec![Reply::Hang; 16]).await;
    kill_mid_send(
        &["--interval", "60", "--replay", "2026-03-25,2026-03-26"],
        hanging.url.clone(),
        "posting",
    )
    .await;
    assert_eq!(outbox(&store), 1);
    // The second run resends it (marked) to the hanging receiver: killed again.
    kill_mid_send(
        &["--interval", "60", "--replay", "2026-03-26"],
        hanging.url.clone(),
        "marked as a possible repeat",
    )
    .await;
    let hook = receiver(vec![]).await;
    let output = support::watch(dir.path(), &store, &hook.url, &["--replay", "2026-03-26"]).await;
    let text = support::stdout(&output);
    assert!(
        text.contains("was interrupted twice: not sent a third time"),
        "{text}"
    );
    assert!(
        hook.texts().iter().all(|t| !t.contains("possible repeat")),
        "{text}"
    );
    assert_eq!(outbox(&store), 0);
}
