//! The predictions' half of a day-stats pass: every bet of the range (one
//! row per bet, `one_bet.rs`) summed into per-day cells per system, chunk by
//! chunk on every core (`cores.rs`), and the cores' sums added together at
//! the end.

use super::cells::{Days, date_prefix, skipped_row};
use super::cores::{self, Chunk, SkipsByChunk, StopCheck};
use super::scoring::{PlayerScoring, player_tier};
use super::stored_rows::{ROW_COLUMNS, StoredBet, read_bet};
use super::sum::Sum;
use crate::model::{ConfidenceTier, LineKind, PlayerTier, StatCell};
use crate::source::DayStatsQuery;
use anyhow::Result;
use rusqlite::{Connection, named_params};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

/// Cells of one day: player tier x confidence tier x line kind.
pub const CELLS_PER_DAY: usize = 5 * 4 * 4;

pub fn cell_slot(tier: PlayerTier, confidence: ConfidenceTier, kind: LineKind) -> usize {
    let tier = PlayerTier::ALL.iter().position(|t| *t == tier).unwrap_or(0);
    let confidence = ConfidenceTier::ALL
        .iter()
        .position(|c| *c == confidence)
        .unwrap_or(0);
    let kind = LineKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    (tier * 4 + confidence) * 4 + kind
}

fn confidence_tier(decile: Option<i64>) -> ConfidenceTier {
    match decile {
        Some(8..=10) => ConfidenceTier::Tier1,
        Some(5..=7) => ConfidenceTier::Tier2,
        Some(1..=4) => ConfidenceTier::Tier3,
        _ => ConfidenceTier::None,
    }
}

/// Rounds an absolute error to tenths, as the beats-vegas rule compares them.
fn tenths(error: f64) -> i64 {
    (error * 10.0).round() as i64
}

/// One cell's counts and compensated sums.
#[derive(Debug, Clone, Copy, Default)]
pub struct CellSums {
    pub rows: u64,
    lined_rows: u64,
    beats: u64,
    bets: u64,
    hits: u64,
    abs_error: Sum,
    signed_error: Sum,
    line_abs_error: Sum,
    abs_error_lined: Sum,
}

impl CellSums {
    pub fn cell(&self) -> StatCell {
        StatCell {
            rows: self.rows,
            sum_abs_error: self.abs_error.value(),
            sum_signed_error: self.signed_error.value(),
            lined_rows: self.lined_rows,
            sum_line_abs_error: self.line_abs_error.value(),
            sum_abs_error_lined: self.abs_error_lined.value(),
            beats: self.beats,
            bets: self.bets,
            hits: self.hits,
        }
    }

    fn merge(&mut self, other: &CellSums) {
        self.rows += other.rows;
        self.lined_rows += other.lined_rows;
        self.beats += other.beats;
        self.bets += other.bets;
        self.hits += other.hits;
        self.abs_error.merge(other.abs_error);
        self.signed_error.merge(other.signed_error);
        self.line_abs_error.merge(other.line_abs_error);
        self.abs_error_lined.merge(other.abs_error_lined);
    }
}

/// One system's sums over the range, dense by day offset.
pub struct SystemSums {
    pub name: Vec<u8>,
    pub cells: Vec<CellSums>,
    pub predictions: Vec<u64>,
    pub voided: Vec<u64>,
    pub quality_rows: Vec<u64>,
    pub quality_sum: Vec<Sum>,
    /// Rows of a bet left out for the one that counts.
    pub duplicates: Vec<u64>,
    /// Counted rows whose `line_source` no list names, by day offset and value.
    pub unknown_sources: BTreeMap<(usize, Vec<u8>), u64>,
}

impl SystemSums {
    fn new(name: &[u8], days: usize) -> SystemSums {
        SystemSums {
            name: name.to_vec(),
            cells: vec![CellSums::default(); days * CELLS_PER_DAY],
            predictions: vec![0; days],
            voided: vec![0; days],
            quality_rows: vec![0; days],
            quality_sum: vec![Sum::default(); days],
            duplicates: vec![0; days],
            unknown_sources: BTreeMap::new(),
        }
    }

