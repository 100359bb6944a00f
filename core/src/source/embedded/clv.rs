//! The embedded store's read of closing line value (metrics.md section 18):
//! the shared statement of [`crate::source::clv_sql`]; a store without the
//! line snapshot table reads as "no snapshots" (`None`).

use super::optional::columns_of;
use super::pushdown;
use super::store::EmbeddedStore;
use crate::model::clv::ClvBetRow;
use crate::source::clv_sql::{self, ClvQuery};
use anyhow::Result;

impl EmbeddedStore {
    pub(super) async fn read_clv_bets(&self, query: &ClvQuery) -> Result<Option<Vec<ClvBetRow>>> {
        let statement = clv_sql::closes(&super::local_tables(), query);
        self.blocking(move |connection| {
            if columns_of(connection, "odds_api_player_points_props")?.is_none() {
                return Ok(None);
            }
            let rows = pushdown::run(connection, &statement, clv_sql::answer_row)?;
            Ok(Some(clv_sql::gather(rows)))
        })
        .await
    }
}
