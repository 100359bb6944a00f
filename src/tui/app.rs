//! The dashboard's state and its one update function: `update(Action) ->
//! Vec<Effect>`. Nothing here touches the terminal, the network or the clock;
//! time arrives as `Tick` actions, data as `Loaded` actions.

use super::action::{
    Action, ComparisonData, DashboardData, Effect, ExperimentsData, Fetch, GapData, Payload,
    Selection, Tab,
};
use super::keymap::Keymap;
use super::theme::Theme;
use crate::model::experiment::Status;
use crate::registry::leaderboard::{self, Entry, Filter, SortKey};
use chrono::{DateTime, Days, NaiveDate, Utc};
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::BTreeSet;

/// One panel's data: the last good value, when it arrived, the fetch in
/// flight and the last error (shown in place, the data kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel<T> {
    pub data: Option<T>,
    pub loaded_at: Option<DateTime<Utc>>,
    pub pending: Option<u64>,
    pub error: Option<String>,
}

impl<T> Panel<T> {
    fn loaded(data: T, at: DateTime<Utc>) -> Self {
        Panel {
            data: Some(data),
            loaded_at: Some(at),
            pending: None,
            error: None,
        }
    }

    /// The source had not changed: the data on screen is current as of `at`.
    fn unchanged(&mut self, at: DateTime<Utc>) {
        self.pending = None;
        self.loaded_at = Some(at);
        self.error = None;
    }

    /// The fetch failed: keep the last good data, show the error.
    fn failed(&mut self, error: String) {
        self.pending = None;
        self.error = Some(error);
    }
}

impl<T> Default for Panel<T> {
    fn default() -> Self {
        Panel {
            data: None,
            loaded_at: None,
            pending: None,
            error: None,
        }
    }
}

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

/// Everything the dashboard shows.
#[derive(Debug)]
pub struct App {
    pub tab: Tab,
    pub selection: Selection,
    /// The latest date with graded rows ("today" for live data).
    pub latest_date: Option<NaiveDate>,
    pub systems: Vec<String>,
    pub source_label: String,
    pub is_demo: bool,
    pub refresh_secs: u64,
    pub read_only: bool,
    pub min_samples: u64,
    pub break_even_pct: f64,
    pub thresholds: crate::config::Thresholds,
    pub production_system: String,
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
    pub leaderboard: LeaderboardState,
    pub themes: Vec<Theme>,
    pub theme_index: usize,
    pub keymap: Keymap,
    pub notice: Option<String>,
    pub should_quit: bool,
    next_request: u64,
    /// Screen areas from the last frame, for mouse hits.
    pub tab_bar: Cell<Rect>,
    pub table_body: Cell<Rect>,
}

/// What the app starts from.
pub struct AppSetup {
    pub selection: Selection,
    pub latest_date: Option<NaiveDate>,
    pub systems: Vec<String>,
    pub source_label: String,
    pub is_demo: bool,
    pub refresh_secs: u64,
    pub read_only: bool,
    pub min_samples: u64,
    pub break_even_pct: f64,
    pub thresholds: crate::config::Thresholds,
    pub production_system: String,
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
            source_label: setup.source_label,
            is_demo: setup.is_demo,
            refresh_secs: setup.refresh_secs.max(1),
            read_only: setup.read_only,
            min_samples: setup.min_samples,
            break_even_pct: setup.break_even_pct,
            thresholds: setup.thresholds,
            production_system: setup.production_system,
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
            leaderboard: LeaderboardState::default(),
            themes: setup.themes,
            theme_index,
            keymap: setup.keymap,
            notice: None,
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

    /// The pending request of `what`.
    fn pending_mut(&mut self, what: Fetch) -> &mut Option<u64> {
        match what {
            Fetch::Dashboard => &mut self.dashboard.pending,
            Fetch::Comparison => &mut self.comparison.pending,
            Fetch::Experiments => &mut self.experiments.pending,
            Fetch::Gap => &mut self.gap.pending,
        }
    }

    /// The data version on screen for `what`, when it answers the current selection.
    fn version_on_screen(&self, what: Fetch) -> Option<String> {
        match what {
            Fetch::Dashboard => self
                .dashboard
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
            Fetch::Comparison => self
                .comparison
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
            Fetch::Experiments => self
                .experiments
                .data
                .as_ref()
                .and_then(|data| data.version.clone()),
            Fetch::Gap => self
                .gap
                .data
                .as_ref()
                .filter(|data| Some(&data.experiment_id) == self.gap_experiment.as_ref())
                .and_then(|data| data.version.clone()),
        }
    }

