//! Registry changes from the dashboard, end to end in tmux: promote, roll
//! back and archive on the Experiments tab, and under
//! `promotion.require_approval` a promotion request (marked ⧗ awaiting
//! approval) that another actor approves with `V`; the audit trail they
//! leave equals, event for event, the one the same changes leave through
//! `courtside exp` on a copy of the store. `scripts/test` points
//! `COURTSIDE_BIN` at the release build.

#[path = "common/tmux.rs"]
mod tmux;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use tmux::{Session, binary};

fn env_of(dir: &Path) -> String {
    format!(
        "COURTSIDE_DATA_DIR='{d}' COURTSIDE_CONFIG_DIR='{d}' COURTSIDE_STATE_DIR='{d}/state' COURTSIDE_SLACK_WEBHOOK=",
        d = dir.display()
    )
}

fn cli(dir: &Path, store: &Path, actor: &str, config: Option<&Path>, args: &[&str]) -> String {
    let mut command = Command::new(binary());
    command
        .arg("--store")
        .arg(store)
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .env("COURTSIDE_ACTOR", actor)
        .env_remove("COURTSIDE_SLACK_WEBHOOK");
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let output = command.args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// The trail as comparable events: who did what to which experiment, with
/// the note (the time is left out: the two runs happen at different times).
fn trail(dir: &Path, store: &Path) -> Vec<(String, String, String, String, String)> {
    cli(dir, store, "reader", None, &["exp", "history", "--json"])
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap();
            let text = |key: &str| event[key].as_str().unwrap_or("").to_string();
            (
                text("experiment_name"),
                text("from_status"),
                text("to_status"),
                text("actor"),
                text("note"),
            )
        })
        .collect()
}

fn dashboard(dir: &Path, store: &Path, actor: &str, config: Option<&Path>, name: &str) -> Session {
    let config = config.map_or(String::new(), |c| format!("--config '{}'", c.display()));
    let command = format!(
        "env {env} COURTSIDE_ACTOR={actor} '{bin}' --store '{store}' --fresh {config}; echo EXIT=$?; sleep 60",
        env = env_of(dir),
        bin = binary().display(),
        store = store.display()
    );
    let session = Session::start(
        format!("courtside-registry-{name}-{}", std::process::id()),
        160,
        45,
        &command,
    );
    session.wait_for("key figures");
    session.keys("4");
    session.wait_for("experiments · sort");
    session
}

/// Filters the leaderboard to one experiment, so it is the selected row.
fn select(session: &Session, name: &str) {
    session.keys("/");
    session.tmux(&["send-keys", "-t", &session.name, "-l", name]);
    session.keys("Enter");
    session.wait_for(&format!("search \"{name}\""));
}

fn type_and_enter(session: &Session, text: &str) {
    session.wait_for("Type ");
    session.tmux(&["send-keys", "-t", &session.name, "-l", text]);
    session.keys("Enter");
}

fn quit(session: &Session) {
    session.keys("q");
    session.wait_for("EXIT=0");
}

#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn archive_rollback_and_approve_from_the_dashboard_leave_the_cli_s_audit_events() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let screen_store = dir.join("screen.sqlite");
    let cli_store = dir.join("cli.sqlite");
    cli(
        dir,
        &screen_store,
        "alice",
        None,
        &["demo", "--seasons", "1"],
    );
    std::fs::copy(&screen_store, &cli_store).unwrap();
    let approval = dir.join("approval.yaml");
    std::fs::write(&approval, "promotion:\n  require_approval: true\n").unwrap();

    // The dashboard: promote, roll back, archive (alice).
    let session = dashboard(dir, &screen_store, "alice", None, "alice");
    select(&session, "FEB_2026_RECENCY_60");
    session.keys("P");
    session.wait_for("Promote FEB_2026_RECENCY_60 for catboost_v8?");
    session.keys("y");
    session.wait_for("promoted FEB_2026_RECENCY_60 for catboost_v8");
    session.keys("R");
    session.wait_for("Roll back catboost_v8?");
    type_and_enter(&session, "catboost_v");
    session.wait_for("type catboost_v8 exactly");
    session.tmux(&["send-keys", "-t", &session.name, "-l", "8"]);
    session.keys("Enter");
    session.wait_for("rolled back catboost_v8 to V8_PRODUCTION_BASELINE");
    session.keys("Escape");
    select(&session, "FEATURE_REST_DAYS");
    session.keys("A");
    session.wait_for("Archive FEATURE_REST_DAYS?");
    type_and_enter(&session, "FEATURE_REST_DAYS");
    session.wait_for("FEATURE_REST_DAYS: completed -> archived");
    quit(&session);

    // Four eyes: alice requests, the row is marked, bob approves.
    let session = dashboard(dir, &screen_store, "alice", Some(&approval), "request");
    select(&session, "ENSEMBLE_CB_XGB_V2");
    session.keys("P");
    session.wait_for("Request promoting ENSEMBLE_CB_XGB_V2 for catboost_v8?");
    session.wait_for("y request the promotion");
    session.keys("y");
    session.wait_for("promotion of ENSEMBLE_CB_XGB_V2 requested");
    let screen = session.wait_for("⧗ awaiting approval: promotion for catboost_v8 by alice");
    assert!(screen.contains("⧗"), "{screen}");
    quit(&session);
    let session = dashboard(dir, &screen_store, "bob", Some(&approval), "approve");
    select(&session, "ENSEMBLE_CB_XGB_V2");
    session.keys("V");
    session.wait_for("Approve what is awaiting approval on ENSEMBLE_CB_XGB_V2?");
    type_and_enter(&session, "ENSEMBLE_CB_XGB_V2");
    session.wait_for("approved: ENSEMBLE_CB_XGB_V2 promoted for catboost_v8");
    quit(&session);

    // The same changes through the CLI on the copy.
    let exp = |actor: &str, config: Option<&Path>, args: &[&str]| {
        let mut all = vec!["exp"];
        all.extend_from_slice(args);
        all.push("--no-notify");
        cli(dir, &cli_store, actor, config, &all)
    };
    exp("alice", None, &["promote", "FEB_2026_RECENCY_60"]);
    exp("alice", None, &["rollback", "--system", "catboost_v8"]);
    exp("alice", None, &["archive", "FEATURE_REST_DAYS"]);
    exp("alice", Some(&approval), &["promote", "ENSEMBLE_CB_XGB_V2"]);
    exp("bob", Some(&approval), &["approve", "ENSEMBLE_CB_XGB_V2"]);

    let from_screen = trail(dir, &screen_store);
    let from_cli = trail(dir, &cli_store);
    let demo_events = from_cli.len() - 9;
    assert!(from_cli.len() > 9, "{from_cli:#?}");
    assert_eq!(
        from_screen, from_cli,
        "the dashboard's trail differs from the CLI's"
    );
    // And the new events are the ones expected, in order.
    let new: Vec<(&str, &str, &str)> = from_cli[demo_events..]
        .iter()
        .map(|(name, from, to, _, _)| (name.as_str(), from.as_str(), to.as_str()))
        .collect();
    assert!(
        new.contains(&("FEATURE_REST_DAYS", "completed", "archived")),
        "{new:?}"
    );
    assert!(
        new.contains(&("ENSEMBLE_CB_XGB_V2", "completed", "completed")),
        "{new:?}"
    );
    assert!(
        new.contains(&("ENSEMBLE_CB_XGB_V2", "completed", "promoted")),
        "{new:?}"
    );
    assert!(
        new.contains(&("V8_PRODUCTION_BASELINE", "archived", "promoted")),
        "{new:?}"
    );
}