    fn merge(&mut self, other: &SystemSums) {
        for (mine, theirs) in self.cells.iter_mut().zip(&other.cells) {
            if theirs.rows > 0 {
                mine.merge(theirs);
            }
        }
        let counts = [
            (&mut self.predictions, &other.predictions),
            (&mut self.voided, &other.voided),
            (&mut self.quality_rows, &other.quality_rows),
            (&mut self.duplicates, &other.duplicates),
        ];
        for (mine, theirs) in counts {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        for (a, b) in self.quality_sum.iter_mut().zip(&other.quality_sum) {
            a.merge(*b);
        }
        for (key, count) in &other.unknown_sources {
            *self.unknown_sources.entry(key.clone()).or_default() += count;
        }
    }
}

/// The sums of every system seen, and the rows left out.
#[derive(Default)]
pub struct Tally {
    pub systems: Vec<SystemSums>,
    pub skipped: SkipsByChunk,
    /// The index of the system of the last row (rows of one system come
    /// together).
    last_system: usize,
}

impl Tally {
    fn system(&mut self, name: &[u8], day_count: usize) -> &mut SystemSums {
        if self
            .systems
            .get(self.last_system)
            .is_none_or(|s| s.name != name)
        {
            self.last_system = match self.systems.iter().position(|s| s.name == name) {
                Some(index) => index,
                None => {
                    self.systems.push(SystemSums::new(name, day_count));
                    self.systems.len() - 1
                }
            };
        }
        &mut self.systems[self.last_system]
    }

    fn merge(&mut self, other: Tally) {
        for theirs in other.systems {
            match self.systems.iter_mut().find(|s| s.name == theirs.name) {
                Some(mine) => mine.merge(&theirs),
                None => self.systems.push(theirs),
            }
        }
        self.skipped.merge(other.skipped);
    }
}

/// What every chunk of one pass shares.
pub struct Frame<'a> {
    pub query: &'a DayStatsQuery,
    pub scoring: &'a PlayerScoring,
    /// The day number of offset 0 and the number of days kept.
    pub first_day: i32,
    pub day_count: usize,
    /// `query.systems` as a JSON array, or none for every system.
    pub systems: Option<String>,
    /// The SQL of one chunk (`:lo`, `:hi`, `:to`, `:systems`, `:edge`).
    pub sql: String,
}

/// Sums the chunks' rows on every core.
pub fn tally(connection: &Connection, chunks: &[Chunk], frame: &Frame<'_>) -> Result<Tally> {
    let partials = cores::run(
        connection,
        chunks,
        |connection, index, chunk, tally, stop| {
            tally_chunk(connection, index, chunk, frame, tally, stop)
        },
    )?;
    let mut total = Tally::default();
    for partial in partials {
        total.merge(partial);
    }
    Ok(total)
}

/// Sums one chunk's bets into `tally`: the rows of one bet come together,
/// and the one that counts is kept while they are read.
fn tally_chunk(
    connection: &Connection,
    index: usize,
    chunk: &Chunk,
    frame: &Frame<'_>,
    tally: &mut Tally,
    stop: &AtomicBool,
) -> Result<()> {
    let query = frame.query;
    let mut days = Days::default();
    let mut statement = connection.prepare_cached(&frame.sql)?;
    let mut rows = statement.query(named_params! {
        ":lo": chunk.lo, ":hi": chunk.hi,
        ":systems": frame.systems, ":edge": query.edge_threshold,
    })?;
    let mut check = StopCheck::new(stop);
    // The row of the open bet that counts so far, and the row being read.
    let mut best: Option<StoredBet> = None;
    let mut next = StoredBet::default();
    while let Some(row) = rows.next()? {
        check.row()?;
        if let Err(bad) = read_bet(row, &mut days, &mut next) {
            tally.skipped.note(
                index,
                skipped_row(
                    "prediction_accuracy",
                    &ROW_COLUMNS,
                    row,
                    &[("rowid", 13), ("player_lookup", 2), ("system_id", 1)],
                    bad,
                ),
                date_prefix(row, 0),
            );
            continue;
        }
        match &mut best {
            Some(open) if open.same_bet(&next) => {
                if next.counts_before(open) {
                    std::mem::swap(open, &mut next);
                }
                // `next` now holds the row left out; a superseded one is a
                // re-prediction's old row (section 1), not a duplicate.
                if !next.superseded
                    && let Some(offset) = frame.offset(open.day)
                {
                    tally.system(&open.system, frame.day_count).duplicates[offset] += 1;
                }
            }
            Some(open) => {
                count(open, frame, tally);
                std::mem::swap(open, &mut next);
            }
            None => best = Some(std::mem::take(&mut next)),
        }
    }
    if let Some(open) = &best {
        count(open, frame, tally);
    }
    Ok(())
}

