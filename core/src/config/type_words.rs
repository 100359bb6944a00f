//! Type errors of the config in plain words. The parser says what it got and
//! what it expected in Rust's terms ("invalid type: integer `-5`, expected
//! u64"); this turns that into "-5 is not a whole number of seconds, 0 or
//! more", with the unit taken from the key's name (`_secs`, `_minutes`,
//! `_hours`, `_days`). Any other message is left as it is.

use super::alerting;
use super::values::POSITIVE_WHOLE;
use std::path::Path;

/// The parser's error about the config in `file` as "FILE: line L column
/// C: KEY: reason", the reason in plain words and never holding a URL.
pub fn located(
    error: serde_path_to_error::Error<serde_norway::Error>,
    file: &Path,
) -> anyhow::Error {
    let key = error.path().to_string();
    let inner = error.into_inner();
    let place = inner
        .location()
        .map(|at| format!(" line {} column {}", at.line(), at.column()))
        .unwrap_or_default();
    // serde_norway's message ends with its own location and may start
    // with a partial path; keep only the reason.
    let message = inner.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let reason = message
        .split_once(": ")
        .filter(|(prefix, _)| !prefix.contains(' ') && !key.is_empty())
        .map_or(message, |(_, rest)| rest);
    let reason = plain(&key, reason);
    // A URL typed into the wrong key (a webhook and its token) is never
    // echoed back.
    let reason = alerting::without_urls(&reason);
    if key.is_empty() || key == "." {
        anyhow::anyhow!("{}:{place}: {reason}", file.display())
    } else {
        anyhow::anyhow!("{}:{place}: {key}: {reason}", file.display())
    }
}

/// `reason` (the parser's message about the value of `key`) in plain words.
pub fn plain(key: &str, reason: &str) -> String {
    let Some(rest) = reason
        .strip_prefix("invalid type: ")
        .or_else(|| reason.strip_prefix("invalid value: "))
    else {
        return reason.to_string();
    };
    let Some((got, expected)) = rest.rsplit_once(", expected ") else {
        return reason.to_string();
    };
    let Some(words) = expected_words(expected, unit_of(key)) else {
        return reason.to_string();
    };
    if let Some(max) = unsigned_max(expected)
        && let Some(number) = got
            .strip_prefix("integer `")
            .and_then(|n| n.strip_suffix('`'))
            .and_then(|n| n.parse::<u128>().ok())
        && number > max
    {
        return format!("{number} is too large (at most {max})");
    }
    format!("{} is not {words}", got_words(got))
}

/// The unit of a key's value, from the end of its name.
fn unit_of(key: &str) -> Option<&'static str> {
    let name = key.rsplit('.').next().unwrap_or(key);
    [
        ("_secs", "seconds"),
        ("_minutes", "minutes"),
        ("_hours", "hours"),
        ("_days", "days"),
    ]
    .into_iter()
    .find(|(suffix, _)| name.ends_with(suffix))
    .map(|(_, unit)| unit)
}

/// The largest value of an unsigned type the parser names.
fn unsigned_max(expected: &str) -> Option<u128> {
    match expected {
        "u8" => Some(u8::MAX.into()),
        "u16" => Some(u16::MAX.into()),
        "u32" => Some(u32::MAX.into()),
        "u64" | "usize" => Some(u64::MAX.into()),
        _ => None,
    }
}

/// What the key holds, in words; `None` for an expectation not known here.
fn expected_words(expected: &str, unit: Option<&str>) -> Option<String> {
    let words = match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => match unit {
            Some(unit) => format!("a whole number of {unit}, 0 or more"),
            None => "a non-negative whole number".to_string(),
        },
        _ if expected == POSITIVE_WHOLE => match unit {
            Some(unit) => format!("a whole number of {unit}, greater than 0"),
            None => POSITIVE_WHOLE.to_string(),
        },
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a boolean" => "true or false".to_string(),
        "a string" => "text".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping of keys".to_string(),
        _ if expected.starts_with("struct ") => "a mapping of keys".to_string(),
        _ => return None,
    };
    Some(words)
}

