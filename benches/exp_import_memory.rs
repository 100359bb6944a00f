//! Peak memory of `exp import` of one experiment folder with a big generated
//! backtest CSV, beside `courtside import backtest_predictions` of the same
//! rows (issue item 5: 4.4 GB for a 200 MB folder, where the import of a
//! 97 MB file peaked at 70 MB). The release binary runs as a child process
//! and its peak RSS is the kernel's (`wait4`, `ru_maxrss`). Not a criterion
//! benchmark: one run of each, the figures printed.
//!
//! `COURTSIDE_EXP_IMPORT_ROWS` sets the rows (default 2,600,000, about
//! 200 MB of CSV); CI only builds it (`cargo bench --no-run`).

use chrono::{Days, NaiveDate};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Game dates the rows spread over; the config's evaluation period.
const DAYS: u64 = 180;

fn rows() -> u64 {
    std::env::var("COURTSIDE_EXP_IMPORT_ROWS")
        .ok()
        .and_then(|text| text.replace('_', "").parse().ok())
        .unwrap_or(2_600_000)
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 21).unwrap_or(NaiveDate::MIN)
}

/// SplitMix64: one well-mixed value per row.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Writes `rows` backtest rows, each (player, game) once, every value
/// within its domain; with `experiment_id` as a first column when given
/// (what `import backtest_predictions` reads). Returns the bytes written.
fn write_csv(path: &Path, rows: u64, experiment_id: Option<&str>) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let id_column = experiment_id.map_or_else(String::new, |_| "experiment_id,".to_string());
    writeln!(
        out,
        "{id_column}player_lookup,game_id,game_date,predicted_points,line_value,line_source,actual_points,recommendation,prediction_correct"
    )?;
    let id_value = experiment_id.map_or_else(String::new, |id| format!("{id},"));
    for row in 0..rows {
        let day = row % DAYS;
        let player = row / DAYS;
        let date = first_day() + Days::new(day);
        let seed = mix(row);
        let line = 5 + seed % 40;
        let predicted_tenths = line * 10 + (seed >> 8) % 60;
        let actual = line + (seed >> 16) % 11 - 5;
        let over = predicted_tenths >= line * 10 + 5;
        let hit = (actual * 10 > line * 10 + 5) == over;
        writeln!(
            out,
            "{id_value}player{player:06},{}_g{},{date},{}.{},{line}.5,ACTUAL_PROP,{actual},{},{hit}",
            date.format("%Y%m%d"),
            player / 10,
            predicted_tenths / 10,
            predicted_tenths % 10,
            if over { "OVER" } else { "UNDER" },
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The experiment folder: config (evaluated over the rows' dates), results
/// and the backtest CSV.
fn write_folder(dir: &Path, rows: u64) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let last = first_day() + Days::new(DAYS - 1);
    std::fs::write(
        dir.join("config.yaml"),
        format!(
            "experiment_name: BENCH_BIG_BACKTEST\nhypothesis: \"a big backtest imports in flat memory\"\n\
             experiment_type: walk_forward\n\
             training: {{start_date: \"2024-10-01\", end_date: \"2025-10-01\"}}\n\
             evaluation: {{start_date: \"{}\", end_date: \"{last}\"}}\n\
             model: {{type: catboost, version: v9}}\n",
            first_day()
        ),
    )?;
    std::fs::write(
        dir.join("results.json"),
        r#"{"overall": {"hit_rate": 0.55, "mae": 4.9, "roi": 0.05, "samples": 1000}}"#,
    )?;
    write_csv(&dir.join("backtest_predictions.csv"), rows, None)
}

/// How one run went.
struct Run {
    ok: bool,
    wall: Duration,
    /// Peak resident set in bytes, where the platform says.
    peak: Option<u64>,
}

/// Runs `command` to its end and reads the child's own peak RSS.
#[cfg(unix)]
fn run(command: &mut Command) -> Run {
    let started = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by wait4 below, which also reads its rusage
    let child = command.spawn().expect("run courtside");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not waited for yet; both pointers are
    // to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    // The child is reaped by wait4 above; its handle is dropped here.
    drop(child);
    let ok = waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let max_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    // Linux counts kilobytes, macOS bytes.
    let peak = if cfg!(target_os = "macos") {
        max_rss
    } else {
        max_rss * 1024
    };
    Run {
        ok,
        wall,
        peak: (waited == pid).then_some(peak),
    }
}

#[cfg(not(unix))]
fn run(command: &mut Command) -> Run {
    let started = Instant::now();
    let ok = command.status().is_ok_and(|status| status.success());
    Run {
        ok,
        wall: started.elapsed(),
        peak: None,
    }
}

fn report(what: &str, run: &Run) {
    let peak = run.peak.map_or_else(
        || "not measured on this platform".to_string(),
        |bytes| format!("{:.1} MB", bytes as f64 / 1e6),
    );
    println!(
        "{what:<48} {:>7.1} s   peak RSS {peak}{}",
        run.wall.as_secs_f64(),
        if run.ok { "" } else { "   (FAILED)" }
    );
}

fn main() {
    let rows = rows();
    let work = tempfile::tempdir().expect("a temporary directory");
    let dir = work.path();
    let folder_bytes = write_folder(&dir.join("runs/01_big"), rows).expect("the folder");
    let import_file = dir.join("backtest_import.csv");
    let import_bytes =
        write_csv(&import_file, rows, Some("bench-import")).expect("the import file");
    println!(
        "{rows} backtest rows: folder CSV {:.0} MB, import CSV {:.0} MB",
        folder_bytes as f64 / 1e6,
        import_bytes as f64 / 1e6
    );
    let store = dir.join("store.sqlite");
    let courtside = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_courtside"));
        command
            .arg("--store")
            .arg(&store)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.join("data"))
            .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
            .env("COURTSIDE_ACTOR", "bench@example.com")
            .stdout(Stdio::null());
        command
    };
    // The import first: it makes the store (`exp import` needs one).
    let import = run(&mut courtside(&[
        "import",
        "backtest_predictions",
        import_file.to_str().expect("a UTF-8 path"),
    ]));
    report("courtside import backtest_predictions FILE", &import);
    let runs = dir.join("runs");
    let exp_import = run(&mut courtside(&[
        "exp",
        "import",
        runs.to_str().expect("a UTF-8 path"),
    ]));
    report("courtside exp import DIR", &exp_import);
    if !(import.ok && exp_import.ok) {
        std::process::exit(1);
    }
}
