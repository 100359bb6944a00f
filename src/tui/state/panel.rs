//! One panel's data as the dashboard holds it: the last good value, when it
//! arrived, the fetch in flight and the last error.

use chrono::{DateTime, Utc};

/// One panel's data: the last good value, when it arrived, the fetch in
/// flight and the last error (shown in place, the data kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel<T> {
    pub data: Option<T>,
    pub loaded_at: Option<DateTime<Utc>>,
    pub pending: Option<u64>,
    pub error: Option<String>,
}

impl<T> Panel<T> {
    pub(crate) fn loaded(data: T, at: DateTime<Utc>) -> Self {
        Panel {
            data: Some(data),
            loaded_at: Some(at),
            pending: None,
            error: None,
        }
    }

    /// The source had not changed: the data on screen is current as of `at`.
    pub(crate) fn unchanged(&mut self, at: DateTime<Utc>) {
        self.pending = None;
        self.loaded_at = Some(at);
        self.error = None;
    }

    /// The fetch failed: keep the last good data, show the error.
    pub(crate) fn failed(&mut self, error: String) {
        self.pending = None;
        self.error = Some(error);
    }
}

impl<T> Default for Panel<T> {
    fn default() -> Self {
        Panel {
            data: None,
            loaded_at: None,
            pending: None,
            error: None,
        }
    }
}
