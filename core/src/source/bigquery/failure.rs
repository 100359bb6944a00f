//! Why a BigQuery request failed, in one line without secrets: the HTTP
//! status and reason, a network failure with the address, an answer that
//! carries errors; and whether trying again can help.

use anyhow::{Result, bail};
use gcp_bigquery_client::error::BQError;
use gcp_bigquery_client::model::error_proto::ErrorProto;

/// The reason BigQuery gives a query over `maximumBytesBilled`.
const BYTES_LIMIT: &str = "bytesBilledLimitExceeded";

/// An `Ok` response carrying `errors` is a failed query.
pub(super) fn check_errors(errors: Option<&[ErrorProto]>) -> Result<()> {
    match errors.and_then(|errors| errors.first()) {
        None => Ok(()),
        // A missing table is typed, so that the reads that can do without it
        // tell it from every other failure (`source::presence`).
        Some(first)
            if crate::source::presence::bigquery_says_missing(
                first.reason.as_deref().unwrap_or_default(),
                first.message.as_deref().unwrap_or_default(),
            ) =>
        {
            Err(crate::source::presence::TableMissing {
                message: format!(
                    "BigQuery refused the query (notFound): {}",
                    one_line(first.message.as_deref().unwrap_or_default())
                ),
            }
            .into())
        }
        Some(first) => bail!(
            "BigQuery refused the query ({}): {}",
            first.reason.as_deref().unwrap_or("error"),
            one_line(first.message.as_deref().unwrap_or("no message"))
        ),
    }
}

pub(super) fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut short: String = line.chars().take(300).collect();
    if line.chars().count() > 300 {
        short.push('…');
    }
    short
}

/// Why one request failed, and whether trying again can help.
#[derive(Debug)]
pub(super) enum Failure {
    TimedOut,
    /// An HTTP error answer with its status and reason.
    Http {
        code: i64,
        reason: String,
        message: String,
    },
    /// The connection failed, reset, or the body was cut off.
    Network(String),
    Auth(String),
    Other(String),
}

impl From<BQError> for Failure {
    fn from(error: BQError) -> Self {
        match error {
            BQError::ResponseError { error } => {
                let reason = error
                    .error
                    .errors
                    .first()
                    .and_then(|e| e.get("reason").cloned())
                    .unwrap_or_default();
                Failure::Http {
                    code: error.error.code,
                    reason,
                    message: one_line(&error.error.message),
                }
            }
            BQError::RequestError(error) => {
                if error.is_timeout() {
                    Failure::TimedOut
                } else {
                    // Only the kind: the URL is fine to show but the error chain is long.
                    let kind = if error.is_connect() {
                        "cannot connect"
                    } else if error.is_decode() {
                        "unreadable answer (not JSON: a proxy or gateway error page?)"
                    } else if error.is_body() {
                        "the answer was cut off"
                    } else {
                        "request failed"
                    };
                    let status = error.status().map(|s| format!(" (HTTP {})", s.as_u16()));
                    // The address, never the path or query.
                    let address = error
                        .url()
                        .and_then(|url| {
                            let host = url.host_str()?;
                            Some(match url.port() {
                                Some(port) => format!(" to {}://{host}:{port}", url.scheme()),
                                None => format!(" to {}://{host}", url.scheme()),
                            })
                        })
                        .filter(|_| error.is_connect());
                    Failure::Network(format!(
                        "{kind}{}{}",
                        address.unwrap_or_default(),
                        status.unwrap_or_default()
                    ))
                }
            }
            // A token service that cannot be reached or answers with an
            // error page is tried again, like the API's 5xx.
            ref token if super::credentials::is_transient(token) => {
                Failure::Network(super::credentials::cause(token))
            }
            BQError::AuthError(_) | BQError::YupAuthError(_) | BQError::NoToken => {
                Failure::Auth(format!(
                    "{}: the credentials were refused or have expired (for application default credentials: `gcloud auth application-default login`)",
                    super::credentials::cause(&error)
                ))
            }
            other => Failure::Other(one_line(&other.to_string())),
        }
    }
}

