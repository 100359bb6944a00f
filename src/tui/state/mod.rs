//! What the dashboard holds, below the app that composes it: each tab's
//! state with its update arm (a tab never sees the app: it gets what it
//! needs and answers with an [`Outcome`]), the panels, the dialogs
//! ([`Mode`]) and the fixed settings.

pub mod cursor;
pub mod entries;
pub mod experiments;
pub mod gap;
pub mod level_change;
pub mod overview;
pub mod panel;
pub mod place;
pub mod splits;
pub mod tonight;
pub mod versus;

pub use panel::Panel;
pub use place::Place;

use super::action::{Effect, Fetch};
use chrono::NaiveDate;

/// What a tab asks of the app after it took an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not this tab's action: the app handles it.
    Ignored,
    /// Handled, nothing more to do.
    Done,
    /// Handled: carry out these effects.
    Effects(Vec<Effect>),
    /// Load `what` for the current selection.
    Fetch(Fetch),
    /// Load the Versus comparison unless what is on screen answers it.
    EnsureVersus,
    /// Show the Overview on this date.
    ShowDate(NaiveDate),
    /// Analyse this experiment on the Gap tab.
    Analyse(String),
    /// Open a dialog.
    Open(Mode),
    /// Say this in the footer.
    Notice(String),
    /// Select this system (the date stays).
    SelectSystem(String),
}

/// Where keys go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    SystemPicker {
        index: usize,
    },
    /// The comparison of the marked experiments, scrolled by `scroll` lines.
    Compare {
        scroll: usize,
    },
    /// Asking before a promotion: what it archives and what the guard rails say.
    ConfirmPromote(crate::registry::promotion::PromotionPlan),
    /// The command line (`tui::palette`): a date to jump to (`2026-03-02`,
    /// `03-02`, `-7`, `+3`) or a command (`versus xgboost_v7`); `chosen` is
    /// the highlighted line of what matches.
    CommandLine {
        typed: String,
        chosen: usize,
    },
    /// The days around the selected date, per system, scrolled by `scroll`.
    DrillDown {
        scroll: usize,
    },
    /// A registry change confirmed by typing its name (archive, rollback, approve).
    ConfirmTyped {
        change: crate::service::registry_changes::RegistryChange,
        typed: String,
    },
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
    /// `promotion.require_approval`: promotions, rollbacks and archiving a
    /// promoted experiment are requests another actor approves.
    pub require_approval: bool,
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