    /// A new request for `what`; the previous one of the same kind is superseded
    /// (the runtime aborts it, and its late answer is dropped here). Data already
    /// on screen for this selection is not recomputed if the source is unchanged.
    fn fetch(&mut self, what: Fetch) -> Vec<Effect> {
        self.next_request += 1;
        let request = self.next_request;
        *self.pending_mut(what) = Some(request);
        vec![Effect::Fetch {
            what,
            request,
            selection: self.selection.clone(),
            unless_version: self.version_on_screen(what),
            experiment: self.gap_experiment.clone().filter(|_| what == Fetch::Gap),
        }]
    }

    /// Fetches everything that depends on the selection.
    fn fetch_selection(&mut self) -> Vec<Effect> {
        let mut effects = self.fetch(Fetch::Dashboard);
        effects.extend(self.fetch(Fetch::Comparison));
        effects
    }

    /// A refresh that never overlaps one already running.
    fn refresh(&mut self, what: Fetch) -> Vec<Effect> {
        if self.pending_mut(what).is_some() {
            return Vec::new();
        }
        self.fetch(what)
    }

    /// Refreshes every panel.
    fn refresh_all(&mut self) -> Vec<Effect> {
        let mut kinds = vec![Fetch::Dashboard, Fetch::Comparison, Fetch::Experiments];
        if self.gap_experiment.is_some() {
            kinds.push(Fetch::Gap);
        }
        kinds
            .into_iter()
            .flat_map(|what| self.refresh(what))
            .collect()
    }

    /// Loads the Gap tab's analysis when its experiment is not the one on screen.
    fn ensure_gap(&mut self) -> Vec<Effect> {
        let on_screen = self.gap.data.as_ref().map(|data| &data.experiment_id);
        if self.gap_experiment.is_none() || on_screen == self.gap_experiment.as_ref() {
            return Vec::new();
        }
        self.gap_cursor = 0;
        self.fetch(Fetch::Gap)
    }

    /// Experiments the Gap tab can analyse, by name.
    pub fn gap_candidates(&self) -> Vec<Entry> {
        let Some(data) = &self.experiments.data else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = self
            .all_entries()
            .into_iter()
            .filter(|entry| data.with_backtest.contains(&entry.id))
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries
    }

    /// The default experiment of the Gap tab: the best completed one with a backtest.
    fn default_gap_experiment(&self) -> Option<String> {
        let candidates = self.gap_candidates();
        leaderboard::best(&candidates, SortKey::HitRate, 0)
            .or_else(|| candidates.first())
            .map(|entry| entry.id.clone())
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
            .is_some_and(|age| age > 2 * self.refresh_secs as i64)
    }

    pub fn is_loading(&self) -> bool {
        self.dashboard.pending.is_some()
            || self.comparison.pending.is_some()
            || self.experiments.pending.is_some()
    }

    /// When live refresh will next run (`None` when paused or loading).
    pub fn next_refresh_at(&self) -> Option<DateTime<Utc>> {
        if self.paused || self.is_loading() {
            return None;
        }
        self.dashboard
            .loaded_at
            .map(|at| at + chrono::Duration::seconds(self.refresh_secs as i64))
    }

    /// The leaderboard rows after filter and sort.
    pub fn visible_entries(&self) -> Vec<Entry> {
        let Some(data) = &self.experiments.data else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = data
            .experiments
            .iter()
            .map(|row| Entry::from_row(row, self.min_samples))
            .filter(|entry| self.leaderboard.filter.keeps(entry))
            .collect();
        leaderboard::sort(
            &mut entries,
            self.leaderboard.sort,
            self.leaderboard.descending,
        );
        entries
    }

