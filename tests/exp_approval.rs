//! Four eyes through the binary on the embedded store, with
//! `promotion.require_approval`: the requester is the requester however the
//! name is spaced or cased; rollback and the archiving of the promoted
//! experiment are requests that change nothing until another actor
//! approves; an approved rollback whose promoted experiment changed since
//! it was requested stops, writes nothing and exits non-zero.

#[path = "watch_support/mod.rs"]
mod watch_support;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/experiment_dirs"
);

/// A store with the fixture's experiments, and a config requiring approval.
struct Registry {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    store: String,
    approval: String,
}

impl Registry {
    fn new() -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let store = watch_support::setup(&path).display().to_string();
        let approval = path.join("approval.yaml");
        std::fs::write(&approval, "promotion:\n  require_approval: true\n").unwrap();
        let registry = Registry {
            _dir: dir,
            dir: path,
            store,
            approval: approval.display().to_string(),
        };
        registry.ok("importer", &["exp", "import", FIXTURE]);
        registry
    }

    /// `courtside --store S ARGS` as `actor`, without approval required.
    fn plain(&self, actor: &str, args: &[&str]) -> Output {
        let mut full = vec!["--store", self.store.as_str()];
        full.extend_from_slice(args);
        self.run(actor, &full)
    }

    /// `courtside --config approval.yaml --store S ARGS` as `actor`.
    fn approving(&self, actor: &str, args: &[&str]) -> Output {
        let mut full = vec![
            "--config",
            self.approval.as_str(),
            "--store",
            self.store.as_str(),
        ];
        full.extend_from_slice(args);
        self.run(actor, &full)
    }

    fn run(&self, actor: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args(args)
            .env("COURTSIDE_DATA_DIR", self.dir.join("data"))
            .env("COURTSIDE_CONFIG_DIR", self.dir.join("config"))
            .env("COURTSIDE_ACTOR", actor)
            .env_remove("COURTSIDE_SLACK_WEBHOOK")
            .output()
            .expect("run courtside")
    }

    fn ok(&self, actor: &str, args: &[&str]) -> String {
        let output = self.plain(actor, args);
        assert!(output.status.success(), "{args:?}: {:?}", text(&output));
        text(&output).0
    }

    fn status(&self, name: &str) -> String {
        let shown: Value =
            serde_json::from_str(&self.ok("reader", &["exp", "show", name, "--json"])).unwrap();
        shown["experiment"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn events(&self, name: &str) -> Vec<Value> {
        self.ok("reader", &["exp", "history", name, "--json"])
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    fn last_event(&self, name: &str) -> Value {
        self.events(name).pop().expect("an event")
    }
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn change(event: &Value) -> String {
    format!(
        "{}->{}",
        event["from_status"].as_str().unwrap_or("-"),
        event["to_status"].as_str().unwrap_or("?")
    )
}

fn note(event: &Value) -> &str {
    event["note"].as_str().unwrap_or_default()
}

/// Refused, exit 1, with `message` on stderr.
fn refused(output: &Output, message: &str) {
    let (_, stderr) = text(output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(message), "{message}: {stderr}");
}

/// MAR_2026_RECENCY_30 promoted, then replaced by WALKFORWARD_V10.
fn two_promotions(registry: &Registry) {
    for name in ["MAR_2026_RECENCY_30", "WALKFORWARD_V10"] {
        registry.ok("ops", &["exp", "promote", name, "--force", "--no-notify"]);
    }
}

#[test]
fn the_requester_cannot_approve_under_another_spacing_or_case() {
    let registry = Registry::new();
    let requested = registry.approving("alice", &["exp", "promote", "WALKFORWARD_V10", "--force"]);
    assert!(requested.status.success(), "{:?}", text(&requested));
    for same in ["alice ", "ALICE", " Alice\t"] {
        let approve = registry.approving(same, &["exp", "approve", "WALKFORWARD_V10"]);
        refused(
            &approve,
            "alice requested this promotion; another actor must approve",
        );
        assert_eq!(registry.status("WALKFORWARD_V10"), "completed", "{same:?}");
    }
    // No one at all is not another actor either.
    let empty = registry.approving("   ", &["exp", "approve", "WALKFORWARD_V10"]);
    refused(&empty, "COURTSIDE_ACTOR is empty");
    let empty = registry.approving("", &["exp", "promote", "FEATURE_PACE_V2", "--force"]);
    refused(&empty, "COURTSIDE_ACTOR is empty");
    assert_eq!(registry.status("WALKFORWARD_V10"), "completed");
    let approved = registry.approving("bob", &["exp", "approve", "WALKFORWARD_V10", "--no-notify"]);
    assert!(approved.status.success(), "{:?}", text(&approved));
    assert_eq!(registry.status("WALKFORWARD_V10"), "promoted");
    let last = registry.last_event("WALKFORWARD_V10");
    assert_eq!(change(&last), "completed->promoted");
    assert!(
        note(&last).contains("approved by bob; requested by alice"),
        "{last}"
    );
}

#[test]
fn rollback_and_archive_of_the_promoted_wait_for_another_actor() {
    let registry = Registry::new();
    two_promotions(&registry);
    // The rollback is a request: nothing changes.
    let requested = registry.approving(
        "alice",
        &["exp", "rollback", "--system", "catboost_v8", "--force"],
    );
    assert!(requested.status.success(), "{:?}", text(&requested));
    let (stdout, _) = text(&requested);
    assert!(
        stdout.contains("rollback of catboost_v8 requested")
            && stdout.contains("courtside exp approve MAR_2026_RECENCY_30"),
        "{stdout}"
    );
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "archived");
    assert_eq!(registry.status("WALKFORWARD_V10"), "promoted");
    let request = registry.last_event("MAR_2026_RECENCY_30");
    assert_eq!(change(&request), "archived->archived");
    assert!(
        note(&request).starts_with("rollback requested")
            && note(&request).contains("for catboost_v8, archiving "),
        "{request}"
    );
    for same in ["alice", "ALICE "] {
        let approve = registry.approving(same, &["exp", "approve", "MAR_2026_RECENCY_30"]);
        refused(&approve, "another actor must approve");
    }
    assert_eq!(registry.status("WALKFORWARD_V10"), "promoted");
    // Another actor approves: the rollback is carried out.
    let approved = registry.approving(
        "bob",
        &[
            "exp",
            "approve",
            "MAR_2026_RECENCY_30",
            "--no-notify",
            "--json",
        ],
    );
    assert!(approved.status.success(), "{:?}", text(&approved));
    let said: Value = serde_json::from_slice(&approved.stdout).unwrap();
    assert_eq!(said["change"], "approved and rolled back to");
    assert_eq!(said["archived"], serde_json::json!(["WALKFORWARD_V10"]));
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "promoted");
    assert_eq!(registry.status("WALKFORWARD_V10"), "archived");
    let rolled = registry.last_event("MAR_2026_RECENCY_30");
    assert_eq!(change(&rolled), "archived->promoted");
    assert!(
        note(&rolled).starts_with("rollback: approved by bob; requested by alice"),
        "{rolled}"
    );

    // Archiving the promoted experiment is a request too.
    let requested = registry.approving(
        "alice",
        &["exp", "archive", "MAR_2026_RECENCY_30", "--no-notify"],
    );
    assert!(requested.status.success(), "{:?}", text(&requested));
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "promoted");
    let request = registry.last_event("MAR_2026_RECENCY_30");
    assert_eq!(change(&request), "promoted->promoted");
    assert!(
        note(&request).starts_with("archive requested for catboost_v8"),
        "{request}"
    );
    let approve = registry.approving("Alice", &["exp", "approve", "MAR_2026_RECENCY_30"]);
    refused(
        &approve,
        "alice requested this archive; another actor must approve",
    );
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "promoted");
    let approved = registry.approving(
        "bob",
        &["exp", "approve", "MAR_2026_RECENCY_30", "--no-notify"],
    );
    assert!(approved.status.success(), "{:?}", text(&approved));
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "archived");
    let archived = registry.last_event("MAR_2026_RECENCY_30");
    assert_eq!(change(&archived), "promoted->archived");
    assert!(
        note(&archived).contains("approved by bob; requested by alice"),
        "{archived}"
    );
    // Nothing is left awaiting approval.
    let again = registry.approving("carol", &["exp", "approve", "MAR_2026_RECENCY_30"]);
    refused(&again, "nothing awaiting approval");

    // Archiving what is not promoted needs no approval.
    assert_eq!(registry.status("TIER_STARS_ONLY"), "failed");
    let archived = registry.approving(
        "alice",
        &["exp", "archive", "TIER_STARS_ONLY", "--no-notify"],
    );
    assert!(archived.status.success(), "{:?}", text(&archived));
    assert_eq!(registry.status("TIER_STARS_ONLY"), "archived");
}

