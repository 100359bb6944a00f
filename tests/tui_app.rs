//! `App::update` without a terminal: tabs, date navigation and fetch
//! cancellation, late results, refresh overlap, errors, live refresh, and the
//! leaderboard's sorting and filtering.

mod common;

use courtside::tui::app::Mode;

use common::{loaded_app, new_app, now, request_of};
use courtside::registry::leaderboard::SortKey;
use courtside::tui::action::{Action, Effect, Fetch, Payload, Tab};

#[test]
fn tabs_switch_by_number_and_wrap_with_tab_keys() {
    let (mut app, _) = new_app();
    assert_eq!(app.tab, Tab::Overview);
    app.update(Action::SelectTab(Tab::Drift));
    assert_eq!(app.tab, Tab::Drift);
    for _ in Tab::ALL.iter().skip(2) {
        app.update(Action::NextTab);
    }
    assert_eq!(app.tab, Tab::Overview);
    app.update(Action::PreviousTab);
    assert_eq!(app.tab, Tab::Tonight);
}

#[test]
fn moving_the_date_fetches_the_new_selection_and_drops_the_old_answer() {
    let (mut app, effects) = new_app();
    let old_request = request_of(&effects, Fetch::Dashboard);
    let moved = app.update(Action::MoveDate(-1));
    let new_request = request_of(&moved, Fetch::Dashboard);
    assert_ne!(old_request, new_request);
    match &moved[0] {
        Effect::Fetch { selection, .. } => {
            assert_eq!(selection.date, common::date("2026-04-11"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        app.dashboard.pending,
        Some(new_request),
        "the old fetch is superseded"
    );
    // The old selection's answer arrives late: dropped.
    let stale = common::dashboard_payload(&app);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: old_request,
        at: now(),
        result: Ok(stale),
    });
    assert!(app.dashboard.data.is_none());
    assert_eq!(app.dashboard.pending, Some(new_request));
    // A week forward and back to today.
    app.update(Action::MoveDate(7));
    assert_eq!(app.selection.date, common::date("2026-04-18"));
    app.update(Action::Today);
    assert_eq!(app.selection.date, common::date("2026-04-12"));
}

#[test]
fn refreshes_never_overlap_and_errors_keep_the_last_good_data() {
    let mut app = loaded_app();
    let first = app.update(Action::Refresh);
    assert_eq!(first.len(), 4, "dashboard, comparison, registry and gap");
    assert!(
        app.update(Action::Refresh).is_empty(),
        "no second refresh while one runs"
    );
    let before = app.dashboard.data.clone();
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&first, Fetch::Dashboard),
        at: now(),
        result: Err("timeout".to_string()),
    });
    assert_eq!(app.dashboard.data, before);
    assert_eq!(app.dashboard.error.as_deref(), Some("timeout"));
    assert!(app.dashboard.pending.is_none());
}

#[test]
fn live_refresh_runs_on_the_clock_unless_paused() {
    let mut app = loaded_app();
    assert!(
        app.update(Action::Tick(now())).is_empty(),
        "12 s old: not due"
    );
    let due = now() + chrono::Duration::seconds(60);
    app.update(Action::TogglePause);
    assert!(app.update(Action::Tick(due)).is_empty(), "paused");
    app.update(Action::TogglePause);
    let effects = app.update(Action::Tick(due));
    assert_eq!(effects.len(), 4, "{effects:?}");
}

#[test]
fn an_unchanged_source_keeps_the_data_and_renews_its_age() {
    let mut app = loaded_app();
    let effects = app.update(Action::Refresh);
    // The refresh tells the task which version is on screen.
    assert!(effects.iter().all(|effect| matches!(
        effect,
        Effect::Fetch { unless_version: Some(version), .. } if version == "v1"
    )));
    let before = app.dashboard.data.clone();
    let later = now() + chrono::Duration::seconds(90);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at: later,
        result: Ok(Payload::Unchanged),
    });
    assert_eq!(app.dashboard.data, before);
    assert_eq!(app.dashboard.loaded_at, Some(later));
    // A new date needs new numbers: no version to skip on.
    let moved = app.update(Action::MoveDate(-1));
    assert_eq!(moved.len(), 2, "the selection's dashboard and comparison");
    assert!(moved.iter().all(|effect| matches!(
        effect,
        Effect::Fetch {
            unless_version: None,
            ..
        }
    )));
}

#[test]
fn system_picker_selects_and_refetches() {
    let mut app = loaded_app();
    app.update(Action::OpenSystemPicker);
    app.update(Action::Down);
    let effects = app.update(Action::Enter);
    assert_eq!(app.selection.system, "xgboost_v7");
    assert_eq!(effects.len(), 2);
}

