//! What users of k9s, lazygit and btop reach for first, on the dashboard:
//! the date prompt, the day drill-down, the charts' value cursor, copying
//! an id, paging, "x of N", Esc clearing a search, the help grouped by
//! where keys act, and the screen for a terminal too small.

mod common;

use common::{date, loaded_app, render};
use courtside::tui::action::{Action, Effect, Fetch, Tab};
use courtside::tui::app::Mode;

fn type_text(app: &mut courtside::tui::app::App, text: &str) {
    for c in text.chars() {
        app.update(Action::SearchInput(c));
    }
}

#[test]
fn the_date_prompt_jumps_to_a_typed_date_and_explains_a_bad_one() {
    let mut app = loaded_app();
    app.update(Action::OpenCommandLine);
    assert!(matches!(app.mode, Mode::CommandLine { .. }));
    type_text(&mut app, "01-24");
    let screen = render(&app, 80, 24);
    assert!(screen.contains(": 01-24▏"), "{screen}");
    assert!(screen.contains("date 2026-01-24"), "{screen}");
    let effects = app.update(Action::Enter);
    assert_eq!(app.selection.date, date("2026-01-24"));
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::Fetch {
                what: Fetch::Dashboard,
                ..
            }
        )),
        "{effects:?}"
    );
    // A bad date keeps the prompt open and says what it takes.
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "Jan 24");
    assert!(app.update(Action::Enter).is_empty());
    assert!(matches!(app.mode, Mode::CommandLine { .. }));
    let notice = app.notice.clone().unwrap_or_default();
    assert!(notice.contains("`Jan 24` is not a date"), "{notice}");
    app.update(Action::Back);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.selection.date, date("2026-01-24"));
}

#[test]
fn the_drill_down_shows_every_system_day_by_day() {
    let mut app = loaded_app();
    app.update(Action::OpenDrillDown);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("day by day to 2026-04-12"), "{screen}");
    for system in ["catboost_v8", "xgboost_v7"] {
        assert!(screen.contains(system), "{system}: {screen}");
    }
    // The first row is the selected system on the selected date.
    let first = screen
        .lines()
        .find(|line| line.contains("2026-04-12  catboost_v8"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(first.contains("120"), "predictions made: {first}");
    insta::assert_snapshot!("drill_down_120x40", screen);
    app.update(Action::Back);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn the_value_cursor_reads_out_a_days_exact_figures() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Sharpness));
    for _ in 0..3 {
        app.update(Action::CursorMove(-1));
    }
    assert_eq!(app.chart_cursor, Some(3));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("▏2026-04-09 hit 7d"), "{screen}");
    app.update(Action::SelectTab(Tab::Drift));
    let drift = render(&app, 120, 40);
    assert!(drift.contains("▏2026-04-09 hit 7d"), "{drift}");
    insta::assert_snapshot!("cursor_drift_120x40", drift);
    // The cursor's day is marked on the sparklines: highlighted cells on the
    // 7-day row, and none once the cursor is off.
    let marked = |app: &courtside::tui::app::App| -> usize {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|frame| courtside::tui::view::draw(frame, app))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        let selected = app.theme().selected.bg;
        let row = (0..40u16)
            .find(|y| {
                (0..12u16)
                    .map(|x| buffer[(x, *y)].symbol().to_string())
                    .collect::<String>()
                    .starts_with("hit 7d")
            })
            .expect("the 7-day row");
        // The theme's selection: its background, or reversed without colour.
        (12..120u16)
            .filter(|x| {
                let cell = &buffer[(*x, row)];
                match selected {
                    Some(bg) => cell.bg == bg,
                    None => cell.modifier.contains(ratatui::style::Modifier::REVERSED),
                }
            })
            .count()
    };
    assert!(marked(&app) >= 1, "the cursor's day is marked");
    app.update(Action::Back);
    assert_eq!(marked(&app), 0, "no mark without the cursor");
    assert_eq!(app.chart_cursor, None);
    // The cursor keys are the chart tabs' own.
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::CursorMove(-1));
    assert_eq!(app.chart_cursor, None);
}

#[test]
fn y_copies_the_selected_experiments_id() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let selected = app.selected_entry().unwrap();
    let effects = app.update(Action::CopyId);
    assert_eq!(
        effects,
        vec![Effect::Copy {
            what: format!("experiment id of {}", selected.name),
            text: selected.id,
        }]
    );
}

