//! The Experiments tab's state (the registry, the leaderboard's sort,
//! filter, selection and marks) and its update arm.

use super::{Mode, Outcome, Panel, Settings};
use crate::model::experiment::Status;
use crate::registry::leaderboard::{Filter, SortKey};
use crate::tui::action::{Action, Effect, ExperimentsData};
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::BTreeSet;

/// What the Experiments tab holds.
#[derive(Debug, Default)]
pub struct ExperimentsTab {
    pub panel: Panel<ExperimentsData>,
    pub board: LeaderboardState,
    /// Where the table's rows were drawn, for mouse hits.
    pub table_body: Cell<Rect>,
    /// The first line shown of the detail pane.
    pub detail_scroll: usize,
}

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
const STATUS_FILTERS: [Option<Status>; 7] = [
    None,
    Some(Status::Completed),
    Some(Status::Promoted),
    Some(Status::Running),
    Some(Status::Pending),
    Some(Status::Failed),
    Some(Status::Archived),
];

impl ExperimentsTab {
    /// Moves the selection by `delta` rows, kept within the visible rows.
    pub fn move_row(&mut self, delta: i64, min_samples: u64) {
        let count = self.visible_entries(min_samples).len();
        self.detail_scroll = 0;
        if count == 0 {
            self.board.selected = 0;
            return;
        }
        let current = self.board.selected.min(count - 1) as i64;
        self.board.selected = (current + delta).clamp(0, count as i64 - 1) as usize;
    }

    /// A click in the table selects the row under it.
    pub fn click(&mut self, column: u16, row: u16, min_samples: u64) {
        let body = self.table_body.get();
        let Some(index) = crate::tui::geometry::clicked_row(body, self.board.selected, column, row)
        else {
            return;
        };
        self.board.selected = index;
        self.move_row(0, min_samples);
    }

    /// The tab's keys; `page` is the rows of a page.
    pub fn update(&mut self, action: &Action, settings: &Settings, page: usize) -> Outcome {
        let min_samples = settings.min_samples();
        let board = &mut self.board;
        match action {
            Action::Up | Action::ScrollUp => self.move_row(-1, min_samples),
            Action::Down | Action::ScrollDown => self.move_row(1, min_samples),
            Action::PageUp => self.move_row(-(page as i64), min_samples),
            Action::PageDown => self.move_row(page as i64, min_samples),
            Action::Enter => board.show_detail = !board.show_detail,
            Action::ScrollDetail(lines) => {
                self.detail_scroll = (self.detail_scroll as i64 + lines).max(0) as usize;
            }
            // Esc clears a search kept with Enter, before anything else.
            Action::Back if !board.filter.search.is_empty() => {
                board.filter.search.clear();
                return Outcome::Notice("search cleared".to_string());
            }
            Action::Compare if board.marked.len() >= 2 => {
                return Outcome::Open(Mode::Compare { scroll: 0 });
            }
            Action::Compare => {
                return Outcome::Notice(
                    "mark two or more experiments with Space, then press c".to_string(),
                );
            }
            Action::Promote if settings.read_only => {
                return Outcome::Notice("read-only mode: promotion is disabled".to_string());
            }
            Action::Promote => {
                return match self.promote_plan(settings) {
                    Some(Ok(plan)) => Outcome::Open(Mode::ConfirmPromote(plan)),
                    Some(Err(refusal)) => Outcome::Notice(refusal),
                    None => Outcome::Done,
                };
            }
            Action::Archive | Action::Rollback | Action::Approve if settings.read_only => {
                return Outcome::Notice(
                    "read-only mode: registry changes are disabled".to_string(),
                );
            }
            Action::Archive | Action::Rollback | Action::Approve => {
                return match self.registry_change(action, settings) {
                    Ok(change) => Outcome::Open(Mode::ConfirmTyped {
                        change,
                        typed: String::new(),
                    }),
                    Err(refusal) => Outcome::Notice(refusal),
                };
            }
            Action::GapOfSelected => {
                return self
                    .selected_entry(min_samples)
                    .map_or(Outcome::Done, |entry| Outcome::Analyse(entry.id));
            }
            Action::CopyId => {
                return self
                    .selected_entry(min_samples)
                    .map_or(Outcome::Done, |entry| {
                        Outcome::Effects(vec![Effect::Copy {
                            what: format!("experiment id of {}", entry.name),
                            text: entry.id,
                        }])
                    });
            }
            Action::StartSearch => return Outcome::Open(Mode::Search),
            Action::Mark => {
                if let Some(entry) = self.selected_entry(min_samples) {
                    let marked = &mut self.board.marked;
                    if !marked.remove(&entry.id) {
                        marked.insert(entry.id);
                    }
                }
            }
            Action::CycleSort => {
                board.sort = board.sort.next();
                board.descending = board.sort.descending_by_default();
            }
            Action::ReverseSort => board.descending = !board.descending,
            Action::CycleStatusFilter => {
                let index = STATUS_FILTERS
                    .iter()
                    .position(|status| *status == board.filter.status)
                    .unwrap_or(0);
                board.filter.status = STATUS_FILTERS[(index + 1) % STATUS_FILTERS.len()];
                board.selected = 0;
            }
            Action::ToggleHidden => {
                board.filter.show_hidden = !board.filter.show_hidden;
                board.selected = 0;
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }
}
