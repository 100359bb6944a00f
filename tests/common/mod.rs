//! Shared fixtures for the dashboard tests: synthetic day stats, a small
//! registry, and an `App` fed through its own update function.
#![allow(dead_code)]

pub mod demo;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use courtside::config::Thresholds;
use courtside::model::rows::{ExperimentEvent, ExperimentRow, Period};
use courtside::model::{
    ConfidenceTier, DayStatRow, DayStatsBundle, LineKind, PlayerTier, QualityDay, StatCell,
    SystemDay,
};
use courtside::tui::action::{Action, Effect, ExperimentsData, Fetch, GapData, Payload, Selection};
use courtside::tui::app::{App, AppSetup, Settings};
use courtside::tui::data::{build_comparison, build_dashboard};
use courtside::tui::keymap::Keymap;
use courtside::tui::theme::load_themes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;

pub const SYSTEMS: [&str; 3] = ["catboost_v8", "xgboost_v7", "モデル_v2"];

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 13, 8, 0, 0).unwrap()
}

/// Deterministic day stats for `days` days ending at `end`; every seventh day
/// has no games for the second system (a gap, not a zero).
pub fn bundle(end: NaiveDate, days: u64) -> DayStatsBundle {
    let mut bundle = DayStatsBundle::default();
    for offset in 0..days {
        let day = end.checked_sub_days(Days::new(offset)).unwrap();
        for (s, system) in SYSTEMS.iter().enumerate() {
            if s == 1 && offset % 7 == 3 {
                continue;
            }
            let wobble = ((offset * 7 + s as u64 * 3) % 11) as f64;
            for (t, tier) in PlayerTier::ALL.iter().enumerate().take(4) {
                for kind in [LineKind::Actual, LineKind::Estimated] {
                    let rows = 12 + t as u64;
                    let bets = 4 + (offset + t as u64) % 3;
                    bundle.day_stats.push(DayStatRow {
                        game_date: day,
                        system_id: system.to_string(),
                        player_tier: *tier,
                        confidence_tier: ConfidenceTier::ALL[t % 3],
                        line_kind: kind,
                        cell: StatCell {
                            rows,
                            sum_abs_error: rows as f64 * (4.2 + wobble / 20.0),
                            sum_signed_error: rows as f64 * (wobble - 5.0) / 20.0,
                            lined_rows: rows,
                            sum_line_abs_error: rows as f64 * 4.6,
                            sum_abs_error_lined: rows as f64 * (4.2 + wobble / 20.0),
                            beats: rows * (55 + wobble as u64) / 100,
                            bets,
                            hits: bets * (55 + wobble as u64) / 100 + (offset % 2),
                        },
                    });
                }
            }
            bundle.system_days.push(SystemDay {
                game_date: day,
                system_id: system.to_string(),
                predictions_made: 120,
                voided_rows: 0,
                feature_quality_rows: 120,
                sum_feature_quality: 120.0 * 88.0,
                duplicate_rows: 0,
                unknown_line_sources: Default::default(),
            });
        }
        bundle.quality.push(QualityDay {
            game_date: Some(day),
            rows: 250,
            complete_rows: 242,
            rated_rows: 240,
            sum_paint_rate: 240.0 * 36.0,
            sum_three_rate: 240.0 * 38.0,
        });
    }
    bundle
}

