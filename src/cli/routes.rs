//! The routes posts take, resolved at start: each of `slack.routes` with its
//! webhook read from its environment variable (or the config), then the
//! default route (`COURTSIDE_SLACK_WEBHOOK`, else `slack.webhook_url`).
//! `watch --check-routes` prints which route each kind of post takes, with
//! every URL redacted.

use crate::alerting::WebhookUrl;
use crate::alerting::notifier::Notifier;
use crate::model::AlertLevel;
use anyhow::{Result, bail};
use courtside_core::config::Config;
use courtside_core::config::routes::{Route, Topic, WebhookFrom, first_match};
use serde_json::{Value, json};
use std::time::Duration;

/// The levels a post can carry, in the order `--check-routes` lists them.
const LEVELS: [AlertLevel; 5] = [
    AlertLevel::Critical,
    AlertLevel::Warning,
    AlertLevel::Info,
    AlertLevel::Healthy,
    AlertLevel::Unknown,
];

/// One resolved route.
#[derive(Clone)]
pub struct Resolved {
    /// `#nba-alerts`, `route 2`, or `default`.
    pub label: String,
    /// Where its URL came from: `SLACK_NBA_ALERTS`, `slack.routes[2].webhook`.
    pub origin: String,
    /// `None` only for `--check-routes` when its variable is not set.
    pub notifier: Option<Notifier>,
}

impl Resolved {
    /// The redacted URL, or why there is none.
    pub fn shown_url(&self) -> String {
        self.notifier.as_ref().map_or_else(
            || format!("{} is not set", self.origin),
            |notifier| notifier.redacted_url(),
        )
    }
}

/// Every route, the default last.
#[derive(Clone)]
pub struct Routes {
    routes: Vec<Route>,
    resolved: Vec<Resolved>,
    has_default: bool,
}

impl Routes {
    /// Reads every route's webhook; a variable that is not set or a URL that
    /// does not check is an error naming the route and the variable, never
    /// the URL. With `lenient` (for `--check-routes`) an unset variable
    /// leaves its route without a notifier instead.
    pub fn from_config(config: &Config, lenient: bool) -> Result<Routes> {
        let slack = &config.slack;
        let notifier = |url: WebhookUrl| {
            Notifier::new(
                url,
                Duration::from_secs(slack.timeout_secs.0),
                slack.max_retries,
                Duration::from_millis(500),
            )
        };
        let mut resolved = Vec::new();
        for (index, route) in slack.routes.iter().enumerate() {
            let label = route.label(index);
            let (url, origin) = match route.webhook_from() {
                WebhookFrom::Url(url) => (
                    url.to_string(),
                    format!("slack.routes[{}].webhook", index + 1),
                ),
                WebhookFrom::Environment(name) => match std::env::var(name) {
                    Ok(url) if !url.trim().is_empty() => (url, name.to_string()),
                    _ if lenient => {
                        resolved.push(Resolved {
                            label,
                            origin: name.to_string(),
                            notifier: None,
                        });
                        continue;
                    }
                    _ => bail!(
                        "slack.routes: route {} ({label}) takes its webhook from the environment variable {name}, which is not set",
                        index + 1
                    ),
                },
            };
            let url = WebhookUrl::parse(&url, &format!("{origin} (route {label})"))?;
            resolved.push(Resolved {
                label,
                origin,
                notifier: Some(notifier(url)?),
            });
        }
        let default = match std::env::var("COURTSIDE_SLACK_WEBHOOK") {
            Ok(url) if !url.trim().is_empty() => Some((
                WebhookUrl::parse(&url, "COURTSIDE_SLACK_WEBHOOK")?,
                "COURTSIDE_SLACK_WEBHOOK",
            )),
            _ => match &slack.webhook_url {
                Some(url) => Some((
                    WebhookUrl::parse(url, "slack.webhook_url")?,
                    "slack.webhook_url",
                )),
                None => None,
            },
        };
        let has_default = default.is_some();
        if let Some((url, origin)) = default {
            resolved.push(Resolved {
                label: "default".to_string(),
                origin: origin.to_string(),
                notifier: Some(notifier(url)?),
            });
        }
        Ok(Routes {
            routes: slack.routes.clone(),
            resolved,
            has_default,
        })
    }

    /// No route and no default: nothing is posted.
    pub fn is_empty(&self) -> bool {
        self.resolved.is_empty()
    }

    /// The route that takes a post: the first that matches, else the default.
    pub fn route(&self, topic: Topic, level: AlertLevel, system: &str) -> Option<usize> {
        first_match(&self.routes, topic, level, system)
            .or_else(|| self.has_default.then(|| self.resolved.len() - 1))
    }

    /// The route of a post kept under the outbox key `key`.
    pub fn route_of_key(&self, key: &str, level: AlertLevel) -> Option<usize> {
        let (topic, system) = Topic::of_key(key);
        self.route(topic, level, system)
    }

    pub fn get(&self, index: usize) -> Option<&Resolved> {
        self.resolved.get(index)
    }

