//! The demo's production outage as the dashboard shows it (metrics.md 5b,
//! 11): on 2026-01-24 catboost_v8 made no predictions on a game date; the
//! Overview says so in words with the day's player-games and the usual
//! count, and the Drift tab marks the outage days apart from days without
//! games and draws the drift detector against its alarm line.

mod common;

use common::{date, new_app_at, now, render, request_of};
use courtside::config::Thresholds;
use courtside::source::embedded::EmbeddedStore;
use courtside::tui::action::{Action, Fetch, Payload, Selection, Tab};
use std::process::Command;

fn demo_store(dir: &std::path::Path) -> EmbeddedStore {
    let store_path = dir.join("demo.sqlite");
    let built = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(&store_path)
        .args(["demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    EmbeddedStore::open(&store_path).unwrap()
}

#[test]
fn an_outage_day_is_loud_on_the_overview_and_marked_on_the_drift_tab() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let day = date("2026-01-24");
    let (mut app, effects) = new_app_at(day);
    let selection = Selection {
        date: day,
        system: "catboost_v8".to_string(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dashboard = runtime
        .block_on(courtside::tui::data::load_dashboard(
            &store,
            &selection,
            &Thresholds::default(),
        ))
        .unwrap();
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now() - chrono::Duration::seconds(12),
        result: Ok(Payload::Dashboard(Box::new(dashboard))),
    });

    let overview = render(&app, 120, 40);
    assert!(
        overview.contains("✖ catboost_v8 made 0 predictions on 2026-01-24, a game"),
        "{overview}"
    );
    assert!(
        overview.contains("date with 403 player-games; usually 290"),
        "{overview}"
    );
    assert!(
        overview.contains("other game dates of the 7 days"),
        "{overview}"
    );
    assert!(!overview.contains("HEALTHY"), "{overview}");
    insta::assert_snapshot!("outage_overview_120x40", overview);

    app.update(Action::SelectTab(Tab::Drift));
    let drift = render(&app, 120, 40);
    assert!(drift.contains("game dates with no predictions"), "{drift}");
    assert!(drift.contains('✖'), "{drift}");
    assert!(drift.contains("drift detector (CUSUM): S = "), "{drift}");
    assert!(drift.contains("about one false alarm per"), "{drift}");
    // The false-alarm table of `courtside alerts`, at the system's volume.
    assert!(
        drift.contains("false alarm in 90 healthy game dates at"),
        "{drift}"
    );
    insta::assert_snapshot!("outage_drift_120x40", drift);
}
