//! Terminal-safe output (issue item 7): a stored string never takes over the
//! viewer's terminal. Hostile text (a screen clear `ESC[2J`, a window title
//! `ESC]0;…BEL`, an OSC 52 clipboard write, NUL, a bidi override) written
//! into the store reaches `exp show`, `exp history` and `diag` as visible
//! escapes (`\x1b`), and the dashboard and the Slack payloads likewise.

mod common;

use courtside::config::Thresholds;
use courtside::format::needs_escape;
use courtside::model::{AlertLevel, DayStatsBundle};
use courtside::tui::action::{Action, Fetch, Payload, Selection, Tab};
use courtside::tui::app::{App, AppSetup, Settings};
use courtside::tui::data::build_dashboard;
use courtside::tui::keymap::Keymap;
use courtside::tui::theme::load_themes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// A screen clear and a window title (no NUL: it goes on the command line).
const SYSTEM: &str = "ens\x1b]0;pwned\x07\x1b[2J";
const NAME: &str = "EVIL\x1b[2J\x1b]0;pwned\x07";
const HYPOTHESIS: &str = "clears\x1b[2J, copies\x1b]52;c;aGk=\x07, nul\0, flips\u{202e}txt";
const ACTOR: &str = "mallory\x1b]0;pwned\x07";
const NOTE: &str = "note\x1b[2J\0end";

fn run(dir: &Path, store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap()
}