#[test]
fn tables_say_where_the_selection_is_and_page() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("1 of 5 experiments"), "{screen}");
    app.update(Action::PageDown);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("5 of 5 experiments"), "{screen}");
    app.update(Action::SelectTab(Tab::Splits));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("bucket 1 of 13"), "{screen}");
    app.update(Action::Down);
    app.update(Action::Enter);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("bucket 2 of 13"), "{screen}");
    assert!(screen.contains("edge [3,4): hit rate 52.0%"), "{screen}");
}

#[test]
fn esc_clears_a_search_and_an_empty_result_says_so() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::StartSearch);
    type_text(&mut app, "zzz");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("0 experiments"), "{screen}");
    assert!(screen.contains("no experiment matches \"zzz\""), "{screen}");
    // Enter keeps the filter; Esc on the tab clears it.
    app.update(Action::Enter);
    assert_eq!(app.experiments.board.filter.search, "zzz");
    app.update(Action::Back);
    assert_eq!(app.experiments.board.filter.search, "");
    // Esc in the search box clears it at once.
    app.update(Action::StartSearch);
    type_text(&mut app, "v8");
    app.update(Action::Back);
    assert_eq!(app.experiments.board.filter.search, "");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn help_groups_keys_by_where_they_act_and_marks_the_dangerous() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::ToggleHelp);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("everywhere"), "{screen}");
    assert!(screen.contains("Experiments tab"), "{screen}");
    assert!(screen.contains("⚠        P  promote"), "{screen}");
    insta::assert_snapshot!("help_experiments_120x40", screen);
    app.settings.read_only = true;
    let screen = render(&app, 120, 40);
    assert!(
        !screen.contains("promote (asks first)"),
        "read-only hides it: {screen}"
    );
}

#[test]
fn a_terminal_too_small_says_so_and_q_still_quits() {
    let mut app = loaded_app();
    for (width, height) in [(40, 10), (59, 24), (80, 14), (1, 1)] {
        let screen = render(&app, width, height);
        if width >= 20 && height >= 3 {
            assert!(screen.contains("terminal too small"), "{screen}");
        }
    }
    insta::assert_snapshot!("too_small_40x10", render(&app, 40, 10));
    assert_eq!(app.update(Action::Quit), vec![Effect::Quit]);
}

#[test]
fn the_selection_follows_its_experiment_when_the_rows_move() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::Down);
    app.update(Action::Down);
    let chosen = app.selected_entry().unwrap();
    // A new registry answer where the chosen one now sorts first.
    let mut data = common::experiments();
    for row in &mut data.experiments {
        if row.experiment_id == chosen.id
            && let Some(results) = &mut row.results_json
        {
            results["overall"]["hit_rate"] = serde_json::json!(99.0);
        }
    }
    let effects = app.update(Action::Refresh);
    app.update(Action::Loaded {
        what: Fetch::Experiments,
        request: common::request_of(&effects, Fetch::Experiments),
        at: common::now(),
        result: Ok(courtside::tui::action::Payload::Experiments(Box::new(data))),
    });
    assert_eq!(app.selected_entry().unwrap().id, chosen.id);
    assert_ne!(
        app.experiments.board.selected, 2,
        "its row moved, the selection with it"
    );
}

