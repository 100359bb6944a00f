//! Talking to the BigQuery REST API through `gcp-bigquery-client`: building
//! the client from the configured credentials, running one parameterised
//! query (`useLegacySql = false`, `useInt64Timestamp`, paging with
//! `maxResults` and page tokens, polling `jobComplete = false` with
//! `getQueryResults`), and deciding what is worth retrying. Errors are one
//! line, name the credential method tried, and never carry a token.

use super::decode::Rows;
use super::failure::{Failure, check_errors, one_line};
use crate::config::{BigQueryAuth, BigQueryConfig};
use crate::source::QueryRecord;
use anyhow::{Result, anyhow, bail};
use async_trait::async_trait;
use gcp_bigquery_client::Client;
use gcp_bigquery_client::auth::Authenticator;
use gcp_bigquery_client::client_builder::ClientBuilder;
use gcp_bigquery_client::error::BQError;
use gcp_bigquery_client::model::data_format_options::DataFormatOptions;
use gcp_bigquery_client::model::get_query_results_parameters::GetQueryResultsParameters;
use gcp_bigquery_client::model::query_parameter::QueryParameter;
use gcp_bigquery_client::model::query_request::QueryRequest;
use gcp_bigquery_client::model::table_data_insert_all_request::TableDataInsertAllRequest;
use gcp_bigquery_client::model::table_field_schema::TableFieldSchema;
use gcp_bigquery_client::model::table_row::TableRow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Rows per page requested from the API.
const PAGE_SIZE: i32 = 10_000;
/// How long one `jobs.query` / `getQueryResults` call may wait server-side.
const SERVER_WAIT_MS: i32 = 10_000;
/// The pause between polls of a job that is not complete.
const POLL_PAUSE: Duration = Duration::from_millis(100);
/// The token sent to a loopback emulator (which checks none).
const EMULATOR_TOKEN: &str = "courtside-emulator";

/// Request counters, for the per-refresh report (bytes are the response
/// bodies as decoded and re-encoded as JSON).
#[derive(Debug, Default)]
pub struct TransportStats {
    pub queries: AtomicU64,
    pub requests: AtomicU64,
    pub attempts_failed: AtomicU64,
    pub response_bytes: AtomicU64,
    /// `totalBytesProcessed` summed over the queries run (not dry runs).
    pub bytes_processed: AtomicU64,
    /// What those queries bill on on-demand pricing: [`billed`] of each.
    pub bytes_billed: AtomicU64,
    /// Every query: what it read and the bytes it processed or would process.
    pub log: std::sync::Mutex<Vec<QueryRecord>>,
}

/// The tables a statement names after FROM, JOIN, UPDATE, INTO or MERGE.
pub fn tables_of(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut tables: Vec<String> = Vec::new();
    for pair in words.windows(2) {
        if matches!(
            pair[0].to_ascii_uppercase().as_str(),
            "FROM" | "JOIN" | "UPDATE" | "INTO" | "MERGE"
        ) && pair[1].starts_with('`')
        {
            let name = pair[1]
                .trim_matches(|c: char| c == '`' || c == ',' || c == ')' || c == '(')
                .to_string();
            if !tables.contains(&name) {
                tables.push(name);
            }
        }
    }
    if tables.is_empty() {
        "(no table)".to_string()
    } else {
        tables.join(", ")
    }
}

/// On-demand pricing's bill for a query that processed `bytes` and
/// references `tables` tables: at least 10 MB per table, rounded up to a MB.
pub fn billed(bytes: u64, tables: u64) -> u64 {
    const MB: u64 = 1 << 20;
    bytes
        .div_ceil(MB)
        .saturating_mul(MB)
        .max(tables.saturating_mul(10 * MB))
}

/// A snapshot of [`TransportStats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub queries: u64,
    pub requests: u64,
    pub attempts_failed: u64,
    pub response_bytes: u64,
    pub bytes_processed: u64,
    pub bytes_billed: u64,
}

