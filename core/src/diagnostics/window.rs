//! Indexes a fetched `DayStatsBundle` by system and date and pools its cells
//! over calendar windows. Windows are exactly `k` days: `D-k+1 ..= D`.

use crate::model::game_day::{PredictedDay, PregameDays, ScheduledDay};
use crate::model::{
    ConfidenceTier, DayStatsBundle, LineKind, PlayerTier, QualityDay, SkippedRows, StatCell,
    SystemDay,
};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// An inclusive range of calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateWindow {
    /// The `days`-day window ending at `end`: `end - days + 1 ..= end`.
    pub fn ending(end: NaiveDate, days: u32) -> DateWindow {
        let span = u64::from(days.max(1) - 1);
        DateWindow {
            start: end
                .checked_sub_days(Days::new(span))
                .unwrap_or(NaiveDate::MIN),
            end,
        }
    }

    /// The baseline window: `baseline_days` dates ending the day before the
    /// `current_days` window ending at `end` starts (`D-73 ..= D-14` by default).
    pub fn baseline(end: NaiveDate, current_days: u32, baseline_days: u32) -> DateWindow {
        let current = DateWindow::ending(end, current_days);
        let baseline_end = current.start.pred_opt().unwrap_or(NaiveDate::MIN);
        DateWindow::ending(baseline_end, baseline_days)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Every date of the window, ascending.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let end = self.end;
        self.start.iter_days().take_while(move |day| *day <= end)
    }
}

/// The rows of a window that say something of the data (metrics.md
/// section 1, Rev. 3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowFindings {
    /// Predictions (one row per player, game and system: the rows that count).
    pub predictions: u64,
    /// Rows of a bet left out for the one that counts.
    pub duplicate_rows: u64,
    /// Counted rows by `line_source` value no list names.
    pub unknown_line_sources: BTreeMap<String, u64>,
}

/// One group of a day: its keys and its counts.
#[derive(Debug, Clone, Copy)]
pub struct GroupCell {
    pub player_tier: PlayerTier,
    pub confidence_tier: ConfidenceTier,
    pub line_kind: LineKind,
    pub cell: StatCell,
}

/// The bundle, indexed for window sums.
#[derive(Debug, Default)]
pub struct DayIndex {
    by_system: HashMap<String, BTreeMap<NaiveDate, Vec<GroupCell>>>,
    quality: BTreeMap<NaiveDate, QualityDay>,
    system_days: HashMap<(String, NaiveDate), SystemDay>,
    skipped: SkippedRows,
    /// Prediction and player-game rows the fetch counted (the skipped ones' base).
    rows_counted: u64,
    /// The pre-game tables' days, when the source has them.
    pregame: Option<PregameIndex>,
    /// Each system's first game date (see [`DayIndex::first_day`]).
    first_days: HashMap<String, NaiveDate>,
    /// Each system's current promotion (section 19).
    promotions: Vec<crate::model::experiment::PromotionMark>,
}

/// The pre-game days of a bundle, indexed by system and date.
#[derive(Debug, Default)]
struct PregameIndex {
    predicted: HashMap<(String, NaiveDate), PredictedDay>,
    scheduled: BTreeMap<NaiveDate, ScheduledDay>,
}

impl PregameIndex {
    fn new(days: &PregameDays) -> PregameIndex {
        PregameIndex {
            predicted: days
                .predicted
                .iter()
                .map(|day| ((day.system_id.clone(), day.game_date), day.clone()))
                .collect(),
            scheduled: days
                .scheduled
                .iter()
                .map(|day| (day.game_date, day.clone()))
                .collect(),
        }
    }
}

