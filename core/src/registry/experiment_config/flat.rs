//! The flat format the team's walk-forward trainer reads
//! (`ml/experiments/configs/example_experiment.yaml`): required
//! `experiment_id`, `train_start`, `train_end`; optional `name` (free text),
//! `hypothesis`, `use_recency_weights`, `half_life` (days, a whole number
//! above 0, the trainer's default 180) and `verbose`. `experiment_id` is the
//! registry's experiment name (SCREAMING_SNAKE_CASE like every name); the
//! type is the trainer's, `walk_forward`; there is no evaluation period.

use super::Checked;
use super::check::{Checker, FLAT_KEYS, NESTED_KEYS, get, only_in};
use crate::model::experiment::name_problem;
use serde_norway::Value;

/// The experiment type of a flat config: its trainer's.
pub const FLAT_TYPE: &str = "walk_forward";

/// Checks a flat document; `None` when a required figure is missing or
/// broken (its problem is in `check`).
pub(super) fn check(check: &mut Checker, root: &Value) -> Option<Checked> {
    check.unknown_keys(root, &[], &FLAT_KEYS, &|key| {
        only_in(key, &NESTED_KEYS, &FLAT_KEYS).then(|| {
            format!(
                "`{key}` is a key of the nested format, and this file reads as the flat one \
                 (a config is written in one format)"
            )
        })
    });
    let name = check.string(root, &["experiment_id"], true);
    if let Some(problem) = name.as_deref().and_then(name_problem) {
        check.problem(
            &["experiment_id"],
            format!("{problem} (it is the experiment's name in the registry)"),
        );
    }
    check.string(root, &["name"], false);
    let hypothesis = check.string(root, &["hypothesis"], false);
    let training = check.period(root, &["train_start"], &["train_end"]);
    let recency = check.boolean(root, &["use_recency_weights"]);
    check.boolean(root, &["verbose"]);
    check.whole_in(
        root,
        &["half_life"],
        1.0,
        1.0e5,
        "a whole number of days above 0",
    );
    if recency != Some(true) && get(root, &["half_life"]).is_some_and(|v| !v.is_null()) {
        check.warning(
            &["half_life"],
            "the trainer ignores half_life unless use_recency_weights is true",
        );
    }
    Some(Checked {
        experiment_name: name?,
        hypothesis,
        experiment_type: FLAT_TYPE.to_string(),
        training: training?,
        evaluation: None,
        tags: Vec::new(),
        parent_experiment_id: None,
        target_system: None,
    })
}
