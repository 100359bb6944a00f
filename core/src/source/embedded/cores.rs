//! Running one pass over a store on every core: the range of stored dates is
//! cut into chunks that the cores take in turn, each core on its own
//! connection to the store file (SQLite steps one statement on one core),
//! and each core's partial result is handed back for the caller to add up.

use crate::model::day_stats::{SkippedRow, SkippedRows};
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// The most cores one pass uses.
const MAX_WORKERS: usize = 4;

/// Chunks per core: small enough that a core finishing early (a chunk of
/// off-season days holds no rows) takes another, large enough that each
/// statement's start-up is noise.
const CHUNKS_PER_WORKER: usize = 4;

/// The fewest days of one chunk.
const MIN_CHUNK_DAYS: i64 = 7;

/// Rows between two looks at the stop flag.
const STOP_CHECK_ROWS: u32 = 4096;

/// The error of a core that stopped because another failed: the other's
/// error is the one reported.
#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the pass was stopped: another core failed")
    }
}

impl std::error::Error for Stopped {}

/// A chunk's look at the stop flag (another core failed), every
/// [`STOP_CHECK_ROWS`] rows.
pub struct StopCheck<'a> {
    stop: &'a AtomicBool,
    until: u32,
}

impl<'a> StopCheck<'a> {
    pub fn new(stop: &'a AtomicBool) -> StopCheck<'a> {
        StopCheck {
            stop,
            until: STOP_CHECK_ROWS,
        }
    }

    /// Counts a row; an error when the pass was stopped.
    pub fn row(&mut self) -> Result<()> {
        self.until -= 1;
        if self.until == 0 {
            self.until = STOP_CHECK_ROWS;
            if self.stop.load(Ordering::Relaxed) {
                return Err(Stopped.into());
            }
        }
        Ok(())
    }
}

/// The stored `game_date` values of one chunk: `lo <= d < hi` and `d <= to`
/// (as the SQL's `:lo`, `:hi` and `:to`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub lo: String,
    pub hi: String,
}

/// Whether the store has the index `name`.
pub fn has_index(connection: &Connection, name: &str) -> rusqlite::Result<bool> {
    connection
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
        )?
        .query_row([name], |row| row.get(0))
}

/// The chunks of the stored values `[lo, to]` (as text; `lo` and `to` may
/// lie beyond the days `from..=last`, which decide where the cuts fall), one
/// chunk when the table is not `indexed` by date first (each chunk would
/// read the whole table), the machine has one core or the range is short.
/// Together they take every stored value of `[lo, to]` exactly once, dates
/// or not.
pub fn chunks(indexed: bool, lo: &str, to: &str, from: NaiveDate, last: NaiveDate) -> Vec<Chunk> {
    let days = (last - from).num_days() + 1;
    let workers = workers();
    let parts = if !indexed || workers < 2 || days < 2 * MIN_CHUNK_DAYS {
        1
    } else {
        (workers * CHUNKS_PER_WORKER) as i64
    };
    cut(lo, to, from, last, parts)
}

fn cut(lo: &str, to: &str, from: NaiveDate, last: NaiveDate, parts: i64) -> Vec<Chunk> {
    let days = (last - from).num_days() + 1;
    let size = ((days + parts - 1) / parts.max(1)).max(MIN_CHUNK_DAYS);
    let mut cuts: Vec<String> = vec![lo.to_string()];
    let mut day = from;
    while parts > 1
        && let Some(next) = day.checked_add_days(chrono::Days::new(size as u64))
        && next <= last
    {
        cuts.push(super::columns::date_text(next));
        day = next;
    }
    // Past `to` by any suffix: every value up to `to` sorts below it.
    cuts.push(format!("{to}~"));
    cuts.windows(2)
        .map(|pair| Chunk {
            lo: pair[0].clone(),
            hi: pair[1].clone(),
        })
        .collect()
}

