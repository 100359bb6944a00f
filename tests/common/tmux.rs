//! Shared helpers of the tmux tests: the binary they drive (`COURTSIDE_BIN`,
//! the release build `scripts/test` makes, else this build's), a tmux
//! session that is killed when dropped, its screen and keys, and waiting
//! for text on the screen with a deadline.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

pub fn binary() -> PathBuf {
    std::env::var_os("COURTSIDE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_courtside")))
}

pub struct Session {
    pub name: String,
}

impl Session {
    /// A detached session `width` x `height` running `command` in a shell.
    pub fn start(name: String, width: u16, height: u16, command: &str) -> Session {
        let session = Session { name };
        session.tmux(&[
            "new-session",
            "-d",
            "-s",
            &session.name,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            command,
        ]);
        session
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let output = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&output.stdout).to_string()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    pub fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", &self.name, keys]);
    }

    /// Waits (up to 30 seconds) until the screen contains `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(Instant::now() + Duration::from_secs(30), text, |screen| {
            screen.contains(text)
        })
    }

    /// Polls the screen until `done` holds for it; fails at `deadline`
    /// with `what` and the last screen.
    pub fn wait_until(&self, deadline: Instant, what: &str, done: impl Fn(&str) -> bool) -> String {
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "never saw {what:?}; screen:\n{screen}"
            );
            sleep(Duration::from_millis(100));
        }
    }

    pub fn format(&self, variable: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", &self.name, variable])
            .trim()
            .to_string()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}
