//! The canonical form of a cell, shared by import, export and the sources: a
//! row is a `Vec<serde_json::Value>` aligned with [`TableKind::columns`], each
//! value in the form its column's type decides:
//!
//! | type | canonical value |
//! |---|---|
//! | STRING | JSON string |
//! | INT64 | JSON integer |
//! | FLOAT64, NUMERIC | JSON number (always a float) |
//! | BOOL | `true` / `false` |
//! | DATE | `"YYYY-MM-DD"` |
//! | TIMESTAMP | RFC 3339 in UTC, `Z`, fraction only when not zero (`2026-01-05T10:00:00Z`) |
//! | JSON | the JSON value itself |
//! | ARRAY<STRING> | JSON array of strings |
//! | STRUCT period | `{"start_date", "end_date", "samples"}`, every key present |
//! | NULL | `null` |
//!
//! This module also reads the text of BigQuery's CSV export and the values of
//! its newline-delimited JSON export into that form, and writes it back. It
//! does no I/O.
//!
//! [`TableKind::columns`]: super::tables::TableKind::columns

use super::tables::ColumnKind;
use crate::model::rows::Period;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{Map, Number, Value};

/// A serde_json error without its `line 1` position, with the character column.
pub fn json_error_text(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let base = text.split(" at line ").next().unwrap_or(&text);
    if error.column() > 0 {
        format!("{base} at character {}", error.column())
    } else {
        base.to_string()
    }
}

/// One row in canonical form, aligned with the table's columns.
pub type CanonicalRow = Vec<Value>;

/// The largest integer a float holds exactly (2^53): an integral float beyond
/// it is refused for an INT64 column rather than rounded.
const EXACT_FLOAT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A date as canonical text.
pub fn date_value(date: NaiveDate) -> Value {
    Value::String(date.format("%Y-%m-%d").to_string())
}

/// A timestamp as canonical text: RFC 3339, UTC, fraction only when needed.
pub fn timestamp_value(at: DateTime<Utc>) -> Value {
    Value::String(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// A float as a canonical number (`None` for NaN and infinities, which JSON lacks).
pub fn float_value(value: f64) -> Option<Value> {
    Number::from_f64(value).map(Value::Number)
}

/// A backtest row in canonical form, in `backtest_predictions`' column order.
pub fn backtest_values(row: &crate::model::rows::BacktestRow) -> CanonicalRow {
    let text = |value: &Option<String>| value.clone().map_or(Value::Null, Value::String);
    let float = |value: Option<f64>| value.and_then(float_value).unwrap_or(Value::Null);
    vec![
        Value::String(row.experiment_id.clone()),
        Value::String(row.player_lookup.clone()),
        Value::String(row.game_id.clone()),
        date_value(row.game_date),
        float(row.predicted_points),
        float(row.line_value),
        text(&row.line_source),
        row.actual_points
            .map_or(Value::Null, |n| Value::Number(n.into())),
        text(&row.recommendation),
        row.prediction_correct.map_or(Value::Null, Value::Bool),
    ]
}

/// `YYYY-MM-DD`, exactly (no single-digit months, no time).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The timestamps BigQuery writes and RFC 3339: `2026-01-05 10:00:00 UTC`,
/// `2026-01-05T10:00:00Z`, `2026-01-05 10:00:00.123456+00`, `…+01:00`,
/// `…-0500`, or no zone at all (read as UTC, as BigQuery does).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let (clock, offset_seconds) = if let Some(clock) = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix("Z"))
        .or_else(|| text.strip_suffix("z"))
    {
        (clock, 0)
    } else {
        // The zone starts at the first sign after the date (the date has its own dashes).
        let time = text.get(10..)?;
        match time.find(['+', '-']) {
            Some(at) => {
                let (clock, zone) = text.split_at(10 + at);
                (clock.trim_end(), parse_offset(zone)?)
            }
            None => (text, 0),
        }
    };
    let date_part = clock.get(..10)?;
    parse_date(date_part)?;
    let format = match clock.get(10..11)? {
        "T" => "%Y-%m-%dT%H:%M:%S%.f",
        "t" => "%Y-%m-%dt%H:%M:%S%.f",
        " " => "%Y-%m-%d %H:%M:%S%.f",
        _ => return None,
    };
    let naive = NaiveDateTime::parse_from_str(clock, format).ok()?;
    let offset = FixedOffset::east_opt(offset_seconds)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// `+HH`, `+HHMM` or `+HH:MM` (or `-`) as seconds east of UTC.
fn parse_offset(zone: &str) -> Option<i32> {
    let sign = match zone.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let digits: String = zone.get(1..)?.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = match digits.get(2..) {
        Some("") | None => 0,
        Some(text) => text.parse().ok()?,
    };
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// A value quoted for a one-line message: at most 60 characters, control
/// characters escaped.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == 60 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    format!("`{out}`")
}

/// What kind of JSON value `value` is, for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        // `12.0` (as pandas writes nullable integers) is an integer; `12.5` is not.
        let value: f64 = text.parse().ok()?;
        (value.is_finite() && value.fract() == 0.0 && value.abs() <= EXACT_FLOAT_INTEGER)
            .then_some(value as i64)
    })
}

