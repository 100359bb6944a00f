//! Which credentials the BigQuery source uses and, when they fail, a message
//! that says which method was tried (the key file or the variable that
//! named it), why it failed (unreadable, not JSON, refused, the token
//! service unreachable) and what to do next. Paths and variable names are
//! shown; nothing read from a credentials file ever is.

use crate::config::{BigQueryAuth, BigQueryConfig};
use gcp_bigquery_client::error::BQError;
use gcp_bigquery_client::yup_oauth2;
use std::path::PathBuf;

/// The variable application default credentials read first.
pub const ADC_VARIABLE: &str = "GOOGLE_APPLICATION_CREDENTIALS";

/// The method as a user would name it, with the file it reads.
pub fn method(config: &BigQueryConfig) -> String {
    match config.auth {
        BigQueryAuth::KeyFile => match &config.key_file {
            Some(path) => format!("service-account key file {}", path.display()),
            None => "service-account key file (source.bigquery.key_file not set)".to_string(),
        },
        BigQueryAuth::ApplicationDefault => match std::env::var_os(ADC_VARIABLE) {
            Some(path) => format!(
                "application default credentials, {ADC_VARIABLE}={}",
                PathBuf::from(path).display()
            ),
            None => match gcloud_file().filter(|file| file.is_file()) {
                Some(file) => format!("application default credentials, {}", file.display()),
                None => format!(
                    "application default credentials (no {ADC_VARIABLE}, no gcloud file: the metadata server)"
                ),
            },
        },
        BigQueryAuth::MetadataServer => "metadata server".to_string(),
        BigQueryAuth::StaticToken => "static emulator token".to_string(),
    }
}

/// Where `gcloud auth application-default login` writes its file.
fn gcloud_file() -> Option<PathBuf> {
    let config = std::env::var_os("CLOUDSDK_CONFIG")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config/gcloud"))
        })?;
    Some(config.join("application_default_credentials.json"))
}

/// What to do after a failure of `auth`.
pub fn next_step(auth: BigQueryAuth) -> &'static str {
    match auth {
        BigQueryAuth::KeyFile => {
            "point source.bigquery.key_file at a service-account key (JSON) downloaded from the console"
        }
        BigQueryAuth::ApplicationDefault => {
            "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file"
        }
        BigQueryAuth::MetadataServer => {
            "run on Google Cloud with a service account attached, or use auth: application_default"
        }
        BigQueryAuth::StaticToken => "static_token is for a loopback emulator only",
    }
}

/// A file the method names that is missing or unreadable, checked before
/// any request (`None`: nothing to check, or it reads).
pub fn unreadable_file(config: &BigQueryConfig) -> Option<String> {
    let (path, named_by) = match config.auth {
        BigQueryAuth::KeyFile => (
            config.key_file.clone()?,
            "source.bigquery.key_file".to_string(),
        ),
        BigQueryAuth::ApplicationDefault => (
            PathBuf::from(std::env::var_os(ADC_VARIABLE)?),
            ADC_VARIABLE.to_string(),
        ),
        _ => return None,
    };
    let problem = match std::fs::read(&path) {
        Err(error) => format!("cannot be read ({})", error.kind()),
        Ok(bytes) if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() => {
            "is not JSON".to_string()
        }
        Ok(_) => return None,
    };
    Some(format!(
        "{} (named by {named_by}) {problem}",
        path.display()
    ))
}

/// Why `error` failed, without anything read from the credentials.
pub fn cause(error: &BQError) -> String {
    match error {
        BQError::InvalidServiceAccountKey(io) => {
            format!(
                "the key file cannot be read as a service-account key ({})",
                io.kind()
            )
        }
        BQError::InvalidServiceAccountAuthenticator(io)
        | BQError::InvalidApplicationDefaultCredentialsAuthenticator(io)
        | BQError::InvalidAuthorizedUserAuthenticator(io) => {
            format!("no usable credentials found ({})", io.kind())
        }
        BQError::SerializationError(_) => "the credentials file is not valid JSON".to_string(),
        BQError::AuthError(refused) => refused_cause(refused),
        BQError::YupAuthError(error) => yup_cause(error),
        BQError::NoToken => "no access token was issued".to_string(),
        BQError::RequestError(error) if error.is_connect() => {
            "the token service is unreachable".to_string()
        }
        _ => "cannot authenticate".to_string(),
    }
}

