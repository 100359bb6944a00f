//! The Overview's systems strip on the demo (issue: the dashboard an
//! on-call engineer keeps open): every system's level on the outage day and
//! the drift day at 80x24, 120x40 and 200x60; the header's worst level;
//! `Enter` selects the system under the cursor; at 80x24 the verdict's
//! "what to do" is reached by scrolling.

mod common;

use common::demo::demo_store;
use common::{date, new_app_at, now, render, request_of};
use courtside::config::Thresholds;
use courtside::source::embedded::EmbeddedStore;
use courtside::tui::action::{Action, DashboardData, Effect, Fetch, Payload, Selection};

/// The dashboard of catboost_v8 on `day`, as the runtime loads it.
fn dashboard_on(store: &EmbeddedStore, day: &str) -> DashboardData {
    let selection = Selection {
        date: date(day),
        system: "catboost_v8".to_string(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(courtside::tui::data::load_dashboard(
            store,
            &selection,
            "catboost_v8",
            &Thresholds::default(),
        ))
        .unwrap()
}

/// An app opened on `dashboard`'s date with it loaded.
fn app_with(dashboard: DashboardData) -> courtside::tui::app::App {
    let (mut app, effects) = new_app_at(dashboard.selection.date);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now(),
        result: Ok(Payload::Dashboard(Box::new(dashboard))),
    });
    app
}

fn app_on(store: &EmbeddedStore, day: &str) -> courtside::tui::app::App {
    app_with(dashboard_on(store, day))
}

#[test]
fn the_strip_shows_every_system_on_the_outage_day_and_the_drift_day_at_three_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    for (name, day) in [("outage", "2026-01-24"), ("drift", "2026-03-08")] {
        let app = app_on(&store, day);
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let screen = render(&app, width, height);
            for system in ["catboost_v8", "ensemble_v1", "xgboost_v7"] {
                assert!(screen.contains(system), "{name} {width}x{height}: {screen}");
            }
            assert!(screen.contains("champion"), "{screen}");
            assert!(
                screen.contains(" all: "),
                "the worst level in the header: {screen}"
            );
            if height >= 40 {
                assert!(
                    screen.contains("last 60 days"),
                    "the chart at {width}x{height}: {screen}"
                );
            }
            insta::assert_snapshot!(format!("strip_{name}_{width}x{height}"), screen);
        }
    }
}

#[test]
fn at_80x24_the_verdict_scrolls_to_what_to_do_and_enter_selects_a_system() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut app = app_on(&store, "2026-01-24");
    let first = render(&app, 80, 24);
    assert!(first.contains("verdict ↓ more (J)"), "{first}");
    assert!(!first.contains("Check the prediction job first"), "{first}");
    let mut screen = first.clone();
    for _ in 0..10 {
        app.update(Action::ScrollDetail(3));
        screen = render(&app, 80, 24);
        if screen.contains("Check the prediction job first") {
            break;
        }
    }
    assert!(
        screen.contains("Check the prediction job first"),
        "{screen}"
    );
    assert!(screen.contains("verdict ↑"), "{screen}");
    insta::assert_snapshot!("strip_outage_80x24_scrolled", screen);

    // Down to the third row, Enter: that system is selected and fetched.
    app.update(Action::Down);
    app.update(Action::Down);
    let third = app.strip_systems()[2].clone();
    let effects = app.update(Action::Enter);
    assert_eq!(app.selection.system, third);
    assert!(
        effects.iter().any(|effect| matches!(
            effect,
            Effect::Fetch {
                what: Fetch::Dashboard,
                ..
            }
        )),
        "{effects:?}"
    );
}

