//! YAML experiment configs in the two formats the team writes
//! (data-contract.md Rev. 3): the documented nested one, held to the team's
//! `experiment_config_schema.yaml` (`nested`), and the flat one its
//! walk-forward trainer reads (`flat`). Parsed and checked against every
//! rule of its format, reporting all problems at once, each with file, line
//! and field; warnings (a type outside the documented six, ...) do not
//! refuse. Unknown keys are rejected by name so that typos cannot pass
//! silently.

mod check;
mod flat;
mod nested;
#[cfg(test)]
mod tests;

pub use check::line_of;

use chrono::NaiveDate;
use serde_norway::Value;
use std::fmt;
use std::path::Path;

/// Larger files are refused before parsing.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

pub use crate::model::experiment::EXPERIMENT_TYPES;

/// The format a config is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigFormat {
    /// `experiment_name`, `training: {start_date, end_date}`, `model`, ...
    Nested,
    /// `experiment_id`, `train_start`, `train_end`, `half_life`, ...
    Flat,
}

impl ConfigFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigFormat::Nested => "nested",
            ConfigFormat::Flat => "flat",
        }
    }

    /// The format of a document: flat when it has more keys only the flat
    /// format knows than keys only the nested one knows, else nested.
    fn of(root: &Value) -> ConfigFormat {
        let count = |keys: &[&str], other: &[&str]| {
            keys.iter()
                .filter(|k| check::only_in(k, keys, other) && root.get(**k).is_some())
                .count()
        };
        if count(&check::FLAT_KEYS, &check::NESTED_KEYS)
            > count(&check::NESTED_KEYS, &check::FLAT_KEYS)
        {
            ConfigFormat::Flat
        } else {
            ConfigFormat::Nested
        }
    }
}

impl fmt::Display for ConfigFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem (or warning) in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl ConfigProblem {
    /// `file:line: field: message`.
    pub fn located(&self, file: &str) -> String {
        match self.line {
            Some(line) => format!("{file}:{line}: {}: {}", self.field, self.message),
            None => format!("{file}: {}: {}", self.field, self.message),
        }
    }
}

/// Every problem of one file (and its warnings, shown beside them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors {
    pub file: String,
    /// The format the file was read as (`None`: not a YAML mapping).
    pub format: Option<ConfigFormat>,
    pub problems: Vec<ConfigProblem>,
    pub warnings: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| p.located(&self.file))
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ConfigErrors {}

/// A checked config.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentConfig {
    pub format: ConfigFormat,
    /// `experiment_name`, or the flat format's `experiment_id`.
    pub experiment_name: String,
    pub hypothesis: Option<String>,
    /// As written (nested); the flat format is the walk-forward trainer's.
    pub experiment_type: String,
    pub training_start: NaiveDate,
    pub training_end: NaiveDate,
    /// The flat format has no evaluation period.
    pub evaluation: Option<(NaiveDate, NaiveDate)>,
    pub tags: Vec<String>,
    pub parent_experiment_id: Option<String>,
    pub target_system: Option<String>,
    /// What the file holds that is allowed but worth saying (never a refusal).
    pub warnings: Vec<ConfigProblem>,
    /// The whole document as JSON (stored as `config_json`).
    pub json: serde_json::Value,
}

/// What a format's rules read from a document that passed them.
struct Checked {
    experiment_name: String,
    hypothesis: Option<String>,
    experiment_type: String,
    training: (NaiveDate, NaiveDate),
    evaluation: Option<(NaiveDate, NaiveDate)>,
    tags: Vec<String>,
    parent_experiment_id: Option<String>,
    target_system: Option<String>,
}

/// Who and what a new registry row records besides its config.
pub struct Registration {
    pub experiment_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub git_commit: Option<String>,
    pub parent_experiment_id: Option<String>,
    /// The target system when the config names none.
    pub production_system: String,
}

impl ExperimentConfig {
    /// The `config_json` stored for it: the document, its target system
    /// filled in when it names none.
    pub fn stored_json(&self, production_system: &str) -> serde_json::Value {
        let mut json = self.json.clone();
        if json.get("target_system").is_none() {
            json["target_system"] = production_system.into();
        }
        json
    }

