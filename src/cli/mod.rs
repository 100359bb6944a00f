//! Headless commands over the same library the dashboard uses. Each command
//! owns its arguments and returns its exit code; `main` only dispatches and
//! maps errors.

pub mod alerts;
pub mod args;
pub mod backfill;
pub mod clv;
pub mod common;
pub mod diag;
pub mod doctor;
pub mod dry_run;
pub mod exp;
pub mod exp_announce;
pub mod exp_approval;
pub mod exp_args;
pub mod exp_import;
pub mod exp_import_repair;
pub mod exp_lifecycle;
pub mod exp_views;
pub mod first_run;
pub mod gap;
pub mod glance;
pub mod history;
pub mod numbers;
pub mod outbox;
pub mod post_queue;
pub mod report;
pub mod routes;
pub mod setup;
pub mod silence;
pub mod slate;
pub mod splits;
pub mod systems;
pub mod transfer;
pub mod versus;
pub mod warehouse_setup;
pub mod watch;
pub mod watch_events;
pub mod watch_game_day;
pub mod watch_since_promotion;

pub use common::{EXIT_UNKNOWN, Globals, open_source, parse_date_arg, store_path};
