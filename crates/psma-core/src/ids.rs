//! Typed ids: UUIDv7, so they sort by creation time.

use chrono::{DateTime, Utc};
use std::sync::Mutex;
use uuid::{ContextV7, Timestamp, Uuid};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7) from the machine's clock.
            #[must_use]
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use id_type;

/// Hands out UUIDv7s stamped with a given instant (the use case's `now`, not the machine's),
/// strictly increasing within the sequence: records written together sort in the order they
/// were made, and "since" queries can compare ids with times.
#[derive(Debug)]
pub struct IdSequence {
    at: DateTime<Utc>,
    context: Mutex<ContextV7>,
}

impl IdSequence {
    /// A sequence for records made at `at`.
    #[must_use]
    pub fn at(at: DateTime<Utc>) -> Self {
        Self {
            at,
            context: Mutex::new(ContextV7::new()),
        }
    }

    /// The next id.
    #[must_use]
    pub fn next(&self) -> Uuid {
        let context = self
            .context
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let seconds = u64::try_from(self.at.timestamp()).unwrap_or(0);
        let stamp = Timestamp::from_unix(&*context, seconds, self.at.timestamp_subsec_nanos());
        Uuid::new_v7(stamp)
    }
}

/// The smallest UUIDv7 an id made at or after `at` can have: `id >= floor(at)` narrows a
/// "since" query to an index range.
#[must_use]
pub fn v7_floor(at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &[0; 10]).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_sequence_is_strictly_increasing_and_stamped_with_its_instant() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let seq = IdSequence::at(at);
        let ids: Vec<Uuid> = (0..1000).map(|_| seq.next()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids[0] >= v7_floor(at));
        assert!(ids[999] < v7_floor(at + chrono::Duration::seconds(1)));
    }
}