impl DayIndex {
    pub fn new(bundle: &DayStatsBundle) -> DayIndex {
        let mut by_system: HashMap<String, BTreeMap<NaiveDate, Vec<GroupCell>>> = HashMap::new();
        for row in &bundle.day_stats {
            // Clone the system id once per system, not once per row.
            if !by_system.contains_key(&row.system_id) {
                by_system.insert(row.system_id.clone(), BTreeMap::new());
            }
            if let Some(days) = by_system.get_mut(&row.system_id) {
                days.entry(row.game_date).or_default().push(GroupCell {
                    player_tier: row.player_tier,
                    confidence_tier: row.confidence_tier,
                    line_kind: row.line_kind,
                    cell: row.cell,
                });
            }
        }
        let quality = bundle
            .quality
            .iter()
            .filter_map(|day| day.game_date.map(|date| (date, *day)))
            .collect();
        let system_days = bundle
            .system_days
            .iter()
            .map(|day| ((day.system_id.clone(), day.game_date), day.clone()))
            .collect();
        let rows_counted = bundle
            .system_days
            .iter()
            .map(|day| day.predictions_made)
            .chain(bundle.quality.iter().map(|day| day.rows))
            .sum();
        DayIndex {
            by_system,
            quality,
            system_days,
            skipped: bundle.skipped.clone(),
            rows_counted,
            pregame: bundle.pregame.as_ref().map(PregameIndex::new),
            first_days: first_days(bundle),
            promotions: bundle.promotions.clone(),
        }
    }

    /// The current promotion of `system` (metrics.md section 19), if any.
    pub fn promotion(&self, system: &str) -> Option<&crate::model::experiment::PromotionMark> {
        self.promotions.iter().find(|mark| mark.system_id == system)
    }

    /// The source has the pre-game tables (predictions and schedule).
    pub fn has_pregame(&self) -> bool {
        self.pregame.is_some()
    }

    /// The schedule's day `date`, when it has games on it.
    pub fn scheduled(&self, date: NaiveDate) -> Option<&ScheduledDay> {
        self.pregame
            .as_ref()?
            .scheduled
            .get(&date)
            .filter(|day| day.games > 0)
    }

    /// Active predictions of `system` on `date` and how many had a line
    /// (zero when the tables have none), `None` without the pre-game tables.
    pub fn predicted(&self, system: &str, date: NaiveDate) -> Option<(u64, u64)> {
        let pregame = self.pregame.as_ref()?;
        Some(
            pregame
                .predicted
                .get(&(system.to_string(), date))
                .map_or((0, 0), |day| (day.predicted, day.with_line)),
        )
    }

    /// The first game date `system` is judged from (section 5b, Rev. 3):
    /// its first graded row or active prediction, or its `model_registry`
    /// `created_at`, whichever is earliest; `None` when nothing shows it ran.
    pub fn first_day(&self, system: &str) -> Option<NaiveDate> {
        self.first_days.get(system).copied()
    }

    /// Stored rows the fetch left out (a data-quality finding).
    pub fn skipped(&self) -> &SkippedRows {
        &self.skipped
    }

    /// The skipped rows' share of all rows the fetch read (skipped included);
    /// `None` when nothing was skipped.
    pub fn skipped_share(&self) -> Option<f64> {
        let skipped = self.skipped.count;
        (skipped > 0).then(|| skipped as f64 / (skipped + self.rows_counted) as f64)
    }

    /// Systems present in the graded data, sorted.
    pub fn systems(&self) -> Vec<String> {
        let mut systems: Vec<String> = self.by_system.keys().cloned().collect();
        systems.sort();
        systems
    }

