//! The command palette and the back stack, end to end in tmux (issue: the
//! dashboard an on-call engineer keeps open): `Ctrl-p`, typing `versus xg`
//! finds `versus xgboost_v7` and `Enter` opens the Versus tab against it;
//! `:versus xgboost_v7` typed in full does the same; on the Backtest gap
//! tab `Enter` on a missing date opens the Overview on it, and `Backspace`
//! returns to the Gap. `scripts/test` points `COURTSIDE_BIN` at the release
//! build.

#[path = "common/tmux.rs"]
mod tmux;

use std::process::Command;
use tmux::{Session, binary};

#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn the_palette_runs_versus_and_backspace_returns_from_the_overview_to_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let built = Command::new(binary())
        .args(["--store", store.to_str().unwrap(), "demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .status()
        .unwrap();
    assert!(built.success());
    let command = format!(
        "env COURTSIDE_DATA_DIR='{dir}' COURTSIDE_CONFIG_DIR='{dir}' COURTSIDE_STATE_DIR='{dir}/state' '{bin}' --store '{store}' --fresh; echo EXIT=$?; sleep 60",
        dir = dir.path().display(),
        bin = binary().display(),
        store = store.display()
    );
    let session = Session::start(
        format!("courtside-palette-{}", std::process::id()),
        120,
        40,
        &command,
    );
    session.wait_for("key figures");

    // Ctrl-p, a few letters: the palette finds it; Enter runs it.
    session.keys("C-p");
    session.wait_for("command line");
    session.tmux(&["send-keys", "-t", &session.name, "-l", "versus xg"]);
    let screen = session.wait_for("versus xgboost_v7");
    assert!(
        screen.contains("Versus: catboost_v8 against xgboost_v7"),
        "{screen}"
    );
    session.keys("Enter");
    session.wait_for("A catboost_v8 vs B xgboost_v7");

    // `:` and the whole command: the same.
    session.keys("1");
    session.wait_for("key figures");
    session.keys(":");
    session.tmux(&["send-keys", "-t", &session.name, "-l", "versus xgboost_v7"]);
    session.wait_for("versus xgboost_v7  Versus");
    session.keys("Enter");
    session.wait_for("A catboost_v8 vs B xgboost_v7");

    // The Gap, Enter on its second missing date: the Overview on that
    // date; Backspace: the Gap again.
    session.keys("5");
    session.wait_for("missing dates");
    session.keys("Down");
    session.keys("Enter");
    let overview = session.wait_for("key figures");
    assert!(overview.contains("2026-01-21"), "{overview}");
    session.keys("BSpace");
    let back = session.wait_for("back to Backtest gap");
    assert!(back.contains("missing dates"), "{back}");
    session.keys("q");
    session.wait_for("EXIT=0");
}
