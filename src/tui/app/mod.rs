//! The dashboard's state and its one update function: `update(Action) ->
//! Vec<Effect>`. Nothing here touches the terminal, the network or the clock;
//! time arrives as `Tick` actions, data as `Loaded` actions.

use super::action::{
    Action, ComparisonData, DashboardData, Effect, ExperimentsData, Fetch, GapData, Selection,
    SplitsData, Tab, VersusData,
};
use super::keymap::Keymap;
use super::theme::Theme;
use chrono::{DateTime, Days, NaiveDate, Utc};
use ratatui::layout::Rect;
use std::cell::Cell;

mod entries;
mod fetching;
mod leaderboard_state;
mod normal;
mod panel;

pub use leaderboard_state::LeaderboardState;
pub use panel::Panel;

/// Where keys go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    SystemPicker {
        index: usize,
    },
    /// The comparison of the marked experiments.
    Compare,
    /// Asking before a promotion: what it archives and what the guard rails say.
    ConfirmPromote(PromotePlan),
}

pub use crate::registry::promotion::PromotionPlan as PromotePlan;

/// Everything the dashboard shows.
#[derive(Debug)]
pub struct App {
    pub tab: Tab,
    pub selection: Selection,
    /// The latest date with graded rows ("today" for live data).
    pub latest_date: Option<NaiveDate>,
    pub systems: Vec<String>,
    /// Fixed for the session: the source and the config it judges by.
    pub settings: Settings,
    pub paused: bool,
    pub show_help: bool,
    pub mode: Mode,
    pub now: DateTime<Utc>,
    pub dashboard: Panel<DashboardData>,
    pub comparison: Panel<ComparisonData>,
    pub experiments: Panel<ExperimentsData>,
    pub gap: Panel<GapData>,
    /// The experiment the Gap tab analyses.
    pub gap_experiment: Option<String>,
    /// The highlighted missing date in the Gap tab.
    pub gap_cursor: usize,
    /// The selected system against the challenger, on identical rows.
    pub versus: Panel<VersusData>,
    /// The Versus tab's side B (a system or an experiment id); `None` until
    /// the first answer names the default (a shadow system).
    pub challenger: Option<String>,
    pub splits: Panel<SplitsData>,
    /// The first split row shown (the table scrolls on small screens).
    pub splits_scroll: usize,
    pub leaderboard: LeaderboardState,
    pub themes: Vec<Theme>,
    pub theme_index: usize,
    pub keymap: Keymap,
    pub notice: Option<String>,
    /// What has been typed to force a promotion past failed guard rails
    /// (`Some` once `F` was pressed in the promote dialog).
    pub force_typed: Option<String>,
    pub should_quit: bool,
    next_request: u64,
    /// Screen areas from the last frame, for mouse hits.
    pub tab_bar: Cell<Rect>,
    pub table_body: Cell<Rect>,
}

/// What the dashboard runs with and never changes: where its data comes
/// from and the config it judges by.
#[derive(Debug, Clone)]
pub struct Settings {
    pub source_label: String,
    pub is_demo: bool,
    pub refresh_secs: u64,
    pub read_only: bool,
    pub thresholds: crate::config::Thresholds,
    pub production_system: String,
}

impl Settings {
    /// The smallest sample a verdict needs (`thresholds.min_bets`).
    pub fn min_samples(&self) -> u64 {
        self.thresholds.min_bets()
    }

    /// The break-even hit rate of the configured odds, in percent.
    pub fn break_even_pct(&self) -> f64 {
        self.thresholds.break_even_pct()
    }
}

/// What the app starts from.
pub struct AppSetup {
    pub settings: Settings,
    pub selection: Selection,
    pub latest_date: Option<NaiveDate>,
    pub systems: Vec<String>,
    pub themes: Vec<Theme>,
    pub theme_name: String,
    pub keymap: Keymap,
    pub now: DateTime<Utc>,
}

