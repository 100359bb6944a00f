//! `courtside doctor`: reads every configured table's shape (metadata, free
//! on BigQuery), profiles the recent rows of the tables with a vocabulary or
//! a date worth knowing (one small pruned query each), runs the day stats of
//! the 30 days ending at the latest graded date (duplicates, unmapped line
//! sources), and judges every command and tab. Nothing is written.

use super::Context;
use super::doctor_features::{Inputs, features};
use super::doctor_report::{DataFindings, DoctorReport, QueryLine, TableCheck, check_table};
use crate::config::SourceKind;
use crate::source::schema::Dialect;
use crate::source::table_shape::TableShape;
use crate::source::tables::TableKind;
use crate::source::{DayStatsQuery, Source};
use chrono::{Days, NaiveDate, Utc};

/// Days of rows the doctor looks at.
pub const WINDOW_DAYS: u64 = 30;
/// Days of experiments the doctor counts the statuses and types of.
pub const REGISTRY_DAYS: u64 = 365;

/// The window of `days` days ending at `end`.
fn window_to(end: NaiveDate) -> (NaiveDate, NaiveDate) {
    (end - Days::new(WINDOW_DAYS - 1), end)
}

/// The rows a table's profile covers: the graded data's last 30 days for
/// the data tables, the experiments created in the last year (a registry
/// grows by a few a month); none for the tables the doctor only checks the
/// shape of.
fn profile_window(
    table: TableKind,
    data: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    match table {
        TableKind::PredictionAccuracy | TableKind::PlayerGameSummary => Some(data),
        TableKind::Experiments => Some((today - Days::new(REGISTRY_DAYS - 1), today)),
        _ => None,
    }
}

/// The source's dialect.
pub fn dialect(context: &Context) -> Dialect {
    match context.config.source.kind {
        SourceKind::Bigquery => Dialect::Bigquery,
        SourceKind::Embedded => Dialect::Sqlite,
    }
}

/// Checks every configured table, the recent rows and every feature.
pub async fn run(context: &Context) -> DoctorReport {
    let source = context.source.as_ref();
    let config = &context.config;
    let dialect = dialect(context);
    let today = Utc::now().date_naive();
    let log_start = source.query_log().len();
    let latest = source.latest_date(None).await.unwrap_or_default();
    let data_window = window_to(latest.unwrap_or(today));
    let mut tables = Vec::new();
    for (table, (key, name)) in TableKind::ALL.into_iter().zip(config.tables.entries()) {
        let window = profile_window(table, data_window, today);
        let check = match source.describe_table(table, window).await {
            Ok(shape) => check_table(&shape, key, today, &config.line_sources),
            Err(error) => {
                let shape = TableShape::missing(table, name.qualified(), dialect);
                TableCheck {
                    error: Some(format!("{error:#}")),
                    ..check_table(&shape, key, today, &config.line_sources)
                }
            }
        };
        tables.push(check);
    }
    let pa_usable = tables
        .iter()
        .any(|c| c.table == TableKind::PredictionAccuracy.name() && c.usable());
    let mut data = DataFindings {
        window: Some(data_window),
        latest_graded: latest,
        age_days: latest.map(|latest| (today - latest).num_days()),
        ..DataFindings::default()
    };
    if pa_usable {
        day_findings(source, context, data_window, &mut data).await;
    } else {
        data.day_stats_error = Some("no prediction_accuracy".to_string());
    }
    let inputs = Inputs {
        tables: &tables,
        data: &data,
        names: &config.tables,
        dialect,
        line_sources: &config.line_sources,
    };
    let (features, fixes) = features(&inputs);
    let exit_code = features
        .iter()
        .map(|feature| feature.status.exit_code())
        .max()
        .unwrap_or(0);
    let queries = source
        .query_log()
        .into_iter()
        .skip(log_start)
        .map(|record| QueryLine {
            tables: record.tables,
            bytes: record.bytes,
            dry_run: record.dry_run,
        })
        .collect();
    DoctorReport {
        source: source.info().label,
        today,
        tables,
        data,
        features,
        fixes,
        queries,
        exit_code,
    }
}

/// Duplicates and unmapped line sources of the window, from the day stats
/// every command uses (one pass, no query of its own).
async fn day_findings(
    source: &dyn Source,
    context: &Context,
    (from, to): (NaiveDate, NaiveDate),
    data: &mut DataFindings,
) {
    let query = DayStatsQuery::new(from, to, None, &context.config.thresholds);
    match source.day_stats(&query).await {
        Ok(bundle) => {
            for day in &bundle.system_days {
                if day.game_date < from || day.game_date > to {
                    continue;
                }
                data.duplicate_rows += day.duplicate_rows;
                data.duplicate_system_days += usize::from(day.duplicate_rows > 0);
                for (value, rows) in &day.unknown_line_sources {
                    *data.unknown_line_sources.entry(value.clone()).or_default() += rows;
                }
            }
        }
        Err(error) => data.day_stats_error = Some(format!("{error:#}")),
    }
}