fn experiment(
    name: &str,
    status: &str,
    hit: Option<f64>,
    samples: i64,
    parent: Option<&str>,
) -> ExperimentRow {
    ExperimentRow {
        experiment_id: format!("id-{}", name.to_lowercase()),
        experiment_name: name.to_string(),
        hypothesis: Some(format!("{name} is better")),
        experiment_type: "walk_forward".to_string(),
        tags: vec!["demo".to_string()],
        config_json: serde_json::json!({"model": {"type": "catboost", "version": "v9"}}),
        train_period: Some(Period {
            start_date: Some(date("2025-10-01")),
            end_date: Some(date("2025-12-31")),
            samples: Some(40000),
        }),
        eval_period: Some(Period {
            start_date: Some(date("2026-01-01")),
            end_date: Some(date("2026-01-31")),
            samples: Some(samples),
        }),
        results_json: hit.map(|h| {
            serde_json::json!({"overall": {"hit_rate": h, "mae": 4.2, "roi": (h * 210.0 - 110.0) / 110.0, "samples": samples},
                               "by_tier": {"Star": {"hit_rate": h, "samples": samples / 4}}})
        }),
        model_path: None,
        git_commit: Some("0123456789abcdef0123456789abcdef01234567".to_string()),
        parent_experiment_id: parent.map(|p| format!("id-{}", p.to_lowercase())),
        status: courtside::model::experiment::Status::from_stored(status).unwrap(),
        created_at: Utc.with_ymd_and_hms(2026, 2, 3, 9, 0, 0).unwrap(),
        completed_at: None,
        created_by: Some("ml@example.com".to_string()),
    }
}

/// A small registry, one experiment named in wide characters.
pub fn experiments() -> ExperimentsData {
    let experiments = vec![
        experiment("V8_BASELINE", "promoted", Some(0.571), 9840, None),
        experiment(
            "FEB_RECENCY_60",
            "completed",
            Some(0.583),
            2210,
            Some("V8_BASELINE"),
        ),
        experiment(
            "ＷＩＤＥ_実験_名前",
            "completed",
            Some(0.562),
            1200,
            Some("FEB_RECENCY_60"),
        ),
        experiment("TINY_SAMPLE", "completed", Some(0.700), 20, None),
        experiment("OLD_MODEL", "archived", Some(0.540), 5000, None),
        experiment("CRASHED", "failed", None, 0, None),
        experiment("WAITING", "pending", None, 0, None),
    ];
    let events = experiments
        .iter()
        .map(|e| ExperimentEvent {
            experiment_id: e.experiment_id.clone(),
            at: e.created_at,
            actor: Some("ml@example.com".to_string()),
            from_status: None,
            to_status: "pending".to_string(),
            note: None,
        })
        .collect();
    ExperimentsData {
        experiments,
        events,
        notes: Vec::new(),
        with_backtest: vec![
            "id-feb_recency_60".to_string(),
            "id-v8_baseline".to_string(),
        ],
        fingerprints: vec![
            courtside::model::fingerprint::Fingerprint {
                experiment_id: "id-feb_recency_60".to_string(),
                rows: 2210,
                dates: 28,
                actual_line_share: Some(0.31),
                first_date: Some(date("2026-01-01")),
                last_date: Some(date("2026-01-28")),
                keys: "1a2b3c4d".to_string(),
            },
            courtside::model::fingerprint::Fingerprint {
                experiment_id: "id-v8_baseline".to_string(),
                rows: 9840,
                dates: 92,
                actual_line_share: Some(0.29),
                first_date: Some(date("2025-11-01")),
                last_date: Some(date("2026-01-31")),
                keys: "9f8e7d6c".to_string(),
            },
        ],
        version: Some("v1".to_string()),
    }
}

/// A fresh app for 2026-04-12, the latest date, opened without a date (so it
/// follows the latest date), with no data yet, and its first effects.
pub fn new_app() -> (App, Vec<Effect>) {
    app_on(date("2026-04-12"), true)
}

/// A fresh app on the production system at `day` (also the latest date
/// known at the start), opened on it as with `--date`: it stays there.
pub fn new_app_at(day: NaiveDate) -> (App, Vec<Effect>) {
    app_on(day, false)
}

fn app_on(day: NaiveDate, follows_latest: bool) -> (App, Vec<Effect>) {
    let (themes, _) = load_themes(None, true);
    let mut app = App::new(AppSetup {
        settings: Settings {
            source_label: "embedded: /data/courtside.sqlite".to_string(),
            is_demo: true,
            refresh_secs: 60,
            read_only: false,
            thresholds: Thresholds::default(),
            production_system: "catboost_v8".to_string(),
            require_approval: false,
        },
        selection: Selection {
            date: day,
            system: SYSTEMS[0].to_string(),
        },
        latest_date: Some(day),
        follows_latest,
        systems: SYSTEMS.iter().map(|s| s.to_string()).collect(),
        themes,
        theme_name: "dark".to_string(),
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        now: now(),
    });
    let effects = app.start();
    (app, effects)
}