#[test]
fn the_gap_tab_defaults_cycles_and_jumps_to_a_missing_date() {
    let mut app = loaded_app();
    // The best completed experiment with a backtest is the default.
    assert_eq!(app.gap.experiment.as_deref(), Some("id-feb_recency_60"));
    app.update(Action::SelectTab(Tab::Gap));
    let missing = app
        .gap
        .panel
        .data
        .as_ref()
        .unwrap()
        .report
        .missing_dates
        .clone();
    assert_eq!(missing.len(), 2);
    // `e` writes the analysis with raw figures and the missing dates.
    match &app.update(Action::Export)[..] {
        [
            Effect::WriteFile {
                file_name,
                contents,
            },
        ] => {
            assert!(file_name.starts_with("courtside-gap-"), "{file_name}");
            assert!(contents.starts_with("figure,k,n,pct"), "{contents}");
            assert!(
                contents.contains(&format!("missing_date {}", missing[0].game_date)),
                "{contents}"
            );
        }
        other => panic!("{other:?}"),
    }
    app.update(Action::Down);
    assert_eq!(app.gap.cursor, 1);
    let effects = app.update(Action::Enter);
    assert_eq!(app.tab, Tab::Overview);
    assert_eq!(app.selection.date, missing[1].game_date);
    assert_eq!(effects.len(), 2, "the new date's dashboard and comparison");
    // `x` moves to the next experiment with a backtest and fetches its analysis.
    app.update(Action::SelectTab(Tab::Gap));
    let effects = app.update(Action::CycleGapExperiment(1));
    assert_eq!(app.gap.experiment.as_deref(), Some("id-v8_baseline"));
    assert!(
        matches!(&effects[..], [Effect::Fetch { what: Fetch::Gap, experiment: Some(id), .. }] if id == "id-v8_baseline")
    );
    // `g` on the Experiments tab analyses the selected experiment.
    app.update(Action::SelectTab(Tab::Experiments));
    let effects = app.update(Action::GapOfSelected);
    assert_eq!(app.tab, Tab::Gap);
    assert_eq!(app.gap.experiment.as_deref(), Some("id-tiny_sample"));
    assert_eq!(effects.len(), 1);
}

#[test]
fn one_key_never_forces_a_promotion_past_failed_guard_rails() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let index = app
        .visible_entries()
        .iter()
        .position(|entry| entry.name == "TINY_SAMPLE")
        .expect("TINY_SAMPLE on the leaderboard");
    for _ in 0..index {
        app.update(Action::Down);
    }
    app.update(Action::Promote);
    let Mode::ConfirmPromote(plan) = &app.mode else {
        panic!("{:?}", app.mode);
    };
    assert!(
        !plan.warnings.is_empty(),
        "a thin sample fails a guard rail"
    );
    assert!(app.update(Action::Confirm).is_empty(), "y does not force");
    assert!(matches!(app.mode, Mode::ConfirmPromote(_)));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or_default()
            .contains("type force")
    );
    // F alone does not force either: the word must be typed.
    assert!(app.update(Action::ConfirmForce).is_empty());
    assert_eq!(app.force_typed.as_deref(), Some(""));
    for c in "forc".chars() {
        assert!(app.update(Action::SearchInput(c)).is_empty());
    }
    assert!(app.update(Action::Enter).is_empty(), "forc is not force");
    assert!(matches!(app.mode, Mode::ConfirmPromote(_)));
    app.update(Action::SearchInput('e'));
    let effects = app.update(Action::Enter);
    assert!(
        matches!(&effects[..], [Effect::Promote { force: true, .. }]),
        "{effects:?}"
    );
    assert_eq!(app.force_typed, None);
}

#[test]
fn a_plan_that_changed_before_confirmation_is_shown_again() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::Down); // FEB_RECENCY_60
    app.update(Action::Promote);
    let Mode::ConfirmPromote(shown) = app.mode.clone() else {
        panic!("{:?}", app.mode);
    };
    let effects = app.update(Action::Confirm);
    assert!(matches!(&effects[..], [Effect::Promote { .. }]));
    assert!(matches!(app.mode, Mode::Normal));
    // The promotion task found another experiment promoted meanwhile.
    let mut fresh = shown.clone();
    fresh
        .archives
        .push(courtside::registry::promotion::Archived {
            experiment_id: "id-other".to_string(),
            experiment_name: "OTHER".to_string(),
        });
    let effects = app.update(Action::Replanned(fresh.clone()));
    // The registry again, and the figures against what it archives now.
    assert!(
        matches!(
            &effects[..],
            [Effect::PromotionFigures(plan), Effect::Fetch {
                what: Fetch::Experiments,
                ..
            }] if *plan == fresh
        ),
        "{effects:?}"
    );
    assert_eq!(app.mode, Mode::ConfirmPromote(fresh));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or_default()
            .contains("confirm again"),
        "{:?}",
        app.notice
    );
    // Confirming now promotes the plan shown, not the one first shown.
    let effects = app.update(Action::Confirm);
    assert!(matches!(
        &effects[..],
        [Effect::Promote { plan, .. }] if plan.archive_names() == ["V8_BASELINE", "OTHER"]
    ));
}

