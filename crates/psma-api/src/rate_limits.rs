//! Request rate limits per client address and per household (GCRA, `governor`): a client or a
//! household over its budget gets 429 problem+json with `Retry-After` (ADR 0029).

use crate::settings::RateLimitSettings;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use psma_core::tenancy::TenantId;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Keys seen before the limiter forgets those whose budget is full again.
const FORGET_ABOVE: usize = 10_000;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// The API's rate limiters; each is off when not configured.
#[derive(Debug)]
pub struct RateLimits {
    per_ip: Option<Keyed<IpAddr>>,
    per_tenant: Option<Keyed<TenantId>>,
}

impl RateLimits {
    /// The limits `settings` ask for; `hosted` decides when `enabled` is unset.
    #[must_use]
    pub fn new(settings: &RateLimitSettings, hosted: bool) -> Self {
        if !settings.enabled.unwrap_or(hosted) {
            return Self::off();
        }
        Self {
            per_ip: quota(settings.per_ip_per_minute, settings.per_ip_burst)
                .map(RateLimiter::keyed),
            per_tenant: quota(settings.per_tenant_per_minute, settings.per_tenant_burst)
                .map(RateLimiter::keyed),
        }
    }

    /// No limits.
    #[must_use]
    pub fn off() -> Self {
        Self {
            per_ip: None,
            per_tenant: None,
        }
    }

    /// Counts a request from `ip`.
    ///
    /// # Errors
    /// [`psma_core::Error::Throttled`] when the address is over its budget.
    pub fn check_ip(&self, ip: IpAddr) -> psma_core::Result<()> {
        check(
            self.per_ip.as_ref(),
            &ip,
            "too many requests from this address",
        )
    }

    /// Counts a request of `tenant`.
    ///
    /// # Errors
    /// [`psma_core::Error::Throttled`] when the household is over its budget.
    pub fn check_tenant(&self, tenant: TenantId) -> psma_core::Result<()> {
        check(
            self.per_tenant.as_ref(),
            &tenant,
            "too many requests from this household",
        )
    }
}

/// `per_minute` sustained with `burst` more at once; `None` (no limit) for a zero rate.
fn quota(per_minute: u32, burst: u32) -> Option<Quota> {
    let rate = NonZeroU32::new(per_minute)?;
    let burst = NonZeroU32::new(burst.max(1))?;
    Some(Quota::per_minute(rate).allow_burst(burst))
}

fn check<K: Clone + Hash + Eq>(
    limiter: Option<&Keyed<K>>,
    key: &K,
    reason: &str,
) -> psma_core::Result<()> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    if limiter.len() > FORGET_ABOVE {
        limiter.retain_recent();
    }
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        psma_core::Error::Throttled {
            reason: reason.to_owned(),
            retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(enabled: Option<bool>) -> RateLimitSettings {
        RateLimitSettings {
            enabled,
            per_ip_per_minute: 60,
            per_ip_burst: 2,
            per_tenant_per_minute: 60,
            per_tenant_burst: 3,
        }
    }

    #[test]
    fn a_burst_then_429_with_a_wait_per_key() {
        let limits = RateLimits::new(&settings(Some(true)), false);
        let (a, b) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..2 {
            limits.check_ip(a).unwrap();
        }
        let Err(psma_core::Error::Throttled {
            retry_after_secs, ..
        }) = limits.check_ip(a)
        else {
            panic!("the third request at once is over the burst");
        };
        assert!((1..=2).contains(&retry_after_secs), "{retry_after_secs}");
        limits.check_ip(b).unwrap();
        let tenant = TenantId::generate();
        for _ in 0..3 {
            limits.check_tenant(tenant).unwrap();
        }
        assert!(limits.check_tenant(tenant).is_err());
    }

    #[test]
    fn limits_follow_the_mode_unless_set() {
        let ip = "192.0.2.1".parse().unwrap();
        let local = RateLimits::new(&settings(None), false);
        let forced_off = RateLimits::new(&settings(Some(false)), true);
        for _ in 0..10 {
            local.check_ip(ip).unwrap();
            forced_off.check_ip(ip).unwrap();
        }
        let hosted = RateLimits::new(&settings(None), true);
        assert!((0..10).any(|_| hosted.check_ip(ip).is_err()));
    }
}
