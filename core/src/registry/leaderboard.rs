//! Leaderboard rows: each experiment's results as figures with uncertainty
//! (hit rate with its Wilson interval from `samples`), sortable by any column;
//! an experiment without the sorted metric always sorts last. Results are
//! read in either layout by `results_layout`.

use crate::model::Rate;
use crate::model::experiment::Status;
use crate::model::rows::ExperimentRow;
use crate::registry::results_layout::{self, HitRate, Layout};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// Statuses hidden from the leaderboard unless asked for.
pub const HIDDEN_BY_DEFAULT: [Status; 2] = [Status::Failed, Status::Archived];

/// Statuses that "best" considers.
pub const RANKED_STATUSES: [Status; 2] = [Status::Completed, Status::Promoted];

/// One leaderboard row.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub status: Status,
    pub tags: Vec<String>,
    /// Hit rate in percent with its interval; `None` without results.
    pub hit_rate: Option<Rate>,
    pub mae: Option<f64>,
    pub roi: Option<f64>,
    pub samples: Option<u64>,
    /// Hit rate on bets with an edge of 3+ / 5+ points, where the results
    /// give it (the team's flat layout).
    pub hit_rate_edge_3plus: Option<Rate>,
    pub hit_rate_edge_5plus: Option<Rate>,
    /// The layout `results_json` was read in (`None` without results).
    pub results_layout: Option<Layout>,
    /// Figures of `results_json` that could not be read, each named
    /// (`results_json.hit_rate_all: hit rate out of range: ...`).
    pub problems: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub git_commit: Option<String>,
    pub parent_id: Option<String>,
}

impl Entry {
    pub fn from_row(row: &ExperimentRow, min_samples: u64) -> Entry {
        let figures = row
            .results_json
            .as_ref()
            .map(results_layout::read)
            .unwrap_or_default();
        let rate = |rate: Option<HitRate>| {
            rate.map(|r| {
                let hits = (r.fraction * r.bets as f64).round() as u64;
                Rate::of(hits.min(r.bets), r.bets, min_samples)
            })
        };
        Entry {
            id: row.experiment_id.clone(),
            name: row.experiment_name.clone(),
            kind: row.experiment_type.clone(),
            status: row.status,
            tags: row.tags.clone(),
            hit_rate: rate(figures.hit_rate),
            mae: figures.mae,
            roi: figures.roi,
            samples: figures.samples,
            hit_rate_edge_3plus: rate(figures.edge_3plus),
            hit_rate_edge_5plus: rate(figures.edge_5plus),
            results_layout: figures.layout,
            problems: figures.problems.iter().map(ToString::to_string).collect(),
            created_at: row.created_at,
            git_commit: row.git_commit.clone(),
            parent_id: row.parent_experiment_id.clone(),
        }
    }

    /// Short commit for tables (a dirty tree keeps its marker).
    pub fn short_commit(&self) -> String {
        match &self.git_commit {
            None => "-".to_string(),
            Some(commit) => {
                let dirty = commit.ends_with("-dirty");
                let short: String = commit.chars().take(8).collect();
                if dirty {
                    format!("{short}+dirty")
                } else {
                    short
                }
            }
        }
    }
}

/// Columns the leaderboard sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Kind,
    Status,
    HitRate,
    Mae,
    Roi,
    Samples,
    Created,
    Commit,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Name,
        SortKey::Kind,
        SortKey::Status,
        SortKey::HitRate,
        SortKey::Mae,
        SortKey::Roi,
        SortKey::Samples,
        SortKey::Created,
        SortKey::Commit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Kind => "type",
            SortKey::Status => "status",
            SortKey::HitRate => "hit rate",
            SortKey::Mae => "MAE",
            SortKey::Roi => "ROI",
            SortKey::Samples => "samples",
            SortKey::Created => "created",
            SortKey::Commit => "commit",
        }
    }

    pub fn next(self) -> SortKey {
        let index = SortKey::ALL
            .iter()
            .position(|key| *key == self)
            .unwrap_or(0);
        SortKey::ALL[(index + 1) % SortKey::ALL.len()]
    }

    /// The natural direction: best first for metrics (lower MAE is better), A-Z for text.
    pub fn descending_by_default(self) -> bool {
        matches!(
            self,
            SortKey::HitRate | SortKey::Roi | SortKey::Samples | SortKey::Created
        )
    }
}

/// Compares two optional values with missing ones last, whatever the direction.
fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let order = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
            if descending { order.reverse() } else { order }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Sorts entries by `key`; ties keep name order.
