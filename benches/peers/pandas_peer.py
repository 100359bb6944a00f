#!/usr/bin/env python3
"""The pandas peer: the same day metrics courtside computes, written the
straightforward way a data team would write them, over the same SQLite file.

    pandas_peer.py STORE --range 2025-04-15 2026-04-14   # every (system, date) of the range

Metrics (metrics.md sections 1-5, Rev. 3 rows: peer_rules.py): hit_rate_7d/
14d/30d with bets, beats-Vegas over 14 days on actual lines, Vegas MAE, model
MAE and mean error over 14 days, shot-zone completeness over 7 days,
predictions made. Prints one JSON object per (date, system) line and, on
stderr, the seconds it took.
"""

import argparse
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

from peer_rules import (ACTUAL_SOURCES, BET_KEY, BET_ORDER, EDGE, EDGE_SLACK,
                        PLAYER_GAME_COLUMNS, PREDICTION_COLUMNS)


def load(store):
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    predictions = pd.read_sql_query(
        f"SELECT {', '.join(PREDICTION_COLUMNS)} FROM prediction_accuracy", connection)
    games = pd.read_sql_query(
        f"SELECT {', '.join(PLAYER_GAME_COLUMNS)} FROM player_game_summary", connection)
    connection.close()
    predictions["game_date"] = pd.to_datetime(predictions["game_date"])
    games["game_date"] = pd.to_datetime(games["game_date"])
    return predictions, games


def one_bet(predictions):
    """One row per bet: only the keys with more than one row are sorted."""
    p = predictions
    repeated = p.duplicated(BET_KEY, keep=False)
    if not repeated.any():
        return p
    rows = p[repeated].copy()
    for flag in ("is_superseded_prediction", "is_voided"):
        rows[flag] = rows[flag].fillna(0)
    rows = rows.sort_values(
        BET_KEY + [column for column, _ in BET_ORDER],
        ascending=[True] * len(BET_KEY) + [not descending for _, descending in BET_ORDER],
        na_position="last",
    )
    chosen = rows.drop_duplicates(BET_KEY, keep="first")
    return pd.concat([p[~repeated], predictions.loc[chosen.index]])


def half_up(values):
    """Rounds non-negative values half away from zero (as Rust's and SQL's
    ROUND do; numpy's round goes half to even)."""
    floor = np.floor(values)
    return np.where(values - floor >= 0.5, floor + 1, floor)


def prepare(bets):
    p = bets
    graded = (
        (p["is_voided"].fillna(0) == 0)
        & (p["is_superseded_prediction"].fillna(0) == 0)
        & p["predicted_points"].notna()
        & p["actual_points"].notna()
    )
    g = p[graded].copy()
    g["error"] = (g["predicted_points"] - g["actual_points"]).abs()
    g["signed"] = g["predicted_points"] - g["actual_points"]
    actual = g["line_source"].isin(ACTUAL_SOURCES) | (
        g["line_source"].isna() & (g["has_prop_line"] == 1)
    )
    g["actual_line"] = actual & g["line_value"].notna()
    g["line_error"] = (g["line_value"] - g["actual_points"]).abs()
    g["beats"] = half_up(g["error"] * 10) < half_up(g["line_error"] * 10)
    g["bet"] = (
        g["recommendation"].isin(["OVER", "UNDER"])
        & g["line_value"].notna()
        & g["prediction_correct"].notna()
        & ((g["predicted_points"] - g["line_value"]).abs() >= EDGE - EDGE_SLACK)
    )
    g["hit"] = g["bet"] & (g["prediction_correct"] == 1)
    return g


def daily(graded, bets, games):
    """Per system and calendar day: the sums the windows add up."""
    g = graded.assign(
        lined=graded["actual_line"].astype(int),
        lined_beats=(graded["actual_line"] & graded["beats"]).astype(int),
        lined_error=np.where(graded["actual_line"], graded["line_error"], 0.0),
        bets=graded["bet"].astype(int),
        hits=graded["hit"].astype(int),
        rows=1,
    )
    sums = g.groupby(["system_id", "game_date"])[
        ["rows", "error", "signed", "lined", "lined_beats", "lined_error", "bets", "hits"]
    ].sum()
    made = bets.groupby(["system_id", "game_date"]).size().rename("made")
    first_days = bets.groupby("system_id")["game_date"].min()
    played = games[games["minutes_played"] > 0]
    quality = played.groupby("game_date").agg(
        games=("minutes_played", "size"),
        complete=("has_complete_shot_zones", lambda c: int((c == 1).sum())),
    )
    return sums, made, first_days, quality


def windows(sums, made, first_days, quality, first, last):
    calendar = pd.date_range(first - pd.Timedelta(days=29), last, freq="D")
    quality = quality.reindex(calendar, fill_value=0)
    week_quality = quality.rolling(7, min_periods=1).sum()
    for system, first_day in first_days.items():
        frame = (sums.xs(system, level="system_id") if system in sums.index.get_level_values(0)
                 else sums.iloc[0:0].droplevel("system_id"))
        frame = frame.reindex(calendar, fill_value=0)
        rolled = {days: frame.rolling(days, min_periods=1).sum() for days in (7, 14, 30)}
        system_made = made.xs(system, level="system_id").reindex(calendar, fill_value=0)
        answered = (calendar >= first) & (
            (system_made.to_numpy() > 0)
            | ((quality["games"].to_numpy() > 0) & (calendar >= first_day))
        )
        for day in calendar[answered]:
            out = {"game_date": day.strftime("%Y-%m-%d"), "system_id": system}
            for days in (7, 14, 30):
                window = rolled[days].loc[day]
                bets = int(window["bets"])
                out[f"bets_{days}d"] = bets
                out[f"hit_rate_{days}d"] = 100.0 * window["hits"] / bets if bets else None
            f = rolled[14].loc[day]
            lined = int(f["lined"])
            out["beats_vegas_n"] = lined
            out["model_beats_vegas_pct"] = 100.0 * f["lined_beats"] / lined if lined else None
            out["vegas_mae"] = f["lined_error"] / lined if lined else None
            out["model_mae"] = f["error"] / f["rows"] if f["rows"] else None
            out["model_mean_error"] = f["signed"] / f["rows"] if f["rows"] else None
            week = week_quality.loc[day]
            out["shot_zone_completeness"] = (
                100.0 * week["complete"] / week["games"] if week["games"] else None
            )
            out["predictions_made"] = int(system_made.loc[day])
            yield out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--range", nargs=2, required=True, metavar=("FROM", "TO"))
    args = parser.parse_args()
    started = time.perf_counter()
    predictions, games = load(args.store)
    bets = one_bet(predictions)
    graded = prepare(bets)
    sums, made, first_days, quality = daily(graded, bets, games)
    first, last = (pd.Timestamp(d) for d in args.range)
    for row in windows(sums, made, first_days, quality, first, last):
        print(json.dumps(row))
    print(f"pandas peer: {time.perf_counter() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
