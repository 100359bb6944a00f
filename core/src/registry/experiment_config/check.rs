//! The checker both config formats use: it finds the line of a key, collects
//! every problem and warning (each with its line and field), and reads
//! text, dates, numbers, true/false and lists with the same messages.

use super::ConfigProblem;
use chrono::NaiveDate;
use serde_norway::Value;

/// The line of `path` (`training.start_date`) in `text`: the line of the
/// first key, then of each nested key below it, in block or flow style.
pub fn line_of(text: &str, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut indent: Option<usize> = None;
    let mut found = None;
    for key in path {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            let this_indent = line.len() - trimmed.len();
            if let (Some(parent), Some(_)) = (indent, found)
                && i > start
                && this_indent <= parent
                && !trimmed.is_empty()
                && !trimmed.starts_with('#')
            {
                break;
            }
            let key_colon = format!("{key}:");
            let quoted = format!("\"{key}\":");
            let at_start = trimmed.starts_with(&key_colon) || trimmed.starts_with(&quoted);
            let in_flow = found == Some(i)
                && (line.contains(&format!("{{{key}:"))
                    || line.contains(&format!(" {key}:"))
                    || line.contains(&format!(",{key}:")));
            if at_start || in_flow {
                hit = Some(i);
                indent = Some(this_indent);
                break;
            }
        }
        match hit {
            Some(i) => {
                found = Some(i);
                start = i;
            }
            None => return found.map(|i| i + 1),
        }
    }
    found.map(|i| i + 1)
}

/// What a YAML value is, in words.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The value at `path`, if every key on the way is there.
pub fn get<'v>(root: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, key| value.get(*key))
}

/// Collects the problems (the config is refused) and warnings (it is not)
/// of one file.
pub struct Checker<'a> {
    pub text: &'a str,
    pub problems: Vec<ConfigProblem>,
    pub warnings: Vec<ConfigProblem>,
}

impl<'a> Checker<'a> {
    pub fn new(text: &'a str) -> Checker<'a> {
        Checker {
            text,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn at(&self, path: &[&str], message: impl Into<String>) -> ConfigProblem {
        ConfigProblem {
            line: line_of(self.text, path),
            field: path.join("."),
            message: message.into(),
        }
    }

    pub fn problem(&mut self, path: &[&str], message: impl Into<String>) {
        let problem = self.at(path, message);
        self.problems.push(problem);
    }

    pub fn warning(&mut self, path: &[&str], message: impl Into<String>) {
        let warning = self.at(path, message);
        self.warnings.push(warning);
    }

    /// Every key of the mapping at `path` outside `allowed` is a problem;
    /// `hint` may add why (a key of the other format).
    pub fn unknown_keys(
        &mut self,
        value: &Value,
        path: &[&str],
        allowed: &[&str],
        hint: &dyn Fn(&str) -> Option<String>,
    ) {
        if let Value::Mapping(map) = value {
            for key in map.keys() {
                let name = key
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{key:?}"));
                if !allowed.contains(&name.as_str()) {
                    let mut full: Vec<&str> = path.to_vec();
                    full.push(&name);
                    let extra = hint(&name).map(|h| format!("; {h}")).unwrap_or_default();
                    self.problem(
                        &full,
                        format!(
                            "unknown key `{name}` (allowed: {}){extra}",
                            allowed.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// The mapping sections of the root: anything else there is a problem.
    pub fn sections(&mut self, root: &Value, sections: &[(&str, &[&str])]) {
        for (section, allowed) in sections {
            match root.get(*section) {
                Some(value @ Value::Mapping(_)) => {
                    self.unknown_keys(value, &[section], allowed, &|_| None)
                }
                Some(Value::Null) | None => {}
                Some(other) => self.problem(
                    &[section],
                    format!("expected a mapping, found {}", kind(other)),
                ),
            }
        }
    }

    pub fn string(&mut self, root: &Value, path: &[&str], required: bool) -> Option<String> {
        match get(root, path) {
            None | Some(Value::Null) if required => {
                self.problem(path, "missing (required)");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.trim().is_empty() => {
                self.problem(path, "must not be empty");
                None
            }
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.problem(path, format!("expected text, found {}", kind(other)));
                None
            }
        }
    }

    pub fn date(&mut self, root: &Value, path: &[&str]) -> Option<NaiveDate> {
        let text = self.string(root, path, true)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.problem(path, format!("`{text}` is not a date (YYYY-MM-DD)"));
                None
            }
        }
    }

    /// Two dates of one period, the start strictly before the end (the
    /// team's schema); the problem is on the end's field.
    pub fn period(
        &mut self,
        root: &Value,
        start: &[&str],
        end: &[&str],
    ) -> Option<(NaiveDate, NaiveDate)> {
        let from = self.date(root, start);
        let to = self.date(root, end);
        let (from, to) = (from?, to?);
        if to <= from {
            self.problem(
                end,
                format!(
                    "{to} is not after the start {from}: {} must be strictly before {}",
                    start.join("."),
                    end.join(".")
                ),
            );
            return None;
        }
        Some((from, to))
    }

    pub fn number(&mut self, root: &Value, path: &[&str]) -> Option<f64> {
        match get(root, path)? {
            Value::Number(n) => n.as_f64(),
            Value::Null => None,
            other => {
                self.problem(path, format!("expected a number, found {}", kind(other)));
                None
            }
        }
    }

    /// A whole number within `min..=max`; `rule` names the range in the
    /// problem (`from 30 to 730 days`).
    pub fn whole_in(
        &mut self,
        root: &Value,
        path: &[&str],
        min: f64,
        max: f64,
        rule: &str,
    ) -> Option<f64> {
        let value = self.number(root, path)?;
        if value.fract() != 0.0 || !(min..=max).contains(&value) {
            self.problem(
                path,
                format!("{value} breaks the rule: {} must be {rule}", path.join(".")),
            );
            return None;
        }
        Some(value)
    }

    pub fn boolean(&mut self, root: &Value, path: &[&str]) -> Option<bool> {
        match get(root, path)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                self.problem(path, format!("expected true/false, found {}", kind(other)));
                None
            }
        }
    }

    /// A list of text (missing: empty).
    pub fn strings(&mut self, root: &Value, path: &[&str]) -> Vec<String> {
        match get(root, path) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(text) => out.push(text.clone()),
                        other => self.problem(
                            path,
                            format!("every item must be text, found {}", kind(other)),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.problem(
                    path,
                    format!("expected a list of text, found {}", kind(other)),
                );
                Vec::new()
            }
        }
    }
}

/// The flat format's keys (the keys their walk-forward trainer reads).
pub const FLAT_KEYS: [&str; 8] = [
    "experiment_id",
    "name",
    "hypothesis",
    "train_start",
    "train_end",
    "use_recency_weights",
    "half_life",
    "verbose",
];

/// The nested format's top-level keys.
pub const NESTED_KEYS: [&str; 13] = [
    "experiment_name",
    "hypothesis",
    "experiment_type",
    "training",
    "evaluation",
    "model",
    "features",
    "recency",
    "tags",
    "notes",
    "parent_experiment",
    "parent_experiment_id",
    "target_system",
];

/// Whether `key` is one of `keys` and not of `other`'s (format detection,
/// and the hint on a key of the other format).
pub fn only_in(key: &str, keys: &[&str], other: &[&str]) -> bool {
    keys.contains(&key) && !other.contains(&key)
}