fn parse_float(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    let value: f64 = trimmed
        .parse()
        .map_err(|_| format!("{} is not a number", shown(text)))?;
    float_value(value).ok_or_else(|| {
        format!(
            "{} is not a finite number (NaN and infinities cannot be stored)",
            shown(text)
        )
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

fn parse_json_text(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|error| {
        format!(
            "{} is not valid JSON ({})",
            shown(text),
            json_error_text(&error)
        )
    })
}

/// The text a key is compared by: NULL and the empty string are one value.
pub fn key_text<'v>(values: impl IntoIterator<Item = &'v Value>) -> String {
    let empty = Value::String(String::new());
    let values: Vec<&Value> = values
        .into_iter()
        .map(|value| if value.is_null() { &empty } else { value })
        .collect();
    serde_json::to_string(&values).unwrap_or_default()
}

/// A CSV cell (or a quoted NDJSON value) in canonical form. The caller has
/// already turned an empty CSV cell into NULL.
pub fn parse_text(kind: ColumnKind, text: &str) -> Result<Value, String> {
    match kind {
        ColumnKind::String => Ok(Value::String(text.to_string())),
        ColumnKind::Int64 => parse_integer(text)
            .map(Value::from)
            .ok_or_else(|| format!("{} is not an integer (INT64)", shown(text))),
        ColumnKind::Float64 | ColumnKind::Numeric => parse_float(text),
        ColumnKind::Bool => parse_bool(text)
            .map(Value::Bool)
            .ok_or_else(|| format!("{} is not a boolean (true/false or 1/0)", shown(text))),
        ColumnKind::Date => parse_date(text.trim())
            .map(date_value)
            .ok_or_else(|| format!("{} is not a date (YYYY-MM-DD)", shown(text))),
        ColumnKind::Timestamp => parse_timestamp(text).map(timestamp_value).ok_or_else(|| {
            format!(
                "{} is not a timestamp (e.g. 2026-01-05 10:00:00 UTC or 2026-01-05T10:00:00Z)",
                shown(text)
            )
        }),
        ColumnKind::Json => parse_json_text(text),
        ColumnKind::StringArray | ColumnKind::Period => {
            let value = parse_json_text(text)?;
            if value.is_null() {
                return Ok(Value::Null);
            }
            from_json(kind, value)
        }
    }
}

/// A value of a newline-delimited JSON row in canonical form (NULL stays NULL).
/// Besides their own JSON types, INT64, NUMERIC, FLOAT64, BOOL, DATE and
/// TIMESTAMP accept their text in a JSON string (BigQuery quotes INT64 and
/// NUMERIC); JSON, ARRAY and STRUCT columns also accept their JSON text in a
/// string.
pub fn from_json(kind: ColumnKind, value: Value) -> Result<Value, String> {
    let mismatch =
        |value: &Value, expected: &str| format!("expected {expected}, found {}", json_type(value));
    match (kind, value) {
        (_, Value::Null) => Ok(Value::Null),
        (ColumnKind::String, value @ Value::String(_)) => Ok(value),
        (ColumnKind::String, value) => Err(mismatch(&value, "a string")),
        (ColumnKind::Json, Value::String(text)) => parse_json_text(&text),
        (ColumnKind::Json, value) => Ok(value),
        (_, Value::String(text)) => parse_text(kind, &text),
        (ColumnKind::Int64, Value::Number(number)) => number
            .as_i64()
            .or_else(|| parse_integer(&number.to_string()))
            .map(Value::from)
            .ok_or_else(|| format!("{number} is not an integer (INT64)")),
        (ColumnKind::Float64 | ColumnKind::Numeric, Value::Number(number)) => number
            .as_f64()
            .and_then(float_value)
            .ok_or_else(|| format!("{number} is not a finite number")),
        (ColumnKind::Bool, value @ Value::Bool(_)) => Ok(value),
        (ColumnKind::Bool, Value::Number(number)) => match number.as_u64() {
            Some(0) => Ok(Value::Bool(false)),
            Some(1) => Ok(Value::Bool(true)),
            _ => Err(format!("{number} is not a boolean (true/false or 1/0)")),
        },
        (ColumnKind::StringArray, Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                if !item.is_string() {
                    return Err(format!(
                        "item {} of the array is {}; expected a string",
                        index + 1,
                        json_type(item)
                    ));
                }
            }
            Ok(Value::Array(items))
        }
        (ColumnKind::Period, Value::Object(fields)) => period_from_json(fields),
        (ColumnKind::Int64, value) => Err(mismatch(&value, "an integer")),
        (ColumnKind::Float64 | ColumnKind::Numeric, value) => Err(mismatch(&value, "a number")),
        (ColumnKind::Bool, value) => Err(mismatch(&value, "a boolean")),
        (ColumnKind::Date, value) => Err(mismatch(&value, "a date string (YYYY-MM-DD)")),
        (ColumnKind::Timestamp, value) => Err(mismatch(&value, "a timestamp string")),
        (ColumnKind::StringArray, value) => Err(mismatch(&value, "an array of strings")),
        (ColumnKind::Period, value) => Err(mismatch(
            &value,
            "an object {start_date, end_date, samples}",
        )),
    }
}