impl TransportStats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            queries: self.queries.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            attempts_failed: self.attempts_failed.load(Ordering::Relaxed),
            response_bytes: self.response_bytes.load(Ordering::Relaxed),
            bytes_processed: self.bytes_processed.load(Ordering::Relaxed),
            bytes_billed: self.bytes_billed.load(Ordering::Relaxed),
        }
    }

    fn record(&self, record: QueryRecord) {
        if let (Some(bytes), false) = (record.bytes, record.dry_run) {
            self.bytes_processed.fetch_add(bytes, Ordering::Relaxed);
        }
        if !record.dry_run {
            let tables = record
                .tables
                .split(", ")
                .filter(|t| !t.starts_with('('))
                .count();
            let bill = billed(record.bytes.unwrap_or(0), tables as u64);
            self.bytes_billed.fetch_add(bill, Ordering::Relaxed);
        }
        if let Ok(mut log) = self.log.lock() {
            log.push(record);
        }
    }
}

/// The result of one query.
#[derive(Debug, Clone, Default)]
pub struct QueryOutput {
    pub rows: Rows,
    /// `numDmlAffectedRows` of a DML statement.
    pub affected_rows: Option<u64>,
}

/// Backoff between attempts: doubling from `initial` up to `max`, until the deadline.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub initial: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(4),
        }
    }
}

/// A static bearer token, only ever sent to a loopback emulator.
#[derive(Clone)]
struct StaticToken;

#[async_trait]
impl Authenticator for StaticToken {
    async fn access_token(&self) -> Result<String, BQError> {
        Ok(EMULATOR_TOKEN.to_string())
    }
}

