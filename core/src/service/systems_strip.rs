//! Every system at a glance on one date (the Overview's systems strip and
//! `courtside systems`): each system's level, 7-day hit rate, coverage and
//! latest data, the champion first, then the registry's shadows, then the
//! rest; and the worst level of them all, for the header.

use crate::config::Thresholds;
use crate::diagnostics::{self, DayIndex};
use crate::model::vocab::AlertLevel;
use crate::model::{DayStatsBundle, Diagnostics};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a system is to the team: its champion, a shadow, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemRole {
    Champion,
    Shadow,
    Other,
}

impl SystemRole {
    /// The word the strip shows.
    pub fn as_str(self) -> &'static str {
        match self {
            SystemRole::Champion => "champion",
            SystemRole::Shadow => "shadow",
            SystemRole::Other => "",
        }
    }
}

/// One row of the strip: a system's diagnostics on the date and the date of
/// its latest graded rows (on or before the date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemGlance {
    pub system_id: String,
    pub role: SystemRole,
    pub latest_date: Option<NaiveDate>,
    pub diagnostics: Diagnostics,
}

impl SystemGlance {
    /// The strip's cells, the same words in the dashboard and the CLI:
    /// system, role, level, 7-day hit rate, coverage, latest data, and the
    /// since-promotion verdict (section 19; `-` without a promotion).
    pub fn cells(&self) -> [String; 7] {
        let d = &self.diagnostics;
        let level = d.alert_level;
        [
            crate::format::terminal_safe(&self.system_id).into_owned(),
            self.role.as_str().to_string(),
            format!("{} {}", level.symbol(), level.as_str().to_ascii_uppercase()),
            hit_rate_cell(&d.drift.hit_rate_7d),
            coverage_cell(d),
            self.latest_date
                .map_or_else(|| "-".to_string(), |day| day.format("%m-%d").to_string()),
            d.since_promotion
                .as_ref()
                .map_or_else(|| "-".to_string(), |since| since.word().to_string()),
        ]
    }
}

/// `54.9% ±2.1 n=412`; a sample too small for a verdict says so.
fn hit_rate_cell(rate: &crate::model::Rate) -> String {
    match rate.pct {
        None => "-".to_string(),
        Some(_) => format!(
            "{} n={}",
            crate::format::hit_rate_interval(Some(rate)),
            crate::format::count(rate.n)
        ),
    }
}

/// Coverage on the date in words: not running, not predicted / not graded /
/// no lines (section 5b), no games, or the share of the usual predictions.
fn coverage_cell(d: &Diagnostics) -> String {
    let c = &d.coverage;
    if c.not_running {
        return "not running".to_string();
    }
    if let Some(found) = &c.finding {
        return found.kind.as_str().to_string();
    }
    if !c.is_game_date {
        return "no games".to_string();
    }
    c.coverage.map_or_else(
        || "-".to_string(),
        |share| format!("{:.0}% of usual", share * 100.0),
    )
}

/// Rank for "worst": critical, then warning, then unknown (never dressed as
/// healthy), then info, then healthy.
fn badness(level: AlertLevel) -> u8 {
    match level {
        AlertLevel::Critical | AlertLevel::Emergency => 5,
        AlertLevel::Warning => 4,
        AlertLevel::Unknown => 3,
        AlertLevel::Info => 2,
        AlertLevel::Healthy => 1,
    }
}

/// The worst level of `levels` (`None` for none).
pub fn worst_level(levels: impl IntoIterator<Item = AlertLevel>) -> Option<AlertLevel> {
    levels.into_iter().max_by_key(|level| badness(*level))
}