/// The cores a pass uses: `COURTSIDE_PASS_CORES` (1 to 64) when set, else
/// the machine's, at most [`MAX_WORKERS`].
fn workers() -> usize {
    let asked = std::env::var("COURTSIDE_PASS_CORES")
        .ok()
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|cores| (1..=64).contains(cores));
    asked.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_WORKERS)
    })
}

/// Rows left out, by chunk: added up in chunk order, so a report shows the
/// examples a one-core pass meets first, whichever core read them.
#[derive(Default)]
pub struct SkipsByChunk(Vec<(usize, SkippedRows)>);

impl SkipsByChunk {
    /// Notes `row`, dated `day` (see [`SkippedRows::note_on`]), read in `chunk`.
    pub fn note(&mut self, chunk: usize, row: SkippedRow, day: Option<chrono::NaiveDate>) {
        match self.0.last_mut() {
            Some((last, skipped)) if *last == chunk => skipped.note_on(row, day),
            _ => {
                let mut skipped = SkippedRows::default();
                skipped.note_on(row, day);
                self.0.push((chunk, skipped));
            }
        }
    }

    pub fn merge(&mut self, other: SkipsByChunk) {
        self.0.extend(other.0);
    }

    pub fn in_order(mut self) -> SkippedRows {
        self.0.sort_by_key(|(chunk, _)| *chunk);
        let mut all = SkippedRows::default();
        for (_, skipped) in self.0 {
            all.merge(skipped);
        }
        all
    }
}

/// What a core does with one chunk (and its index): adds its rows to the
/// core's partial result, looking at the stop flag now and then (another
/// core failed).
pub trait ChunkWork<T>:
    Fn(&Connection, usize, &Chunk, &mut T, &AtomicBool) -> Result<()> + Sync
{
}
impl<T, F> ChunkWork<T> for F where
    F: Fn(&Connection, usize, &Chunk, &mut T, &AtomicBool) -> Result<()> + Sync
{
}

/// Runs `work` over every chunk and returns each core's partial result: on
/// `connection` alone when there is one chunk or the store has no file, else
/// on every core, each extra one on its own connection in a read
/// transaction of its own. A core whose connection does not open takes no
/// chunk; the first error stops every core and is returned.
pub fn run<T: Default + Send>(
    connection: &Connection,
    chunks: &[Chunk],
    work: impl ChunkWork<T>,
) -> Result<Vec<T>> {
    let path = connection
        .path()
        .filter(|path| !path.is_empty())
        .map(std::path::PathBuf::from);
    let read_only = connection.is_readonly("main").unwrap_or(true);
    let helpers = workers().min(chunks.len()).saturating_sub(1);
    let (Some(path), true) = (path, helpers > 0) else {
        let mut partial = T::default();
        let stop = AtomicBool::new(false);
        for (index, chunk) in chunks.iter().enumerate() {
            work(connection, index, chunk, &mut partial, &stop)?;
        }
        return Ok(vec![partial]);
    };
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let take = |connection: &Connection| -> Result<T> {
        let mut partial = T::default();
        loop {
            let index = next.fetch_add(1, Ordering::AcqRel);
            let Some(chunk) = chunks.get(index) else {
                return Ok(partial);
            };
            if stop.load(Ordering::Acquire) {
                return Err(Stopped.into());
            }
            if let Err(error) = work(connection, index, chunk, &mut partial, &stop) {
                stop.store(true, Ordering::Release);
                return Err(error);
            }
        }
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = (1..=helpers)
            .map(|n| {
                let (path, take) = (&path, &take);
                std::thread::Builder::new()
                    .name(format!("courtside-pass-{n}"))
                    .spawn_scoped(scope, move || -> Result<T> {
                        let Ok(own) = open(path, read_only) else {
                            return Ok(T::default());
                        };
                        let snapshot =
                            Transaction::new_unchecked(&own, TransactionBehavior::Deferred)?;
                        take(&snapshot)
                    })
            })
            .collect();
        let mine = take(connection);
        if mine.is_err() {
            stop.store(true, Ordering::Release);
        }
        let mut outcomes = vec![mine];
        // A thread that could not start took no chunk.
        for handle in spawned.into_iter().flatten() {
            outcomes.push(
                handle
                    .join()
                    .unwrap_or_else(|_| Err(anyhow!("a day-stats worker stopped unexpectedly"))),
            );
        }
        let mut partials = Vec::with_capacity(outcomes.len());
        let mut failure: Option<anyhow::Error> = None;
        for outcome in outcomes {
            match outcome {
                Ok(partial) => partials.push(partial),
                // The cause, not a core that stopped because of it.
                Err(error) if failure.as_ref().is_none_or(|seen| seen.is::<Stopped>()) => {
                    failure = Some(error);
                }
                Err(_) => {}
            }
        }
        match failure {
            Some(error) => Err(error),
            None => Ok(partials),
        }
    })
}

