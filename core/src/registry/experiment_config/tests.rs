//! Both config formats against their own rules.

use super::*;

/// The seed's example (data-contract.md, "YAML experiment configs").
const SEED: &str = r#"experiment_name: FEB_2026_RECENCY_60
hypothesis: "60-day half-life improves February predictions"
experiment_type: walk_forward
training: {start_date: "2021-11-01", end_date: "2026-01-31"}
evaluation: {start_date: "2026-02-01", end_date: "2026-02-15"}
model: {type: catboost, version: v9, hyperparameters: {depth: 6, learning_rate: 0.07}}
recency: {enabled: true, half_life_days: 60}
tags: [february-2026, recency-test]
"#;

/// The keys of the team's `example_experiment.yaml`, as their trainer reads them.
const FLAT: &str = "# walk-forward run\nexperiment_id: EXP_042\ntrain_start: \"2025-10-22\"\n\
train_end: \"2026-01-31\"\nname: \"Recency 120 - walk forward\"\n\
hypothesis: \"A 120-day half-life helps February\"\nuse_recency_weights: true\n\
half_life: 120\nverbose: false\n";

fn parsed(text: &str) -> ExperimentConfig {
    parse(text, Path::new("exp.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(text: &str) -> ConfigErrors {
    parse(text, Path::new("exp.yaml")).expect_err("should be refused")
}

#[test]
fn the_seeds_nested_example_passes_as_nested() {
    let config = parsed(SEED);
    assert_eq!(config.format, ConfigFormat::Nested);
    assert_eq!(config.experiment_name, "FEB_2026_RECENCY_60");
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert!(config.evaluation.is_some());
}

#[test]
fn the_teams_flat_config_passes_as_flat() {
    let config = parsed(FLAT);
    assert_eq!(config.format, ConfigFormat::Flat);
    assert_eq!(config.experiment_name, "EXP_042");
    assert_eq!(config.experiment_type, "walk_forward");
    assert_eq!(config.evaluation, None);
    assert_eq!(config.training_end.to_string(), "2026-01-31");
    assert_eq!(config.json["half_life"], 120);
    let row = config.row(Registration {
        experiment_id: "id".into(),
        at: chrono::DateTime::UNIX_EPOCH,
        actor: "me".into(),
        git_commit: None,
        parent_experiment_id: None,
        production_system: "catboost_v8".into(),
    });
    assert_eq!(row.eval_period, None);
    assert_eq!(
        row.hypothesis.as_deref(),
        Some("A 120-day half-life helps February")
    );
}

#[test]
fn the_schemas_ranges_are_refused_naming_the_rule() {
    let e = refused(&SEED.replace("half_life_days: 60", "half_life_days: 20"));
    let text = e.to_string();
    assert!(
        text.contains("exp.yaml:7: recency.half_life_days: 20 breaks the rule: recency.half_life_days must be a whole number of days from 30 to 730"),
        "{text}"
    );
    let e = refused(&SEED.replace("depth: 6", "depth: 20"));
    let text = e.to_string();
    assert!(
        text.contains("exp.yaml:6: model.hyperparameters.depth: 20 breaks the rule: model.hyperparameters.depth must be a whole number of at most 10"),
        "{text}"
    );
    assert_eq!(e.format, Some(ConfigFormat::Nested));
    let e = refused(&SEED.replace("type: catboost", "type: random_forest"));
    assert!(
        e.to_string()
            .contains("model.type: `random_forest` is not one of catboost, xgboost")
    );
    // Start strictly before end.
    let e = refused(&SEED.replace("end_date: \"2026-02-15\"", "end_date: \"2026-02-01\""));
    assert!(
        e.to_string()
            .contains("evaluation.end_date: 2026-02-01 is not after the start")
    );
    let e = refused(&SEED.replace("half_life_days: 60", "half_life_days: null"));
    assert!(
        e.to_string()
            .contains("recency.enabled: recency weighting is enabled without")
    );
}

#[test]
fn the_schemas_optional_sections_are_allowed() {
    let text = SEED
        .replace("version: v9, ", "")
        .replace("experiment_type: walk_forward", "experiment_type: ablation")
        + "features: {version: v2_37features, count: 36, exclude: [dnp_rate]}\n\
           evaluation_extra: x\n";
    let e = refused(&text);
    assert_eq!(e.problems.len(), 1, "{e}");
    assert!(
        e.to_string()
            .contains("exp.yaml:10: evaluation_extra: unknown key"),
        "{e}"
    );
    let text = text.replace("evaluation_extra: x\n", "notes: \"free text\"\nparent_experiment: FEB_2026_RECENCY_30\n")
        .replace(
            "end_date: \"2026-02-15\"}",
            "end_date: \"2026-02-15\", metrics: [mae, hit_rate, sharpe], segment_by: [tier], baseline_model: catboost_v8}",
        );
    let config = parsed(&text);
    assert_eq!(
        config.parent_experiment_id.as_deref(),
        Some("FEB_2026_RECENCY_30")
    );
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    assert!(
        config.warnings[0]
            .message
            .contains("`sharpe` is not one the schema lists")
    );
}

#[test]
fn a_type_outside_the_six_is_a_warning_not_a_refusal() {
    let config = parsed(&SEED.replace("walk_forward", "monthly_retrain"));
    assert_eq!(config.experiment_type, "monthly_retrain");
    assert_eq!(config.warnings.len(), 1);
    let warning = &config.warnings[0];
    assert_eq!(
        (warning.field.as_str(), warning.line),
        ("experiment_type", Some(3))
    );
    assert!(warning.located("exp.yaml").contains(
        "exp.yaml:3: experiment_type: `monthly_retrain` is not one of the documented types"
    ));
}

#[test]
fn the_flat_format_has_its_own_rules() {
    let e = refused(&FLAT.replace("EXP_042", "exp 42"));
    assert!(
        e.to_string()
            .contains("exp.yaml:2: experiment_id: `exp 42` must be SCREAMING_SNAKE_CASE"),
        "{e}"
    );
    assert_eq!(e.format, Some(ConfigFormat::Flat));
    let e = refused(&FLAT.replace("half_life: 120", "half_life: -3"));
    assert!(
        e.to_string().contains("half_life: -3 breaks the rule"),
        "{e}"
    );
    let e = refused(&FLAT.replace("train_end: \"2026-01-31\"", "train_end: \"2025-01-31\""));
    assert!(
        e.to_string()
            .contains("exp.yaml:4: train_end: 2025-01-31 is not after the start"),
        "{e}"
    );
    let e = refused(&FLAT.replace("train_start: \"2025-10-22\"\n", ""));
    assert!(
        e.to_string().contains("train_start: missing (required)"),
        "{e}"
    );
    // A key of the other format, and a typo.
    let e = refused(&format!("{FLAT}model: {{type: catboost}}\nhalflife: 3\n"));
    let text = e.to_string();
    assert!(
        text.contains("exp.yaml:10: model: unknown key `model`"),
        "{text}"
    );
    assert!(text.contains("is a key of the nested format"), "{text}");
    assert!(
        text.contains("exp.yaml:11: halflife: unknown key `halflife`"),
        "{text}"
    );
    let config = parsed(&FLAT.replace("use_recency_weights: true", "use_recency_weights: false"));
    assert!(config.warnings[0].message.contains("ignores half_life"));
}

#[test]
fn a_mixed_file_reads_as_the_format_with_more_of_its_keys() {
    let e = refused(&format!("{SEED}train_start: \"2025-01-01\"\n"));
    assert_eq!(e.format, Some(ConfigFormat::Nested));
    assert!(
        e.to_string()
            .contains("exp.yaml:9: train_start: unknown key `train_start`")
    );
    assert!(e.to_string().contains("is a key of the flat format"));
}
