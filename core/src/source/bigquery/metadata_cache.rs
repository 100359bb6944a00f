//! What the BigQuery source keeps of tables' metadata: each table's columns
//! and the model registry's rows, with when they were read.

use crate::source::model_registry::RegistryModel;
use std::time::{Duration, Instant};

/// How long a table's columns (and the registry's rows) are reused: a
/// dashboard left open sees `setup --apply` within a minute.
pub(super) const METADATA_TTL: Duration = Duration::from_secs(60);

/// A table's columns (`None`: no such table) as read at an instant.
type KeptColumns = (String, Instant, Option<Vec<String>>);

/// What the source keeps of tables' metadata.
#[derive(Default)]
pub(super) struct Metadata {
    pub(super) columns: std::sync::Mutex<Vec<KeptColumns>>,
    pub(super) registry: std::sync::Mutex<Option<(Instant, Option<Vec<RegistryModel>>)>>,
}
