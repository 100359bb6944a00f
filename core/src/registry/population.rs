//! Which experiments ranked together were evaluated on the same rows
//! (metrics.md section 16): the first ranked experiment with a backtest is
//! the reference; another is comparable when its key hash is the same.

use super::leaderboard::Entry;
use crate::model::fingerprint::Fingerprint;

/// For each of `ranked`, its fingerprint and whether it is comparable with
/// the reference (`None` without backtest rows).
pub fn comparability<'a>(
    ranked: &[Entry],
    fingerprints: &'a [Fingerprint],
) -> Vec<Option<(&'a Fingerprint, bool)>> {
    let of = |entry: &Entry| fingerprints.iter().find(|f| f.experiment_id == entry.id);
    let reference = ranked.iter().find_map(of);
    ranked
        .iter()
        .map(|entry| {
            of(entry).map(|fingerprint| {
                let same = reference.is_none_or(|r| r.keys == fingerprint.keys);
                (fingerprint, same)
            })
        })
        .collect()
}

/// The warning `exp compare` leads with when the experiments' populations
/// differ or are unknown; `None` when all were evaluated on the same rows.
pub fn compare_warning(entries: &[Entry], fingerprints: &[Fingerprint]) -> Option<String> {
    let found = comparability(entries, fingerprints);
    let unknown: Vec<&str> = entries
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(e, _)| e.name.as_str())
        .collect();
    let differing = found.iter().flatten().any(|(_, same)| !same);
    if !differing && unknown.is_empty() {
        return None;
    }
    let populations: Vec<String> = entries
        .iter()
        .zip(&found)
        .filter_map(|(entry, f)| {
            f.map(|(fingerprint, _)| {
                format!(
                    "{} {}",
                    entry.name,
                    crate::format::fingerprint_text(fingerprint)
                )
            })
        })
        .collect();
    let mut text = if differing {
        format!(
            "not comparable: evaluated on different rows ({}); the differences below compare different populations",
            populations.join("; ")
        )
    } else {
        "population unknown".to_string()
    };
    if !unknown.is_empty() {
        text.push_str(&format!(
            "; no backtest rows for {} (its population is unknown)",
            unknown.join(", ")
        ));
    }
    Some(text)
}
