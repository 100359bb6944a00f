//! Plain data types shared by every layer: rows, per-day sufficient statistics,
//! diagnostics results and the table vocabulary. No I/O and no logic beyond
//! small conversions lives here.

pub mod alert_posts;
pub mod clv;
pub mod day_stats;
pub mod detector;
pub mod diagnostics;
pub mod experiment;
pub mod fingerprint;
pub mod game_day;
pub mod history;
pub mod line_sources;
pub mod rows;
pub mod silence;
pub mod since_promotion;
pub mod splits;
pub mod topic;
pub mod versus;
pub mod vocab;

pub use day_stats::{
    ConfidenceTier, DayStatRow, DayStatsBundle, LineKind, PlayerTier, QualityDay, SkippedRow,
    SkippedRows, StatCell, SystemDay,
};
pub use diagnostics::{
    Baselines, CauseReport, Diagnostics, DriftReport, Factor, QualityReport, Rate, SharpnessReport,
    TierSharpness,
};
pub use line_sources::LineSources;
pub use vocab::{AlertLevel, BiasDirection, DriftSeverity, PrimaryCause, SharpnessStatus};
