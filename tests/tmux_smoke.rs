//! End-to-end smoke test of the real binary in tmux on a demo store: start,
//! the Overview with its alert level, tabs 2-5, help, date navigation, resize,
//! and a clean quit (exit 0, no alternate screen left, cursor visible).
//! `scripts/test` provides tmux and points `COURTSIDE_BIN` at the release build.

#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::Duration;
use tmux::{Session, binary};

fn demo_store(dir: &Path) -> PathBuf {
    let store = dir.join("demo.sqlite");
    let status = Command::new(binary())
        .args(["--store", store.to_str().unwrap(), "demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .status()
        .expect("demo runs");
    assert!(status.success());
    store
}

#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn the_dashboard_runs_switches_tabs_resizes_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let session = Session {
        name: format!("courtside-smoke-{}", std::process::id()),
    };
    let command = format!(
        "env COURTSIDE_DATA_DIR='{dir}' COURTSIDE_CONFIG_DIR='{dir}' COURTSIDE_STATE_DIR='{dir}' '{bin}' --store '{store}'; echo EXIT=$?; sleep 60",
        dir = dir.path().display(),
        bin = binary().display(),
        store = store.display()
    );
    session.tmux(&[
        "new-session",
        "-d",
        "-s",
        &session.name,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);

    let overview = session.wait_for("key figures");
    assert!(
        ["HEALTHY", "INFO", "WARNING", "CRITICAL"]
            .iter()
            .any(|level| overview.contains(level)),
        "{overview}"
    );
    assert!(
        overview.contains("2026-04-12") && overview.contains("demo data"),
        "{overview}"
    );
    assert_eq!(
        session.format("#{alternate_on}"),
        "1",
        "the dashboard uses the alternate screen"
    );

    for (key, text) in [
        ("2", "beats Vegas % (line) and sharpness score"),
        ("3", "other systems, 7-day hit rate"),
        ("4", "experiments · sort"),
        ("5", "explained mainly by"),
    ] {
        session.keys(key);
        session.wait_for(text);
    }
    session.keys("1");
    session.keys("?");
    session.wait_for("keys (? or Esc closes)");
    session.keys("Escape");
    // A terminal reads Esc and `[` sent together as one escape sequence.
    sleep(Duration::from_millis(300));
    session.keys("[");
    session.wait_for("2026-04-11");
    // The command line: `:`, a date, Enter.
    session.keys(":");
    session.wait_for(" command line ");
    session.keys("03-02");
    session.wait_for("date 2026-03-02");
    session.keys("Enter");
    session.wait_for("│ 2026-03-02 │");
    // Keys act only where their effect shows: P on the Overview opens nothing.
    session.keys("P");
    sleep(Duration::from_millis(400));
    let overview = session.screen();
    assert!(!overview.contains("Promote "), "{overview}");
    // The day drill-down, and Esc out of it.
    session.keys("d");
    session.wait_for("day by day to 2026-03-02");
    session.keys("Escape");
    sleep(Duration::from_millis(300));
    session.keys("t");
    session.wait_for("│ 2026-04-12 │");

    session.tmux(&["resize-window", "-t", &session.name, "-x", "80", "-y", "24"]);
    sleep(Duration::from_millis(500));
    let small = session.wait_for("key figures");
    assert!(small.lines().count() <= 24, "{small}");
    session.tmux(&[
        "resize-window",
        "-t",
        &session.name,
        "-x",
        "120",
        "-y",
        "40",
    ]);
    session.wait_for("5 Backtest gap");

    // Promote the leaderboard's top experiment through the dashboard.
    session.keys("4");
    session.wait_for("experiments · sort");
    session.keys("P");
    session.wait_for("Promote TIER_BASED_STARS_ONLY for catboost_v8?");
    session.wait_for("This archives: V8_PRODUCTION_BASELINE");
    // Its guard rails fail: one `y` does not force past them, nor `F`
    // alone, nor a word other than `force`; `F`, `force` and Enter do.
    session.keys("y");
    session.wait_for("guard rails failed: F then type force");
    session.keys("F");
    session.wait_for("Type force and Enter to promote anyway");
    session.keys("forc");
    session.keys("Enter");
    session.wait_for("type the word force, then Enter");
    session.keys("e");
    session.keys("Enter");
    session.wait_for("archived");

    session.keys("q");
    let after = session.wait_for("EXIT=0");
    assert!(
        !after.contains("key figures"),
        "the dashboard is gone:\n{after}"
    );
    assert_eq!(
        session.format("#{alternate_on}"),
        "0",
        "alternate screen left"
    );
    assert_eq!(session.format("#{cursor_flag}"), "1", "cursor visible");

    // The audit trail has the dashboard's promotion.
    let history = Command::new(binary())
        .args([
            "--store",
            store.to_str().unwrap(),
            "exp",
            "history",
            "TIER_BASED_STARS_ONLY",
        ])
        .env("COURTSIDE_DATA_DIR", dir.path())
        .env("COURTSIDE_CONFIG_DIR", dir.path())
        .output()
        .expect("history runs");
    let history = String::from_utf8_lossy(&history.stdout);
    assert!(history.contains("completed -> promoted"), "{history}");
    assert!(history.contains("forced past:"), "{history}");
}

/// SIGTERM, SIGINT from outside and SIGHUP each quit the dashboard through its
/// normal path: main screen back, cursor visible, the shell's next line runs.
#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn signals_quit_the_dashboard_and_restore_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    for signal in ["TERM", "INT", "HUP"] {
        let session = Session {
            name: format!("courtside-signal-{signal}-{}", std::process::id()),
        };
        let command = format!(
            "env COURTSIDE_DATA_DIR='{dir}' COURTSIDE_CONFIG_DIR='{dir}' COURTSIDE_STATE_DIR='{dir}' '{bin}' --store '{store}'; echo EXIT=$?; sleep 60",
            dir = dir.path().display(),
            bin = binary().display(),
            store = store.display()
        );
        session.tmux(&[
            "new-session",
            "-d",
            "-s",
            &session.name,
            "-x",
            "100",
            "-y",
            "30",
            &command,
        ]);
        session.wait_for("key figures");
        assert_eq!(session.format("#{alternate_on}"), "1");
        // The dashboard is the pane shell's child.
        let shell = session.format("#{pane_pid}");
        let child = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep runs");
        let pids = String::from_utf8_lossy(&child.stdout).to_string();
        let pid = pids
            .lines()
            .next()
            .unwrap_or_else(|| panic!("no child of {shell}"));
        let status = Command::new("kill")
            .args([&format!("-{signal}"), pid])
            .status()
            .unwrap();
        assert!(status.success());
        let after = session.wait_for("EXIT=");
        assert!(
            !after.contains("key figures"),
            "{signal}: still drawn:\n{after}"
        );
        assert_eq!(
            session.format("#{alternate_on}"),
            "0",
            "{signal}: alternate screen left"
        );
        assert_eq!(
            session.format("#{cursor_flag}"),
            "1",
            "{signal}: cursor visible"
        );
        assert_eq!(
            session.format("#{mouse_any_flag}"),
            "0",
            "{signal}: mouse reporting off"
        );
    }
}
