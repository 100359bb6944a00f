//! The webhook receiver on 127.0.0.1 and the `watch` runners shared by the
//! watch tests.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How the receiver answers one request.
#[derive(Clone, Copy)]
pub enum Reply {
    Ok,
    Status(u16, Option<u64>),
    Hang,
}

pub struct Receiver {
    pub url: String,
    pub bodies: Arc<Mutex<Vec<Value>>>,
    pub attempts: Arc<Mutex<u32>>,
}

impl Receiver {
    /// The `text` of every post received, in order.
    pub fn texts(&self) -> Vec<String> {
        self.bodies
            .lock()
            .unwrap()
            .iter()
            .filter_map(|body| body["text"].as_str().map(str::to_string))
            .collect()
    }
}

pub async fn receiver(script: Vec<Reply>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/services/T0/B0/SECRET-TOKEN",
        listener.local_addr().unwrap()
    );
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let attempts = Arc::new(Mutex::new(0u32));
    let (bodies_in, attempts_in) = (bodies.clone(), attempts.clone());
    let script = Arc::new(Mutex::new(script.into_iter()));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (bodies, attempts, script) =
                (bodies_in.clone(), attempts_in.clone(), script.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                let body_start = loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                    if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buffer[..body_start]).to_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                while buffer.len() < body_start + length {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        break;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                }
                *attempts.lock().unwrap() += 1;
                let reply = script.lock().unwrap().next().unwrap_or(Reply::Ok);
                let response = match reply {
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                    Reply::Ok => {
                        if let Ok(body) = serde_json::from_slice(&buffer[body_start..]) {
                            bodies.lock().unwrap().push(body);
                        }
                        "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                            .to_string()
                    }
                    Reply::Status(code, retry_after) => format!(
                        "HTTP/1.1 {code} Nope\r\n{}content-length: 0\r\nconnection: close\r\n\r\n",
                        retry_after
                            .map(|s| format!("retry-after: {s}\r\n"))
                            .unwrap_or_default()
                    ),
                };
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Receiver {
        url,
        bodies,
        attempts,
    }
}

/// A one-season demo store and a config with no cooldown, shared per test.
pub fn setup(dir: &Path) -> PathBuf {
    let store = dir.join("demo.sqlite");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(["--store", store.to_str().unwrap(), "demo", "--seasons", "1"])
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    std::fs::write(
        dir.join("config.yaml"),
        "slack:\n  cooldown_secs: 0\n  timeout_secs: 10\n  max_retries: 3\n",
    )
    .unwrap();
    store
}

pub async fn watch(dir: &Path, store: &Path, url: &str, args: &[&str]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"));
    command
        .args([
            "--store",
            store.to_str().unwrap(),
            "watch",
            "--interval",
            "0",
        ])
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .env("COURTSIDE_SLACK_WEBHOOK", url);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Runs `courtside --store STORE ARGS…` with the test's data and config
/// directory and `env` (no webhook unless `env` gives one).
pub async fn courtside(dir: &Path, store: &Path, env: &[(&str, String)], args: &[&str]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_courtside"));
    command
        .args(["--store", store.to_str().unwrap()])
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir)
        .env("COURTSIDE_CONFIG_DIR", dir)
        .env_remove("COURTSIDE_SLACK_WEBHOOK");
    for (name, value) in env {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Runs `courtside --store STORE ARGS…` as `actor` at `now`
/// (`COURTSIDE_NOW`), posting to `hook` where one is given.
pub async fn as_actor(
    dir: &Path,
    store: &Path,
    now: &str,
    actor: &str,
    hook: Option<&str>,
    args: &[&str],
) -> Output {
    let mut env = vec![
        ("COURTSIDE_NOW", now.to_string()),
        ("COURTSIDE_ACTOR", actor.to_string()),
    ];
    if let Some(url) = hook {
        env.push(("COURTSIDE_SLACK_WEBHOOK", url.to_string()));
    }
    courtside(dir, store, &env, args).await
}

/// What a run printed as JSON, whatever its exit code.
pub fn parsed(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

/// What a successful run printed as JSON.
pub fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stdout(output));
    parsed(output)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr)
}