#[test]
fn an_approved_rollback_whose_promoted_experiment_changed_stops_and_writes_nothing() {
    let registry = Registry::new();
    two_promotions(&registry);
    let requested = registry.approving(
        "alice",
        &["exp", "rollback", "--system", "catboost_v8", "--force"],
    );
    assert!(requested.status.success(), "{:?}", text(&requested));
    // Meanwhile FEATURE_PACE_V2 is promoted (archiving WALKFORWARD_V10).
    registry.ok(
        "ops",
        &[
            "exp",
            "promote",
            "FEATURE_PACE_V2",
            "--force",
            "--no-notify",
        ],
    );
    let names = ["MAR_2026_RECENCY_30", "WALKFORWARD_V10", "FEATURE_PACE_V2"];
    let before: Vec<Vec<Value>> = names.iter().map(|name| registry.events(name)).collect();
    let approve = registry.approving(
        "bob",
        &["exp", "approve", "MAR_2026_RECENCY_30", "--no-notify"],
    );
    refused(
        &approve,
        "the promoted experiment for catboost_v8 changed from WALKFORWARD_V10 to FEATURE_PACE_V2 since the rollback was planned; nothing was written",
    );
    let after: Vec<Vec<Value>> = names.iter().map(|name| registry.events(name)).collect();
    assert_eq!(after, before, "nothing was written");
    assert_eq!(registry.status("MAR_2026_RECENCY_30"), "archived");
    assert_eq!(registry.status("WALKFORWARD_V10"), "archived");
    assert_eq!(registry.status("FEATURE_PACE_V2"), "promoted");
}