/// The order of the strip: the champion, the shadows in registry order,
/// then every other system by name; each system once. Without registry
/// shadows, a system named like a shadow is one (as Versus's fallback).
pub fn strip_order(
    systems: &[String],
    champion: &str,
    shadows: &[String],
) -> Vec<(String, SystemRole)> {
    let mut order: Vec<(String, SystemRole)> = Vec::new();
    let mut push = |system: &str, role| {
        if systems.iter().any(|s| s == system) && !order.iter().any(|(s, _)| s == system) {
            order.push((system.to_string(), role));
        }
    };
    push(champion, SystemRole::Champion);
    let named: Vec<String> = systems
        .iter()
        .filter(|system| system.contains("shadow"))
        .cloned()
        .collect();
    let shadows = if shadows.is_empty() { &named } else { shadows };
    for shadow in shadows {
        push(shadow, SystemRole::Shadow);
    }
    let mut rest: Vec<&String> = systems.iter().collect();
    rest.sort();
    for system in rest {
        push(system, SystemRole::Other);
    }
    order
}

/// The strip on `date` from a bundle holding every system (pure): each
/// row's diagnostics equal `diag --system S --date D` on the same data.
pub fn build(
    bundle: &DayStatsBundle,
    order: &[(String, SystemRole)],
    date: NaiveDate,
    thresholds: &Thresholds,
    now: DateTime<Utc>,
) -> Vec<SystemGlance> {
    let index = DayIndex::new(bundle);
    order
        .iter()
        .map(|(system, role)| SystemGlance {
            system_id: system.clone(),
            role: *role,
            latest_date: index
                .dates(system)
                .into_iter()
                .filter(|day| *day <= date)
                .max(),
            diagnostics: diagnostics::diagnose(&index, system, date, thresholds, now),
        })
        .collect()
}

/// The strip on `date`, from one fetch of every system.
pub async fn systems_strip(
    source: &dyn crate::source::Source,
    date: NaiveDate,
    champion: &str,
    thresholds: &Thresholds,
) -> anyhow::Result<Vec<SystemGlance>> {
    let systems = source.systems().await?;
    let shadows = super::roles::registry_roles(source).await?.shadows;
    let order = strip_order(&systems, champion, &shadows);
    let bundle = super::fetch_range(source, date, date, None, thresholds).await?;
    Ok(build(&bundle, &order, date, thresholds, Utc::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_champion_comes_first_then_the_shadows_then_the_rest_by_name() {
        let systems = names(&["zeta", "catboost_v8", "alpha", "shadow_b", "shadow_a"]);
        let order = strip_order(
            &systems,
            "catboost_v8",
            &names(&["shadow_b", "gone", "shadow_a"]),
        );
        let got: Vec<(&str, SystemRole)> = order.iter().map(|(s, r)| (s.as_str(), *r)).collect();
        assert_eq!(
            got,
            vec![
                ("catboost_v8", SystemRole::Champion),
                ("shadow_b", SystemRole::Shadow),
                ("shadow_a", SystemRole::Shadow),
                ("alpha", SystemRole::Other),
                ("zeta", SystemRole::Other),
            ]
        );
    }

    #[test]
    fn without_registry_shadows_a_system_named_like_one_is_a_shadow() {
        let order = strip_order(&names(&["b", "x_shadow", "c"]), "c", &[]);
        assert_eq!(order[1], ("x_shadow".into(), SystemRole::Shadow));
        assert_eq!(order[2], ("b".into(), SystemRole::Other));
    }

    #[test]
    fn a_champion_without_predictions_is_left_out() {
        let order = strip_order(&names(&["b", "a"]), "missing", &[]);
        assert_eq!(
            order,
            vec![
                ("a".into(), SystemRole::Other),
                ("b".into(), SystemRole::Other)
            ]
        );
    }

    #[test]
    fn unknown_is_worse_than_info_and_healthy_but_not_than_a_warning() {
        use AlertLevel::*;
        assert_eq!(worst_level([Healthy, Info, Unknown]), Some(Unknown));
        assert_eq!(worst_level([Unknown, Warning, Healthy]), Some(Warning));
        assert_eq!(worst_level([Warning, Critical]), Some(Critical));
        assert_eq!(worst_level([Healthy]), Some(Healthy));
        assert_eq!(worst_level([]), None);
    }
}