/// What the file holds, in words: the value itself where the parser shows
/// it (a string keeps its quotes, so a URL in it is still hidden later).
fn got_words(got: &str) -> String {
    for prefix in ["integer `", "floating point `", "boolean `"] {
        if let Some(value) = got.strip_prefix(prefix).and_then(|v| v.strip_suffix('`')) {
            return value.to_string();
        }
    }
    if let Some(value) = got.strip_prefix("string ") {
        return value.to_string();
    }
    match got {
        "unit value" => "an empty value".to_string(),
        "sequence" => "a list".to_string(),
        "map" => "a mapping".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_plain_words() {
        for (key, reason, plain_reason) in [
            (
                "refresh_secs",
                "invalid type: integer `-5`, expected a whole number greater than 0",
                "-5 is not a whole number of seconds, greater than 0",
            ),
            (
                "slack.cooldown_secs",
                "invalid type: string \"abc\", expected u64",
                "\"abc\" is not a whole number of seconds, 0 or more",
            ),
            (
                "slack.max_retries",
                "invalid type: integer `-1`, expected u32",
                "-1 is not a non-negative whole number",
            ),
            (
                "slack.max_retries",
                "invalid type: integer `5000000000`, expected u32",
                "5000000000 is too large (at most 4294967295)",
            ),
            (
                "mouse",
                "invalid type: integer `3`, expected a boolean",
                "3 is not true or false",
            ),
            (
                "thresholds.edge_threshold",
                "invalid type: string \"lots\", expected f64",
                "\"lots\" is not a number",
            ),
            (
                "slack",
                "invalid type: sequence, expected struct SlackConfig",
                "a list is not a mapping of keys",
            ),
            // Not a type error: left as it is.
            (
                "thresholds",
                "unknown field `edj_threshold`, expected one of `min_bets`",
                "unknown field `edj_threshold`, expected one of `min_bets`",
            ),
        ] {
            assert_eq!(plain(key, reason), plain_reason, "{key}: {reason}");
        }
    }

    #[test]
    fn config_type_errors_name_file_line_and_key_in_plain_words() {
        for (text, key, line, words) in [
            (
                "theme: dark\nrefresh_secs: -5\n",
                "refresh_secs",
                "line 2",
                "-5 is not a whole number of seconds, greater than 0",
            ),
            (
                "slack:\n  timeout_secs: 5\n  cooldown_secs: abc\n",
                "slack.cooldown_secs",
                "line 3",
                "\"abc\" is not a whole number of seconds, 0 or more",
            ),
            (
                "future_days: -1\n",
                "future_days",
                "line 1",
                "-1 is not a whole number of days, 0 or more",
            ),
            (
                "thresholds:\n  baseline_days: 1.5\n",
                "thresholds.baseline_days",
                "line 2",
                "1.5 is not a whole number of days, greater than 0",
            ),
            (
                "thresholds:\n  min_bets: 0\n",
                "thresholds.min_bets",
                "line 2",
                "0 is not a whole number greater than 0",
            ),
            (
                "slack:\n  max_retries: 5000000000\n",
                "slack.max_retries",
                "line 2",
                "5000000000 is too large (at most 4294967295)",
            ),
            ("mouse: 3\n", "mouse", "line 1", "3 is not true or false"),
        ] {
            let error = super::super::Config::parse(text, Path::new("config.yaml"))
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with("config.yaml:")
                    && error.contains(line)
                    && error.contains(&format!("{key}: {words}")),
                "{text}: {error}"
            );
            for serde_word in ["u64", "u32", "f64", "expected", "invalid type"] {
                assert!(!error.contains(serde_word), "{text}: {error}");
            }
        }
    }
}
