//! One BigQuery table as it really is, for `doctor` and `setup`: its metadata
//! from `tables.get` (free: the schema's fields and modes, `timePartitioning`,
//! `requirePartitionFilter`), contract columns the metadata lacks confirmed by
//! a dry run (free; the query engine decides whether courtside's queries run),
//! and a profile of a date window in one small partition-pruned query; and
//! the `setup --apply` statements, one job each.

use super::BigQuerySource;
use super::params::Params;
use crate::source::schema::Dialect;
use crate::source::setup_ddl::SetupStep;
use crate::source::table_shape::{
    FoundColumn, Partitioning, TableProfile, TableShape, date_column, vocabulary_columns,
};
use crate::source::tables::TableKind;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use gcp_bigquery_client::model::table::Table;
use gcp_bigquery_client::model::table_field_schema::TableFieldSchema;

/// A field's type as the DDL spells it (`INT64`, `ARRAY<STRING>`, `STRUCT`).
fn type_name(field: &TableFieldSchema) -> String {
    let raw = serde_json::to_value(&field.r#type)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default();
    let base = match raw.as_str() {
        "INTEGER" => "INT64",
        "FLOAT" => "FLOAT64",
        "BOOLEAN" => "BOOL",
        "RECORD" => "STRUCT",
        other => other,
    };
    if field.mode.as_deref() == Some("REPEATED") {
        format!("ARRAY<{base}>")
    } else {
        base.to_string()
    }
}

fn found_column(field: &TableFieldSchema) -> FoundColumn {
    FoundColumn {
        name: field.name.clone(),
        type_name: type_name(field),
        required: field.mode.as_deref() == Some("REQUIRED"),
    }
}

fn partitioning(table: &Table) -> Partitioning {
    if let Some(time) = &table.time_partitioning {
        let require_filter = table
            .require_partition_filter
            .or(time.require_partition_filter)
            .unwrap_or(false);
        Partitioning::ByTime {
            field: time.field.clone(),
            require_filter,
        }
    } else if let Some(range) = &table.range_partitioning {
        Partitioning::ByRange {
            field: range.field.clone().unwrap_or_default(),
        }
    } else {
        Partitioning::Unpartitioned
    }
}

/// A plain identifier (what the warehouse names a column), safe to quote.
fn plain(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A filter on the partitions that selects none: a dry run of the table
/// then passes `requirePartitionFilter` and reads nothing.
fn empty_partition_filter(shape: &TableShape) -> Option<String> {
    match &shape.partitioning {
        Partitioning::ByTime { field: None, .. } => {
            Some("_PARTITIONDATE = DATE '1900-01-01'".to_string())
        }
        Partitioning::ByTime {
            field: Some(field), ..
        } if plain(field) => {
            let is_date = shape.column(field).is_some_and(|c| c.type_name == "DATE");
            Some(if is_date {
                format!("`{field}` = DATE '1900-01-01'")
            } else {
                format!("DATE(`{field}`) = DATE '1900-01-01'")
            })
        }
        Partitioning::ByRange { field } if plain(field) => Some(format!("`{field}` = 0")),
        Partitioning::Unpartitioned => Some("FALSE".to_string()),
        _ => None,
    }
}

impl BigQuerySource {
    /// `table` as the warehouse has it, with the rows of `window` profiled.
    pub(super) async fn describe(
        &self,
        table: TableKind,
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<TableShape> {
        let name = table.table_name(&self.tables);
        let (project, dataset, table_id) = self.split(name)?;
        let mut shape = TableShape::missing(table, name.qualified(), Dialect::Bigquery);
        let Some(found) = self
            .transport
            .get_table(&project, &dataset, &table_id)
            .await
            .with_context(|| format!("reading the metadata of {}", name.qualified()))?
        else {
            return Ok(shape);
        };
        shape.exists = true;
        shape.partitioning = partitioning(&found);
        shape.columns = found
            .schema
            .fields
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(found_column)
            .collect();
        let lacks_some = table
            .columns()
            .iter()
            .any(|column| shape.column(column.name).is_none());
        if lacks_some && let Some(filter) = empty_partition_filter(&shape) {
            self.confirm_columns(&mut shape, &filter).await;
        }
        if let Some(window) = window
            && shape.column(date_column(table)).is_some()
        {
            match self.profile(&shape, window).await {
                Ok(profile) => shape.profile = Some(profile),
                Err(error) => shape.profile_error = Some(format!("{error:#}")),
            }
        }
        Ok(shape)
    }

    /// Adds the columns a dry run sees that the metadata did not list.
    async fn confirm_columns(&self, shape: &mut TableShape, filter: &str) {
        // A dry run reads and bills nothing; `*` here lists, it does not scan.
        let sql = format!("SELECT * FROM `{}` WHERE {filter} LIMIT 0", shape.name);
        match self.transport.dry_run_schema(&sql).await {
            Ok(fields) => {
                for field in &fields {
                    if shape.column(&field.name).is_none() {
                        shape.columns.push(found_column(field));
                    }
                }
            }
            Err(error) => tracing::warn!("{}: dry run failed: {error:#}", shape.name),
        }
    }

    /// Counts the rows of `window` by the vocabulary columns the table has.
    async fn profile(
        &self,
        shape: &TableShape,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Result<TableProfile> {
        let column = date_column(shape.table);
        let is_date = shape.column(column).is_some_and(|c| c.type_name == "DATE");
        let day = if is_date {
            format!("`{column}`")
        } else {
            format!("DATE(`{column}`)")
        };
        let vocabulary: Vec<&str> = vocabulary_columns(shape.table)
            .iter()
            .copied()
            .filter(|name| shape.column(name).is_some())
            .collect();
        let selected: String = vocabulary
            .iter()
            .enumerate()
            .map(|(index, name)| format!("CAST(`{name}` AS STRING) AS v{index}, "))
            .collect();
        let grouped = if vocabulary.is_empty() {
            String::new()
        } else {
            let positions: Vec<String> = (1..=vocabulary.len()).map(|i| i.to_string()).collect();
            format!(" GROUP BY {}", positions.join(", "))
        };
        // The name is the validated config's; the columns the contract's.
        let sql = format!(
            "SELECT {selected}COUNT(*) AS n, MAX({day}) AS latest FROM `{}` \
             WHERE {day} BETWEEN @from AND @to{grouped}",
            shape.name
        );
        let mut params = Params::new();
        params.date("from", Some(from)).date("to", Some(to));
        let rows = self.lookup(&sql, params).await?;
        let mut profile = TableProfile {
            from: Some(from),
            to: Some(to),
            ..TableProfile::default()
        };
        for row in rows.iter() {
            let count = row.u64("n")?;
            profile.rows += count;
            profile.latest = profile.latest.max(row.opt_date("latest")?);
            for (index, name) in vocabulary.iter().enumerate() {
                let value = row.opt_str(&format!("v{index}"))?;
                profile.add(name, value, count);
            }
        }
        profile.values.sort();
        Ok(profile)
    }

    /// Runs `steps`, one job each, in order.
    pub(super) async fn apply(&self, steps: &[SetupStep]) -> Result<()> {
        for step in steps {
            let statement = step.statement(Dialect::Bigquery, &self.tables);
            self.transport
                .query(&statement, Vec::new())
                .await
                .with_context(|| step.summary())?;
        }
        // The tables just changed: the columns kept of them are not theirs.
        if let Ok(mut kept) = self.metadata.columns.lock() {
            kept.clear();
        }
        Ok(())
    }
}
