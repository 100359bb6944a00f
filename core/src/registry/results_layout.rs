//! The figures of a stored `results_json`, in either layout it comes in
//! (data-contract.md Rev. 3): the documented nested one (`overall: {mae,
//! hit_rate (0-1), roi, samples}`) and the flat one the team's training
//! scripts write (`mae`, `hit_rate_all`, `bets_all`, `hit_rate_edge_3plus`,
//! `bets_edge_3plus`, `hit_rate_edge_5plus`, `bets_edge_5plus`, ..., hit rates
//! in percent). Every reader of results (leaderboard, best, compare,
//! details, guard rails, the results-file check) goes through [`read`]; a
//! figure outside its domain is a named problem, never a figure.

use serde_json::Value;
use std::fmt;

/// Which layout a `results_json` is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// `{overall: {...}, by_tier, by_line_range}`, hit rates as fractions.
    Nested,
    /// The team's scripts' keys at the top level, hit rates in percent.
    Flat,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Nested => "nested",
            Layout::Flat => "flat",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The flat layout's keys that say a value is written in it.
pub const FLAT_KEYS: [&str; 8] = [
    "mae",
    "mae_all_players",
    "hit_rate_all",
    "bets_all",
    "hit_rate_edge_3plus",
    "bets_edge_3plus",
    "hit_rate_edge_5plus",
    "bets_edge_5plus",
];

/// The largest plausible mean absolute error: a player's points are 0 to
/// 100, so no mean error of predictions in that domain is larger.
pub const MAX_MAE: f64 = 100.0;

/// The largest plausible return on investment, as a fraction (+1000%): a
/// backtest's bets at sportsbook odds do not return ten times the stakes.
pub const MAX_ROI: f64 = 10.0;

/// A number for a message: huge ones (`1e308`) in exponent form.
pub fn shown_number(value: f64) -> String {
    let text = value.to_string();
    if text.len() > 24 {
        format!("{value:e}")
    } else {
        text
    }
}

/// A hit rate as a fraction from 0 to 1 with the bets it is measured on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HitRate {
    pub fraction: f64,
    pub bets: u64,
}

/// One figure that could not be read: the field (`hit_rate_all`,
/// `overall.samples`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "results_json.{}: {}", self.field, self.message)
    }
}

/// What a `results_json` says, whatever its layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    /// `None`: neither layout (no figure is read, and that is a problem).
    pub layout: Option<Layout>,
    /// The headline hit rate (`overall.hit_rate`, or `hit_rate_all / 100`
    /// on `bets_all`); `None` without a rate or without a sample count.
    pub hit_rate: Option<HitRate>,
    /// Evaluation samples (`overall.samples`, or `bets_all`), when above 0.
    pub samples: Option<u64>,
    pub mae: Option<f64>,
    pub roi: Option<f64>,
    /// Bets with an edge of 3 points or more (flat layout only).
    pub edge_3plus: Option<HitRate>,
    /// Bets with an edge of 5 points or more (flat layout only).
    pub edge_5plus: Option<HitRate>,
    pub problems: Vec<Problem>,
}

/// The layout of `results`: `overall` makes it nested, any of
/// [`FLAT_KEYS`] flat, else neither.
pub fn detect(results: &Value) -> Option<Layout> {
    let object = results.as_object()?;
    if object.contains_key("overall") {
        Some(Layout::Nested)
    } else if FLAT_KEYS.iter().any(|key| object.contains_key(*key)) {
        Some(Layout::Flat)
    } else {
        None
    }
}

