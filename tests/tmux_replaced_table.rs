//! A table replaced under an open dashboard, end to end in tmux: another
//! tool replaces `prediction_accuracy` (pandas' `to_sql(...,
//! if_exists="replace")`: DROP, CREATE, INSERT) while the dashboard shows
//! 2026-04-12; after `r` it shows the true 7-day hit rate (that of `diag`
//! on a copy of the replaced store no running process has read), never the
//! kept one of before. `scripts/test` points `COURTSIDE_BIN` at the release
//! build.

#[path = "common/replaced_table.rs"]
mod replaced_table;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tmux::{Session, binary};

const DATE: &str = "2026-04-12";

fn courtside(dir: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new(binary())
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("courtside runs");
    assert!(
        output.status.code().is_some_and(|code| code <= 2),
        "courtside {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The 7-day hit rate of catboost_v8 on [`DATE`] as the Overview prints it.
fn hit_rate_7d(dir: &Path, store: &Path) -> String {
    let json = courtside(
        dir,
        &[
            "--store",
            store.to_str().unwrap(),
            "diag",
            "--date",
            DATE,
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    format!("{:.1}%", report["hit_rate_7d"].as_f64().unwrap())
}

#[test]
fn a_table_replaced_under_an_open_dashboard_shows_the_true_figures_after_r() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    let store = dir.path().join("demo.sqlite");
    courtside(
        dir.path(),
        &["--store", store.to_str().unwrap(), "demo", "--seasons", "1"],
    );
    let before = hit_rate_7d(dir.path(), &store);
    let command = format!(
        "COURTSIDE_DATA_DIR={data} COURTSIDE_CONFIG_DIR={config} COURTSIDE_STATE_DIR={config} {bin} --store {store} --date {DATE}; sleep 30",
        data = dir.path().join("data").display(),
        config = dir.path().join("config").display(),
        bin = binary().display(),
        store = store.display(),
    );
    let name = format!("replaced-{}", std::process::id());
    let session = Session::start(name, 120, 40, &command);
    let shows = |rate: &str| {
        let rate = rate.to_string();
        move |screen: &str| {
            screen
                .lines()
                .any(|line| line.contains("hit rate 7d") && line.contains(&rate))
        }
    };
    let deadline = || Instant::now() + Duration::from_secs(30);
    session.wait_until(deadline(), &before, shows(&before));
    replaced_table::replace_flipping_results(&store, "2026-04-06");
    let copy = dir.path().join("copy.sqlite");
    replaced_table::copy_of(&store, &copy);
    let truth = hit_rate_7d(dir.path(), &copy);
    assert_ne!(truth, before, "the replacement moves the rate");
    session.keys("r");
    let screen = session.wait_until(deadline(), &truth, shows(&truth));
    assert!(!shows(&before)(&screen), "{screen}");
}