    /// The pending `ml_experiments` row of this config.
    pub fn row(&self, registration: Registration) -> crate::model::rows::ExperimentRow {
        use crate::model::rows::{ExperimentRow, Period};
        let period = |(start, end): (NaiveDate, NaiveDate)| Period {
            start_date: Some(start),
            end_date: Some(end),
            samples: None,
        };
        ExperimentRow {
            experiment_id: registration.experiment_id,
            experiment_name: self.experiment_name.clone(),
            hypothesis: self.hypothesis.clone(),
            experiment_type: self.experiment_type.clone(),
            tags: self.tags.clone(),
            config_json: self.stored_json(&registration.production_system),
            train_period: Some(period((self.training_start, self.training_end))),
            eval_period: self.evaluation.map(period),
            results_json: None,
            model_path: None,
            git_commit: registration.git_commit,
            parent_experiment_id: registration.parent_experiment_id,
            status: crate::model::experiment::Status::Pending,
            created_at: registration.at,
            completed_at: None,
            created_by: Some(registration.actor),
        }
    }
}

/// Parses and checks a config in either format; `file` names it in every
/// message.
pub fn parse(text: &str, file: &Path) -> Result<ExperimentConfig, ConfigErrors> {
    let file_name = file.display().to_string();
    let fail = |line: Option<usize>, message: String| ConfigErrors {
        file: file_name.clone(),
        format: None,
        problems: vec![ConfigProblem {
            line,
            field: "(file)".to_string(),
            message,
        }],
        warnings: Vec::new(),
    };
    if text.len() > MAX_CONFIG_BYTES {
        return Err(fail(
            None,
            format!(
                "{} bytes is over the {MAX_CONFIG_BYTES}-byte limit",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(fail(None, "the file is empty".to_string()));
    }
    let root: Value = serde_norway::from_str(text).map_err(|error| {
        let line = error.location().map(|at| at.line());
        let message = error.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        fail(line, format!("not valid YAML: {message}"))
    })?;
    if !matches!(root, Value::Mapping(_)) {
        return Err(fail(
            Some(1),
            format!("expected a mapping of keys, found {}", check::kind(&root)),
        ));
    }
    let format = ConfigFormat::of(&root);
    let mut checker = check::Checker::new(text);
    let checked = match format {
        ConfigFormat::Nested => nested::check(&mut checker, &root),
        ConfigFormat::Flat => flat::check(&mut checker, &root),
    };
    let json = serde_json::to_value(&root);
    match (checked, json) {
        (Some(checked), Ok(json)) if checker.problems.is_empty() => Ok(ExperimentConfig {
            format,
            experiment_name: checked.experiment_name,
            hypothesis: checked.hypothesis,
            experiment_type: checked.experiment_type,
            training_start: checked.training.0,
            training_end: checked.training.1,
            evaluation: checked.evaluation,
            tags: checked.tags,
            parent_experiment_id: checked.parent_experiment_id,
            target_system: checked.target_system,
            warnings: checker.warnings,
            json,
        }),
        (_, json) => {
            let mut problems = checker.problems;
            if let Err(error) = json {
                problems.push(ConfigProblem {
                    line: None,
                    field: "(file)".to_string(),
                    message: error.to_string(),
                });
            }
            if problems.is_empty() {
                problems.push(ConfigProblem {
                    line: None,
                    field: "(file)".to_string(),
                    message: "incomplete config".to_string(),
                });
            }
            Err(ConfigErrors {
                file: file_name,
                format: Some(format),
                problems,
                warnings: checker.warnings,
            })
        }
    }
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<ExperimentConfig, ConfigErrors> {
    let fail = |message: String| ConfigErrors {
        file: path.display().to_string(),
        format: None,
        problems: vec![ConfigProblem {
            line: None,
            field: "(file)".to_string(),
            message,
        }],
        warnings: Vec::new(),
    };
    let metadata = std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if metadata.len() as usize > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "{} bytes is over the {MAX_CONFIG_BYTES}-byte limit",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_string()))?;
    parse(&text, path)
}
