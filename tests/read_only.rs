//! Commands that only read never create a store or bring back a dropped
//! table (issue: Reliability): the error names what is missing and the
//! store is left as it was.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap()
}

fn tables(store: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(store).unwrap();
    let mut statement = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap()
}

#[test]
fn a_dropped_table_stays_dropped_and_the_error_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    assert!(
        run(dir.path(), &store, &["demo", "--seasons", "1"])
            .status
            .success()
    );
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("DROP TABLE ml_experiments")
        .unwrap();
    for args in [
        &["exp", "list"][..],
        &["exp", "best"],
        &["exp", "show", "x"],
    ] {
        let output = run(dir.path(), &store, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(stderr.contains("ml_experiments"), "{args:?}: {stderr}");
        assert!(
            !tables(&store).contains(&"ml_experiments".to_string()),
            "{args:?} recreated the table"
        );
    }
    // Reads of the other tables still work.
    let diag = run(dir.path(), &store, &["diag", "--json"]);
    assert!(diag.status.code().is_some_and(|code| code <= 2), "{diag:?}");
}

#[test]
fn a_store_that_is_not_there_is_an_error_not_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("moved.sqlite");
    for args in [
        &["diag"][..],
        &["exp", "list"],
        &["history"],
        &["gap", "--experiment", "x"],
    ] {
        let output = run(dir.path(), &missing, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?}");
        assert!(stderr.contains("no store here"), "{args:?}: {stderr}");
        assert!(!missing.exists(), "{args:?} created {}", missing.display());
    }
}
