//! `exp import DIR`: the experiment folders a training script leaves, read
//! and checked whole before anything is written. Each folder holds
//! `config.yaml` (the experiment config), and as the run went on
//! `results.json` (completed), `error.txt` (failed), `git_commit` (or
//! `git_commit` in the results), and `backtest_predictions.csv` or `.ndjson`
//! (its backtest rows, without `experiment_id`). Every problem names the
//! file, line and field.

use crate::model::experiment::Status;
use crate::model::rows::{BacktestRow, ExperimentEvent, ExperimentRow, NewExperiment};
use crate::registry::experiment_config::{self, ExperimentConfig, Registration};
use crate::registry::results;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};

/// One folder as read.
pub struct Folder {
    pub path: PathBuf,
    pub config: ExperimentConfig,
    pub results: Option<serde_json::Value>,
    pub error: Option<String>,
    pub git_commit: Option<String>,
    pub backtest: Vec<BacktestRow>,
}

impl Folder {
    /// The status the run reached: completed with results, failed with an
    /// error file, else still running.
    pub fn status(&self) -> Status {
        match (&self.results, &self.error) {
            (Some(_), _) => Status::Completed,
            (None, Some(_)) => Status::Failed,
            (None, None) => Status::Running,
        }
    }
}

/// Reads every folder of `dir` (sorted by name); all problems, or the folders.
pub fn read_dir(dir: &Path) -> Result<Vec<Folder>, Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|error| {
        vec![format!(
            "{}: cannot read the directory: {error}",
            dir.display()
        )]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(vec![format!(
            "{}: no experiment folders (each holds a config.yaml)",
            dir.display()
        )]);
    }
    let mut folders = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read_folder(&path) {
            Ok(folder) => folders.push(folder),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(folders)
    } else {
        Err(problems)
    }
}

fn read_folder(path: &Path) -> Result<Folder, Vec<String>> {
    let mut problems = Vec::new();
    let config_path = path.join("config.yaml");
    let config = match experiment_config::load(&config_path) {
        Ok(config) => Some(config),
        Err(errors) => {
            problems.push(errors.to_string());
            None
        }
    };
    let results = read_optional(&path.join("results.json"), &mut problems).and_then(|text| {
        let file = path.join("results.json").display().to_string();
        results::check(&file, &text)
            .map_err(|error| problems.push(error.to_string()))
            .ok()
    });
    let error = read_optional(&path.join("error.txt"), &mut problems)
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty());
    let git_commit = read_optional(&path.join("git_commit"), &mut problems)
        .and_then(|text| text.lines().next().map(|line| line.trim().to_string()))
        .filter(|line| !line.is_empty())
        .or_else(|| {
            results
                .as_ref()
                .and_then(|r| r["git_commit"].as_str().map(str::to_string))
        });
    let mut backtest = Vec::new();
    for (name, ndjson) in [
        ("backtest_predictions.csv", false),
        ("backtest_predictions.ndjson", true),
    ] {
        let file = path.join(name);
        if let Some(text) = read_optional(&file, &mut problems) {
            match backtest_rows(&file, &text, ndjson) {
                Ok(mut rows) => backtest.append(&mut rows),
                Err(problem) => problems.push(problem),
            }
        }
    }
    match config {
        Some(config) if problems.is_empty() => Ok(Folder {
            path: path.to_path_buf(),
            config,
            results,
            error,
            git_commit,
            backtest,
        }),
        _ => Err(problems),
    }
}

fn read_optional(path: &Path, problems: &mut Vec<String>) -> Option<String> {
    if !path.exists() {
        return None;
    }
    std::fs::read_to_string(path)
        .map_err(|error| problems.push(format!("{}: cannot read: {error}", path.display())))
        .ok()
}