    /// `to #nba-alerts (https://hooks.slack.com/…), default (…)`, or `off`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "off (no webhook configured)".to_string();
        }
        let routes: Vec<String> = self
            .resolved
            .iter()
            .map(|route| format!("{} ({})", route.label, route.shown_url()))
            .collect();
        format!("to {}", routes.join(", "))
    }

    /// Every kind of post no route takes for one of `systems`; with no
    /// default route `watch` refuses to start while any is left.
    pub fn untaken(&self, systems: &[String]) -> Vec<String> {
        let mut untaken = Vec::new();
        for system in systems {
            for topic in Topic::ALL {
                for level in LEVELS {
                    if self.route(topic, level, system).is_none() {
                        untaken.push(format!("{topic} {level} for {system}"));
                    }
                }
            }
        }
        untaken
    }

    /// `--check-routes`: every route, then each kind of post of each system
    /// and the route it takes (URLs redacted).
    pub fn check(&self, systems: &[String]) -> Value {
        let routes: Vec<Value> = self
            .resolved
            .iter()
            .enumerate()
            .map(|(index, route)| {
                let takes = self
                    .routes
                    .get(index)
                    .map_or("what no route above takes".to_string(), |r| {
                        r.matches.describe()
                    });
                json!({
                    "route": route.label,
                    "takes": takes,
                    "webhook_from": route.origin,
                    "url": route.shown_url(),
                    "ready": route.notifier.is_some(),
                })
            })
            .collect();
        let mut posts = Vec::new();
        for system in systems {
            for topic in Topic::ALL {
                for level in LEVELS {
                    let route = self.route(topic, level, system).and_then(|i| self.get(i));
                    posts.push(json!({
                        "system": system,
                        "topic": topic.as_str(),
                        "level": level.as_str(),
                        "route": route.map(|r| r.label.clone()),
                    }));
                }
            }
        }
        let mut problems: Vec<String> = self
            .resolved
            .iter()
            .filter(|route| route.notifier.is_none())
            .map(|route| format!("{}: {} is not set", route.label, route.origin))
            .collect();
        if !self.is_empty() {
            problems.extend(
                self.untaken(systems)
                    .into_iter()
                    .map(|kind| format!("no route takes {kind}")),
            );
        }
        json!({ "routes": routes, "posts": posts, "problems": problems })
    }
}

/// `watch --check-routes`: prints the check (text or JSON); exit code 1
/// when `watch` would refuse to start on it (a variable not set, a kind of
/// post no route takes), else 0.
pub fn print_check(routes: &Routes, systems: &[String], json: bool) -> Result<i32> {
    let check = routes.check(systems);
    if json {
        println!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        print!("{}", check_text(&check));
    }
    let problems = check["problems"].as_array().map_or(0, Vec::len);
    Ok(i32::from(problems > 0))
}

/// Refuses to start `watch` when routes are configured, there is no
/// default route and some kind of post of a watched system has no route.
pub fn refuse_untaken(routes: &Routes, systems: &[String]) -> Result<()> {
    if routes.is_empty() {
        return Ok(());
    }
    let untaken = routes.untaken(systems);
    if let Some(first) = untaken.first() {
        bail!(
            "slack.routes: no route takes {first} ({} kind(s) of post in all) and there is no default webhook (slack.webhook_url or COURTSIDE_SLACK_WEBHOOK): add one, or a last route without `match`; `courtside watch --check-routes` lists them",
            untaken.len()
        );
    }
    Ok(())
}

/// The text of [`Routes::check`].
pub fn check_text(check: &Value) -> String {
    let text = |value: &Value| value.as_str().unwrap_or("").to_string();
    let mut out = String::from("routes, first match wins (URLs redacted):\n");
    let routes = check["routes"].as_array().cloned().unwrap_or_default();
    if routes.is_empty() {
        out.push_str("  none: no webhook is configured, nothing is posted\n");
    }
    let labels: Vec<String> = routes
        .iter()
        .map(|route| crate::format::terminal_safe(&text(&route["route"])).into_owned())
        .collect();
    let width = labels
        .iter()
        .map(|label| label.chars().count())
        .max()
        .unwrap_or(0);
    for (route, label) in routes.iter().zip(&labels) {
        out.push_str(&format!(
            "  {label:<width$} takes {:<40} webhook from {} ({})\n",
            text(&route["takes"]),
            text(&route["webhook_from"]),
            text(&route["url"]),
        ));
    }
    for problem in check["problems"].as_array().into_iter().flatten() {
        out.push_str(&format!("  ✖ {}\n", text(problem)));
    }
    out.push_str("\neach kind of post:\n");
    out.push_str(&format!(
        "  {:<24} {:<16} {:<9} route\n",
        "system", "topic", "level"
    ));
    for post in check["posts"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {:<24} {:<16} {:<9} {}\n",
            crate::format::terminal_safe(&text(&post["system"])),
            text(&post["topic"]),
            text(&post["level"]),
            post["route"]
                .as_str()
                .map_or("NOT POSTED (no route takes it)".to_string(), |label| {
                    crate::format::terminal_safe(label).into_owned()
                }),
        ));
    }
    out
}
