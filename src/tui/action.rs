//! Every user intent and every data arrival, as one enum, and the effects the
//! app asks the runtime to carry out.

use crate::model::detector::{CusumDay, CusumReport, DayKind};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::model::{Diagnostics, Rate};
use crate::service::alerts::AlertFigures;
use chrono::{DateTime, NaiveDate, Utc};

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Sharpness,
    Drift,
    Experiments,
    Gap,
    Versus,
    Splits,
    Tonight,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Overview,
        Tab::Sharpness,
        Tab::Drift,
        Tab::Experiments,
        Tab::Gap,
        Tab::Versus,
        Tab::Splits,
        Tab::Tonight,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Sharpness => "Sharpness",
            Tab::Drift => "Drift",
            Tab::Experiments => "Experiments",
            Tab::Gap => "Backtest gap",
            Tab::Versus => "Versus",
            Tab::Splits => "Splits",
            Tab::Tonight => "Tonight",
        }
    }

    /// The title on a narrow tab bar.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Overview => "Over",
            Tab::Sharpness => "Sharp",
            Tab::Versus => "Vs",
            Tab::Experiments => "Exps",
            Tab::Gap => "Gap",
            tab => tab.title(),
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0)
    }
}

/// The analysis selection a fetch answers for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub date: NaiveDate,
    pub system: String,
}

/// What a fetch loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fetch {
    /// The selected system: its diagnostics and trend.
    Dashboard,
    /// The other systems' 7-day hit rates, for comparison.
    Comparison,
    Experiments,
    /// The backtest-vs-production analysis of one experiment.
    Gap,
    /// The selected system against a challenger on identical rows.
    Versus,
    /// The selected system's splits over the 30 days ending at the date.
    Splits,
    /// Tonight's slate (today in the config's time zone, at the game-day clock).
    Tonight,
}

/// One system's recent days: `None` where it has no graded rows that day.
pub type Trend = Vec<(NaiveDate, Option<Diagnostics>)>;

/// One system's 7-day hit rate per recent day (`None`: no games that day).
pub type RateTrend = Vec<(NaiveDate, Option<Rate>)>;

/// Diagnostics of the selection plus its recent series.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardData {
    pub selection: Selection,
    pub systems: Vec<String>,
    pub diagnostics: Diagnostics,
    /// Per system, one entry per calendar day of the trend window; `None` where
    /// the system has no graded rows that day (drawn as a gap, never as zero).
    /// The selected system's trend.
    pub series: Vec<(String, Trend)>,
    /// What each day of the selected system's trend is: a value, no games, or
    /// a game date on which it made no predictions (an outage, drawn apart).
    pub day_kinds: Vec<(NaiveDate, DayKind)>,
    /// The drift detector on the selected date and its path over the trend
    /// window (`None` when the config gives no design).
    pub detector: Option<(CusumReport, Vec<CusumDay>)>,
    /// How often each hit-rate rule and the detector cry wolf at the
    /// selected system's volume (metrics.md 12); `None` before it has bets.
    pub odds: Option<AlertFigures>,
    /// The selected system's last [`DRILL_DAYS`] days in counts (the drill-down).
    pub days: Vec<crate::model::detector::DayCounts>,
    /// Bytes BigQuery processed for this refresh (`None` on the embedded store).
    pub bytes_processed: Option<u64>,
    /// What this refresh's queries bill (10 MB at least per table each).
    pub bytes_billed: Option<u64>,
    /// The source's running count of bytes billed, for the day's total.
    pub billed_total: Option<u64>,
    /// The latest date with graded rows of the selected system, read by this
    /// fetch (the date the dashboard follows); `None` when none was read.
    pub latest_date: Option<NaiveDate>,
    /// The source's data version this was computed from.
    pub version: Option<String>,
    /// Every system on the selected date, the champion first (the systems strip).
    pub glance: Vec<crate::service::systems_strip::SystemGlance>,
    /// The selected system's silences running now (the header's 🔕), or why
    /// they could not be read.
    pub silences: Result<Vec<crate::model::silence::Silence>, String>,
    /// What `watch` last did for the selected system (its timeline), or
    /// why it could not be read; `Ok(None)` before any change.
    pub last_change: Result<Option<String>, String>,
}

