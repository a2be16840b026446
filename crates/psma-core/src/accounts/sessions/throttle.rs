//! Throttling sign-in per account (ASVS 5.0 V6.3.1): after a few failures each further one
//! doubles the wait before the next attempt, and after many the account is locked for a while
//! (or until an administrator unlocks it).

use chrono::{DateTime, Duration, Utc};

/// The throttle's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures allowed before any wait (a person mistyping).
    pub free_failures: u32,
    /// The first wait; each later failure doubles it.
    pub base_delay: Duration,
    /// The longest back-off wait.
    pub max_delay: Duration,
    /// Failures in a row that lock the account.
    pub lockout_after: u32,
    /// How long a lockout lasts.
    pub lockout: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            free_failures: 3,
            base_delay: Duration::seconds(1),
            max_delay: Duration::minutes(5),
            lockout_after: 10,
            lockout: Duration::minutes(15),
        }
    }
}

/// What one more failure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Penalty {
    /// Failures in a row, this one included.
    pub failures: u32,
    /// Until when sign-in is refused, if at all.
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether this failure locked the account.
    pub lockout: bool,
}

impl LoginThrottle {
    /// The penalty for a failure at `now` after `previous` failures in a row.
    #[must_use]
    pub fn after_failure(&self, previous: u32, now: DateTime<Utc>) -> Penalty {
        let failures = previous.saturating_add(1);
        if failures >= self.lockout_after {
            return Penalty {
                failures,
                locked_until: Some(now + self.lockout),
                lockout: failures == self.lockout_after,
            };
        }
        let over = failures.saturating_sub(self.free_failures);
        let locked_until = (over > 0).then(|| {
            let factor = 1_i32 << (over - 1).min(20);
            let delay = self
                .base_delay
                .checked_mul(factor)
                .unwrap_or(self.max_delay)
                .min(self.max_delay);
            now + delay
        });
        Penalty {
            failures,
            locked_until,
            lockout: false,
        }
    }

    /// Seconds left before `locked_until`, rounded up, if it is still ahead of `now`.
    #[must_use]
    pub fn wait(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<u64> {
        let left = locked_until? - now;
        (left > Duration::zero()).then(|| {
            let millis = u64::try_from(left.num_milliseconds()).unwrap_or(0);
            millis.div_ceil(1000).max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn a_few_failures_cost_nothing_then_the_wait_doubles_then_the_account_locks() {
        let t = LoginThrottle::default();
        let waits: Vec<Option<i64>> = (0..10)
            .map(|previous| {
                t.after_failure(previous, now())
                    .locked_until
                    .map(|u| (u - now()).num_seconds())
            })
            .collect();
        assert_eq!(
            waits,
            [
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(32),
                Some(900)
            ]
        );
        assert!(t.after_failure(9, now()).lockout);
        assert!(!t.after_failure(10, now()).lockout, "counted once");
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_and_never_exceeds_the_lockout(previous in 0_u32..1000) {
            let t = LoginThrottle::default();
            let wait = |p| t.after_failure(p, now()).locked_until.map_or(0, |u| (u - now()).num_seconds());
            prop_assert!(wait(previous) <= wait(previous + 1));
            prop_assert!(wait(previous) <= t.lockout.num_seconds().max(t.max_delay.num_seconds()));
        }
    }

    #[test]
    fn the_wait_is_rounded_up_and_gone_once_passed() {
        let later = now() + Duration::milliseconds(1500);
        assert_eq!(LoginThrottle::wait(Some(later), now()), Some(2));
        assert_eq!(LoginThrottle::wait(Some(now()), now()), None);
        assert_eq!(LoginThrottle::wait(None, now()), None);
    }
}
