//! Property tests of every parser a user's file reaches: the config, the
//! experiment YAML, the results JSON and the CSV/NDJSON import. Generated
//! and mutated inputs never panic, every refusal names its file, and what
//! is accepted is within its declared domain. Case counts are bounded (and
//! printed) so that the suite stays fast; `PROPTEST_CASES` raises them.

use courtside::config::Config;
use courtside::registry::{experiment_config, results, results_layout};
use courtside::transfer::{Format, ImportError, ReadOptions, TableKind, read_rows};
use proptest::prelude::*;
use std::path::Path;

fn cases(default: u32) -> u32 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    eprintln!("{cases} cases");
    cases
}

const CONFIG: &str = "source:\n  kind: embedded\nproduction_system: catboost_v8\nthresholds:\n  edge_threshold: 3.0\n  min_bets: 50\n  odds: {risk: 110, win: 100}\n  beats_vegas_critical: 42\n  beats_vegas_warning: 45\n  completeness_warning: 70\n  tiers: {star: 22, starter: 14, rotation: 6}\nrefresh_secs: 60\ndrift_detector:\n  healthy_hit_rate: 0.56\n  arl0_bets: 20000\ntheme: dark\n";

const EXPERIMENT: &str = "experiment_name: FEB_2026_RECENCY_60\nhypothesis: \"60-day half-life\"\nexperiment_type: walk_forward\ntraining: {start_date: \"2021-11-01\", end_date: \"2026-01-31\"}\nevaluation: {start_date: \"2026-02-01\", end_date: \"2026-02-15\"}\nmodel: {type: catboost, version: v9, hyperparameters: {depth: 6}}\nrecency: {enabled: true, half_life_days: 60}\ntags: [a, b]\n";

const RESULTS: &str = "{\"overall\": {\"hit_rate\": 0.571, \"mae\": 4.8, \"roi\": 0.09, \"samples\": 812}, \"by_tier\": {\"Star\": {\"hit_rate\": 0.6, \"samples\": 200}}}";

const FLAT_RESULTS: &str = "{\"mae\": 5.21, \"hit_rate_all\": 54.53, \"bets_all\": 1843, \"hit_rate_edge_3plus\": 63.72, \"bets_edge_3plus\": 410}";

const FLAT_EXPERIMENT: &str = "experiment_id: EXP_001\ntrain_start: \"2025-11-01\"\ntrain_end: \"2026-01-31\"\nname: \"Recency, 90 days\"\nuse_recency_weights: true\nhalf_life: 90\nverbose: false\n";

const CSV: &str = "player_lookup,game_id,game_date,has_vegas_line,feature_quality_score,feature_version\na,g1,2026-01-05,true,91.25,v2\nb,\"g,2\",2026-01-06,false,,v2\n";

const NDJSON: &str = "{\"player_lookup\":\"a\",\"game_id\":\"g1\",\"game_date\":\"2026-01-05\",\"feature_quality_score\":91.25}\n{\"player_lookup\":\"b\",\"game_id\":\"g2\",\"game_date\":\"2026-01-06\"}\n";

/// A valid text with some bytes replaced, inserted or removed.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    proptest::collection::vec((0..len.max(1), any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match kind {
                0 if !bytes.is_empty() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

fn read(format: Format, bytes: &[u8]) -> Result<usize, ImportError> {
    let mut rows = 0;
    read_rows(
        "input",
        bytes,
        format,
        TableKind::FeatureStore,
        ReadOptions::default(),
        &mut |_, row| {
            // Whatever is accepted fits the table and its domains.
            assert_eq!(row.len(), TableKind::FeatureStore.columns().len());
            if let Some(score) = row[4].as_f64() {
                assert!((0.0..=100.0).contains(&score), "{score}");
            }
            rows += 1;
            Ok::<(), ImportError>(())
        },
    )
    .map(|_| rows)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), ..ProptestConfig::default() })]

    #[test]
    fn the_config_parser_never_panics_and_names_the_file(bytes in mutated(CONFIG)) {
        let text = String::from_utf8_lossy(&bytes);
        match Config::parse(&text, Path::new("config.yaml")) {
            Ok(config) => {
                let t = &config.thresholds;
                prop_assert!(t.beats_vegas_critical.0 <= t.beats_vegas_warning.0);
                prop_assert!(config.drift_detector.healthy_hit_rate.0 > t.break_even());
            }
            Err(error) => prop_assert!(error.to_string().starts_with("config.yaml"), "{error}"),
        }
    }

    #[test]
    fn the_experiment_yaml_parser_never_panics_and_names_the_file(bytes in mutated(EXPERIMENT)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(errors) = experiment_config::parse(&text, Path::new("exp.yaml")) {
            prop_assert!(errors.to_string().contains("exp.yaml"), "{errors}");
        }
    }

    #[test]
    fn the_results_check_never_panics_and_accepts_only_valid_figures(bytes in mutated(RESULTS)) {
        let text = String::from_utf8_lossy(&bytes);
        match results::check("results.json", &text) {
            // Flat results accepted are read without a problem.
            Ok(value) if value.get("overall").is_none() => {
                let figures = results_layout::read(&value);
                prop_assert!(figures.problems.is_empty(), "{:?}", figures.problems);
            }
            Ok(value) => {
                let hit = value["overall"]["hit_rate"].as_f64().unwrap_or(-1.0);
                prop_assert!((0.0..=1.0).contains(&hit), "{hit}");
                if let Some(mae) = value["overall"]["mae"].as_f64() {
                    prop_assert!(mae >= 0.0);
                }
            }
            Err(error) => prop_assert!(error.to_string().starts_with("results.json:"), "{error}"),
        }
    }

    #[test]
    fn the_flat_results_check_accepts_only_readable_figures(bytes in mutated(FLAT_RESULTS)) {
        let text = String::from_utf8_lossy(&bytes);
        match results::check("results.json", &text) {
            Ok(value) => {
                let figures = results_layout::read(&value);
                prop_assert!(figures.problems.is_empty(), "{:?}", figures.problems);
                if let Some(rate) = figures.hit_rate {
                    prop_assert!((0.0..=1.0).contains(&rate.fraction));
                }
            }
            Err(error) => prop_assert!(error.to_string().starts_with("results.json:"), "{error}"),
        }
    }

    #[test]
    fn the_flat_experiment_yaml_never_panics_and_names_the_file(bytes in mutated(FLAT_EXPERIMENT)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(errors) = experiment_config::parse(&text, Path::new("exp.yaml")) {
            prop_assert!(errors.to_string().contains("exp.yaml"), "{errors}");
        }
    }

    #[test]
    fn the_csv_reader_never_panics_and_names_file_and_line(bytes in mutated(CSV)) {
        if let Err(error) = read(Format::Csv, &bytes) {
            prop_assert!(error.to_string().starts_with("input:"), "{error}");
        }
    }

    #[test]
    fn the_ndjson_reader_never_panics_and_names_file_and_line(bytes in mutated(NDJSON)) {
        if let Err(error) = read(Format::Ndjson, &bytes) {
            prop_assert!(error.to_string().starts_with("input:"), "{error}");
        }
    }

    #[test]
    fn arbitrary_bytes_are_refused_or_read_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for format in [Format::Csv, Format::Ndjson] {
            if let Err(error) = read(format, &bytes) {
                prop_assert!(error.to_string().starts_with("input:"), "{error}");
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = Config::parse(&text, Path::new("config.yaml"));
        let _ = experiment_config::parse(&text, Path::new("exp.yaml"));
        let _ = results::check("results.json", &text);
    }
}
