//! The one converter from BigQuery's row format to typed values: `f`/`v`
//! cells (NULL as a missing or null `v`), ARRAY as a list of `{v}`, STRUCT as a
//! nested `{f: [...]}`, NUMERIC as decimal strings (padded forms accepted),
//! TIMESTAMP as integer microseconds or the float-seconds form real BigQuery
//! returns by default, JSON as JSON text. Decoded rows are canonical JSON
//! values (dates `YYYY-MM-DD`, timestamps RFC 3339) read through [`Rows`].

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use gcp_bigquery_client::model::field_type::FieldType;
use gcp_bigquery_client::model::table_field_schema::TableFieldSchema;
use gcp_bigquery_client::model::table_row::TableRow;
use serde_json::{Map, Value};

/// Decoded result rows with their column names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Rows {
    /// Decodes `rows` of a result with `schema`.
    pub fn decode(schema: &[TableFieldSchema], rows: &[TableRow]) -> Result<Rows> {
        let columns = schema.iter().map(|field| field.name.clone()).collect();
        let rows = rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                decode_record(schema, row.columns.as_deref().unwrap_or_default())
                    .with_context(|| format!("result row {}", index + 1))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Rows { columns, rows })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row with named access.
    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        self.rows.iter().map(|values| Record {
            columns: &self.columns,
            values,
        })
    }
}

/// One decoded row, read by column name; errors name the column.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> Record<'a> {
    pub fn value(&self, column: &str) -> Result<&'a Value> {
        self.columns
            .iter()
            .position(|name| name == column)
            .and_then(|index| self.values.get(index))
            .ok_or_else(|| anyhow!("the result has no column `{column}`"))
    }

    fn typed<T>(
        &self,
        column: &str,
        what: &str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>> {
        let value = self.value(column)?;
        if value.is_null() {
            return Ok(None);
        }
        read(value)
            .map(Some)
            .ok_or_else(|| anyhow!("column `{column}`: `{value}` is not {what}"))
    }

    fn required<T>(&self, column: &str, value: Option<T>) -> Result<T> {
        value.ok_or_else(|| anyhow!("column `{column}` is NULL"))
    }

    pub fn opt_str(&self, column: &str) -> Result<Option<String>> {
        self.typed(column, "a string", |v| v.as_str().map(str::to_string))
    }

    pub fn str(&self, column: &str) -> Result<String> {
        let value = self.opt_str(column)?;
        self.required(column, value)
    }

    pub fn opt_f64(&self, column: &str) -> Result<Option<f64>> {
        self.typed(column, "a number", Value::as_f64)
    }

    pub fn f64(&self, column: &str) -> Result<f64> {
        let value = self.opt_f64(column)?;
        self.required(column, value)
    }

    pub fn opt_i64(&self, column: &str) -> Result<Option<i64>> {
        self.typed(column, "an integer", Value::as_i64)
    }

    pub fn u64(&self, column: &str) -> Result<u64> {
        let value = self.typed(column, "a count", Value::as_u64)?;
        self.required(column, value)
    }

    pub fn opt_bool(&self, column: &str) -> Result<Option<bool>> {
        self.typed(column, "a boolean", Value::as_bool)
    }

    pub fn opt_date(&self, column: &str) -> Result<Option<NaiveDate>> {
        self.typed(column, "a date", |v| {
            NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()
        })
    }

    pub fn date(&self, column: &str) -> Result<NaiveDate> {
        let value = self.opt_date(column)?;
        self.required(column, value)
    }

    pub fn opt_timestamp(&self, column: &str) -> Result<Option<DateTime<Utc>>> {
        self.typed(column, "a timestamp", |v| {
            DateTime::parse_from_rfc3339(v.as_str()?)
                .ok()
                .map(|at| at.with_timezone(&Utc))
        })
    }

    pub fn timestamp(&self, column: &str) -> Result<DateTime<Utc>> {
        let value = self.opt_timestamp(column)?;
        self.required(column, value)
    }

    /// A JSON column's value (`None` when NULL).
    pub fn opt_json(&self, column: &str) -> Result<Option<Value>> {
        let value = self.value(column)?;
        Ok((!value.is_null()).then(|| value.clone()))
    }
}

