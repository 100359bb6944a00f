//! Other people's files (issue item 8): another application's SQLite file is
//! refused by every command and left byte for byte as it was; an empty file
//! is not switched to WAL by a read; a store of a newer schema is never
//! written and read only while it has the columns courtside reads; a renamed
//! column is named with its table; a store the user can read but not write
//! still answers; a write that meets a damaged page rolls back and fails,
//! naming the store.

#[path = "common/transfer.rs"]
mod transfer;

use chrono::Days;
use courtside::config::Thresholds;
use courtside::demo::{self, DemoOptions};
use courtside::source::embedded::{EmbeddedStore, SCHEMA_VERSION, query_day_stats};
use courtside::source::{DayStatsQuery, Source};
use std::path::{Path, PathBuf};
use std::process::Output;
use transfer::*;

/// `courtside --store STORE ARGS…`.
fn run(dir: &Path, store: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    courtside(dir, &all)
}

/// The file beside `store` with `suffix` appended (`-wal`, `-shm`, `-journal`).
fn beside(store: &Path, suffix: &str) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Folds the write-ahead log into the file and removes it, so that the
/// file's bytes are the whole store.
fn checkpoint(store: &Path) {
    let connection = rusqlite::Connection::open(store).unwrap();
    connection
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

fn meta(store: &Path, key: &str) -> Option<String> {
    let connection = rusqlite::Connection::open(store).unwrap();
    connection
        .query_row(
            "SELECT value FROM courtside_meta WHERE key = ?1",
            [key],
            |row| row.get(0),
        )
        .ok()
}

/// The rows of `prediction_accuracy`, read from the table itself (never
/// through an index, which may be the damaged part).
fn predictions(store: &Path) -> i64 {
    let connection = rusqlite::Connection::open(store).unwrap();
    connection
        .query_row(
            "SELECT COUNT(*) FROM prediction_accuracy NOT INDEXED",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

fn one_prediction_csv(dir: &Path, name: &str) -> PathBuf {
    write(
        dir,
        name,
        predictions_csv(&[prediction_line(
            "stephcurry",
            "20260106_GSW_DEN",
            "2026-01-06",
            "catboost_v8",
        )]),
    )
}

#[cfg(unix)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn another_applications_file_is_refused_by_every_command_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("notes.db");
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("CREATE TABLE notes (id, body); INSERT INTO notes VALUES (1, 'buy milk');")
        .unwrap();
    let before = std::fs::read(&store).unwrap();
    let csv = one_prediction_csv(dir, "good.csv");
    let csv = csv.to_str().unwrap();
    for args in [
        &["diag"][..],
        &["diag", "--json", "--persist"],
        &["exp", "list"],
        &["history"],
        &["doctor"],
        &["setup", "--apply"],
        &["import", "prediction_accuracy", csv],
        &["demo", "--seasons", "1"],
    ] {
        let output = run(dir, &store, args);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?} succeeded: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{}: not a courtside store (it holds table notes and no prediction_accuracy); nothing was changed",
                store.display()
            )),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read(&store).unwrap(),
            before,
            "{args:?} changed the file"
        );
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(
                !beside(&store, suffix).exists(),
                "{args:?} left a {suffix} file"
            );
        }
    }
    // A file whose user_version another application set, with no table yet,
    // is not ours either.
    let versioned = dir.join("versioned.db");
    rusqlite::Connection::open(&versioned)
        .unwrap()
        .execute_batch("PRAGMA user_version = 7;")
        .unwrap();
    let before = std::fs::read(&versioned).unwrap();
    let output = run(dir, &versioned, &["import", "prediction_accuracy", csv]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("not a courtside store") && stderr.contains("user_version is 7"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&versioned).unwrap(), before);
}