pub fn sort(entries: &mut [Entry], key: SortKey, descending: bool) {
    entries.sort_by(|a, b| {
        let order = match key {
            SortKey::Name => missing_last(Some(&a.name), Some(&b.name), descending),
            SortKey::Kind => missing_last(Some(&a.kind), Some(&b.kind), descending),
            SortKey::Status => {
                missing_last(Some(a.status.as_str()), Some(b.status.as_str()), descending)
            }
            SortKey::HitRate => missing_last(
                a.hit_rate.and_then(|r| r.pct),
                b.hit_rate.and_then(|r| r.pct),
                descending,
            ),
            SortKey::Mae => missing_last(a.mae, b.mae, descending),
            SortKey::Roi => missing_last(a.roi, b.roi, descending),
            SortKey::Samples => missing_last(a.samples, b.samples, descending),
            SortKey::Created => missing_last(Some(a.created_at), Some(b.created_at), descending),
            SortKey::Commit => {
                missing_last(a.git_commit.as_ref(), b.git_commit.as_ref(), descending)
            }
        };
        order.then_with(|| a.name.cmp(&b.name))
    });
}

/// What the leaderboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this status (`None`: every status not hidden).
    pub status: Option<Status>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// Case-insensitive text in name, hypothesis-free fields, type, tags or id.
    pub search: String,
    /// Show failed and archived experiments too.
    pub show_hidden: bool,
}

impl Filter {
    pub fn keeps(&self, entry: &Entry) -> bool {
        let hidden = HIDDEN_BY_DEFAULT.contains(&entry.status);
        let status_ok = match self.status {
            Some(status) => entry.status == status,
            None => self.show_hidden || !hidden,
        };
        let kind_ok = self.kind.as_ref().is_none_or(|kind| &entry.kind == kind);
        let tag_ok = self
            .tag
            .as_ref()
            .is_none_or(|tag| entry.tags.iter().any(|t| t == tag));
        let needle = self.search.trim().to_lowercase();
        let search_ok = needle.is_empty()
            || entry.name.to_lowercase().contains(&needle)
            || entry.kind.to_lowercase().contains(&needle)
            || entry.id.to_lowercase().starts_with(&needle)
            || entry
                .tags
                .iter()
                .any(|tag| tag.to_lowercase().contains(&needle));
        status_ok && kind_ok && tag_ok && search_ok
    }
}

/// The best ranked experiment by `key` (completed and promoted only, enough samples).
pub fn best(entries: &[Entry], key: SortKey, min_samples: u64) -> Option<&Entry> {
    let mut candidates: Vec<Entry> = entries
        .iter()
        .filter(|e| RANKED_STATUSES.contains(&e.status))
        .filter(|e| e.samples.is_some_and(|n| n >= min_samples))
        .cloned()
        .collect();
    sort(&mut candidates, key, key.descending_by_default());
    let first = candidates.first()?;
    let has_metric = match key {
        SortKey::HitRate => first.hit_rate.is_some(),
        SortKey::Mae => first.mae.is_some(),
        SortKey::Roi => first.roi.is_some(),
        _ => true,
    };
    if !has_metric {
        return None;
    }
    entries.iter().find(|e| e.id == first.id)
}