fn decode_record(
    fields: &[TableFieldSchema],
    cells: &[gcp_bigquery_client::model::table_cell::TableCell],
) -> Result<Vec<Value>> {
    if cells.len() != fields.len() {
        bail!(
            "{} cells for {} columns in the result schema",
            cells.len(),
            fields.len()
        );
    }
    fields
        .iter()
        .zip(cells)
        .map(|(field, cell)| {
            decode_field(field, cell.value.as_ref().unwrap_or(&Value::Null))
                .with_context(|| format!("column `{}`", field.name))
        })
        .collect()
}

/// Decodes one cell's `v` by its field (mode REPEATED gives a list).
fn decode_field(field: &TableFieldSchema, value: &Value) -> Result<Value> {
    if field.mode.as_deref() == Some("REPEATED") {
        return match value {
            Value::Null => Ok(Value::Array(Vec::new())),
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    let inner = match item {
                        Value::Object(object) => object.get("v").unwrap_or(&Value::Null),
                        other => other,
                    };
                    decode_scalar_or_record(field, inner)
                })
                .collect::<Result<Vec<_>>>()
                .map(Value::Array),
            other => bail!("`{other}` is not an array"),
        };
    }
    decode_scalar_or_record(field, value)
}

fn decode_scalar_or_record(field: &TableFieldSchema, value: &Value) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    match field.r#type {
        FieldType::Record | FieldType::Struct => {
            let nested = field.fields.as_deref().unwrap_or_default();
            let cells = value
                .get("f")
                .and_then(Value::as_array)
                .ok_or_else(|| anyhow!("`{value}` is not a record"))?;
            if cells.len() != nested.len() {
                bail!("{} cells for {} record fields", cells.len(), nested.len());
            }
            let mut object = Map::new();
            for (inner, cell) in nested.iter().zip(cells) {
                let v = cell.get("v").unwrap_or(&Value::Null);
                let decoded =
                    decode_field(inner, v).with_context(|| format!("field `{}`", inner.name))?;
                object.insert(inner.name.clone(), decoded);
            }
            Ok(Value::Object(object))
        }
        _ => {
            let text = match value {
                Value::String(text) => text.as_str(),
                // Some servers send booleans and numbers unquoted.
                Value::Bool(flag) => {
                    return decode_text(&field.r#type, if *flag { "true" } else { "false" });
                }
                Value::Number(number) => return decode_text(&field.r#type, &number.to_string()),
                other => bail!("`{other}` is not a scalar"),
            };
            decode_text(&field.r#type, text)
        }
    }
}

fn decode_text(kind: &FieldType, text: &str) -> Result<Value> {
    match kind {
        FieldType::Integer | FieldType::Int64 => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| anyhow!("`{text}` is not an integer")),
        // A FLOAT64 may hold NaN or an infinity: no number to show, so missing.
        FieldType::Float | FieldType::Float64
            if matches!(text, "NaN" | "Infinity" | "-Infinity") =>
        {
            Ok(Value::Null)
        }
        FieldType::Float | FieldType::Float64 | FieldType::Numeric | FieldType::Bignumeric => {
            parse_decimal(text).map(Value::from)
        }
        FieldType::Boolean | FieldType::Bool => match text.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => bail!("`{text}` is not a boolean"),
        },
        FieldType::Timestamp => parse_timestamp(text)
            .map(|at| Value::String(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))),
        FieldType::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|_| Value::String(text.to_string()))
            .map_err(|_| anyhow!("`{text}` is not a date")),
        FieldType::Json => {
            serde_json::from_str(text).map_err(|error| anyhow!("not JSON text: {error}"))
        }
        _ => Ok(Value::String(text.to_string())),
    }
}

/// A NUMERIC or FLOAT64 cell: decimal text (`"12.500000000"`, `"-0.5"`,
/// `"1E+2"`), as real BigQuery and the emulator write it.
pub fn parse_decimal(text: &str) -> Result<f64> {
    let trimmed = text.trim();
    let value: f64 = match trimmed {
        "NaN" | "Infinity" | "-Infinity" => bail!("`{text}` is not a finite number"),
        _ => trimmed
            .parse()
            .map_err(|_| anyhow!("`{text}` is not a number"))?,
    };
    if value.is_finite() {
        Ok(value)
    } else {
        bail!("`{text}` is not a finite number")
    }
}

