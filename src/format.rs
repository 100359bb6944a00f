//! Text forms of numbers shared by the CLI and the dashboard: missing values
//! read "no data", never 0 or a neutral default.

use crate::model::Rate;

/// Placeholder for a missing value.
pub const NO_DATA: &str = "no data";

/// `value` with `decimals` places, or "no data".
pub fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:.decimals$}"))
}

/// `value` as a percentage with one decimal, or "no data".
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:.1}%"))
}

/// A signed number (`+0.42`), or "no data".
pub fn signed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:+.decimals$}"))
}

/// A rate with its interval, n and (for hit rates) p-value.
pub fn rate_with_p(rate: &Rate) -> String {
    match rate.p_value {
        Some(p) if rate.sufficient => format!("{rate}  p={}", p_value(p)),
        _ => rate.to_string(),
    }
}

/// A p-value with sensible precision.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// An integer with thousands separators.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_say_no_data() {
        assert_eq!(number(None, 2), "no data");
        assert_eq!(percent(None), "no data");
        assert_eq!(percent(Some(0.0)), "0.0%");
        assert_eq!(signed(Some(0.4), 2), "+0.40");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
    }
}
