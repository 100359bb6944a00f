//! What BigQuery keeps of the registry for the since-promotion marks
//! (metrics.md section 19): every fetch (each `watch` round, each dashboard
//! load) asks which experiment is promoted and since when, and the answer
//! changes only with a promotion. Kept `PROMOTIONS_TTL`, and forgotten
//! whenever this source writes the registry itself, so its own promotion
//! shows at once and another process's within the TTL.

use super::BigQuerySource;
use super::metadata_cache::PROMOTIONS_TTL;
use crate::source::{PromotionHistory, read_promotion_history};
use anyhow::Result;
use std::time::Instant;

impl BigQuerySource {
    /// The registry's rows and events for the marks, kept `PROMOTIONS_TTL`.
    pub(super) async fn kept_promotion_history(&self) -> Result<PromotionHistory> {
        if let Ok(kept) = self.metadata.promotions.lock()
            && let Some((at, history)) = kept.as_ref()
            && at.elapsed() < PROMOTIONS_TTL
        {
            return Ok(history.clone());
        }
        let history = read_promotion_history(self).await?;
        if let Ok(mut kept) = self.metadata.promotions.lock() {
            *kept = Some((Instant::now(), history.clone()));
        }
        Ok(history)
    }

    /// Forgets the kept history (this source has written the registry).
    pub(super) fn forget_promotions(&self) {
        if let Ok(mut kept) = self.metadata.promotions.lock() {
            *kept = None;
        }
    }
}
