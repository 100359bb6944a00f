//! The figures of a `diag --json` object: every key except when it ran, what
//! it skipped and the attribution (the factors, the cause and its
//! confidence: judged separately, as skipped rows are a factor of their
//! own), and the close: closing line value reads only its own columns (a
//! row whose confidence decile does not read is still a bet with a line and
//! a close; its own columns are held to their domains in SQL), so a row
//! spoiled elsewhere counts there and not in the day sums. Two stores that
//! differ only by rows left out give equal figures.
#![allow(dead_code)]

use serde_json::Value;

pub fn figures(diag: &Value) -> serde_json::Map<String, Value> {
    let mut figures = diag.as_object().unwrap().clone();
    for key in [
        "computed_at",
        "skipped_rows",
        "contributing_factors",
        "primary_cause",
        "cause_confidence",
        "clv",
    ] {
        figures.remove(key);
    }
    figures
}
