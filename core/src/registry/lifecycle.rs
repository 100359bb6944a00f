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
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    git.or_else(|| set("USER"))
        .or_else(|| set("USERNAME"))
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The login name the operating system knows (`id -un`), for a shell
/// without `$USER` (cron, containers, systemd units).
fn os_user() -> Option<String> {
    std::process::Command::new("id")
        .arg("-un")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod actor_tests {
    #[test]
    fn the_os_knows_the_user_when_the_environment_does_not() {
        let from_os = super::os_user().expect("`id -un` answers on unix");
        assert!(!from_os.is_empty() && from_os != "unknown");
    }
}