impl App {
    pub fn new(setup: AppSetup) -> App {
        let theme_index = setup
            .themes
            .iter()
            .position(|theme| theme.name == setup.theme_name)
            .unwrap_or(0);
        App {
            tab: Tab::Overview,
            selection: setup.selection,
            latest_date: setup.latest_date,
            systems: setup.systems,
            settings: Settings {
                refresh_secs: setup.settings.refresh_secs.max(1),
                ..setup.settings
            },
            paused: false,
            show_help: false,
            mode: Mode::Normal,
            now: setup.now,
            dashboard: Panel::default(),
            comparison: Panel::default(),
            experiments: Panel::default(),
            gap: Panel::default(),
            gap_experiment: None,
            gap_cursor: 0,
            versus: Panel::default(),
            challenger: None,
            splits: Panel::default(),
            splits_scroll: 0,
            leaderboard: LeaderboardState::default(),
            themes: setup.themes,
            theme_index,
            keymap: setup.keymap,
            notice: None,
            force_typed: None,
            should_quit: false,
            next_request: 0,
            tab_bar: Cell::new(Rect::default()),
            table_body: Cell::new(Rect::default()),
        }
    }

    /// The first fetches.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = self.fetch_selection();
        effects.extend(self.fetch(Fetch::Experiments));
        effects
    }

    pub fn theme(&self) -> &Theme {
        &self.themes[self.theme_index.min(self.themes.len().saturating_sub(1))]
    }

    /// Seconds since the dashboard data arrived.
    pub fn age_secs(&self) -> Option<i64> {
        self.dashboard
            .loaded_at
            .map(|at| (self.now - at).num_seconds().max(0))
    }

    /// The data is older than twice the refresh interval.
    pub fn is_stale(&self) -> bool {
        self.age_secs()
            .is_some_and(|age| age > 2 * self.settings.refresh_secs as i64)
    }

    pub fn is_loading(&self) -> bool {
        self.dashboard.pending.is_some()
            || self.comparison.pending.is_some()
            || self.experiments.pending.is_some()
            || self.versus.pending.is_some()
            || self.splits.pending.is_some()
    }

    /// When live refresh will next run (`None` when paused or loading).
    pub fn next_refresh_at(&self) -> Option<DateTime<Utc>> {
        if self.paused || self.is_loading() {
            return None;
        }
        self.dashboard
            .loaded_at
            .map(|at| at + chrono::Duration::seconds(self.settings.refresh_secs as i64))
    }

    /// Work a tab needs when it comes into view.
    fn entered_tab(&mut self) -> Vec<Effect> {
        match self.tab {
            Tab::Gap => self.ensure_gap(),
            Tab::Versus => self.ensure_current(Fetch::Versus),
            Tab::Splits => self.ensure_current(Fetch::Splits),
            _ => Vec::new(),
        }
    }

    fn move_date(&mut self, days: i64) -> Vec<Effect> {
        let moved = if days >= 0 {
            self.selection
                .date
                .checked_add_days(Days::new(days.unsigned_abs()))
        } else {
            self.selection
                .date
                .checked_sub_days(Days::new(days.unsigned_abs()))
        };
        match moved {
            Some(date) => self.select(Selection {
                date,
                system: self.selection.system.clone(),
            }),
            None => Vec::new(),
        }
    }

    /// A new selection cancels the fetch for the old one.
    fn select(&mut self, selection: Selection) -> Vec<Effect> {
        if selection == self.selection {
            return Vec::new();
        }
        self.selection = selection;
        self.fetch_selection()
    }

    fn move_row(&mut self, delta: i64) {
        let count = self.visible_entries().len();
        if count == 0 {
            self.leaderboard.selected = 0;
            return;
        }
        let current = self.leaderboard.selected.min(count - 1) as i64;
        self.leaderboard.selected = (current + delta).clamp(0, count as i64 - 1) as usize;
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // Modal input first: the picker and the search box own the keys.
        match (&self.mode, &action) {
            (Mode::SystemPicker { index }, _) => {
                let index = *index;
                return match action {
                    Action::Up | Action::ScrollUp => {
                        self.mode = Mode::SystemPicker {
                            index: index.saturating_sub(1),
                        };
                        Vec::new()
                    }
                    Action::Down | Action::ScrollDown => {
                        let last = self.systems.len().saturating_sub(1);
                        self.mode = Mode::SystemPicker {
                            index: (index + 1).min(last),
                        };
                        Vec::new()
                    }
                    Action::Enter => {
                        self.mode = Mode::Normal;
                        match self.systems.get(index).cloned() {
                            Some(system) => self.select(Selection {
                                date: self.selection.date,
                                system,
                            }),
                            None => Vec::new(),
                        }
                    }
                    Action::Back | Action::OpenSystemPicker => {
                        self.mode = Mode::Normal;
                        Vec::new()
                    }
                    action if action.passes_dialogs() => self.update_normal(action),
                    _ => Vec::new(),
                };
            }
            (Mode::Compare, _) => {
                return match action {
                    Action::Back | Action::Compare | Action::Enter => {
                        self.mode = Mode::Normal;
                        Vec::new()
                    }
                    action if action.passes_dialogs() => self.update_normal(action),
                    _ => Vec::new(),
                };
            }
            (Mode::ConfirmPromote(plan), _) => {
                let plan = plan.clone();
                let forced = !plan.warnings.is_empty();
                return match action {
                    // One key never forces past failed guard rails: that
                    // takes F and the word typed, as the CLI takes --force.
                    Action::Confirm if forced => {
                        self.notice = Some(
                            "guard rails failed: F then type force to promote anyway (recorded as forced), n cancels"
                                .to_string(),
                        );
                        Vec::new()
                    }
                    Action::ConfirmForce if forced && self.force_typed.is_none() => {
                        self.force_typed = Some(String::new());
                        self.notice = None;
                        Vec::new()
                    }
                    Action::SearchInput(c) if self.force_typed.is_some() => {
                        if let Some(typed) = &mut self.force_typed {
                            typed.push(c);
                        }
                        Vec::new()
                    }
                    Action::SearchBackspace if self.force_typed.is_some() => {
                        if let Some(typed) = &mut self.force_typed {
                            typed.pop();
                        }
                        Vec::new()
                    }
                    Action::Enter if self.force_typed.is_some() => {
                        if self.force_typed.as_deref() == Some("force") {
                            self.force_typed = None;
                            self.mode = Mode::Normal;
                            self.notice =
                                Some(format!("promoting {} (forced)…", plan.experiment_name));
                            vec![Effect::Promote { plan, force: true }]
                        } else {
                            self.notice =
                                Some("type the word force, then Enter (Esc cancels)".to_string());
                            Vec::new()
                        }
                    }
                    Action::Confirm | Action::ConfirmForce if !forced => {
                        self.mode = Mode::Normal;
                        self.notice = Some(format!("promoting {}…", plan.experiment_name));
                        vec![Effect::Promote { plan, force: false }]
                    }
                    Action::Back => {
                        self.force_typed = None;
                        self.mode = Mode::Normal;
                        self.notice = Some("promotion cancelled".to_string());
                        Vec::new()
                    }
                    action if action.passes_dialogs() => self.update_normal(action),
                    _ => Vec::new(),
                };
            }
            (Mode::Search, Action::SearchInput(c)) => {
                self.leaderboard.filter.search.push(*c);
                self.leaderboard.selected = 0;
                return Vec::new();
            }
            (Mode::Search, Action::SearchBackspace) => {
                self.leaderboard.filter.search.pop();
                self.leaderboard.selected = 0;
                return Vec::new();
            }
            (Mode::Search, Action::Enter | Action::Back) => {
                self.mode = Mode::Normal;
                return Vec::new();
            }
            _ => {}
        }
        if self.show_help && !matches!(action, Action::Loaded { .. } | Action::Tick(_)) {
            if matches!(action, Action::ToggleHelp | Action::Back | Action::Quit) {
                self.show_help = false;
                if action == Action::Quit {
                    return self.update_normal(Action::Quit);
                }
            }
            return Vec::new();
        }
        self.update_normal(action)
    }
}