/// The request id of the first fetch of `what` among `effects`.
pub fn request_of(effects: &[Effect], what: Fetch) -> u64 {
    effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Fetch {
                what: w, request, ..
            } if *w == what => Some(*request),
            _ => None,
        })
        .expect("a fetch")
}

/// The dashboard payload for the app's selection from the synthetic bundle.
pub fn dashboard_payload(app: &App) -> Payload {
    let bundle = bundle(app.selection.date, 140);
    let mut dashboard = build_dashboard(&bundle, &app.selection, &Thresholds::default(), now());
    dashboard.systems = SYSTEMS.iter().map(|s| s.to_string()).collect();
    dashboard.version = Some("v1".to_string());
    Payload::Dashboard(Box::new(dashboard))
}

/// The comparison payload for the app's selection.
pub fn comparison_payload(app: &App) -> Payload {
    let others: Vec<String> = SYSTEMS
        .iter()
        .filter(|s| **s != app.selection.system)
        .map(|s| s.to_string())
        .collect();
    let bundle = bundle(app.selection.date, 70);
    let mut comparison = build_comparison(&bundle, &app.selection, &others, &Thresholds::default());
    comparison.version = Some("v1".to_string());
    Payload::Comparison(Box::new(comparison))
}

/// A gap analysis of hand-made rows: two missing dates, a mix of line kinds.
pub fn gap_payload(experiment_id: &str) -> Payload {
    use courtside::diagnostics::gap::{GapRow, analyse};
    use courtside::model::LineKind;
    let mut backtest = Vec::new();
    let mut production = Vec::new();
    for i in 0..400u32 {
        let day = date("2026-01-01")
            .checked_add_days(Days::new(u64::from(i % 20)))
            .unwrap();
        let kind = if i % 3 == 0 {
            LineKind::Actual
        } else {
            LineKind::Estimated
        };
        let player = format!("p{i}");
        backtest.push(GapRow {
            player_lookup: player.clone(),
            game_date: day,
            line_kind: kind,
            is_bet: i % 2 == 0,
            hit: i % 5 < 2 + u32::from(kind == LineKind::Actual),
        });
        // Production misses two dates and a quarter of the players.
        if i % 20 < 18 && (i / 20) % 4 != 0 {
            production.push(GapRow {
                player_lookup: player,
                game_date: day,
                line_kind: kind,
                is_bet: i % 2 == 0,
                hit: i % 5 < 3,
            });
        }
    }
    let report = analyse(&backtest, &production, &Thresholds::default());
    Payload::Gap(Box::new(GapData {
        experiment_id: experiment_id.to_string(),
        experiment_name: "FEB_RECENCY_60".to_string(),
        system: "catboost_v8".to_string(),
        eval_period: "2026-01-01 to 2026-01-31".to_string(),
        report,
        version: Some("v1".to_string()),
    }))
}

/// A champion-vs-challenger report from hand-made join counts: B
/// (`xgboost_v7`) better by about four points on 1,200 paired bets.
pub fn versus_payload(app: &App, challenger: &str) -> Payload {
    use courtside::diagnostics::versus::analyse;
    use courtside::model::versus::{PairCounts, Side};
    let counts = PairCounts {
        a_rows: 1_900,
        b_rows: 1_750,
        shared: 1_600,
        both_bet: 1_200,
        a_hits: 640,
        b_hits: 690,
        a_hit_b_miss: 110,
        a_miss_b_hit: 160,
        error_pairs: 1_600,
        sum_error_difference: -240.0,
        sum_error_difference_sq: 2_900.0,
    };
    let to = app.selection.date;
    let from = to.checked_sub_days(Days::new(29)).unwrap();
    let system = |id: &str| Side::System {
        system_id: id.to_string(),
    };
    let report = analyse(
        system(&app.selection.system),
        system(challenger),
        from,
        to,
        &counts,
        &Thresholds::default(),
        1.0,
    );
    Payload::Versus(Box::new(courtside::tui::action::VersusData {
        selection: app.selection.clone(),
        challenger: challenger.to_string(),
        report,
        version: Some("v1".to_string()),
    }))
}

