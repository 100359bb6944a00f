//! YAML experiment configs: the team's example passes; broken configs fail
//! with every problem named by file, line and field.

use courtside::registry::experiment_config::{ConfigErrors, parse};
use std::path::Path;

const GOOD: &str = r#"experiment_name: FEB_2026_RECENCY_60
hypothesis: "60-day half-life improves February predictions"
experiment_type: walk_forward
training: {start_date: "2021-11-01", end_date: "2026-01-31"}
evaluation: {start_date: "2026-02-01", end_date: "2026-02-15"}
model: {type: catboost, version: v9, hyperparameters: {depth: 6, learning_rate: 0.07}}
recency: {enabled: true, half_life_days: 60}
tags: [february-2026, recency-test]
"#;

const BLOCK: &str = "experiment_name: BLOCK_STYLE
hypothesis: block style works too
experiment_type: ablation
training:
  start_date: \"2025-10-01\"
  end_date: \"2025-12-31\"
  validation_split: 0.2
evaluation:
  start_date: \"2026-01-01\"
  end_date: \"2026-01-31\"
model:
  type: catboost
  version: v9
";

fn errors(text: &str) -> ConfigErrors {
    parse(text, Path::new("exp.yaml")).expect_err("should fail")
}

/// Asserts one problem names `field` on `line`.
fn has(errors: &ConfigErrors, field: &str, line: Option<usize>) {
    assert!(
        errors
            .problems
            .iter()
            .any(|p| p.field == field && p.line == line),
        "no problem for {field} at {line:?} in:\n{errors}"
    );
    let text = errors.to_string();
    assert!(text.contains("exp.yaml"), "{text}");
}

#[test]
fn the_teams_example_and_block_style_pass() {
    let config = parse(GOOD, Path::new("exp.yaml")).expect("valid");
    assert_eq!(config.experiment_name, "FEB_2026_RECENCY_60");
    assert_eq!(config.tags, ["february-2026", "recency-test"]);
    assert_eq!(config.json["model"]["hyperparameters"]["depth"], 6);
    parse(BLOCK, Path::new("exp.yaml")).expect("valid");
}

#[test]
fn missing_field() {
    let e = errors(&GOOD.replace(
        "hypothesis: \"60-day half-life improves February predictions\"\n",
        "",
    ));
    has(&e, "hypothesis", None);
    assert!(e.to_string().contains("missing (required)"));
}

#[test]
fn missing_nested_field_names_its_parent_line() {
    // `model.version` is optional in the team's schema; `model.type` is not.
    parse(&BLOCK.replace("  version: v9\n", ""), Path::new("exp.yaml")).expect("valid");
    let e = errors(&BLOCK.replace("  type: catboost\n", ""));
    has(&e, "model.type", Some(11));
}

#[test]
fn wrong_type() {
    let e = errors(&GOOD.replace("tags: [february-2026, recency-test]", "tags: recency"));
    has(&e, "tags", Some(8));
    assert!(e.to_string().contains("expected a list of text"));
}

#[test]
fn bad_date() {
    let e = errors(&BLOCK.replace("\"2025-12-31\"", "\"2025-13-31\""));
    has(&e, "training.end_date", Some(6));
    assert!(e.to_string().contains("is not a date"));
}

#[test]
fn end_before_start() {
    let e = errors(&BLOCK.replace("end_date: \"2026-01-31\"", "end_date: \"2025-12-01\""));
    has(&e, "evaluation.end_date", Some(10));
}

#[test]
fn evaluation_overlapping_training() {
    let e = errors(&BLOCK.replace("start_date: \"2026-01-01\"", "start_date: \"2025-12-15\""));
    has(&e, "evaluation.start_date", Some(9));
    assert!(
        e.to_string()
            .contains("training must end before evaluation starts")
    );
}

#[test]
fn bad_enum() {
    // The experiment type is free text in practice: a warning, not a refusal.
    let config = parse(
        &GOOD.replace("walk_forward", "walkforward"),
        Path::new("exp.yaml"),
    )
    .expect("valid, with a warning");
    assert_eq!(config.warnings[0].field, "experiment_type");
    assert_eq!(config.warnings[0].line, Some(3));
    let e = errors(&GOOD.replace("catboost", "catbost"));
    has(&e, "model.type", Some(6));
    assert!(e.to_string().contains("is not one of catboost, xgboost"));
}

#[test]
fn lower_case_name() {
    let e = errors(&GOOD.replace("FEB_2026_RECENCY_60", "feb_2026_recency_60"));
    has(&e, "experiment_name", Some(1));
    assert!(e.to_string().contains("SCREAMING_SNAKE_CASE"));
}

#[test]
fn unknown_key_at_top_level_and_nested() {
    let e = errors(&format!("{GOOD}hypotheses: typo\n"));
    has(&e, "hypotheses", Some(9));
    let e = errors(&BLOCK.replace("  validation_split: 0.2", "  validaton_split: 0.2"));
    has(&e, "training.validaton_split", Some(7));
    assert!(e.to_string().contains("unknown key `validaton_split`"));
}

#[test]
fn negative_half_life() {
    let e = errors(&GOOD.replace("half_life_days: 60", "half_life_days: -5"));
    has(&e, "recency.half_life_days", Some(7));
}

#[test]
fn validation_split_out_of_range() {
    let e = errors(&BLOCK.replace("validation_split: 0.2", "validation_split: 0.5"));
    has(&e, "training.validation_split", Some(7));
}

#[test]
fn empty_file() {
    let e = errors("  \n");
    assert!(e.to_string().contains("the file is empty"), "{e}");
}

#[test]
fn not_yaml_at_all() {
    let e = errors("experiment_name: [unclosed\n  - {\n");
    assert!(e.to_string().contains("not valid YAML"), "{e}");
    assert!(e.problems[0].line.is_some(), "{e}");
    let e = errors("just a sentence\n");
    assert!(e.to_string().contains("expected a mapping"), "{e}");
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let huge = format!("{GOOD}# {}\n", "x".repeat(2 << 20));
    let e = errors(&huge);
    assert!(e.to_string().contains("byte limit"), "{e}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BLOCK
        .replace("BLOCK_STYLE", "lower")
        .replace("type: catboost", "type: nonsense")
        .replace("validation_split: 0.2", "validation_split: 2");
    let e = errors(&text);
    assert!(e.problems.len() >= 3, "{e}");
    has(&e, "experiment_name", Some(1));
    has(&e, "model.type", Some(12));
    has(&e, "training.validation_split", Some(7));
}
