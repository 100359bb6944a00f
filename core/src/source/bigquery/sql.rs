//! The BigQuery statements, written once with the configured (validated)
//! table names quoted in. Values only ever arrive as `@parameters`; every
//! read of `prediction_accuracy` carries its required `game_date` filter.

use super::day_stats_sql;
use super::params::Params;
use crate::config::{TableName, TableNames};
use crate::model::diagnostics::DiagnosticsRow;
use crate::source::tables::TableKind;

/// The statements for one set of table names.
#[derive(Debug, Clone)]
pub struct Sql {
    pub day_stats: String,
    pub quality: String,
    pub latest_date: String,
    pub systems: String,
    pub history: String,
    pub backtest_rows: String,
    pub backtest_experiments: String,
    pub backtest_fingerprints: String,
    pub production_rows: String,
    pub experiments: String,
    pub events: String,
    pub status_of: String,
    pub promoted_for_target: String,
    pub insert_experiment: String,
    pub holders_of_name: String,
    pub trail_of: String,
    pub withdraw_experiment: String,
    pub backtest_count: String,
    pub transition: String,
    pub data_version: String,
    diagnostics: String,
    experiment_events: String,
}

/// A table reference as BigQuery wants it quoted.
fn quoted(name: &TableName) -> String {
    format!("`{}`", name.qualified())
}

/// The diagnostics columns courtside writes (`created_at` keeps its default).
fn diagnostics_columns() -> Vec<&'static str> {
    TableKind::Diagnostics.columns_except(&["created_at"])
}

/// Adds the parameters of one diagnostics row (`d{index}_{column}`).
pub fn diagnostics_params(params: &mut Params, index: usize, row: &DiagnosticsRow) {
    let name = |column: &str| format!("d{index}_{column}");
    params
        .date(&name("game_date"), Some(row.game_date))
        .timestamp(&name("computed_at"), Some(row.computed_at))
        .float(&name("vegas_mae_tier1"), row.vegas_mae_tier1)
        .float(&name("vegas_mae_tier2"), row.vegas_mae_tier2)
        .float(&name("vegas_mae_tier3"), row.vegas_mae_tier3)
        .float(&name("model_beats_vegas_pct"), row.model_beats_vegas_pct)
        .float(&name("sharpness_score"), row.sharpness_score)
        .string(&name("sharpness_status"), row.sharpness_status.as_deref())
        .float(&name("hit_rate_7d"), row.hit_rate_7d)
        .float(&name("hit_rate_14d"), row.hit_rate_14d)
        .float(&name("hit_rate_30d"), row.hit_rate_30d)
        .float(&name("model_mae"), row.model_mae)
        .float(&name("model_mean_error"), row.model_mean_error)
        .string(&name("bias_direction"), row.bias_direction.as_deref())
        .float(&name("drift_score"), row.drift_score)
        .string(&name("drift_severity"), row.drift_severity.as_deref())
        .float(&name("shot_zone_completeness"), row.shot_zone_completeness)
        .int(&name("predictions_made"), row.predictions_made)
        .int(&name("predictions_graded"), row.predictions_graded)
        .float(&name("feature_quality_avg"), row.feature_quality_avg)
        .float(&name("vegas_mae_baseline"), row.vegas_mae_baseline)
        .float(&name("hit_rate_baseline"), row.hit_rate_baseline)
        .float(&name("sharpness_vs_baseline"), row.sharpness_vs_baseline)
        .string(&name("primary_cause"), row.primary_cause.as_deref())
        .float(&name("cause_confidence"), row.cause_confidence)
        .string(
            &name("contributing_factors"),
            row.contributing_factors
                .as_ref()
                .filter(|v| !v.is_null())
                .map(|v| v.to_string())
                .as_deref(),
        )
        .bool(&name("alert_triggered"), Some(row.alert_triggered))
        .string(&name("alert_level"), Some(&row.alert_level))
        .string(&name("alert_message"), row.alert_message.as_deref())
        .string(&name("system_id"), row.system_id.as_deref())
        .float(&name("coverage"), row.coverage)
        .int(&name("missing_dates_7d"), row.missing_dates_7d)
        .float(&name("cusum_stat"), row.cusum_stat)
        .float(&name("cusum_threshold"), row.cusum_threshold)
        .bool(&name("cusum_alarm"), row.cusum_alarm);
}

