#!/usr/bin/env python3
"""The DuckDB peer: the pandas peer's figures (same rules: peer_rules.py),
with the SQLite file read into Arrow through ADBC (adbc_driver_sqlite) and
aggregated by DuckDB in SQL over the Arrow tables.

    duckdb_peer.py STORE --range 2025-04-15 2026-04-14   # every (system, date) of the range

DuckDB's own sqlite_scanner extension is downloaded at first use, which this
machine cannot do; ADBC is the registry-installable way from SQLite into
DuckDB. Prints one JSON object per (date, system) line, as the pandas peer
does, and on stderr the seconds it took (load and SQL apart).
"""

import argparse
import json
import math
import sys
import time

import adbc_driver_sqlite.dbapi as adbc_sqlite
import duckdb

from peer_rules import (ACTUAL_SOURCES, BET_KEY, BET_ORDER, EDGE, EDGE_SLACK,
                        PLAYER_GAME_COLUMNS, PREDICTION_COLUMNS)


def read_arrow(connection, table, columns):
    """The whole table as one Arrow batch: the SQLite driver infers each
    column's type from the rows of a batch, so one batch sees them all (a
    column null in a first small batch would be typed INT64 and fail on its
    first string)."""
    cursor = connection.cursor()
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    rows = cursor.fetchone()[0]
    cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(max(rows, 1))})
    cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
    arrow = cursor.fetch_arrow_table()
    cursor.close()
    return arrow


def order_sql():
    keys = []
    for column, descending in BET_ORDER:
        if column in ("is_superseded_prediction", "is_voided"):
            keys.append(f"COALESCE({column}, 0)")
        else:
            keys.append(f"{column} {'DESC' if descending else 'ASC'} NULLS LAST")
    return ", ".join(keys)


def quoted(values):
    return ", ".join(f"'{v}'" for v in values)


