//! Runs the older per-date method (four window queries per system and date)
//! over a store once and prints its wall time, for the side-by-side script:
//!
//!     cargo run --release --example per_date_backfill -- STORE FROM TO

#[path = "../benches/support/per_date.rs"]
mod per_date;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dates: Vec<chrono::NaiveDate> = args[1..].iter().filter_map(|d| d.parse().ok()).collect();
    let (Some(store), [from, to]) = (args.first(), dates.as_slice()) else {
        eprintln!("usage: per_date_backfill STORE FROM TO");
        std::process::exit(2);
    };
    let connection =
        rusqlite::Connection::open_with_flags(store, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the store");
    let started = std::time::Instant::now();
    let checksum = per_date::backfill(
        &connection,
        &["catboost_v8", "xgboost_v7", "ensemble_v1"],
        *from,
        *to,
    );
    println!("{:.3}", started.elapsed().as_secs_f64());
    eprintln!("per-date method: {from} to {to}, 3 systems, checksum {checksum:.3}");
}