/// The history read of the diagnostics table (quoted as `diagnostics`) with
/// each of courtside's added columns in `missing` read as a typed NULL (the
/// team's table lacks them; a row without `system_id` is the legacy system's).
pub fn history_sql(diagnostics: &str, missing: &[&str]) -> String {
    let list: Vec<String> = diagnostics_columns()
        .into_iter()
        .map(|column| {
            let added = crate::source::presence::DIAGNOSTICS_ADDED
                .iter()
                .find(|(name, _)| *name == column && missing.contains(name));
            match added {
                Some((name, kind)) => format!("CAST(NULL AS {kind}) AS {name}"),
                None => column.to_string(),
            }
        })
        .collect();
    let system = if missing.contains(&"system_id") {
        "CAST(NULL AS STRING)"
    } else {
        "system_id"
    };
    format!(
        "SELECT {} FROM {diagnostics}
         WHERE game_date BETWEEN @from AND @to
           AND (@system IS NULL OR IFNULL({system}, @legacy) = @system)
         ORDER BY game_date, {system}",
        list.join(", ")
    )
}

impl Sql {
    /// [`history_sql`] on this source's diagnostics table.
    pub fn history_without(&self, missing: &[&str]) -> String {
        history_sql(&self.diagnostics, missing)
    }

    pub fn new(tables: &TableNames) -> Sql {
        let pa = quoted(&tables.prediction_accuracy);
        let pgs = quoted(&tables.player_game_summary);
        let diagnostics = quoted(&tables.diagnostics);
        let experiments = quoted(&tables.experiments);
        let events = quoted(&tables.experiment_events);
        let backtest = quoted(&tables.backtest_predictions);
        let experiment_columns = TableKind::Experiments.column_list();
        // Events of one statement share their time: they follow the
        // lifecycle (registered, started, finished, promoted, archived).
        let lifecycle = "CASE from_status WHEN 'pending' THEN 1 WHEN 'running' THEN 2 \
                         WHEN 'completed' THEN 3 WHEN 'failed' THEN 3 WHEN 'promoted' THEN 4 \
                         WHEN 'archived' THEN 5 ELSE 0 END";
        Sql {
            day_stats: day_stats_sql::day_stats(&pa, &pgs),
            quality: day_stats_sql::quality(&pgs),
            // The latest *valid* date: none after today plus future_days,
            // none from a row holding a number outside its domain.
            latest_date: format!(
                "SELECT MAX(game_date) AS latest FROM {pa}
                 WHERE game_date >= @since AND game_date <= @not_after
                   AND (@system IS NULL OR system_id = @system)
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                   AND {prediction_outside} IS NULL",
                prediction_outside = day_stats_sql::prediction_outside()
            ),
            // Each system of the window with its latest graded date: the
            // system list and the latest dates from one pruned scan.
            systems: format!(
                "SELECT system_id,
                        MAX(IF(predicted_points IS NOT NULL AND actual_points IS NOT NULL
                                 AND {prediction_outside} IS NULL,
                               game_date, NULL)) AS latest
                 FROM {pa}
                 WHERE game_date >= @since AND game_date <= @not_after
                   AND system_id IS NOT NULL
                 GROUP BY system_id
                 ORDER BY system_id",
                prediction_outside = day_stats_sql::prediction_outside()
            ),
            history: history_sql(&diagnostics, &[]),
            backtest_rows: format!(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        CAST(NULL AS BOOL) AS has_prop_line, recommendation, prediction_correct
                 FROM {backtest}
                 WHERE experiment_id = @id
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                 ORDER BY game_date, player_lookup, game_id"
            ),
            backtest_experiments: format!(
                "SELECT DISTINCT experiment_id FROM {backtest} ORDER BY experiment_id"
            ),
            // metrics.md section 16: counts, and SHA-256 over the distinct
            // keys in code point order, each `player TAB game NEWLINE`.
            backtest_fingerprints: format!(
                "WITH counts AS (
                   SELECT experiment_id, COUNT(*) AS n_rows, COUNT(DISTINCT game_date) AS dates,
                          -- Real lines as the configured line_sources list them.
                          AVG(IF(line_source IN UNNEST(@actual_sources), 1.0, 0.0)) AS actual_share,
                          MIN(game_date) AS first_date, MAX(game_date) AS last_date
                   FROM {backtest} GROUP BY experiment_id),
                 keys AS (
                   SELECT DISTINCT experiment_id, player_lookup, game_id FROM {backtest}),
                 hashes AS (
                   SELECT experiment_id,
                          TO_HEX(SHA256(STRING_AGG(CONCAT(player_lookup, '\\t', game_id, '\\n'), ''
                                                  ORDER BY player_lookup, game_id))) AS key_hash
                   FROM keys GROUP BY experiment_id)
                 SELECT c.experiment_id, c.n_rows, c.dates, c.actual_share, c.first_date,
                        c.last_date, h.key_hash
                 FROM counts c JOIN hashes h ON h.experiment_id = c.experiment_id
                 ORDER BY c.experiment_id"
            ),
            // One row per bet (`source::one_bet`), then section 1's filters.
            production_rows: format!(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        has_prop_line, recommendation, prediction_correct
                 FROM (SELECT player_lookup, game_id, game_date, predicted_points, line_value,
                              line_source, has_prop_line, recommendation, prediction_correct,
                              actual_points, is_voided, is_superseded_prediction,
                              {copy} AS copy
                       FROM {pa}
                       WHERE game_date BETWEEN @from AND @to AND system_id = @system
                         AND {prediction_outside} IS NULL)
                 WHERE copy = 1
                   AND NOT IFNULL(is_voided, FALSE)
                   AND NOT IFNULL(is_superseded_prediction, FALSE)
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                 ORDER BY game_date, player_lookup, game_id",
                copy = crate::source::one_bet::copy_number(),
                prediction_outside = day_stats_sql::prediction_outside()
            ),
            experiments: format!(
                "SELECT {experiment_columns} FROM {experiments}
                 ORDER BY created_at DESC, experiment_name"
            ),
            events: format!(
                "SELECT experiment_id, `at`, actor, from_status, to_status, note FROM {events}
                 WHERE (@id IS NULL OR experiment_id = @id)
                   AND experiment_id IN (SELECT experiment_id FROM {experiments})
                 ORDER BY `at`, IF(to_status = 'archived' AND from_status = 'promoted', 1, 0),
                          experiment_id, {lifecycle}"
            ),
            status_of: format!("SELECT status FROM {experiments} WHERE experiment_id = @id"),
            promoted_for_target: format!(
                "SELECT experiment_id FROM {experiments}
                 WHERE status = 'promoted' AND experiment_id <> @id
                   AND IFNULL(JSON_VALUE(config_json, '$.target_system'), @production) = @target
                 ORDER BY experiment_id"
            ),
            insert_experiment: format!(
                "INSERT INTO {experiments} ({experiment_columns})
                 SELECT @id, @name, @hypothesis, @type, @tags, PARSE_JSON(@config),
                        IF(@train_set, STRUCT(@train_start AS start_date, @train_end AS end_date,
                                              @train_samples AS samples), NULL),
                        IF(@eval_set, STRUCT(@eval_start AS start_date, @eval_end AS end_date,
                                             @eval_samples AS samples), NULL),
                        PARSE_JSON(@results), @model_path, @git_commit, @parent, @status,
                        @created_at, @completed_at, @created_by
                 FROM (SELECT 1)
                 WHERE NOT EXISTS (SELECT 1 FROM {experiments}
                                   WHERE experiment_id = @id OR experiment_name = @name)"
            ),
            // Who holds a name (and whether the id is taken), the first
            // registered first: the one a name means.
            holders_of_name: format!(
                "SELECT experiment_id FROM {experiments}
                 WHERE experiment_name = @name OR experiment_id = @id
                 ORDER BY created_at, experiment_id"
            ),
            trail_of: format!(
                "SELECT experiment_id, `at`, actor, from_status, to_status, note FROM {events}
                 WHERE experiment_id = @id ORDER BY `at`, {lifecycle}"
            ),
            // A registration that lost a race for its name (two INSERTs that
            // both passed their guard) takes its own row back.
            withdraw_experiment: format!(
                "DELETE FROM {experiments} WHERE experiment_id = @id AND created_at = @created_at"
            ),
            backtest_count: format!(
                "SELECT COUNT(*) AS n FROM {backtest}
                 WHERE experiment_id = @id AND game_date BETWEEN @from AND @to"
            ),
            // The change applies only while the status is still @from; a
            // promotion only while the experiments promoted for the target are
            // exactly @archives (its plan), and archives them in the same
            // statement. So the statement changes all it planned or nothing,
            // and the events written after it are exactly its changes.
            transition: format!(
                "UPDATE {experiments}
                 SET status = IF(experiment_id = @id, @to, 'archived'),
                     completed_at = IF(experiment_id = @id AND @finished, @at, completed_at),
                     results_json = IF(experiment_id = @id AND @results IS NOT NULL,
                                       PARSE_JSON(@results), results_json),
                     model_path = IF(experiment_id = @id, IFNULL(@model_path, model_path),
                                     model_path)
                 WHERE ((experiment_id = @id AND status = @from)
                        OR (@promoting AND status = 'promoted'
                            AND experiment_id IN UNNEST(@archives)))
                   AND EXISTS (SELECT 1 FROM {experiments}
                               WHERE experiment_id = @id AND status = @from)
                   AND (NOT @promoting OR (
                        NOT EXISTS (SELECT 1 FROM {experiments}
                                    WHERE status = 'promoted' AND experiment_id <> @id
                                      AND IFNULL(JSON_VALUE(config_json, '$.target_system'),
                                                 @production) = @target
                                      AND experiment_id NOT IN UNNEST(@archives))
                        AND (SELECT COUNT(*) FROM {experiments}
                             WHERE status = 'promoted' AND experiment_id IN UNNEST(@archives))
                            = ARRAY_LENGTH(@archives)))"
            ),
            data_version: format!(
                "SELECT (SELECT COUNT(*) FROM {pa} WHERE game_date >= @since) AS predictions,
                        (SELECT MAX(graded_at) FROM {pa} WHERE game_date >= @since) AS last_graded,
                        (SELECT COUNT(*) FROM {pgs} WHERE game_date >= @since) AS player_games"
            ),
            diagnostics,
            experiment_events: events,
        }
    }

    /// A MERGE of `rows` diagnostics rows (parameters from [`diagnostics_params`]):
    /// each (date, system) row replaced, never duplicated. For each index in
    /// `legacy` (rows of the legacy system) a marker row with no system
    /// deletes that date's legacy row without a system, in the same MERGE:
    /// each target row matches one source row at most. The target is read
    /// only in the partitions `@merge_from ..= @merge_to` (the rows' dates).
    pub fn merge_diagnostics(&self, rows: usize, legacy: &[usize]) -> String {
        let columns = diagnostics_columns();
        let select = |index: usize, marker: bool| {
            let values: Vec<String> = columns
                .iter()
                .map(|column| {
                    let parameter = format!("@d{index}_{column}");
                    match *column {
                        "system_id" if marker => format!("CAST(NULL AS STRING) AS {column}"),
                        "contributing_factors" => format!("PARSE_JSON({parameter}) AS {column}"),
                        _ => format!("{parameter} AS {column}"),
                    }
                })
                .collect();
            format!("SELECT {}, {marker} AS drop_legacy", values.join(", "))
        };
        let selects: Vec<String> = (0..rows)
            .map(|index| select(index, false))
            .chain(legacy.iter().map(|index| select(*index, true)))
            .collect();
        let updates: Vec<String> = columns
            .iter()
            .filter(|column| !matches!(**column, "game_date" | "system_id"))
            .map(|column| format!("{column} = S.{column}"))
            .collect();
        let values: Vec<String> = columns.iter().map(|column| format!("S.{column}")).collect();
        let columns = columns.join(", ");
        format!(
            "MERGE {} T USING ({}) S
             ON T.game_date BETWEEN @merge_from AND @merge_to
                AND T.game_date = S.game_date AND IFNULL(T.system_id, '') = IFNULL(S.system_id, '')
             WHEN MATCHED AND S.drop_legacy THEN DELETE
             WHEN MATCHED THEN UPDATE SET {}
             WHEN NOT MATCHED AND NOT S.drop_legacy THEN INSERT ({columns}) VALUES ({})",
            self.diagnostics,
            selects.join(" UNION ALL "),
            updates.join(", "),
            values.join(", ")
        )
    }

    /// An INSERT of `count` audit events (parameters `e{index}_…`), each
    /// only when the trail has no event of that experiment, time and status
    /// yet: a statement retried after its answer was lost writes nothing
    /// twice.
    pub fn insert_events(&self, count: usize) -> String {
        let rows: Vec<String> = (0..count)
            .map(|i| {
                format!(
                    "SELECT @e{i}_id AS experiment_id, @e{i}_at AS `at`, @e{i}_actor AS actor, \
                     @e{i}_from AS from_status, @e{i}_to AS to_status, @e{i}_note AS note"
                )
            })
            .collect();
        format!(
            "INSERT INTO {events} (experiment_id, `at`, actor, from_status, to_status, note)
             SELECT experiment_id, `at`, actor, from_status, to_status, note
             FROM ({}) AS e
             WHERE NOT EXISTS (SELECT 1 FROM {events} AS x
                               WHERE x.experiment_id = e.experiment_id AND x.`at` = e.`at`
                                 AND x.to_status = e.to_status)",
            rows.join(" UNION ALL "),
            events = self.experiment_events,
        )
    }

    /// Every row of a table, explicit columns, in key order.
    pub fn export<'a>(
        &self,
        table: &TableName,
        columns: impl Iterator<Item = &'a str>,
        filter: Option<&str>,
        order: &[&str],
    ) -> String {
        let columns: Vec<String> = columns.map(|c| format!("`{c}`")).collect();
        let order: Vec<String> = order.iter().map(|c| format!("`{c}`")).collect();
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        let order = if order.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", order.join(", "))
        };
        format!(
            "SELECT {} FROM {}{filter}{order}",
            columns.join(", "),
            quoted(table)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_of_prediction_accuracy_filters_its_partition() {
        let sql = Sql::new(&TableNames::default());
        let table = "`nba_predictions.prediction_accuracy`";
        for text in [
            &sql.day_stats,
            &sql.latest_date,
            &sql.systems,
            &sql.production_rows,
            &sql.data_version,
        ] {
            let reads: Vec<&str> = text.split(table).skip(1).collect();
            assert!(!reads.is_empty(), "{text}");
            for read in reads {
                // The clause right after the table is the partition filter.
                let clause: String = read
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    clause == "WHERE game_date BETWEEN"
                        || clause == "WHERE game_date >="
                        || clause == "WHERE game_date >",
                    "`{clause}` in {text}"
                );
            }
        }
    }

    #[test]
    fn statements_use_parameters_and_quoted_names_only() {
        let sql = Sql::new(&TableNames::default());
        let merge = sql.merge_diagnostics(2, &[0]);
        assert!(merge.contains("@d1_system_id AS system_id"));
        // Row 0 is the legacy system's: a marker without a system deletes
        // the date's legacy row.
        assert!(merge.contains("CAST(NULL AS STRING) AS system_id"));
        assert_eq!(merge.matches("true AS drop_legacy").count(), 1);
        assert!(merge.contains("WHEN MATCHED AND S.drop_legacy THEN DELETE"));
        assert!(merge.contains("PARSE_JSON(@d0_contributing_factors)"));
        assert!(merge.starts_with("MERGE `nba_orchestration.performance_diagnostics_daily`"));
        for text in [&sql.day_stats, &sql.quality, &sql.history, &sql.experiments] {
            assert!(!text.contains("SELECT *") && !text.contains(".*"), "{text}");
            // A parameter's name in a comment is bound as one by some
            // engines (the emulator's rewriter does).
            for line in text
                .lines()
                .filter(|line| line.trim_start().starts_with("--"))
            {
                assert!(!line.contains('@'), "{line}");
            }
        }
        assert!(
            sql.insert_events(2)
                .contains("SELECT @e1_id AS experiment_id, @e1_at AS `at`")
        );
    }
}