/// True when `url`'s host is the loopback interface.
pub fn is_loopback(url: &str) -> bool {
    let Some(rest) = url.split_once("://").map(|(_, rest)| rest) else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = if let Some(inner) = authority.strip_prefix('[') {
        inner.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The API client with its deadline, retry policy and counters.
pub struct Transport {
    client: Client,
    project: String,
    timeout: Duration,
    retry: RetryPolicy,
    /// `maximumBytesBilled` of every job.
    max_bytes_billed: u64,
    /// Scans are sent as dry runs (lookups still run): `--dry-run`.
    dry_run: std::sync::atomic::AtomicBool,
    pub stats: Arc<TransportStats>,
}

/// Whether a statement may be sent as a dry run when `--dry-run` is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Finds what to ask (latest date, systems, the registry): always runs.
    Lookup,
    /// Reads the data a command computes from: a dry run under `--dry-run`.
    Scan,
}

impl Transport {
    /// Builds the client for `config` (the project must be set).
    pub async fn connect(config: &BigQueryConfig) -> Result<Transport> {
        let project = config
            .project
            .clone()
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| anyhow!("source.bigquery.project is not set"))?;
        let timeout = Duration::from_secs(config.timeout_secs.0);
        let loopback = config.base_url.as_deref().is_some_and(is_loopback);
        let mut http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout);
        if loopback {
            // The emulator resets pooled connections after a 500.
            http = http.pool_max_idle_per_host(0);
        }
        let http = http
            .build()
            .map_err(|error| anyhow!("cannot build the HTTP client: {error}"))?;
        let mut builder = ClientBuilder::new();
        builder.with_client(http);
        if let Some(base) = &config.base_url {
            builder.with_v2_base_url(format!("{}/bigquery/v2", base.trim_end_matches('/')));
        }
        let method = super::credentials::method(config);
        if let Some(problem) = super::credentials::unreadable_file(config) {
            bail!(
                "BigQuery credentials ({method}): {problem}; {}",
                super::credentials::next_step(config.auth)
            );
        }
        let client = match config.auth {
            BigQueryAuth::StaticToken => {
                if !loopback {
                    bail!(
                        "source.bigquery.auth: static_token is only allowed with a loopback base_url (a local emulator)"
                    );
                }
                builder.build_from_authenticator(Arc::new(StaticToken)).await
            }
            BigQueryAuth::ApplicationDefault => {
                builder.build_from_application_default_credentials().await
            }
            BigQueryAuth::KeyFile => {
                let path = config.key_file.as_ref().ok_or_else(|| {
                    anyhow!("source.bigquery.auth is key_file but source.bigquery.key_file is not set")
                })?;
                let text = path.to_string_lossy().to_string();
                builder.build_from_service_account_key_file(&text).await
            }
            BigQueryAuth::MetadataServer => builder.build_with_workload_identity(false).await,
        }
        .map_err(|error| {
            anyhow!(
                "BigQuery credentials ({method}): {}; {}",
                super::credentials::cause(&error),
                super::credentials::next_step(config.auth)
            )
        })?;
        Ok(Transport {
            client,
            project,
            timeout,
            retry: RetryPolicy::default(),
            max_bytes_billed: config.max_bytes_billed.0,
            dry_run: std::sync::atomic::AtomicBool::new(false),
            stats: Arc::new(TransportStats::default()),
        })
    }

    pub fn project(&self) -> &str {
        &self.project
    }

    /// Sends scans as dry runs from now on (`--dry-run`).
    pub fn set_dry_run(&self, on: bool) {
        self.dry_run.store(on, Ordering::Relaxed);
    }

    /// Whether scans are dry runs (their answers are empty).
    pub fn dry_running(&self) -> bool {
        self.dry_run.load(Ordering::Relaxed)
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Runs one statement with named parameters, retrying transient failures
    /// until the configured timeout, and returns every row.
    pub async fn query(&self, sql: &str, parameters: Vec<QueryParameter>) -> Result<QueryOutput> {
        self.query_as(QueryKind::Scan, sql, parameters).await
    }

    /// [`Transport::query`] of a statement of `kind`: a scan under
    /// `--dry-run` is a dry run (no rows; its estimate recorded).
    pub async fn query_as(
        &self,
        kind: QueryKind,
        sql: &str,
        parameters: Vec<QueryParameter>,
    ) -> Result<QueryOutput> {
        self.stats.queries.fetch_add(1, Ordering::Relaxed);
        let deadline = Instant::now() + self.timeout;
        let dry_run = kind == QueryKind::Scan && self.dry_run.load(Ordering::Relaxed);
        let mut request = QueryRequest::new(sql);
        request.dry_run = Some(dry_run);
        request.maximum_bytes_billed = Some(self.max_bytes_billed.to_string());
        request.use_legacy_sql = false;
        request.parameter_mode = Some("NAMED".to_string());
        request.query_parameters = (!parameters.is_empty()).then_some(parameters);
        request.format_options = Some(DataFormatOptions {
            use_int64_timestamp: Some(true),
        });
        request.max_results = Some(PAGE_SIZE);
        // One id for every retry: BigQuery runs the statement at most once.
        request.request_id = Some(uuid::Uuid::new_v4().to_string());
        let response = self
            .attempt(deadline, || {
                let mut request = request.clone();
                request.timeout_ms = Some(remaining_ms(deadline));
                self.client.job().query(&self.project, request)
            })
            .await?;
        self.count_bytes(&response);
        check_errors(response.errors.as_deref())?;
        let mut bytes = parse_count(response.total_bytes_processed.as_deref());
        if dry_run {
            self.stats.record(QueryRecord {
                tables: tables_of(sql),
                bytes,
                dry_run,
                sql: sql.to_string(),
            });
            return Ok(QueryOutput::default());
        }
        let mut affected_rows = parse_count(response.num_dml_affected_rows.as_deref());
        let job = response.job_reference.clone().unwrap_or_default();
        let mut schema = response.schema.and_then(|s| s.fields);
        let mut rows: Vec<TableRow> = response.rows.unwrap_or_default();
        let mut complete = response.job_complete.unwrap_or(true);
        let mut page_token = response.page_token.filter(|token| !token.is_empty());
        while !complete || page_token.is_some() {
            if Instant::now() >= deadline {
                bail!(
                    "BigQuery did not finish the query within {} s (source.bigquery.timeout_secs)",
                    self.timeout.as_secs()
                );
            }
            let job_id = job
                .job_id
                .clone()
                .ok_or_else(|| anyhow!("BigQuery answered without a job id"))?;
            let page = self
                .attempt(deadline, || {
                    let parameters = GetQueryResultsParameters {
                        location: job.location.clone(),
                        max_results: Some(PAGE_SIZE),
                        page_token: page_token.clone(),
                        timeout_ms: Some(remaining_ms(deadline)),
                        ..Default::default()
                    };
                    self.client
                        .job()
                        .get_query_results(&self.project, &job_id, parameters)
                })
                .await?;
            self.count_bytes(&page);
            check_errors(page.errors.as_deref())?;
            complete = page.job_complete.unwrap_or(true);
            if !complete {
                // The server waited `timeoutMs` already; a short pause in case it did not.
                tokio::time::sleep(POLL_PAUSE).await;
                continue;
            }
            bytes = bytes.or(parse_count(page.total_bytes_processed.as_deref()));
            // A DML statement that finished while polled reports its count here.
            affected_rows = affected_rows.or(parse_count(page.num_dml_affected_rows.as_deref()));
            if schema.is_none() {
                schema = page.schema.and_then(|s| s.fields);
            }
            rows.extend(page.rows.unwrap_or_default());
            page_token = page.page_token.filter(|token| !token.is_empty());
        }
        self.stats.record(QueryRecord {
            tables: tables_of(sql),
            bytes,
            dry_run,
            sql: sql.to_string(),
        });
        let fields: Vec<TableFieldSchema> = schema.unwrap_or_default();
        Ok(QueryOutput {
            rows: Rows::decode(&fields, &rows)?,
            affected_rows,
        })
    }

    /// Streams rows into a table (`tabledata.insertAll`) with insert ids, so a
    /// retried request does not duplicate them.
    pub async fn insert_all(
        &self,
        project: &str,
        dataset: &str,
        table: &str,
        rows: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
    ) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        let mut request = TableDataInsertAllRequest::new();
        for (id, row) in rows {
            request
                .add_row(Some(id), row)
                .map_err(|error| anyhow!("cannot encode a row: {error}"))?;
        }
        let answer = self
            .attempt(deadline, || {
                self.client
                    .tabledata()
                    .insert_all(project, dataset, table, request.clone())
            })
            .await?;
        if let Some(first) = answer.insert_errors.unwrap_or_default().first() {
            let message = first
                .errors
                .as_ref()
                .and_then(|errors| errors.first())
                .and_then(|error| error.message.clone())
                .unwrap_or_default();
            bail!(
                "{dataset}.{table} refused row {}: {}",
                first.index.map_or(0, |i| i + 1),
                one_line(&message)
            );
        }
        Ok(())
    }

    /// A table's metadata (`tables.get`, free), or `None` when BigQuery
    /// answers that it does not exist.
    pub async fn get_table(
        &self,
        project: &str,
        dataset: &str,
        table: &str,
    ) -> Result<Option<gcp_bigquery_client::model::table::Table>> {
        let deadline = Instant::now() + self.timeout;
        self.attempt(deadline, || async {
            match self.client.table().get(project, dataset, table, None).await {
                Ok(found) => Ok(Some(found)),
                Err(BQError::ResponseError { error }) if error.error.code == 404 => Ok(None),
                Err(error) => Err(error),
            }
        })
        .await
    }

    /// The result schema of `sql` from a dry run (free: nothing is read or
    /// billed), recorded in the query log with its estimate.
    pub async fn dry_run_schema(&self, sql: &str) -> Result<Vec<TableFieldSchema>> {
        self.stats.queries.fetch_add(1, Ordering::Relaxed);
        let deadline = Instant::now() + self.timeout;
        let mut request = QueryRequest::new(sql);
        request.dry_run = Some(true);
        request.use_legacy_sql = false;
        let response = self
            .attempt(deadline, || {
                let mut request = request.clone();
                request.timeout_ms = Some(remaining_ms(deadline));
                self.client.job().query(&self.project, request)
            })
            .await?;
        check_errors(response.errors.as_deref())?;
        self.stats.record(QueryRecord {
            tables: tables_of(sql),
            bytes: parse_count(response.total_bytes_processed.as_deref()),
            dry_run: true,
            sql: sql.to_string(),
        });
        Ok(response.schema.and_then(|s| s.fields).unwrap_or_default())
    }

    /// The column names of `dataset.table` in `project` from its metadata
    /// (`tables.get`, not billed), or `None` when it does not exist.
    pub async fn table_columns(
        &self,
        project: &str,
        dataset: &str,
        table: &str,
    ) -> Result<Option<Vec<String>>> {
        let found = self.get_table(project, dataset, table).await?;
        Ok(found.map(|found| {
            found
                .schema
                .fields
                .unwrap_or_default()
                .into_iter()
                .map(|field| field.name)
                .collect()
        }))
    }

    fn count_bytes<T: serde::Serialize>(&self, body: &T) {
        let bytes = serde_json::to_vec(body).map_or(0, |b| b.len() as u64);
        self.stats
            .response_bytes
            .fetch_add(bytes, Ordering::Relaxed);
    }

    /// Calls `call` until it succeeds, fails permanently, or the deadline passes.
    async fn attempt<T, F, Fut>(&self, deadline: Instant, call: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, BQError>>,
    {
        let mut backoff = self.retry.initial;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let remaining = deadline.saturating_duration_since(Instant::now());
            let outcome = match tokio::time::timeout(remaining, call()).await {
                Ok(result) => result.map_err(Failure::from),
                Err(_) => Err(Failure::TimedOut),
            };
            let failure = match outcome {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            self.stats.attempts_failed.fetch_add(1, Ordering::Relaxed);
            let now = Instant::now();
            if !failure.is_transient() || now + backoff >= deadline {
                let attempts = if attempts == 1 {
                    String::new()
                } else {
                    format!(" (after {attempts} attempts)")
                };
                let unreachable = failure.is_transient();
                if let Failure::Http {
                    code: 404,
                    reason,
                    message,
                } = &failure
                    && crate::source::presence::bigquery_says_missing(reason, message)
                {
                    return Err(crate::source::presence::TableMissing {
                        message: failure.message(),
                    }
                    .into());
                }
                let message = match failure {
                    Failure::TimedOut => format!(
                        "BigQuery did not answer within {} s (source.bigquery.timeout_secs)",
                        self.timeout.as_secs()
                    ),
                    other => other.message(),
                };
                let message = format!("{message}{attempts}");
                if unreachable {
                    return Err(crate::source::Unreachable(message).into());
                }
                bail!("{message}");
            }
            tracing::warn!(attempts, error = %failure.message(), "BigQuery request failed; retrying");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(self.retry.max);
        }
    }
}

fn parse_count(text: Option<&str>) -> Option<u64> {
    text.and_then(|n| n.parse().ok())
}

fn remaining_ms(deadline: Instant) -> i32 {
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .as_millis();
    (remaining.min(SERVER_WAIT_MS as u128) as i32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_count_as_loopback() {
        assert!(is_loopback("http://127.0.0.1:9050"));
        assert!(is_loopback("http://localhost:9050/"));
        assert!(is_loopback("http://[::1]:9050"));
        assert!(!is_loopback("https://bigquery.googleapis.com"));
        assert!(!is_loopback("http://127.0.0.1.evil.example:80"));
        assert!(!is_loopback("http://10.0.0.1:9050"));
        assert!(!is_loopback("127.0.0.1:9050"));
    }
}