/// A TIMESTAMP cell: integer microseconds since the epoch (with
/// `useInt64Timestamp`), float seconds (`"1.767261600123456E9"`, real
/// BigQuery's default), or RFC 3339 text.
pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>> {
    let trimmed = text.trim();
    if let Ok(micros) = trimmed.parse::<i64>() {
        return DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| anyhow!("`{text}` is out of the timestamp range"));
    }
    if let Ok(seconds) = trimmed.parse::<f64>() {
        if !seconds.is_finite() {
            bail!("`{text}` is not a timestamp");
        }
        // Round through microseconds: BigQuery's precision, and float seconds
        // carry binary noise below it.
        let micros = (seconds * 1e6).round();
        if micros.abs() > 9.0e15 {
            bail!("`{text}` is out of the timestamp range");
        }
        return DateTime::from_timestamp_micros(micros as i64)
            .ok_or_else(|| anyhow!("`{text}` is out of the timestamp range"));
    }
    DateTime::parse_from_rfc3339(trimmed)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(
                trimmed.trim_end_matches(" UTC"),
                "%Y-%m-%d %H:%M:%S%.f",
            )
            .map(|at| at.and_utc())
        })
        .map_err(|_| anyhow!("`{text}` is not a timestamp"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows_from(response: Value) -> Rows {
        let schema: Vec<TableFieldSchema> =
            serde_json::from_value(response["schema"]["fields"].clone()).unwrap();
        let rows: Vec<TableRow> = serde_json::from_value(response["rows"].clone()).unwrap();
        Rows::decode(&schema, &rows).unwrap()
    }

    /// A response body as real BigQuery returns it by default (float-second
    /// timestamps, padded NUMERIC, nested ARRAY and STRUCT, NULLs).
    #[test]
    fn decodes_a_real_bigquery_response() {
        let rows = rows_from(json!({
          "kind": "bigquery#queryResponse",
          "schema": {"fields": [
            {"name": "game_date", "type": "DATE", "mode": "NULLABLE"},
            {"name": "predicted_points", "type": "NUMERIC", "mode": "NULLABLE"},
            {"name": "graded_at", "type": "TIMESTAMP", "mode": "NULLABLE"},
            {"name": "tags", "type": "STRING", "mode": "REPEATED"},
            {"name": "train_period", "type": "RECORD", "mode": "NULLABLE", "fields": [
              {"name": "start_date", "type": "DATE", "mode": "NULLABLE"},
              {"name": "end_date", "type": "DATE", "mode": "NULLABLE"},
              {"name": "samples", "type": "INTEGER", "mode": "NULLABLE"}]},
            {"name": "by_tier", "type": "RECORD", "mode": "REPEATED", "fields": [
              {"name": "tier", "type": "STRING", "mode": "NULLABLE"},
              {"name": "hits", "type": "INTEGER", "mode": "REPEATED"}]},
            {"name": "config_json", "type": "JSON", "mode": "NULLABLE"},
            {"name": "prediction_correct", "type": "BOOLEAN", "mode": "NULLABLE"},
            {"name": "line_value", "type": "NUMERIC", "mode": "NULLABLE"},
            {"name": "rows", "type": "INTEGER", "mode": "NULLABLE"},
            {"name": "feature_quality_score", "type": "FLOAT", "mode": "NULLABLE"}]},
          "rows": [
            {"f": [
              {"v": "2026-01-27"}, {"v": "23.500000000"}, {"v": "1.769508000123456E9"},
              {"v": [{"v": "recency"}, {"v": "jan-2026"}]},
              {"v": {"f": [{"v": "2021-11-01"}, {"v": "2026-01-31"}, {"v": "41234"}]}},
              {"v": [{"v": {"f": [{"v": "Star"}, {"v": [{"v": "3"}, {"v": "4"}]}]}}]},
              {"v": "{\"model\":{\"depth\":6},\"tags\":[\"a\"]}"},
              {"v": "true"}, {"v": "-0.5"}, {"v": "635"}, {"v": "87.25"}]},
            {"f": [
              {"v": "2026-01-28"}, {"v": null}, {"v": null}, {"v": []}, {"v": null},
              {"v": []}, {"v": null}, {"v": null}, {}, {"v": "0"}, {"v": "1E+2"}]}
          ],
          "totalRows": "2",
          "jobComplete": true
        }));
        let first: Vec<_> = rows.iter().collect();
        let row = first[0];
        assert_eq!(
            row.date("game_date").unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 27).unwrap()
        );
        assert_eq!(row.opt_f64("predicted_points").unwrap(), Some(23.5));
        assert_eq!(
            row.timestamp("graded_at")
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            "2026-01-27T10:00:00.123456Z"
        );
        assert_eq!(row.value("tags").unwrap(), &json!(["recency", "jan-2026"]));
        assert_eq!(
            row.value("train_period").unwrap(),
            &json!({"start_date": "2021-11-01", "end_date": "2026-01-31", "samples": 41234})
        );
        assert_eq!(
            row.value("by_tier").unwrap(),
            &json!([{"tier": "Star", "hits": [3, 4]}])
        );
        assert_eq!(
            row.opt_json("config_json").unwrap(),
            Some(json!({"model": {"depth": 6}, "tags": ["a"]}))
        );
        assert_eq!(row.opt_bool("prediction_correct").unwrap(), Some(true));
        assert_eq!(row.opt_f64("line_value").unwrap(), Some(-0.5));
        assert_eq!(row.u64("rows").unwrap(), 635);
        let second = first[1];
        assert_eq!(second.opt_f64("predicted_points").unwrap(), None);
        assert_eq!(second.opt_timestamp("graded_at").unwrap(), None);
        assert_eq!(second.value("tags").unwrap(), &json!([]));
        assert_eq!(second.value("train_period").unwrap(), &Value::Null);
        assert_eq!(second.opt_json("config_json").unwrap(), None);
        // A cell without `v` is NULL.
        assert_eq!(second.opt_f64("line_value").unwrap(), None);
        assert_eq!(
            second.opt_f64("feature_quality_score").unwrap(),
            Some(100.0)
        );
        assert!(
            second
                .f64("line_value")
                .unwrap_err()
                .to_string()
                .contains("line_value")
        );
    }

    #[test]
    fn timestamps_in_every_form_agree() {
        let expected = "2026-01-05T10:00:00.123456Z";
        for text in [
            "1767607200123456",
            "1.767607200123456E9",
            "1767607200.123456",
            "2026-01-05T10:00:00.123456Z",
            "2026-01-05 10:00:00.123456 UTC",
        ] {
            let at = parse_timestamp(text).unwrap();
            assert_eq!(
                at.to_rfc3339_opts(SecondsFormat::Micros, true),
                expected,
                "{text}"
            );
        }
        assert!(parse_timestamp("yesterday").is_err());
        assert!(parse_timestamp("1e300").is_err());
    }

    #[test]
    fn numeric_accepts_padded_forms_and_refuses_garbage() {
        assert_eq!(parse_decimal("12.500000000").unwrap(), 12.5);
        assert_eq!(parse_decimal("0012.5").unwrap(), 12.5);
        assert_eq!(parse_decimal("-0.100000000").unwrap(), -0.1);
        assert_eq!(
            parse_decimal("99999999999999999999999999999.999999999").unwrap(),
            1e29
        );
        assert!(parse_decimal("12,5").is_err());
        assert!(parse_decimal("NaN").is_err());
        let float = |text: &str| decode_text(&FieldType::Float64, text).unwrap();
        assert_eq!(float("NaN"), Value::Null);
        assert_eq!(float("-Infinity"), Value::Null);
        assert_eq!(float("2.5"), serde_json::json!(2.5));
        assert!(decode_text(&FieldType::Numeric, "NaN").is_err());
    }

    #[test]
    fn a_row_that_does_not_match_its_schema_is_an_error_naming_the_column() {
        let schema: Vec<TableFieldSchema> = serde_json::from_value(json!([
            {"name": "rows", "type": "INTEGER", "mode": "NULLABLE"}
        ]))
        .unwrap();
        let rows: Vec<TableRow> = serde_json::from_value(json!([{"f": [{"v": "many"}]}])).unwrap();
        let error = format!("{:#}", Rows::decode(&schema, &rows).unwrap_err());
        assert!(
            error.contains("row 1") && error.contains("`rows`") && error.contains("many"),
            "{error}"
        );
        let short: Vec<TableRow> = serde_json::from_value(json!([{"f": []}])).unwrap();
        assert!(Rows::decode(&schema, &short).is_err());
    }
}