/// The key figures' notes wrap at their spaces (never `…` mid-word) at
/// 120x40 and 80x24, and a panel too short for all nine figures scrolls by
/// `>` to the last one and says which it shows.
#[test]
fn the_key_figures_wrap_their_notes_and_scroll_to_the_last_figure() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut app = app_on(&store, "2026-03-08");
    for (width, height) in [(120, 40), (80, 24)] {
        let screen = render(&app, width, height);
        assert!(!screen.contains("v…"), "{width}x{height}: {screen}");
        assert!(!screen.contains("real line…"), "{width}x{height}: {screen}");
        assert!(
            screen.contains("est. left out"),
            "{width}x{height}: {screen}"
        );
    }
    let wide = render(&app, 120, 40);
    assert!(wide.contains("completeness 7d"), "all nine fit: {wide}");
    assert!(wide.contains("break-even"), "{wide}");
    let narrow = render(&app, 80, 24);
    assert!(narrow.contains("vs break-even"), "one line at 80: {narrow}");

    let first = render(&app, 80, 24);
    assert!(first.contains("key figures 1-"), "{first}");
    assert!(first.contains("↓ more (>)"), "{first}");
    assert!(!first.contains("completeness 7d"), "{first}");
    let mut screen = first;
    for _ in 0..9 {
        app.update(Action::ScrollFigures(1));
        screen = render(&app, 80, 24);
    }
    assert!(screen.contains("completeness 7d"), "{screen}");
    assert!(screen.contains("of 9 ↑ more (<)"), "{screen}");
    assert!(!screen.contains("beats Vegas 14d"), "{screen}");
    // Back up: the first figure again, and nothing above it.
    for _ in 0..9 {
        app.update(Action::ScrollFigures(-1));
    }
    let top = render(&app, 80, 24);
    assert!(top.contains("beats Vegas 14d"), "{top}");
    assert!(!top.contains("↑ more (<)"), "{top}");
    insta::assert_snapshot!("key_figures_80x24_scrolled", screen);
}

/// An active silence of the selected system is in the header, in full
/// where it fits and shorter where it does not; an unreadable silences
/// table is said, never shown as no silence.
#[test]
fn the_header_says_an_active_silence() {
    use chrono::TimeZone;
    use courtside::model::silence::Silence;
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut dashboard = dashboard_on(&store, "2026-03-08");
    dashboard.silences = Ok(vec![Silence {
        id: 7,
        system_id: "catboost_v8".to_string(),
        topic: None,
        level: None,
        starts_at: chrono::Utc.with_ymd_and_hms(2026, 3, 8, 9, 0, 0).unwrap(),
        ends_at: chrono::Utc.with_ymd_and_hms(2099, 1, 1, 18, 0, 0).unwrap(),
        author: "alice".to_string(),
        comment: "retraining".to_string(),
        expired_at: None,
        expired_by: None,
    }]);
    dashboard.last_change = Ok(Some(
        "since 03-08 02:43 UTC: warning (catboost_v8 2026-03-08, verdict), posted to #nba-alerts 02:43:05"
            .to_string(),
    ));
    let mut unreadable = dashboard.clone();
    let app = app_with(dashboard);
    let wide = render(&app, 200, 24);
    let header = wide.lines().next().unwrap().to_string();
    assert!(
        header.contains("🔕 catboost_v8 until 2099-01-01 18:00 UTC, by alice: retraining"),
        "{header}"
    );
    let narrower = render(&app, 120, 24);
    assert!(
        narrower.lines().next().unwrap().contains("🔕 until 18:00"),
        "{narrower}"
    );
    insta::assert_snapshot!("header_with_a_silence_200x24", header);
    // What watch last did, under the level in the verdict.
    assert!(
        wide.contains("◷ watch: since 03-08 02:43 UTC: warning")
            && wide.contains("posted to #nba-alerts"),
        "{wide}"
    );

    unreadable.silences = Err("silences unreadable: disk I/O error".to_string());
    unreadable.last_change = Err("the alert timeline is unreadable: disk I/O error".to_string());
    let app = app_with(unreadable);
    let screen = render(&app, 200, 24);
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("⚠ silences unreadable"),
        "{screen}"
    );
    assert!(
        screen.contains("⚠ the alert timeline is unreadable"),
        "{screen}"
    );
}

