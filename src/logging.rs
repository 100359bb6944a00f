//! Logs go to `courtside.log` in the data directory, never to the screen.

use std::fs::OpenOptions;
use std::sync::Mutex;

/// Keeps logging alive for the process; dropping it changes nothing.
pub struct LogGuard;

/// Starts logging to the data directory's log file (`COURTSIDE_LOG` sets the
/// filter, default `info`). Without a writable data directory, nothing is logged.
pub fn init() -> Option<LogGuard> {
    let dir = crate::config::data_dir().ok()?;
    std::fs::create_dir_all(&dir).ok()?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("courtside.log"))
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("COURTSIDE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(LogGuard)
}
