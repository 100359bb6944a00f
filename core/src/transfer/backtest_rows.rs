//! One experiment's backtest files, read exactly as `import
//! backtest_predictions` reads them (the same readers: every value checked
//! against its column and domain, the vocabularies, unknown columns refused
//! by name), the folder's experiment id filled in, plus what only a folder
//! can check: every row dated within the config's evaluation period, every
//! `line_source` in one of the config's `line_sources` lists, and no
//! (player, game) given twice. Streams: no row is kept, and the duplicate
//! check holds a hash per row.

use super::error::Origin;
use super::folder_files::regular_file;
use super::format::{Format, ReadOptions};
use super::hashed_keys::HashedKeys;
use super::read::read_rows_with;
use super::validate::KeyTracker;
use crate::model::LineSources;
use crate::source::canonical::{CanonicalRow, key_text, parse_date, shown};
use crate::source::tables::TableKind;
use anyhow::{Context as _, Result, anyhow, bail};
use chrono::NaiveDate;
use serde_json::Value;
use std::path::PathBuf;

const TABLE: TableKind = TableKind::BacktestPredictions;

/// The backtest files of one experiment of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestFiles {
    /// The id its rows are registered under.
    pub experiment_id: String,
    /// The files in the order they are read, each with its format.
    pub files: Vec<(PathBuf, Format)>,
    /// The config's evaluation period, first and last day (the flat
    /// format has none: any date passes).
    pub evaluation: Option<(NaiveDate, NaiveDate)>,
    /// The config file, named when a row is outside the period.
    pub config_file: String,
}

/// What the rows are held to beyond the table's own checks.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRules {
    /// The config's `line_sources`: a row's `line_source` is in one of them.
    pub line_sources: LineSources,
    pub options: ReadOptions,
}

/// How the search for a repeated key's first row ended.
enum Search {
    Found(Origin),
    Reached,
}

impl BacktestFiles {
    /// Reads every row of every file, checked, calling `sink` with each in
    /// order; the first problem stops the read and names the file, the line
    /// and the column. Returns the number of rows.
    pub fn read(
        &self,
        rules: &RowRules,
        sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<()>,
    ) -> Result<usize> {
        let tracker = KeyTracker::new(TABLE);
        let mut keys =
            HashedKeys::new(|key: &str, at: &Origin| self.first_with_key(rules, key, at));
        let mut checked = |origin: Origin, row: CanonicalRow| -> Result<()> {
            self.check_rules(rules, &origin, &row)?;
            tracker.check(&mut keys, &origin, &row)?;
            sink(origin, row)
        };
        let mut rows = 0;
        for (path, format) in &self.files {
            rows += self.read_file(path, *format, rules, &mut checked)?;
        }
        Ok(rows)
    }

    /// The rows of one file, read and checked by the import's readers.
    fn read_file(
        &self,
        path: &std::path::Path,
        format: Format,
        rules: &RowRules,
        sink: &mut dyn FnMut(Origin, CanonicalRow) -> Result<()>,
    ) -> Result<usize> {
        let name = path.display().to_string();
        // Asked again: the file may have been replaced since the folder was listed.
        if !regular_file(path).map_err(|problem| anyhow!(problem))? {
            bail!("{name}: no longer there");
        }
        let file = std::fs::File::open(path).with_context(|| format!("{name}: cannot read"))?;
        let file = std::io::BufReader::with_capacity(1 << 16, file);
        let fixed: Vec<(usize, Value)> = TABLE
            .column_index("experiment_id")
            .map(|index| (index, Value::String(self.experiment_id.clone())))
            .into_iter()
            .collect();
        read_rows_with(&name, file, format, TABLE, rules.options, &fixed, sink)
    }

    /// The evaluation period and the line-source lists.
    fn check_rules(&self, rules: &RowRules, origin: &Origin, row: &[Value]) -> Result<()> {
        let value = |column: &str| TABLE.column_index(column).and_then(|index| row.get(index));
        if let Some((first, last)) = self.evaluation
            && let Some(Value::String(text)) = value("game_date")
            && let Some(date) = parse_date(text)
            && (date < first || date > last)
        {
            return Err(origin
                .error(
                    Some("game_date"),
                    format!(
                        "{date} is outside the evaluation period, {first} to {last} ({}: evaluation)",
                        self.config_file
                    ),
                )
                .into());
        }
        if let Some(Value::String(source)) = value("line_source")
            && !rules.line_sources.is_listed(source)
        {
            let lists = &rules.line_sources;
            return Err(origin
                .error(
                    Some("line_source"),
                    format!(
                        "{} is in none of the config's line_sources lists (actual: {}; estimated: {}; none: {}); a real source belongs in one of them",
                        shown(source),
                        lists.actual.join(", "),
                        lists.estimated.join(", "),
                        lists.none.join(", ")
                    ),
                )
                .into());
        }
        Ok(())
    }

    /// The first row before `at` whose key is `key`, read again from the
    /// start (only when a key's hash repeats).
    fn first_with_key(&self, rules: &RowRules, key: &str, at: &Origin) -> Result<Option<Origin>> {
        let key_columns: Vec<usize> = TABLE
            .key()
            .iter()
            .filter_map(|column| TABLE.column_index(column))
            .collect();
        let mut search: Option<Search> = None;
        for (path, format) in &self.files {
            let mut look = |origin: Origin, row: CanonicalRow| -> Result<()> {
                if *origin.file == *at.file && origin.line >= at.line {
                    search = Some(Search::Reached);
                    bail!("reached the row");
                }
                if key_text(key_columns.iter().filter_map(|index| row.get(*index))) == key {
                    search = Some(Search::Found(origin));
                    bail!("found the key");
                }
                Ok(())
            };
            let read = self.read_file(path, *format, rules, &mut look);
            match search.take() {
                Some(Search::Found(first)) => return Ok(Some(first)),
                Some(Search::Reached) => return Ok(None),
                None => {
                    read?;
                }
            }
        }
        Ok(None)
    }
}
