//! The BigQuery transport against a scripted loopback HTTP server: retries
//! with backoff for 503s, no retry for an invalid query (HTTP 400 or an OK
//! answer carrying `errors`), a slow answer cut off at the timeout, polling a
//! job that is not complete, paging, and credential errors that name the
//! method without leaking anything.

use courtside::config::{BigQueryAuth, BigQueryConfig, Positive, TableNames};
use courtside::source::bigquery::params::Params;
use courtside::source::bigquery::{BigQuerySource, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One scripted answer: status, body, and a delay before answering.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
    delay: Duration,
}

fn answer(status: u16, body: serde_json::Value) -> Answer {
    Answer {
        status,
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

/// Serves `answers` in order (the last one repeats); records each request
/// (its line first, then the headers and the body).
async fn server(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut next = 0usize;
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answers[next.min(answers.len() - 1)].clone();
            next += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head and the body its Content-Length announces.
                loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buffer).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|line| {
                                let lower = line.to_ascii_lowercase();
                                lower
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buffer.len() >= end + 4 + length {
                            // The whole request: its line first, then headers and body.
                            log.lock().unwrap().push(text.clone());
                            break;
                        }
                    }
                }
                tokio::time::sleep(answer.delay).await;
                let reason = if answer.status == 200 { "OK" } else { "Error" };
                let response = format!(
                    "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    answer.status,
                    answer.body.len(),
                    answer.body
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn config(url: &str, timeout_secs: u64) -> BigQueryConfig {
    BigQueryConfig {
        project: Some("courtside-test".to_string()),
        base_url: Some(url.to_string()),
        auth: BigQueryAuth::StaticToken,
        key_file: None,
        timeout_secs: Positive(timeout_secs),
        ..BigQueryConfig::default()
    }
}

async fn source(url: &str, timeout_secs: u64) -> BigQuerySource {
    BigQuerySource::connect(&config(url, timeout_secs), &TableNames::default())
        .await
        .unwrap()
        .with_retry(RetryPolicy {
            initial: Duration::from_millis(50),
            max: Duration::from_millis(200),
        })
}

fn rows_answer(job_complete: bool, values: &[&str], page_token: Option<&str>) -> Answer {
    let rows: Vec<serde_json::Value> = values
        .iter()
        .map(|v| serde_json::json!({"f": [{"v": v}]}))
        .collect();
    let mut body = serde_json::json!({
        "kind": "bigquery#queryResponse",
        "jobReference": {"projectId": "courtside-test", "jobId": "job_1", "location": "US"},
        "jobComplete": job_complete,
    });
    if job_complete {
        body["schema"] =
            serde_json::json!({"fields": [{"name": "n", "type": "INTEGER", "mode": "NULLABLE"}]});
        body["rows"] = serde_json::Value::Array(rows);
        body["totalRows"] = "3".into();
    }
    if let Some(token) = page_token {
        body["pageToken"] = token.into();
    }
    answer(200, body)
}

fn error_body(code: u16, reason: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"code": code, "message": message, "status": "X",
        "errors": [{"message": message, "domain": "global", "reason": reason}]}})
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_until_an_answer_comes() {
    let (url, seen) = server(vec![
        answer(503, error_body(503, "backendError", "try again")),
        answer(500, error_body(500, "internalError", "oops")),
        rows_answer(true, &["7"], None),
    ])
    .await;
    let source = source(&url, 10).await;
    let output = source
        .execute("SELECT 7 AS n", Params::new())
        .await
        .unwrap();
    assert_eq!(output.rows.rows, vec![vec![serde_json::json!(7)]]);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter()
            .all(|line| line.starts_with("POST /bigquery/v2/projects/courtside-test/queries"))
    );
    assert_eq!(source.stats().snapshot().attempts_failed, 2);
}

