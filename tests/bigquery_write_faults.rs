//! Registry writes on the emulator through a fault-injecting proxy (the
//! binary, as a user runs it): a failure at each statement of `exp import`
//! leaves every experiment whole or absent and the message says which, the
//! rerun completes the import; a lost answer is read back, never reported
//! as someone else's change; a status change whose audit event cannot be
//! written says it stands without it, and `exp history` lists it; the
//! streamed backtest row ids never repeat.

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/experiment_folders.rs"]
mod experiment_folders;
#[path = "common/fault_proxy.rs"]
mod fault_proxy;

use courtside::config::Config;
use courtside::model::rows::{ExperimentEvent, ExperimentRow};
use courtside::registry::lifecycle::Status;
use courtside::source::Source;
use courtside::source::bigquery::BigQuerySource;
use courtside::source::bigquery::params::Params;
use experiment_folders::{folder, rows};
use fault_proxy::{Action, Fault, FaultProxy, Match, Seen};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A fresh project, the proxy in front of the emulator, and a config file
/// for the binary that goes through the proxy.
struct Bench {
    runtime: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
    config: Config,
    source: BigQuerySource,
    proxy: FaultProxy,
    config_path: PathBuf,
}

impl Bench {
    fn new(tag: &str) -> Bench {
        let runtime = emulator::runtime();
        let (config, source) = runtime.block_on(emulator::fresh(tag));
        let proxy = fault_proxy::start(&runtime, &emulator::base_url());
        let dir = tempfile::tempdir().unwrap();
        let mut proxied = config.clone();
        proxied.source.bigquery.base_url = Some(proxy.url.clone());
        let config_path = emulator::write_config(&proxied, dir.path(), "bq.yaml");
        Bench {
            runtime,
            dir,
            config,
            source,
            proxy,
            config_path,
        }
    }

    fn courtside(&self, args: &[&str]) -> Output {
        self.courtside_as(&self.config_path, "faults@example.com", args)
    }

    fn courtside_as(&self, config: &Path, actor: &str, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args(["--config", config.to_str().unwrap()])
            .args(args)
            .env("COURTSIDE_DATA_DIR", self.dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", self.dir.path().join("config"))
            .env("COURTSIDE_ACTOR", actor)
            .env_remove("COURTSIDE_SLACK_WEBHOOK")
            .output()
            .expect("run courtside")
    }

    /// A config through the proxy that asks another actor's approval.
    fn approving_config(&self) -> PathBuf {
        let mut approving = self.config.clone();
        approving.source.bigquery.base_url = Some(self.proxy.url.clone());
        approving.promotion.require_approval = true;
        emulator::write_config(&approving, self.dir.path(), "approval.yaml")
    }

    /// Runs the binary with `fault` in place; insists the fault was met.
    fn with_fault(&self, fault: Fault, args: &[&str]) -> Output {
        self.proxy.set(vec![fault.clone()]);
        let output = self.courtside(args);
        assert!(self.proxy.injected() >= 1, "never met: {fault:?}");
        self.proxy.clear();
        output
    }

    fn registry(&self) -> Vec<ExperimentRow> {
        self.runtime.block_on(self.source.experiments()).unwrap()
    }

    fn named(&self, prefix: &str) -> Vec<ExperimentRow> {
        let mut rows: Vec<ExperimentRow> = self
            .registry()
            .into_iter()
            .filter(|row| row.experiment_name.starts_with(prefix))
            .collect();
        rows.sort_by(|a, b| a.experiment_name.cmp(&b.experiment_name));
        rows
    }

    fn events(&self, id: &str) -> Vec<ExperimentEvent> {
        self.runtime
            .block_on(self.source.experiment_events(Some(id)))
            .unwrap()
    }

    fn backtest_count(&self, id: &str) -> u64 {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM `{}` WHERE experiment_id = @id AND game_date >= @from",
            self.config.tables.backtest_predictions.qualified()
        );
        let mut params = Params::new();
        params
            .string("id", Some(id))
            .date("from", Some(emulator::date("2000-01-01")));
        let output = self
            .runtime
            .block_on(self.source.execute(&sql, params))
            .unwrap();
        output.rows.iter().next().unwrap().u64("n").unwrap()
    }