impl Failure {
    pub(super) fn is_transient(&self) -> bool {
        match self {
            Failure::TimedOut | Failure::Network(_) => true,
            // Over the bytes limit is final whatever the status (BigQuery
            // sends it as a 500).
            Failure::Http { reason, .. } if reason == BYTES_LIMIT => false,
            Failure::Http { code, reason, .. } => {
                matches!(code, 429 | 500 | 502 | 503 | 504)
                    || matches!(
                        reason.as_str(),
                        "rateLimitExceeded" | "backendError" | "internalError"
                    )
            }
            Failure::Auth(_) | Failure::Other(_) => false,
        }
    }

    pub(super) fn message(&self) -> String {
        match self {
            Failure::TimedOut => "BigQuery did not answer in time".to_string(),
            Failure::Http {
                reason, message, ..
            } if reason == BYTES_LIMIT => format!(
                "BigQuery refused the query: it would bill more bytes than source.bigquery.max_bytes_billed allows ({message}); raise the setting or ask for fewer dates"
            ),
            Failure::Http {
                code,
                reason,
                message,
            } => {
                let reason = if reason.is_empty() {
                    String::new()
                } else {
                    format!(" {reason}")
                };
                format!("BigQuery answered HTTP {code}{reason}: {message}")
            }
            Failure::Network(kind) => format!("BigQuery unreachable: {kind}"),
            Failure::Auth(text) => format!("BigQuery authentication: {text}"),
            Failure::Other(text) => format!("BigQuery: {text}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_and_rate_limits_are_retried_and_invalid_queries_are_not() {
        let http = |code, reason: &str| Failure::Http {
            code,
            reason: reason.to_string(),
            message: String::new(),
        };
        assert!(http(429, "rateLimitExceeded").is_transient());
        assert!(http(500, "").is_transient());
        assert!(http(503, "").is_transient());
        assert!(http(403, "rateLimitExceeded").is_transient());
        assert!(!http(400, "invalidQuery").is_transient());
        assert!(!http(404, "notFound").is_transient());
        assert!(!http(403, "accessDenied").is_transient());
        assert!(Failure::TimedOut.is_transient());
        assert!(Failure::Network("reset".into()).is_transient());
        assert!(!Failure::Auth("no".into()).is_transient());
        // Over the bytes limit: never retried, and the message names the setting.
        let capped = http(500, BYTES_LIMIT);
        assert!(!capped.is_transient());
        assert!(
            capped
                .message()
                .contains("source.bigquery.max_bytes_billed")
        );
    }

    #[test]
    fn an_ok_answer_carrying_errors_is_a_failure() {
        let errors = vec![ErrorProto {
            reason: Some("invalidQuery".to_string()),
            message: Some("Syntax error: Unexpected keyword FROM at [1:8]\nmore".to_string()),
            ..Default::default()
        }];
        let error = check_errors(Some(&errors)).unwrap_err().to_string();
        assert_eq!(
            error,
            "BigQuery refused the query (invalidQuery): Syntax error: Unexpected keyword FROM at [1:8]"
        );
        assert!(check_errors(Some(&[])).is_ok());
        assert!(check_errors(None).is_ok());
    }

    /// An HTTP 400 body as BigQuery sends it decodes into a one-line message.
    #[test]
    fn http_400_error_bodies_become_one_line() {
        let body = serde_json::json!({
          "error": {
            "code": 400,
            "message": "Unrecognized name: nope at [1:8]",
            "errors": [{"message": "Unrecognized name: nope at [1:8]", "domain": "global",
                        "reason": "invalidQuery", "location": "q", "locationType": "parameter"}],
            "status": "INVALID_ARGUMENT"
          }
        });
        let error: gcp_bigquery_client::error::ResponseError =
            serde_json::from_value(body).unwrap();
        let failure = Failure::from(BQError::ResponseError { error });
        assert!(!failure.is_transient());
        assert_eq!(
            failure.message(),
            "BigQuery answered HTTP 400 invalidQuery: Unrecognized name: nope at [1:8]"
        );
    }
}
