//! Who changes the registry, and the lifecycle's types (they live in
//! `model::experiment`, where the sources can see them).

pub use crate::model::experiment::{Status, Transition, TransitionError};

/// Who makes a change: `COURTSIDE_ACTOR`, else git's `user.email`, else the OS user.
pub fn actor() -> String {
    if let Ok(actor) = std::env::var("COURTSIDE_ACTOR")
        && !actor.trim().is_empty()
    {
        return actor;
    }
    let git = std::process::Command::new("git")
        .args(["config", "user.email"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|email| !email.is_empty());
    git.or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}