/// The backtest rows of a CSV (header first) or NDJSON file; the first
/// problem names the file, the line and the field. `experiment_id` is filled
/// in on registration.
fn backtest_rows(path: &Path, text: &str, ndjson: bool) -> Result<Vec<BacktestRow>, String> {
    let file = path.display();
    let mut rows = Vec::new();
    let records: Vec<(usize, serde_json::Map<String, serde_json::Value>)> = if ndjson {
        let mut records = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line)
                .map_err(|error| format!("{file}: line {}: not JSON: {error}", index + 1))?;
            let object = value
                .as_object()
                .cloned()
                .ok_or_else(|| format!("{file}: line {}: not a JSON object", index + 1))?;
            records.push((index + 1, object));
        }
        records
    } else {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|error| format!("{file}: line 1: {error}"))?
            .clone();
        let mut records = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|error| format!("{file}: line {}: {error}", index + 2))?;
            let object = header
                .iter()
                .zip(record.iter())
                .filter(|(_, cell)| !cell.is_empty())
                .map(|(name, cell)| {
                    (
                        name.to_string(),
                        serde_json::Value::String(cell.to_string()),
                    )
                })
                .collect();
            records.push((index + 2, object));
        }
        records
    };
    for (line, record) in records {
        let at = |field: &str, problem: &str| format!("{file}: line {line}: {field}: {problem}");
        let text = |field: &str| -> Option<String> {
            record.get(field).and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
        };
        let required = |field: &str| text(field).ok_or_else(|| at(field, "missing"));
        let number = |field: &str| -> Result<Option<f64>, String> {
            text(field)
                .map(|t| {
                    t.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| at(field, &format!("`{t}` is not a number")))
                })
                .transpose()
        };
        let game_date: NaiveDate = required("game_date")?
            .parse()
            .map_err(|_| at("game_date", "not a date (YYYY-MM-DD)"))?;
        let actual_points = number("actual_points")?
            .map(|v| {
                (v.fract() == 0.0 && (0.0..=200.0).contains(&v))
                    .then_some(v as i64)
                    .ok_or_else(|| at("actual_points", "not a whole number of points (0-200)"))
            })
            .transpose()?;
        let prediction_correct = match text("prediction_correct").as_deref() {
            None => None,
            Some("true" | "TRUE" | "1") => Some(true),
            Some("false" | "FALSE" | "0") => Some(false),
            Some(other) => {
                return Err(at(
                    "prediction_correct",
                    &format!("`{other}` is not true or false"),
                ));
            }
        };
        let recommendation = text("recommendation");
        if let Some(r) = &recommendation
            && !["OVER", "UNDER", "PASS", "NO_LINE"].contains(&r.as_str())
        {
            return Err(at(
                "recommendation",
                &format!("`{r}` is not OVER, UNDER, PASS or NO_LINE"),
            ));
        }
        rows.push(BacktestRow {
            experiment_id: String::new(),
            player_lookup: required("player_lookup")?,
            game_id: required("game_id")?,
            game_date,
            predicted_points: number("predicted_points")?,
            line_value: number("line_value")?,
            line_source: text("line_source"),
            actual_points,
            recommendation,
            prediction_correct,
        });
    }
    Ok(rows)
}

/// What `exp import` does with one folder.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Registered with this status, backtest rows and parent.
    New(Box<NewExperiment>),
    /// The same name and config are registered already: nothing to do.
    Unchanged { name: String, experiment_id: String },
}

