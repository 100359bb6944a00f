//! Game-day posts for `watch` (metrics.md sections 17 and 5b, Rev. 3): the
//! pre-game rules (no predictions within the alarm window: critical;
//! coverage under `pregame_min_coverage`: warning) and `not graded` after
//! the games, each posted once per system and date with its figures, and a
//! recovery when the rule clears. Pure: the caller evaluates slates and
//! sends what [`GameDayMonitor::observe`] returns through the outbox.

use crate::model::AlertLevel;
use crate::model::game_day::{Slate, SlateSystem};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::HashMap;

/// One post due.
#[derive(Debug, Clone, PartialEq)]
pub struct GameDayPost {
    /// The key the outbox and the posted-levels table keep it under
    /// (`SYSTEM game day`: apart from the system's verdict posts).
    pub key: String,
    pub system: String,
    pub date: NaiveDate,
    /// The rule's level, or `healthy` for a recovery.
    pub level: AlertLevel,
    pub rule: String,
    pub payload: Value,
}

/// The key a system's game-day posts are kept under, per family of rules
/// (`pregame`, `grading`): an evening's pre-game incident and the next
/// morning's grading one are two incidents, each posted and recovered once.
pub fn post_key(system: &str, rule: &str) -> String {
    format!("{system} game day {}", family(rule))
}

fn family(rule: &str) -> &'static str {
    if rule.starts_with("pregame") {
        "pregame"
    } else {
        "grading"
    }
}

/// An open incident: the rule and level posted, and the rule firing now.
#[derive(Debug, Clone, PartialEq)]
struct Incident {
    posted_rule: String,
    posted_level: AlertLevel,
}

/// Which game-day incident is open for each (system, date, family), as last
/// observed.
#[derive(Debug, Default)]
pub struct GameDayMonitor {
    firing: HashMap<(String, NaiveDate, &'static str), Incident>,
}

fn words(rule: &str) -> &'static str {
    match rule {
        "pregame_zero" => "no predictions before tip-off",
        "pregame_coverage" => "low pre-game coverage",
        "not_graded" => "not graded",
        _ => "game-day rule",
    }
}

/// The post of `text`, terminal-safe as every Slack payload.
fn payload(text: String) -> Value {
    super::message::safe_payload(json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }))
}

fn figures(slate: &Slate, system: &SlateSystem) -> String {
    format!(
        "predicted {} of {} players with a line; graded {} of {}",
        system.predicted, slate.players_with_line, system.grading.graded, system.grading.predicted
    )
}

