//! Writes canonical rows in BigQuery's export formats: CSV with a header row
//! (RFC 4180 quoting, `\n` line ends as BigQuery writes them, NULL as an empty
//! field, JSON/ARRAY/STRUCT as JSON text) and newline-delimited JSON (keys in
//! column order, every column present, NULL as `null`). What these write,
//! `read` reads back to the same rows.

use super::format::Format;
use crate::source::canonical::{CanonicalRow, to_csv_cell, to_ndjson_field};
use crate::source::tables::TableKind;
use anyhow::{Result, bail};
use std::io::Write;

/// Writes `rows` of `table` to `out` in `format`.
pub fn write_rows(
    out: &mut dyn Write,
    format: Format,
    table: TableKind,
    rows: &[CanonicalRow],
) -> Result<()> {
    let columns = table.columns();
    for (index, row) in rows.iter().enumerate() {
        if row.len() != columns.len() {
            bail!(
                "{table}: row {} has {} values for {} columns",
                index + 1,
                row.len(),
                columns.len()
            );
        }
    }
    match format {
        Format::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out);
            writer.write_record(columns.iter().map(|column| column.name))?;
            for row in rows {
                writer.write_record(
                    columns
                        .iter()
                        .zip(row)
                        .map(|(column, value)| to_csv_cell(column.kind, value)),
                )?;
            }
            writer.flush()?;
        }
        Format::Ndjson => {
            let names: Vec<String> = columns
                .iter()
                .map(|column| serde_json::Value::from(column.name).to_string())
                .collect();
            let mut line = String::new();
            for row in rows {
                line.clear();
                line.push('{');
                for (index, ((column, name), value)) in
                    columns.iter().zip(&names).zip(row).enumerate()
                {
                    if index > 0 {
                        line.push(',');
                    }
                    line.push_str(name);
                    line.push(':');
                    line.push_str(&to_ndjson_field(column.kind, value));
                }
                line.push_str("}\n");
                out.write_all(line.as_bytes())?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::read::{ImportError, ReadOptions, read_rows};
    use serde_json::{Value, json};

    fn experiment(id: &str, tags: Value, note: Value) -> CanonicalRow {
        // A JSON string stands in the config column (results are checked
        // for their figures on import; any JSON value round-trips in config).
        let (config, results) = if note.is_string() {
            (note, Value::Null)
        } else {
            (
                json!({"model": {"type": "catboost", "version": "v9"}, "tags": ["a"]}),
                note,
            )
        };
        vec![
            json!(id),
            json!("FEB_2026_RECENCY_60"),
            json!("60-day half-life, \"quoted\", and a\nnewline"),
            json!("walk_forward"),
            tags,
            config,
            json!({"start_date": "2021-11-01", "end_date": "2026-01-31", "samples": 41000}),
            Value::Null,
            results,
            Value::Null,
            json!("0123abc"),
            Value::Null,
            json!("completed"),
            json!("2026-02-03T09:00:00Z"),
            json!("2026-02-04T10:11:12.345Z"),
            json!("ml@example.com"),
        ]
    }

    fn round_trip(format: Format, rows: &[CanonicalRow]) -> (String, Vec<CanonicalRow>) {
        let table = TableKind::Experiments;
        let mut out = Vec::new();
        write_rows(&mut out, format, table, rows).unwrap();
        let mut back = Vec::new();
        read_rows(
            "out",
            &out[..],
            format,
            table,
            ReadOptions::default(),
            &mut |_, row| {
                back.push(row);
                Ok::<(), ImportError>(())
            },
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), back)
    }

    #[test]
    fn both_formats_read_back_to_the_same_rows() {
        let rows = vec![
            experiment(
                "e1",
                json!(["february-2026", "recency"]),
                json!({"overall": {"hit_rate": 0.571}}),
            ),
            experiment("e2", json!([]), json!("a JSON string")),
            experiment("e3", Value::Null, Value::Null),
        ];
        for format in [Format::Csv, Format::Ndjson] {
            let (_, back) = round_trip(format, &rows);
            assert_eq!(back, rows, "{format:?}");
        }
    }

    #[test]
    fn csv_is_bigquery_shaped() {
        let (text, _) = round_trip(Format::Csv, &[experiment("e1", json!(["x"]), Value::Null)]);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "experiment_id,experiment_name,hypothesis,experiment_type,tags,config_json,\
                 train_period,eval_period,results_json,model_path,git_commit,\
                 parent_experiment_id,status,created_at,completed_at,created_by"
            )
        );
        assert!(text.contains(
            r#"e1,FEB_2026_RECENCY_60,"60-day half-life, ""quoted"", and a
newline",walk_forward,"[""x""]","{""model"":{""type"":""catboost"",""version"":""v9""},""tags"":[""a""]}","{""start_date"":""2021-11-01"",""end_date"":""2026-01-31"",""samples"":41000}",,,,0123abc,,completed,2026-02-03T09:00:00Z,2026-02-04T10:11:12.345Z,ml@example.com
"#
        ), "{text}");
    }

    #[test]
    fn ndjson_keys_in_column_order_with_nulls() {
        let (text, _) = round_trip(
            Format::Ndjson,
            &[experiment("e1", json!(["x"]), Value::Null)],
        );
        assert_eq!(text.lines().count(), 1);
        assert!(
            text.starts_with(r#"{"experiment_id":"e1","experiment_name":"FEB_2026_RECENCY_60","#)
        );
        assert!(text.contains(
            r#""train_period":{"start_date":"2021-11-01","end_date":"2026-01-31","samples":41000},"eval_period":null,"#
        ));
        assert!(text.ends_with("\"created_by\":\"ml@example.com\"}\n"));
    }

    #[test]
    fn a_row_of_the_wrong_width_is_an_error() {
        let mut out = Vec::new();
        let error = write_rows(
            &mut out,
            Format::Csv,
            TableKind::Experiments,
            &[vec![json!("e1")]],
        )
        .unwrap_err();
        assert!(error.to_string().contains("row 1 has 1 values"), "{error}");
    }
}
