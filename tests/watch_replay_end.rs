//! `watch --replay` ends with its last date: it does not wait an interval
//! after it (issue "On call": two dates took 120 s). Run with an interval
//! of an hour, the replay of two dates must have exited long before it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_replay_exits_after_its_last_date_without_waiting_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path())
            .env("COURTSIDE_CONFIG_DIR", dir.path())
            .env_remove("COURTSIDE_SLACK_WEBHOOK")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    assert!(run(&["demo", "--seasons", "1"]).wait().unwrap().success());
    let mut child = run(&[
        "watch",
        "--interval",
        "3600",
        "--replay",
        "2026-03-07,2026-03-08",
    ]);
    // Not a speed target: an hour's interval against two minutes of room.
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("watch --replay still waiting after its last date");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = child.wait_with_output().unwrap();
    assert!(
        status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("catboost_v8"), "both dates evaluated: {text}");
}
