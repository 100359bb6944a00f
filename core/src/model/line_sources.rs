//! Which `line_source` values are real sportsbook lines, estimates or no
//! line at all (metrics.md section 1, Rev. 3): the configured mapping, the
//! line kind of one row, and the SQL that classifies a row the same way.

use super::day_stats::LineKind;
use serde::{Deserialize, Serialize};

/// `line_sources:` in the config. A value in none of the lists is `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LineSources {
    /// Real sportsbook lines (the grader accepts each).
    pub actual: Vec<String>,
    /// Lines the pipeline estimated (no market behind them).
    pub estimated: Vec<String>,
    /// No line at all: no bet was possible.
    pub none: Vec<String>,
}

impl Default for LineSources {
    fn default() -> Self {
        let list = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
        LineSources {
            actual: list(&["ACTUAL_PROP", "ODDS_API", "BETTINGPROS", "VEGAS_BACKFILL"]),
            estimated: list(&["ESTIMATED_AVG"]),
            none: list(&["NO_PROP_LINE", "NO_VEGAS_DATA"]),
        }
    }
}

impl LineSources {
    /// The kind of a row: its `line_source` by the lists; a null
    /// `line_source` is `actual` when `has_prop_line` is true, else
    /// `estimated` (as before Rev. 3); any other value is `unknown`.
    pub fn kind(&self, line_source: Option<&str>, has_prop_line: Option<bool>) -> LineKind {
        self.kind_of_bytes(line_source.map(str::as_bytes), has_prop_line == Some(true))
    }

    /// [`LineSources::kind`] on the stored bytes (the embedded pass reads
    /// them without making a string).
    pub fn kind_of_bytes(&self, line_source: Option<&[u8]>, has_prop_line: bool) -> LineKind {
        let Some(value) = line_source else {
            return if has_prop_line {
                LineKind::Actual
            } else {
                LineKind::Estimated
            };
        };
        let listed = |list: &[String]| list.iter().any(|v| v.as_bytes() == value);
        if listed(&self.actual) {
            LineKind::Actual
        } else if listed(&self.estimated) {
            LineKind::Estimated
        } else if listed(&self.none) {
            LineKind::NoLine
        } else {
            LineKind::Unknown
        }
    }

    /// Every listed value, each with its kind.
    pub fn values(&self) -> impl Iterator<Item = (&str, LineKind)> {
        self.actual
            .iter()
            .map(|v| (v.as_str(), LineKind::Actual))
            .chain(
                self.estimated
                    .iter()
                    .map(|v| (v.as_str(), LineKind::Estimated)),
            )
            .chain(self.none.iter().map(|v| (v.as_str(), LineKind::NoLine)))
    }

    /// Whether `value` is in one of the lists.
    pub fn is_listed(&self, value: &str) -> bool {
        self.values().any(|(listed, _)| listed == value)
    }

    /// A value listed twice (in two lists or one), which the config refuses.
    pub fn listed_twice(&self) -> Option<&str> {
        let values: Vec<&str> = self.values().map(|(v, _)| v).collect();
        values
            .iter()
            .enumerate()
            .find(|(i, v)| values[..*i].contains(v))
            .map(|(_, v)| *v)
    }

    /// The mapping as stable text (what kept sums were computed with).
    pub fn key(&self) -> String {
        format!(
            "actual={};estimated={};none={}",
            self.actual.join(","),
            self.estimated.join(","),
            self.none.join(",")
        )
    }

    /// A SQL `CASE` giving `'actual'`, `'estimated'`, `'none'` or
    /// `'unknown'` for a row, in the dialect SQLite and GoogleSQL share:
    /// every listed value is a parameter `@{prefix}_{list}_{i}`, never text
    /// in the SQL. Returns the expression and its parameters.
    pub fn case_sql(&self, prefix: &str) -> (String, Vec<(String, String)>) {
        let mut params = Vec::new();
        let mut arms = String::from("CASE");
        for (list, values) in [
            ("actual", &self.actual),
            ("estimated", &self.estimated),
            ("none", &self.none),
        ] {
            if values.is_empty() {
                continue;
            }
            let names: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let name = format!("{prefix}_{list}_{i}");
                    params.push((name.clone(), value.clone()));
                    format!("@{name}")
                })
                .collect();
            arms.push_str(&format!(
                " WHEN line_source IN ({}) THEN '{list}'",
                names.join(", ")
            ));
        }
        arms.push_str(
            " WHEN line_source IS NULL AND COALESCE(has_prop_line, FALSE) THEN 'actual'
              WHEN line_source IS NULL THEN 'estimated'
              ELSE 'unknown' END",
        );
        (arms, params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_vocabulary_maps_to_kinds_and_anything_else_is_unknown() {
        let sources = LineSources::default();
        for actual in ["ACTUAL_PROP", "ODDS_API", "BETTINGPROS", "VEGAS_BACKFILL"] {
            assert_eq!(sources.kind(Some(actual), Some(false)), LineKind::Actual);
        }
        assert_eq!(
            sources.kind(Some("ESTIMATED_AVG"), Some(true)),
            LineKind::Estimated
        );
        assert_eq!(sources.kind(Some("NO_PROP_LINE"), None), LineKind::NoLine);
        assert_eq!(sources.kind(Some("NO_VEGAS_DATA"), None), LineKind::NoLine);
        assert_eq!(sources.kind(Some("BANANA"), Some(true)), LineKind::Unknown);
        assert_eq!(sources.kind(Some("actual_prop"), None), LineKind::Unknown);
        assert_eq!(sources.kind(None, Some(true)), LineKind::Actual);
        assert_eq!(sources.kind(None, None), LineKind::Estimated);
        assert_eq!(sources.listed_twice(), None);
    }

    #[test]
    fn a_value_listed_twice_is_found_and_the_sql_takes_parameters() {
        let mut sources = LineSources::default();
        sources.none.push("ODDS_API".into());
        assert_eq!(sources.listed_twice(), Some("ODDS_API"));
        let (sql, params) = LineSources::default().case_sql("ls");
        assert!(!sql.contains("ACTUAL_PROP"));
        assert_eq!(params.len(), 7);
        assert!(sql.contains("@ls_actual_3") && sql.contains("@ls_none_1"));
    }
}
