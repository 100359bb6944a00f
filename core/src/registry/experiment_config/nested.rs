//! The documented nested format, held to the team's
//! `ml/experiments/configs/experiment_config_schema.yaml`: required
//! `experiment_name`, `hypothesis`, `experiment_type`, `training`,
//! `evaluation`, `model`; optional `features`, `recency`, `tags`, `notes`,
//! `parent_experiment` (and courtside's `parent_experiment_id`,
//! `target_system`); the schema's ranges and its validation rules.

use super::Checked;
use super::check::{Checker, FLAT_KEYS, NESTED_KEYS, get, kind, only_in};
use crate::model::experiment::{name_problem, type_warning};
use serde_norway::Value;

/// The schema's `model.type` values.
pub const MODEL_TYPES: [&str; 5] = ["catboost", "xgboost", "lightgbm", "ridge", "ensemble"];

/// The schema's `evaluation.metrics` and `evaluation.segment_by` items.
const METRICS: [&str; 6] = [
    "mae",
    "rmse",
    "hit_rate",
    "roi",
    "calibration",
    "tier_accuracy",
];
const SEGMENTS: [&str; 6] = [
    "tier",
    "line_range",
    "home_away",
    "back_to_back",
    "team",
    "month",
];

/// Checks a nested document; `None` when a required figure is missing or
/// broken (its problem is in `check`).
pub(super) fn check(check: &mut Checker, root: &Value) -> Option<Checked> {
    check.unknown_keys(root, &[], &NESTED_KEYS, &|key| {
        only_in(key, &FLAT_KEYS, &NESTED_KEYS).then(|| {
            format!(
                "`{key}` is a key of the flat format, and this file reads as the nested one \
                 (a config is written in one format)"
            )
        })
    });
    check.sections(
        root,
        &[
            (
                "training",
                &["start_date", "end_date", "validation_split", "min_samples"],
            ),
            (
                "evaluation",
                &[
                    "start_date",
                    "end_date",
                    "baseline_model",
                    "metrics",
                    "segment_by",
                ],
            ),
            ("model", &["type", "version", "hyperparameters"]),
            ("features", &["version", "count", "exclude", "include_only"]),
            ("recency", &["enabled", "half_life_days"]),
        ],
    );
    let name = check.string(root, &["experiment_name"], true);
    if let Some(problem) = name.as_deref().and_then(name_problem) {
        check.problem(&["experiment_name"], problem);
    }
    let hypothesis = check.string(root, &["hypothesis"], true);
    let experiment_type = check.string(root, &["experiment_type"], true);
    if let Some(warning) = experiment_type.as_deref().and_then(type_warning) {
        check.warning(&["experiment_type"], warning);
    }
    let training = check.period(root, &["training", "start_date"], &["training", "end_date"]);
    let evaluation = check.period(
        root,
        &["evaluation", "start_date"],
        &["evaluation", "end_date"],
    );
    if let (Some((_, training_end)), Some((evaluation_start, _))) = (training, evaluation)
        && training_end >= evaluation_start
    {
        check.problem(
            &["evaluation", "start_date"],
            format!("evaluation starts {evaluation_start}, inside training (ends {training_end}): training must end before evaluation starts"),
        );
    }
    training_rules(check, root);
    evaluation_rules(check, root);
    model_rules(check, root);
    recency_rules(check, root);
    features_rules(check, root, experiment_type.as_deref());
    let tags = check.strings(root, &["tags"]);
    check.string(root, &["notes"], false);
    let parent = check.string(root, &["parent_experiment_id"], false);
    let schema_parent = check.string(root, &["parent_experiment"], false);
    if let (Some(a), Some(b)) = (&parent, &schema_parent)
        && a != b
    {
        check.problem(
            &["parent_experiment"],
            format!("`{b}` differs from parent_experiment_id `{a}`: name one parent"),
        );
    }
    let target_system = check.string(root, &["target_system"], false);
    Some(Checked {
        experiment_name: name?,
        hypothesis: Some(hypothesis?),
        experiment_type: experiment_type?,
        training: training?,
        evaluation: Some(evaluation?),
        tags,
        parent_experiment_id: parent.or(schema_parent),
        target_system,
    })
}

fn training_rules(check: &mut Checker, root: &Value) {
    if let Some(split) = check.number(root, &["training", "validation_split"])
        && !(0.05..=0.30).contains(&split)
    {
        check.problem(
            &["training", "validation_split"],
            format!("must be between 0.05 and 0.30, got {split}"),
        );
    }
    if let Some(min) = check.number(root, &["training", "min_samples"])
        && (min < 1.0 || min.fract() != 0.0)
    {
        check.problem(
            &["training", "min_samples"],
            format!("must be a whole number of at least 1, got {min}"),
        );
    }
}

fn evaluation_rules(check: &mut Checker, root: &Value) {
    check.string(root, &["evaluation", "baseline_model"], false);
    for (key, known) in [("metrics", &METRICS), ("segment_by", &SEGMENTS)] {
        let path = ["evaluation", key];
        for item in check.strings(root, &path) {
            if !known.contains(&item.as_str()) {
                check.warning(
                    &path,
                    format!(
                        "`{item}` is not one the schema lists ({})",
                        known.join(", ")
                    ),
                );
            }
        }
    }
}

fn model_rules(check: &mut Checker, root: &Value) {
    if let Some(model_type) = check.string(root, &["model", "type"], true)
        && !MODEL_TYPES.contains(&model_type.as_str())
    {
        check.problem(
            &["model", "type"],
            format!("`{model_type}` is not one of {}", MODEL_TYPES.join(", ")),
        );
    }
    check.string(root, &["model", "version"], false);
    match get(root, &["model", "hyperparameters"]) {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(_)) => {
            check.whole_in(
                root,
                &["model", "hyperparameters", "depth"],
                1.0,
                10.0,
                "a whole number of at most 10",
            );
        }
        Some(other) => check.problem(
            &["model", "hyperparameters"],
            format!("expected a mapping, found {}", kind(other)),
        ),
    }
}

fn recency_rules(check: &mut Checker, root: &Value) {
    let enabled = check.boolean(root, &["recency", "enabled"]);
    let half_life = check.whole_in(
        root,
        &["recency", "half_life_days"],
        30.0,
        730.0,
        "a whole number of days from 30 to 730",
    );
    let given = get(root, &["recency", "half_life_days"]).is_some_and(|v| !v.is_null());
    if enabled == Some(true) && half_life.is_none() && !given {
        check.problem(
            &["recency", "enabled"],
            "recency weighting is enabled without recency.half_life_days (the schema's rule: \
             a half-life must be specified when recency weighting is enabled)",
        );
    }
}

fn features_rules(check: &mut Checker, root: &Value, experiment_type: Option<&str>) {
    check.string(root, &["features", "version"], false);
    check.whole_in(
        root,
        &["features", "count"],
        1.0,
        1.0e6,
        "a whole number of at least 1",
    );
    let exclude = check.strings(root, &["features", "exclude"]);
    check.strings(root, &["features", "include_only"]);
    if !exclude.is_empty()
        && let Some(kind) = experiment_type
        && kind != "ablation"
    {
        check.warning(
            &["features", "exclude"],
            format!(
                "the schema allows feature exclusion for ablation experiments only; this one is `{kind}`"
            ),
        );
    }
}
