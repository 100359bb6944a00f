"""The rules both peers (pandas_peer.py, duckdb_peer.py) share with
courtside's defaults, in one place: which rows count (metrics.md section 1,
Rev. 3), the bet, the line kinds, and which (system, date) pairs a range
answers. Owns no computation; the peers each write their own.

Which rows count: one bet per (system_id, player_lookup, game_id, game_date),
the row first in BET_ORDER (courtside's core/src/source/one_bet.rs); of the
chosen rows, those not voided, not superseded, with predicted and actual
points, are graded. predictions_made counts bets (chosen rows, graded or not).

Which (system, date) pairs: every date of the range on which the system has a
bet, and every game date (player-games with minutes_played > 0) from the
system's first date in prediction_accuracy on: a game date without bets is
an outage day, answered from the days before it, as courtside's backfill does.

Not done by the peers (courtside does them, at its own cost): the domain
checks that leave out a row holding an impossible number, player and
confidence tiers, baselines, CUSUM and every verdict.
"""

EDGE = 3.0
EDGE_SLACK = 1e-9

# config.md `line_sources` defaults; a null line_source is an actual line when
# has_prop_line, else estimated. Only actual lines count toward beats-Vegas.
ACTUAL_SOURCES = ("ACTUAL_PROP", "ODDS_API", "BETTINGPROS", "VEGAS_BACKFILL")

BET_KEY = ["system_id", "player_lookup", "game_id", "game_date"]

# (column, descending?) in the order that puts a bet's counted row first;
# NULL sorts last in a descending key. The two flags are read as 0 when null.
BET_ORDER = [
    ("is_superseded_prediction", False),
    ("graded_at", True),
    ("line_value", True),
    ("predicted_points", True),
    ("actual_points", True),
    ("recommendation", True),
    ("prediction_correct", True),
    ("confidence_decile", True),
    ("is_voided", False),
    ("line_source", True),
    ("feature_quality_score", True),
]

PREDICTION_COLUMNS = [
    "game_date", "system_id", "player_lookup", "game_id", "graded_at", "predicted_points",
    "actual_points", "line_value", "line_source", "has_prop_line", "recommendation",
    "prediction_correct", "confidence_decile", "is_voided", "is_superseded_prediction",
    "feature_quality_score",
]
PLAYER_GAME_COLUMNS = ["game_date", "minutes_played", "has_complete_shot_zones"]