/// `{start_date, end_date, samples}` with every key present (NULL when absent);
/// any other key is refused.
fn period_from_json(mut fields: Map<String, Value>) -> Result<Value, String> {
    let mut period = Map::new();
    for (key, kind) in [
        ("start_date", ColumnKind::Date),
        ("end_date", ColumnKind::Date),
        ("samples", ColumnKind::Int64),
    ] {
        let value = fields.remove(key).unwrap_or(Value::Null);
        let value = from_json(kind, value).map_err(|message| format!("{key}: {message}"))?;
        period.insert(key.to_string(), value);
    }
    if let Some(unknown) = fields.keys().next() {
        return Err(format!(
            "unknown field {} (a period has start_date, end_date, samples)",
            shown(unknown)
        ));
    }
    Ok(Value::Object(period))
}

/// A canonical period as JSON text with its fields in declaration order
/// (`start_date`, `end_date`, `samples`), as BigQuery and the store write it.
pub fn period_text(value: &Value) -> String {
    serde_json::from_value::<Period>(value.clone())
        .ok()
        .and_then(|period| serde_json::to_string(&period).ok())
        .unwrap_or_else(|| value.to_string())
}

/// A canonical value as a BigQuery CSV cell: NULL empty, text as is, JSON,
/// arrays and structs as JSON text.
pub fn to_csv_cell(kind: ColumnKind, value: &Value) -> String {
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (ColumnKind::Period, value) => period_text(value),
        (ColumnKind::Json | ColumnKind::StringArray, value) => value.to_string(),
        (_, Value::String(text)) => text.clone(),
        (_, value) => value.to_string(),
    }
}

