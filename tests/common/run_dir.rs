//! The one directory a test binary keeps for its costly shared store.
//!
//! A store built once per run lives in a `static`, and a `static` is never
//! dropped: a `TempDir` kept in one is left in the temp directory by every
//! run (about 300 MB each, enough to fill a CI disk over a few runs). This
//! directory has a fixed place under cargo's `target/tmp`, one per test
//! binary, and is emptied when the next run of that binary starts.
#![allow(dead_code)]

use std::path::PathBuf;

/// `target/tmp/NAME`, emptied and created afresh.
pub fn run_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .unwrap_or_else(|error| panic!("empty {}: {error}", dir.display()));
    }
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|error| panic!("create {}: {error}", dir.display()));
    dir
}
