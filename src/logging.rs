//! Logs go to `courtside.log` in the data directory, never to the screen.

use std::fs::OpenOptions;
use std::sync::Mutex;

/// Starts logging to the data directory's log file (`COURTSIDE_LOG` sets the
/// filter, default `info`). Without a writable data directory nothing is
/// logged, and that is not an error: logging must never stop a command.
pub fn init() {
    let Ok(dir) = crate::config::data_dir() else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("courtside.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("COURTSIDE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
