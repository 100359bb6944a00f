//! Slack alerting for `watch`: the message (Block Kit with a plain-text
//! fallback), the webhook notifier with timeout, retries and backoff, alert
//! hygiene (pending and recovery counts, unknown once, the recovered notice),
//! what holds a due post back (repeats, the cooldown), and URL redaction.

pub mod decision;
pub mod game_day;
pub mod hygiene;
pub mod message;
pub mod notifier;
pub mod since_promotion;

/// A webhook URL, checked at start; shown only in redacted form.
#[derive(Clone)]
pub struct WebhookUrl(reqwest::Url);

impl std::fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl WebhookUrl {
    /// Parses and checks a webhook URL; the error never repeats the URL.
    pub fn parse(text: &str, origin: &str) -> anyhow::Result<WebhookUrl> {
        let url = reqwest::Url::parse(text.trim())
            .map_err(|error| anyhow::anyhow!("{origin}: not a valid webhook URL ({error})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            anyhow::bail!(
                "{origin}: the webhook URL must be http(s), not `{}`",
                url.scheme()
            );
        }
        let Some(host) = url.host_str() else {
            anyhow::bail!("{origin}: the webhook URL has no host");
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if url.scheme() == "http" && !loopback {
            anyhow::bail!("{origin}: the webhook URL must use https (plain http only on loopback)");
        }
        Ok(WebhookUrl(url))
    }

    /// `https://hooks.slack.com/…`: scheme and host only.
    pub fn redacted(&self) -> String {
        format!(
            "{}://{}/…",
            self.0.scheme(),
            self.0.host_str().unwrap_or("?")
        )
    }

    pub fn url(&self) -> &reqwest::Url {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_redacted() {
        let url = WebhookUrl::parse(
            "https://hooks.slack.com/services/T0/B0/SECRET",
            "slack.webhook_url",
        )
        .unwrap();
        assert_eq!(url.redacted(), "https://hooks.slack.com/…");
        assert!(!format!("{url:?}").contains("SECRET"));
        assert!(WebhookUrl::parse("http://127.0.0.1:9/hook", "x").is_ok());
        for bad in [
            "not a url",
            "ftp://example.com/x",
            "http://example.com/hook",
            "https://",
        ] {
            let error = WebhookUrl::parse(bad, "slack.webhook_url")
                .unwrap_err()
                .to_string();
            assert!(error.starts_with("slack.webhook_url:"), "{error}");
        }
        let error = WebhookUrl::parse("http://hooks.example.com/SECRET", "x")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("SECRET"), "{error}");
    }
}
