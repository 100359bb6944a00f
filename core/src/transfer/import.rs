//! An import: every file read, every row checked (its values, its
//! vocabulary, its key against the other rows and the store), and all of it
//! inserted in one transaction that commits only when nothing was refused.

use super::error::{ImportError, Origin};
use super::format::{Format, ReadOptions};
use super::read::read_rows;
use super::validate::{KeyIndex, KeyTracker};
use crate::source::embedded::{EmbeddedStore, KeyHolder, LoadError, TableLoader};
use crate::source::tables::TableKind;
use anyhow::{Context as _, Result};
use std::path::Path;

/// Loads `files` into `table` of `store`, all or nothing. Returns the rows
/// inserted. Another writer holding the store is waited for, however long
/// it takes; `on_wait` is called once when that happens.
pub fn import_files(
    store: &EmbeddedStore,
    table: TableKind,
    files: &[(&Path, Format)],
    options: ReadOptions,
    on_wait: &dyn Fn(),
) -> Result<usize> {
    let ((), rows) = store.import(table, on_wait, |loader| {
        let keys = KeyTracker::new(table);
        loader.index_stored_keys()?;
        for (path, format) in files {
            let name = path.display().to_string();
            let file = std::fs::File::open(path).with_context(|| format!("{name}: cannot read"))?;
            let file = std::io::BufReader::with_capacity(1 << 16, file);
            read_rows(
                &name,
                file,
                *format,
                table,
                options,
                &mut |origin, row| -> Result<()> {
                    keys.check(&mut StoreKeys(loader), &origin, &row)?;
                    loader
                        .insert(&row)
                        .map_err(|error| load_error(&origin, error))
                },
            )?;
        }
        Ok(())
    })?;
    Ok(rows)
}

/// The store's temporary key table as the import's key index.
struct StoreKeys<'l, 't>(&'l mut TableLoader<'t>);

impl KeyIndex for StoreKeys<'_, '_> {
    fn record(&mut self, key: &str, origin: &Origin) -> Result<Option<KeyHolder>> {
        self.0.record_key(key, &origin.file, origin.line)
    }
}

/// A refused insert, at the line it came from.
fn load_error(origin: &Origin, error: LoadError) -> anyhow::Error {
    match error {
        LoadError::Value { column, message } => origin.error(Some(column), message).into(),
        LoadError::Shape { .. } => origin.error(None, error.to_string()).into(),
        LoadError::Store { .. } => {
            let ImportError { file, line, .. } = origin.error(None, "");
            anyhow::Error::new(error).context(format!(
                "{file}:{}: cannot insert the row",
                line.unwrap_or(0)
            ))
        }
    }
}
