//! The population fingerprint of an experiment's backtest (metrics.md
//! section 16): how many rows, over how many dates, the share on real prop
//! lines, and the first 8 hex digits of SHA-256 over its sorted keys. Two
//! experiments ranked together are comparable only when their keys match.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub experiment_id: String,
    pub rows: u64,
    pub dates: u64,
    /// The first and last game date of the backtest.
    pub first_date: Option<chrono::NaiveDate>,
    pub last_date: Option<chrono::NaiveDate>,
    /// Share of rows on real prop lines (`line_source = 'ACTUAL_PROP'`), 0-1.
    pub actual_line_share: Option<f64>,
    /// SHA-256 over the distinct keys sorted by `(player_lookup, game_id)`,
    /// each written `player_lookup TAB game_id NEWLINE`: its first 8 hex digits.
    pub keys: String,
}

/// The first 8 hex digits of SHA-256 over `keys` (already sorted and
/// distinct), each as `player_lookup\tgame_id\n`.
pub fn key_hash<'a>(keys: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (player, game) in keys {
        hasher.update(player.as_bytes());
        hasher.update(b"\t");
        hasher.update(game.as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_the_sorted_keys() {
        // printf 'a\tg1\nb\tg2\n' | sha256sum -> 849cddd9…
        assert_eq!(key_hash([("a", "g1"), ("b", "g2")]), "849cddd9");
    }
}