#[test]
fn an_empty_file_is_not_switched_to_wal_by_a_read_and_becomes_a_store_by_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("empty.sqlite");
    std::fs::write(&store, b"").unwrap();
    for args in [
        &["--no-demo", "diag"][..],
        &["--no-demo", "exp", "list"],
        &["--no-demo", "history"],
    ] {
        let output = run(dir, &store, args);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?}: {stderr}");
        assert!(stderr.contains("the store is empty"), "{args:?}: {stderr}");
        assert_eq!(std::fs::metadata(&store).unwrap().len(), 0, "{args:?}");
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(!beside(&store, suffix).exists(), "{args:?}: {suffix}");
        }
    }
    // A write makes it a store: courtside's, at this schema version.
    let csv = one_prediction_csv(dir, "one.csv");
    ok(
        dir,
        &store,
        &["import", "prediction_accuracy", csv.to_str().unwrap()],
    );
    assert_eq!(
        meta(&store, "schema_version"),
        Some(SCHEMA_VERSION.to_string())
    );
    assert!(
        meta(&store, "created_by_version").is_some_and(|by| by.starts_with("courtside ")),
        "{:?}",
        meta(&store, "created_by_version")
    );
}

#[test]
fn a_newer_schema_is_never_written_and_read_only_while_it_has_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute(
            "UPDATE courtside_meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    checkpoint(&store);
    let before = std::fs::read(&store).unwrap();
    let newer = format!("store schema version 99 is newer than this courtside's {SCHEMA_VERSION}");

    let csv = one_prediction_csv(dir, "more.csv");
    for args in [
        &["import", "prediction_accuracy", csv.to_str().unwrap()][..],
        &["diag", "--json", "--persist"],
        &["demo", "--reset", "--seasons", "1"],
    ] {
        let output = run(dir, &store, args);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}: {newer}", store.display())),
            "{args:?}: {stderr}"
        );
        assert_eq!(std::fs::read(&store).unwrap(), before, "{args:?}");
    }

    // Read as it is (every column is there), with a note, nothing written.
    let listed = run(dir, &store, &["exp", "list", "--json"]);
    let stderr = text(&listed.stderr);
    assert!(listed.status.success(), "{stderr}");
    assert!(stderr.contains(&newer), "{stderr}");
    assert_eq!(std::fs::read(&store).unwrap(), before);
    assert_eq!(predictions(&store), 3);

    // Without a column this courtside reads, refused naming both versions.
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch(
            "ALTER TABLE prediction_accuracy RENAME COLUMN predicted_points TO predicted_pts;",
        )
        .unwrap();
    let output = run(dir, &store, &["diag", "--json"]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&newer) && stderr.contains("prediction_accuracy.predicted_points"),
        "{stderr}"
    );
}

#[test]
fn a_renamed_column_is_named_with_its_table_and_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch(
            "ALTER TABLE prediction_accuracy RENAME COLUMN predicted_points TO predicted_pts;",
        )
        .unwrap();
    let output = run(dir, &store, &["diag"]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: the store lacks prediction_accuracy.predicted_points",
            store.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("SELECT"), "no raw SQL: {stderr}");
}

/// A fresh pass equals what a read-only handle answers, and the handle
/// writes nothing: not the kept day sums (dropped first, so a handle that
/// could write would keep them), not a byte of the file.
async fn read_only_answers_and_writes_nothing(store: &Path) {
    let connection = rusqlite::Connection::open(store).unwrap();
    for table in [
        "courtside_day_done",
        "courtside_day_cells",
        "courtside_day_systems",
        "courtside_day_line_sources",
        "courtside_day_quality",
    ] {
        connection
            .execute(&format!("DELETE FROM {table}"), [])
            .unwrap();
    }
    drop(connection);
    checkpoint(store);
    let before = std::fs::read(store).unwrap();
    let reading = EmbeddedStore::open_read_only(store).unwrap();
    assert!(reading.is_read_only());
    let latest = reading
        .latest_date(None)
        .await
        .unwrap()
        .expect("graded rows");
    let query = DayStatsQuery::new(latest - Days::new(30), latest, None, &Thresholds::default());
    let answer = reading.day_stats(&query).await.unwrap();
    assert!(!answer.day_stats.is_empty());
    assert_eq!(
        answer,
        query_day_stats(&reading.connect().unwrap(), &query).unwrap()
    );
    drop(reading);
    assert_eq!(std::fs::read(store).unwrap(), before, "the file changed");
    let kept: i64 = rusqlite::Connection::open(store)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM courtside_day_done", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(kept, 0, "a read-only handle kept day sums");
}