/// The parent chain of `id`, nearest first (stops at a cycle or a missing parent).
pub fn lineage<'a>(entries: &'a [Entry], id: &str) -> Vec<&'a Entry> {
    let mut chain = Vec::new();
    let mut current = entries
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.parent_id.clone());
    while let Some(parent_id) = current {
        if chain.iter().any(|e: &&Entry| e.id == parent_id) {
            break;
        }
        match entries.iter().find(|e| e.id == parent_id) {
            Some(parent) => {
                chain.push(parent);
                current = parent.parent_id.clone();
            }
            None => break,
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, status: &str, hit: Option<f64>, mae: Option<f64>, samples: u64) -> Entry {
        Entry {
            id: format!("id-{name}"),
            name: name.to_string(),
            kind: "walk_forward".to_string(),
            status: Status::from_stored(status).unwrap(),
            tags: vec!["t".to_string()],
            hit_rate: hit.map(|h| Rate::of((h * samples as f64).round() as u64, samples, 50)),
            mae,
            roi: None,
            samples: Some(samples),
            hit_rate_edge_3plus: None,
            hit_rate_edge_5plus: None,
            results_layout: None,
            problems: Vec::new(),
            created_at: DateTime::UNIX_EPOCH,
            git_commit: None,
            parent_id: None,
        }
    }

    #[test]
    fn missing_metrics_sort_last_both_ways() {
        let mut entries = vec![
            entry("A", "completed", None, Some(4.0), 100),
            entry("B", "completed", Some(0.55), Some(4.5), 100),
            entry("C", "completed", Some(0.60), None, 100),
        ];
        sort(&mut entries, SortKey::HitRate, true);
        assert_eq!(
            entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["C", "B", "A"]
        );
        sort(&mut entries, SortKey::HitRate, false);
        assert_eq!(
            entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["B", "C", "A"]
        );
        sort(&mut entries, SortKey::Mae, false);
        assert_eq!(
            entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["A", "B", "C"]
        );
    }

    #[test]
    fn best_considers_completed_and_promoted_with_enough_samples() {
        let entries = vec![
            entry("FAILED", "failed", Some(0.70), None, 100),
            entry("ARCHIVED", "archived", Some(0.69), None, 100),
            entry("TINY", "completed", Some(0.68), None, 10),
            entry("GOOD", "completed", Some(0.58), None, 1000),
            entry("PROD", "promoted", Some(0.57), None, 1000),
        ];
        assert_eq!(
            best(&entries, SortKey::HitRate, 50).map(|e| e.name.as_str()),
            Some("GOOD")
        );
    }

    #[test]
    fn filter_hides_failed_and_archived_by_default() {
        let failed = entry("X", "failed", None, None, 1);
        let mut filter = Filter::default();
        assert!(!filter.keeps(&failed));
        filter.show_hidden = true;
        assert!(filter.keeps(&failed));
        filter.search = "nope".into();
        assert!(!filter.keeps(&failed));
    }

    #[test]
    fn hit_rate_carries_a_wilson_interval_from_samples() {
        let row = ExperimentRow {
            experiment_id: "e".into(),
            experiment_name: "E".into(),
            hypothesis: None,
            experiment_type: "ablation".into(),
            tags: vec![],
            config_json: serde_json::json!({}),
            train_period: None,
            eval_period: None,
            results_json: Some(
                serde_json::json!({"overall": {"hit_rate": 0.57, "samples": 100, "mae": 4.2}}),
            ),
            model_path: None,
            git_commit: Some("0123456789abcdef-dirty".into()),
            parent_experiment_id: None,
            status: Status::Completed,
            created_at: DateTime::UNIX_EPOCH,
            completed_at: None,
            created_by: None,
        };
        let entry = Entry::from_row(&row, 50);
        let rate = entry.hit_rate.unwrap();
        assert_eq!((rate.k, rate.n), (57, 100));
        assert!((rate.interval.unwrap().low - 47.2154).abs() < 1e-3);
        assert_eq!(entry.short_commit(), "01234567+dirty");
        assert_eq!(entry.results_layout, Some(Layout::Nested));
    }

    fn row_with(name: &str, results: serde_json::Value) -> ExperimentRow {
        ExperimentRow {
            experiment_id: format!("id-{name}"),
            experiment_name: name.into(),
            hypothesis: None,
            experiment_type: "monthly_retrain".into(),
            tags: vec![],
            config_json: serde_json::json!({}),
            train_period: None,
            eval_period: None,
            results_json: Some(results),
            model_path: None,
            git_commit: None,
            parent_experiment_id: None,
            status: Status::Completed,
            created_at: DateTime::UNIX_EPOCH,
            completed_at: None,
            created_by: None,
        }
    }

    #[test]
    fn a_team_flat_experiment_shows_its_figures_and_can_be_best() {
        // As `quick_retrain.py` writes results_json: hit rates in percent.
        let flat = row_with(
            "V12_MONTHLY_FEB",
            serde_json::json!({
                "mae": 5.21, "mae_all_players": 5.64, "hit_rate_all": 58.5, "bets_all": 1200,
                "hit_rate_edge_3plus": 63.72, "bets_edge_3plus": 410,
                "hit_rate_edge_5plus": 75.33, "bets_edge_5plus": 77,
            }),
        );
        let entry = Entry::from_row(&flat, 50);
        let rate = entry.hit_rate.unwrap();
        assert_eq!((rate.k, rate.n), (702, 1200));
        assert!((rate.pct.unwrap() - 58.5).abs() < 1e-9);
        assert!(rate.interval.is_some() && rate.sufficient);
        assert_eq!(entry.samples, Some(1200));
        assert_eq!(entry.mae, Some(5.21));
        assert_eq!(entry.results_layout, Some(Layout::Flat));
        let edge3 = entry.hit_rate_edge_3plus.unwrap();
        assert_eq!((edge3.k, edge3.n), (261, 410));
        assert_eq!(entry.hit_rate_edge_5plus.unwrap().n, 77);
        assert!(entry.problems.is_empty());
        let nested = row_with(
            "NESTED",
            serde_json::json!({"overall": {"hit_rate": 0.55, "samples": 1000, "mae": 4.9}}),
        );
        let entries = vec![Entry::from_row(&nested, 50), entry];
        assert_eq!(
            best(&entries, SortKey::HitRate, 50).map(|e| e.name.as_str()),
            Some("V12_MONTHLY_FEB")
        );
        assert_eq!(
            best(&entries, SortKey::Mae, 50).map(|e| e.name.as_str()),
            Some("NESTED")
        );
    }

    #[test]
    fn a_flat_rate_out_of_range_is_a_problem_and_no_figure() {
        let row = row_with(
            "BROKEN",
            serde_json::json!({"mae": 5.0, "hit_rate_all": 5450, "bets_all": 100}),
        );
        let entry = Entry::from_row(&row, 50);
        assert_eq!(entry.hit_rate, None);
        assert_eq!(entry.samples, Some(100));
        assert_eq!(entry.problems.len(), 1);
        assert!(
            entry.problems[0].starts_with("results_json.hit_rate_all: hit rate out of range"),
            "{:?}",
            entry.problems
        );
    }
}
