//! Posts to a Slack incoming webhook: each attempt with a timeout; 429 (with
//! `Retry-After`), 5xx, timeouts and connection failures retried with
//! exponential backoff; other 4xx answers are final. Errors name the webhook
//! only in redacted form.

use super::WebhookUrl;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error("webhook {url} refused the post: HTTP {status}")]
    Rejected { url: String, status: u16 },
    #[error("webhook {url}: gave up after {attempts} attempts: {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
}

/// The webhook client.
#[derive(Debug, Clone)]
pub struct Notifier {
    client: reqwest::Client,
    url: WebhookUrl,
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Notifier {
    pub fn new(
        url: WebhookUrl,
        timeout: Duration,
        max_retries: u32,
        base_delay: Duration,
    ) -> anyhow::Result<Notifier> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            // A connection reset after a failed post must not poison the next one.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|error| {
                anyhow::anyhow!("cannot build the webhook client: {}", error.without_url())
            })?;
        Ok(Notifier {
            client,
            url,
            max_retries,
            base_delay,
            max_delay: Duration::from_secs(60),
        })
    }

    pub fn redacted_url(&self) -> String {
        self.url.redacted()
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.base_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay)
    }

    /// Posts `payload` (terminal-safe, whatever built it or however long it
    /// waited in the outbox); returns the number of attempts it took.
    pub async fn post(&self, payload: &serde_json::Value) -> Result<u32, PostError> {
        let payload = &super::message::safe_payload(payload.clone());
        let mut last = String::new();
        for attempt in 0..=self.max_retries {
            let delay = match self
                .client
                .post(self.url.url().clone())
                .json(payload)
                .send()
                .await
            {
                Ok(response) if response.status().is_success() => return Ok(attempt + 1),
                Ok(response) if response.status().as_u16() == 429 => {
                    last = "HTTP 429 (rate limited)".to_string();
                    response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| value.trim().parse::<u64>().ok())
                        .map(Duration::from_secs)
                        .unwrap_or_else(|| self.backoff(attempt))
                        .min(self.max_delay)
                }
                Ok(response) if response.status().is_server_error() => {
                    last = format!("HTTP {}", response.status().as_u16());
                    self.backoff(attempt)
                }
                Ok(response) => {
                    return Err(PostError::Rejected {
                        url: self.url.redacted(),
                        status: response.status().as_u16(),
                    });
                }
                Err(error) => {
                    last = if error.is_timeout() {
                        "timed out".to_string()
                    } else if error.is_connect() {
                        "cannot connect".to_string()
                    } else {
                        error.without_url().to_string()
                    };
                    self.backoff(attempt)
                }
            };
            if attempt < self.max_retries {
                tokio::time::sleep(delay).await;
            }
        }
        Err(PostError::GaveUp {
            url: self.url.redacted(),
            attempts: self.max_retries + 1,
            last,
        })
    }
}
