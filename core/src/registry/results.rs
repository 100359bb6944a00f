//! The results JSON a training script writes (`results_json`, metrics.md
//! section 10), checked before it is stored. In the documented nested
//! layout: `overall.hit_rate` a fraction, `samples` a positive whole number,
//! MAE at least 0, ROI a finite return of at least -100%, and `by_tier` /
//! `by_line_range` maps of the same figures. In the team's flat layout
//! (`hit_rate_all`, `bets_all`, ... in percent; data-contract.md Rev. 3):
//! every figure as `results_layout` reads it, with `hit_rate_all` and
//! `bets_all` present. Every problem names the file, the line and the
//! field. Keys the check does not know are kept as they are (scripts add
//! their own).

use super::results_layout::{self, Layout, MAX_MAE, MAX_ROI, shown_number};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// A hit rate as the training script writes it: a fraction from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction(pub f64);

/// A mean absolute error: 0 to [`MAX_MAE`] points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mae(pub f64);

/// A return on investment as a fraction: at least -1 (everything lost), at
/// most [`MAX_ROI`].
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
        if value < 0.0 {
            return Err(de::Error::custom(format!(
                "{value} is negative; a mean absolute error is at least 0"
            )));
        }
        if !(value.is_finite() && value <= MAX_MAE) {
            return Err(de::Error::custom(format!(
                "{} is out of range: a mean absolute error is 0 to {MAX_MAE} points",
                shown_number(value)
            )));
        }
        Ok(Mae(value))
    }
}

impl<'de> Deserialize<'de> for Roi {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = number(deserializer, "a fraction, at least -1")?;
        if value < -1.0 {
            return Err(de::Error::custom(format!(
                "{value} is below -1; a return cannot lose more than the stake"
            )));
        }
        if !(value.is_finite() && value <= MAX_ROI) {
            return Err(de::Error::custom(format!(
                "{} is out of range: a return is -1 to {MAX_ROI} (a fraction of the stakes)",
                shown_number(value)
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
    let layout = results_layout::detect(&value);
    if !value.is_object() || layout.is_none() {
        return Err(error(
            1,
            String::new(),
            "a results file is one JSON object with `overall` (hit_rate, samples, mae, roi), \
             or the flat figures (hit_rate_all, bets_all, mae, ...)"
                .to_string(),
        ));
    }
    if layout == Some(Layout::Flat) {
        return check_flat(value).map_err(|(field, message)| {
            let line = line_of_key(text, &field);
            error(line, format!("{field}: "), message)
        });
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

/// A flat results file: `hit_rate_all` and `bets_all` present, every figure
/// readable; else the field and why.
fn check_flat(value: serde_json::Value) -> Result<serde_json::Value, (String, String)> {
    for key in ["hit_rate_all", "bets_all"] {
        if value.get(key).is_none() {
            return Err((
                key.to_string(),
                "missing (a flat results file has hit_rate_all and bets_all)".to_string(),
            ));
        }
    }
    match results_layout::read(&value).problems.into_iter().next() {
        Some(problem) => Err((problem.field, problem.message)),
        None => Ok(value),
    }
}

/// The line of the first `"key":` in `text` (1 when it is not found).
fn line_of_key(text: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|line| line.contains(&quoted))
        .map_or(1, |index| index + 1)
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
    fn the_teams_flat_results_pass_as_written() {
        let text = r#"{"mae": 5.21, "mae_all_players": 5.64, "n_all_players": 9120,
  "hit_rate_all": 54.53, "bets_all": 1843,
  "hit_rate_edge_3plus": 63.72, "bets_edge_3plus": 410,
  "hit_rate_edge_5plus": null, "bets_edge_5plus": 0, "has_critical_bias": false}"#;
        let value = check("results.json", text).unwrap();
        assert_eq!(value["bets_all"], 1843);
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
            ("{\"validation_mae\": 4.1}", "or the flat figures"),
            (
                "{\"mae\": 5.2,\n \"hit_rate_all\": 5453, \"bets_all\": 100}",
                "results.json:2: hit_rate_all: hit rate out of range",
            ),
            (
                "{\"mae\": 5.2, \"hit_rate_all\": 54.5}",
                "results.json:1: bets_all: missing",
            ),
            (
                "{\"hit_rate_all\": 54.5,\n\"bets_all\": -3}",
                "results.json:2: bets_all: -3 is not a whole number",
            ),
            ("{\"overall\": ", "not valid JSON"),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 812,\n \"mae\": 1e308}}",
                "results.json:2: overall.mae: 1e308 is out of range: a mean absolute error is 0 to 100 points",
            ),
            (
                "{\"mae\": 1e308, \"hit_rate_all\": 54.5, \"bets_all\": 100}",
                "results.json:1: mae: 1e308 is out of range",
            ),
            (
                "{\"overall\": {\"hit_rate\": 0.57, \"samples\": 812, \"roi\": 1e308}}",
                "overall.roi: 1e308 is out of range",
            ),
        ];
        for (text, expected) in cases {
            let message = refused(text);
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
