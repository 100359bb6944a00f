//! The one-season demo store, built by the real binary (as a user's first
//! run builds it), for the tests that read the demo's stories on screen.

use courtside::source::embedded::EmbeddedStore;
use std::path::Path;
use std::process::Command;

/// Builds the one-season demo at `dir/demo.sqlite` and opens it.
pub fn demo_store(dir: &Path) -> EmbeddedStore {
    let store_path = dir.join("demo.sqlite");
    let built = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(&store_path)
        .args(["demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    EmbeddedStore::open(&store_path).unwrap()
}