/// A helper core's connection to the store file, read-only when the main
/// one is, with the store's wait for a lock (see `store.rs`); read once, so
/// that a file this connection cannot read (a store read as immutable)
/// leaves the chunks to the others.
fn open(path: &std::path::Path, read_only: bool) -> rusqlite::Result<Connection> {
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let connection = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0))?;
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn the_failing_chunk_is_the_error_reported_whichever_core_met_it() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let connection = Connection::open(dir.path().join("store.sqlite")).expect("a store");
        let pieces = cut(
            "2025-04-15",
            "2026-04-14",
            date("2025-04-15"),
            date("2026-04-14"),
            16,
        );
        assert!(pieces.len() > 8);
        for _ in 0..5 {
            let outcome = run(&connection, &pieces, |_, index, _, seen: &mut usize, _| {
                std::thread::sleep(std::time::Duration::from_millis(2));
                if index == 5 {
                    return Err(anyhow!("chunk five does not read"));
                }
                *seen += 1;
                Ok(())
            });
            let error = outcome.expect_err("the pass fails");
            assert_eq!(error.to_string(), "chunk five does not read");
        }
        let counted: usize = run(&connection, &pieces, |_, _, _, seen: &mut usize, _| {
            *seen += 1;
            Ok(())
        })
        .expect("every chunk reads")
        .into_iter()
        .sum();
        assert_eq!(counted, pieces.len(), "every chunk once");
    }

    #[test]
    fn chunks_meet_end_to_end_and_take_every_value_once() {
        let pieces = cut(
            "0000-01-01",
            "9999-12-31",
            date("2025-04-15"),
            date("2026-04-14"),
            8,
        );
        assert_eq!(pieces.len(), 8, "{pieces:?}");
        assert_eq!(pieces[0].lo, "0000-01-01");
        assert_eq!(pieces[1].lo, "2025-05-31");
        assert_eq!(pieces.last().map(|c| c.hi.as_str()), Some("9999-12-31~"));
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].hi, pair[1].lo);
        }
        // A stray value between two dates falls in exactly one chunk.
        for stray in ["2025-05-31x", "2025-05-30~", "banana", "9999-12-31"] {
            let holding = pieces
                .iter()
                .filter(|c| c.lo.as_str() <= stray && stray < c.hi.as_str())
                .count();
            assert_eq!(holding, usize::from(stray != "banana"), "{stray}");
        }
        // A short range is one chunk; so is one part.
        let short = cut(
            "2025-04-15",
            "2025-04-20",
            date("2025-04-15"),
            date("2025-04-20"),
            8,
        );
        assert_eq!(short.len(), 1);
        let one = cut(
            "2025-04-15",
            "2026-04-14",
            date("2025-04-15"),
            date("2026-04-14"),
            1,
        );
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].lo.as_str(), one[0].hi.as_str()),
            ("2025-04-15", "2026-04-14~")
        );
        // A malformed value of the last date is read (and skipped by name).
        assert!("2026-04-14x" < one[0].hi.as_str());
    }
}