    /// `INSERT INTO `table`` of the registry or the audit trail.
    fn insert_into(&self, events: bool) -> String {
        let table = if events {
            &self.config.tables.experiment_events
        } else {
            &self.config.tables.experiments
        };
        format!("INSERT INTO `{}`", table.qualified())
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Three folders `{prefix}_A`, `_B`, `_C` with 5, 7 and 3 backtest rows.
fn three_folders(root: &Path, prefix: &str) -> PathBuf {
    let runs = root.join(prefix);
    for (dir, suffix, count) in [("01", "A", 5), ("02", "B", 7), ("03", "C", 3)] {
        folder(
            &runs,
            dir,
            &format!("{prefix}_{suffix}"),
            None,
            Some(&rows(count)),
        );
    }
    runs
}

/// Each experiment of `prefix` in the registry is whole: its backtest rows
/// all there and its trail exactly pending, running, completed.
fn assert_whole(bench: &Bench, prefix: &str, expected: &[(&str, u64)]) {
    let rows = bench.named(prefix);
    let names: Vec<String> = rows.iter().map(|r| r.experiment_name.clone()).collect();
    let wanted: Vec<String> = expected
        .iter()
        .map(|(suffix, _)| format!("{prefix}_{suffix}"))
        .collect();
    assert_eq!(names, wanted, "registered experiments of {prefix}");
    for (row, (_, count)) in rows.iter().zip(expected) {
        assert_eq!(
            bench.backtest_count(&row.experiment_id),
            *count,
            "{}: backtest rows",
            row.experiment_name
        );
        let trail: Vec<String> = bench
            .events(&row.experiment_id)
            .into_iter()
            .map(|event| event.to_status)
            .collect();
        // Events of one statement share their time: read in lifecycle order.
        assert_eq!(
            trail,
            ["pending", "running", "completed"],
            "{}: its trail, each event once, in order",
            row.experiment_name
        );
    }
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_failure_at_each_statement_of_an_import_leaves_each_experiment_whole_or_absent_and_the_rerun_completes_it()
 {
    let bench = Bench::new("impfault");
    let points = [
        ("P1", Match::InsertAll("backtest_predictions".to_string())),
        ("P2", Match::Query(bench.insert_into(true))),
        ("P3", Match::Query(bench.insert_into(false))),
    ];
    for (prefix, matching) in points {
        let runs = three_folders(bench.dir.path(), prefix);
        // The second experiment's statement fails (HTTP 400, not retried).
        let fault = Fault {
            matching: matching.clone(),
            nth: 2,
            times: 1,
            action: Action::Fail(400),
        };
        let failed = bench.with_fault(fault, &["exp", "import", runs.to_str().unwrap()]);
        let (out, err) = (text(&failed.stdout), text(&failed.stderr));
        assert!(!failed.status.success(), "{prefix}: {out}{err}");
        assert!(out.contains(&format!("registered {prefix}_A")), "{out}");
        assert!(!out.contains(&format!("registered {prefix}_B")), "{out}");
        assert!(!out.contains("3 new"), "{out}");
        assert!(
            err.contains(&format!("{prefix}_B not registered"))
                && err.contains("1 of 3 new experiment(s) registered"),
            "{prefix}: {err}"
        );
        // The first whole, the others absent: nothing a reader counts.
        assert_whole(&bench, prefix, &[("A", 5)]);
        let rerun = bench.courtside(&["exp", "import", runs.to_str().unwrap()]);
        let out = text(&rerun.stdout);
        assert!(rerun.status.success(), "{prefix}: {}", text(&rerun.stderr));
        assert!(out.contains(&format!("unchanged {prefix}_A")), "{out}");
        assert!(out.contains("2 new, 1 unchanged"), "{out}");
        assert_whole(&bench, prefix, &[("A", 5), ("B", 7), ("C", 3)]);
    }
    // A lost answer (the statement ran, the client never heard): retried,
    // read back, and the import is whole with no event twice.
    for (prefix, matching) in [
        ("P4", Match::Query(bench.insert_into(false))),
        ("P5", Match::Query(bench.insert_into(true))),
    ] {
        let runs = three_folders(bench.dir.path(), prefix);
        let fault = Fault {
            matching,
            nth: 2,
            times: 1,
            action: Action::Cut,
        };
        let output = bench.with_fault(fault, &["exp", "import", runs.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{prefix}: {}",
            text(&output.stderr)
        );
        assert!(text(&output.stdout).contains("3 new, 0 unchanged"));
        assert_whole(&bench, prefix, &[("A", 5), ("B", 7), ("C", 3)]);
    }
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn the_streamed_row_ids_of_an_imports_experiments_never_repeat() {
    let bench = Bench::new("rowids");
    let runs = three_folders(bench.dir.path(), "IDS");
    bench.proxy.take();
    let output = bench.courtside(&["exp", "import", runs.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let ids: Vec<String> = bench
        .proxy
        .take()
        .into_iter()
        .filter_map(|seen| match seen {
            Seen::InsertAll { table, ids } if table.contains("backtest") => Some(ids),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(ids.len(), 15, "every row streamed with an id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no id twice: {ids:?}");
    for row in bench.named("IDS") {
        let own = ids
            .iter()
            .filter(|id| id.starts_with(&format!("{}-", row.experiment_id)))
            .count() as u64;
        assert_eq!(own, bench.backtest_count(&row.experiment_id));
    }
}

/// Registers `name` with `status` for `target` straight into the registry.
fn register(bench: &Bench, name: &str, status: Status, target: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let row = ExperimentRow {
        experiment_id: id.clone(),
        experiment_name: name.to_string(),
        hypothesis: None,
        experiment_type: "walk_forward".to_string(),
        tags: Vec::new(),
        config_json: serde_json::json!({ "target_system": target }),
        train_period: None,
        eval_period: None,
        results_json: Some(serde_json::json!({"overall": {"hit_rate": 0.57, "samples": 900}})),
        model_path: None,
        git_commit: None,
        parent_experiment_id: None,
        status,
        created_at: emulator::at(8),
        completed_at: None,
        created_by: Some("tester".to_string()),
    };
    let event = ExperimentEvent {
        experiment_id: id.clone(),
        at: emulator::at(8),
        actor: Some("tester".to_string()),
        from_status: None,
        to_status: status.as_str().to_string(),
        note: None,
    };
    bench
        .runtime
        .block_on(bench.source.register_experiment(&row, &event))
        .unwrap();
    id
}

fn status_of(bench: &Bench, id: &str) -> String {
    bench
        .registry()
        .into_iter()
        .find(|row| row.experiment_id == id)
        .map(|row| row.status.to_string())
        .unwrap()
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_status_change_is_told_as_it_stands_whichever_statement_fails_or_loses_its_answer() {
    let bench = Bench::new("lifefault");
    let update = format!("UPDATE `{}`", bench.config.tables.experiments.qualified());
    // The change itself fails: nothing written, and it says so.
    let old = register(&bench, "L_OLD_1", Status::Promoted, "t1");
    let new = register(&bench, "L_NEW_1", Status::Completed, "t1");
    let fault = Fault {
        matching: Match::Query(update.clone()),
        nth: 1,
        times: 1,
        action: Action::Fail(400),
    };
    let output = bench.with_fault(fault, &["exp", "promote", "L_NEW_1", "--force"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("completed -> promoted was not made; nothing was written"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        (status_of(&bench, &old), status_of(&bench, &new)),
        ("promoted".to_string(), "completed".to_string())
    );
    // Its answer is lost: read back, the events written once, success.
    let fault = Fault {
        matching: Match::Query(update.clone()),
        nth: 1,
        times: 1,
        action: Action::Cut,
    };
    let output = bench.with_fault(fault, &["exp", "promote", "L_NEW_1", "--force"]);
    let err = text(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(!err.contains("someone else"), "{err}");
    assert_eq!(status_of(&bench, &new), "promoted");
    assert_eq!(status_of(&bench, &old), "archived");
    let last = |id: &str| bench.events(id).last().map(|e| e.to_status.clone());
    assert_eq!(last(&new).as_deref(), Some("promoted"));
    assert_eq!(last(&old).as_deref(), Some("archived"));
    assert_eq!(
        bench.events(&new).len(),
        2,
        "registered, promoted: once each"
    );
    // The audit insert fails after the change: it stands, and it says so.
    for (command, name, to) in [
        ("promote", "L_NEW_2", "promoted"),
        ("archive", "L_NEW_1", "archived"),
    ] {
        let id = match command {
            "promote" => register(&bench, name, Status::Completed, "t2"),
            _ => new.clone(),
        };
        let fault = Fault {
            matching: Match::Query(bench.insert_into(true)),
            nth: 1,
            times: 1,
            action: Action::Fail(400),
        };
        let mut args = vec!["exp", command, name];
        if command == "promote" {
            args.push("--force");
        }
        let output = bench.with_fault(fault, &args);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("the status change stands")
                && err.contains(&format!("is now {to}"))
                && err.contains("audit event was not written"),
            "{command}: {err}"
        );
        assert_eq!(status_of(&bench, &id), to);
        let history = bench.courtside(&["exp", "history"]);
        let listed = text(&history.stderr);
        assert!(
            listed.contains(&format!(
                "status without its audit event: {name} ({id}) is {to}"
            )),
            "{command}: {listed}"
        );
    }
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn two_imports_and_two_registers_of_one_name_at_once_leave_one_experiment() {
    let bench = Bench::new("onename");
    let runs = three_folders(bench.dir.path(), "RACE");
    let spawn = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args(["--config", bench.config_path.to_str().unwrap()])
            .args(args)
            .env("COURTSIDE_DATA_DIR", bench.dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", bench.dir.path().join("config"))
            .env("COURTSIDE_ACTOR", "racer@example.com")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let import = ["exp", "import", runs.to_str().unwrap()];
    let both = [spawn(&import), spawn(&import)].map(|child| child.wait_with_output().unwrap());
    let names: Vec<String> = bench
        .named("RACE")
        .into_iter()
        .map(|row| row.experiment_name)
        .collect();
    assert_eq!(names, ["RACE_A", "RACE_B", "RACE_C"], "each name once");
    for output in both.iter().filter(|output| !output.status.success()) {
        assert!(
            text(&output.stderr).contains("the name is registered already, as experiment"),
            "{}",
            text(&output.stderr)
        );
    }
    let config = bench.dir.path().join("exp.yaml");
    std::fs::write(
        &config,
        "experiment_name: RACE_REGISTER\nhypothesis: races\nexperiment_type: feature\n\
         training: {start_date: \"2025-10-01\", end_date: \"2025-12-31\"}\n\
         evaluation: {start_date: \"2026-01-01\", end_date: \"2026-01-31\"}\n\
         model: {type: catboost, version: v9}\n",
    )
    .unwrap();
    let register = ["exp", "register", config.to_str().unwrap()];
    let both = [spawn(&register), spawn(&register)].map(|child| child.wait_with_output().unwrap());
    assert_eq!(bench.named("RACE_REGISTER").len(), 1);
    assert_eq!(
        both.iter().filter(|output| output.status.success()).count(),
        1,
        "one register wins"
    );
    // A third, later, is refused naming the experiment that holds the name.
    let id = bench.named("RACE_REGISTER")[0].experiment_id.clone();
    let again = bench.courtside(&register);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains(&format!("as experiment {id}")));
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_rerun_completes_an_experiment_registered_without_its_backtest_rows() {
    let bench = Bench::new("complete");
    let runs = three_folders(bench.dir.path(), "DONE");
    let first = bench.courtside(&["exp", "import", runs.to_str().unwrap()]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    // What an earlier version left: the registry row, no backtest rows.
    let b = bench.named("DONE_B")[0].experiment_id.clone();
    let mut params = Params::new();
    params
        .string("id", Some(&b))
        .date("from", Some(emulator::date("2000-01-01")));
    let sql = format!(
        "DELETE FROM `{}` WHERE experiment_id = @id AND game_date >= @from",
        bench.config.tables.backtest_predictions.qualified()
    );
    bench
        .runtime
        .block_on(bench.source.execute(&sql, params))
        .unwrap();
    assert_eq!(bench.backtest_count(&b), 0);
    let rerun = bench.courtside(&["exp", "import", runs.to_str().unwrap()]);
    let out = text(&rerun.stdout);
    assert!(rerun.status.success(), "{}", text(&rerun.stderr));
    assert!(
        out.contains("completed DONE_B: added the 7 backtest rows"),
        "{out}"
    );
    assert_whole(&bench, "DONE", &[("A", 5), ("B", 7), ("C", 3)]);
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_rollback_and_an_approval_are_told_as_they_stand_whichever_statement_fails() {
    let bench = Bench::new("rollfault");
    let update = format!("UPDATE `{}`", bench.config.tables.experiments.qualified());
    let a = register(&bench, "R_A", Status::Completed, "rb");
    let b = register(&bench, "R_B", Status::Completed, "rb");
    for name in ["R_A", "R_B"] {
        let output = bench.courtside(&["exp", "promote", name, "--force", "--no-notify"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let rollback = [
        "exp",
        "rollback",
        "--system",
        "rb",
        "--force",
        "--no-notify",
    ];
    // The rollback's change fails: nothing written, and it says so.
    let fault = Fault {
        matching: Match::Query(update.clone()),
        nth: 1,
        times: 1,
        action: Action::Fail(400),
    };
    let output = bench.with_fault(fault, &rollback);
    let err = text(&output.stderr);
    assert!(!output.status.success());
    assert!(err.contains("was not made; nothing was written"), "{err}");
    assert_eq!(
        (status_of(&bench, &a), status_of(&bench, &b)),
        ("archived".to_string(), "promoted".to_string())
    );
    // Its answer is lost: read back, and exactly its events.
    let fault = Fault {
        matching: Match::Query(update.clone()),
        nth: 1,
        times: 1,
        action: Action::Cut,
    };
    let output = bench.with_fault(fault, &rollback);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        (status_of(&bench, &a), status_of(&bench, &b)),
        ("promoted".to_string(), "archived".to_string())
    );
    let trail = |id: &str| -> Vec<String> {
        bench
            .events(id)
            .iter()
            .map(|e| {
                format!(
                    "{}->{}",
                    e.from_status.as_deref().unwrap_or("-"),
                    e.to_status
                )
            })
            .collect()
    };
    assert_eq!(
        trail(&a),
        [
            "-->completed",
            "completed->promoted",
            "promoted->archived",
            "archived->promoted"
        ]
    );
    assert_eq!(
        trail(&b),
        ["-->completed", "completed->promoted", "promoted->archived"]
    );
    // An approval: its request's event fails (nothing changed, said so),
    // then the approved change's event fails (the change stands, said so).
    let approving = bench.approving_config();
    let c = register(&bench, "R_C", Status::Completed, "rb");
    let fault = Fault {
        matching: Match::Query(bench.insert_into(true)),
        nth: 1,
        times: 1,
        action: Action::Fail(400),
    };
    bench.proxy.set(vec![fault.clone()]);
    let request = bench.courtside_as(&approving, "alice", &["exp", "promote", "R_C", "--force"]);
    bench.proxy.clear();
    let err = text(&request.stderr);
    assert!(!request.status.success(), "{err}");
    assert!(
        err.contains("the request was not recorded; nothing changed"),
        "{err}"
    );
    assert_eq!(trail(&c), ["-->completed"], "no request recorded");
    let request = bench.courtside_as(&approving, "alice", &["exp", "promote", "R_C", "--force"]);
    assert!(request.status.success(), "{}", text(&request.stderr));
    bench.proxy.set(vec![fault]);
    let approve = bench.courtside_as(&approving, "bob", &["exp", "approve", "R_C"]);
    bench.proxy.clear();
    let err = text(&approve.stderr);
    assert_eq!(approve.status.code(), Some(1), "{err}");
    assert!(err.contains("the status change stands"), "{err}");
    assert_eq!(status_of(&bench, &c), "promoted");
    let history = bench.courtside(&["exp", "history"]);
    assert!(
        text(&history.stderr).contains("R_C"),
        "{}",
        text(&history.stderr)
    );
}
