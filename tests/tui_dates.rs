//! The dates the dashboard shows: a selection the user did not choose
//! follows the latest date as refreshes read it (and the header says it
//! moved), a chosen date stays and the header tells of newer data, `t`
//! follows again; and the Drift tab's other systems are figures of the
//! selected date, as `diag --date` gives them.

mod common;

use common::{SYSTEMS, date, loaded_app, now, render, request_of};
use courtside::config::Thresholds;
use courtside::diagnostics::{DayIndex, diagnose};
use courtside::tui::action::{Action, Effect, Fetch, Payload, Selection, Tab};
use courtside::tui::app::{App, MOVED_NOTE_SECS};
use courtside::tui::data::{build_comparison, build_dashboard};

/// The dashboard payload for the app's selection, as a fetch that read
/// `latest` as the latest date with data.
fn dashboard_reading(app: &App, latest: &str) -> Payload {
    match common::dashboard_payload(app) {
        Payload::Dashboard(mut data) => {
            data.latest_date = Some(date(latest));
            Payload::Dashboard(data)
        }
        other => panic!("not a dashboard payload: {other:?}"),
    }
}

/// The dashboard answer of `request` arrives, having read `latest`.
fn dashboard_arrives(app: &mut App, request: u64, latest: &str) -> Vec<Effect> {
    let payload = dashboard_reading(app, latest);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request,
        at: now(),
        result: Ok(payload),
    })
}

/// The date the effects' dashboard fetch asks for.
fn fetched_date(effects: &[Effect]) -> Option<chrono::NaiveDate> {
    effects.iter().find_map(|effect| match effect {
        Effect::Fetch {
            what: Fetch::Dashboard,
            selection,
            ..
        } => Some(selection.date),
        _ => None,
    })
}

#[test]
fn a_following_selection_moves_to_a_new_latest_date_and_says_so_for_a_while() {
    let mut app = loaded_app();
    assert!(app.follows_latest, "opened without a date");
    assert_eq!(app.latest_note(), None);
    // A refresh that reads the same latest date changes nothing.
    let refresh = app.update(Action::Refresh);
    let same = dashboard_arrives(
        &mut app,
        request_of(&refresh, Fetch::Dashboard),
        "2026-04-12",
    );
    assert!(same.is_empty(), "{same:?}");
    assert_eq!(app.selection.date, date("2026-04-12"));
    // The next one finds a new night's rows.
    let refresh = app.update(Action::Refresh);
    let moved = dashboard_arrives(
        &mut app,
        request_of(&refresh, Fetch::Dashboard),
        "2026-04-13",
    );
    assert_eq!(app.selection.date, date("2026-04-13"));
    assert_eq!(app.latest_date, Some(date("2026-04-13")));
    assert_eq!(fetched_date(&moved), Some(date("2026-04-13")), "{moved:?}");
    assert!(app.follows_latest, "it still follows");
    assert_eq!(
        app.latest_note().as_deref(),
        Some("→ moved to 04-13 (new data)")
    );
    let screen = render(&app, 120, 40);
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("2026-04-13") && header.contains("→ moved to 04-13 (new data)"),
        "{screen}"
    );
    // For a while only.
    app.update(Action::Tick(
        now() + chrono::Duration::seconds(MOVED_NOTE_SECS + 1),
    ));
    assert_eq!(app.latest_note(), None);
}

#[test]
fn a_chosen_date_stays_and_the_header_tells_of_newer_data() {
    let mut app = loaded_app();
    let chosen = app.update(Action::MoveDate(-2));
    assert!(!app.follows_latest, "a day key chooses a date");
    let request = request_of(&chosen, Fetch::Dashboard);
    let effects = dashboard_arrives(&mut app, request, "2026-04-13");
    assert!(effects.is_empty(), "nothing moves: {effects:?}");
    assert_eq!(app.selection.date, date("2026-04-10"));
    assert_eq!(app.latest_date, Some(date("2026-04-13")));
    assert_eq!(app.latest_note().as_deref(), Some("newer data: 04-13 (t)"));
    let screen = render(&app, 120, 40);
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("2026-04-10") && header.contains("newer data: 04-13 (t)"),
        "{screen}"
    );
    // Still there after the next refresh reads a newer date again.
    let refresh = app.update(Action::Refresh);
    let effects = dashboard_arrives(
        &mut app,
        request_of(&refresh, Fetch::Dashboard),
        "2026-04-14",
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.selection.date, date("2026-04-10"));
    assert_eq!(app.latest_note().as_deref(), Some("newer data: 04-14 (t)"));
    // A chosen date at or after the latest has nothing newer to tell.
    app.update(Action::MoveDate(4));
    assert_eq!(app.selection.date, date("2026-04-14"));
    assert_eq!(app.latest_note(), None);
    // A typed date is a choice too.
    app.update(Action::Today);
    assert!(app.follows_latest);
    app.update(Action::OpenCommandLine);
    for c in "04-01".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::Enter);
    assert_eq!(app.selection.date, date("2026-04-01"));
    assert!(!app.follows_latest, "a typed date chooses a date");
}

