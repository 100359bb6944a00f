//! Loading canonical rows into a BigQuery table with `insertAll` (fixtures
//! and uploads), and splitting a configured name into its parts.

use super::{BigQuerySource, LOAD_BATCH};
use crate::config::TableName;
use crate::source::tables::{ColumnKind, TableKind};
use anyhow::{Context, Result, bail};
use serde_json::Value;

impl BigQuerySource {
    /// Loads canonical rows (see `transfer::value`) into `table` with
    /// `insertAll`, in batches; for fixtures and uploads.
    pub async fn load(&self, table: TableKind, rows: &[Vec<Value>]) -> Result<()> {
        for (batch_index, batch) in rows.chunks(LOAD_BATCH).enumerate() {
            self.insert_rows(table, batch, &format!("{batch_index}-"), 0)
                .await?;
        }
        Ok(())
    }

    /// [`BigQuerySource::load`] of one part of a longer stream: the insert
    /// ids are `{prefix}{n}`, `n` counting on from `first`, so that no two
    /// parts share an id (BigQuery drops a row whose id it saw lately).
    pub(super) async fn load_numbered(
        &self,
        table: TableKind,
        rows: &[Vec<Value>],
        prefix: &str,
        first: usize,
    ) -> Result<()> {
        for (batch_index, batch) in rows.chunks(LOAD_BATCH).enumerate() {
            self.insert_rows(table, batch, prefix, first + batch_index * LOAD_BATCH)
                .await?;
        }
        Ok(())
    }

    /// One `insertAll` request: `batch`, its rows' insert ids `{prefix}{n}`
    /// from `n = first`.
    async fn insert_rows(
        &self,
        table: TableKind,
        batch: &[Vec<Value>],
        prefix: &str,
        first: usize,
    ) -> Result<()> {
        let name = table.table_name(&self.tables);
        let (project, dataset, table_id) = self.split(name)?;
        let columns = table.columns();
        let encoded = batch
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let mut object = serde_json::Map::new();
                for (column, value) in columns.iter().zip(row) {
                    if value.is_null() {
                        continue;
                    }
                    // insertAll takes a JSON column as JSON text.
                    let value = match column.kind {
                        ColumnKind::Json => Value::String(value.to_string()),
                        _ => value.clone(),
                    };
                    object.insert(column.name.to_string(), value);
                }
                (format!("{prefix}{}", first + index), object)
            })
            .collect();
        let loaded = self
            .transport
            .insert_all(&project, &dataset, &table_id, encoded)
            .await
            .with_context(|| format!("loading {}", name.qualified()));
        // The next ask reads the metadata again.
        self.forget_version().await;
        loaded
    }

    /// `(project, dataset, table)` of a configured name.
    pub(super) fn split(&self, name: &TableName) -> Result<(String, String, String)> {
        let parts: Vec<&str> = name.qualified().split('.').collect();
        match parts.as_slice() {
            [project, dataset, table] => {
                Ok((project.to_string(), dataset.to_string(), table.to_string()))
            }
            [dataset, table] => Ok((
                self.transport.project().to_string(),
                dataset.to_string(),
                table.to_string(),
            )),
            _ => bail!("`{}` is not dataset.table", name.qualified()),
        }
    }
}
