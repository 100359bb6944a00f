//! The dashboard's state and its one update function: `update(Action) ->
//! Vec<Effect>`. Nothing here touches the terminal, the network or the clock;
//! time arrives as `Tick` actions, data as `Loaded` actions.

use super::action::{Action, ComparisonData, DashboardData, Effect, Fetch, Selection, Tab};
use super::keymap::{Context, Dialog, Keymap};
use super::state::experiments::ExperimentsTab;
use super::state::gap::GapTab;
use super::state::splits::SplitsTab;
use super::state::tonight::TonightTab;
use super::state::versus::VersusTab;
use super::theme::Theme;
use chrono::{DateTime, Days, NaiveDate, Utc};
use ratatui::layout::Rect;
use std::cell::Cell;

mod commands;
mod dialogs;
mod entries;
mod fetching;
mod following;
mod global;
mod tabs;

pub use crate::registry::promotion::PromotionPlan as PromotePlan;
pub use crate::tui::state::{Mode, Panel, Place, Settings};

/// Seconds the header says the selection moved to a new latest date by itself.
pub const MOVED_NOTE_SECS: i64 = 300;

/// Everything the dashboard shows.
#[derive(Debug)]
pub struct App {
    pub tab: Tab,
    pub selection: Selection,
    /// The latest date with graded rows of the selected system ("today" for
    /// live data), read again by every dashboard fetch.
    pub latest_date: Option<NaiveDate>,
    /// The selection follows the latest date: the user has not chosen a
    /// date (started without `--date`, or pressed `t` since choosing one).
    pub follows_latest: bool,
    /// What the header says after the selection followed a new latest date
    /// by itself, and when it moved (shown for [`MOVED_NOTE_SECS`]).
    pub followed: Option<(String, DateTime<Utc>)>,
    pub systems: Vec<String>,
    /// Fixed for the session: the source and the config it judges by.
    pub settings: Settings,
    pub paused: bool,
    /// When the last refresh of every panel was started (by the clock or `r`).
    pub last_refresh_at: Option<DateTime<Utc>>,
    pub show_help: bool,
    /// Lines of the help scrolled past (when it does not fit).
    pub help_scroll: usize,
    pub mode: Mode,
    pub now: DateTime<Utc>,
    /// The selected system's diagnostics and trend (Overview, Sharpness, Drift).
    pub dashboard: Panel<DashboardData>,
    /// The other systems' 7-day hit rates (the Overview's comparison rows).
    pub comparison: Panel<ComparisonData>,
    pub overview: crate::tui::state::overview::OverviewTab,
    pub experiments: ExperimentsTab,
    pub gap: GapTab,
    pub versus: VersusTab,
    pub splits: SplitsTab,
    pub tonight: TonightTab,
    /// The day the charts' value cursor stands on, as days before the
    /// selected date (`None`: no cursor).
    pub chart_cursor: Option<usize>,
    pub themes: Vec<Theme>,
    pub theme_index: usize,
    pub keymap: Keymap,
    pub notice: Option<String>,
    /// What has been typed to force a promotion past failed guard rails
    /// (`Some` once `F` was pressed in the promote dialog).
    pub force_typed: Option<String>,
    pub should_quit: bool,
    /// The promote dialog's figures of an experiment (`None` while they
    /// are worked out).
    pub promotion_figures: Option<(String, Vec<String>)>,
    /// Where each jump came from, the latest last (`Backspace` returns).
    pub back_stack: Vec<Place>,
    /// The selected system's last level change seen while open (the
    /// header's flash, the terminal's title).
    pub level_change: Option<crate::tui::state::level_change::LevelChange>,
    /// What BigQuery billed the dashboard today.
    pub billing: crate::tui::billing::BillingDay,
    next_request: u64,
    /// Screen areas from the last frame, for mouse hits and page sizes.
    pub tab_bar: Cell<Rect>,
    pub body: Cell<Rect>,
}

