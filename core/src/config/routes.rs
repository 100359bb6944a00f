//! Where each kind of post goes (`slack.routes`): an ordered list of routes,
//! each a match on the post's level, topic and system and the webhook it
//! takes, named by an environment variable (never printed) or given as a
//! URL (checked at load: https, or http on loopback). The first route that
//! matches wins; `slack.webhook_url` (or `COURTSIDE_SLACK_WEBHOOK`) is the
//! default route after them.

use crate::model::AlertLevel;
use serde::{Deserialize, Serialize};

pub use crate::model::topic::Topic;

/// What a route takes: every listed field must hold (an empty or absent
/// list holds for everything).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouteMatch {
    pub level: Vec<AlertLevel>,
    pub topic: Vec<Topic>,
    pub system: Vec<String>,
}

impl RouteMatch {
    pub fn holds(&self, topic: Topic, level: AlertLevel, system: &str) -> bool {
        (self.level.is_empty() || self.level.contains(&level))
            && (self.topic.is_empty() || self.topic.contains(&topic))
            && (self.system.is_empty() || self.system.iter().any(|s| s == system))
    }

    /// `level critical; topic verdict`, or `everything`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let join = |words: Vec<String>| words.join(", ");
        if !self.level.is_empty() {
            parts.push(format!(
                "level {}",
                join(self.level.iter().map(|l| l.to_string()).collect())
            ));
        }
        if !self.topic.is_empty() {
            parts.push(format!(
                "topic {}",
                join(self.topic.iter().map(|t| t.to_string()).collect())
            ));
        }
        if !self.system.is_empty() {
            parts.push(format!("system {}", join(self.system.clone())));
        }
        if parts.is_empty() {
            "everything".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// One route of `slack.routes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// What it takes (absent: everything).
    #[serde(rename = "match", default)]
    pub matches: RouteMatch,
    /// An environment variable holding the webhook URL (`SLACK_NBA_ALERTS`),
    /// or the URL itself.
    pub webhook: String,
    /// What the route is called in notes and `--check-routes` (`#nba-alerts`).
    #[serde(default)]
    pub name: Option<String>,
}

/// Where a route's webhook comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookFrom<'a> {
    Environment(&'a str),
    Url(&'a str),
}

impl Route {
    pub fn webhook_from(&self) -> WebhookFrom<'_> {
        if self.webhook.contains("://") {
            WebhookFrom::Url(self.webhook.trim())
        } else {
            WebhookFrom::Environment(self.webhook.trim())
        }
    }

    /// The route's name, else `route N`.
    pub fn label(&self, index: usize) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("route {}", index + 1))
    }
}

/// An environment variable's name as a route may give it: letters, digits
/// and `_`, not starting with a digit.
pub fn is_variable_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The problem with route `route` (never repeating a URL), if any.
pub fn check_route(route: &Route) -> Result<(), String> {
    match route.webhook_from() {
        WebhookFrom::Url(url) => super::alerting::check_webhook(url),
        WebhookFrom::Environment(name) if is_variable_name(name) => Ok(()),
        WebhookFrom::Environment(_) => Err(
            "`webhook` is neither an environment variable's name (letters, digits, _) nor a URL"
                .to_string(),
        ),
    }
}

/// The first of `routes` that takes a post: its index.
pub fn first_match(
    routes: &[Route],
    topic: Topic,
    level: AlertLevel,
    system: &str,
) -> Option<usize> {
    routes
        .iter()
        .position(|route| route.matches.holds(topic, level, system))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(yaml: &str) -> Route {
        serde_norway::from_str(yaml).unwrap()
    }

    #[test]
    fn the_first_route_that_matches_wins() {
        let routes = vec![
            route(
                "match: {level: [critical], topic: [verdict]}\nwebhook: SLACK_CRITICAL\nname: '#nba-alerts'",
            ),
            route("match: {topic: [game_day]}\nwebhook: SLACK_GRADING"),
            route(
                "match: {system: [catboost_v12], level: [warning]}\nwebhook: https://hooks.slack.com/services/T/B/X",
            ),
            route("webhook: SLACK_DEFAULT"),
        ];
        assert_eq!(
            first_match(&routes, Topic::Verdict, AlertLevel::Critical, "a"),
            Some(0)
        );
        assert_eq!(
            first_match(&routes, Topic::GameDay, AlertLevel::Critical, "a"),
            Some(1)
        );
        assert_eq!(
            first_match(&routes, Topic::Verdict, AlertLevel::Warning, "catboost_v12"),
            Some(2)
        );
        assert_eq!(
            first_match(&routes, Topic::Verdict, AlertLevel::Warning, "other"),
            Some(3)
        );
        assert_eq!(
            first_match(&routes[..3], Topic::Registry, AlertLevel::Info, "a"),
            None
        );
        assert_eq!(routes[0].label(0), "#nba-alerts");
        assert_eq!(routes[1].label(1), "route 2");
        assert_eq!(
            routes[0].matches.describe(),
            "level critical; topic verdict"
        );
        assert_eq!(routes[3].matches.describe(), "everything");
    }

    #[test]
    fn a_webhook_is_a_variable_name_or_a_checked_url_and_never_repeated() {
        assert!(check_route(&route("webhook: SLACK_NBA_ALERTS")).is_ok());
        assert!(check_route(&route("webhook: http://127.0.0.1:9/hook")).is_ok());
        let problem = check_route(&route("webhook: http://example.com/SECRET")).unwrap_err();
        assert!(!problem.contains("SECRET"), "{problem}");
        let problem = check_route(&route("webhook: 'not a name'")).unwrap_err();
        assert!(problem.contains("environment variable"), "{problem}");
        assert!(serde_norway::from_str::<Route>("webhook: X\nmatch: {colour: [red]}").is_err());
        assert!(serde_norway::from_str::<Route>("webhook: X\nmatch: {topic: [weather]}").is_err());
    }

    #[test]
    fn an_outbox_key_tells_its_topic_and_system() {
        assert_eq!(
            Topic::of_key("catboost_v8"),
            (Topic::Verdict, "catboost_v8")
        );
        assert_eq!(
            Topic::of_key("catboost_v8 game day pregame"),
            (Topic::GameDay, "catboost_v8")
        );
        assert_eq!(
            Topic::of_key("catboost_v8 since promotion"),
            (Topic::SincePromotion, "catboost_v8")
        );
    }
}
