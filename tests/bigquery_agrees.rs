//! One test body, run against both sources: the demo season in the embedded
//! store and the same rows loaded into the BigQuery emulator must give the
//! same numbers from `diag`, `backfill`, `exp list`, `exp best` and `gap`,
//! and the same text from `export`.

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/proxy.rs"]
mod proxy;
#[path = "common/same_numbers.rs"]
mod same_numbers;

use courtside::config::Config;
use courtside::source::embedded::EmbeddedStore;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The story dates of the demo season, plus its first and last game dates;
/// January's gaps (metrics.md 5b, Rev. 3): no lines 01-17, not graded
/// 01-22, not predicted 01-24.
const DATES: [&str; 9] = [
    "2025-10-22",
    "2025-11-25",
    "2025-12-14",
    "2026-01-17",
    "2026-01-22",
    "2026-01-24",
    "2026-01-27",
    "2026-03-18",
    "2026-04-12",
];

fn courtside(dir: &Path, config: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .expect("run courtside");
    // diag's exit code follows the alert level; anything above 3 is a failure.
    let code = output.status.code().unwrap_or(-1);
    assert!(
        (0..=2).contains(&code) || (code == 3 && args[0] == "diag"),
        "courtside {args:?} exited {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !output.stdout.is_empty(),
        "courtside {args:?} printed nothing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The shared body: every command's output for one source, as JSON values.
fn everything(dir: &Path, config: &Path) -> Vec<(String, Value)> {
    let mut outputs = Vec::new();
    for date in DATES {
        let text = courtside(dir, config, &["diag", "--date", date, "--json"]);
        outputs.push((format!("diag {date}"), parse(&text)));
    }
    // Closing line value on the date whose snapshots the emulator holds
    // (diag's 30-day `clv` reaches dates it does not: compared here instead).
    for system in [
        "catboost_v8",
        "catboost_v9_shadow",
        "ensemble_v1",
        "xgboost_v7",
    ] {
        let text = courtside(
            dir,
            config,
            &[
                "clv",
                "--system",
                system,
                "--from",
                "2026-04-12",
                "--to",
                "2026-04-12",
                "--json",
            ],
        );
        outputs.push((format!("clv {system}"), parse(&text)));
    }
    let text = courtside(
        dir,
        config,
        &[
            "backfill",
            "--from",
            "2025-10-22",
            "--to",
            "2026-04-12",
            "--json",
        ],
    );
    let lines: Vec<Value> = text.lines().map(parse).collect();
    assert!(
        lines.len() > 150,
        "a season of game dates, got {}",
        lines.len()
    );
    outputs.push(("backfill".to_string(), Value::Array(lines)));
    let text = courtside(dir, config, &["exp", "list", "--all", "--json"]);
    outputs.push(("exp list".to_string(), parse(&text)));
    let text = courtside(dir, config, &["exp", "best"]);
    outputs.push(("exp best".to_string(), Value::String(text)));
    let text = courtside(
        dir,
        config,
        &["gap", "--experiment", "JAN_DEC_WALKFORWARD_V9", "--json"],
    );
    outputs.push(("gap".to_string(), parse(&text)));
    // Champion vs challenger and the splits: one aggregated query each.
    let text = courtside(
        dir,
        config,
        &["versus", "catboost_v8", "catboost_v9_shadow", "--json"],
    );
    outputs.push(("versus systems".to_string(), parse(&text)));
    let text = courtside(
        dir,
        config,
        &["versus", "catboost_v8", "JAN_DEC_WALKFORWARD_V9", "--json"],
    );
    outputs.push(("versus backtest".to_string(), parse(&text)));
    for system in ["catboost_v8", "xgboost_v7"] {
        let text = courtside(dir, config, &["splits", "--system", system, "--json"]);
        outputs.push((format!("splits {system}"), parse(&text)));
    }
    // The slate of the demo's late night, before tip-off and the morning after.
    for now in ["2026-04-12T21:00:00Z", "2026-04-13T12:00:00Z"] {
        let text = courtside(
            dir,
            config,
            &["slate", "--date", "2026-04-12", "--now", now, "--json"],
        );
        outputs.push((format!("slate {now}"), parse(&text)));
    }
    // Exports: byte-identical from either source.
    for (table, format) in [
        ("ml_experiments", "ndjson"),
        ("ml_experiment_events", "csv"),
        ("backtest_predictions", "csv"),
    ] {
        let text = courtside(dir, config, &["export", table, "--format", format]);
        outputs.push((format!("export {table}"), Value::String(text)));
    }
    outputs
}

/// `value` without any `clv` or `clv_difference`, at any depth.
fn without_clv(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(key, _)| *key != "clv" && *key != "clv_difference")
                .map(|(key, value)| (key.clone(), without_clv(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_clv).collect()),
        other => other.clone(),
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

use same_numbers::assert_same;

/// One refresh of the season (one query per dataset) against the older
/// per-date queries for the same days: the same bundle, and what each costs
/// in requests, bytes of JSON and wall time (printed for the report; time is
/// never asserted).
fn report_refresh_cost(
    runtime: &tokio::runtime::Runtime,
    source: &courtside::source::bigquery::BigQuerySource,
    config: &Config,
) {
    use courtside::source::{DayStatsQuery, Source};
    // The per-date side costs two queries a day: a month by default, the
    // whole season with COURTSIDE_REPORT_DAYS=173.
    let days: u64 = std::env::var("COURTSIDE_REPORT_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(30);
    let to: chrono::NaiveDate = "2026-04-12".parse().unwrap();
    let query = DayStatsQuery::new(
        to - chrono::Days::new(days - 1),
        to,
        Some(vec![config.production_system.clone()]),
        &config.thresholds,
    );
    let stats = source.stats();
    let before = stats.snapshot();
    let started = Instant::now();
    let pushed = runtime.block_on(source.day_stats(&query)).unwrap();
    let pushed_time = started.elapsed();
    let middle = stats.snapshot();
    let started = Instant::now();
    let per_date = runtime.block_on(source.day_stats_per_date(&query)).unwrap();
    let per_date_time = started.elapsed();
    let after = stats.snapshot();
    assert_eq!(middle.queries - before.queries, 2, "one query per dataset");
    assert_eq!(after.queries - middle.queries, 2 * days, "two per date");
    // The same rows (sums equal up to the order floats were added in).
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    assert_eq!(pushed.day_stats.len(), per_date.day_stats.len());
    for (a, b) in pushed.day_stats.iter().zip(&per_date.day_stats) {
        assert_eq!(
            (a.game_date, a.player_tier, a.cell.rows, a.cell.hits),
            (b.game_date, b.player_tier, b.cell.rows, b.cell.hits)
        );
        assert!(close(a.cell.sum_abs_error, b.cell.sum_abs_error));
    }
    assert_eq!(pushed.quality.len(), per_date.quality.len());
    assert_eq!(pushed.system_days.len(), per_date.system_days.len());
    for (a, b) in pushed.system_days.iter().zip(&per_date.system_days) {
        assert_eq!(
            (a.game_date, a.predictions_made),
            (b.game_date, b.predictions_made)
        );
        assert!(close(a.sum_feature_quality, b.sum_feature_quality));
    }
    eprintln!(
        "refresh of {days} days, one query per dataset: {} queries, {} requests, {} bytes of JSON, {:?}",
        middle.queries - before.queries,
        middle.requests - before.requests,
        middle.response_bytes - before.response_bytes,
        pushed_time
    );
    eprintln!(
        "the same days, one query per date and dataset: {} queries, {} requests, {} bytes of JSON, {:?}",
        after.queries - middle.queries,
        after.requests - middle.requests,
        after.response_bytes - middle.response_bytes,
        per_date_time
    );
}

/// Every command through a recording proxy: how many queries it sends, and
/// that each read of a partitioned table filters `game_date` by a parameter.
/// Printed as the README's table; the counts are held to their measured
/// values, so a new query is a deliberate change.
fn count_queries_per_command(runtime: &tokio::runtime::Runtime, dir: &Path, bigquery: &Config) {
    let proxy = proxy::start(runtime, &emulator::base_url());
    let mut through = bigquery.clone();
    through.source.bigquery.base_url = Some(proxy.url.clone());
    let config = emulator::write_config(&through, dir, "through-proxy.yaml");
    // Diagnostics add three reads for game day (metrics.md 5b, Rev. 3):
    // player_prop_predictions once, the schedule, the registry's created_at;
    // two for the promotion the since-promotion verdict counts from
    // (ml_experiments, its events; section 19); `diag` one for the close
    // (section 18) and one for the silences the systems are under.
    let commands: [(&[&str], usize); 12] = [
        (&["diag", "--json"], 11),
        (&["diag", "--date", "2026-03-18", "--json"], 11),
        (
            &[
                "backfill",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--json",
            ],
            9,
        ),
        (&["diag", "--date", "2026-03-18", "--persist", "--json"], 12),
        (
            &[
                "history",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--json",
            ],
            1,
        ),
        (&["exp", "list", "--json"], 2),
        (
            &["gap", "--experiment", "JAN_DEC_WALKFORWARD_V9", "--json"],
            3,
        ),
        (
            &["versus", "catboost_v8", "catboost_v9_shadow", "--json"],
            6,
        ),
        (&["splits", "--json"], 4),
        (&["diag", "--date", "2026-03-18", "--dry-run"], 10),
        (
            &[
                "versus",
                "catboost_v8",
                "catboost_v9_shadow",
                "--dry-run",
                "--json",
            ],
            6,
        ),
        (&["alerts", "--json"], 4),
    ];
    eprintln!("queries per command (BigQuery, measured through a proxy):");
    let mut wrong: Vec<String> = Vec::new();
    for (args, expected) in commands {
        proxy.take();
        let output = courtside(dir, &config, args);
        let seen = proxy.take();
        let project = format!(
            "{}.",
            bigquery
                .source
                .bigquery
                .project
                .as_deref()
                .unwrap_or_default()
        );
        let tables: Vec<String> = seen
            .iter()
            .map(|sql| courtside::source::bigquery::transport::tables_of(sql).replace(&project, ""))
            .collect();
        eprintln!(
            "  {:<60} {:>2}  {}",
            args.join(" "),
            seen.len(),
            tables.join(" | ")
        );
        for sql in &seen {
            assert!(
                proxy::filters_partitions(sql),
                "{args:?} read a partitioned table without a game_date filter:\n{sql}"
            );
        }
        // Two of them are the widening lookup: the demo's dates are older
        // than the recent window (live data is found in the first).
        if seen.len() != expected {
            wrong.push(format!(
                "{args:?}: {} queries, not {expected}: {tables:#?}",
                seen.len()
            ));
        }
        if args.contains(&"--dry-run") && args.contains(&"--json") {
            // The queries and their bytes as JSON, the billing minimum stated.
            let report: serde_json::Value = serde_json::from_str(&output)
                .unwrap_or_else(|error| panic!("{args:?}: not JSON ({error}): {output}"));
            let queries = report["queries"].as_array().unwrap();
            assert_eq!(queries.len(), seen.len(), "{output}");
            assert!(queries.iter().any(|q| q["kind"] == "estimate"), "{output}");
            assert!(
                queries
                    .iter()
                    .all(|q| q["bytes_billed"].as_u64() >= Some(10 << 20))
            );
            assert_eq!(report["billing_minimum_per_table_bytes"], 10 << 20);
        } else if args.contains(&"--dry-run") {
            eprintln!("{output}");
            assert!(
                output.contains("estimate")
                    && output.contains("max_bytes_billed")
                    && output.contains("at least 10 MB per table"),
                "{output}"
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn bigquery_gives_the_same_numbers_as_the_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("demo.sqlite");
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args([
            "--store",
            store_path.to_str().unwrap(),
            "demo",
            "--seasons",
            "1",
        ])
        .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut embedded = Config::default();
    embedded.source.embedded_path = Some(store_path.clone());
    let embedded_config = emulator::write_config(&embedded, dir.path(), "embedded.yaml");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    let (bigquery, source) = runtime.block_on(async {
        let (config, source) = emulator::fresh("agree").await;
        let store = EmbeddedStore::open(&store_path).unwrap();
        emulator::load_with_snapshots(&store, &source, &["2026-04-12"]).await;
        (config, source)
    });
    eprintln!(
        "loaded the demo season into {} in {:?}",
        bigquery
            .source
            .bigquery
            .project
            .as_deref()
            .unwrap_or_default(),
        started.elapsed()
    );
    let bigquery_config = emulator::write_config(&bigquery, dir.path(), "bigquery.yaml");

    let from_store = everything(dir.path(), &embedded_config);
    let from_bigquery = everything(dir.path(), &bigquery_config);
    for ((name, left), (_, right)) in from_store.iter().zip(&from_bigquery) {
        if name.starts_with("clv") {
            assert!(
                left["overall"]["n"].as_u64().unwrap_or(0) > 0,
                "{name}: {left}"
            );
        }
        // The emulator holds one date's line snapshots, the store all of
        // them: diag's 30-day `clv`, the splits rows' and versus's paired
        // `clv_difference` differ by design (the close is compared above,
        // on that date).
        assert_same(name, &without_clv(left), &without_clv(right));
    }
    report_refresh_cost(&runtime, &source, &bigquery);
    count_queries_per_command(&runtime, dir.path(), &bigquery);

    // The dashboard shows what `diag` printed, on either source.
    let diag_outputs = |outputs: &[(String, Value)]| -> Vec<(&'static str, Value)> {
        DATES
            .iter()
            .zip(outputs)
            .map(|(date, (_, value))| (*date, value.clone()))
            .collect()
    };
    let store = EmbeddedStore::open(&store_path).unwrap();
    runtime.block_on(async {
        same_numbers::assert_dashboard_matches_diag(
            "embedded",
            &store,
            &embedded.production_system,
            &embedded.thresholds,
            &diag_outputs(&from_store),
        )
        .await;
        same_numbers::assert_dashboard_matches_diag(
            "bigquery",
            &source,
            &bigquery.production_system,
            &bigquery.thresholds,
            &diag_outputs(&from_bigquery),
        )
        .await;
    });

    // The numbers are real ones, not two empty answers.
    let output = |name: &str| {
        &from_store
            .iter()
            .find(|(shown, _)| shown == name)
            .unwrap_or_else(|| panic!("no output {name}"))
            .1
    };
    let january = output("diag 2026-01-27");
    assert_eq!(january["primary_cause"], "vegas_sharpness", "{january}");
    assert!(
        output("exp list")
            .as_array()
            .is_some_and(|list| list.len() >= 20)
    );
    // January's gaps, told apart on both sources (equal above).
    for (date, gap) in [
        ("2026-01-17", "no lines"),
        ("2026-01-22", "not graded"),
        ("2026-01-24", "not predicted"),
    ] {
        let day = output(&format!("diag {date}"));
        assert_eq!(day["coverage_gap"], gap, "{date}: {day}");
    }
    let evening = output("slate 2026-04-12T21:00:00Z");
    assert_eq!(evening["level"], "critical", "{evening}");
    let morning = output("slate 2026-04-13T12:00:00Z");
    assert_eq!(morning["phase"], "final", "{morning}");
}
