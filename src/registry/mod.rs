//! The experiment registry: the leaderboard read model over `ml_experiments`
//! (metrics.md section 10). Lifecycle changes arrive with the registry issue.

pub mod compare;
pub mod experiment_config;
pub mod leaderboard;
pub mod lifecycle;