#[test]
fn promotion_asks_first_and_read_only_mode_refuses() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    app.update(Action::Down); // FEB_RECENCY_60: completed, enough samples, clean commit.
    // Nothing happens before y: the dialog only asks for its figures.
    let effects = app.update(Action::Promote);
    assert!(
        matches!(&effects[..], [Effect::PromotionFigures(_)]),
        "nothing happens before y: {effects:?}"
    );
    match &app.mode {
        courtside::tui::app::Mode::ConfirmPromote(plan) => {
            assert_eq!(plan.experiment_name, "FEB_RECENCY_60");
            assert_eq!(plan.archive_names(), ["V8_BASELINE"]);
            assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        }
        other => panic!("{other:?}"),
    }
    let effects = app.update(Action::Confirm);
    assert!(matches!(
        &effects[..],
        [Effect::Promote { force: false, .. }]
    ));
    assert!(matches!(
        &effects[..],
        [Effect::Promote { plan, .. }]
            if plan.experiment_id == "id-feb_recency_60"
                && plan.note(None).is_none()
                && plan.target_system == "catboost_v8"
    ));
    // The result refreshes the registry.
    let effects = app.update(Action::Promoted(Ok("promoted".to_string())));
    assert!(matches!(
        &effects[..],
        [Effect::Fetch {
            what: Fetch::Experiments,
            ..
        }]
    ));
    // Cancel and read-only.
    app.update(Action::Promote);
    app.update(Action::Back);
    assert_eq!(app.mode, courtside::tui::app::Mode::Normal);
    app.settings.read_only = true;
    assert!(app.update(Action::Promote).is_empty());
    assert_eq!(app.mode, courtside::tui::app::Mode::Normal);
    assert!(app.notice.as_deref().unwrap_or("").contains("read-only"));
    // A pending experiment cannot be promoted at all.
    app.settings.read_only = false;
    app.update(Action::Down);
    app.update(Action::Down);
    app.update(Action::Down);
    app.update(Action::Promote);
    assert_eq!(app.mode, courtside::tui::app::Mode::Normal);
}

fn names(app: &courtside::tui::app::App) -> Vec<String> {
    app.visible_entries().into_iter().map(|e| e.name).collect()
}

#[test]
fn leaderboard_sorts_filters_and_searches() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    // Default: hit rate, best first; failed and archived hidden; no-result rows last.
    assert_eq!(
        names(&app),
        [
            "TINY_SAMPLE",
            "FEB_RECENCY_60",
            "V8_BASELINE",
            "ＷＩＤＥ_実験_名前",
            "WAITING"
        ]
    );
    app.update(Action::ReverseSort);
    assert_eq!(names(&app)[0], "ＷＩＤＥ_実験_名前");
    assert_eq!(
        names(&app).last().map(String::as_str),
        Some("WAITING"),
        "missing metric stays last"
    );
    app.update(Action::CycleSort);
    assert_eq!(app.experiments.board.sort, SortKey::Mae);
    app.update(Action::ToggleHidden);
    assert_eq!(names(&app).len(), 7);
    app.update(Action::CycleStatusFilter);
    assert_eq!(
        app.experiments.board.filter.status.map(|s| s.as_str()),
        Some("completed")
    );
    assert!(
        app.visible_entries()
            .iter()
            .all(|e| e.status == "completed")
    );
    app.update(Action::StartSearch);
    for c in "recency".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::Enter);
    assert_eq!(names(&app), ["FEB_RECENCY_60"]);
    app.update(Action::Mark);
    assert_eq!(app.experiments.board.marked.len(), 1);
}

