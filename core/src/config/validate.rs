//! The config's rules beyond one value's type: ranges of percentages,
//! orders between thresholds, names that must exist, limits of retries and
//! days. Each error names the key and its line.

use super::*;

impl Config {
    /// Rules beyond one value's type: ranges of percentages, orders between
    /// thresholds, names that must exist. Each error names the key and line.
    pub(super) fn validate(&self, file: &Path, text: &str) -> Result<()> {
        let at = |path: &str| {
            yaml_keys::line_of(text, path)
                .or_else(|| {
                    let parent = path.rsplit_once('.').map(|(parent, _)| parent)?;
                    yaml_keys::line_of(text, parent)
                })
                .map_or_else(String::new, |line| format!(" line {line}:"))
        };
        let fail = |path: &str, message: String| -> Result<()> {
            bail!("{}:{} {path}: {message}", file.display(), at(path))
        };
        let t = &self.thresholds;
        for (path, value) in [
            ("thresholds.beats_vegas_critical", t.beats_vegas_critical.0),
            ("thresholds.beats_vegas_warning", t.beats_vegas_warning.0),
            ("thresholds.beats_vegas_info", t.beats_vegas_info.0),
            ("thresholds.beats_vegas_drop", t.beats_vegas_drop.0),
            ("thresholds.hit_rate_critical", t.hit_rate_critical.0),
            ("thresholds.drift_warning", t.drift_warning.0),
            (
                "thresholds.completeness_critical",
                t.completeness_critical.0,
            ),
            ("thresholds.completeness_warning", t.completeness_warning.0),
            ("thresholds.paint_rate_min", t.paint_rate_min.0),
            ("thresholds.paint_rate_max", t.paint_rate_max.0),
        ] {
            if value > 100.0 {
                fail(path, format!("{value} is a percentage: at most 100"))?;
            }
        }
        for (low, high) in [
            ("beats_vegas_critical", "beats_vegas_warning"),
            ("beats_vegas_warning", "beats_vegas_info"),
            ("completeness_critical", "completeness_warning"),
            ("paint_rate_min", "paint_rate_max"),
        ] {
            let value = |name: &str| match name {
                "beats_vegas_critical" => t.beats_vegas_critical.0,
                "beats_vegas_warning" => t.beats_vegas_warning.0,
                "beats_vegas_info" => t.beats_vegas_info.0,
                "completeness_critical" => t.completeness_critical.0,
                "completeness_warning" => t.completeness_warning.0,
                "paint_rate_min" => t.paint_rate_min.0,
                _ => t.paint_rate_max.0,
            };
            if value(low) > value(high) {
                fail(
                    &format!("thresholds.{low}"),
                    format!(
                        "{} must not exceed thresholds.{high} ({}): a more severe level needs a lower value",
                        value(low),
                        value(high)
                    ),
                )?;
            }
        }
        let tiers = &t.tiers;
        if !(tiers.star.0 > tiers.starter.0 && tiers.starter.0 > tiers.rotation.0) {
            fail(
                "thresholds.tiers",
                format!(
                    "star ({}) > starter ({}) > rotation ({}) must hold",
                    tiers.star.0, tiers.starter.0, tiers.rotation.0
                ),
            )?;
        }
        let healthy = self.drift_detector.healthy_hit_rate.0;
        let break_even = t.break_even();
        if !(healthy > break_even && healthy < 1.0) {
            fail(
                "drift_detector.healthy_hit_rate",
                format!(
                    "{healthy} must lie above break-even ({break_even:.4}, from thresholds.odds) and below 1"
                ),
            )?;
        }
        if let Some(value) = self.line_sources.listed_twice() {
            fail(
                "line_sources",
                format!("`{value}` is listed twice: each value has one line kind"),
            )?;
        }
        if game_day::parse_timezone(&self.timezone).is_none() {
            fail(
                "timezone",
                format!(
                    "`{}` is not a time zone (an IANA name such as America/New_York)",
                    self.timezone
                ),
            )?;
        }
        if self.future_days > game_day::MAX_FUTURE_DAYS {
            fail(
                "future_days",
                format!(
                    "{} is more than {} (a row dated further ahead than a season is a mistake)",
                    self.future_days,
                    game_day::MAX_FUTURE_DAYS
                ),
            )?;
        }
        if self.game_day.pregame_min_coverage.0 > 1.0 {
            fail(
                "game_day.pregame_min_coverage",
                format!(
                    "{} is a share: at most 1",
                    self.game_day.pregame_min_coverage.0
                ),
            )?;
        }
        if self.slack.max_retries > alerting::MAX_RETRIES {
            fail(
                "slack.max_retries",
                format!(
                    "{} is more than {} (each retry waits longer; a post that failed {} times is kept in the outbox for the next start)",
                    self.slack.max_retries,
                    alerting::MAX_RETRIES,
                    alerting::MAX_RETRIES
                ),
            )?;
        }
        if let Some(url) = &self.slack.webhook_url
            && let Err(problem) = alerting::check_webhook(url)
        {
            fail("slack.webhook_url", problem)?;
        }
        for (index, route) in self.slack.routes.iter().enumerate() {
            if let Err(problem) = super::routes::check_route(route) {
                fail(
                    "slack.routes",
                    format!("route {} ({}): {problem}", index + 1, route.label(index)),
                )?;
            }
        }
        if self.production_system.trim().is_empty() {
            fail("production_system", "must not be empty".to_string())?;
        }
        let themes = known_themes();
        if !themes.contains(&self.theme) {
            fail(
                "theme",
                format!(
                    "`{}` is not a theme (known: {})",
                    self.theme,
                    themes.join(", ")
                ),
            )?;
        }
        Ok(())
    }
}
