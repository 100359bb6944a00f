//! The results JSON a training script writes (`results_json`, metrics.md
//! section 10), checked before it is stored: `overall.hit_rate` a fraction,
//! `samples` a positive whole number, MAE at least 0, ROI a finite return of
//! at least -100%, and `by_tier` / `by_line_range` maps of the same figures.
//! Every problem names the file, the line and the field. Keys the check does
//! not know are kept as they are (scripts add their own).

use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// A hit rate as the training script writes it: a fraction from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction(pub f64);

/// A mean absolute error: a finite number of at least 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mae(pub f64);

/// A return on investment as a fraction: finite, at least -1 (everything lost).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roi(pub f64);

/// A sample count: a whole number greater than 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Samples(pub u64);

/// A JSON number, or why it is not one.
fn number<'de, D: Deserializer<'de>>(deserializer: D, what: &str) -> Result<f64, D::Error> {
    struct Visitor<'a>(&'a str);
    impl<'de> de::Visitor<'de> for Visitor<'_> {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a number ({})", self.0)
        }
        fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
            Ok(value)
        }
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
            Ok(value as f64)
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
            Ok(value as f64)
        }
    }
    deserializer.deserialize_any(Visitor(what))
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = number(deserializer, "a fraction from 0 to 1")?;
        if !(0.0..=1.0).contains(&value) {
            return Err(de::Error::custom(format!(
                "{value} is not a fraction from 0 to 1 (write 0.571 for 57.1%)"
            )));
        }
        Ok(Fraction(value))
    }
}

impl<'de> Deserialize<'de> for Mae {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = number(deserializer, "points, at least 0")?;
        if !(value.is_finite() && value >= 0.0) {
            return Err(de::Error::custom(format!(
                "{value} is negative; a mean absolute error is at least 0"
            )));
        }
        Ok(Mae(value))
    }
}

impl<'de> Deserialize<'de> for Roi {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = number(deserializer, "a fraction, at least -1")?;
        if !(value.is_finite() && value >= -1.0) {
            return Err(de::Error::custom(format!(
                "{value} is below -1; a return cannot lose more than the stake"
            )));
        }
        Ok(Roi(value))
    }
}

impl<'de> Deserialize<'de> for Samples {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = number(deserializer, "a whole number greater than 0")?;
        if !(value.fract() == 0.0 && (1.0..9.0e15).contains(&value)) {
            return Err(de::Error::custom(format!(
                "{value} is not a whole number greater than 0"
            )));
        }
        Ok(Samples(value as u64))
    }
}

/// `overall`: the evaluation's figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Overall {
    pub hit_rate: Fraction,
    pub samples: Samples,
    #[serde(default)]
    pub mae: Option<Mae>,
    #[serde(default)]
    pub roi: Option<Roi>,
}

/// One tier's or line range's figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Breakdown {
    #[serde(default)]
    pub hit_rate: Option<Fraction>,
    #[serde(default)]
    pub samples: Option<Samples>,
    #[serde(default)]
    pub mae: Option<Mae>,
    #[serde(default)]
    pub roi: Option<Roi>,
}

/// The parts of a results file that are checked.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Results {
    pub overall: Overall,
    #[serde(default)]
    pub by_tier: Option<BTreeMap<String, Breakdown>>,
    #[serde(default)]
    pub by_line_range: Option<BTreeMap<String, Breakdown>>,
}

/// `file:line: field: why`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {field}{message}")]
pub struct ResultsError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// Checks the text of a results file; returns the JSON to store.
pub fn check(file: &str, text: &str) -> Result<serde_json::Value, ResultsError> {
    let error = |line: usize, field: String, message: String| ResultsError {
        file: file.to_string(),
        line,
        field,
        message,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        error(
            e.line(),
            String::new(),
            format!(
                "not valid JSON ({})",
                crate::source::canonical::json_error_text(&e)
            ),
        )
    })?;
    if !value.is_object() {
        return Err(error(
            1,
            String::new(),
            "a results file is one JSON object with `overall` (hit_rate, samples, mae, roi)"
                .to_string(),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Results>(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let reason = message.split(" at line ").next().unwrap_or(&message);
        let field = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        error(inner.line(), field, reason.to_string())
    })?;
    Ok(value)
}

/// What an imported `results_json` must satisfy: every figure that is there
/// within its domain (older rows may lack some).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct StoredResults {
    #[serde(default)]
    overall: Option<Breakdown>,
    #[serde(default)]
    by_tier: Option<BTreeMap<String, Breakdown>>,
    #[serde(default)]
    by_line_range: Option<BTreeMap<String, Breakdown>>,
}

/// Checks a results value already parsed (an imported `results_json`):
/// `field: why`.
pub fn check_value(value: &serde_json::Value) -> Result<(), String> {
    if !value.is_object() {
        return Err("results_json must be an object (with `overall`)".to_string());
    }
    serde_path_to_error::deserialize::<_, StoredResults>(value.clone())
        .map(|_| ())
        .map_err(|e| {
            let path = e.path().to_string();
            format!("results_json.{path}: {}", e.into_inner())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        check("results.json", text).unwrap_err().to_string()
    }

    #[test]
    fn a_real_results_file_passes_and_keeps_its_extra_keys() {
        let text = r#"{
  "overall": {"hit_rate": 0.571, "mae": 4.8, "roi": 0.09, "samples": 812, "notes": "x"},
  "by_tier": {"Star": {"hit_rate": 0.6, "samples": 200}},
  "by_line_range": {"20+": {"mae": 5.1}},
  "feature_importance": {"pts_avg": 0.3}
}"#;
        let value = check("results.json", text).unwrap();
        assert_eq!(value["feature_importance"]["pts_avg"], 0.3);
    }

    #[test]
    fn nonsense_is_refused_with_file_line_and_field() {
        let cases = [
            (
                "{\"overall\": {\"hit_rate\": 0.57,\n \"samples\": 812,\n \"mae\": -4.8}}",
                "results.json:3: overall.mae: -4.8 is negative",
            ),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 812,\n \"mae\": \"four point eight\"}}",
                "results.json:2: overall.mae: invalid type: string",
            ),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 812, \"roi\": \"lots\"}}",
                "results.json:1: overall.roi: invalid type: string",
            ),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 812},\n \"by_tier\": \"oops\"}",
                "results.json:2: by_tier: invalid type: string",
            ),
            (
                "{\"overall\": {\"hit_rate\": 57.1, \"samples\": 812}}",
                "overall.hit_rate: 57.1 is not a fraction",
            ),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 0}}",
                "overall.samples: 0 is not a whole number",
            ),
            (
                "{\"overall\": {\"samples\": 10}}",
                "overall: missing field `hit_rate`",
            ),
            ("[1, 2]", "one JSON object"),
            ("{\"overall\": ", "not valid JSON"),
        ];
        for (text, expected) in cases {
            let message = refused(text);
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