impl Frame<'_> {
    /// The offset of `day` in the pass's days, when it lies among them.
    fn offset(&self, day: i32) -> Option<usize> {
        usize::try_from(day - self.first_day)
            .ok()
            .filter(|o| *o < self.day_count)
    }
}

/// Adds the row that counts for one bet to its system's day.
fn count(bet: &StoredBet, frame: &Frame<'_>, tally: &mut Tally) {
    let query = frame.query;
    let Some(offset) = frame.offset(bet.day) else {
        return;
    };
    let totals = tally.system(&bet.system, frame.day_count);
    totals.predictions[offset] += 1;
    if bet.voided {
        totals.voided[offset] += 1;
    }
    // NaN and infinities are missing, as the BigQuery query reads them.
    if let Some(quality) = bet.feature_quality.filter(|q| q.is_finite()) {
        totals.quality_rows[offset] += 1;
        totals.quality_sum[offset].add(quality);
    }
    let kind = query
        .line_sources
        .kind_of_bytes(bet.line_source.as_deref(), bet.has_prop_line);
    if kind == LineKind::Unknown
        && let Some(value) = &bet.line_source
    {
        *totals
            .unknown_sources
            .entry((offset, value.clone()))
            .or_default() += 1;
    }
    let (true, Some(predicted), Some(actual)) = (bet.graded, bet.predicted, bet.actual) else {
        return;
    };
    let lookback = i32::try_from(query.tier_lookback_days).unwrap_or(i32::MAX / 2);
    let prior = frame
        .scoring
        .get(&bet.player)
        .and_then(|history| history.prior_mean(bet.day, lookback));
    let slot = cell_slot(player_tier(prior, query), confidence_tier(bet.decile), kind);
    let cell = &mut totals.cells[offset * CELLS_PER_DAY + slot];
    let error = (predicted - actual).abs();
    cell.rows += 1;
    cell.abs_error.add(error);
    cell.signed_error.add(predicted - actual);
    if let Some(line) = bet.line {
        let line_error = (line - actual).abs();
        cell.lined_rows += 1;
        cell.line_abs_error.add(line_error);
        cell.abs_error_lined.add(error);
        if tenths(error) < tenths(line_error) {
            cell.beats += 1;
        }
    }
    if bet.bet {
        cell.bets += 1;
        if bet.correct == Some(true) {
            cell.hits += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_slots_and_rounding_follow_the_definitions() {
        assert_eq!(confidence_tier(Some(8)), ConfidenceTier::Tier1);
        assert_eq!(confidence_tier(Some(5)), ConfidenceTier::Tier2);
        assert_eq!(confidence_tier(Some(4)), ConfidenceTier::Tier3);
        assert_eq!(confidence_tier(Some(0)), ConfidenceTier::None);
        assert_eq!(confidence_tier(None), ConfidenceTier::None);
        assert_eq!(tenths(2.25), 23);
        assert_eq!(tenths(0.049_999), 0);
        let mut seen = std::collections::HashSet::new();
        for tier in PlayerTier::ALL {
            for confidence in ConfidenceTier::ALL {
                for kind in LineKind::ALL {
                    let slot = cell_slot(tier, confidence, kind);
                    assert!(slot < CELLS_PER_DAY && seen.insert(slot));
                }
            }
        }
    }

    #[test]
    fn merged_sums_equal_the_sums_of_all_rows() {
        let mut a = Tally::default();
        let mut b = Tally::default();
        a.system(b"x", 2).predictions[0] += 3;
        a.system(b"x", 2).cells[0].abs_error.add(0.1);
        a.system(b"x", 2).cells[0].rows += 1;
        b.system(b"x", 2).predictions[1] += 2;
        b.system(b"x", 2).cells[0].abs_error.add(0.2);
        b.system(b"x", 2).cells[0].rows += 1;
        b.system(b"y", 2).voided[1] += 1;
        a.merge(b);
        assert_eq!(a.systems.len(), 2);
        let x = &a.systems[0];
        assert_eq!(x.predictions, vec![3, 2]);
        assert_eq!(x.cells[0].rows, 2);
        let mut whole = Sum::default();
        whole.add(0.1);
        whole.add(0.2);
        assert_eq!(x.cells[0].abs_error.value(), whole.value());
        assert_eq!(a.systems[1].voided, vec![0, 1]);
    }
}
