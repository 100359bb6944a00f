#!/usr/bin/env python3
"""The pandas peer: the same day metrics courtside computes, written the
straightforward way a data team would write them, over the same SQLite file.

    pandas_peer.py STORE --dates 2026-01-20,2026-02-10,2026-03-15   # three dates, JSON
    pandas_peer.py STORE --range 2025-04-15 2026-04-14              # every game date, every system

Metrics (metrics.md sections 1-5): hit_rate_7d/14d/30d with bets, beats-Vegas
over 14 days on actual lines, vegas MAE, model MAE and mean error over 14
days, shot-zone completeness over 7 days, predictions made. Prints one JSON
object per (date, system) line and, on stderr, the seconds it took.
"""

import argparse
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

EDGE = 3.0
BREAK_EVEN = 110 / 210


def load(store):
    connection = sqlite3.connect(store)
    predictions = pd.read_sql_query(
        "SELECT game_date, system_id, player_lookup, predicted_points, actual_points, line_value,"
        " line_source, has_prop_line, recommendation, prediction_correct, is_voided,"
        " is_superseded_prediction FROM prediction_accuracy",
        connection,
    )
    games = pd.read_sql_query(
        "SELECT game_date, minutes_played, has_complete_shot_zones FROM player_game_summary",
        connection,
    )
    connection.close()
    predictions["game_date"] = pd.to_datetime(predictions["game_date"])
    games["game_date"] = pd.to_datetime(games["game_date"])
    return predictions, games


def prepare(predictions):
    p = predictions
    graded = (
        (p["is_voided"].fillna(0) == 0)
        & (p["is_superseded_prediction"].fillna(0) == 0)
        & p["predicted_points"].notna()
        & p["actual_points"].notna()
    )
    g = p[graded].copy()
    g["error"] = (g["predicted_points"] - g["actual_points"]).abs()
    g["signed"] = g["predicted_points"] - g["actual_points"]
    actual = (g["line_source"] == "ACTUAL_PROP") | (
        g["line_source"].isna() & (g["has_prop_line"] == 1)
    )
    g["actual_line"] = actual & g["line_value"].notna()
    g["line_error"] = (g["line_value"] - g["actual_points"]).abs()
    g["beats"] = np.round(g["error"] * 10) < np.round(g["line_error"] * 10)
    g["bet"] = (
        g["recommendation"].isin(["OVER", "UNDER"])
        & g["line_value"].notna()
        & g["prediction_correct"].notna()
        & ((g["predicted_points"] - g["line_value"]).abs() >= EDGE - 1e-9)
    )
    g["hit"] = g["bet"] & (g["prediction_correct"] == 1)
    return g


def daily(graded, predictions, games):
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
    made = predictions.groupby(["system_id", "game_date"]).size().rename("made")
    played = games[games["minutes_played"] > 0]
    quality = played.groupby("game_date").agg(
        games=("minutes_played", "size"),
        complete=("has_complete_shot_zones", lambda c: int((c == 1).sum())),
    )
    return sums, made, quality


def windows(sums, made, quality, first, last):
    calendar = pd.date_range(first - pd.Timedelta(days=29), last, freq="D")
    quality = quality.reindex(calendar, fill_value=0)
    week_quality = quality.rolling(7, min_periods=1).sum()
    for system, frame in sums.groupby(level="system_id"):
        frame = frame.droplevel("system_id").reindex(calendar, fill_value=0)
        rolled = {days: frame.rolling(days, min_periods=1).sum() for days in (7, 14, 30)}
        system_made = made.get(system, pd.Series(dtype=float))
        for day in frame.index[(frame.index >= first) & (frame["rows"] > 0)]:
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
            out["predictions_made"] = int(system_made.get(day, 0))
            yield out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--dates")
    parser.add_argument("--range", nargs=2)
    args = parser.parse_args()
    started = time.perf_counter()
    predictions, games = load(args.store)
    graded = prepare(predictions)
    sums, made, quality = daily(graded, predictions, games)
    if args.dates:
        wanted = {pd.Timestamp(d) for d in args.dates.split(",")}
        first, last = min(wanted), max(wanted)
    else:
        wanted = None
        first, last = (pd.Timestamp(d) for d in args.range)
    for row in windows(sums, made, quality, first, last):
        if wanted is None or pd.Timestamp(row["game_date"]) in wanted:
            print(json.dumps(row))
    print(f"pandas peer: {time.perf_counter() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
