//! How `watch` alerts: the Slack webhook and its delivery settings, and the
//! hysteresis of what it posts (metrics.md section 15).

use super::values::Positive;
use serde::{Deserialize, Serialize};

/// Slack incoming-webhook alerting for `watch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlackConfig {
    /// The default route: what no route of `routes` takes goes here.
    pub webhook_url: Option<String>,
    /// Routes by level, topic and system, tried in order before the default.
    pub routes: Vec<super::routes::Route>,
    /// Minimum time between two posts for one system, in seconds.
    pub cooldown_secs: u64,
    pub timeout_secs: Positive<u64>,
    pub max_retries: u32,
}

impl Default for SlackConfig {
    fn default() -> Self {
        SlackConfig {
            webhook_url: None,
            routes: Vec::new(),
            cooldown_secs: 300,
            timeout_secs: Positive(10),
            max_retries: 4,
        }
    }
}

/// The most retries of one post `slack.max_retries` may ask for.
pub const MAX_RETRIES: u32 = 20;

/// A webhook URL must be https, or http on a loopback address (a local
/// test receiver); the problem never repeats the URL.
pub fn check_webhook(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|error| format!("not a valid webhook URL ({error}); the URL is not shown"))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = parsed.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err("the webhook URL must use https (http only on a loopback address); the URL is not shown".to_string())
            }
        }
        other => Err(format!(
            "the webhook URL must be https, not `{other}` (the URL is not shown)"
        )),
    }
}

/// `text` with every quoted string that holds `://` replaced, so a message
/// about a mistyped value never carries a URL (and its token).
pub fn without_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after[1..].find('"') {
            Some(close) => {
                let quoted = &after[1..1 + close];
                if quoted.contains("://") {
                    out.push_str("\"(a URL, not shown)\"");
                } else {
                    out.push('"');
                    out.push_str(quoted);
                    out.push('"');
                }
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// When a change of level is posted (metrics.md section 15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertingConfig {
    /// Evaluations in a row a higher level must hold before it is posted.
    pub pending_evaluations: Positive<u32>,
    /// Evaluations in a row a lower level must hold before the fall is posted.
    pub recovery_evaluations: Positive<u32>,
}

impl Default for AlertingConfig {
    fn default() -> Self {
        AlertingConfig {
            pending_evaluations: Positive(1),
            recovery_evaluations: Positive(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_are_https_or_loopback_http_and_never_shown() {
        assert!(check_webhook("https://hooks.slack.com/services/T0/B0/X").is_ok());
        assert!(check_webhook("http://127.0.0.1:9999/hook").is_ok());
        assert!(check_webhook("http://localhost/hook").is_ok());
        let problem = check_webhook("http://example.com/hook/SECRET").unwrap_err();
        assert!(
            problem.contains("must use https") && !problem.contains("SECRET"),
            "{problem}"
        );
        let problem = check_webhook("ftp://example.com/SECRET").unwrap_err();
        assert!(!problem.contains("SECRET"), "{problem}");
    }

    #[test]
    fn quoted_urls_are_taken_out_of_messages() {
        let text =
            r#"invalid type: string "https://hooks.slack.com/services/T0/B0/SECRET", expected u64"#;
        let clean = without_urls(text);
        assert!(!clean.contains("SECRET"), "{clean}");
        assert!(clean.contains("(a URL, not shown)") && clean.contains("expected u64"));
        assert_eq!(without_urls(r#"a "word" here"#), r#"a "word" here"#);
        assert_eq!(without_urls(r#"open "quote"#), r#"open "quote"#);
    }
}