#[tokio::test]
async fn a_read_only_handle_answers_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let store = EmbeddedStore::open(&path).unwrap();
    let options = DemoOptions {
        seasons: 1,
        ..DemoOptions::default()
    };
    demo::build(&store, options, false).unwrap();
    drop(store);
    read_only_answers_and_writes_nothing(&path).await;
}

#[cfg(unix)]
#[test]
fn a_store_the_user_can_read_but_not_write_answers_diag() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("demo.sqlite");
    ok(dir, &store, &["demo", "--seasons", "1"]);
    checkpoint(&store);
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&store).unwrap();
    let output = run(dir, &store, &["diag", "--json"]);
    let stderr = text(&output.stderr);
    // 0-2 a level, 3 unknown: a verdict, with its report.
    assert!(
        output.status.code().is_some_and(|code| code <= 3),
        "{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("a report: {stderr}"));
    assert!(report["system_id"].is_string(), "{report}");
    if is_root() {
        // Permissions do not bind root: the command above could write, and
        // may have kept day sums. The read-only path is checked on the same
        // store through the library's read-only handle instead.
        eprintln!(
            "running as root: 0444 does not stop writes; checking EmbeddedStore::open_read_only"
        );
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(read_only_answers_and_writes_nothing(&store));
    } else {
        assert_eq!(std::fs::read(&store).unwrap(), before, "diag wrote to it");
        // A command that writes says the store is read-only, naming it.
        let persist = run(dir, &store, &["diag", "--json", "--persist"]);
        let stderr = text(&persist.stderr);
        assert!(!persist.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("{}: the store is read-only", store.display())),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&store).unwrap(), before);
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn exp_list_reads_a_store_without_prediction_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("registry.sqlite");
    ok(dir, &store, &["demo", "--seasons", "1"]);
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("DROP TABLE prediction_accuracy;")
        .unwrap();
    let list = |what: &str| {
        let listed = run(dir, &store, &["exp", "list", "--json"]);
        let stderr = text(&listed.stderr);
        assert!(listed.status.success(), "{what}: {stderr}");
        let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert!(!list.as_array().unwrap().is_empty(), "{what}: {list}");
    };
    list("courtside's store");
    // Without courtside_meta either: the registry is a table of the data
    // contract, so the file is still a store and is read.
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("DROP TABLE courtside_meta;")
        .unwrap();
    list("a registry kept on its own");
}

#[test]
fn an_import_into_a_store_with_a_damaged_index_page_rolls_back_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    checkpoint(&store);
    let (page, page_size): (i64, i64) = {
        let connection = rusqlite::Connection::open(&store).unwrap();
        let page: i64 = connection
            .query_row(
                "SELECT rootpage FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'prediction_accuracy'
                 ORDER BY name LIMIT 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let size: i64 = connection
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap();
        (page, size)
    };
    assert!(!beside(&store, "-wal").exists(), "the log was folded in");
    let mut bytes = std::fs::read(&store).unwrap();
    let start = usize::try_from((page - 1) * page_size).unwrap();
    let end = start + usize::try_from(page_size).unwrap();
    assert!(end <= bytes.len(), "page {page} is in the file");
    bytes[start..end].fill(0xA5);
    std::fs::write(&store, &bytes).unwrap();
    assert_eq!(predictions(&store), 3);

    let csv = one_prediction_csv(dir, "more.csv");
    let output = run(
        dir,
        &store,
        &["import", "prediction_accuracy", csv.to_str().unwrap()],
    );
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&store.display().to_string())
            && stderr.contains("database disk image is malformed"),
        "{stderr}"
    );
    assert_eq!(predictions(&store), 3, "the import was rolled back");
}
