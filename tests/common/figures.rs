//! The figures of a `diag --json` object: every key except when it ran, what
//! it skipped and the attribution (the factors, the cause and its
//! confidence: judged separately, as skipped rows are a factor of their
//! own). Two stores that differ only by rows left out give equal figures.
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
    ] {
        figures.remove(key);
    }
    figures
}
