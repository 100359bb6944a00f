//! Runs the shared Splits and Versus statements (`source::pushdown`) on
//! BigQuery: typed named parameters, the configured tables quoted in, the
//! answers read by column name.

use super::BigQuerySource;
use super::decode::Record;
use super::params::Params;
use crate::model::splits::BucketCounts;
use crate::model::versus::PairCounts;
use crate::source::pushdown::{self, Cells, PairQuery, SplitsQuery, SqlValue, Statement, Tables};
use anyhow::{Result, anyhow};

impl Cells for Record<'_> {
    fn text(&self, column: &str) -> Result<String> {
        Ok(self.opt_str(column)?.unwrap_or_default())
    }

    fn count(&self, column: &str) -> Result<u64> {
        Ok(self.opt_i64(column)?.map_or(Ok(0), u64::try_from)?)
    }

    fn float(&self, column: &str) -> Result<f64> {
        Ok(self.opt_f64(column)?.unwrap_or(0.0))
    }
}

fn params_of(statement: &Statement) -> Params {
    let mut params = Params::new();
    for (name, value) in &statement.params {
        match value {
            SqlValue::Text(text) => params.string(name, Some(text)),
            SqlValue::Float(number) => params.float(name, Some(*number)),
            SqlValue::Date(date) => params.date(name, Some(*date)),
        };
    }
    params
}

impl BigQuerySource {
    fn pushdown_tables(&self) -> Tables {
        let quoted = |name: &crate::config::TableName| format!("`{}`", name.qualified());
        Tables {
            prediction_accuracy: quoted(&self.tables.prediction_accuracy),
            backtest_predictions: quoted(&self.tables.backtest_predictions),
            line_snapshots: quoted(&self.tables.line_snapshots),
        }
    }

    pub(super) async fn query_split_counts(
        &self,
        query: &SplitsQuery,
    ) -> Result<Vec<BucketCounts>> {
        let statement = pushdown::splits(&self.pushdown_tables(), query);
        let rows = self.rows(&statement.sql, params_of(&statement)).await?;
        rows.iter()
            .map(|record| pushdown::bucket_counts(&record, query))
            .collect()
    }

    pub(super) async fn query_clv_bets(
        &self,
        query: &crate::source::clv_sql::ClvQuery,
    ) -> Result<Option<Vec<crate::model::clv::ClvBetRow>>> {
        use crate::source::clv_sql;
        let statement = clv_sql::closes(&self.pushdown_tables(), query);
        let Some(rows) = self
            .optional_rows(
                &self.tables.line_snapshots,
                statement.sql.clone(),
                params_of(&statement),
            )
            .await?
        else {
            return Ok(None);
        };
        let answer = rows
            .iter()
            .map(|record| clv_sql::answer_row(&record))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(clv_sql::gather(answer)))
    }

    pub(super) async fn query_pair_counts(&self, query: &PairQuery) -> Result<PairCounts> {
        let statement = pushdown::pairs(&self.pushdown_tables(), query);
        let rows = self.rows(&statement.sql, params_of(&statement)).await?;
        if rows.is_empty() && self.transport.dry_running() {
            // A dry run answers with its estimate only.
            return Ok(PairCounts::default());
        }
        let record = rows
            .iter()
            .next()
            .ok_or_else(|| anyhow!("the pair query returned no row"))?;
        pushdown::pair_counts(&record)
    }
}
