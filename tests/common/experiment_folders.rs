//! Experiment folders as a training script leaves them, for `exp import`
//! tests: a config evaluated 2026-02-01 to 2026-02-14, good results, and a
//! backtest CSV of the rows a test gives.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub const HEADER: &str = "player_lookup,game_id,game_date,predicted_points,line_value,line_source,actual_points,recommendation,prediction_correct";

/// A good backtest row: player `index` in its own game on `date`.
pub fn row(index: usize, date: &str) -> String {
    format!(
        "player{index:03},{}_g{index},{date},20.5,19.5,ACTUAL_PROP,22,OVER,true",
        date.replace('-', "")
    )
}

pub fn rows(count: usize) -> Vec<String> {
    (0..count).map(|index| row(index, "2026-02-01")).collect()
}

/// An experiment folder `runs/DIR`: a config (evaluated 2026-02-01 to
/// 2026-02-14, line 8 naming the parent when there is one), good results
/// and, when given, the backtest CSV.
pub fn folder(
    runs: &Path,
    dir: &str,
    name: &str,
    parent: Option<&str>,
    backtest: Option<&[String]>,
) -> PathBuf {
    let path = runs.join(dir);
    std::fs::create_dir_all(&path).unwrap();
    let mut config = format!(
        "experiment_name: {name}\nhypothesis: \"checks\"\nexperiment_type: walk_forward\n\
         training: {{start_date: \"2025-10-01\", end_date: \"2026-01-31\"}}\n\
         evaluation: {{start_date: \"2026-02-01\", end_date: \"2026-02-14\"}}\n\
         model: {{type: catboost, version: v9}}\ntags: [checks]\n"
    );
    if let Some(parent) = parent {
        config.push_str(&format!("parent_experiment_id: {parent}\n"));
    }
    std::fs::write(path.join("config.yaml"), config).unwrap();
    std::fs::write(
        path.join("results.json"),
        r#"{"overall": {"hit_rate": 0.56, "mae": 4.9, "roi": 0.07, "samples": 400}}"#,
    )
    .unwrap();
    if let Some(lines) = backtest {
        let mut text = format!("{HEADER}\n");
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(path.join("backtest_predictions.csv"), text).unwrap();
    }
    path
}