/// Plans the import of `folders` against the registry `existing`: new
/// experiments with their events and backtest rows, or unchanged ones; a
/// name registered with another config, or a parent found nowhere, is a
/// problem naming the file.
pub fn plan(
    folders: Vec<Folder>,
    existing: &[ExperimentRow],
    production_system: &str,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Plan>, Vec<String>> {
    let mut problems = Vec::new();
    // Ids first, so a parent in the same import is found by its name.
    let ids: Vec<(String, String)> = folders
        .iter()
        .map(|folder| {
            let name = folder.config.experiment_name.clone();
            let id = existing
                .iter()
                .find(|row| row.experiment_name == name)
                .map_or_else(
                    || uuid::Uuid::new_v4().to_string(),
                    |row| row.experiment_id.clone(),
                );
            (name, id)
        })
        .collect();
    let mut plans = Vec::new();
    for (folder, (name, id)) in folders.into_iter().zip(&ids) {
        let config_path = folder.path.join("config.yaml");
        let line_of = |key: &str| {
            std::fs::read_to_string(&config_path)
                .ok()
                .and_then(|text| experiment_config::line_of(&text, &[key]))
                .map_or_else(String::new, |line| format!(" line {line}:"))
        };
        let config_file = config_path.display().to_string();
        if let Some(row) = existing.iter().find(|row| &row.experiment_name == name) {
            if row.config_json == folder.config.stored_json(production_system) {
                plans.push(Plan::Unchanged {
                    name: name.clone(),
                    experiment_id: row.experiment_id.clone(),
                });
            } else {
                problems.push(format!(
                    "{config_file}:{} experiment_name: {name} is registered already with another config (rename the experiment, or archive the old one and register this one under a new name)",
                    line_of("experiment_name")
                ));
            }
            continue;
        }
        let parent = match &folder.config.parent_experiment_id {
            None => None,
            Some(parent) => {
                let found = existing
                    .iter()
                    .find(|row| &row.experiment_id == parent || &row.experiment_name == parent)
                    .map(|row| row.experiment_id.clone())
                    .or_else(|| {
                        ids.iter()
                            .find(|(n, _)| n == parent)
                            .map(|(_, id)| id.clone())
                    });
                if found.is_none() {
                    problems.push(format!(
                        "{config_file}:{} parent_experiment_id: `{parent}` is neither registered nor in this import",
                        line_of("parent_experiment_id")
                    ));
                }
                found
            }
        };
        plans.push(Plan::New(Box::new(new_experiment(
            &folder,
            id,
            parent,
            production_system,
            actor,
            at,
        ))));
    }
    if problems.is_empty() {
        Ok(plans)
    } else {
        Err(problems)
    }
}

/// The row, its events (registered, started, then completed or failed) and
/// its backtest rows.
fn new_experiment(
    folder: &Folder,
    id: &str,
    parent: Option<String>,
    production_system: &str,
    actor: &str,
    at: DateTime<Utc>,
) -> NewExperiment {
    let mut row = folder.config.row(Registration {
        experiment_id: id.to_string(),
        at,
        actor: actor.to_string(),
        git_commit: folder.git_commit.clone(),
        parent_experiment_id: parent,
        production_system: production_system.to_string(),
    });
    let status = folder.status();
    row.status = status;
    row.results_json = folder.results.clone();
    if matches!(status, Status::Completed | Status::Failed) {
        row.completed_at = Some(at);
    }
    let source = folder.path.display().to_string();
    let event = |from: Option<Status>, to: Status, note: String| ExperimentEvent {
        experiment_id: id.to_string(),
        at,
        actor: Some(actor.to_string()),
        from_status: from.map(|s| s.as_str().to_string()),
        to_status: to.as_str().to_string(),
        note: Some(note),
    };
    let mut events = vec![
        event(None, Status::Pending, format!("imported from {source}")),
        event(
            Some(Status::Pending),
            Status::Running,
            "imported: the run started".to_string(),
        ),
    ];
    match status {
        Status::Completed => events.push(event(
            Some(Status::Running),
            Status::Completed,
            "imported with results.json".to_string(),
        )),
        Status::Failed => events.push(event(
            Some(Status::Running),
            Status::Failed,
            folder.error.clone().unwrap_or_default(),
        )),
        _ => {}
    }
    let backtest = folder
        .backtest
        .iter()
        .map(|row| BacktestRow {
            experiment_id: id.to_string(),
            ..row.clone()
        })
        .collect();
    NewExperiment {
        row,
        events,
        backtest,
    }
}