/// A splits report from hand-made bucket counts: an UNDER bias, a soft book
/// and an overconfident top decile.
pub fn splits_payload(app: &App) -> Payload {
    use courtside::diagnostics::splits::analyse;
    use courtside::model::splits::{BucketCounts, Dimension};
    let bucket = |dimension, name: &str, order, bets: u64, hits: u64, under: u64| BucketCounts {
        dimension,
        bucket: name.to_string(),
        order,
        bets,
        hits,
        max_drawdown: (bets as f64 / 40.0).round(),
        decided: bets - bets / 25,
        under_wins: under,
        over_wins: bets - bets / 25 - under,
        scored: bets,
        scored_hits: hits,
        sum_confidence: bets as f64 * (0.5 + order as f64 / 25.0),
        sum_brier: bets as f64 * 0.245,
    };
    let buckets = vec![
        bucket(Dimension::All, "all", 0, 1_560, 842, 790),
        bucket(Dimension::Edge, "[3,4)", 0, 700, 364, 350),
        bucket(Dimension::Edge, "[4,5)", 1, 420, 226, 214),
        bucket(Dimension::Edge, "[5,7)", 2, 300, 168, 150),
        bucket(Dimension::Edge, "[7,∞)", 3, 140, 84, 70),
        bucket(Dimension::Direction, "OVER", 0, 560, 266, 290),
        bucket(Dimension::Direction, "UNDER", 1, 1_000, 576, 560),
        bucket(Dimension::LineKind, "actual", 0, 1_560, 842, 790),
        bucket(Dimension::Bookmaker, "DRAFTKINGS", 0, 900, 470, 450),
        bucket(Dimension::Bookmaker, "SOFTBOOK", 1, 660, 372, 330),
        bucket(Dimension::ConfidenceDecile, "5", 5, 500, 260, 250),
        bucket(Dimension::ConfidenceDecile, "9", 9, 600, 330, 300),
        bucket(Dimension::ConfidenceDecile, "10", 10, 460, 252, 230),
    ];
    let to = app.selection.date;
    let from = to.checked_sub_days(Days::new(29)).unwrap();
    let report = analyse(
        &app.selection.system,
        from,
        to,
        &buckets,
        &Thresholds::default(),
    );
    Payload::Splits(Box::new(courtside::tui::action::SplitsData {
        selection: app.selection.clone(),
        report,
        version: Some("v1".to_string()),
    }))
}

/// An app with every panel loaded 12 seconds before `now()`.
pub fn loaded_app() -> App {
    let (mut app, effects) = new_app();
    let at = now() - chrono::Duration::seconds(12);
    let payload = dashboard_payload(&app);
    app.update(Action::Loaded {
        what: Fetch::Dashboard,
        request: request_of(&effects, Fetch::Dashboard),
        at,
        result: Ok(payload),
    });
    let comparison = comparison_payload(&app);
    app.update(Action::Loaded {
        what: Fetch::Comparison,
        request: request_of(&effects, Fetch::Comparison),
        at,
        result: Ok(comparison),
    });
    app.update(Action::Loaded {
        what: Fetch::Experiments,
        request: request_of(&effects, Fetch::Experiments),
        at,
        result: Ok(Payload::Experiments(Box::new(experiments()))),
    });
    // Visiting the Gap tab loads its default experiment's analysis.
    let gap_effects = app.update(Action::SelectTab(courtside::tui::action::Tab::Gap));
    let experiment = app
        .gap
        .experiment
        .clone()
        .expect("a default gap experiment");
    app.update(Action::Loaded {
        what: Fetch::Gap,
        request: request_of(&gap_effects, Fetch::Gap),
        at,
        result: Ok(gap_payload(&experiment)),
    });
    // So do the Versus tab (against the second system) and the Splits tab.
    let versus_effects = app.update(Action::SelectTab(courtside::tui::action::Tab::Versus));
    let payload = versus_payload(&app, SYSTEMS[1]);
    app.update(Action::Loaded {
        what: Fetch::Versus,
        request: request_of(&versus_effects, Fetch::Versus),
        at,
        result: Ok(payload),
    });
    let splits_effects = app.update(Action::SelectTab(courtside::tui::action::Tab::Splits));
    let payload = splits_payload(&app);
    app.update(Action::Loaded {
        what: Fetch::Splits,
        request: request_of(&splits_effects, Fetch::Splits),
        at,
        result: Ok(payload),
    });
    let tonight_effects = app.update(Action::SelectTab(courtside::tui::action::Tab::Tonight));
    app.update(Action::Loaded {
        what: Fetch::Tonight,
        request: request_of(&tonight_effects, Fetch::Tonight),
        at,
        result: Ok(tonight_payload()),
    });
    app.update(Action::SelectTab(courtside::tui::action::Tab::Overview));
    app
}