/// The selected system's level changing under an open dashboard (a
/// refresh brings new figures for the same date) flashes the header with
/// what it was and sets the terminal's title; moving to another date does not.
#[test]
fn a_level_change_while_open_flashes_the_header_and_sets_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut app = app_on(&store, "2026-03-08");
    let shown = app.dashboard.data.clone().unwrap();
    let before = shown.diagnostics.alert_level;
    assert_ne!(before, courtside::model::AlertLevel::Critical);
    let mut changed = shown.clone();
    changed.diagnostics.alert_level = courtside::model::AlertLevel::Critical;
    let effects = app.update(Action::Refresh);
    let effects = app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now(),
        result: Ok(Payload::Dashboard(Box::new(changed))),
    });
    let title = effects.iter().find_map(|effect| match effect {
        Effect::SetTitle(title) => Some(title.clone()),
        _ => None,
    });
    assert_eq!(
        title.as_deref(),
        Some(format!("courtside: catboost_v8 CRITICAL (was {})", before.as_str()).as_str()),
        "{effects:?}"
    );
    let screen = render(&app, 120, 24);
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains(&format!(" was {} ", before.as_str().to_ascii_uppercase())),
        "{header}"
    );
    // The same figures again: no new change, no title.
    let same = app.dashboard.data.clone().unwrap();
    let effects = app.update(Action::Refresh);
    let effects = app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: now(),
        result: Ok(Payload::Dashboard(Box::new(same))),
    });
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SetTitle(_))),
        "{effects:?}"
    );
}

/// The SVG picture of a tab parses as XML and holds the tab's text, each
/// character on its cell: rebuilt from the `<text>` elements' positions,
/// every row equals the plain-text snapshot's.
#[test]
fn the_svg_picture_parses_and_holds_the_screen_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut app = app_on(&store, "2026-01-24");
    // The tests' apps draw without colour; the picture is of the dark theme.
    app.themes = courtside::tui::theme::load_themes(None, false).0;
    app.theme_index = app.themes.iter().position(|t| t.name == "dark").unwrap();
    let svg = courtside::tui::snapshot::draw_svg(&app, 120, 40).unwrap();
    let text = courtside::tui::snapshot::draw(&app, 120, 40).unwrap();
    let document = roxmltree::Document::parse(&svg).expect("the SVG parses");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1008.0"));
    let mut rows = vec![vec![' '; 120]; 40];
    let mut colours = std::collections::HashSet::new();
    for node in root.descendants().filter(|n| n.has_tag_name("text")) {
        let y: f64 = node.attribute("y").unwrap().parse().unwrap();
        let row = ((y - 13.0) / 17.0).round() as usize;
        let xs: Vec<usize> = node
            .attribute("x")
            .unwrap()
            .split(' ')
            .map(|x| (x.parse::<f64>().unwrap() / 8.4).round() as usize)
            .collect();
        colours.insert(node.attribute("fill").unwrap().to_string());
        let content = node.text().unwrap_or("");
        let chars: Vec<char> = content.chars().collect();
        if xs.len() == chars.len() {
            for (x, c) in xs.iter().zip(chars) {
                rows[row][*x] = c;
            }
        } else {
            // A symbol of several characters, placed at its first cell.
            rows[row][xs[0]] = chars[0];
        }
    }
    let rebuilt: Vec<String> = rows
        .iter()
        .map(|row| {
            // The cell after a wide character holds nothing of its own.
            let mut line = String::new();
            let mut skip = 0;
            for c in row {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                line.push(*c);
                skip = unicode_width::UnicodeWidthChar::width(*c)
                    .unwrap_or(1)
                    .saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect();
    let expected: Vec<&str> = text.lines().collect();
    assert_eq!(rebuilt.len(), expected.len());
    for (index, (got, want)) in rebuilt.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "row {index}");
    }
    assert!(svg.contains("not predicted"), "the tab's text");
    assert!(
        colours.len() >= 4,
        "the theme's colours, not one: {colours:?}"
    );
}