/// What the app starts from.
pub struct AppSetup {
    pub settings: Settings,
    pub selection: Selection,
    pub latest_date: Option<NaiveDate>,
    /// No date was given: the selection follows the latest date.
    pub follows_latest: bool,
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
            follows_latest: setup.follows_latest,
            followed: None,
            systems: setup.systems,
            settings: Settings {
                refresh_secs: setup.settings.refresh_secs.max(1),
                ..setup.settings
            },
            paused: false,
            last_refresh_at: None,
            show_help: false,
            help_scroll: 0,
            mode: Mode::Normal,
            now: setup.now,
            dashboard: Panel::default(),
            comparison: Panel::default(),
            overview: Default::default(),
            experiments: ExperimentsTab::default(),
            gap: GapTab::default(),
            versus: VersusTab::default(),
            splits: SplitsTab::default(),
            tonight: TonightTab::default(),
            chart_cursor: None,
            themes: setup.themes,
            theme_index,
            keymap: setup.keymap,
            notice: None,
            force_typed: None,
            should_quit: false,
            back_stack: Vec::new(),
            level_change: None,
            promotion_figures: None,
            billing: Default::default(),
            next_request: 0,
            tab_bar: Cell::new(Rect::default()),
            body: Cell::new(Rect::default()),
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
            || self.experiments.panel.pending.is_some()
            || self.versus.panel.pending.is_some()
            || self.splits.panel.pending.is_some()
            || self.tonight.panel.pending.is_some()
    }

    /// When live refresh will next run (`None` when paused or loading): an
    /// interval after the data arrived or the last refresh was tried,
    /// whichever is later, so a failing source is tried once an interval
    /// (not at every tick) and the time shown is never in the past.
    pub fn next_refresh_at(&self) -> Option<DateTime<Utc>> {
        if self.paused || self.is_loading() {
            return None;
        }
        let from = match (self.dashboard.loaded_at, self.last_refresh_at) {
            (Some(loaded), Some(tried)) => loaded.max(tried),
            (loaded, tried) => loaded.or(tried)?,
        };
        Some(from + chrono::Duration::seconds(self.settings.refresh_secs as i64))
    }

    /// Work a tab needs when it comes into view.
    pub(crate) fn entered_tab(&mut self) -> Vec<Effect> {
        match self.tab {
            Tab::Gap => {
                let ensure = self.gap.ensure();
                self.carry_out(ensure).unwrap_or_default()
            }
            Tab::Versus => self.ensure_current(Fetch::Versus),
            Tab::Splits => self.ensure_current(Fetch::Splits),
            // The slate reads the clock: fetched each time it comes into view.
            Tab::Tonight => self.refresh(Fetch::Tonight),
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
            Some(date) => self.choose_date(date),
            None => Vec::new(),
        }
    }

    /// A new selection cancels the fetch for the old one.
    pub(crate) fn select(&mut self, selection: Selection) -> Vec<Effect> {
        if selection == self.selection {
            return Vec::new();
        }
        self.selection = selection;
        self.fetch_selection()
    }

    /// What has the keys: the tab, or the dialog open over it.
    pub fn key_context(&self) -> Context {
        Context::Dialog(match &self.mode {
            Mode::Normal if self.show_help => Dialog::Help,
            Mode::Normal => return Context::Tab(self.tab),
            Mode::Search => Dialog::Search,
            Mode::SystemPicker { .. } => Dialog::Picker,
            Mode::Compare { .. } => Dialog::Compare,
            Mode::ConfirmPromote(_) if self.force_typed.is_some() => Dialog::TypeForce,
            Mode::ConfirmPromote(_) => Dialog::Promote,
            Mode::CommandLine { .. } => Dialog::CommandLine,
            Mode::DrillDown { .. } => Dialog::DrillDown,
            Mode::ConfirmTyped { .. } => Dialog::TypeName,
        })
    }

    /// Rows a page key moves: the tab body's height less its headings.
    pub(crate) fn page_rows(&self) -> usize {
        (self.body.get().height as usize).saturating_sub(4).max(1)
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // An open dialog owns the keys; what happens in the background
        // (answers, the clock) and quitting pass through.
        if self.mode != Mode::Normal {
            return match self.update_dialog(&action) {
                Some(effects) => effects,
                None if action.passes_dialogs() => self.update_global(action),
                None => Vec::new(),
            };
        }
        if self.show_help && !matches!(action, Action::Loaded { .. } | Action::Tick(_)) {
            let page = self.page_rows();
            match action {
                Action::ToggleHelp | Action::Back | Action::Quit => {
                    self.show_help = false;
                    self.help_scroll = 0;
                    if action == Action::Quit {
                        return self.update_global(Action::Quit);
                    }
                }
                // Bounded when drawn (`widgets::dialogs::help`).
                Action::ScrollUp | Action::Up => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                Action::ScrollDown | Action::Down => self.help_scroll += 1,
                Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(page),
                Action::PageDown => self.help_scroll += page,
                _ => {}
            }
            return Vec::new();
        }
        // The tab in view acts first on its own keys: a key never changes
        // what another tab shows.
        if let Some(effects) = self.update_tab(&action) {
            return effects;
        }
        self.update_global(action)
    }
}
