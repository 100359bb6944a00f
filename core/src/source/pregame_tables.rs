//! The columns of the pre-game and market tables and the team's model
//! registry (data-contract.md Rev. 3): optional tables courtside reads for
//! game day, specified like the others in [`super::tables`].

use super::column_spec::{Column, ColumnKind, opt, req};
use ColumnKind::{Bool, Date, Float64, Int64, Numeric, String as Str, Timestamp};

pub(super) const MODEL_REGISTRY: [Column; 15] = [
    req("model_id", Str),
    opt("model_version", Str),
    opt("model_type", Str),
    opt("model_family", Str),
    opt("status", Str),
    opt("is_production", Bool),
    opt("enabled", Bool),
    opt("evaluation_hit_rate", Float64),
    opt("training_start_date", Date),
    opt("training_end_date", Date),
    opt("experiment_id", Str),
    opt("git_commit", Str),
    opt("created_at", Timestamp),
    opt("created_by", Str),
    opt("notes", Str),
];

pub(super) const PLAYER_PROP_PREDICTIONS: [Column; 14] = [
    req("prediction_id", Str),
    req("system_id", Str),
    req("player_lookup", Str),
    req("game_date", Date),
    opt("game_id", Str),
    opt("predicted_points", Numeric),
    opt("confidence_score", Numeric),
    opt("recommendation", Str),
    opt("current_points_line", Numeric),
    opt("line_source", Str),
    req("is_active", Bool),
    opt("invalidation_reason", Str),
    req("created_at", Timestamp),
    opt("predicted_at", Timestamp),
];

pub(super) const SCHEDULE: [Column; 6] = [
    req("game_id", Str),
    req("game_date", Date),
    opt("game_date_est", Timestamp),
    opt("game_status", Int64),
    opt("home_team_tricode", Str),
    opt("away_team_tricode", Str),
];

pub(super) const LINE_SNAPSHOTS: [Column; 12] = [
    req("player_lookup", Str),
    req("game_date", Date),
    req("bookmaker", Str),
    req("snapshot_timestamp", Timestamp),
    opt("game_id", Str),
    opt("game_start_time", Timestamp),
    opt("minutes_before_tipoff", Int64),
    req("points_line", Float64),
    opt("over_price", Float64),
    opt("under_price", Float64),
    opt("over_price_american", Int64),
    opt("under_price_american", Int64),
];

pub(super) const SLATE_CONTEXT: [Column; 10] = [
    req("player_lookup", Str),
    req("game_id", Str),
    req("game_date", Date),
    opt("team_abbr", Str),
    opt("opponent_team_abbr", Str),
    opt("has_prop_line", Bool),
    opt("current_points_line", Numeric),
    opt("opening_points_line", Numeric),
    opt("player_status", Str),
    opt("is_production_ready", Bool),
];
