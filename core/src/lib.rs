//! courtside's core: everything that is not a user interface. Data flows one
//! way: `source` fetches sufficient statistics and rows, `diagnostics` and
//! `registry` compute from them, and the front ends (the `courtside` crate's
//! `cli` and `tui`) only show. This crate depends on no terminal or
//! command-line library, so the compiler keeps that direction.

pub mod alerting;
pub mod config;
pub mod demo;
pub mod diagnostics;
pub mod format;
pub mod model;
pub mod registry;
pub mod service;
pub mod source;
pub mod stats;
pub mod transfer;
