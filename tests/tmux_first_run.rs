//! The first run, end to end in tmux with empty data, config and state
//! directories: the demo build draws a bar with the season, the day being
//! written and the time left before the dashboard opens on the demo.
//! `scripts/test` points `COURTSIDE_BIN` at the release build.

#[path = "common/tmux.rs"]
mod tmux;

use tmux::{Session, binary};

#[test]
#[ignore = "needs tmux and the release binary: run scripts/test"]
fn the_first_run_draws_a_bar_with_the_season_the_day_and_the_time_left() {
    let dir = tempfile::tempdir().unwrap();
    let command = format!(
        "env COURTSIDE_DATA_DIR='{dir}/data' COURTSIDE_CONFIG_DIR='{dir}/config' COURTSIDE_STATE_DIR='{dir}/state' '{bin}'; echo EXIT=$?; sleep 60",
        dir = dir.path().display(),
        bin = binary().display(),
    );
    let session = Session::start(
        format!("courtside-first-run-{}", std::process::id()),
        120,
        40,
        &command,
    );
    // The bar, while the seasons are written.
    let bar = session.wait_for("first run [");
    let line = bar
        .lines()
        .find(|line| line.contains("first run ["))
        .expect("the progress line")
        .to_string();
    assert!(line.contains('█') || line.contains('░'), "a bar: {line}");
    assert!(line.contains("season "), "the season: {line}");
    assert!(line.contains(" of 3 ("), "of the three seasons: {line}");
    assert!(
        line.split_whitespace().any(|word| word
            .trim_end_matches(',')
            .parse::<chrono::NaiveDate>()
            .is_ok()),
        "the day being written: {line}"
    );
    // The time left, once a tenth is written (the bar is redrawn ten times
    // a second for the seconds the seasons take).
    let later = session.wait_for(" s left");
    assert!(later.contains("first run ["), "{later}");
    // Then the dashboard on the demo, with its first numbers.
    let screen = session.wait_for("key figures");
    assert!(screen.contains("demo data"), "{screen}");
    session.keys("q");
    let end = session.wait_for("EXIT=0");
    assert!(end.contains("EXIT=0"), "{end}");
}