/// Reads the figures of a stored `results_json`.
pub fn read(results: &Value) -> Figures {
    let mut reader = Reader::default();
    let layout = detect(results);
    let mut figures = match layout {
        Some(Layout::Nested) => reader.nested(results),
        Some(Layout::Flat) => reader.flat(results),
        None => {
            reader.problem(
                "",
                if results.is_object() {
                    "neither `overall` (hit_rate, samples, mae, roi) nor the flat figures \
                     (hit_rate_all, bets_all, mae): no figures read"
                        .to_string()
                } else {
                    format!("expected an object, found {}", kind(results))
                },
            );
            Figures::default()
        }
    };
    figures.layout = layout;
    figures.problems = reader.problems;
    figures
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, field: &str, message: String) {
        self.problems.push(Problem {
            field: field.to_string(),
            message,
        });
    }

    /// A finite number, or nothing when missing or null.
    fn number(&mut self, value: &Value, field: &str) -> Option<f64> {
        match value {
            Value::Null => None,
            Value::Number(n) => match n.as_f64().filter(|v| v.is_finite()) {
                Some(v) => Some(v),
                None => {
                    self.problem(field, format!("{n} is not a finite number"));
                    None
                }
            },
            other => {
                self.problem(field, format!("expected a number, found {}", kind(other)));
                None
            }
        }
    }

    /// A count: a whole number of at least 0.
    fn count(&mut self, value: &Value, field: &str) -> Option<u64> {
        let number = self.number(value, field)?;
        if number.fract() == 0.0 && (0.0..9.0e15).contains(&number) {
            Some(number as u64)
        } else {
            self.problem(
                field,
                format!("{number} is not a whole number of at least 0"),
            );
            None
        }
    }

    /// A mean absolute error: 0 to [`MAX_MAE`] points.
    fn mae(&mut self, value: &Value, field: &str) -> Option<f64> {
        let number = self.number(value, field)?;
        if number < 0.0 {
            self.problem(
                field,
                format!("{number} is negative; a mean absolute error is at least 0"),
            );
            None
        } else if number > MAX_MAE {
            self.problem(
                field,
                format!(
                    "{} is out of range: a mean absolute error is 0 to {MAX_MAE} points",
                    shown_number(number)
                ),
            );
            None
        } else {
            Some(number)
        }
    }

    /// A hit rate read as `value / scale` (1 for fractions, 100 for
    /// percentages); outside 0-1 after that it is a problem, not a figure.
    fn rate(&mut self, value: &Value, field: &str, scale: f64) -> Option<f64> {
        let number = self.number(value, field)?;
        let fraction = number / scale;
        if (0.0..=1.0).contains(&fraction) {
            Some(fraction)
        } else if scale == 1.0 {
            self.problem(
                field,
                format!("hit rate out of range: {number} is not a fraction from 0 to 1"),
            );
            None
        } else {
            self.problem(
                field,
                format!(
                    "hit rate out of range: {number} (percent) is {fraction} as a fraction, \
                     not from 0 to 1"
                ),
            );
            None
        }
    }

    /// A rate with its bets; a rate with no count of bets is a problem (it
    /// cannot carry an interval), a count of 0 bets leaves no rate.
    fn hit_rate(
        &mut self,
        rate: Option<f64>,
        bets: Option<u64>,
        rate_field: &str,
        bets_field: &str,
    ) -> Option<HitRate> {
        match (rate, bets) {
            (Some(fraction), Some(bets)) if bets > 0 => Some(HitRate { fraction, bets }),
            (Some(_), None) => {
                self.problem(
                    rate_field,
                    format!("a hit rate without `{bets_field}` (its sample) is not shown"),
                );
                None
            }
            _ => None,
        }
    }

    fn nested(&mut self, results: &Value) -> Figures {
        let overall = &results["overall"];
        if !overall.is_object() {
            self.problem(
                "overall",
                format!("expected an object, found {}", kind(overall)),
            );
            return Figures::default();
        }
        let rate = self.rate(&overall["hit_rate"], "overall.hit_rate", 1.0);
        let samples = self.count(&overall["samples"], "overall.samples");
        let roi = self.number(&overall["roi"], "overall.roi");
        let roi = match roi {
            Some(r) if r < -1.0 => {
                self.problem(
                    "overall.roi",
                    format!("{r} is below -1; a return cannot lose more than the stake"),
                );
                None
            }
            Some(r) if r > MAX_ROI => {
                self.problem(
                    "overall.roi",
                    format!(
                        "{} is out of range: a return is -1 to {MAX_ROI} (a fraction of the stakes)",
                        shown_number(r)
                    ),
                );
                None
            }
            other => other,
        };
        Figures {
            hit_rate: self.hit_rate(rate, samples, "overall.hit_rate", "overall.samples"),
            samples: samples.filter(|n| *n > 0),
            mae: self.mae(&overall["mae"], "overall.mae"),
            roi,
            ..Figures::default()
        }
    }

    fn flat(&mut self, results: &Value) -> Figures {
        let mut pair = |rate_key: &str, bets_key: &str| {
            let rate = self.rate(&results[rate_key], rate_key, 100.0);
            let bets = self.count(&results[bets_key], bets_key);
            (self.hit_rate(rate, bets, rate_key, bets_key), bets)
        };
        let (hit_rate, bets_all) = pair("hit_rate_all", "bets_all");
        let (edge_3plus, _) = pair("hit_rate_edge_3plus", "bets_edge_3plus");
        let (edge_5plus, _) = pair("hit_rate_edge_5plus", "bets_edge_5plus");
        let mae = self.mae(&results["mae"], "mae");
        self.mae(&results["mae_all_players"], "mae_all_players");
        Figures {
            hit_rate,
            samples: bets_all.filter(|n| *n > 0),
            mae,
            edge_3plus,
            edge_5plus,
            ..Figures::default()
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// As the team's `quick_retrain.py` writes it.
    fn team_results() -> Value {
        json!({
            "mae": 5.21, "mae_all_players": 5.64, "n_all_players": 9120,
            "hit_rate_all": 54.53, "bets_all": 1843,
            "hit_rate_edge_3plus": 63.72, "bets_edge_3plus": 410,
            "hit_rate_edge_5plus": 75.33, "bets_edge_5plus": 77,
            "tier_bias": {"stars": {"bias": -1.2}}, "has_critical_bias": false,
        })
    }

    #[test]
    fn the_flat_layout_reads_percentages_as_fractions() {
        let figures = read(&team_results());
        assert_eq!(figures.layout, Some(Layout::Flat));
        assert!(figures.problems.is_empty(), "{:?}", figures.problems);
        let rate = figures.hit_rate.unwrap();
        assert!((rate.fraction - 0.5453).abs() < 1e-12);
        assert_eq!(rate.bets, 1843);
        assert_eq!(figures.samples, Some(1843));
        assert_eq!(figures.mae, Some(5.21));
        assert_eq!(figures.roi, None);
        let edge3 = figures.edge_3plus.unwrap();
        assert!((edge3.fraction - 0.6372).abs() < 1e-12);
        assert_eq!(edge3.bets, 410);
        assert_eq!(figures.edge_5plus.unwrap().bets, 77);
    }

    #[test]
    fn the_nested_layout_reads_as_documented() {
        let figures = read(&json!({
            "overall": {"hit_rate": 0.571, "samples": 812, "mae": 4.8, "roi": 0.09},
            "by_tier": {}
        }));
        assert_eq!(figures.layout, Some(Layout::Nested));
        assert!(figures.problems.is_empty());
        assert_eq!(
            figures.hit_rate,
            Some(HitRate {
                fraction: 0.571,
                bets: 812
            })
        );
        assert_eq!(
            (figures.samples, figures.mae, figures.roi),
            (Some(812), Some(4.8), Some(0.09))
        );
        assert_eq!(figures.edge_3plus, None);
    }

    #[test]
    fn a_rate_outside_0_to_1_is_a_named_problem_not_a_figure() {
        let mut results = team_results();
        results["hit_rate_all"] = json!(154.5);
        let figures = read(&results);
        assert_eq!(figures.hit_rate, None);
        assert_eq!(figures.samples, Some(1843));
        let text = figures.problems[0].to_string();
        assert!(
            text.starts_with("results_json.hit_rate_all: hit rate out of range"),
            "{text}"
        );
        // A percentage written into the nested layout.
        let figures = read(&json!({"overall": {"hit_rate": 57.1, "samples": 812}}));
        assert_eq!(figures.hit_rate, None);
        assert!(
            figures.problems[0]
                .to_string()
                .contains("overall.hit_rate: hit rate out of range: 57.1")
        );
    }

    #[test]
    fn missing_and_broken_figures() {
        // No graded bets: the script writes null and 0; nothing to show, no problem.
        let figures = read(&json!({"mae": 5.0, "hit_rate_all": null, "bets_all": 0}));
        assert_eq!((figures.hit_rate, figures.samples), (None, None));
        assert!(figures.problems.is_empty());
        let figures = read(&json!({"hit_rate_all": "55", "bets_all": 10.5, "mae": -1}));
        let fields: Vec<&str> = figures.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["hit_rate_all", "bets_all", "mae"]);
        let figures = read(&json!({"hit_rate_all": 55.0}));
        assert!(figures.problems[0].message.contains("without `bets_all`"));
        // Finite but impossible: a 1e308-point error, a 1e308 return.
        let figures = read(&json!({"mae": 1e308, "hit_rate_all": 55.0, "bets_all": 10}));
        assert_eq!(figures.mae, None);
        assert_eq!(
            figures.problems[0].to_string(),
            "results_json.mae: 1e308 is out of range: a mean absolute error is 0 to 100 points"
        );
        let figures = read(&json!({"overall": {"hit_rate": 0.5, "samples": 9, "roi": 1e308}}));
        assert_eq!(figures.roi, None);
        assert_eq!(figures.problems[0].field, "overall.roi");
        let figures = read(&json!({"validation_mae": 4.1}));
        assert_eq!(figures.layout, None);
        assert!(figures.problems[0].message.contains("no figures read"));
        let figures = read(&json!({"overall": 3}));
        assert_eq!(figures.problems[0].field, "overall");
    }
}