#[test]
fn export_writes_the_current_table() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let effects = app.update(Action::Export);
    match &effects[..] {
        [
            Effect::WriteFile {
                file_name,
                contents,
            },
        ] => {
            assert_eq!(file_name, "courtside-experiments.csv");
            assert!(
                contents.starts_with(
                    "marked,experiment_id,experiment_name,experiment_type,status,hit_rate_k,hit_rate_n,hit_rate_pct"
                ),
                "{contents}"
            );
            assert_eq!(contents.lines().count(), 6);
            // Raw values: no thousands separators, units or "±", empty for missing.
            assert!(
                !contents.contains('±') && !contents.contains('%'),
                "{contents}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Each dashboard tab writes its own table to its own file.
    let mut names = Vec::new();
    for (tab, first_column) in [
        (Tab::Overview, "figure,k,n,value"),
        (Tab::Sharpness, "game_date,model_beats_vegas_k"),
        (Tab::Drift, "game_date,hit_rate_7d_k"),
    ] {
        app.update(Action::SelectTab(tab));
        match &app.update(Action::Export)[..] {
            [
                Effect::WriteFile {
                    file_name,
                    contents,
                },
            ] => {
                assert!(contents.starts_with(first_column), "{tab:?}: {contents}");
                assert!(!contents.contains("no data"), "{tab:?}: {contents}");
                names.push(file_name.clone());
            }
            other => panic!("{tab:?}: {other:?}"),
        }
    }
    assert_eq!(
        names,
        [
            "courtside-overview-catboost_v8-2026-04-12.csv",
            "courtside-sharpness-catboost_v8-2026-04-12.csv",
            "courtside-drift-catboost_v8-2026-04-12.csv"
        ]
    );
}

/// The promote dialog shows the candidate against what it replaces: it
/// asks for the announcement's figures (Versus, gap, close) when it opens,
/// says it is working them out, then shows them; a re-plan keeps them.
#[test]
fn the_promote_dialog_shows_the_candidates_versus_gap_and_close() {
    let mut app = loaded_app();
    app.update(Action::SelectTab(Tab::Experiments));
    let effects = app.update(Action::Promote);
    let Mode::ConfirmPromote(plan) = app.mode.clone() else {
        panic!("{:?}", app.mode);
    };
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::PromotionFigures(p) if *p == plan)),
        "{effects:?}"
    );
    let screen = common::render(&app, 120, 40);
    assert!(
        screen.contains("working out its Versus, gap and close"),
        "{screen}"
    );
    app.update(Action::PromotionFigures {
        experiment_id: plan.experiment_id.clone(),
        lines: vec![
            "gap: backtest 55.0% vs production 54.0% on catboost_v8: consistent".to_string(),
            "versus OLD: B not worse (HR difference +1.0 [-0.5, +2.5] points)".to_string(),
        ],
    });
    let screen = common::render(&app, 120, 40);
    assert!(
        screen.contains("gap: backtest 55.0% vs production 54.0%"),
        "{screen}"
    );
    assert!(screen.contains("versus OLD: B not worse"), "{screen}");
    assert!(!screen.contains("working out"), "{screen}");
    // Figures of another experiment are not this one's.
    app.update(Action::PromotionFigures {
        experiment_id: "someone-else".to_string(),
        lines: vec!["not these".to_string()],
    });
    assert!(common::render(&app, 120, 40).contains("working out"));
}

/// A refresh that fails is tried again an interval later, not at every
/// tick (a failing BigQuery would be asked every second), and the header
/// says when: a retry time that is never in the past.
#[test]
fn a_failed_refresh_is_retried_once_an_interval_and_the_header_says_when() {
    let mut app = loaded_app();
    let due = now() + chrono::Duration::seconds(60);
    let effects = app.update(Action::Tick(due));
    assert_eq!(effects.len(), 4, "due: {effects:?}");
    for what in [
        Fetch::Dashboard,
        Fetch::Comparison,
        Fetch::Experiments,
        Fetch::Gap,
    ] {
        app.update(Action::Loaded {
            what,
            request: request_of(&effects, what),
            at: due,
            result: Err("timeout".to_string()),
        });
    }
    for seconds in [1, 5, 30, 59] {
        let tick = due + chrono::Duration::seconds(seconds);
        assert!(
            app.update(Action::Tick(tick)).is_empty(),
            "retried {seconds} s after a failure"
        );
    }
    let next = app.next_refresh_at().expect("a next refresh");
    assert_eq!(next, due + chrono::Duration::seconds(60));
    app.now = due + chrono::Duration::seconds(5);
    let header = common::render(&app, 200, 20);
    assert!(
        header.contains(&format!("retry {} UTC", next.format("%H:%M:%S"))),
        "{header}"
    );
    let again = app.update(Action::Tick(next));
    assert_eq!(again.len(), 4, "an interval later: {again:?}");
}
