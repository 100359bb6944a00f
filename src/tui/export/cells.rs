//! The raw cells of an export: CSV text from the `csv` crate, numbers at
//! full precision, rates as their own columns, missing as empty.

use crate::model::Rate;

/// The CSV text of a header and rows (the `csv` crate quotes what needs it).
pub(super) fn csv<S: AsRef<str>>(header: &[&str], rows: impl Iterator<Item = Vec<S>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(AsRef::as_ref));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A number as stored (full precision, no separators); empty when missing.
pub(super) fn number(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map_or_else(String::new, |v| v.to_string())
}

/// The header of a rate's columns, `prefix_k` … `prefix_sufficient`.
pub(super) fn rate_header(prefix: &str) -> Vec<String> {
    ["k", "n", "pct", "ci95_low", "ci95_high", "sufficient"]
        .iter()
        .map(|part| format!("{prefix}_{part}"))
        .collect()
}

/// A rate's columns: hits, sample, percent, interval bounds, sufficiency.
pub(super) fn rate_cells(rate: &Rate) -> Vec<String> {
    vec![
        rate.k.to_string(),
        rate.n.to_string(),
        number(rate.pct),
        number(rate.interval.map(|i| i.low)),
        number(rate.interval.map(|i| i.high)),
        rate.sufficient.to_string(),
    ]
}