impl GameDayMonitor {
    /// The posts the slate makes due: a rule that starts firing (critical or
    /// warning) or escalates, and the recovery of one whose condition
    /// cleared while it still applied. A pre-game rule whose window closes
    /// (the games started) without clearing ends quietly: the tip-off is no
    /// recovery.
    pub fn observe(&mut self, slate: &Slate) -> Vec<GameDayPost> {
        let mut posts = Vec::new();
        for system in &slate.systems {
            let firing_now = system
                .rule
                .clone()
                .filter(|_| matches!(system.level, AlertLevel::Critical | AlertLevel::Warning));
            for family_name in ["pregame", "grading"] {
                let key = (system.system_id.clone(), slate.game_date, family_name);
                let now = firing_now
                    .clone()
                    .filter(|rule| family(rule) == family_name)
                    .map(|rule| (rule, system.level));
                let before = self.firing.get(&key).cloned();
                match (before, now) {
                    (before, Some((rule, level)))
                        if before
                            .as_ref()
                            .is_none_or(|open| level.severity() > open.posted_level.severity()) =>
                    {
                        posts.push(alarm(slate, system, &rule, level));
                        self.firing.insert(
                            key,
                            Incident {
                                posted_rule: rule,
                                posted_level: level,
                            },
                        );
                    }
                    (_, Some(_)) => {}
                    (Some(open), None) => {
                        self.firing.remove(&key);
                        let still_applies = family_name == "grading" || slate.pregame_window;
                        if still_applies {
                            posts.push(recovery(slate, system, &open));
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        posts
    }

    /// Forgets the incident of a post that could not be queued, so that the
    /// next evaluation posts it again.
    pub fn forget(&mut self, post: &GameDayPost) {
        self.firing
            .remove(&(post.system.clone(), post.date, family(&post.rule)));
    }
}

fn alarm(slate: &Slate, system: &SlateSystem, rule: &str, level: AlertLevel) -> GameDayPost {
    let text = format!(
        "{} {} game day: {} on {}: {}. {}",
        level.symbol(),
        level.as_str().to_ascii_uppercase(),
        system.system_id,
        slate.game_date,
        system.message.clone().unwrap_or_default(),
        figures(slate, system)
    );
    GameDayPost {
        key: post_key(&system.system_id, rule),
        system: system.system_id.clone(),
        date: slate.game_date,
        level,
        rule: rule.to_string(),
        payload: payload(text),
    }
}

fn recovery(slate: &Slate, system: &SlateSystem, open: &Incident) -> GameDayPost {
    let text = format!(
        "✓ RECOVERED game day: {} on {}: {} cleared (was {}). {}",
        system.system_id,
        slate.game_date,
        words(&open.posted_rule),
        open.posted_level,
        figures(slate, system)
    );
    GameDayPost {
        key: post_key(&system.system_id, &open.posted_rule),
        system: system.system_id.clone(),
        date: slate.game_date,
        level: AlertLevel::Healthy,
        rule: open.posted_rule.clone(),
        payload: payload(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::game_day::{GradingProgress, SlatePhase};

    fn slate(level: AlertLevel, rule: Option<&str>) -> Slate {
        Slate {
            game_date: "2026-04-12".parse().unwrap(),
            now: "2026-04-12T22:00:00Z".parse().unwrap(),
            phase: SlatePhase::Pregame,
            games: Vec::new(),
            first_tip: None,
            minutes_to_first_tip: Some(60),
            players_with_line: 98,
            pregame_window: true,
            lines: Vec::new(),
            stale_lines: 0,
            systems: vec![SlateSystem {
                system_id: "ensemble_v1".into(),
                predicted: 0,
                predicted_coverage: Some(0.0),
                missing: Vec::new(),
                grading: GradingProgress {
                    predicted: 0,
                    graded: 0,
                    hours_since_last_final: None,
                    not_graded: false,
                },
                level,
                message: Some("ensemble_v1 has made no predictions".into()),
                rule: rule.map(str::to_string),
            }],
            level,
            missing_tables: Vec::new(),
        }
    }

    #[test]
    fn a_rule_posts_once_and_its_recovery_once() {
        let mut monitor = GameDayMonitor::default();
        let info = slate(AlertLevel::Info, None);
        let critical = slate(AlertLevel::Critical, Some("pregame_zero"));
        let healthy = slate(AlertLevel::Healthy, None);
        assert!(monitor.observe(&info).is_empty(), "info is never posted");
        let posts = monitor.observe(&critical);
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].level, AlertLevel::Critical);
        assert!(
            posts[0].payload["text"]
                .as_str()
                .unwrap()
                .contains("CRITICAL game day")
        );
        assert!(monitor.observe(&critical).is_empty(), "held: no repeat");
        let easing = slate(AlertLevel::Warning, Some("pregame_coverage"));
        assert!(
            monitor.observe(&easing).is_empty(),
            "easing is the same incident"
        );
        let posts = monitor.observe(&healthy);
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].level, AlertLevel::Healthy);
        let text = posts[0].payload["text"].as_str().unwrap();
        assert!(
            text.contains("RECOVERED") && text.contains("was critical"),
            "{text}"
        );
        assert!(monitor.observe(&healthy).is_empty());
    }

    #[test]
    fn a_pregame_alarm_the_tip_off_ends_is_closed_without_a_recovery() {
        let mut monitor = GameDayMonitor::default();
        let critical = slate(AlertLevel::Critical, Some("pregame_zero"));
        assert_eq!(monitor.observe(&critical).len(), 1);
        let mut after_tip = slate(AlertLevel::Healthy, None);
        after_tip.pregame_window = false;
        assert!(
            monitor.observe(&after_tip).is_empty(),
            "the games starting is no recovery"
        );
        // The next morning's grading incident is its own, under its own key.
        let grading = slate(AlertLevel::Warning, Some("not_graded"));
        let posts = monitor.observe(&grading);
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].key, "ensemble_v1 game day grading");
        assert_eq!(critical.systems[0].system_id, "ensemble_v1");
    }
}
