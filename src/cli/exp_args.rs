//! The arguments of `courtside exp`: its verbs and their options (apart
//! from the code that runs them, so the verbs' modules need not import
//! each other).

use crate::registry::leaderboard::SortKey;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExpArgs {
    #[command(subcommand)]
    pub command: ExpCommand,
}

/// Metrics `best` and `list --sort` rank by (`hit_rate`, the spec's
/// spelling, is accepted beside `hit-rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Metric {
    #[value(alias = "hit_rate")]
    HitRate,
    Mae,
    Roi,
    Samples,
    Created,
    Name,
}

impl Metric {
    pub fn key(self) -> SortKey {
        match self {
            Metric::HitRate => SortKey::HitRate,
            Metric::Mae => SortKey::Mae,
            Metric::Roi => SortKey::Roi,
            Metric::Samples => SortKey::Samples,
            Metric::Created => SortKey::Created,
            Metric::Name => SortKey::Name,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ExpCommand {
    /// The leaderboard (failed and archived hidden unless --all or --status).
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long = "type")]
        kind: Option<String>,
        #[arg(long)]
        tag: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_enum, default_value = "hit-rate")]
        sort: Metric,
        /// Include failed and archived experiments.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One experiment: config, results, lineage and history.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The best completed or promoted experiment by a metric.
    Best {
        #[arg(long, value_enum, default_value = "hit-rate")]
        metric: Metric,
        /// Fewest evaluation samples to be considered (default: min_bets).
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::numbers::samples)]
        min_samples: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Check a YAML config and report every problem with file, line and field.
    Validate {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Register a YAML config as a pending experiment.
    Register {
        file: PathBuf,
        #[arg(long)]
        parent: Option<String>,
    },
    /// pending -> running.
    Start {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// running -> completed, with the results JSON of the training script.
    Complete {
        id: String,
        #[arg(long)]
        results: PathBuf,
        #[arg(long)]
        model_path: Option<String>,
    },
    /// running -> failed.
    Fail {
        id: String,
        #[arg(long)]
        error: String,
    },
    /// completed -> promoted; archives the target system's promoted experiment
    /// (with `promotion.require_approval`, records a request instead).
    Promote {
        id: String,
        #[arg(long)]
        note: Option<String>,
        /// Promote despite the guard-rail warnings (recorded in the event note).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// completed | failed | promoted -> archived (with
    /// `promotion.require_approval`, archiving a promoted experiment records
    /// a request instead).
    Archive {
        id: String,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// Promote again the experiment the current promotion for SYSTEM archived
    /// (its guard rails checked again); refused when there is none, stopped
    /// when the promoted experiment changed since it was planned (with
    /// `promotion.require_approval`, records a request instead).
    Rollback {
        #[arg(long = "system", value_name = "SYSTEM")]
        system: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// Carry out a promotion, rollback or archive awaiting approval (another
    /// actor than the requester).
    Approve {
        id: String,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// Register experiment folders as the training script leaves them.
    Import(super::exp_import::ImportArgs),
    /// The audit trail, of one experiment or of all.
    History {
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Metrics against the first experiment (with intervals) and the config diff.
    Compare {
        #[arg(num_args = 2.., required = true)]
        ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Whether a registry change is announced.
#[derive(Debug, Default, Clone, Copy, Args)]
pub struct AnnounceArgs {
    /// Do not announce this change on the Slack webhook.
    #[arg(long)]
    pub no_notify: bool,
    /// Print the change as one JSON object.
    #[arg(long)]
    pub json: bool,
}
