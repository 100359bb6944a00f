//! Whole-screen snapshots of the dashboard on a test backend, with injected
//! data and a fixed clock: every tab at 80x24 and 120x40, and the states a
//! user relies on (help, loading, error with last good data, stale, no data,
//! wide characters).

mod common;

use common::{loaded_app, new_app, now, render};
use courtside::tui::action::{Action, Fetch, Tab};

fn snapshot(name: &str, screen: String) {
    insta::assert_snapshot!(name, screen);
}

#[test]
fn every_tab_at_every_size() {
    for tab in Tab::ALL {
        let mut app = loaded_app();
        app.update(Action::SelectTab(tab));
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let screen = render(&app, width, height);
            // The tab's own content is on screen, not just the chrome.
            let expected = match tab {
                Tab::Overview => "key figures",
                Tab::Sharpness => "beats Vegas",
                Tab::Drift => "hit 7d",
                Tab::Experiments => "experiments",
                Tab::Gap => "explained mainly by",
                Tab::Versus => "B better",
                Tab::Splits => "edge pays",
                Tab::Tonight => "players with a line",
            };
            assert!(
                screen.contains(expected),
                "{tab:?} {width}x{height}:\n{screen}"
            );
            snapshot(
                &format!(
                    "{}_{width}x{height}",
                    tab.title().replace(' ', "_").to_lowercase()
                ),
                screen,
            );
        }
    }
}

#[test]
fn the_gap_verdict_cautions_about_thin_samples() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Gap));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("line type rests on an insufficient sample (n=45)"),
        "{screen}"
    );
}

#[test]
fn compare_view_of_marked_experiments() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::Mark);
    app.update(Action::Down);
    app.update(Action::Mark);
    app.update(Action::Down);
    app.update(Action::Mark);
    app.update(Action::Compare);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("compare (Esc closes)") && screen.contains("(baseline)"),
        "{screen}"
    );
    assert!(screen.contains("Δ hit [95% CI]"), "{screen}");
    snapshot("compare_120x40", screen);
    snapshot("compare_80x24", render(&app, 80, 24));
}

#[test]
fn promote_confirmation_names_what_it_archives_and_the_guard_rails() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    // The top row is TINY_SAMPLE (20 samples): a guard-rail warning.
    app.update(Action::Promote);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Promote TINY_SAMPLE for catboost_v8?"),
        "{screen}"
    );
    assert!(screen.contains("This archives: V8_BASELINE"), "{screen}");
    assert!(
        screen.contains("only 20 evaluation samples (minimum 500)"),
        "{screen}"
    );
    snapshot("promote_confirm_120x40", screen);
    snapshot("promote_confirm_80x24", render(&app, 80, 24));
}

#[test]
fn help_overlay() {
    let mut app = loaded_app();
    app.update(Action::ToggleHelp);
    let small = render(&app, 80, 24);
    assert!(
        small.contains("keys (? or Esc closes)") && small.contains("next theme"),
        "{small}"
    );
    snapshot("help_80x24", small);
    snapshot("help_120x40", render(&app, 120, 40));
}

#[test]
fn loading_state() {
    let (app, _) = new_app();
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("loading diagnostics for catboost_v8 on 2026-04-12"),
        "{screen}"
    );
    // The first frame says loading, never a verdict of unknown.
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("LOADING") && !header.contains("UNKNOWN"),
        "{header}"
    );
    snapshot("loading_80x24", screen);
}

#[test]
fn error_state_keeps_the_last_good_data() {
    let mut app = loaded_app();
    let effects = app.update(Action::Refresh);
    let request = common::request_of(&effects, Fetch::Dashboard);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request,
        at: now(),
        result: Err("BigQuery: HTTP 503 after 4 tries".to_string()),
    });
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("refresh failed: BigQuery: HTTP 503"),
        "{screen}"
    );
    assert!(
        screen.contains("key figures"),
        "last good data kept:\n{screen}"
    );
    snapshot("error_120x40", screen);
}

#[test]
fn stale_header() {
    let mut app = loaded_app();
    app.update(Action::TogglePause);
    app.update(Action::Tick(now() + chrono::Duration::seconds(200)));
    let screen = render(&app, 120, 40);
    // Paused, the header says so with the age, at every size, and never
    // calls the data it chose to keep stale.
    assert!(screen.contains("⏸ paused: updated 3m ago"), "{screen}");
    // A healthy day has no cause, so no confidence to state.
    assert!(
        screen.contains("primary cause: none") && !screen.contains("confidence no data"),
        "{screen}"
    );
    assert!(!screen.contains("STALE"), "{screen}");
    snapshot("stale_120x40", screen);
    let narrow = render(&app, 80, 24);
    assert!(
        narrow.lines().next().unwrap().contains("⏸ paused"),
        "{narrow}"
    );
    // Not paused, old data is stale.
    app.update(Action::TogglePause);
    app.update(Action::Tick(now() + chrono::Duration::seconds(400)));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("STALE"), "{screen}");
}

#[test]
fn empty_data_says_no_data_never_zero() {
    let (mut app, _) = new_app();
    app.update(Action::MoveDate(200));
    let effects = app.update(Action::Refresh);
    assert!(
        effects.is_empty(),
        "a refresh never overlaps the running fetch"
    );
    let request = app.dashboard.pending.expect("pending");
    let payload = courtside::tui::action::Payload::Dashboard(Box::new(
        courtside::tui::data::build_dashboard(
            &courtside::model::DayStatsBundle::default(),
            &app.selection,
            &courtside::config::Thresholds::default(),
            now(),
        ),
    ));
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request,
        at: now(),
        result: Ok(payload),
    });
    for tab in [Tab::Overview, Tab::Sharpness, Tab::Drift] {
        app.update(Action::SelectTab(tab));
        let screen = render(&app, 80, 24);
        assert!(screen.contains("no data"), "{screen}");
        assert!(
            !screen.contains("0.0%") && !screen.contains("50.0%"),
            "{screen}"
        );
        assert!(screen.contains("UNKNOWN"), "{screen}");
    }
    snapshot("no_data_80x24", render(&app, 80, 24));
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("ＷＩＤＥ_実験_名前"), "{screen}");
    // Every line of the table has the same display width as the screen.
    // (The test backend notes cells hidden behind wide characters after the quoted line.)
    for line in screen.lines() {
        let quoted = line
            .split(" Hidden by multi-width symbols")
            .next()
            .unwrap_or(line);
        let inner = quoted.trim().trim_matches('"');
        assert_eq!(unicode_width::UnicodeWidthStr::width(inner), 120, "{line}");
    }
    snapshot("wide_experiments_120x40", screen);
    app.update(Action::SelectTab(Tab::Drift));
    let drift = render(&app, 80, 24);
    assert!(drift.contains("モデル_v2"), "{drift}");
    snapshot("wide_drift_80x24", drift);
}

#[test]
fn a_new_date_never_shows_old_figures_unmarked() {
    let mut app = loaded_app();
    app.update(Action::MoveDate(-1));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("2026-04-11"), "{screen}");
    assert!(
        screen.contains("loading catboost_v8 on 2026-04-11… (below: catboost_v8 on 2026-04-12)"),
        "{screen}"
    );
    assert!(
        !screen.contains("updated 12s ago"),
        "the header says it is loading: {screen}"
    );
}
