//! The embedded store's population fingerprints of the backtests
//! (metrics.md section 16): rows, dates, the real-line share by the
//! configured `line_sources`, and the hash of the keys.

use super::store::EmbeddedStore;
use anyhow::Result;

impl EmbeddedStore {
    pub(super) async fn read_fingerprints(
        &self,
        line_sources: &crate::model::LineSources,
    ) -> Result<Vec<crate::model::fingerprint::Fingerprint>> {
        // Real lines as the configured line_sources list them.
        let actual = serde_json::to_string(&line_sources.actual)?;
        self.blocking(move |connection| {
                let mut counts = connection.prepare(
                    "SELECT experiment_id, COUNT(*), COUNT(DISTINCT game_date),
                        AVG(CASE WHEN line_source IN (SELECT value FROM json_each(?1)) THEN 1.0 ELSE 0.0 END),
                        MIN(game_date), MAX(game_date)
                 FROM backtest_predictions GROUP BY experiment_id ORDER BY experiment_id",
                )?;
                let mut fingerprints = counts
                    .query_map([&actual], |row| {
                        Ok(crate::model::fingerprint::Fingerprint {
                            experiment_id: row.get(0)?,
                            rows: row.get::<_, i64>(1)?.max(0) as u64,
                            dates: row.get::<_, i64>(2)?.max(0) as u64,
                            actual_line_share: row.get(3)?,
                            first_date: row
                                .get::<_, Option<String>>(4)?
                                .and_then(|d| d.parse().ok()),
                            last_date: row
                                .get::<_, Option<String>>(5)?
                                .and_then(|d| d.parse().ok()),
                            keys: String::new(),
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                // The keys in byte order (SQLite's BINARY collation is UTF-8
                // byte order, as BigQuery's string order is code point order).
                let mut keys = connection.prepare(
                "SELECT DISTINCT experiment_id, player_lookup, game_id FROM backtest_predictions
                 ORDER BY experiment_id, player_lookup, game_id",
            )?;
                let mut rows = keys.query([])?;
                let mut current: Option<(String, Vec<(String, String)>)> = None;
                let mut finish = |id: String, list: Vec<(String, String)>| {
                    let hash = crate::model::fingerprint::key_hash(
                        list.iter().map(|(p, g)| (p.as_str(), g.as_str())),
                    );
                    if let Some(f) = fingerprints.iter_mut().find(|f| f.experiment_id == id) {
                        f.keys = hash;
                    }
                };
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    let key = (row.get::<_, String>(1)?, row.get::<_, String>(2)?);
                    match &mut current {
                        Some((open, list)) if *open == id => list.push(key),
                        _ => {
                            if let Some((done, list)) = current.take() {
                                finish(done, list);
                            }
                            current = Some((id, vec![key]));
                        }
                    }
                }
                if let Some((done, list)) = current.take() {
                    finish(done, list);
                }
                Ok(fingerprints)
            })
            .await
    }
}
