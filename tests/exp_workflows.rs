//! The registry as scripts and people use it, through the binary on the
//! embedded store: `exp import` of the team's experiment folders (refused
//! whole on one bad file, idempotent), rollback, approval by a second actor,
//! the Slack announcement of a promotion, and every command's `--json`.

#[path = "watch_support/mod.rs"]
mod watch_support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/experiment_dirs"
);

fn courtside(dir: &Path, actor: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env("COURTSIDE_ACTOR", actor)
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("run courtside")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// A one-season demo store with the fixture's nine experiments imported.
fn store_with_imports(dir: &Path) -> PathBuf {
    let store = watch_support::setup(dir);
    let s = store.to_str().unwrap();
    let output = courtside(dir, "importer", &["--store", s, "exp", "import", FIXTURE]);
    assert!(output.status.success(), "{:?}", text(&output));
    store
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn events_of(dir: &Path, store: &str, name: &str) -> Vec<Value> {
    let output = courtside(
        dir,
        "x",
        &["--store", store, "exp", "history", name, "--json"],
    );
    assert!(output.status.success(), "{:?}", text(&output));
    text(&output)
        .0
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn statuses(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            format!(
                "{}->{}",
                e["from_status"].as_str().unwrap_or("-"),
                e["to_status"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn experiment_folders_import_whole_or_not_at_all_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = watch_support::setup(dir.path());
    let s = store.to_str().unwrap();
    let folders = dir.path().join("runs");
    copy_dir(Path::new(FIXTURE), &folders);
    // One broken config among ten: every problem named, nothing written.
    let bad = folders.join("10_broken");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("config.yaml"),
        "experiment_name: BROKEN_ONE\nhypothesis: x\nexperiment_type: walk_forward\ntraining: {start_date: \"2025-10-01\", end_date: \"2026-01-31\"\n",
    )
    .unwrap();
    let before = courtside(
        dir.path(),
        "a",
        &["--store", s, "exp", "list", "--all", "--json"],
    );
    let refused = courtside(
        dir.path(),
        "importer",
        &["--store", s, "exp", "import", folders.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    let (_, message) = text(&refused);
    assert!(
        message.contains("10_broken/config.yaml:5:") && message.contains("not valid YAML"),
        "{message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    let after = courtside(
        dir.path(),
        "a",
        &["--store", s, "exp", "list", "--all", "--json"],
    );
    assert_eq!(before.stdout, after.stdout, "nothing written");
    std::fs::remove_dir_all(&bad).unwrap();
    // A dry run says what would change and writes nothing.
    let dry = courtside(
        dir.path(),
        "importer",
        &[
            "--store",
            s,
            "exp",
            "import",
            folders.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(
        text(&dry).0.contains("9 new, 0 unchanged; nothing written"),
        "{:?}",
        text(&dry)
    );
    let unchanged = courtside(
        dir.path(),
        "a",
        &["--store", s, "exp", "list", "--all", "--json"],
    );
    assert_eq!(before.stdout, unchanged.stdout);
    let imported = courtside(
        dir.path(),
        "importer",
        &[
            "--store",
            s,
            "exp",
            "import",
            folders.to_str().unwrap(),
            "--json",
        ],
    );
    let summary: Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(summary["new"].as_array().unwrap().len(), 9, "{summary:#}");
    let list: Vec<Value> = serde_json::from_slice(
        &courtside(
            dir.path(),
            "a",
            &["--store", s, "exp", "list", "--all", "--json"],
        )
        .stdout,
    )
    .unwrap();
    let find = |name: &str| {
        list.iter()
            .find(|e| e["experiment_name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert_eq!(find("MAR_2026_RECENCY_60")["status"], "completed");
    assert_eq!(find("TIER_STARS_ONLY")["status"], "failed");
    assert_eq!(find("ENSEMBLE_CB_XGB_V3")["status"], "running");
    assert_eq!(
        find("MAR_2026_RECENCY_60")["parent_experiment_id"],
        find("MAR_2026_RECENCY_30")["experiment_id"]
    );
    assert_eq!(
        find("FEATURE_PACE_V2")["git_commit"],
        "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e",
        "the commit from results.json"
    );
    assert_eq!(find("WALKFORWARD_V10")["fingerprint"]["rows"], 560);
    assert_eq!(
        statuses(&events_of(dir.path(), s, "TIER_STARS_ONLY")),
        ["-->pending", "pending->running", "running->failed"]
    );
    // The same folders again: nothing changes.
    let again = courtside(
        dir.path(),
        "importer",
        &["--store", s, "exp", "import", folders.to_str().unwrap()],
    );
    assert!(
        text(&again).0.contains("0 new, 9 unchanged"),
        "{:?}",
        text(&again)
    );
    let after_again = courtside(
        dir.path(),
        "a",
        &["--store", s, "exp", "list", "--all", "--json"],
    );
    let list_again: Vec<Value> = serde_json::from_slice(&after_again.stdout).unwrap();
    assert_eq!(list_again.len(), list.len());
}

#[test]
fn rollback_promotes_again_what_the_current_promotion_archived() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_imports(dir.path());
    let s = store.to_str().unwrap();
    let none = courtside(
        dir.path(),
        "ops",
        &["--store", s, "exp", "rollback", "--system", "nobody"],
    );
    assert!(!none.status.success());
    assert!(
        text(&none)
            .1
            .contains("no experiment is promoted for nobody"),
        "{:?}",
        text(&none)
    );
    for name in ["MAR_2026_RECENCY_30", "WALKFORWARD_V10"] {
        let promoted = courtside(
            dir.path(),
            "ops",
            &[
                "--store",
                s,
                "exp",
                "promote",
                name,
                "--force",
                "--no-notify",
            ],
        );
        assert!(promoted.status.success(), "{:?}", text(&promoted));
    }
    let rolled = courtside(
        dir.path(),
        "ops",
        &[
            "--store",
            s,
            "exp",
            "rollback",
            "--system",
            "catboost_v8",
            "--force",
            "--json",
        ],
    );
    assert!(rolled.status.success(), "{:?}", text(&rolled));
    let change: Value = serde_json::from_slice(&rolled.stdout).unwrap();
    assert_eq!(change["experiment_name"], "MAR_2026_RECENCY_30");
    assert_eq!(change["archived"], serde_json::json!(["WALKFORWARD_V10"]));
    assert_eq!(
        statuses(&events_of(dir.path(), s, "MAR_2026_RECENCY_30")),
        [
            "-->pending",
            "pending->running",
            "running->completed",
            "completed->promoted",
            "promoted->archived",
            "archived->promoted"
        ]
    );
    assert_eq!(
        statuses(&events_of(dir.path(), s, "WALKFORWARD_V10")),
        [
            "-->pending",
            "pending->running",
            "running->completed",
            "completed->promoted",
            "promoted->archived"
        ]
    );
    let last = events_of(dir.path(), s, "MAR_2026_RECENCY_30");
    assert!(
        last.last().unwrap()["note"]
            .as_str()
            .unwrap()
            .starts_with("rollback")
    );
}

#[test]
fn with_approval_required_a_second_actor_approves() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_imports(dir.path());
    let s = store.to_str().unwrap();
    let config = dir.path().join("approval.yaml");
    std::fs::write(&config, "promotion:\n  require_approval: true\n").unwrap();
    let c = config.to_str().unwrap();
    let requested = courtside(
        dir.path(),
        "alice",
        &[
            "--config",
            c,
            "--store",
            s,
            "exp",
            "promote",
            "WALKFORWARD_V10",
            "--force",
        ],
    );
    assert!(requested.status.success(), "{:?}", text(&requested));
    assert!(
        text(&requested).0.contains("requested"),
        "{:?}",
        text(&requested)
    );
    let list = |actor| {
        courtside(
            dir.path(),
            actor,
            &["--store", s, "exp", "show", "WALKFORWARD_V10", "--json"],
        )
    };
    let shown: Value = serde_json::from_slice(&list("x").stdout).unwrap();
    assert_eq!(
        shown["experiment"]["status"], "completed",
        "not yet promoted"
    );
    let same = courtside(
        dir.path(),
        "alice",
        &[
            "--config",
            c,
            "--store",
            s,
            "exp",
            "approve",
            "WALKFORWARD_V10",
        ],
    );
    assert!(!same.status.success());
    assert!(
        text(&same).1.contains("another actor must approve"),
        "{:?}",
        text(&same)
    );
    let approved = courtside(
        dir.path(),
        "bob",
        &[
            "--config",
            c,
            "--store",
            s,
            "exp",
            "approve",
            "WALKFORWARD_V10",
            "--no-notify",
        ],
    );
    assert!(approved.status.success(), "{:?}", text(&approved));
    let events = events_of(dir.path(), s, "WALKFORWARD_V10");
    let notes: Vec<&str> = events
        .iter()
        .map(|e| e["note"].as_str().unwrap_or(""))
        .collect();
    assert!(
        notes[notes.len() - 2].starts_with("promotion requested for catboost_v8"),
        "{notes:?}"
    );
    assert!(
        notes
            .last()
            .unwrap()
            .contains("approved by bob; requested by alice"),
        "{notes:?}"
    );
    // bob, with the OS login beside him when that is someone else.
    let actor = events.last().unwrap()["actor"].as_str().unwrap_or_default();
    assert!(
        actor == "bob" || actor.starts_with("bob (login: "),
        "{actor}"
    );
    assert_eq!(
        statuses(&events)[3..],
        ["completed->completed", "completed->promoted"]
    );
}

#[test]
fn a_promotion_is_announced_once_with_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_imports(dir.path());
    let s = store.to_str().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let receiver = runtime.block_on(watch_support::receiver(Vec::new()));
    let promote = |name: &str, extra: &[&str]| {
        let mut args = vec!["--store", s, "exp", "promote", name, "--force"];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args(&args)
            .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
            .env("COURTSIDE_ACTOR", "carol")
            .env("COURTSIDE_SLACK_WEBHOOK", &receiver.url)
            .output()
            .unwrap()
    };
    let first = promote("MAR_2026_RECENCY_30", &["--no-notify"]);
    assert!(first.status.success(), "{:?}", text(&first));
    let second = promote("WALKFORWARD_V10", &[]);
    assert!(second.status.success(), "{:?}", text(&second));
    let (_, stderr) = text(&second);
    assert!(
        !stderr.contains("SECRET-TOKEN"),
        "the URL stays redacted: {stderr}"
    );
    let bodies = receiver.bodies.lock().unwrap().clone();
    assert_eq!(
        bodies.len(),
        1,
        "one post per announced promotion: {bodies:#?}"
    );
    let post = bodies[0]["text"].as_str().unwrap();
    for expected in [
        "carol promoted WALKFORWARD_V10 for catboost_v8.",
        "archived: MAR_2026_RECENCY_30",
        "guard rails: all pass",
        "gap: backtest",
        "the close of catboost_v8, ",
        "versus MAR_2026_RECENCY_30:",
    ] {
        assert!(post.contains(expected), "{expected}: {post}");
    }
}

#[test]
fn every_command_that_prints_a_result_answers_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_imports(dir.path());
    let s = store.to_str().unwrap();
    let config = dir.path().join("valid.yaml");
    std::fs::write(
        &config,
        std::fs::read_to_string(Path::new(FIXTURE).join("01_recency_30/config.yaml")).unwrap(),
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["diag", "--json"],
        vec![
            "backfill",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-12",
            "--json",
        ],
        vec!["diag", "--persist", "--json"],
        vec!["history", "--json"],
        vec!["alerts", "--json"],
        vec!["gap", "--experiment", "WALKFORWARD_V10", "--json"],
        vec!["versus", "catboost_v8", "catboost_v9_shadow", "--json"],
        vec!["splits", "--json"],
        vec!["exp", "list", "--json"],
        vec!["exp", "show", "WALKFORWARD_V10", "--json"],
        vec!["exp", "best", "--metric", "hit_rate", "--json"],
        vec![
            "exp",
            "compare",
            "WALKFORWARD_V10",
            "MAR_2026_RECENCY_30",
            "--json",
        ],
        vec!["exp", "history", "WALKFORWARD_V10", "--json"],
        vec!["exp", "validate", c, "--json"],
        vec!["exp", "import", FIXTURE, "--dry-run", "--json"],
        vec![
            "exp",
            "promote",
            "FEATURE_PACE_V2",
            "--force",
            "--no-notify",
            "--json",
        ],
        vec![
            "exp",
            "archive",
            "ABLATION_NO_ZONES_V2",
            "--no-notify",
            "--json",
        ],
    ];
    for args in commands {
        let mut full = vec!["--store", s];
        full.extend_from_slice(&args);
        let output = courtside(dir.path(), "scripted", &full);
        // diag's exit code is its verdict; anything else must succeed.
        let code = output.status.code().unwrap_or(-1);
        assert!(
            code == 0 || (args[0] == "diag" && code <= 3),
            "{args:?} exited {code}: {:?}",
            text(&output)
        );
        let (stdout, _) = text(&output);
        let parsed = serde_json::from_str::<Value>(&stdout)
            .map(|_| 1)
            .or_else(|_| {
                stdout
                    .lines()
                    .map(serde_json::from_str::<Value>)
                    .collect::<Result<Vec<_>, _>>()
                    .map(|lines| lines.len())
            });
        assert!(
            parsed.is_ok_and(|n| n > 0),
            "{args:?} is not JSON: {stdout}"
        );
    }
}
