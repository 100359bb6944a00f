//! The Splits and Versus views (metrics.md sections 13 and 14) from one
//! aggregated query each: which rows a side stands for, the default window,
//! and the analysis. The CLI and the dashboard both call these.

use super::find_experiment;
use crate::config::Thresholds;
use crate::diagnostics::split_clv::{self, EdgeBucket};
use crate::diagnostics::{splits, versus};
use crate::model::rows::ExperimentRow;
use crate::model::splits::SplitsReport;
use crate::model::versus::{Side, VersusReport};
use crate::source::Source;
use crate::source::clv_sql::ClvQuery;
use crate::source::pushdown::{PairQuery, SplitsQuery, edge_bounds, edge_label};
use anyhow::{Result, bail};
use chrono::{Days, NaiveDate};

/// Days of the Versus window when neither the command nor an experiment gives one.
pub const VERSUS_DAYS: u64 = 30;

/// `system`'s splits over the `days` dates ending `to`.
pub async fn splits(
    source: &dyn Source,
    thresholds: &Thresholds,
    system: &str,
    to: NaiveDate,
    days: u32,
) -> Result<SplitsReport> {
    let from = to - Days::new(u64::from(days.max(1)) - 1);
    let query = SplitsQuery {
        system: system.to_string(),
        from,
        to,
        edge_threshold: thresholds.edge_threshold.get(),
        edge_buckets: thresholds.edge_buckets.0.clone(),
        payout: thresholds.payout(),
        line_sources: thresholds.line_sources.clone(),
    };
    let buckets = source.split_counts(&query).await?;
    let mut report = splits::analyse(system, from, to, &buckets, thresholds);
    attach_clv(source, &mut report, &query, thresholds).await;
    Ok(report)
}

/// Each row's closing line value beside its hit rate (metrics.md 18), from
/// one more query; a close that does not read is logged and leaves the rows
/// without it (the close never blinds the splits).
async fn attach_clv(
    source: &dyn Source,
    report: &mut SplitsReport,
    query: &SplitsQuery,
    thresholds: &Thresholds,
) {
    let clv_query = ClvQuery {
        system: query.system.clone(),
        from: query.from,
        to: query.to,
        edge_threshold: query.edge_threshold,
    };
    match source.clv_bets(&clv_query).await {
        Ok(Some(bets)) => {
            let edges: Vec<EdgeBucket> = (0..query.edge_buckets.len().max(1) as i64)
                .map(|order| {
                    let (low, high) = edge_bounds(query, order);
                    EdgeBucket {
                        label: edge_label(query, order),
                        low,
                        high,
                    }
                })
                .collect();
            split_clv::attach(report, &bets, &edges, thresholds);
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(
            "splits: the close of {} did not read: {error:#}",
            query.system
        ),
    }
}

/// A side as the user names it: a system with predictions, else an
/// experiment (id, unique id prefix or name) with backtest rows.
pub async fn resolve_side(
    source: &dyn Source,
    experiments: &[ExperimentRow],
    text: &str,
) -> Result<(Side, Option<ExperimentRow>)> {
    let systems = source.systems().await?;
    if systems.iter().any(|system| system == text) {
        return Ok((
            Side::System {
                system_id: text.to_string(),
            },
            None,
        ));
    }
    match find_experiment(experiments, text) {
        Ok(experiment) => Ok((
            Side::Experiment {
                experiment_id: experiment.experiment_id.clone(),
                experiment_name: experiment.experiment_name.clone(),
            },
            Some(experiment.clone()),
        )),
        Err(error) if source.latest_date(Some(text)).await?.is_some() => {
            // A system silent for too long to be listed still has rows.
            drop(error);
            Ok((
                Side::System {
                    system_id: text.to_string(),
                },
                None,
            ))
        }
        Err(error) => bail!(
            "`{text}` is neither a system with predictions ({}) nor an experiment: {error}",
            if systems.is_empty() {
                "none".to_string()
            } else {
                systems.join(", ")
            }
        ),
    }
}

fn evaluation_period(experiment: Option<&ExperimentRow>) -> Option<(NaiveDate, NaiveDate)> {
    let period = experiment?.eval_period.as_ref()?;
    Some((period.start_date?, period.end_date?))
}

/// The window of a comparison: the given dates; else an experiment's
/// evaluation period (B's, then A's); else the 30 days ending at the latest
/// graded date (of A's system, else of any).
pub async fn versus_window(
    source: &dyn Source,
    sides: [(&Side, Option<&ExperimentRow>); 2],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate)> {
    let span = |to: NaiveDate| to - Days::new(VERSUS_DAYS - 1);
    let window = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (None, Some(to)) => (span(to), to),
        _ => {
            let period = evaluation_period(sides[1].1).or_else(|| evaluation_period(sides[0].1));
            match (period, from) {
                (Some(period), None) => period,
                (Some((_, end)), Some(from)) => (from, end),
                (None, _) => {
                    let system = sides.iter().find_map(|(side, _)| match side {
                        Side::System { system_id } => Some(system_id.as_str()),
                        Side::Experiment { .. } => None,
                    });
                    match system {
                        Some(system) => {
                            let Some(latest) = source.latest_date(Some(system)).await? else {
                                bail!("no graded predictions of {system} to compare");
                            };
                            (from.unwrap_or_else(|| span(latest)), latest)
                        }
                        // Two backtests without evaluation periods: the
                        // dates their rows span.
                        None => backtest_span(source, &sides, from).await?,
                    }
                }
            }
        }
    };
    if window.0 > window.1 {
        bail!("--from {} is after --to {}", window.0, window.1);
    }
    Ok(window)
}