    /// All entries (for lineage lookups).
    pub fn all_entries(&self) -> Vec<Entry> {
        self.experiments
            .data
            .as_ref()
            .map(|data| {
                data.experiments
                    .iter()
                    .map(|row| Entry::from_row(row, self.min_samples))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn selected_entry(&self) -> Option<Entry> {
        self.visible_entries()
            .into_iter()
            .nth(self.leaderboard.selected)
    }

    /// The selected experiment's promotion plan (registry::promotion):
    /// refused unless completed; what it archives; the guard rails it fails.
    fn promote_plan(&mut self) -> Option<PromotePlan> {
        let entry = self.selected_entry()?;
        let data = self.experiments.data.as_ref()?;
        let row = data
            .experiments
            .iter()
            .find(|r| r.experiment_id == entry.id)?;
        match crate::registry::promotion::plan(
            &data.experiments,
            row,
            &self.production_system,
            &self.thresholds,
        ) {
            Ok(plan) => Some(plan),
            Err(refusal) => {
                self.notice = Some(refusal.to_string());
                None
            }
        }
    }

    /// The marked experiments in leaderboard order.
    pub fn marked_entries(&self) -> Vec<Entry> {
        self.visible_entries()
            .into_iter()
            .filter(|e| self.leaderboard.marked.contains(&e.id))
            .collect()
    }

    /// Work a tab needs when it comes into view.
    fn entered_tab(&mut self) -> Vec<Effect> {
        if self.tab == Tab::Gap {
            self.ensure_gap()
        } else {
            Vec::new()
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
                    Action::Quit => self.update_normal(Action::Quit),
                    Action::Loaded { .. }
                    | Action::Tick(_)
                    | Action::Resize
                    | Action::Notice(_) => self.update_normal(action),
                    _ => Vec::new(),
                };
            }
            (Mode::Compare, _) => {
                return match action {
                    Action::Back | Action::Compare | Action::Enter => {
                        self.mode = Mode::Normal;
                        Vec::new()
                    }
                    Action::Quit
                    | Action::Loaded { .. }
                    | Action::Tick(_)
                    | Action::Resize
                    | Action::Notice(_)
                    | Action::Promoted(_) => self.update_normal(action),
                    _ => Vec::new(),
                };
            }
            (Mode::ConfirmPromote(plan), _) => {
                let plan = plan.clone();
                return match action {
                    Action::Confirm => {
                        self.mode = Mode::Normal;
                        self.notice = Some(format!("promoting {}…", plan.experiment_name));
                        vec![Effect::Promote { plan, force: true }]
                    }
                    Action::Back => {
                        self.mode = Mode::Normal;
                        self.notice = Some("promotion cancelled".to_string());
                        Vec::new()
                    }
                    Action::Quit
                    | Action::Loaded { .. }
                    | Action::Tick(_)
                    | Action::Resize
                    | Action::Notice(_)
                    | Action::Promoted(_) => self.update_normal(action),
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

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
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
                if self.read_only {
                    self.notice = Some("read-only mode: promotion is disabled".to_string());
                } else if let Some(plan) = self.promote_plan() {
                    self.mode = Mode::ConfirmPromote(plan);
                }
                Vec::new()
            }
            Action::Confirm => Vec::new(),
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
            Action::Export => match super::export::current_table(
                self.tab,
                self.dashboard.data.as_ref(),
                self.experiments
                    .data
                    .as_ref()
                    .map(|_| self.visible_entries())
                    .as_deref(),
                &self.leaderboard.marked,
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

    fn loaded(
        &mut self,
        what: Fetch,
        request: u64,
        at: DateTime<Utc>,
        result: Result<Payload, String>,
    ) {
        // A late answer for a superseded request (an old date or system) is dropped.
        if *self.pending_mut(what) != Some(request) {
            return;
        }
        match result {
            Ok(Payload::Dashboard(data)) => {
                if !data.systems.is_empty() {
                    self.systems = data.systems.clone();
                }
                self.dashboard = Panel::loaded(*data, at);
            }
            Ok(Payload::Comparison(data)) => self.comparison = Panel::loaded(*data, at),
            Ok(Payload::Experiments(data)) => {
                self.experiments = Panel::loaded(*data, at);
                let count = self.visible_entries().len();
                self.leaderboard.selected = self.leaderboard.selected.min(count.saturating_sub(1));
                if self.gap_experiment.is_none() {
                    self.gap_experiment = self.default_gap_experiment();
                }
            }
            Ok(Payload::Gap(data)) => self.gap = Panel::loaded(*data, at),
            Ok(Payload::Unchanged) => match what {
                Fetch::Dashboard => self.dashboard.unchanged(at),
                Fetch::Comparison => self.comparison.unchanged(at),
                Fetch::Experiments => self.experiments.unchanged(at),
                Fetch::Gap => self.gap.unchanged(at),
            },
            Err(error) => match what {
                Fetch::Dashboard => self.dashboard.failed(error),
                Fetch::Comparison => self.comparison.failed(error),
                Fetch::Experiments => self.experiments.failed(error),
                Fetch::Gap => self.gap.failed(error),
            },
        }
    }

    fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let bar = self.tab_bar.get();
        if row == bar.y && column >= bar.x && column < bar.x + bar.width {
            // Tabs are drawn as " N Title " separated by one cell.
            let mut x = bar.x;
            for tab in Tab::ALL {
                let width = super::geometry::tab_label(tab).chars().count() as u16 + 1;
                if column < x + width {
                    self.tab = tab;
                    return Vec::new();
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
                super::geometry::table_offset(self.leaderboard.selected, body.height as usize);
            self.leaderboard.selected = offset + (row - body.y) as usize;
            self.move_row(0);
        }
        Vec::new()
    }
}
