//! The update arm of the normal mode: every key's action on the screen the
//! user is looking at, and mouse hits.

use super::leaderboard_state::STATUS_FILTERS;
use super::{App, Mode};
use crate::tui::action::{Action, Effect, Fetch, Selection, Tab};

impl App {
    pub(super) fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.should_quit = true;
                vec![Effect::Quit]
            }
            Action::NextTab => {
                self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()];
                self.entered_tab()
            }
            Action::PreviousTab => {
                self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()];
                self.entered_tab()
            }
            Action::SelectTab(tab) => {
                self.tab = tab;
                self.entered_tab()
            }
            Action::Compare => {
                if self.leaderboard.marked.len() >= 2 {
                    self.mode = Mode::Compare;
                } else {
                    self.notice =
                        Some("mark two or more experiments with Space, then press c".to_string());
                }
                Vec::new()
            }
            Action::Promote => {
                if self.settings.read_only {
                    self.notice = Some("read-only mode: promotion is disabled".to_string());
                } else if let Some(plan) = self.promote_plan() {
                    self.notice = None;
                    self.mode = Mode::ConfirmPromote(plan);
                }
                Vec::new()
            }
            Action::Confirm | Action::ConfirmForce => Vec::new(),
            Action::Replanned(plan) => {
                self.notice = Some(
                    "the registry changed while the dialog was open: check what it archives now and confirm again"
                        .to_string(),
                );
                self.force_typed = None;
                self.mode = Mode::ConfirmPromote(plan);
                self.fetch(Fetch::Experiments)
            }
            Action::Promoted(result) => {
                self.notice = Some(match result {
                    Ok(message) => message,
                    Err(error) => format!("promotion failed: {error}"),
                });
                self.fetch(Fetch::Experiments)
            }
            Action::GapOfSelected => match self.selected_entry() {
                Some(entry) => {
                    self.gap_experiment = Some(entry.id);
                    self.tab = Tab::Gap;
                    self.ensure_gap()
                }
                None => Vec::new(),
            },
            Action::CycleGapExperiment(step) => {
                let candidates = self.gap_candidates();
                if candidates.is_empty() {
                    self.notice = Some("no experiment has backtest rows".to_string());
                    return Vec::new();
                }
                let current = candidates
                    .iter()
                    .position(|e| Some(&e.id) == self.gap_experiment.as_ref())
                    .unwrap_or(0) as i64;
                let next = (current + step).rem_euclid(candidates.len() as i64) as usize;
                self.gap_experiment = Some(candidates[next].id.clone());
                self.ensure_gap()
            }
            Action::CycleChallenger(step) => {
                let candidates = self.challenger_candidates();
                if candidates.is_empty() {
                    self.notice = Some(format!(
                        "no other system or backtested experiment to compare {} with",
                        self.selection.system
                    ));
                    return Vec::new();
                }
                let current = candidates
                    .iter()
                    .position(|c| Some(c) == self.challenger.as_ref());
                let next = match current {
                    Some(index) => (index as i64 + step).rem_euclid(candidates.len() as i64),
                    None if step >= 0 => 0,
                    None => candidates.len() as i64 - 1,
                } as usize;
                self.challenger = Some(candidates[next].clone());
                self.ensure_current(Fetch::Versus)
            }
            Action::Refresh => self.refresh_all(),
            Action::TogglePause => {
                self.paused = !self.paused;
                Vec::new()
            }
            Action::ToggleHelp => {
                self.show_help = !self.show_help;
                Vec::new()
            }
            Action::MoveDate(days) => self.move_date(days),
            Action::Today => {
                let today = self.latest_date.unwrap_or_else(|| self.now.date_naive());
                self.select(Selection {
                    date: today,
                    system: self.selection.system.clone(),
                })
            }
            Action::OpenSystemPicker => {
                if !self.systems.is_empty() {
                    let index = self
                        .systems
                        .iter()
                        .position(|s| *s == self.selection.system)
                        .unwrap_or(0);
                    self.mode = Mode::SystemPicker { index };
                }
                Vec::new()
            }
            Action::Up | Action::ScrollUp if self.tab == Tab::Gap => {
                self.gap_cursor = self.gap_cursor.saturating_sub(1);
                Vec::new()
            }
            Action::Down | Action::ScrollDown if self.tab == Tab::Gap => {
                let count = self
                    .gap
                    .data
                    .as_ref()
                    .map_or(0, |d| d.report.missing_dates.len());
                self.gap_cursor = (self.gap_cursor + 1).min(count.saturating_sub(1));
                Vec::new()
            }
            Action::Up | Action::ScrollUp if self.tab == Tab::Splits => {
                self.splits_scroll = self.splits_scroll.saturating_sub(1);
                Vec::new()
            }
            Action::Down | Action::ScrollDown if self.tab == Tab::Splits => {
                let count = self.splits.data.as_ref().map_or(0, |d| d.report.rows.len());
                self.splits_scroll = (self.splits_scroll + 1).min(count.saturating_sub(1));
                Vec::new()
            }
            Action::Up | Action::ScrollUp => {
                self.move_row(-1);
                Vec::new()
            }
            Action::Down | Action::ScrollDown => {
                self.move_row(1);
                Vec::new()
            }
            Action::Enter if self.tab == Tab::Gap => {
                // Jump the Overview to the highlighted missing date.
                let date = self
                    .gap
                    .data
                    .as_ref()
                    .and_then(|d| d.report.missing_dates.get(self.gap_cursor))
                    .map(|m| m.game_date);
                match date {
                    Some(date) => {
                        self.tab = Tab::Overview;
                        self.select(Selection {
                            date,
                            system: self.selection.system.clone(),
                        })
                    }
                    None => Vec::new(),
                }
            }
            Action::Enter => {
                if self.tab == Tab::Experiments {
                    self.leaderboard.show_detail = !self.leaderboard.show_detail;
                }
                Vec::new()
            }
            Action::Back => {
                self.notice = None;
                Vec::new()
            }
            Action::StartSearch => {
                self.tab = Tab::Experiments;
                self.mode = Mode::Search;
                Vec::new()
            }
            Action::SearchInput(_) | Action::SearchBackspace => Vec::new(),
            Action::Mark => {
                if let Some(entry) = self.selected_entry()
                    && !self.leaderboard.marked.remove(&entry.id)
                {
                    self.leaderboard.marked.insert(entry.id);
                }
                Vec::new()
            }
            Action::CycleSort => {
                self.leaderboard.sort = self.leaderboard.sort.next();
                self.leaderboard.descending = self.leaderboard.sort.descending_by_default();
                Vec::new()
            }
            Action::ReverseSort => {
                self.leaderboard.descending = !self.leaderboard.descending;
                Vec::new()
            }
            Action::CycleStatusFilter => {
                let current = self.leaderboard.filter.status;
                let index = STATUS_FILTERS
                    .iter()
                    .position(|status| *status == current)
                    .unwrap_or(0);
                let next = STATUS_FILTERS[(index + 1) % STATUS_FILTERS.len()];
                self.leaderboard.filter.status = next;
                self.leaderboard.selected = 0;
                Vec::new()
            }
            Action::ToggleHidden => {
                self.leaderboard.filter.show_hidden = !self.leaderboard.filter.show_hidden;
                self.leaderboard.selected = 0;
                Vec::new()
            }
            Action::Export => match crate::tui::export::current_table(
                self.tab,
                self.dashboard.data.as_ref(),
                self.experiments
                    .data
                    .as_ref()
                    .map(|_| self.visible_entries())
                    .as_deref(),
                &self.leaderboard.marked,
                self.gap.data.as_ref(),
                self.versus.data.as_ref(),
                self.splits.data.as_ref(),
            ) {
                Some((file_name, contents)) => vec![Effect::ExportCsv {
                    file_name,
                    contents,
                }],
                None => {
                    self.notice = Some("nothing to export on this tab yet".to_string());
                    Vec::new()
                }
            },
            Action::NextTheme => {
                self.theme_index = (self.theme_index + 1) % self.themes.len().max(1);
                self.notice = Some(format!("theme: {}", self.theme().name));
                Vec::new()
            }
            Action::Click(column, row) => self.click(column, row),
            Action::Resize => Vec::new(),
            Action::Tick(now) => {
                self.now = now;
                let due = self.next_refresh_at().is_some_and(|at| at <= now);
                if due { self.refresh_all() } else { Vec::new() }
            }
            Action::Loaded {
                what,
                request,
                at,
                result,
            } => {
                self.loaded(what, request, at, result);
                // The registry may have just told the Gap tab what to analyse.
                if what == Fetch::Experiments {
                    self.entered_tab()
                } else {
                    Vec::new()
                }
            }
            Action::Notice(text) => {
                self.notice = Some(text);
                Vec::new()
            }
        }
    }

    pub(super) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let bar = self.tab_bar.get();
        if row == bar.y && column >= bar.x && column < bar.x + bar.width {
            // Tabs are drawn as " N Title " separated by one cell.
            let mut x = bar.x;
            for (tab, label) in Tab::ALL
                .into_iter()
                .zip(crate::tui::geometry::tab_labels(bar.width))
            {
                let width = label.chars().count() as u16 + 1;
                if column < x + width {
                    self.tab = tab;
                    return self.entered_tab();
                }
                x += width;
            }
            return Vec::new();
        }
        let body = self.table_body.get();
        if self.tab == Tab::Experiments
            && row >= body.y
            && row < body.y + body.height
            && column >= body.x
            && column < body.x + body.width
        {
            let offset =
                crate::tui::geometry::table_offset(self.leaderboard.selected, body.height as usize);
            self.leaderboard.selected = offset + (row - body.y) as usize;
            self.move_row(0);
        }
        Vec::new()
    }
}