DAY_SQL = """
WITH chosen AS (
  SELECT *, CAST(game_date AS DATE) AS day
  FROM predictions
  QUALIFY ROW_NUMBER() OVER (PARTITION BY {bet_key} ORDER BY {order}) = 1
),
made AS (
  SELECT system_id, day, COUNT(*) AS made FROM chosen GROUP BY system_id, day
),
first_days AS (
  SELECT system_id, MIN(day) AS first_day FROM chosen GROUP BY system_id
),
graded AS (
  SELECT system_id, day, prediction_correct,
         predicted_points - actual_points AS signed,
         ABS(predicted_points - actual_points) AS error,
         ABS(line_value - actual_points) AS line_error,
         line_value IS NOT NULL
           AND (line_source IN ({actual_sources})
                OR (line_source IS NULL AND COALESCE(has_prop_line, 0) = 1)) AS actual_line,
         recommendation IN ('OVER', 'UNDER') AND line_value IS NOT NULL
           AND prediction_correct IS NOT NULL
           AND ABS(predicted_points - line_value) >= {edge} AS bet
  FROM chosen
  WHERE COALESCE(is_voided, 0) = 0 AND COALESCE(is_superseded_prediction, 0) = 0
    AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
),
sums AS (
  SELECT system_id, day, COUNT(*) AS n, SUM(error) AS error, SUM(signed) AS signed,
         COUNT(*) FILTER (WHERE actual_line) AS lined,
         COUNT(*) FILTER (WHERE actual_line AND ROUND(error * 10) < ROUND(line_error * 10))
           AS lined_beats,
         COALESCE(SUM(line_error) FILTER (WHERE actual_line), 0) AS lined_error,
         COUNT(*) FILTER (WHERE bet) AS bets,
         COUNT(*) FILTER (WHERE bet AND prediction_correct = 1) AS hits
  FROM graded GROUP BY system_id, day
),
quality AS (
  SELECT CAST(game_date AS DATE) AS day, COUNT(*) AS games,
         COUNT(*) FILTER (WHERE has_complete_shot_zones = 1) AS complete
  FROM player_games WHERE minutes_played > 0 GROUP BY 1
),
calendar AS (
  SELECT CAST(range AS DATE) AS day
  FROM range(DATE '{first}' - INTERVAL 29 DAY, DATE '{last}' + INTERVAL 1 DAY, INTERVAL 1 DAY)
),
daily AS (
  SELECT f.system_id, c.day, f.first_day,
         COALESCE(s.n, 0) AS n, COALESCE(s.error, 0) AS error, COALESCE(s.signed, 0) AS signed,
         COALESCE(s.lined, 0) AS lined, COALESCE(s.lined_beats, 0) AS lined_beats,
         COALESCE(s.lined_error, 0) AS lined_error, COALESCE(s.bets, 0) AS bets,
         COALESCE(s.hits, 0) AS hits, COALESCE(m.made, 0) AS made,
         COALESCE(q.games, 0) AS games, COALESCE(q.complete, 0) AS complete
  FROM first_days f CROSS JOIN calendar c
  LEFT JOIN sums s ON s.system_id = f.system_id AND s.day = c.day
  LEFT JOIN made m ON m.system_id = f.system_id AND m.day = c.day
  LEFT JOIN quality q ON q.day = c.day
),
windowed AS (
  SELECT system_id, day, first_day, made, games AS day_games,
         SUM(bets) OVER w7 AS bets_7d, SUM(hits) OVER w7 AS hits_7d,
         SUM(bets) OVER w14 AS bets_14d, SUM(hits) OVER w14 AS hits_14d,
         SUM(bets) OVER w30 AS bets_30d, SUM(hits) OVER w30 AS hits_30d,
         SUM(lined) OVER w14 AS lined, SUM(lined_beats) OVER w14 AS lined_beats,
         SUM(lined_error) OVER w14 AS lined_error, SUM(n) OVER w14 AS n,
         SUM(error) OVER w14 AS error, SUM(signed) OVER w14 AS signed,
         SUM(games) OVER w7 AS games_7d, SUM(complete) OVER w7 AS complete_7d
  FROM daily
  WINDOW w7 AS (PARTITION BY system_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
         w14 AS (PARTITION BY system_id ORDER BY day ROWS BETWEEN 13 PRECEDING AND CURRENT ROW),
         w30 AS (PARTITION BY system_id ORDER BY day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)
)
SELECT strftime(day, '%Y-%m-%d') AS game_date, system_id,
       bets_7d, 100.0 * hits_7d / NULLIF(bets_7d, 0) AS hit_rate_7d,
       bets_14d, 100.0 * hits_14d / NULLIF(bets_14d, 0) AS hit_rate_14d,
       bets_30d, 100.0 * hits_30d / NULLIF(bets_30d, 0) AS hit_rate_30d,
       lined AS beats_vegas_n,
       100.0 * lined_beats / NULLIF(lined, 0) AS model_beats_vegas_pct,
       lined_error / NULLIF(lined, 0) AS vegas_mae,
       error / NULLIF(n, 0) AS model_mae,
       signed / NULLIF(n, 0) AS model_mean_error,
       100.0 * complete_7d / NULLIF(games_7d, 0) AS shot_zone_completeness,
       made AS predictions_made
FROM windowed
WHERE day >= DATE '{first}' AND (made > 0 OR (day_games > 0 AND day >= first_day))
ORDER BY system_id, day
"""

COUNTS = {"bets_7d", "bets_14d", "bets_30d", "beats_vegas_n", "predictions_made"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--range", nargs=2, required=True, metavar=("FROM", "TO"))
    args = parser.parse_args()
    started = time.perf_counter()
    with adbc_sqlite.connect(f"file:{args.store}?mode=ro") as connection:
        predictions = read_arrow(connection, "prediction_accuracy", PREDICTION_COLUMNS)
        player_games = read_arrow(connection, "player_game_summary", PLAYER_GAME_COLUMNS)
    loaded = time.perf_counter()
    db = duckdb.connect()
    db.register("predictions", predictions)
    db.register("player_games", player_games)
    sql = DAY_SQL.format(
        bet_key=", ".join(BET_KEY), order=order_sql(), actual_sources=quoted(ACTUAL_SOURCES),
        edge=repr(EDGE - EDGE_SLACK), first=args.range[0], last=args.range[1])
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        for name, value in row.items():
            if name in COUNTS:
                row[name] = int(value)
            elif isinstance(value, float) and math.isnan(value):
                row[name] = None
        print(json.dumps(row))
    done = time.perf_counter()
    print(f"duckdb peer: {done - started:.2f} s (ADBC read {loaded - started:.2f} s, "
          f"DuckDB {done - loaded:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
