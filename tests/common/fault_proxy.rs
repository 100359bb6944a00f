//! A fault-injecting proxy on loopback in front of the emulator: each HTTP
//! request is read whole, matched against the test's faults, and either
//! answered with an error (nothing reaches the emulator), forwarded with its
//! answer cut (the emulator runs it, the client never hears back), or
//! forwarded as it is. Every request is recorded: the SQL of a query, the
//! table and row ids of an `insertAll`. One request per connection.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Which requests a fault applies to.
#[derive(Clone, Debug)]
pub enum Match {
    /// A `jobs.query` whose SQL contains the text.
    Query(String),
    /// An `insertAll` into a table whose name contains the text.
    InsertAll(String),
}

/// What happens to a matching request.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Answered with this HTTP status and an error body; never forwarded.
    Fail(u16),
    /// Forwarded and run; the answer is dropped and the connection closed.
    Cut,
}

/// A fault: from the `nth` matching request (1-based), `times` of them.
#[derive(Clone, Debug)]
pub struct Fault {
    pub matching: Match,
    pub nth: usize,
    pub times: usize,
    pub action: Action,
}

/// One request as the proxy saw it.
#[derive(Clone, Debug)]
pub enum Seen {
    Query(String),
    InsertAll { table: String, ids: Vec<String> },
    Other(String),
}

#[derive(Default)]
struct State {
    faults: Vec<(Fault, usize)>,
    seen: Vec<Seen>,
    injected: usize,
}

/// The proxy's URL, its faults and what it saw.
#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// Replaces the faults (their counts start again).
    pub fn set(&self, faults: Vec<Fault>) {
        let mut state = self.state.lock().unwrap();
        state.faults = faults.into_iter().map(|fault| (fault, 0)).collect();
        state.injected = 0;
    }

    /// No faults from now on.
    pub fn clear(&self) {
        self.set(Vec::new());
    }

    /// How many requests a fault was applied to since the last `set`.
    pub fn injected(&self) -> usize {
        self.state.lock().unwrap().injected
    }

    /// Takes (and clears) what was seen so far.
    pub fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut self.state.lock().unwrap().seen)
    }

    /// Which fault applies to `seen`, counting it.
    fn decide(&self, seen: &Seen) -> Option<Action> {
        let mut state = self.state.lock().unwrap();
        state.seen.push(seen.clone());
        let mut chosen = None;
        for (fault, count) in &mut state.faults {
            let hit = match (&fault.matching, seen) {
                (Match::Query(text), Seen::Query(sql)) => sql.contains(text.as_str()),
                (Match::InsertAll(text), Seen::InsertAll { table, .. }) => {
                    table.contains(text.as_str())
                }
                _ => false,
            };
            if !hit {
                continue;
            }
            *count += 1;
            if chosen.is_none() && *count >= fault.nth && *count < fault.nth + fault.times {
                chosen = Some(fault.action);
            }
        }
        if chosen.is_some() {
            state.injected += 1;
        }
        chosen
    }
}

/// One whole request: its head and its body.
struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn seen(&self) -> Seen {
        let line = self.head.lines().next().unwrap_or_default().to_string();
        let path = line.split_whitespace().nth(1).unwrap_or_default();
        let json = serde_json::from_slice::<serde_json::Value>(&self.body).ok();
        if line.starts_with("POST") && path.ends_with("/queries") {
            let sql = json
                .as_ref()
                .and_then(|json| json["query"].as_str())
                .unwrap_or_default();
            return Seen::Query(sql.to_string());
        }
        if path.contains("/insertAll") {
            let table = path
                .split("/tables/")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_string();
            let ids = json
                .as_ref()
                .and_then(|json| json["rows"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|row| row["insertId"].as_str().map(str::to_string))
                .collect();
            return Seen::InsertAll { table, ids };
        }
        Seen::Other(line)
    }
}

/// Reads one request (head, then a body of Content-Length bytes).
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_string();
            let length = content_length(&head);
            if buffer.len() >= end + 4 + length {
                let body = buffer[end + 4..end + 4 + length].to_vec();
                return Some(Request { head, body });
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0)
}

/// Sends `request` to `target` (asking it to close after answering) and
/// reads the whole answer.
async fn forward(target: &str, request: &Request) -> Option<Vec<u8>> {
    let mut server = TcpStream::connect(target).await.ok()?;
    let head: Vec<&str> = request
        .head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut bytes = head.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    bytes.extend_from_slice(&request.body);
    server.write_all(&bytes).await.ok()?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await.ok()?;
    Some(answer)
}

/// `answer` with its head saying the connection closes after it (so the
/// client never sends a second request on it).
fn closing(answer: Vec<u8>) -> Vec<u8> {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return answer;
    };
    let head = String::from_utf8_lossy(&answer[..end]).to_string();
    let lines: Vec<&str> = head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut bytes = lines.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    bytes.extend_from_slice(&answer[end + 4..]);
    bytes
}

fn failure(status: u16) -> Vec<u8> {
    let body = serde_json::json!({
        "error": {"code": status, "message": "injected by the test's fault proxy",
                  "errors": [{"reason": if status >= 500 { "backendError" } else { "invalidQuery" },
                              "message": "injected by the test's fault proxy"}]}
    })
    .to_string();
    format!(
        "HTTP/1.1 {status} Injected\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Starts a proxy to `target` (`http://127.0.0.1:PORT`) on `runtime`.
pub fn start(runtime: &tokio::runtime::Runtime, target: &str) -> FaultProxy {
    let target = target
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind the fault proxy");
    let proxy = FaultProxy {
        url: format!("http://{}", listener.local_addr().unwrap()),
        state: Arc::new(Mutex::new(State::default())),
    };
    let serving = proxy.clone();
    runtime.spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let target = target.clone();
            let proxy = serving.clone();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut client).await else {
                    return;
                };
                match proxy.decide(&request.seen()) {
                    Some(Action::Fail(status)) => {
                        let _ = client.write_all(&failure(status)).await;
                    }
                    Some(Action::Cut) => {
                        let _ = forward(&target, &request).await;
                    }
                    None => {
                        if let Some(answer) = forward(&target, &request).await {
                            let _ = client.write_all(&closing(answer)).await;
                        }
                    }
                }
                let _ = client.shutdown().await;
            });
        }
    });
    proxy
}
