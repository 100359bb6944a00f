//! `exp import` refuses what `import backtest_predictions` refuses, and what
//! only a folder can get wrong (issue items 4-5): a prediction outside its
//! domain, a `line_source` no list names, a misspelled column, a duplicated
//! (player, game), a row outside the evaluation period, an impossible MAE in
//! the results, an experiment that is its own parent or two that are each
//! other's, and a FIFO named `results.json` (refused unopened, never a
//! hang). Each refusal exits non-zero, names the file, line and column, and
//! registers nothing, not even the good folder beside the bad one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/experiment_folders.rs"]
mod experiment_folders;

use experiment_folders::{HEADER, folder, row, rows};

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_courtside"));
    command
        .args(args)
        .current_dir(dir)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env("COURTSIDE_ACTOR", "checks@example.com");
    command
}

fn courtside(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("run courtside")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// A store holding one registered experiment, `BASELINE_V1`.
fn store(dir: &Path) -> String {
    let file = dir.join("registered.ndjson");
    std::fs::write(
        &file,
        r#"{"experiment_id":"e-base","experiment_name":"BASELINE_V1","experiment_type":"walk_forward","config_json":{},"status":"completed","created_at":"2026-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let store = dir.join("store.sqlite").display().to_string();
    let output = courtside(
        dir,
        &[
            "--store",
            &store,
            "import",
            "ml_experiments",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    store
}

fn registry(dir: &Path, store: &str) -> Vec<u8> {
    let output = courtside(dir, &["--store", store, "exp", "list", "--all", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    output.stdout
}

/// The runs directory with one good folder beside whatever the test adds.
fn runs(dir: &Path) -> PathBuf {
    let runs = dir.join("runs");
    folder(&runs, "00_good", "GOOD_ONE", None, Some(&rows(5)));
    runs
}

/// Runs `exp import` of `runs`, insists it fails and wrote nothing, and
/// returns its message.
fn refused(dir: &Path, store: &str, runs: &Path) -> String {
    let before = registry(dir, store);
    let output = courtside(
        dir,
        &["--store", store, "exp", "import", runs.to_str().unwrap()],
    );
    let message = stderr(&output);
    assert!(!output.status.success(), "accepted: {message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(registry(dir, store), before, "nothing registered");
    message
}

fn csv_of(folder: &Path) -> String {
    folder
        .join("backtest_predictions.csv")
        .display()
        .to_string()
}

#[test]
fn predictions_outside_the_points_domain_name_file_line_and_column() {
    for value in ["-999.9", "1e308"] {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let store = store(dir);
        let runs = runs(dir);
        let mut lines = rows(3);
        lines[1] = lines[1].replace(",20.5,", &format!(",{value},"));
        let bad = folder(&runs, "01_bad", "BAD_POINTS", None, Some(&lines));
        let message = refused(dir, &store, &runs);
        let expected = format!(
            "{}:3: column predicted_points: {value} is out of range",
            csv_of(&bad)
        );
        assert!(message.contains(&expected), "{expected}\n{message}");
    }
}

#[test]
fn a_line_source_no_list_names_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let mut lines = rows(3);
    lines[1] = lines[1].replace("ACTUAL_PROP", "BANANA_LINE");
    let bad = folder(&runs, "01_bad", "BAD_SOURCE", None, Some(&lines));
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}:3: column line_source: `BANANA_LINE` is in none of the config's line_sources lists",
        csv_of(&bad)
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn a_misspelled_column_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let bad = folder(&runs, "01_bad", "BAD_COLUMN", None, None);
    std::fs::write(
        bad.join("backtest_predictions.csv"),
        format!(
            "{}\n{}\n",
            HEADER.replace("predicted_points", "predicted_point"),
            row(0, "2026-02-01")
        ),
    )
    .unwrap();
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}:1: column predicted_point: not a column of backtest_predictions (did you mean predicted_points?)",
        csv_of(&bad)
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn an_experiment_id_column_is_refused_it_is_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let bad = folder(&runs, "01_bad", "BAD_ID_COLUMN", None, None);
    std::fs::write(
        bad.join("backtest_predictions.ndjson"),
        "{\"experiment_id\":\"x\",\"player_lookup\":\"a\",\"game_id\":\"g\",\"game_date\":\"2026-02-01\"}\n",
    )
    .unwrap();
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}:1: column experiment_id: courtside fills this column in",
        bad.join("backtest_predictions.ndjson").display()
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn duplicated_rows_name_the_first_duplicate_and_its_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    // 20 rows (lines 2-21), then 10 of them again (lines 22-31).
    let mut lines = rows(20);
    lines.extend(rows(10));
    let bad = folder(&runs, "01_bad", "BAD_DUPLICATES", None, Some(&lines));
    let message = refused(dir, &store, &runs);
    let file = csv_of(&bad);
    assert!(
        message.contains(&format!("{file}:22: duplicate key experiment_id=")),
        "{message}"
    );
    assert!(
        message.contains("player_lookup=`player000`, game_id=`20260201_g0`"),
        "{message}"
    );
    assert!(
        message.contains(&format!("(first on {file}:2)")),
        "{message}"
    );
}

#[test]
fn rows_outside_the_evaluation_period_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let mut lines = rows(3);
    lines[1] = row(1, "2026-03-01");
    let bad = folder(&runs, "01_bad", "BAD_PERIOD", None, Some(&lines));
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}:3: column game_date: 2026-03-01 is outside the evaluation period, 2026-02-01 to 2026-02-14",
        csv_of(&bad)
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn an_impossible_mae_in_the_results_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let bad = folder(&runs, "01_bad", "BAD_MAE", None, Some(&rows(3)));
    std::fs::write(
        bad.join("results.json"),
        "{\"overall\": {\"hit_rate\": 0.56, \"samples\": 400,\n \"mae\": 1e308}}",
    )
    .unwrap();
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}:2: overall.mae: 1e308 is out of range",
        bad.join("results.json").display()
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn an_experiment_that_is_its_own_parent_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let bad = folder(&runs, "01_bad", "SELF_LOOP", Some("SELF_LOOP"), None);
    let message = refused(dir, &store, &runs);
    let expected = format!(
        "{}: line 8: parent_experiment_id: the parent chain loops: SELF_LOOP -> SELF_LOOP",
        bad.join("config.yaml").display()
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
}

#[test]
fn two_experiments_that_are_each_others_parent_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let a = folder(&runs, "01_a", "LOOP_A", Some("LOOP_B"), None);
    let b = folder(&runs, "02_b", "LOOP_B", Some("LOOP_A"), None);
    let message = refused(dir, &store, &runs);
    for (path, chain) in [
        (&a, "LOOP_A -> LOOP_B -> LOOP_A"),
        (&b, "LOOP_B -> LOOP_A -> LOOP_B"),
    ] {
        let expected = format!(
            "{}: line 8: parent_experiment_id: the parent chain loops: {chain}",
            path.join("config.yaml").display()
        );
        assert!(message.contains(&expected), "{expected}\n{message}");
    }
    // A chain through the registry that ends is fine.
    std::fs::remove_dir_all(&b).unwrap();
    std::fs::remove_dir_all(&a).unwrap();
    folder(&runs, "01_a", "CHILD_OF_BASE", Some("BASELINE_V1"), None);
    let output = courtside(
        dir,
        &["--store", &store, "exp", "import", runs.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_fifo_named_results_json_is_refused_without_a_hang() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let bad = folder(&runs, "01_bad", "FIFO_RESULTS", None, Some(&rows(3)));
    let fifo = bad.join("results.json");
    std::fs::remove_file(&fifo).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let before = registry(dir, &store);
    let mut child = command(
        dir,
        &["--store", &store, "exp", "import", runs.to_str().unwrap()],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("run courtside");
    // Opening the FIFO would wait for a writer forever: the command must end.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("exp import hung on a FIFO named results.json");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    let message = stderr(&output);
    assert!(!output.status.success(), "accepted: {message}");
    let expected = format!(
        "{}: a FIFO (named pipe), not a regular file; refused without opening it",
        fifo.display()
    );
    assert!(message.contains(&expected), "{expected}\n{message}");
    assert_eq!(registry(dir, &store), before, "nothing registered");
}

#[test]
fn a_good_folder_registers_its_rows_in_one_pass_each() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store(dir);
    let runs = runs(dir);
    let output = courtside(
        dir,
        &[
            "--store",
            &store,
            "exp",
            "import",
            runs.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["new"][0]["backtest_rows"], 5, "{summary:#}");
    let exported = courtside(dir, &["--store", &store, "export", "backtest_predictions"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    // The header and the five rows, each under the new experiment's id.
    let text = String::from_utf8_lossy(&exported.stdout);
    let id = summary["new"][0]["experiment_id"].as_str().unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert_eq!(text.lines().filter(|line| line.starts_with(id)).count(), 5);
}

#[test]
fn two_imports_of_one_folder_at_once_register_each_experiment_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let runs = dir.path().join("runs");
    for (index, name) in ["RACE_A", "RACE_B", "RACE_C"].iter().enumerate() {
        folder(&runs, &format!("0{index}"), name, None, Some(&rows(4)));
    }
    let spawn = || {
        command(
            dir.path(),
            &["--store", &store, "exp", "import", runs.to_str().unwrap()],
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
    };
    let both = [spawn(), spawn()].map(|child| child.wait_with_output().unwrap());
    let listed: serde_json::Value = serde_json::from_slice(&registry(dir.path(), &store)).unwrap();
    let mut names: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["experiment_name"].as_str())
        .filter(|name| name.starts_with("RACE_"))
        .map(str::to_string)
        .collect();
    names.sort();
    assert_eq!(names, ["RACE_A", "RACE_B", "RACE_C"], "each name once");
    // One registered them; the other found them registered (unchanged) or
    // was refused naming the holder, and said nothing was written.
    for output in &both {
        let (out, err) = (String::from_utf8_lossy(&output.stdout), stderr(output));
        assert!(
            output.status.success()
                && (out.contains("3 new") || out.contains("0 new, 3 unchanged"))
                || err.contains("the name is registered already, as experiment"),
            "{out}{err}"
        );
    }
}

#[test]
fn a_rerun_completes_an_experiment_an_earlier_import_left_without_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let runs = runs(dir.path());
    let import = |args: &[&str]| {
        let mut all = vec![
            "--store",
            store.as_str(),
            "exp",
            "import",
            runs.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        courtside(dir.path(), &all)
    };
    assert!(import(&[]).status.success());
    // What an earlier version left when it failed after the registry row.
    let connection = rusqlite::Connection::open(&store).unwrap();
    let deleted = connection
        .execute("DELETE FROM backtest_predictions WHERE experiment_id IN (SELECT experiment_id FROM ml_experiments WHERE experiment_name = 'GOOD_ONE')", [])
        .unwrap();
    assert_eq!(deleted, 5);
    let dry = import(&["--dry-run"]);
    let said = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        said.contains("would complete GOOD_ONE: none of its 5 backtest rows is stored"),
        "{said}"
    );
    let rerun = import(&[]);
    let said = String::from_utf8_lossy(&rerun.stdout).to_string();
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert!(
        said.contains("completed GOOD_ONE: added the 5 backtest rows"),
        "{said}"
    );
    let stored: i64 = connection
        .query_row("SELECT COUNT(*) FROM backtest_predictions", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(stored, 5);
    // Complete now: a third run changes nothing.
    let said = String::from_utf8_lossy(&import(&[]).stdout).to_string();
    assert!(
        !said.contains("completed") && said.contains("unchanged GOOD_ONE"),
        "{said}"
    );
}