/// The command line as a palette (`Ctrl-p`): typing narrows what it offers,
/// `Enter` runs the highlighted line (`versus xgboost_v7` opens Versus with
/// that side B); the back stack returns from a jump (the Gap's missing date
/// to the Overview, then a palette jump) to where it came from.
#[test]
fn the_palette_finds_and_runs_a_command_and_back_returns_from_each_jump() {
    use courtside::tui::action::Tab;
    let mut app = loaded_app();
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "versus xg");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("versus xgboost_v7"), "{screen}");
    assert!(
        screen.contains("Versus: catboost_v8 against xgboost_v7"),
        "{screen}"
    );
    let effects = app.update(Action::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.tab, Tab::Versus);
    assert_eq!(app.versus.challenger.as_deref(), Some("xgboost_v7"));
    // Fetched, or already on screen (the loaded app compares with it).
    assert!(
        app.versus.answers(&app.selection)
            || effects.iter().any(|e| matches!(
                e,
                Effect::Fetch {
                    what: Fetch::Versus,
                    ..
                }
            )),
        "{effects:?}"
    );
    assert!(render(&app, 120, 40).contains("B xgboost_v7"));
    // ↓ highlights the next line; Enter runs it (the first "sharp…" is
    // the Sharpness tab, then nothing else: it stays on the last).
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "s");
    app.update(Action::Down);
    let chosen = match &app.mode {
        Mode::CommandLine { chosen, .. } => *chosen,
        other => panic!("{other:?}"),
    };
    assert_eq!(chosen, 1);
    app.update(Action::Back);

    // Back from the Versus jump: the Overview it came from.
    app.update(Action::GoBack);
    assert_eq!(app.tab, Tab::Overview);
    // The Gap tab, Enter on a missing date: the Overview on that date; back
    // returns to the Gap on the date before.
    app.update(Action::SelectTab(Tab::Gap));
    let before = app.selection.date;
    app.update(Action::Down);
    app.update(Action::Enter);
    if app.tab == Tab::Overview {
        assert_ne!(app.selection.date, before);
        app.update(Action::GoBack);
        assert_eq!(app.tab, Tab::Gap);
        assert_eq!(app.selection.date, before);
    } else {
        panic!(
            "the Gap's Enter did not open the Overview: {:?}",
            app.notice
        );
    }
    // Any key's action by name: `promote` (⚠, the Experiments tab's `P`)
    // opens its confirmation there, never promotes at once.
    app.update(Action::SelectTab(Tab::Overview));
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "promote");
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("promote (asks first) (P, Experiments) ⚠"),
        "{screen}"
    );
    let effects = app.update(Action::Enter);
    assert_eq!(app.tab, Tab::Experiments);
    assert!(
        matches!(app.mode, Mode::ConfirmPromote(_)),
        "{:?}",
        app.mode
    );
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Promote { .. })),
        "{effects:?}"
    );
    app.update(Action::Back);
    // Backspace on an empty command line goes back from that jump.
    app.update(Action::OpenCommandLine);
    app.update(Action::SearchBackspace);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.tab, Tab::Overview);
    // Nothing left to go back to is said so.
    while !app.back_stack.is_empty() {
        app.update(Action::GoBack);
    }
    app.update(Action::GoBack);
    assert_eq!(app.notice.as_deref(), Some("nothing to go back to"));
}

/// At 80x24 the Experiments tab's help does not fit: it says so, and scrolls (↓, j,
/// PageDown) to its last line; `?` closes it and the next opening starts
/// at the top.
#[test]
fn the_help_scrolls_to_every_key_at_80x24() {
    use courtside::tui::keymap::{Context, Dialog};
    let mut app = loaded_app();
    // The Experiments tab has the most keys.
    app.update(Action::SelectTab(courtside::tui::action::Tab::Experiments));
    app.update(Action::ToggleHelp);
    assert_eq!(app.key_context(), Context::Dialog(Dialog::Help));
    let first = render(&app, 80, 24);
    assert!(first.contains("↓ more below"), "{first}");
    assert!(!first.contains("mouse: click"), "{first}");
    for _ in 0..40 {
        app.update(Action::ScrollDown);
    }
    let last = render(&app, 80, 24);
    assert!(last.contains("mouse: click"), "{last}");
    assert!(last.contains("↑ more above"), "{last}");
    assert!(!last.contains("↓ more below"), "{last}");
    app.update(Action::ToggleHelp);
    assert!(!app.show_help);
    app.update(Action::ToggleHelp);
    assert!(render(&app, 80, 24).contains("↓ more below"));
}

/// A click on a Splits row highlights that bucket, and one on a missing
/// date of the Gap tab highlights that date (as on the leaderboard).
#[test]
fn a_click_on_a_splits_row_or_a_missing_date_highlights_it() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Splits));
    let screen = render(&app, 120, 40);
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains("direction UNDER"))
        .unwrap_or_else(|| panic!("{screen}"));
    let x = line[..line.find("direction UNDER").unwrap()]
        .chars()
        .count() as u16;
    app.update(Action::Click(x, y as u16));
    let bucket = |app: &courtside::tui::app::App| {
        app.splits.panel.data.as_ref().unwrap().report.rows[app.splits.cursor]
            .bucket
            .clone()
    };
    assert_eq!(bucket(&app), "UNDER");
    // Outside the table: nothing moves.
    app.update(Action::Click(0, 0));
    assert_eq!(bucket(&app), "UNDER");

    app.update(Action::SelectTab(Tab::Gap));
    let screen = render(&app, 120, 40);
    let dates: Vec<(usize, usize)> = screen
        .lines()
        .enumerate()
        // The column, in characters (the bars before it are multi-byte).
        .filter_map(|(y, line)| {
            line.find("│2026-")
                .map(|at| (y, line[..at].chars().count() + 1))
        })
        .collect();
    assert!(dates.len() >= 2, "{screen}");
    let (y, x) = dates[1];
    app.update(Action::Click(x as u16, y as u16));
    assert_eq!(app.gap.cursor, 1, "{screen}");
}
