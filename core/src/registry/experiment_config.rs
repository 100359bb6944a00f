//! YAML experiment configs (data-contract.md): parsed and checked against every
//! rule, reporting all problems at once, each with file, line and field.
//! Unknown keys are rejected by name so that typos cannot pass silently.

use chrono::NaiveDate;
use serde_norway::Value;
use std::fmt;
use std::path::Path;

/// Larger files are refused before parsing.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

pub use crate::model::experiment::EXPERIMENT_TYPES;

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

/// Every problem of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors {
    pub file: String,
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| match p.line {
                Some(line) => format!("{}:{line}: {}: {}", self.file, p.field, p.message),
                None => format!("{}: {}: {}", self.file, p.field, p.message),
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ConfigErrors {}

/// A checked config.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentConfig {
    pub experiment_name: String,
    pub hypothesis: String,
    pub experiment_type: String,
    pub training_start: NaiveDate,
    pub training_end: NaiveDate,
    pub evaluation_start: NaiveDate,
    pub evaluation_end: NaiveDate,
    pub tags: Vec<String>,
    pub parent_experiment_id: Option<String>,
    pub target_system: Option<String>,
    /// The whole document as JSON (stored as `config_json`).
    pub json: serde_json::Value,
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
        ExperimentRow {
            experiment_id: registration.experiment_id,
            experiment_name: self.experiment_name.clone(),
            hypothesis: Some(self.hypothesis.clone()),
            experiment_type: self.experiment_type.clone(),
            tags: self.tags.clone(),
            config_json: self.stored_json(&registration.production_system),
            train_period: Some(Period {
                start_date: Some(self.training_start),
                end_date: Some(self.training_end),
                samples: None,
            }),
            eval_period: Some(Period {
                start_date: Some(self.evaluation_start),
                end_date: Some(self.evaluation_end),
                samples: None,
            }),
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

/// The line of `path` (`training.start_date`) in `text`: the line of the
/// first key, then of each nested key below it, in block or flow style.
pub fn line_of(text: &str, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut indent: Option<usize> = None;
    let mut found = None;
    for key in path {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            let this_indent = line.len() - trimmed.len();
            if let (Some(parent), Some(_)) = (indent, found)
                && i > start
                && this_indent <= parent
                && !trimmed.is_empty()
                && !trimmed.starts_with('#')
            {
                break;
            }
            let key_colon = format!("{key}:");
            let quoted = format!("\"{key}\":");
            let at_start = trimmed.starts_with(&key_colon) || trimmed.starts_with(&quoted);
            let in_flow = found == Some(i)
                && (line.contains(&format!("{{{key}:"))
                    || line.contains(&format!(" {key}:"))
                    || line.contains(&format!(",{key}:")));
            if at_start || in_flow {
                hit = Some(i);
                indent = Some(this_indent);
                break;
            }
        }
        match hit {
            Some(i) => {
                found = Some(i);
                start = i;
            }
            None => return found.map(|i| i + 1),
        }
    }
    found.map(|i| i + 1)
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<ConfigProblem>,
}

impl Checker<'_> {
    fn problem(&mut self, path: &[&str], message: impl Into<String>) {
        self.problems.push(ConfigProblem {
            line: line_of(self.text, path),
            field: path.join("."),
            message: message.into(),
        });
    }

    fn unknown_keys(&mut self, value: &Value, path: &[&str], allowed: &[&str]) {
        if let Value::Mapping(map) = value {
            for key in map.keys() {
                let name = key
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{key:?}"));
                if !allowed.contains(&name.as_str()) {
                    let mut full: Vec<&str> = path.to_vec();
                    full.push(&name);
                    let line = line_of(self.text, &full);
                    self.problems.push(ConfigProblem {
                        line,
                        field: full.join("."),
                        message: format!("unknown key `{name}` (allowed: {})", allowed.join(", ")),
                    });
                }
            }
        }
    }

    fn string(&mut self, root: &Value, path: &[&str], required: bool) -> Option<String> {
        match get(root, path) {
            None | Some(Value::Null) if required => {
                self.problem(path, "missing (required)");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.trim().is_empty() => {
                self.problem(path, "must not be empty");
                None
            }
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.problem(path, format!("expected text, found {}", kind(other)));
                None
            }
        }
    }

    fn date(&mut self, root: &Value, path: &[&str]) -> Option<NaiveDate> {
        let text = self.string(root, path, true)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.problem(path, format!("`{text}` is not a date (YYYY-MM-DD)"));
                None
            }
        }
    }

    fn number(&mut self, root: &Value, path: &[&str]) -> Option<f64> {
        match get(root, path)? {
            Value::Number(n) => n.as_f64(),
            Value::Null => None,
            other => {
                self.problem(path, format!("expected a number, found {}", kind(other)));
                None
            }
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn get<'v>(root: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, key| value.get(*key))
}

/// Parses and checks a config; `file` names it in every message.
pub fn parse(text: &str, file: &Path) -> Result<ExperimentConfig, ConfigErrors> {
    let file_name = file.display().to_string();
    let fail = |line: Option<usize>, field: &str, message: String| ConfigErrors {
        file: file_name.clone(),
        problems: vec![ConfigProblem {
            line,
            field: field.to_string(),
            message,
        }],
    };
    if text.len() > MAX_CONFIG_BYTES {
        return Err(fail(
            None,
            "(file)",
            format!(
                "{} bytes is over the {MAX_CONFIG_BYTES}-byte limit",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(fail(None, "(file)", "the file is empty".to_string()));
    }
    let root: Value = serde_norway::from_str(text).map_err(|error| {
        let line = error.location().map(|at| at.line());
        let message = error.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        fail(line, "(file)", format!("not valid YAML: {message}"))
    })?;
    if !matches!(root, Value::Mapping(_)) {
        return Err(fail(
            Some(1),
            "(file)",
            format!("expected a mapping of keys, found {}", kind(&root)),
        ));
    }
    let mut check = Checker {
        text,
        problems: Vec::new(),
    };
    check.unknown_keys(
        &root,
        &[],
        &[
            "experiment_name",
            "hypothesis",
            "experiment_type",
            "training",
            "evaluation",
            "model",
            "recency",
            "tags",
            "parent_experiment_id",
            "target_system",
        ],
    );
    for (section, allowed) in [
        (
            "training",
            &["start_date", "end_date", "validation_split", "min_samples"][..],
        ),
        (
            "evaluation",
            &["start_date", "end_date", "baseline_model"][..],
        ),
        ("model", &["type", "version", "hyperparameters"][..]),
        ("recency", &["enabled", "half_life_days"][..]),
    ] {
        match root.get(section) {
            Some(value @ Value::Mapping(_)) => check.unknown_keys(value, &[section], allowed),
            Some(Value::Null) | None => {}
            Some(other) => check.problem(
                &[section],
                format!("expected a mapping, found {}", kind(other)),
            ),
        }
    }
    let name = check.string(&root, &["experiment_name"], true);
    if let Some(problem) = name
        .as_deref()
        .and_then(crate::model::experiment::name_problem)
    {
        check.problem(&["experiment_name"], problem);
    }
    let hypothesis = check.string(&root, &["hypothesis"], true);
    let experiment_type = check.string(&root, &["experiment_type"], true);
    if let Some(kind) = &experiment_type
        && !EXPERIMENT_TYPES.contains(&kind.as_str())
    {
        check.problem(
            &["experiment_type"],
            format!("`{kind}` is not one of {}", EXPERIMENT_TYPES.join(", ")),
        );
    }
    let training_start = check.date(&root, &["training", "start_date"]);
    let training_end = check.date(&root, &["training", "end_date"]);
    let evaluation_start = check.date(&root, &["evaluation", "start_date"]);
    let evaluation_end = check.date(&root, &["evaluation", "end_date"]);
    if let (Some(start), Some(end)) = (training_start, training_end)
        && end < start
    {
        check.problem(
            &["training", "end_date"],
            format!("{end} is before the start {start}"),
        );
    }
    if let (Some(start), Some(end)) = (evaluation_start, evaluation_end)
        && end < start
    {
        check.problem(
            &["evaluation", "end_date"],
            format!("{end} is before the start {start}"),
        );
    }
    if let (Some(training_end), Some(evaluation_start)) = (training_end, evaluation_start)
        && training_end >= evaluation_start
    {
        check.problem(
            &["evaluation", "start_date"],
            format!("evaluation starts {evaluation_start}, inside training (ends {training_end}): training must end before evaluation starts"),
        );
    }
    check.string(&root, &["model", "type"], true);
    check.string(&root, &["model", "version"], true);
    match get(&root, &["model", "hyperparameters"]) {
        None | Some(Value::Null) | Some(Value::Mapping(_)) => {}
        Some(other) => check.problem(
            &["model", "hyperparameters"],
            format!("expected a mapping, found {}", kind(other)),
        ),
    }
    match get(&root, &["recency", "enabled"]) {
        None | Some(Value::Null) | Some(Value::Bool(_)) => {}
        Some(other) => check.problem(
            &["recency", "enabled"],
            format!("expected true/false, found {}", kind(other)),
        ),
    }
    if let Some(half_life) = check.number(&root, &["recency", "half_life_days"])
        && half_life <= 0.0
    {
        check.problem(
            &["recency", "half_life_days"],
            format!("must be greater than 0, got {half_life}"),
        );
    }
    if let Some(split) = check.number(&root, &["training", "validation_split"])
        && !(0.05..=0.30).contains(&split)
    {
        check.problem(
            &["training", "validation_split"],
            format!("must be between 0.05 and 0.30, got {split}"),
        );
    }
    if let Some(min) = check.number(&root, &["training", "min_samples"])
        && (min < 1.0 || min.fract() != 0.0)
    {
        check.problem(
            &["training", "min_samples"],
            format!("must be a whole number of at least 1, got {min}"),
        );
    }
    check.string(&root, &["evaluation", "baseline_model"], false);
    let tags = match root.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => {
            let mut tags = Vec::new();
            for item in items {
                match item {
                    Value::String(tag) => tags.push(tag.clone()),
                    other => check.problem(
                        &["tags"],
                        format!("every tag must be text, found {}", kind(other)),
                    ),
                }
            }
            tags
        }
        Some(other) => {
            check.problem(
                &["tags"],
                format!("expected a list of text, found {}", kind(other)),
            );
            Vec::new()
        }
    };
    let parent = check.string(&root, &["parent_experiment_id"], false);
    let target_system = check.string(&root, &["target_system"], false);
    if !check.problems.is_empty() {
        return Err(ConfigErrors {
            file: file_name,
            problems: check.problems,
        });
    }
    let json =
        serde_json::to_value(&root).map_err(|error| fail(None, "(file)", error.to_string()))?;
    match (
        name,
        hypothesis,
        experiment_type,
        training_start,
        training_end,
        evaluation_start,
        evaluation_end,
    ) {
        (
            Some(experiment_name),
            Some(hypothesis),
            Some(experiment_type),
            Some(training_start),
            Some(training_end),
            Some(evaluation_start),
            Some(evaluation_end),
        ) => Ok(ExperimentConfig {
            experiment_name,
            hypothesis,
            experiment_type,
            training_start,
            training_end,
            evaluation_start,
            evaluation_end,
            tags,
            parent_experiment_id: parent,
            target_system,
            json,
        }),
        _ => Err(fail(None, "(file)", "incomplete config".to_string())),
    }
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<ExperimentConfig, ConfigErrors> {
    let fail = |message: String| ConfigErrors {
        file: path.display().to_string(),
        problems: vec![ConfigProblem {
            line: None,
            field: "(file)".to_string(),
            message,
        }],
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
