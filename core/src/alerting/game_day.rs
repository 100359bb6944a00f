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

/// The key a system's game-day posts are kept under.
pub fn post_key(system: &str) -> String {
    format!("{system} game day")
}

/// Which game-day rule fires for each (system, date), as last observed.
#[derive(Debug, Default)]
pub struct GameDayMonitor {
    firing: HashMap<(String, NaiveDate), (String, AlertLevel)>,
}

fn words(rule: &str) -> &'static str {
    match rule {
        "pregame_zero" => "no predictions before tip-off",
        "pregame_coverage" => "low pre-game coverage",
        "not_graded" => "not graded",
        _ => "game-day rule",
    }
}

fn payload(text: String) -> Value {
    json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    })
}

fn figures(slate: &Slate, system: &SlateSystem) -> String {
    format!(
        "predicted {} of {} players with a line; graded {} of {}",
        system.predicted, slate.players_with_line, system.grading.graded, system.grading.predicted
    )
}

impl GameDayMonitor {
    /// The posts the slate makes due: a rule that starts firing (critical or
    /// warning), and the recovery of one that stopped.
    pub fn observe(&mut self, slate: &Slate) -> Vec<GameDayPost> {
        let mut posts = Vec::new();
        for system in &slate.systems {
            let key = (system.system_id.clone(), slate.game_date);
            let now = system
                .rule
                .clone()
                .filter(|_| matches!(system.level, AlertLevel::Critical | AlertLevel::Warning))
                .map(|rule| (rule, system.level));
            let before = self.firing.get(&key).cloned();
            // Within one incident only a more severe level posts again: a
            // milder rule taking over is the same incident easing.
            let escalates = |level: &AlertLevel| {
                before
                    .as_ref()
                    .is_none_or(|(_, posted)| level.severity() > posted.severity())
            };
            match (&before, &now) {
                (_, Some((rule, level))) if escalates(level) => {
                    let text = format!(
                        "{} {} game day: {} on {}: {}. {}",
                        level.symbol(),
                        level.as_str().to_ascii_uppercase(),
                        system.system_id,
                        slate.game_date,
                        system.message.clone().unwrap_or_default(),
                        figures(slate, system)
                    );
                    posts.push(GameDayPost {
                        key: post_key(&system.system_id),
                        system: system.system_id.clone(),
                        date: slate.game_date,
                        level: *level,
                        rule: rule.clone(),
                        payload: payload(text),
                    });
                }
                (Some((rule, level)), None) => {
                    let text = format!(
                        "✓ RECOVERED game day: {} on {}: {} cleared (was {level}). {}",
                        system.system_id,
                        slate.game_date,
                        words(rule),
                        figures(slate, system)
                    );
                    posts.push(GameDayPost {
                        key: post_key(&system.system_id),
                        system: system.system_id.clone(),
                        date: slate.game_date,
                        level: AlertLevel::Healthy,
                        rule: rule.clone(),
                        payload: payload(text),
                    });
                }
                _ => {}
            }
            match now {
                // The posted (most severe) level stays the incident's.
                Some((rule, level)) => {
                    let posted = match &before {
                        Some((_, posted)) if posted.severity() >= level.severity() => *posted,
                        _ => level,
                    };
                    self.firing.insert(key, (rule, posted));
                }
                None => {
                    self.firing.remove(&key);
                }
            }
        }
        posts
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
}
