//! A recording proxy on loopback in front of the emulator: every byte is
//! passed through unchanged, and the SQL of each `jobs.query` request is
//! kept, so a test can count a command's queries and read their text the
//! way BigQuery would receive them.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The proxy's URL and the SQL it has seen, in order.
pub struct Proxy {
    pub url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// Takes (and clears) the SQL seen so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// Pulls the `query` of each complete request out of `buffer` (head, then
/// a body of Content-Length bytes), leaving a partial request in it.
fn requests(buffer: &mut Vec<u8>, seen: &Mutex<Vec<String>>) {
    loop {
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            return;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_string();
        let length = head
            .lines()
            .find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        if buffer.len() < end + 4 + length {
            return;
        }
        let body = buffer[end + 4..end + 4 + length].to_vec();
        buffer.drain(..end + 4 + length);
        if head.starts_with("POST")
            && head.contains("/queries ")
            && let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body)
            && let Some(query) = json["query"].as_str()
        {
            seen.lock().unwrap().push(query.to_string());
        }
    }
}

/// Starts a proxy to `target` (`http://127.0.0.1:PORT`) on `runtime`.
pub fn start(runtime: &tokio::runtime::Runtime, target: &str) -> Proxy {
    let target = target
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind the proxy");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    runtime.spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let target = target.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let Ok(mut server) = TcpStream::connect(&target).await else {
                    return;
                };
                let (mut client_read, mut client_write) = client.split();
                let (mut server_read, mut server_write) = server.split();
                let upstream = async {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 16384];
                    loop {
                        let n = client_read.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            let _ = server_write.shutdown().await;
                            return;
                        }
                        buffer.extend_from_slice(&chunk[..n]);
                        requests(&mut buffer, &log);
                        if server_write.write_all(&chunk[..n]).await.is_err() {
                            return;
                        }
                    }
                };
                let downstream = async {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                    let _ = client_write.shutdown().await;
                };
                tokio::join!(upstream, downstream);
            });
        }
    });
    Proxy { url, seen }
}

/// Tables whose every read must filter `game_date` partitions.
pub const PARTITIONED: [&str; 3] = [
    "prediction_accuracy",
    "player_game_summary",
    "performance_diagnostics_daily",
];

/// Whether each `FROM` of a partitioned table in `sql` is followed (before
/// the next `FROM`) by a `game_date` condition against a parameter.
pub fn filters_partitions(sql: &str) -> bool {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> = flat.split(" FROM ").skip(1).collect();
    parts.iter().all(|part| {
        let reads_partitioned = PARTITIONED.iter().any(|table| {
            part.split_whitespace()
                .next()
                .is_some_and(|t| t.contains(table))
        });
        !reads_partitioned
            || part.contains("game_date >= @")
            || part.contains("game_date BETWEEN @")
            || part.contains("game_date = @")
            || part.contains("game_date <= @")
            || part.contains("game_date > @")
            || part.contains("game_date BETWEEN DATE_SUB(@")
    })
}
