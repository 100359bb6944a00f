//! Remembered views, end to end in tmux: the tab, system and theme chosen
//! in one session are where the next one opens; `--fresh` ignores them; a
//! view file that does not read is named and ignored, never fatal.
//! `scripts/test` points `COURTSIDE_BIN` at the release build.

#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use tmux::{Session, binary};

fn start(dir: &Path, store: &Path, name: &str, extra: &str) -> Session {
    let command = format!(
        "env COURTSIDE_DATA_DIR='{dir}' COURTSIDE_CONFIG_DIR='{dir}' COURTSIDE_STATE_DIR='{dir}/state' '{bin}' --store '{store}' {extra}; echo EXIT=$?; sleep 60",
        dir = dir.display(),
        bin = binary().display(),
        store = store.display()
    );
    Session::start(
        format!("courtside-view-{name}-{}", std::process::id()),
        120,
        40,
        &command,
    )
}

#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn the_next_session_opens_where_the_last_one_left_and_fresh_ignores_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let built = Command::new(binary())
        .args(["--store", store.to_str().unwrap(), "demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .status()
        .unwrap();
    assert!(built.success());

    // First session: the xgboost_v7 system (the strip's cursor), the light
    // theme, the Splits tab; then quit.
    let first = start(dir.path(), &store, "first", "");
    // A first session on the demo says where its stories are.
    let opening = first.wait_for("key figures");
    assert!(opening.contains("demo: `:01-24` an outage"), "{opening}");
    for _ in 0..3 {
        first.keys("Down");
    }
    first.keys("Enter");
    first.wait_for("xgboost_v7 │");
    first.keys("T");
    first.wait_for("theme: light");
    first.keys("7");
    first.wait_for("bucket");
    first.keys("q");
    first.wait_for("EXIT=0");
    let saved = std::fs::read_to_string(dir.path().join("state/view.json")).unwrap();
    let view: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(view["tab"], "splits", "{saved}");
    assert_eq!(view["system"], "xgboost_v7", "{saved}");
    assert_eq!(view["theme"], "light", "{saved}");

    // Second session: it opens there.
    let second = start(dir.path(), &store, "second", "");
    let screen = second.wait_for("bucket");
    assert!(screen.contains("xgboost_v7 │"), "{screen}");
    assert!(!screen.contains("demo: `:01-24`"), "said once: {screen}");
    second.keys("q");
    second.wait_for("EXIT=0");

    // --fresh: the production system's Overview, whatever was saved.
    let fresh = start(dir.path(), &store, "fresh", "--fresh");
    let screen = fresh.wait_for("key figures");
    assert!(screen.contains("catboost_v8 │"), "{screen}");
    fresh.keys("q");
    fresh.wait_for("EXIT=0");

    // A view file that does not read: named, ignored, the dashboard opens.
    std::fs::write(dir.path().join("state/view.json"), "{ not json").unwrap();
    let broken = start(dir.path(), &store, "broken", "");
    let screen = broken.wait_for("saved view ignored");
    assert!(screen.contains("view.json"), "{screen}");
    broken.wait_for("key figures");
    broken.keys("q");
    broken.wait_for("EXIT=0");
}