/// No byte a terminal would obey: ESC, BEL, NUL (nor any other control
/// character but the line break, nor a bidi override).
fn assert_inert(what: &str, bytes: &[u8]) {
    for byte in [0x1b, 0x07, 0x00] {
        assert!(
            !bytes.contains(&byte),
            "{what}: raw 0x{byte:02x} in {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.chars().any(|c| c != '\n' && needs_escape(c)),
        "{what}: {text:?}"
    );
}

fn stdout_of(what: &str, output: &Output) -> String {
    assert!(
        output.status.code().is_some_and(|code| code <= 3),
        "{what}: {:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_inert(what, &output.stdout);
    assert_inert(&format!("{what} (stderr)"), &output.stderr);
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn stored_control_characters_are_printed_as_visible_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let built = run(dir.path(), &store, &["demo", "--seasons", "1"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let connection = rusqlite::Connection::open(&store).unwrap();
    let id: String = connection
        .query_row(
            "SELECT experiment_id FROM ml_experiment_events ORDER BY experiment_id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let tags = serde_json::to_string(&["ok", "\x1b]0;pwned\x07", "nul\0"]).unwrap();
    connection
        .execute(
            "UPDATE ml_experiments SET experiment_name = ?1, hypothesis = ?2, tags = ?3
               WHERE experiment_id = ?4",
            rusqlite::params![NAME, HYPOTHESIS, tags, id],
        )
        .unwrap();
    // The audit trail is append-only: a hostile event is added.
    connection
        .execute(
            "INSERT INTO ml_experiment_events (experiment_id, at, actor, from_status, to_status, note)
             SELECT experiment_id, at, ?1, from_status, to_status, ?2
               FROM ml_experiment_events WHERE experiment_id = ?3 LIMIT 1",
            rusqlite::params![ACTOR, NOTE, id],
        )
        .unwrap();
    let renamed = connection
        .execute(
            "UPDATE prediction_accuracy SET system_id = ?1 WHERE system_id = 'ensemble_v1'",
            rusqlite::params![SYSTEM],
        )
        .unwrap();
    assert!(renamed > 0, "the demo has ensemble_v1 rows");
    drop(connection);

    let show = stdout_of("exp show", &run(dir.path(), &store, &["exp", "show", &id]));
    assert!(show.contains("EVIL\\x1b[2J\\x1b]0;pwned\\x07"), "{show}");
    assert!(
        show.contains("copies\\x1b]52;c;aGk=\\x07, nul\\x00, flips\\u{202e}txt"),
        "{show}"
    );
    assert!(show.contains("\\x1b]0;pwned\\x07, nul\\x00"), "{show}");
    assert!(show.contains("by mallory\\x1b]0;pwned\\x07"), "{show}");
    assert!(show.contains(": note\\x1b[2J\\x00end"), "{show}");

    let history = stdout_of(
        "exp history",
        &run(dir.path(), &store, &["exp", "history", &id]),
    );
    assert!(history.contains("EVIL\\x1b[2J"), "{history}");
    assert!(
        history.contains("by mallory\\x1b]0;pwned\\x07"),
        "{history}"
    );
    assert!(history.contains(": note\\x1b[2J\\x00end"), "{history}");

    let diag = stdout_of(
        "diag --system",
        &run(dir.path(), &store, &["diag", "--system", SYSTEM]),
    );
    assert!(
        diag.contains("courtside diag: ens\\x1b]0;pwned\\x07\\x1b[2J on "),
        "{diag}"
    );

    // The JSON stays JSON: serde_json escapes the control characters itself.
    let json = run(dir.path(), &store, &["exp", "show", &id, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["experiment"]["experiment_name"], NAME);
}

/// The demo's bundle with the production system renamed to [`SYSTEM`].
fn hostile_bundle(day: chrono::NaiveDate) -> DayStatsBundle {
    let mut bundle = common::bundle(day, 140);
    for row in &mut bundle.day_stats {
        if row.system_id == common::SYSTEMS[0] {
            row.system_id = SYSTEM.to_string();
        }
    }
    for row in &mut bundle.system_days {
        if row.system_id == common::SYSTEMS[0] {
            row.system_id = SYSTEM.to_string();
        }
    }
    bundle
}

/// A dashboard on [`SYSTEM`] with its diagnostics loaded and a registry
/// whose first experiment is named [`NAME`].
fn hostile_app() -> App {
    let day = common::date("2026-04-12");
    let (themes, _) = load_themes(None, true);
    let systems = vec![SYSTEM.to_string(), common::SYSTEMS[1].to_string()];
    let mut app = App::new(AppSetup {
        settings: Settings {
            source_label: "embedded: /data/courtside.sqlite".to_string(),
            is_demo: true,
            refresh_secs: 60,
            read_only: false,
            thresholds: Thresholds::default(),
            production_system: SYSTEM.to_string(),
            require_approval: false,
        },
        selection: Selection {
            date: day,
            system: SYSTEM.to_string(),
        },
        latest_date: Some(day),
        follows_latest: true,
        systems: systems.clone(),
        themes,
        theme_name: "dark".to_string(),
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        now: common::now(),
    });
    let effects = app.start();
    let at = common::now() - chrono::Duration::seconds(12);
    let mut dashboard = build_dashboard(
        &hostile_bundle(day),
        &app.selection,
        &Thresholds::default(),
        common::now(),
    );
    dashboard.systems = systems;
    dashboard.version = Some("v1".to_string());
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: common::request_of(&effects, Fetch::Dashboard),
        at,
        result: Ok(Payload::Dashboard(Box::new(dashboard))),
    });
    let mut registry = common::experiments();
    registry.experiments[0].experiment_name = NAME.to_string();
    registry.experiments[0].hypothesis = Some(HYPOTHESIS.to_string());
    registry.experiments[0].tags = vec!["\x1b]0;pwned\x07".to_string()];
    registry.events[0].actor = Some(ACTOR.to_string());
    registry.events[0].note = Some(NOTE.to_string());
    app.update(Action::Loaded {
        what: Fetch::Experiments,
        request: common::request_of(&effects, Fetch::Experiments),
        at,
        result: Ok(Payload::Experiments(Box::new(registry))),
    });
    app
}

/// Every cell's symbol of the drawn screen, row after row.
fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| courtside::tui::view::draw(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content
        .chunks(usize::from(width))
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_dashboard_draws_hostile_names_as_visible_escapes() {
    let mut app = hostile_app();
    for tab in [Tab::Overview, Tab::Experiments, Tab::Drift] {
        app.update(Action::SelectTab(tab));
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let drawn = screen(&app, width, height);
            assert_inert(&format!("{tab:?} {width}x{height}"), drawn.as_bytes());
        }
    }
    app.update(Action::SelectTab(Tab::Overview));
    let overview = screen(&app, 120, 40);
    assert!(overview.contains("ens\\x1b]0;pwned\\x07"), "{overview}");
    app.update(Action::SelectTab(Tab::Experiments));
    let experiments = screen(&app, 120, 40);
    assert!(experiments.contains("EVIL\\x1b[2J"), "{experiments}");
}

#[test]
fn slack_payloads_carry_hostile_strings_as_visible_escapes() {
    use courtside::alerting::message;
    let day = common::date("2026-04-12");
    let selection = Selection {
        date: day,
        system: SYSTEM.to_string(),
    };
    let mut diagnostics = build_dashboard(
        &hostile_bundle(day),
        &selection,
        &Thresholds::default(),
        common::now(),
    )
    .diagnostics;
    diagnostics.alert_message = Some("hit rate fell\x1b]52;c;aGk=\x07\0".to_string());
    let payloads = [
        message::alert(&diagnostics, None),
        message::recovered(
            &diagnostics,
            AlertLevel::Critical,
            AlertLevel::Critical,
            None,
        ),
        message::unknown(&diagnostics, AlertLevel::Warning),
    ];
    for payload in &payloads {
        let text = payload["text"].as_str().unwrap();
        assert_inert("slack text", text.as_bytes());
        assert!(text.contains("ens\\x1b]0;pwned\\x07\\x1b[2J"), "{text}");
        // No string anywhere in the payload holds a control character.
        let json = payload.to_string();
        for escaped in ["\\u001b", "\\u0007", "\\u0000"] {
            assert!(!json.contains(escaped), "{json}");
        }
    }
    let alert = payloads[0]["text"].as_str().unwrap();
    assert!(alert.contains("fell\\x1b]52;c;aGk=\\x07\\x00"), "{alert}");
}