    /// Dates with graded rows for `system`, ascending.
    pub fn dates(&self, system: &str) -> Vec<NaiveDate> {
        self.by_system
            .get(system)
            .map(|days| days.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Calls `visit` with each date of `system` in `window` and its groups.
    pub fn for_each_day(
        &self,
        system: &str,
        window: DateWindow,
        mut visit: impl FnMut(NaiveDate, &[GroupCell]),
    ) {
        if let Some(days) = self.by_system.get(system) {
            for (day, groups) in days.range(window.start..=window.end) {
                visit(*day, groups);
            }
        }
    }

    /// Calls `visit` with every group of `system` in `window`.
    pub fn for_each(&self, system: &str, window: DateWindow, mut visit: impl FnMut(&GroupCell)) {
        if let Some(days) = self.by_system.get(system) {
            for (_, cells) in days.range(window.start..=window.end) {
                cells.iter().for_each(&mut visit);
            }
        }
    }

    /// Pools the cells of `system` over `window` that pass `keep`.
    pub fn pool(
        &self,
        system: &str,
        window: DateWindow,
        keep: impl Fn(&GroupCell) -> bool,
    ) -> StatCell {
        let mut total = StatCell::default();
        self.for_each(system, window, |group| {
            if keep(group) {
                total += &group.cell;
            }
        });
        total
    }

    /// Pools the data-quality days of `window`.
    pub fn quality(&self, window: DateWindow) -> QualityDay {
        let mut total = QualityDay::default();
        for day in self
            .quality
            .range(window.start..=window.end)
            .map(|(_, day)| day)
        {
            total.rows += day.rows;
            total.complete_rows += day.complete_rows;
            total.rated_rows += day.rated_rows;
            total.sum_paint_rate += day.sum_paint_rate;
            total.sum_three_rate += day.sum_three_rate;
        }
        total
    }

    pub fn system_day(&self, system: &str, date: NaiveDate) -> Option<&SystemDay> {
        self.system_days.get(&(system.to_string(), date))
    }

    /// What the system days of `window` hold beyond the figures: the
    /// predictions (one row per bet), the rows left out of a bet, and the counted rows of
    /// each `line_source` value no configured list names.
    pub fn row_findings(&self, system: &str, window: DateWindow) -> RowFindings {
        let mut findings = RowFindings::default();
        for day in window.days() {
            if let Some(counts) = self.system_day(system, day) {
                findings.predictions += counts.predictions_made;
                findings.duplicate_rows += counts.duplicate_rows;
                for (value, rows) in &counts.unknown_line_sources {
                    *findings
                        .unknown_line_sources
                        .entry(value.clone())
                        .or_default() += rows;
                }
            }
        }
        findings
    }

    /// Bets of `prediction_accuracy` of `system` on `date` (graded or not;
    /// one row per bet).
    pub fn predictions_made(&self, system: &str, date: NaiveDate) -> u64 {
        self.system_day(system, date)
            .map_or(0, |day| day.predictions_made)
    }

    /// Player-games with minutes played on `date` (0: not a game date).
    pub fn player_games(&self, date: NaiveDate) -> u64 {
        self.quality.get(&date).map_or(0, |day| day.rows)
    }

    /// Game dates (player-games with minutes played) before `date`, latest first.
    pub fn game_dates_before(&self, date: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        self.quality
            .range(..date)
            .rev()
            .filter(|(_, day)| day.rows > 0)
            .map(|(day, _)| *day)
    }

    /// Bets and hits of `system` per date with graded rows, ascending.
    pub fn bet_days(&self, system: &str) -> Vec<(NaiveDate, u64, u64)> {
        self.by_system
            .get(system)
            .map(|days| {
                days.iter()
                    .map(|(day, groups)| {
                        let (bets, hits) = groups.iter().fold((0, 0), |(b, h), group| {
                            (b + group.cell.bets, h + group.cell.hits)
                        });
                        (*day, bets, hits)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Each system's first game date: its first graded row or active
/// prediction, or its `model_registry` `created_at`, whichever is earliest.
fn first_days(bundle: &DayStatsBundle) -> HashMap<String, NaiveDate> {
    let mut first: HashMap<String, NaiveDate> = HashMap::new();
    let mut note = |system: &str, date: NaiveDate| {
        first
            .entry(system.to_string())
            .and_modify(|day| *day = (*day).min(date))
            .or_insert(date);
    };
    for row in &bundle.day_stats {
        note(&row.system_id, row.game_date);
    }
    for day in bundle
        .system_days
        .iter()
        .filter(|day| day.predictions_made > 0)
    {
        note(&day.system_id, day.game_date);
    }
    if let Some(pregame) = &bundle.pregame {
        for day in pregame.predicted.iter().filter(|day| day.predicted > 0) {
            note(&day.system_id, day.game_date);
        }
        for (system, date) in &pregame.first_days {
            note(system, *date);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn seven_day_window_excludes_d_minus_7() {
        let window = DateWindow::ending(date("2026-01-20"), 7);
        assert_eq!(window.start, date("2026-01-14"));
        assert!(!window.contains(date("2026-01-13")));
        assert!(window.contains(date("2026-01-20")));
    }

    #[test]
    fn baseline_ends_the_day_before_the_14_day_window() {
        let window = DateWindow::baseline(date("2026-03-15"), 14, 60);
        // D-14 = 2026-03-01, D-73 = 2026-01-01.
        assert_eq!(window.end, date("2026-03-01"));
        assert_eq!(window.start, date("2026-01-01"));
    }
}
