//! courtside: diagnostics, experiment registry and backtest-gap analysis for
//! NBA player-points predictions, as a terminal dashboard and a CLI. The
//! front ends live here; everything they show comes from `courtside-core`,
//! re-exported below so that both front ends name one library.

pub use courtside_core::{
    alerting, config, demo, diagnostics, format, model, registry, service, source, stats, transfer,
};

pub mod cli;
pub mod logging;
pub mod signals;
pub mod tui;
