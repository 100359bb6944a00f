//! The BigQuery source's day stats: the two statements of
//! `day_stats_sql` run at once and their answers decoded into a bundle, the
//! rows they left out named.

use super::BigQuerySource;
use super::params::Params;
use super::rows::{DayStatsLine, day_stat_row, systems_params};
use crate::model::day_stats::{SkippedRow, SkippedRows};
use crate::model::{DayStatsBundle, QualityDay};
use crate::source::DayStatsQuery;
use anyhow::{Context, Result};

/// Adds `rows` skipped rows to `skipped`, `example` named among them.
fn note_skipped(skipped: &mut SkippedRows, rows: u64, example: SkippedRow) {
    let table = example.table.clone();
    skipped.note(example);
    skipped.count += rows.saturating_sub(1);
    *skipped.by_table.entry(table).or_default() += rows.saturating_sub(1);
}

impl BigQuerySource {
    /// The day stats of `query`: the predictions and the player-games
    /// queried at once, rows after the date limit never read (and named).
    pub(super) async fn read_day_stats(&self, query: &DayStatsQuery) -> Result<DayStatsBundle> {
        // Rows dated after today plus future_days are never read (and named).
        let not_after = self.dates.not_after();
        let to = query.to.min(not_after);
        let mut params = Params::new();
        params
            .date("from", Some(query.from))
            .date("to", Some(to))
            .date("not_after", Some(not_after))
            .float("edge", Some(query.edge_threshold))
            .int("lookback_days", Some(i64::from(query.tier_lookback_days)))
            .float("min_minutes", Some(query.tier_min_minutes))
            .float("star", Some(query.star_min))
            .float("starter", Some(query.starter_min))
            .float("rotation", Some(query.rotation_min))
            .strings("actual_sources", &query.line_sources.actual)
            .strings("estimated_sources", &query.line_sources.estimated)
            .strings("none_sources", &query.line_sources.none);
        systems_params(&mut params, query.systems.as_ref());
        let predictions = self.transport.query(&self.sql.day_stats, params.build());
        let mut quality_params = Params::new();
        quality_params
            .date("from", Some(query.from))
            .date("to", Some(to))
            .int("lookback_days", Some(i64::from(query.tier_lookback_days)));
        let quality = self
            .transport
            .query(&self.sql.quality, quality_params.build());
        // The two datasets are queried at once.
        let (predictions, quality) = tokio::try_join!(predictions, quality)?;
        let mut bundle = DayStatsBundle {
            promotions: Vec::new(),
            pregame: None,
            from: Some(query.from),
            to: Some(query.to),
            ..Default::default()
        };
        let mut unlisted = Vec::new();
        for record in predictions.rows.iter() {
            match day_stat_row(record).context("day stats")? {
                DayStatsLine::Cell(row) => bundle.day_stats.push(row),
                DayStatsLine::System(day) => bundle.system_days.push(day),
                DayStatsLine::UnlistedSource {
                    game_date,
                    system_id,
                    value,
                    rows,
                } => unlisted.push((game_date, system_id, value, rows)),
                DayStatsLine::Skipped { rows, mut example } => {
                    if example.problem.starts_with("after today") {
                        example.problem = self.dates.describe(not_after);
                    }
                    note_skipped(&mut bundle.skipped, rows, example);
                }
            }
        }
        // Every unlisted value belongs to a system day of the same answer.
        for (game_date, system_id, value, rows) in unlisted {
            if let Some(day) = bundle
                .system_days
                .iter_mut()
                .find(|day| day.game_date == game_date && day.system_id == system_id)
            {
                day.unknown_line_sources.insert(value, rows);
            }
        }
        for record in quality.rows.iter() {
            let skipped = record.u64("skipped_rows")?;
            if skipped > 0 {
                let column = record.str("skipped_column")?;
                let value = record.str("skipped_value")?;
                let problem = crate::source::domains::stored_outside(
                    crate::source::tables::TableKind::PlayerGameSummary,
                    &column,
                    value.parse().unwrap_or(f64::NAN),
                )
                .unwrap_or_else(|| "outside its domain".to_string());
                let example = SkippedRow {
                    table: "player_game_summary".to_string(),
                    key: format!(
                        "game_date {}, player_lookup {}",
                        record.date("game_date")?,
                        record.str("skipped_player")?
                    ),
                    column,
                    value,
                    problem,
                };
                note_skipped(&mut bundle.skipped, skipped, example);
            }
            if record.u64("n_rows")? == 0 {
                continue;
            }
            bundle.quality.push(QualityDay {
                game_date: Some(record.date("game_date")?),
                rows: record.u64("n_rows")?,
                complete_rows: record.u64("complete_rows")?,
                rated_rows: record.u64("rated_rows")?,
                sum_paint_rate: record.f64("sum_paint_rate")?,
                sum_three_rate: record.f64("sum_three_rate")?,
            });
        }
        Ok(bundle)
    }

    /// The day-stats query of the older design: one query per date. Kept only
    /// to measure what one query per refresh saves.
    pub async fn day_stats_per_date(&self, query: &DayStatsQuery) -> Result<DayStatsBundle> {
        let mut bundle = DayStatsBundle {
            promotions: Vec::new(),
            pregame: None,
            from: Some(query.from),
            to: Some(query.to),
            ..Default::default()
        };
        let mut day = query.from;
        while day <= query.to {
            let one = DayStatsQuery {
                from: day,
                to: day,
                ..query.clone()
            };
            let part = self.read_day_stats(&one).await?;
            bundle.day_stats.extend(part.day_stats);
            bundle.quality.extend(part.quality);
            bundle.system_days.extend(part.system_days);
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        Ok(bundle)
    }
}
