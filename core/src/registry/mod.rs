//! The experiment registry: the leaderboard read model over `ml_experiments`
//! (metrics.md section 10), YAML configs, comparisons, who changes what, the
//! promotion plan (guard rails, what is archived, the audit notes) and the
//! rollback plan that both sources execute and both front ends call, and
//! the changes awaiting approval.

pub mod actor;
pub mod audit_gaps;
pub mod compare;
pub mod experiment_config;
pub mod leaderboard;
pub mod lifecycle;
pub mod population;
pub mod promotion;
pub mod request;
pub mod results;
pub mod results_layout;
pub mod rollback;
