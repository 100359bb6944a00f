//! Who makes a registry change, and when two actors are one person.
//!
//! The actor is `COURTSIDE_ACTOR`, else git's `user.email`, else `$USER`
//! (`$USERNAME`), else the login the OS knows (`id -un`). Actors are compared
//! in one place ([`same_actor`]): trimmed, case-folded, inner runs of spaces
//! as one, and without the login recorded beside them, so `alice `, `ALICE`
//! and `alice (login: bob)` are all `alice`. A `COURTSIDE_ACTOR` that is empty
//! or only spaces is refused. When `COURTSIDE_ACTOR` names someone other than
//! the OS login, the audit trail records both: `alice (login: bob)`.

use std::fmt;

/// What separates an actor's name from the OS login recorded beside it.
const LOGIN: &str = " (login: ";

/// Why there is no actor to record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActorError {
    #[error(
        "COURTSIDE_ACTOR is empty: set it to who you are, or unset it to use git's user.email or the login name"
    )]
    Empty,
    #[error("COURTSIDE_ACTOR is not valid UTF-8: set it to who you are")]
    NotUnicode,
}

/// Who makes a change: a name (trimmed, never empty) and, when the name is
/// not the OS login, the login it was given under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    login: Option<String>,
}

impl Actor {
    /// `name` trimmed, with `login` kept beside it when that is someone
    /// else; refused when the name is empty or only spaces.
    pub fn new(name: &str, login: Option<&str>) -> Result<Actor, ActorError> {
        let name = name.trim();
        if name_of(name).is_empty() {
            return Err(ActorError::Empty);
        }
        let login = login
            .map(str::trim)
            .filter(|login| !login.is_empty() && !same_actor(login, name))
            .map(str::to_string);
        Ok(Actor {
            name: name.to_string(),
            login,
        })
    }

    /// The actor of this process: `COURTSIDE_ACTOR` (with the OS login
    /// beside it when that differs), else git's `user.email`, `$USER`,
    /// `$USERNAME`, the OS login, else `unknown`.
    pub fn current() -> Result<Actor, ActorError> {
        match std::env::var("COURTSIDE_ACTOR") {
            Ok(name) => Actor::new(&name, os_login().as_deref()),
            Err(std::env::VarError::NotUnicode(_)) => Err(ActorError::NotUnicode),
            Err(std::env::VarError::NotPresent) => Actor::new(&fallback(), None),
        }
    }

    /// The name alone (for announcements and notes).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The OS login, when it is not the name.
    pub fn login(&self) -> Option<&str> {
        self.login.as_deref()
    }

    /// As the audit trail records it: `alice`, or `alice (login: bob)`.
    pub fn recorded(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.login {
            Some(login) => write!(f, "{}{LOGIN}{login})", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The name of an actor as the audit trail records it, without the login
/// beside it: `alice (login: bob)` is `alice`.
pub fn name_of(recorded: &str) -> &str {
    let recorded = recorded.trim();
    match recorded
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(LOGIN))
    {
        Some((name, _)) => name.trim(),
        None => recorded,
    }
}

/// Whether two actors (as typed or as recorded) are the same person: their
/// names compared trimmed, case-folded and with inner spaces as one. The one
/// comparison of actors (four eyes, the login recorded beside a name).
pub fn same_actor(a: &str, b: &str) -> bool {
    normalized(a) == normalized(b)
}

fn normalized(actor: &str) -> String {
    name_of(actor)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The actor without `COURTSIDE_ACTOR`: git's `user.email`, else `$USER`,
/// `$USERNAME`, the OS login, else `unknown`.
fn fallback() -> String {
    let git = std::process::Command::new("git")
        .args(["config", "user.email"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|email| !email.is_empty());
    git.or_else(|| variable("USER"))
        .or_else(|| variable("USERNAME"))
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The login this process runs under: what the OS knows, else `$USER`.
fn os_login() -> Option<String> {
    os_user()
        .or_else(|| variable("USER"))
        .or_else(|| variable("USERNAME"))
}

fn variable(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
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
mod tests {
    use super::*;

    #[test]
    fn the_os_knows_the_user_when_the_environment_does_not() {
        let from_os = os_user().expect("`id -un` answers on unix");
        assert!(!from_os.is_empty() && from_os != "unknown");
    }

    #[test]
    fn spaces_and_case_do_not_make_another_person() {
        for same in ["alice", "alice ", " ALICE", "Alice\t", "alice (login: bob)"] {
            assert!(same_actor(same, "alice"), "{same:?}");
        }
        assert!(same_actor("Ann  Lee", "ann lee"));
        for other in ["bob", "alice2", "alic", "bob (login: alice)"] {
            assert!(!same_actor(other, "alice"), "{other:?}");
        }
    }

    #[test]
    fn an_empty_actor_is_refused() {
        for empty in ["", "   ", "\t\n"] {
            assert_eq!(Actor::new(empty, None), Err(ActorError::Empty), "{empty:?}");
        }
    }

    #[test]
    fn the_login_is_recorded_only_when_it_is_someone_else() {
        let same = Actor::new(" alice ", Some("Alice")).unwrap();
        assert_eq!(same.recorded(), "alice");
        let other = Actor::new("alice ", Some("bob")).unwrap();
        assert_eq!(other.recorded(), "alice (login: bob)");
        assert_eq!(other.name(), "alice");
        assert_eq!(other.login(), Some("bob"));
        assert_eq!(name_of(&other.recorded()), "alice");
        assert_eq!(name_of("carol@example.com"), "carol@example.com");
    }
}
