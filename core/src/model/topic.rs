//! What a post of `watch` or `courtside exp` is about: the topic routes
//! match on and silences hold.

use serde::{Deserialize, Serialize};

/// What a post is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A system's level changes (`watch`'s verdicts).
    Verdict,
    /// The pre-game and grading rules of a game night.
    GameDay,
    /// Promotions, archives, rollbacks and approvals.
    Registry,
    /// The always-valid verdict since the last promotion.
    SincePromotion,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::Verdict,
        Topic::GameDay,
        Topic::Registry,
        Topic::SincePromotion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Verdict => "verdict",
            Topic::GameDay => "game_day",
            Topic::Registry => "registry",
            Topic::SincePromotion => "since_promotion",
        }
    }

    /// The topic and system of a post kept under `key` in the outbox:
    /// `S`, `S game day pregame|grading` or `S since promotion`.
    pub fn of_key(key: &str) -> (Topic, &str) {
        if let Some(system) = key.strip_suffix(" since promotion") {
            (Topic::SincePromotion, system)
        } else if let Some((system, _family)) = key.split_once(" game day ") {
            (Topic::GameDay, system)
        } else {
            (Topic::Verdict, key)
        }
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