#[test]
fn t_goes_to_the_latest_date_and_follows_again() {
    let mut app = loaded_app();
    let chosen = app.update(Action::MoveDate(-2));
    dashboard_arrives(
        &mut app,
        request_of(&chosen, Fetch::Dashboard),
        "2026-04-13",
    );
    assert_eq!(app.selection.date, date("2026-04-10"));
    let today = app.update(Action::Today);
    assert_eq!(app.selection.date, date("2026-04-13"));
    assert_eq!(fetched_date(&today), Some(date("2026-04-13")), "{today:?}");
    assert!(app.follows_latest);
    assert_eq!(
        app.latest_note(),
        None,
        "on the latest date: nothing to tell"
    );
    // Following again: the next night moves it.
    dashboard_arrives(&mut app, request_of(&today, Fetch::Dashboard), "2026-04-14");
    assert_eq!(app.selection.date, date("2026-04-14"));
    assert_eq!(
        app.latest_note().as_deref(),
        Some("→ moved to 04-14 (new data)")
    );
}

/// The comparison of the other systems on `day`, from data ending 2026-04-12.
fn others_on(day: &str) -> courtside::tui::action::ComparisonData {
    let bundle = common::bundle(date("2026-04-12"), 90);
    let others: Vec<String> = SYSTEMS[1..].iter().map(|s| s.to_string()).collect();
    let selection = Selection {
        date: date(day),
        system: SYSTEMS[0].to_string(),
    };
    build_comparison(&bundle, &selection, &others, &Thresholds::default())
}

#[test]
fn the_other_systems_figures_are_those_of_the_selected_date() {
    let thresholds = Thresholds::default();
    let bundle = common::bundle(date("2026-04-12"), 90);
    let index = DayIndex::new(&bundle);
    // After the data ends: n=0, no data, as `diag --date 2026-05-11` says,
    // though the trend window still holds the last game days.
    let after = others_on("2026-05-11");
    assert_eq!(after.on_date.len(), SYSTEMS.len() - 1);
    for (system, rate) in &after.on_date {
        assert_eq!(rate.n, 0, "{system}");
        assert_eq!(rate.pct, None, "{system}");
        assert_eq!(rate.to_string(), "no data", "{system}");
        let diag = diagnose(&index, system, date("2026-05-11"), &thresholds, now());
        assert_eq!(*rate, diag.drift.hit_rate_7d, "{system}");
    }
    assert!(
        after
            .series
            .iter()
            .all(|(_, trend)| trend.iter().any(|(_, rate)| rate.is_some())),
        "the trend still shows the days before the data ended"
    );
    // On a date with data: the selected date's 7 days, as `diag` gives them.
    let on_last = others_on("2026-04-12");
    for (system, rate) in &on_last.on_date {
        assert!(rate.n > 0, "{system}");
        let diag = diagnose(&index, system, date("2026-04-12"), &thresholds, now());
        assert_eq!(*rate, diag.drift.hit_rate_7d, "{system}");
    }
}

#[test]
fn the_drift_tab_shows_no_data_for_others_after_their_data_ends() {
    // Opened on 2026-05-08 as with `--date`; the data ends 2026-04-12 (inside
    // the selected system's 30 days, so the tab draws).
    let (mut app, effects) = common::new_app_at(date("2026-05-08"));
    let thresholds = Thresholds::default();
    let bundle = common::bundle(date("2026-04-12"), 140);
    let mut dashboard = build_dashboard(&bundle, &app.selection, &thresholds, now());
    dashboard.systems = SYSTEMS.iter().map(|s| s.to_string()).collect();
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now(),
        result: Ok(Payload::Dashboard(Box::new(dashboard))),
    });
    let others: Vec<String> = SYSTEMS[1..].iter().map(|s| s.to_string()).collect();
    let comparison = build_comparison(&bundle, &app.selection, &others, &thresholds);
    app.update(Action::Loaded {
        what: Fetch::Comparison,
        request: request_of(&effects, Fetch::Comparison),
        at: now(),
        result: Ok(Payload::Comparison(Box::new(comparison))),
    });
    app.update(Action::SelectTab(Tab::Drift));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("other systems, 7-day hit rate"), "{screen}");
    let row = screen
        .lines()
        .find(|line| line.contains(SYSTEMS[1]))
        .unwrap_or_else(|| panic!("no row of {}:\n{screen}", SYSTEMS[1]));
    assert!(row.contains("no data"), "not 04-12's rate: {row}");
    assert!(!row.contains("n="), "not 04-12's rate: {row}");
}

#[test]
fn a_jump_past_the_data_stops_at_tomorrow_and_the_header_says_where_the_data_ends() {
    // The data ends 2026-04-12; the clock reads 2026-04-13.
    let mut app = loaded_app();
    app.update(Action::OpenCommandLine);
    for typed in "+9999".chars() {
        app.update(Action::SearchInput(typed));
    }
    let effects = app.update(Action::Enter);
    assert_eq!(fetched_date(&effects), Some(date("2026-04-14")), "not 2053");
    assert_eq!(
        app.notice.as_deref(),
        Some("2053-08-27 is past the data (it ends 2026-04-12): showing 2026-04-14")
    );
    assert_eq!(app.latest_note().as_deref(), Some("data ends 04-12 (t)"));
    let header = render(&app, 120, 40).lines().next().unwrap().to_string();
    assert!(header.contains("data ends 04-12 (t)"), "{header}");
    // A jump within the bound is taken as typed, without a notice.
    app.update(Action::OpenCommandLine);
    for typed in "04-01".chars() {
        app.update(Action::SearchInput(typed));
    }
    let effects = app.update(Action::Enter);
    assert_eq!(fetched_date(&effects), Some(date("2026-04-01")));
    assert_eq!(app.notice, None);
}
