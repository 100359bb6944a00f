//! Reads BigQuery's export formats — CSV with a header row and
//! newline-delimited JSON — into canonical rows, checking every value against
//! its column. The first problem stops the read with one message naming the
//! file, the line (1-based, as an editor shows it; the CSV header is line 1)
//! and the column. Reads a stream (memory flat in the file's size); never
//! panics on content.

pub use super::error::{ImportError, Origin};
pub use super::format::{Format, ReadOptions};
use super::{csv_reader, ndjson_reader, scan};
use crate::source::canonical::CanonicalRow;
use crate::source::tables::TableKind;
use serde_json::Value;
use std::io::Read;
use std::sync::Arc;

/// Reads every row of one file, calling `sink` with each valid row in order.
/// Returns the number of rows. `input` is read as a stream: memory stays
/// flat in the file's size.
pub fn read_rows<E: From<ImportError>, R: Read>(
    file: &str,
    input: R,
    format: Format,
    table: TableKind,
    options: ReadOptions,
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    read_rows_with(file, input, format, table, options, &[], sink)
}

/// [`read_rows`] with columns the caller fills in for every row (`fixed`:
/// column index and value, as the experiment id of a folder's backtest
/// rows): the file may not name them, and every row is checked with them.
pub fn read_rows_with<E: From<ImportError>, R: Read>(
    file: &str,
    input: R,
    format: Format,
    table: TableKind,
    options: ReadOptions,
    fixed: &[(usize, Value)],
    sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<(), E>,
) -> Result<usize, E> {
    let file: Arc<str> = Arc::from(file);
    let at_line = |line: u64, message: String| {
        Origin {
            file: file.clone(),
            line,
        }
        .error(None, message)
    };
    let opened = scan::open(input, format == Format::Csv)
        .map_err(|error| at_line(1, format!("cannot read: {error}")))?;
    sniff(&opened, format).map_err(|message| at_line(1, message))?;
    let state = opened.state.clone();
    let read = match format {
        Format::Csv => csv_reader::read_csv(&file, opened, table, options, fixed, sink),
        Format::Ndjson => ndjson_reader::read_ndjson(&file, opened, table, options, fixed, sink),
    };
    // Binary data stops the parser; say so, whatever it made of it.
    if let Some(line) = state.borrow().nul_line {
        return Err(at_line(
            line,
            format!("binary data (a NUL byte), not {} text", format.name()),
        )
        .into());
    }
    read
}

