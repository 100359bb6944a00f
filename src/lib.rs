//! courtside: diagnostics, experiment registry and backtest-gap analysis for
//! NBA player-points predictions, as a terminal dashboard and a CLI.

pub mod alerting;
pub mod cli;
pub mod config;
pub mod demo;
pub mod diagnostics;
pub mod format;
pub mod logging;
pub mod model;
pub mod registry;
pub mod service;
pub mod source;
pub mod stats;
pub mod transfer;
pub mod tui;