#[tokio::test]
async fn an_invalid_query_fails_at_once() {
    let (url, seen) = server(vec![answer(
        400,
        error_body(
            400,
            "invalidQuery",
            "Unrecognized name: nope at [1:8]\nsecond line",
        ),
    )])
    .await;
    let error = source(&url, 10)
        .await
        .execute("SELECT nope", Params::new())
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "BigQuery answered HTTP 400 invalidQuery: Unrecognized name: nope at [1:8]"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_ok_answer_carrying_errors_is_a_failure_and_not_retried() {
    let (url, seen) = server(vec![answer(
        200,
        serde_json::json!({"kind": "bigquery#queryResponse", "jobComplete": true,
            "errors": [{"reason": "invalidQuery", "message": "Syntax error at [1:1]"}]}),
    )])
    .await;
    let error = source(&url, 10)
        .await
        .execute("SELEC 1", Params::new())
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "BigQuery refused the query (invalidQuery): Syntax error at [1:1]"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_slow_answer_is_cut_off_at_the_timeout() {
    let (url, _) = server(vec![Answer {
        delay: Duration::from_secs(30),
        ..rows_answer(true, &["1"], None)
    }])
    .await;
    let source = source(&url, 2).await;
    let started = Instant::now();
    let error = source
        .execute("SELECT 1", Params::new())
        .await
        .unwrap_err()
        .to_string();
    let elapsed = started.elapsed();
    assert!(error.contains("did not answer within 2 s"), "{error}");
    assert!(
        elapsed < Duration::from_secs(6),
        "stopped at the deadline, took {elapsed:?}"
    );
}

#[tokio::test]
async fn an_unfinished_job_is_polled_and_every_page_is_read() {
    let (url, seen) = server(vec![
        rows_answer(false, &[], None),
        rows_answer(false, &[], None),
        rows_answer(true, &["1", "2"], Some("page-2")),
        rows_answer(true, &["3"], None),
    ])
    .await;
    let output = source(&url, 10)
        .await
        .execute("SELECT n FROM big", Params::new())
        .await
        .unwrap();
    let values: Vec<i64> = output
        .rows
        .rows
        .iter()
        .map(|row| row[0].as_i64().unwrap())
        .collect();
    assert_eq!(values, [1, 2, 3]);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(
        seen[1].starts_with("GET /bigquery/v2/projects/courtside-test/queries/job_1?"),
        "{seen:?}"
    );
    assert!(seen[3].contains("pageToken=page-2"), "{seen:?}");
    assert!(seen[3].contains("location=US"), "{seen:?}");
}

#[tokio::test]
async fn a_dml_statement_finished_while_polled_reports_its_row_count() {
    let done = answer(
        200,
        serde_json::json!({"kind": "bigquery#getQueryResultsResponse",
            "jobReference": {"projectId": "courtside-test", "jobId": "job_1"},
            "jobComplete": true, "numDmlAffectedRows": "1", "schema": {"fields": []}}),
    );
    let (url, seen) = server(vec![rows_answer(false, &[], None), done]).await;
    let output = source(&url, 10)
        .await
        .execute(
            "UPDATE t SET status = 'running' WHERE id = 'x'",
            Params::new(),
        )
        .await
        .unwrap();
    assert_eq!(output.affected_rows, Some(1));
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn credentials_errors_name_the_method_and_leak_nothing() {
    // A static token is for a loopback emulator only.
    let mut remote = config("https://bigquery.example.com", 5);
    let error = BigQuerySource::connect(&remote, &TableNames::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("static_token") && error.contains("loopback"),
        "{error}"
    );

    // A key file that is missing, then one that is not a key.
    remote.auth = BigQueryAuth::KeyFile;
    remote.key_file = Some("/nonexistent/key.json".into());
    let error = BigQuerySource::connect(&remote, &TableNames::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("service-account key file") && error.contains("/nonexistent/key.json"),
        "{error}"
    );
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.json");
    std::fs::write(
        &key,
        r#"{"type": "service_account", "private_key": "SECRET-MATERIAL"}"#,
    )
    .unwrap();
    remote.key_file = Some(key);
    let error = BigQuerySource::connect(&remote, &TableNames::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("service-account key file"), "{error}");
    assert!(!error.contains("SECRET-MATERIAL"), "{error}");

    // No project is a config error, not a request.
    remote.project = None;
    let error = BigQuerySource::connect(&remote, &TableNames::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("source.bigquery.project"), "{error}");
}

#[tokio::test]
async fn every_job_carries_the_bytes_cap_and_a_query_over_it_fails_at_once_naming_the_setting() {
    // BigQuery reports the cap as a 500 with reason bytesBilledLimitExceeded.
    let (url, seen) = server(vec![answer(
        500,
        error_body(
            500,
            "bytesBilledLimitExceeded",
            "Query exceeded limit for bytes billed: 10000000000. 31457280000 or higher required.",
        ),
    )])
    .await;
    let error = source(&url, 10)
        .await
        .execute("SELECT 1", Params::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("source.bigquery.max_bytes_billed")
            && error.contains("31457280000 or higher required"),
        "{error}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "never retried: {seen:?}");
    assert!(
        seen[0].contains("\"maximumBytesBilled\":\"10000000000\""),
        "{}",
        seen[0]
    );
}