impl DashboardData {
    /// The trend of one system (`None` when it is not in the data).
    pub fn series_of(&self, system: &str) -> Option<&[(NaiveDate, Option<Diagnostics>)]> {
        self.series
            .iter()
            .find(|(name, _)| name == system)
            .map(|(_, series)| series.as_slice())
    }
}

/// Days the drill-down shows, ending at the selected date.
pub const DRILL_DAYS: u64 = 7;

/// Every other system's 7-day hit rate over the trend window (`None`: no games).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonData {
    pub selection: Selection,
    pub series: Vec<(String, RateTrend)>,
    /// Each other system's 7-day hit rate on the selected date itself, as
    /// `diag --date` gives it (n=0 once its data has ended), in the order
    /// of `series`: never the last day with games before the date.
    pub on_date: Vec<(String, Rate)>,
    /// Their last [`DRILL_DAYS`] days in counts (the drill-down).
    pub days: Vec<crate::model::detector::DayCounts>,
    pub version: Option<String>,
}

/// The registry as the Experiments tab reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentsData {
    pub experiments: Vec<ExperimentRow>,
    pub events: Vec<ExperimentEvent>,
    /// Experiments with backtest rows (the Gap tab can analyse these).
    pub with_backtest: Vec<String>,
    /// Their population fingerprints (metrics.md section 16).
    pub fingerprints: Vec<crate::model::fingerprint::Fingerprint>,
    /// Why something is left out (`no backtest rows table: … is missing`).
    pub notes: Vec<String>,
    pub version: Option<String>,
}

/// The Gap tab's analysis of one experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct GapData {
    pub experiment_id: String,
    pub experiment_name: String,
    pub system: String,
    pub eval_period: String,
    pub report: crate::diagnostics::gap::GapReport,
    pub version: Option<String>,
}

/// The Versus tab's comparison: A is the selected system, B the challenger.
#[derive(Debug, Clone, PartialEq)]
pub struct VersusData {
    pub selection: Selection,
    /// The challenger as the app names it (a system id or an experiment id).
    pub challenger: String,
    pub report: crate::model::versus::VersusReport,
    pub version: Option<String>,
}

/// The Splits tab's report of the selected system.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitsData {
    pub selection: Selection,
    pub report: crate::model::splits::SplitsReport,
    pub version: Option<String>,
}

/// What a finished fetch carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Dashboard(Box<DashboardData>),
    Experiments(Box<ExperimentsData>),
    Comparison(Box<ComparisonData>),
    Gap(Box<GapData>),
    Versus(Box<VersusData>),
    Splits(Box<SplitsData>),
    Tonight(Box<TonightData>),
    /// The source has not changed since the data on screen was loaded.
    Unchanged,
}