/// The dates the two sides' backtest rows span (from `from` when given).
async fn backtest_span(
    source: &dyn Source,
    sides: &[(&Side, Option<&ExperimentRow>); 2],
    from: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate)> {
    // Only the dates the rows span are read here, not the line mix.
    let fingerprints = source
        .backtest_fingerprints(&crate::model::LineSources::default())
        .await?;
    let spans: Vec<(NaiveDate, NaiveDate)> = sides
        .iter()
        .filter_map(|(side, _)| match side {
            Side::Experiment { experiment_id, .. } => fingerprints
                .iter()
                .find(|f| &f.experiment_id == experiment_id)
                .and_then(|f| Some((f.first_date?, f.last_date?))),
            Side::System { .. } => None,
        })
        .collect();
    let (Some(first), Some(last)) = (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) else {
        bail!("no backtest rows to compare");
    };
    Ok((from.unwrap_or(first), last))
}

/// How a comparison judges: the bet rules and the non-inferiority margin δ.
#[derive(Debug, Clone, Copy)]
pub struct Judging<'a> {
    pub thresholds: &'a Thresholds,
    /// `promotion.non_inferiority_pp`, in points.
    pub margin_pp: f64,
}

/// B against A on identical rows over the window (see [`versus_window`]).
pub async fn versus(
    source: &dyn Source,
    judging: Judging<'_>,
    a: &str,
    b: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<VersusReport> {
    let experiments = source.experiments().await?;
    let (side_a, experiment_a) = resolve_side(source, &experiments, a).await?;
    let (side_b, experiment_b) = resolve_side(source, &experiments, b).await?;
    let (from, to) = versus_window(
        source,
        [
            (&side_a, experiment_a.as_ref()),
            (&side_b, experiment_b.as_ref()),
        ],
        from,
        to,
    )
    .await?;
    versus_of(source, judging, side_a, side_b, from, to).await
}

/// B against A over `from ..= to`: one query.
pub async fn versus_of(
    source: &dyn Source,
    judging: Judging<'_>,
    a: Side,
    b: Side,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<VersusReport> {
    let query = PairQuery {
        a: a.clone(),
        b: b.clone(),
        from,
        to,
        edge_threshold: judging.thresholds.edge_threshold.get(),
    };
    let counts = source.pair_counts(&query).await?;
    let clv_difference = paired_clv(source, &a, &b, from, to, judging.thresholds).await;
    let mut report = versus::analyse(
        a,
        b,
        from,
        to,
        &counts,
        judging.thresholds,
        judging.margin_pp,
    );
    report.clv_difference = clv_difference;
    Ok(report)
}

/// The paired closing line value of two systems (two queries); `None` for
/// a backtest side (its rows name no book), without snapshots, or when a
/// query fails (logged: the close never blinds the comparison).
async fn paired_clv(
    source: &dyn Source,
    a: &Side,
    b: &Side,
    from: NaiveDate,
    to: NaiveDate,
    thresholds: &crate::config::Thresholds,
) -> Option<crate::model::clv::PairedClv> {
    let (Side::System { system_id: a }, Side::System { system_id: b }) = (a, b) else {
        return None;
    };
    let query = |system: &str| crate::source::clv_sql::ClvQuery {
        system: system.to_string(),
        from,
        to,
        edge_threshold: thresholds.edge_threshold.get(),
    };
    let read = async {
        let a_bets = source.clv_bets(&query(a)).await?;
        let b_bets = source.clv_bets(&query(b)).await?;
        anyhow::Ok(a_bets.zip(b_bets))
    };
    match read.await {
        Ok(Some((a_bets, b_bets))) => Some(crate::diagnostics::clv::paired(
            &a_bets,
            &b_bets,
            thresholds.break_even(),
        )),
        Ok(None) => None,
        Err(error) => {
            tracing::warn!("paired closing line value not read: {error:#}");
            None
        }
    }
}

/// The challenger the Versus view opens on without a model registry: a
/// system named like a shadow, else the first system other than production
/// (see [`crate::service::roles::default_challenger`]).
pub fn default_challenger(systems: &[String], production: &str) -> Option<String> {
    crate::service::roles::default_challenger(systems, production, &[])
}