/// Tonight's slate from hand-made rows: three games at 19:00-22:00 Eastern,
/// 40 players with a line, one system predicting all, one missing some
/// (one without features), one with none; 90 minutes before the first tip-off.
pub fn tonight_payload() -> Payload {
    use courtside::model::game_day::{
        LineSnapshot, PredictionRow, ScheduledGame, SlateInputs, SlatePlayer,
    };
    let at = |text: &str| -> chrono::DateTime<chrono::Utc> { text.parse().unwrap() };
    let games: Vec<ScheduledGame> = [
        ("LAL", "BOS", "23:00"),
        ("NYK", "MIA", "23:30"),
        ("DEN", "PHX", "02:00"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (away, home, time))| ScheduledGame {
        game_id: format!("002250100{i}"),
        away: away.to_string(),
        home: home.to_string(),
        tip: Some(at(&format!(
            "2026-04-{}T{time}:00Z",
            if i == 2 { 13 } else { 12 }
        ))),
        status: 1,
    })
    .collect();
    let players: Vec<String> = (0..40).map(|i| format!("player{i:02}")).collect();
    let mut predictions = Vec::new();
    for (system, share) in [(SYSTEMS[0], 40), (SYSTEMS[1], 33)] {
        for player in players.iter().take(share) {
            predictions.push(PredictionRow {
                system_id: system.to_string(),
                player_lookup: player.clone(),
                is_active: true,
                invalidated: false,
                created_at: at("2026-04-12T15:00:00Z"),
            });
        }
    }
    let inputs = SlateInputs {
        games,
        predictions,
        lines: players
            .iter()
            .map(|player| LineSnapshot {
                player_lookup: player.clone(),
                bookmaker: "draftkings".to_string(),
                points_line: 18.5,
                snapshot_at: at("2026-04-12T20:00:00Z"),
                game_start: None,
            })
            .collect(),
        players: players
            .iter()
            .map(|player| SlatePlayer {
                player_lookup: player.clone(),
                game_id: None,
                has_prop_line: Some(true),
                current_points_line: Some(18.5),
            })
            .collect(),
        features: players
            .iter()
            .skip(1)
            .map(|player| (player.clone(), Some(88.0)))
            .collect(),
        ..SlateInputs::default()
    };
    let systems: Vec<String> = SYSTEMS.iter().map(|s| s.to_string()).collect();
    let slate = courtside::diagnostics::slate::slate(
        date("2026-04-12"),
        at("2026-04-12T21:30:00Z"),
        &inputs,
        &systems,
        &courtside::config::GameDay::default(),
    );
    Payload::Tonight(Box::new(courtside::tui::action::TonightData {
        slate,
        last_night: None,
    }))
}

/// The screen as text.
pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| courtside::tui::view::draw(frame, app))
        .unwrap();
    terminal.backend().to_string()
}