fn refused_cause(refused: &yup_oauth2::error::AuthError) -> String {
    // The error code is the token service's word for it, never a secret.
    let code: String = refused
        .error
        .as_str()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect();
    format!("the token service refused the credentials ({code})")
}

fn yup_cause(error: &yup_oauth2::Error) -> String {
    match error {
        yup_oauth2::Error::AuthError(refused) => refused_cause(refused),
        yup_oauth2::Error::HttpError(_)
        | yup_oauth2::Error::HttpClientError(_)
        | yup_oauth2::Error::LowLevelError(_) => "the token service is unreachable".to_string(),
        yup_oauth2::Error::JSONError(_) => {
            "the token service answered without a token (an error page: a 5xx or a proxy?)"
                .to_string()
        }
        yup_oauth2::Error::MissingAccessToken => "no access token was issued".to_string(),
        _ => "cannot authenticate".to_string(),
    }
}

/// Whether a token failure may pass when tried again (the service could
/// not be reached or answered with an error page), like the API's 5xx.
pub fn is_transient(error: &BQError) -> bool {
    match error {
        BQError::YupAuthError(error) => matches!(
            error,
            yup_oauth2::Error::HttpError(_)
                | yup_oauth2::Error::HttpClientError(_)
                | yup_oauth2::Error::LowLevelError(_)
                | yup_oauth2::Error::JSONError(_)
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_file(path: &std::path::Path) -> BigQueryConfig {
        BigQueryConfig {
            auth: BigQueryAuth::KeyFile,
            key_file: Some(path.to_path_buf()),
            ..BigQueryConfig::default()
        }
    }

    #[test]
    fn a_key_file_that_does_not_read_names_the_file_and_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("key.json");
        let said = unreadable_file(&key_file(&missing)).unwrap();
        assert!(
            said.contains("key.json") && said.contains("source.bigquery.key_file"),
            "{said}"
        );
        assert!(said.contains("cannot be read"), "{said}");
        std::fs::write(&missing, "-----BEGIN SECRET-----").unwrap();
        let said = unreadable_file(&key_file(&missing)).unwrap();
        assert!(
            said.ends_with("is not JSON") && !said.contains("SECRET"),
            "{said}"
        );
        std::fs::write(&missing, "{}").unwrap();
        assert_eq!(unreadable_file(&key_file(&missing)), None);
        assert!(method(&key_file(&missing)).contains("key.json"));
    }

    #[test]
    fn an_unreachable_or_failing_token_service_is_tried_again_and_said_so() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "no");
        let unreachable = BQError::YupAuthError(yup_oauth2::Error::LowLevelError(io));
        assert!(is_transient(&unreachable));
        assert_eq!(cause(&unreachable), "the token service is unreachable");
        let page = serde_json::from_str::<serde_json::Value>("<html>502</html>").unwrap_err();
        let bad_gateway = BQError::YupAuthError(yup_oauth2::Error::JSONError(page));
        assert!(is_transient(&bad_gateway));
        assert!(cause(&bad_gateway).contains("5xx"));
        let refused =
            BQError::YupAuthError(yup_oauth2::Error::AuthError(yup_oauth2::error::AuthError {
                error: yup_oauth2::error::AuthErrorCode::InvalidGrant,
                error_description: Some("SECRET description".to_string()),
                error_uri: None,
            }));
        assert!(!is_transient(&refused));
        assert_eq!(
            cause(&refused),
            "the token service refused the credentials (invalid_grant)"
        );
    }
}
