//! The leaderboard's view state (sort, filter, selection, marks) and the
//! status filters `f` cycles through.

use crate::model::experiment::Status;
use crate::registry::leaderboard::{Filter, SortKey};
use std::collections::BTreeSet;

/// Leaderboard view state.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardState {
    pub sort: SortKey,
    pub descending: bool,
    pub filter: Filter,
    pub selected: usize,
    pub marked: BTreeSet<String>,
    pub show_detail: bool,
}

impl Default for LeaderboardState {
    fn default() -> Self {
        LeaderboardState {
            sort: SortKey::HitRate,
            descending: true,
            filter: Filter::default(),
            selected: 0,
            marked: BTreeSet::new(),
            show_detail: true,
        }
    }
}

/// Status filters `f` cycles through (`None`: all but failed/archived).
pub(super) const STATUS_FILTERS: [Option<Status>; 7] = [
    None,
    Some(Status::Completed),
    Some(Status::Promoted),
    Some(Status::Running),
    Some(Status::Pending),
    Some(Status::Failed),
    Some(Status::Archived),
];