/// A canonical value as the JSON text of an NDJSON field. A JSON column whose
/// value is itself a JSON string is written as its JSON text in a string, so
/// that reading it back (a string in a JSON column is JSON text) gives the same
/// value.
pub fn to_ndjson_field(kind: ColumnKind, value: &Value) -> String {
    match (kind, value) {
        (ColumnKind::Period, value) if !value.is_null() => period_text(value),
        (ColumnKind::Json, value @ Value::String(_)) => {
            Value::String(value.to_string()).to_string()
        }
        (_, value) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(text: &str) -> Option<String> {
        parse_timestamp(text).map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    #[test]
    fn timestamps_in_every_bigquery_spelling() {
        let expected = Some("2026-01-05T10:00:00Z".to_string());
        assert_eq!(ts("2026-01-05 10:00:00 UTC"), expected);
        assert_eq!(ts("2026-01-05T10:00:00Z"), expected);
        assert_eq!(ts("2026-01-05 10:00:00+00"), expected);
        assert_eq!(ts("2026-01-05 10:00:00+00:00"), expected);
        assert_eq!(ts("2026-01-05T11:30:00+01:30"), expected);
        assert_eq!(ts("2026-01-05T05:00:00-0500"), expected);
        assert_eq!(ts("2026-01-05 10:00:00"), expected);
        assert_eq!(ts(" 2026-01-05 10:00:00 UTC "), expected);
        assert_eq!(
            ts("2026-01-05 10:00:00.123456+00"),
            Some("2026-01-05T10:00:00.123456Z".to_string())
        );
        assert_eq!(
            ts("2026-01-05T10:00:00.120Z"),
            Some("2026-01-05T10:00:00.120Z".to_string())
        );
    }

    #[test]
    fn bad_timestamps_are_refused_without_panicking() {
        for text in [
            "",
            "2026-01-05",
            "2026-13-05 10:00:00",
            "2026-01-05 25:00:00",
            "2026-01-05X10:00:00",
            "2026-01-05 10:00:00+99",
            "2026-01-05 10:00:00+1",
            "2026-01-05 10:00:00 CET",
            "yesterday",
            "2026-01-é5 10:00:00",
            "2026-01-05é10:00:00",
            "é",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-01-05").is_some());
        for text in [
            "2026-1-05",
            "2026-13-01",
            "2026-02-30",
            "05/01/2026",
            "2026-01-05T00",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(
            parse_text(ColumnKind::Date, "2026-13-01"),
            Err("`2026-13-01` is not a date (YYYY-MM-DD)".to_string())
        );
    }

    #[test]
    fn numbers_and_booleans_from_text() {
        assert_eq!(parse_text(ColumnKind::Int64, "42"), Ok(json!(42)));
        assert_eq!(parse_text(ColumnKind::Int64, "-7"), Ok(json!(-7)));
        assert_eq!(parse_text(ColumnKind::Int64, "12.0"), Ok(json!(12)));
        assert!(parse_text(ColumnKind::Int64, "12.5").is_err());
        assert!(parse_text(ColumnKind::Int64, "twelve").is_err());
        assert!(parse_text(ColumnKind::Int64, "1e300").is_err());
        assert_eq!(parse_text(ColumnKind::Numeric, "25.3"), Ok(json!(25.3)));
        assert_eq!(parse_text(ColumnKind::Numeric, "25"), Ok(json!(25.0)));
        assert_eq!(parse_text(ColumnKind::Float64, "-0.5"), Ok(json!(-0.5)));
        assert!(parse_text(ColumnKind::Float64, "NaN").is_err());
        assert!(parse_text(ColumnKind::Float64, "inf").is_err());
        assert!(parse_text(ColumnKind::Numeric, "1,5").is_err());
        for (text, value) in [
            ("true", true),
            ("TRUE", true),
            ("True", true),
            ("1", true),
            ("false", false),
            ("FALSE", false),
            ("0", false),
        ] {
            assert_eq!(
                parse_text(ColumnKind::Bool, text),
                Ok(json!(value)),
                "{text}"
            );
        }
        assert!(parse_text(ColumnKind::Bool, "yes").is_err());
        assert!(parse_text(ColumnKind::Bool, "2").is_err());
    }

    #[test]
    fn ndjson_values_quoted_or_not() {
        assert_eq!(from_json(ColumnKind::Int64, json!("123")), Ok(json!(123)));
        assert_eq!(from_json(ColumnKind::Int64, json!(123)), Ok(json!(123)));
        assert_eq!(from_json(ColumnKind::Int64, json!(12.0)), Ok(json!(12)));
        assert!(from_json(ColumnKind::Int64, json!(true)).is_err());
        assert_eq!(
            from_json(ColumnKind::Numeric, json!("25.3")),
            Ok(json!(25.3))
        );
        assert_eq!(from_json(ColumnKind::Numeric, json!(25)), Ok(json!(25.0)));
        assert_eq!(
            from_json(ColumnKind::Bool, json!("false")),
            Ok(json!(false))
        );
        assert_eq!(from_json(ColumnKind::Bool, json!(1)), Ok(json!(true)));
        assert!(from_json(ColumnKind::String, json!(5)).is_err());
        assert_eq!(
            from_json(ColumnKind::Timestamp, json!("2026-01-05 10:00:00 UTC")),
            Ok(json!("2026-01-05T10:00:00Z"))
        );
        assert_eq!(from_json(ColumnKind::Date, json!(null)), Ok(Value::Null));
    }

    #[test]
    fn json_arrays_and_periods() {
        let object = json!({"a": [1, 2]});
        assert_eq!(
            from_json(ColumnKind::Json, object.clone()),
            Ok(object.clone())
        );
        assert_eq!(
            from_json(ColumnKind::Json, json!("{\"a\": [1, 2]}")),
            Ok(object.clone())
        );
        assert_eq!(parse_text(ColumnKind::Json, "{\"a\":[1,2]}"), Ok(object));
        assert!(parse_text(ColumnKind::Json, "{\"a\":").is_err());
        assert!(from_json(ColumnKind::Json, json!("not json")).is_err());

        assert_eq!(
            parse_text(ColumnKind::StringArray, "[\"a\",\"b\"]"),
            Ok(json!(["a", "b"]))
        );
        assert!(parse_text(ColumnKind::StringArray, "[\"a\",1]").is_err());
        assert!(parse_text(ColumnKind::StringArray, "a,b").is_err());

        let period = json!({"start_date": "2026-01-01", "end_date": "2026-01-31", "samples": 10});
        assert_eq!(
            from_json(ColumnKind::Period, period.clone()),
            Ok(period.clone())
        );
        assert_eq!(
            from_json(
                ColumnKind::Period,
                json!({"start_date": "2026-01-01", "end_date": "2026-01-31", "samples": "10"})
            ),
            Ok(period.clone())
        );
        assert_eq!(
            from_json(ColumnKind::Period, json!({"start_date": "2026-01-01"})),
            Ok(json!({"start_date": "2026-01-01", "end_date": null, "samples": null}))
        );
        assert!(from_json(ColumnKind::Period, json!({"start": "2026-01-01"})).is_err());
        assert!(from_json(ColumnKind::Period, json!({"start_date": "01/01/2026"})).is_err());
        assert_eq!(
            period_text(&period),
            r#"{"start_date":"2026-01-01","end_date":"2026-01-31","samples":10}"#
        );
    }

    #[test]
    fn cells_write_back_to_the_same_value() {
        let cases = [
            (ColumnKind::String, json!("a, \"quoted\"\nline")),
            (ColumnKind::Int64, json!(-3)),
            (ColumnKind::Numeric, json!(25.3)),
            (ColumnKind::Float64, json!(88.0)),
            (ColumnKind::Bool, json!(true)),
            (ColumnKind::Date, json!("2026-01-05")),
            (ColumnKind::Timestamp, json!("2026-01-05T10:00:00.500Z")),
            (ColumnKind::Json, json!({"overall": {"hit_rate": 0.57}})),
            (ColumnKind::Json, json!("a JSON string")),
            (ColumnKind::Json, json!(["strings", "only"])),
            (ColumnKind::StringArray, json!(["x", "y"])),
            (
                ColumnKind::Period,
                json!({"start_date": "2026-01-01", "end_date": null, "samples": 3}),
            ),
        ];
        for (kind, value) in cases {
            let cell = to_csv_cell(kind, &value);
            assert_eq!(parse_text(kind, &cell), Ok(value.clone()), "csv {kind:?}");
            let field: Value = serde_json::from_str(&to_ndjson_field(kind, &value)).unwrap();
            assert_eq!(from_json(kind, field), Ok(value.clone()), "ndjson {kind:?}");
        }
        assert_eq!(to_csv_cell(ColumnKind::Int64, &Value::Null), "");
        assert_eq!(to_ndjson_field(ColumnKind::Period, &Value::Null), "null");
    }

    #[test]
    fn shown_values_stay_on_one_line() {
        assert_eq!(shown("a\nb"), "`a\\nb`");
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 63);
    }
}
