//! Comparing experiments: each metric against the first experiment, the
//! hit-rate difference with Newcombe's interval (from the two Wilson
//! intervals), and a config diff that shows only the keys that differ.

use super::leaderboard::Entry;
use crate::model::rows::ExperimentRow;
use crate::stats::Interval;
use std::collections::BTreeMap;

/// One experiment against the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    pub entry: Entry,
    /// Hit-rate difference in points, with its 95% interval.
    pub hit_rate: Option<(f64, Interval)>,
    pub mae: Option<f64>,
    pub roi: Option<f64>,
}

/// Newcombe's hybrid score interval for `p2 - p1` (in points), from each
/// rate's Wilson interval.
pub fn difference_interval(p1: f64, i1: Interval, p2: f64, i2: Interval) -> Interval {
    let d = p2 - p1;
    Interval {
        low: d - ((p2 - i2.low).powi(2) + (i1.high - p1).powi(2)).sqrt(),
        high: d + ((i2.high - p2).powi(2) + (p1 - i1.low).powi(2)).sqrt(),
    }
}

pub fn deltas(base: &Entry, others: &[Entry]) -> Vec<Delta> {
    others
        .iter()
        .map(|entry| {
            let hit_rate = match (base.hit_rate, entry.hit_rate) {
                (Some(a), Some(b)) => match (a.pct, a.interval, b.pct, b.interval) {
                    (Some(p1), Some(i1), Some(p2), Some(i2)) => {
                        Some((p2 - p1, difference_interval(p1, i1, p2, i2)))
                    }
                    _ => None,
                },
                _ => None,
            };
            let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| b - a);
            Delta {
                entry: entry.clone(),
                hit_rate,
                mae: diff(base.mae, entry.mae),
                roi: diff(base.roi, entry.roi),
            }
        })
        .collect()
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, inner, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Keys whose values differ between the configs (a missing key shows as `-`),
/// each with every experiment's value in order.
pub fn config_diff(rows: &[&ExperimentRow]) -> Vec<(String, Vec<String>)> {
    let flat: Vec<BTreeMap<String, String>> = rows
        .iter()
        .map(|row| {
            let mut out = BTreeMap::new();
            flatten("", &row.config_json, &mut out);
            out
        })
        .collect();
    let mut keys: Vec<&String> = flat.iter().flat_map(|f| f.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let values: Vec<String> = flat
                .iter()
                .map(|f| f.get(key).cloned().unwrap_or_else(|| "-".to_string()))
                .collect();
            let differ = values.iter().any(|v| v != &values[0]);
            differ.then(|| (key.clone(), values))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_interval_by_hand() {
        // 57/100 vs 47/100: Wilson [47.215, 66.267] and [37.511, 56.711].
        let a = crate::stats::wilson_interval(57, 100).unwrap();
        let b = crate::stats::wilson_interval(47, 100).unwrap();
        let d = difference_interval(57.0, a, 47.0, b);
        // d = -10; low = -10 - sqrt((47-37.511)² + (66.267-57)²) = -23.263;
        // high = -10 + sqrt((56.711-47)² + (57-47.215)²) = 3.786.
        assert!((d.low - (-23.26)).abs() < 0.05, "{d:?}");
        assert!((d.high - 3.786).abs() < 0.05, "{d:?}");
    }

    #[test]
    fn config_diff_shows_only_changed_keys() {
        let row = |json: serde_json::Value| ExperimentRow {
            experiment_id: "x".into(),
            experiment_name: "X".into(),
            hypothesis: None,
            experiment_type: "ablation".into(),
            tags: vec![],
            config_json: json,
            train_period: None,
            eval_period: None,
            results_json: None,
            model_path: None,
            git_commit: None,
            parent_experiment_id: None,
            status: crate::model::experiment::Status::Completed,
            created_at: chrono::DateTime::UNIX_EPOCH,
            completed_at: None,
            created_by: None,
        };
        let a = row(
            serde_json::json!({"model": {"type": "catboost", "depth": 6}, "recency": {"half_life_days": 60}}),
        );
        let b = row(serde_json::json!({"model": {"type": "catboost", "depth": 8}, "tags": ["x"]}));
        let diff = config_diff(&[&a, &b]);
        let keys: Vec<&str> = diff.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["model.depth", "recency.half_life_days", "tags"]);
        assert_eq!(diff[0].1, ["6", "8"]);
        assert_eq!(diff[1].1, ["60", "-"]);
    }
}
