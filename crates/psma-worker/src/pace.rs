//! The providers' rate limits, kept with `governor` (GCRA).
//!
//! One limiter per provider for the life of the process, so back-to-back refreshes share the
//! budget. Bursts are one request: a limit of 20 per 10 s then never lets more than about 20
//! through in any 10 s window, where a burst of 20 would let 40 through in the first.

use async_trait::async_trait;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use psma_core::catalog::Pace;
use psma_plugin_sdk::RateLimit;
use psma_plugin_sdk::text::SourceId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Paces each provider to its declared rate limit.
#[derive(Debug, Default)]
pub struct GovernorPace {
    limiters: Mutex<HashMap<(SourceId, RateLimitKey), Arc<DefaultDirectRateLimiter>>>,
}

/// A limit as a map key (the spec's type is not `Hash`).
type RateLimitKey = (u32, u32);

impl GovernorPace {
    fn limiter(
        &self,
        provider: &SourceId,
        limit: RateLimit,
    ) -> Option<Arc<DefaultDirectRateLimiter>> {
        let period =
            Duration::from_secs(u64::from(limit.per_secs)).checked_div(limit.requests.max(1))?;
        let quota = Quota::with_period(period)?;
        let mut limiters = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        Some(Arc::clone(
            limiters
                .entry((provider.clone(), (limit.requests, limit.per_secs)))
                .or_insert_with(|| Arc::new(RateLimiter::direct(quota))),
        ))
    }
}

#[async_trait]
impl Pace for GovernorPace {
    async fn ready(&self, provider: &SourceId, limit: Option<RateLimit>) {
        if let Some(limiter) = limit.and_then(|limit| self.limiter(provider, limit)) {
            limiter.until_ready().await;
        }
    }

    async fn back_off(&self, _provider: &SourceId, wait: Duration) {
        tokio::time::sleep(wait).await;
    }
}
