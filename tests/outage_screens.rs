//! The demo's production outage as the dashboard shows it (metrics.md 5b,
//! 11): on 2026-01-24 catboost_v8 made no predictions on a game date; the
//! Overview says so in words with the day's player-games and the usual
//! count, and the Drift tab marks the outage days apart from days without
//! games and draws the drift detector against its alarm line.

mod common;

use common::demo::demo_store;
use common::{date, new_app_at, now, render, request_of};
use courtside::config::Thresholds;
use courtside::tui::action::{Action, Fetch, Payload, Selection, Tab};

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
            "catboost_v8",
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
        overview.contains("! WARNING  not predicted: catboost_v8 made no"),
        "{overview}"
    );
    assert_eq!(
        overview
            .matches("not predicted: catboost_v8 made no")
            .count(),
        1,
        "the outage sentence is said once: {overview}"
    );
    assert!(
        overview.contains("not predicted   01-20"),
        "the strip: {overview}"
    );
    assert!(
        overview.contains("for 2026-01-24: the schedule has 14 games (403"),
        "{overview}"
    );
    assert!(
        overview.contains("Check the prediction job first"),
        "{overview}"
    );
    assert!(
        !overview.contains("shot-zone feed"),
        "the feed advice is for features, not an outage: {overview}"
    );
    assert!(!overview.contains("made 0 predictions"), "{overview}");
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

#[test]
fn the_drill_down_tells_an_outage_from_a_grading_gap_and_a_system_not_yet_running() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let day = date("2026-01-24");
    let (mut app, effects) = new_app_at(day);
    let selection = Selection {
        date: day,
        system: "catboost_v8".to_string(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let thresholds = Thresholds::default();
    let (dashboard, comparison) = runtime.block_on(async {
        (
            courtside::tui::data::load_dashboard(&store, &selection, "catboost_v8", &thresholds)
                .await
                .unwrap(),
            courtside::tui::data::load_comparison(&store, &selection, &thresholds)
                .await
                .unwrap(),
        )
    });
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now(),
        result: Ok(Payload::Dashboard(Box::new(dashboard))),
    });
    app.update(Action::Loaded {
        what: Fetch::Comparison,
        request: request_of(&effects, Fetch::Comparison),
        at: now(),
        result: Ok(Payload::Comparison(Box::new(comparison))),
    });
    app.update(Action::OpenDrillDown);
    let screen = render(&app, 120, 40);
    let line_of = |date: &str, system: &str| {
        screen
            .lines()
            .find(|line| {
                line.contains(&format!("│{date}  ")) && line.contains(&format!(" {system} "))
            })
            .unwrap_or_else(|| panic!("no {system} {date} in\n{screen}"))
            .to_string()
    };
    assert!(
        line_of("2026-01-24", "catboost_v8").contains("✖ outage"),
        "{screen}"
    );
    assert!(
        line_of("2026-01-23", "catboost_v8").contains("○ not graded"),
        "{screen}"
    );
    let shadow = line_of("2026-01-24", "catboost_v9_shadow");
    assert!(shadow.contains("- not running"), "{shadow}");
    assert!(!shadow.contains("outage"), "{shadow}");
    insta::assert_snapshot!("drill_down_not_running_120x40", screen);

    // At 80 columns: one line a day and system (compact columns), the
    // outage and the grading gap still told apart.
    let narrow = render(&app, 80, 24);
    let rows: Vec<&str> = narrow
        .lines()
        .filter(|line| line.contains("│01-2"))
        .collect();
    assert!(rows.len() >= 16, "a row a day and system:\n{narrow}");
    let row = |date: &str, system: &str| {
        rows.iter()
            .find(|line| line.contains(&format!("│{date}  {system} ")))
            .unwrap_or_else(|| panic!("no {system} {date} in\n{narrow}"))
            .to_string()
    };
    assert!(row("01-24", "catboost_v8").contains("✖ outage"), "{narrow}");
    assert!(
        row("01-23", "catboost_v8").contains("○ not graded"),
        "{narrow}"
    );
    assert!(row("01-24", "ensemble_v1").contains('%'), "{narrow}");
    insta::assert_snapshot!("drill_down_outage_80x24", narrow);
}
