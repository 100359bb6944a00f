//! The warm path of the day stats: the last answer kept with the data
//! version it was computed from. A refresh of an unchanged store (the
//! dashboard's clock, each round of `watch`) asks the same question of the
//! same data and gets the kept answer in microseconds instead of a pass over
//! every row; any write changes the version (the file's or its write-ahead
//! log's size and modification time) and the next question is answered
//! afresh.

use crate::model::DayStatsBundle;
use crate::source::DayStatsQuery;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The store's data version: size and modification time (ns) of the
/// database file and of its write-ahead log. Every commit touches one.
pub fn data_version(path: &Path) -> Option<String> {
    let stamp = |path: &Path| {
        std::fs::metadata(path).ok().map(|meta| {
            let modified = meta
                .modified()
                .ok()
                .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |at| at.as_nanos());
            format!("{}@{modified}", meta.len())
        })
    };
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().to_string())
    ));
    stamp(path).map(|db| format!("{db}/{}", stamp(&wal).unwrap_or_default()))
}

/// The last day-stats answer, with its question and data version.
#[derive(Debug, Clone, Default)]
pub struct WarmDayStats {
    kept: Arc<Mutex<Option<Kept>>>,
}

#[derive(Debug)]
struct Kept {
    version: String,
    query: DayStatsQuery,
    bundle: DayStatsBundle,
}

impl WarmDayStats {
    /// The kept answer when `query` was asked of data still at `version`.
    pub fn get(&self, version: &str, query: &DayStatsQuery) -> Option<DayStatsBundle> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|kept| kept.version == version && kept.query == *query)
            .map(|kept| kept.bundle.clone())
    }

    /// Keeps `bundle` as the answer to `query` at `version`.
    pub fn keep(&self, version: String, query: DayStatsQuery, bundle: &DayStatsBundle) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(Kept {
                version,
                query,
                bundle: bundle.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Thresholds;

    #[test]
    fn an_answer_is_kept_for_its_question_and_version_only() {
        let warm = WarmDayStats::default();
        let day = |d: &str| d.parse().unwrap();
        let query = DayStatsQuery::new(
            day("2026-01-01"),
            day("2026-01-31"),
            None,
            &Thresholds::default(),
        );
        let bundle = DayStatsBundle {
            promotions: Vec::new(),
            pregame: None,
            from: Some(query.from),
            ..Default::default()
        };
        assert_eq!(warm.get("v1", &query), None);
        warm.keep("v1".to_string(), query.clone(), &bundle);
        assert_eq!(warm.get("v1", &query), Some(bundle));
        assert_eq!(warm.get("v2", &query), None, "a write changes the version");
        let other = DayStatsQuery {
            to: day("2026-02-01"),
            ..query
        };
        assert_eq!(warm.get("v1", &other), None, "another question");
    }

    #[test]
    fn a_write_changes_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        assert_eq!(data_version(&path), None);
        std::fs::write(&path, b"one").unwrap();
        let first = data_version(&path).unwrap();
        std::fs::write(&path, b"three").unwrap();
        assert_ne!(data_version(&path).unwrap(), first);
    }
}
