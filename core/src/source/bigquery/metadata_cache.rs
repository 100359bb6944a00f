//! What the BigQuery source keeps of tables' metadata: each table's columns
//! the model registry's rows and one refresh's read of the predictions
//! table, with when they were read; and the data version a refresh's views
//! share (`data_version.rs` reads it).

use crate::source::model_registry::RegistryModel;
use std::time::{Duration, Instant};

/// How long a table's columns (and the registry's rows) are reused: a
/// dashboard left open sees `setup --apply` within a minute.
pub(super) const METADATA_TTL: Duration = Duration::from_secs(60);

/// How long one read of `player_prop_predictions` (physically
/// unpartitioned: every read scans it whole) serves the other reads of the
/// same refresh: the dashboard's panels, `watch`'s systems of one round.
pub(super) const PREDICTIONS_TTL: Duration = Duration::from_secs(20);

/// How long the registry read for the since-promotion marks is reused: 2
/// queries (at least 20 MB billed) once in 5 minutes instead of at every
/// fetch.
pub(super) const PROMOTIONS_TTL: Duration = Duration::from_secs(5 * 60);

/// The predictions' groups up to a date (`None`: no such table), as read at an instant.
pub(super) type KeptPredictions = (
    Instant,
    chrono::NaiveDate,
    Option<Vec<crate::source::game_day::PredictedGroup>>,
);

/// A table's columns (`None`: no such table) as read at an instant.
type KeptColumns = (String, Instant, Option<Vec<String>>);

/// What the source keeps of tables' metadata.
#[derive(Default)]
pub(super) struct Metadata {
    pub(super) columns: std::sync::Mutex<Vec<KeptColumns>>,
    pub(super) registry: std::sync::Mutex<Option<(Instant, Option<Vec<RegistryModel>>)>>,
    pub(super) predictions: std::sync::Mutex<Option<KeptPredictions>>,
    /// The registry read for the since-promotion marks (`promotions.rs`).
    pub(super) promotions: std::sync::Mutex<Option<(Instant, crate::source::PromotionHistory)>>,
}

/// How long one answer serves every view of a refresh.
const SHARED_FOR: Duration = Duration::from_secs(2);

/// How often the billed back-up query runs on a long-open dashboard.
const QUERY_EVERY: Duration = Duration::from_secs(15 * 60);

/// The last answers (the shared one, and the back-up query's) and how
/// long each serves.
pub(super) struct KeptVersion {
    pub(super) shared: Option<(Instant, Option<String>)>,
    pub(super) queried: Option<(Instant, Option<String>)>,
    /// The metadata the back-up query last ran with.
    pub(super) metadata: Option<String>,
    pub(super) shared_for: Duration,
    pub(super) query_every: Duration,
}

impl Default for KeptVersion {
    fn default() -> Self {
        KeptVersion {
            shared: None,
            queried: None,
            metadata: None,
            shared_for: SHARED_FOR,
            query_every: QUERY_EVERY,
        }
    }
}
