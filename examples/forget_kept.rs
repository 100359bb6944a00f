//! Drops the day sums a store kept, so that the next read is a first pass
//! over every row, for the side-by-side script. It writes through the
//! bundled SQLite courtside itself uses, not through the older SQLite of the
//! Python running the script:
//!
//!     cargo run --release --example forget_kept -- STORE

const KEPT_TABLES: [&str; 4] = [
    "courtside_day_done",
    "courtside_day_cells",
    "courtside_day_systems",
    "courtside_day_quality",
];

fn main() {
    let Some(store) = std::env::args().nth(1) else {
        eprintln!("usage: forget_kept STORE");
        std::process::exit(2);
    };
    let outcome = (|| -> rusqlite::Result<usize> {
        let mut connection = rusqlite::Connection::open_with_flags(
            &store,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
        )?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        let transaction = connection.transaction()?;
        let mut dropped = 0;
        for table in KEPT_TABLES {
            let exists: bool = transaction.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                [table],
                |row| row.get(0),
            )?;
            if exists {
                // Table names are the constants above.
                dropped += transaction.execute(&format!("DELETE FROM {table}"), [])?;
            }
        }
        transaction.commit()?;
        Ok(dropped)
    })();
    match outcome {
        Ok(rows) => println!("kept day sums dropped ({rows} rows)"),
        Err(error) => {
            eprintln!("forget_kept: {store}: {error}");
            std::process::exit(1);
        }
    }
}
