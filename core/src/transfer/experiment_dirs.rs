//! `exp import DIR`: the experiment folders a training script leaves, read
//! and checked whole before anything is written. Each folder holds
//! `config.yaml` (the experiment config), and as the run went on
//! `results.json` (completed), `error.txt` (failed), `git_commit` (or
//! `git_commit` in the results), and `backtest_predictions.csv` or `.ndjson`
//! (its backtest rows, without `experiment_id`). Only regular files are
//! opened. Here the folders are listed and planned (names, parents and their
//! loops); the backtest rows are read as a stream by [`super::backtest_rows`].
//! Every problem names the file, line and field.

use super::backtest_rows::BacktestFiles;
use super::folder_files::{read_small, regular_file};
use super::format::Format;
use super::parent_chain::{self, Link};
use crate::model::experiment::Status;
use crate::model::rows::{ExperimentEvent, ExperimentRow, NewExperiment};
use crate::registry::experiment_config::{self, ExperimentConfig, Registration};
use crate::registry::results;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One folder as read.
pub struct Folder {
    pub path: PathBuf,
    pub config: ExperimentConfig,
    pub results: Option<serde_json::Value>,
    pub error: Option<String>,
    pub git_commit: Option<String>,
    /// Its backtest files (`.csv` then `.ndjson`), not read yet.
    pub backtest: Vec<(PathBuf, Format)>,
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
    // Hidden entries are passed over (`exp import` names them); a link
    // pointing nowhere is a problem naming it.
    let paths = super::folder_entries::folders_of(dir)?.folders;
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
    // A FIFO named config.yaml is refused unopened, like every file here.
    let config = match regular_file(&config_path) {
        Err(problem) => {
            problems.push(problem);
            None
        }
        Ok(_) => match experiment_config::load(&config_path) {
            Ok(config) => Some(config),
            Err(errors) => {
                problems.push(errors.to_string());
                None
            }
        },
    };
    let results = read_small(&path.join("results.json"), &mut problems).and_then(|text| {
        let file = path.join("results.json").display().to_string();
        results::check(&file, &text)
            .map_err(|error| problems.push(error.to_string()))
            .ok()
    });
    let error = read_small(&path.join("error.txt"), &mut problems)
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty());
    let git_commit = read_small(&path.join("git_commit"), &mut problems)
        .and_then(|text| text.lines().next().map(|line| line.trim().to_string()))
        .filter(|line| !line.is_empty())
        .or_else(|| {
            results
                .as_ref()
                .and_then(|r| r["git_commit"].as_str().map(str::to_string))
        });
    // Only listed here: the rows are read, checked and written as a stream.
    let mut backtest = Vec::new();
    for (name, format) in [
        ("backtest_predictions.csv", Format::Csv),
        ("backtest_predictions.ndjson", Format::Ndjson),
    ] {
        let file = path.join(name);
        match regular_file(&file) {
            Ok(true) => backtest.push((file, format)),
            Ok(false) => {}
            Err(problem) => problems.push(problem),
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

/// What `exp import` does with one folder.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Registered with this status, parent and backtest files.
    New(Box<NewPlan>),
    /// The same name and config are registered already: nothing to do,
    /// unless its backtest rows are not all stored (an earlier import that
    /// stopped), which its files then complete.
    Unchanged {
        name: String,
        experiment_id: String,
        backtest: BacktestFiles,
    },
}

/// A folder to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    /// Its row and events (`backtest_rows` counted once its files are checked).
    pub experiment: NewExperiment,
    /// Its backtest files and the period their rows must fall in.
    pub backtest: BacktestFiles,
}

/// ` line N:` of `key` in the config at `path` (read again only for a
/// problem's message; it was found a regular file), or nothing.
fn config_line(path: &Path, key: &str) -> String {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| experiment_config::line_of(&text, &[key]))
        .map_or_else(String::new, |line| format!(" line {line}:"))
}

/// Plans the import of `folders` against the registry `existing`: new
/// experiments with their events and backtest files, or unchanged ones; a
/// name registered with another config, a parent found nowhere, or a parent
/// chain that loops is a problem naming the file.
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
        let config_file = config_path.display().to_string();
        if let Some(row) = existing.iter().find(|row| &row.experiment_name == name) {
            if row.config_json == folder.config.stored_json(production_system) {
                plans.push(Plan::Unchanged {
                    name: name.clone(),
                    experiment_id: row.experiment_id.clone(),
                    backtest: BacktestFiles {
                        experiment_id: row.experiment_id.clone(),
                        files: folder.backtest.clone(),
                        evaluation: folder.config.evaluation,
                        config_file: config_file.clone(),
                    },
                });
            } else {
                problems.push(format!(
                    "{config_file}:{} experiment_name: {name} is registered already with another config (rename the experiment, or archive the old one and register this one under a new name)",
                    config_line(&config_path, "experiment_name")
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
                        config_line(&config_path, "parent_experiment_id")
                    ));
                }
                found
            }
        };
        let backtest = BacktestFiles {
            experiment_id: id.clone(),
            files: folder.backtest.clone(),
            evaluation: folder.config.evaluation,
            config_file: config_file.clone(),
        };
        plans.push(Plan::New(Box::new(NewPlan {
            experiment: new_experiment(&folder, id, parent, production_system, actor, at),
            backtest,
        })));
    }
    problems.extend(parent_loops(&plans, existing));
    if problems.is_empty() {
        Ok(plans)
    } else {
        Err(problems)
    }
}

/// A problem for each new experiment whose parent chain loops (itself its
/// own parent, or through the import's and the registry's experiments).
fn parent_loops(plans: &[Plan], existing: &[ExperimentRow]) -> Vec<String> {
    let new: Vec<&NewPlan> = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::New(new) => Some(&**new),
            Plan::Unchanged { .. } => None,
        })
        .collect();
    let rows = existing
        .iter()
        .chain(new.iter().map(|plan| &plan.experiment.row));
    let links: HashMap<&str, Link<'_>> = rows
        .map(|row| {
            (
                row.experiment_id.as_str(),
                Link {
                    name: row.experiment_name.as_str(),
                    parent: row.parent_experiment_id.as_deref(),
                },
            )
        })
        .collect();
    new.iter()
        .filter_map(|plan| {
            let chain = parent_chain::loop_from(&links, &plan.experiment.row.experiment_id)?;
            let config = Path::new(&plan.backtest.config_file);
            Some(format!(
                "{}:{} parent_experiment_id: the parent chain loops: {chain} (an experiment cannot descend from itself)",
                plan.backtest.config_file,
                config_line(config, "parent_experiment_id")
            ))
        })
        .collect()
}

/// The row and its events (registered, started, then completed or failed);
/// its backtest rows are counted once they are checked.
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
    NewExperiment {
        row,
        events,
        backtest_rows: 0,
    }
}