/// The Tonight tab's slate (metrics.md section 17).
#[derive(Debug, Clone, PartialEq)]
pub struct TonightData {
    pub slate: crate::model::game_day::Slate,
    /// Last night's slate, while tonight's games have not started: its
    /// grading is judged the morning after.
    pub last_night: Option<crate::model::game_day::Slate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    NextTab,
    PreviousTab,
    SelectTab(Tab),
    Refresh,
    TogglePause,
    ToggleHelp,
    /// Analyse the selected experiment in the Gap tab.
    GapOfSelected,
    /// The next (or previous) experiment with a backtest in the Gap tab.
    CycleGapExperiment(i64),
    /// The next (or previous) challenger of the Versus tab: the other
    /// systems, then the experiments with a backtest.
    CycleChallenger(i64),
    /// Open the comparison of the marked experiments.
    Compare,
    /// Ask to promote the selected experiment.
    Promote,
    /// Archive the selected experiment (asks for its name typed).
    Archive,
    /// Roll back the selected experiment's system (asks for the system typed).
    Rollback,
    /// Approve what awaits approval on the selected experiment.
    Approve,
    /// Confirm the dialog on screen.
    Confirm,
    /// Confirm a promotion past failed guard rails (recorded as forced),
    /// as the CLI's `--force`.
    ConfirmForce,
    /// A promotion finished (`Ok(message)` or the error).
    Promoted(Result<String, String>),
    /// What the promote dialog shows of a candidate: its Versus against what
    /// it archives, its backtest gap and the close (the announcement's
    /// figures), for `experiment_id`.
    PromotionFigures {
        experiment_id: String,
        lines: Vec<String>,
    },
    /// Move the analysis date by this many days.
    MoveDate(i64),
    Today,
    OpenSystemPicker,
    Up,
    Down,
    /// A page of rows up or down in the list of the tab.
    PageUp,
    PageDown,
    /// Move the charts' value cursor by this many days (negative: back).
    CursorMove(i64),
    /// Scroll the detail pane by this many lines.
    ScrollDetail(i64),
    /// Scroll the Overview's key figures by this many figures.
    ScrollFigures(i64),
    /// Open the prompt that jumps to a typed date.
    OpenCommandLine,
    /// Back to where the last jump came from (the back stack).
    GoBack,
    /// Open the drill-down of the selected date: per system and day, the
    /// predictions made, graded and voided.
    OpenDrillDown,
    /// Copy the selected experiment's id to the clipboard.
    CopyId,
    Enter,
    Back,
    StartSearch,
    SearchInput(char),
    SearchBackspace,
    Mark,
    CycleSort,
    ReverseSort,
    CycleStatusFilter,
    ToggleHidden,
    Export,
    /// Write the screen as an SVG picture.
    SavePicture,
    NextTheme,
    /// A mouse click at (column, row).
    Click(u16, u16),
    ScrollUp,
    ScrollDown,
    Resize,
    Tick(DateTime<Utc>),
    Loaded {
        what: Fetch,
        request: u64,
        at: DateTime<Utc>,
        result: Result<Payload, String>,
    },
    /// The outcome of an export, for the status line.
    Notice(String),
    /// The registry changed between the promote dialog and its confirmation:
    /// the plan made again from the registry as it is now.
    Replanned(crate::registry::promotion::PromotionPlan),
}

impl Action {
    /// What happens in the background (answers, the clock, the terminal) and
    /// `q`: handled as in normal mode whatever dialog is open.
    pub fn passes_dialogs(&self) -> bool {
        matches!(
            self,
            Action::Quit
                | Action::Loaded { .. }
                | Action::Tick(_)
                | Action::Resize
                | Action::Notice(_)
                | Action::Promoted(_)
                | Action::PromotionFigures { .. }
                | Action::Replanned(_)
        )
    }
}

/// Work the runtime does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a fetch (the runtime aborts any fetch of the same kind still running).
    Fetch {
        what: Fetch,
        request: u64,
        selection: Selection,
        /// Skip the work when the source's data version is still this one.
        unless_version: Option<String>,
        /// The experiment a gap fetch analyses, or a versus fetch's challenger.
        experiment: Option<String>,
    },
    /// Carry out a promotion plan (the status it had on screen is the
    /// precondition); `force` passes failed guard rails, as the note records.
    Promote {
        plan: crate::registry::promotion::PromotionPlan,
        force: bool,
    },
    /// Put `text` on the clipboard (OSC 52: works over SSH and in tmux).
    Copy {
        what: String,
        text: String,
    },
    /// Write a file (a CSV export, an SVG picture) in the current directory.
    WriteFile {
        file_name: String,
        contents: String,
    },
    /// Carry out a registry change the user confirmed.
    Registry(crate::service::registry_changes::RegistryChange),
    /// Work out what the promote dialog shows of a plan's candidate.
    PromotionFigures(crate::registry::promotion::PromotionPlan),
    /// Set the terminal's title (the selected system's level changed).
    SetTitle(String),
    Quit,
}