/// Refuses empty files and files that are plainly not text before parsing.
fn sniff<R>(opened: &scan::Opened<R>, format: Format) -> Result<(), String> {
    if opened.blank {
        let expected = match format {
            Format::Csv => "a header row naming the columns",
            Format::Ndjson => "one JSON object per line",
        };
        return Err(format!("the file is empty (expected {expected})"));
    }
    let bytes = &opened.start;
    let packed = if bytes.starts_with(&[0x1f, 0x8b]) {
        Some("gzip-compressed (decompress it first)")
    } else if bytes.starts_with(b"PAR1") {
        Some("a Parquet file")
    } else if bytes.starts_with(b"Obj\x01") {
        Some("an Avro file")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a zip archive")
    } else {
        None
    };
    match packed {
        Some(packed) => Err(format!(
            "{packed}, not {}; export as CSV or NEWLINE_DELIMITED_JSON",
            format.name()
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use std::path::Path;

    fn read(
        format: Format,
        table: TableKind,
        text: &[u8],
    ) -> Result<Vec<(u64, CanonicalRow)>, ImportError> {
        read_with(format, table, text, ReadOptions::default())
    }

    fn read_with(
        format: Format,
        table: TableKind,
        text: &[u8],
        options: ReadOptions,
    ) -> Result<Vec<(u64, CanonicalRow)>, ImportError> {
        let mut rows = Vec::new();
        let file = match format {
            Format::Csv => "t.csv",
            Format::Ndjson => "t.ndjson",
        };
        read_rows(file, text, format, table, options, &mut |origin, row| {
            rows.push((origin.line, row));
            Ok::<(), ImportError>(())
        })?;
        Ok(rows)
    }

    fn csv_error(table: TableKind, text: &str) -> String {
        read(Format::Csv, table, text.as_bytes())
            .unwrap_err()
            .to_string()
    }

    fn ndjson_error(table: TableKind, text: &[u8]) -> String {
        read(Format::Ndjson, table, text).unwrap_err().to_string()
    }

    const FEATURES: TableKind = TableKind::FeatureStore;
    const HEADER: &str =
        "player_lookup,game_id,game_date,has_vegas_line,feature_quality_score,feature_version\n";

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_path(Path::new("a.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a.CSV")), Some(Format::Csv));
        for name in ["a.json", "a.ndjson", "a.jsonl"] {
            assert_eq!(Format::from_path(Path::new(name)), Some(Format::Ndjson));
        }
        assert_eq!(Format::from_path(Path::new("a.csv.gz")), None);
        assert_eq!(Format::from_path(Path::new("a")), None);
    }

    #[test]
    fn csv_rows_with_quoting_nulls_and_a_bom() {
        let text = format!(
            "\u{feff}{HEADER}a,g1,2026-01-05,true,88.5,v2.3\n\"b, jr\",g1,2026-01-05,,,\"multi\nline\"\n"
        );
        let rows = read(Format::Csv, FEATURES, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            (
                2,
                vec![
                    json!("a"),
                    json!("g1"),
                    json!("2026-01-05"),
                    json!(true),
                    json!(88.5),
                    json!("v2.3")
                ]
            )
        );
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1[0], json!("b, jr"));
        assert_eq!(rows[1].1[3], Value::Null);
        assert_eq!(rows[1].1[5], json!("multi\nline"));
    }

    #[test]
    fn csv_columns_in_any_order_and_optional_ones_absent() {
        let text = "game_date,game_id,player_lookup\r\n2026-01-05,g1,a\r\n";
        let rows = read(Format::Csv, FEATURES, text.as_bytes()).unwrap();
        assert_eq!(
            rows[0].1,
            vec![
                json!("a"),
                json!("g1"),
                json!("2026-01-05"),
                Value::Null,
                Value::Null,
                Value::Null
            ]
        );
        let header_only = read(Format::Csv, FEATURES, HEADER.as_bytes()).unwrap();
        assert!(header_only.is_empty());
    }

    #[test]
    fn crlf_files_report_the_same_lines_as_lf_files() {
        for end in ["\n", "\r\n"] {
            let text = format!(
                "{}a,g1,2026-01-05,,,{end}a,g2,2026-01-06,,,{end}a,g3,2026-13-01,,,{end}",
                HEADER.replace('\n', end)
            );
            let error = csv_error(FEATURES, &text);
            assert!(
                error.starts_with("t.csv:4: column game_date"),
                "{end:?}: {error}"
            );
        }
    }

    #[test]
    fn csv_errors_name_file_line_and_column() {
        assert_eq!(
            csv_error(
                FEATURES,
                &format!("{HEADER}a,g1,2026-01-05,,,\na,g2,2026-13-01,,,\n")
            ),
            "t.csv:3: column game_date: `2026-13-01` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,maybe,,\n")),
            "t.csv:2: column has_vegas_line: `maybe` is not a boolean (true/false or 1/0)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,high,\n")),
            "t.csv:2: column feature_quality_score: `high` is not a number"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true\n")),
            "t.csv:2: column feature_quality_score: missing: the line has 4 fields, the header 6 (truncated line?)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,1,v,x\n")),
            "t.csv:2: the line has 7 fields, the header 6 (an unquoted comma?)"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER},g1,2026-01-05,true,1,v\n")),
            "t.csv:2: column player_lookup: required (NOT NULL) but missing or empty"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id\na,g1\n"),
            "t.csv:1: column game_date: required (NOT NULL) but missing from the header"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_dat\n"),
            "t.csv:1: column game_dat: not a column of ml_feature_store_v2 (did you mean game_date?)"
        );
        assert!(
            csv_error(FEATURES, "a,g1,2026-01-05,true,1,v\n").contains("is the header row missing")
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_date,\n"),
            "t.csv:1: header field 4 is empty (a trailing comma?); every field must name a column"
        );
        assert_eq!(
            csv_error(FEATURES, "player_lookup,game_id,game_date,game_id\n"),
            "t.csv:1: column game_id: named twice in the header"
        );
        assert_eq!(
            csv_error(FEATURES, &format!("{HEADER}a,g1,2026-01-05,true,1,\"v2.\n")),
            "t.csv:2: a quoted field opens here and is never closed (truncated file?)"
        );
        assert_eq!(
            csv_error(FEATURES, "\n \n"),
            "t.csv:1: the file is empty (expected a header row naming the columns)"
        );
        assert_eq!(
            csv_error(FEATURES, ""),
            "t.csv:1: the file is empty (expected a header row naming the columns)"
        );
    }

    #[test]
    fn csv_invalid_utf8_names_line_and_column() {
        let mut text = format!("{HEADER}a,g1,2026-01-05,,,\n").into_bytes();
        text.extend_from_slice(b"b,g1,2026-01-05,,,v\xff\xfe\n");
        let error = read(Format::Csv, FEATURES, &text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.csv:3: column feature_version: not valid UTF-8 (byte 2 of the field)"
        );
    }

    #[test]
    fn extra_columns_can_be_ignored() {
        let text = format!("extra,{}\nx,a,g1,2026-01-05,,,\n", HEADER.trim_end());
        assert!(read(Format::Csv, FEATURES, text.as_bytes()).is_err());
        let options = ReadOptions {
            ignore_extra_columns: true,
        };
        let rows = read_with(Format::Csv, FEATURES, text.as_bytes(), options).unwrap();
        assert_eq!(rows[0].1[0], json!("a"));
        let rows = read_with(
            Format::Ndjson,
            FEATURES,
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","other":1}"#,
            options,
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn binary_and_compressed_files_are_refused() {
        let gzip = [0x1f, 0x8b, 8, 0, 0, 0];
        assert!(
            read(Format::Csv, FEATURES, &gzip)
                .unwrap_err()
                .to_string()
                .contains("gzip")
        );
        assert!(
            read(Format::Ndjson, FEATURES, b"PAR1\x00\x00")
                .unwrap_err()
                .to_string()
                .contains("Parquet")
        );
        assert_eq!(
            read(Format::Csv, FEATURES, b"player_lookup\nab\x00c\n")
                .unwrap_err()
                .to_string(),
            "t.csv:2: binary data (a NUL byte), not CSV text"
        );
    }

    #[test]
    fn ndjson_rows() {
        let text = br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","has_vegas_line":true,"feature_quality_score":"88.25","feature_version":null}

{"game_date":"2026-01-06","game_id":"g2","player_lookup":"b"}
"#;
        let rows = read(Format::Ndjson, FEATURES, text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1[4], json!(88.25));
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1[2], json!("2026-01-06"));
    }

    #[test]
    fn ndjson_errors_name_file_line_and_column() {
        let good = br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05"}"#;
        let with = |bad: &[u8]| [&good[..], b"\n", bad, b"\n"].concat();
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-32"}"#)
            ),
            "t.ndjson:2: column game_date: `2026-01-32` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","has_vegas_line":"sometimes"}"#)),
            "t.ndjson:2: column has_vegas_line: `sometimes` is not a boolean (true/false or 1/0)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"g"}"#)),
            "t.ndjson:2: column game_date: required (NOT NULL) but missing or empty"
        );
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(
                    br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-05","colour":1}"#
                )
            ),
            "t.ndjson:2: column colour: not a column of ml_feature_store_v2 (--ignore-extra-columns skips columns courtside does not read)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(br#"{"player_lookup":"a","game_id":"#)),
            "t.ndjson:2: not valid JSON (EOF while parsing a value at character 31); expected one complete JSON object per line"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(b"[1, 2]")),
            "t.ndjson:2: an array is not a JSON object (expected one object per line, keys = column names)"
        );
        assert_eq!(
            ndjson_error(FEATURES, &with(b"{\"player_lookup\":\"a\xff\"}")),
            "t.ndjson:2: not valid UTF-8 (byte 20 of the line)"
        );
        assert_eq!(
            ndjson_error(
                FEATURES,
                &with(br#"{"player_lookup":7,"game_id":"g","game_date":"2026-01-05"}"#)
            ),
            "t.ndjson:2: column player_lookup: expected a string, found a number"
        );
        assert_eq!(
            ndjson_error(FEATURES, b"\n\n"),
            "t.ndjson:1: the file is empty (expected one JSON object per line)"
        );
        assert!(ndjson_error(FEATURES, b"[\n{}\n]\n").contains("not a JSON array"));
    }

    #[test]
    fn nothing_panics_on_arbitrary_bytes() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet = b"a,\"\n\r{}[]:0123456789.-TZ \xff\xc3\xa9";
        for length in 0..300 {
            let bytes: Vec<u8> = (0..length)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            for table in TableKind::ALL {
                let _ = read(Format::Csv, table, &bytes);
                let _ = read(Format::Ndjson, table, &bytes);
                let mut with_header = format!(
                    "{}\n",
                    table
                        .columns()
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join(",")
                )
                .into_bytes();
                with_header.extend_from_slice(&bytes);
                let _ = read(Format::Csv, table, &with_header);
            }
        }
    }
}
