//! Stable identities for facts: the natural key's hash (which fact this is) and the content
//! hash (what it says).

use super::Fact;
use crate::text::{ShowKey, SourceId};
use chrono::DateTime;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Which fact this is, stable across refreshes: a hash of the source and the fact's natural
/// key (for an availability: show, service, country, monetization and start). Two runs of a
/// provider over unchanged data yield the same keys; PSMA's stored versions of a fact each get
/// an id of their own.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(into = "String", try_from = "String")]
#[schemars(with = "String")]
pub struct FactKey(pub u128);

/// What a fact says, apart from when it was retrieved: equal hashes mean an unchanged fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentHash(pub u128);

macro_rules! hex_display {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:032x}", self.0)
            }
        }

        impl $name {
            /// Parses the 32 hex digits [`fmt::Display`] writes.
            #[must_use]
            pub fn parse(hex: &str) -> Option<Self> {
                if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u128::from_str_radix(hex, 16).ok().map(Self)
            }
        }
    };
}
hex_display!(FactKey);
hex_display!(ContentHash);

impl From<FactKey> for String {
    fn from(id: FactKey) -> Self {
        id.to_string()
    }
}

impl TryFrom<String> for FactKey {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value).ok_or_else(|| format!("`{value}` is not 32 hex digits"))
    }
}

/// Separates the parts of a key; no checked text may contain it (it is a control character).
const SEP: &[u8] = b"\x1f";

fn first_128_bits(digest: &[u8]) -> u128 {
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes)
}

fn key_hash(source: &SourceId, kind: &str, parts: &[&str]) -> FactKey {
    let mut hasher = Sha256::new();
    hasher.update(b"psma-fact-id/v1");
    for part in [source.as_str(), kind].iter().chain(parts) {
        hasher.update(SEP);
        hasher.update(part.as_bytes());
    }
    FactKey(first_128_bits(&hasher.finalize()))
}

/// The key of `source`'s identity fact for `show`: how the other facts about a show find it.
#[must_use]
pub fn identity_fact_key(source: &SourceId, show: &ShowKey) -> FactKey {
    key_hash(source, "show_identity", &[show.as_str()])
}

impl Fact {
    /// This fact's stable key (see [`FactKey`]).
    #[must_use]
    pub fn key(&self) -> FactKey {
        let source = &self.provenance().source_id;
        match self {
            Self::ShowIdentity(f) => identity_fact_key(source, &f.show),
            Self::Availability(f) => {
                let from = f.available_from.map(|d| d.to_string()).unwrap_or_default();
                key_hash(
                    source,
                    "availability",
                    &[
                        f.show.as_str(),
                        f.service_id.as_str(),
                        f.country.as_str(),
                        f.monetization.as_str(),
                        &from,
                    ],
                )
            }
            Self::Episode(f) => key_hash(
                source,
                "episode",
                &[
                    f.show.as_str(),
                    &f.season.to_string(),
                    &f.number.to_string(),
                ],
            ),
            Self::ServiceBehavior(f) => {
                key_hash(source, "service_behavior", &[f.service_id.as_str()])
            }
            Self::Price(f) => key_hash(
                source,
                "price",
                &[f.service_id.as_str(), f.country.as_str(), f.tier.as_str()],
            ),
        }
    }

    /// The hash of everything this fact says except `retrieved_at` (see [`ContentHash`]).
    #[must_use]
    pub fn content_hash(&self) -> ContentHash {
        let mut timeless = self.clone();
        timeless.provenance_mut().retrieved_at = DateTime::UNIX_EPOCH;
        timeless_hash(&timeless)
    }

    /// [`Self::content_hash`] without copying the fact: `retrieved_at` is set aside while the
    /// fact is written out for hashing, then put back. The same hash, without copying every
    /// text of every fact a large import hashes.
    #[must_use]
    pub fn content_hash_in_place(&mut self) -> ContentHash {
        let retrieved_at = std::mem::replace(
            &mut self.provenance_mut().retrieved_at,
            DateTime::UNIX_EPOCH,
        );
        let hash = timeless_hash(self);
        self.provenance_mut().retrieved_at = retrieved_at;
        hash
    }
}

/// The hash of a fact whose `retrieved_at` is already the epoch.
fn timeless_hash(fact: &Fact) -> ContentHash {
    thread_local! {
        // One buffer per thread for the bytes hashed: a large batch hashes a million facts.
        static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BYTES.with_borrow_mut(|bytes| {
        bytes.clear();
        // Serialising a fact cannot fail (no maps with non-string keys, no non-finite floats
        // that validation would let through); an empty body still hashes deterministically.
        if serde_json::to_writer(&mut *bytes, fact).is_err() {
            bytes.clear();
        }
        ContentHash(first_128_bits(&Sha256::digest(bytes.as_slice())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_in_place_gives_the_same_hash_and_keeps_the_fact() {
        let mut fact: Fact = serde_json::from_value(serde_json::json!({
            "kind": "availability",
            "provenance": {"source_id": "demo", "retrieved_at": "2026-11-01T08:30:00Z", "confidence": 0.8},
            "show": "s1", "service_id": "netflix", "country": "US",
            "available_from": "2026-01-01", "monetization": "flatrate"
        }))
        .unwrap();
        let before = fact.clone();
        let copied = fact.content_hash();
        assert_eq!(fact.content_hash_in_place(), copied);
        assert_eq!(fact, before, "retrieved_at is put back");

        // retrieved_at is not part of what the fact says; anything else is.
        fact.provenance_mut().retrieved_at = DateTime::UNIX_EPOCH;
        assert_eq!(fact.content_hash_in_place(), copied);
        fact.provenance_mut().confidence = 0.5;
        assert_ne!(fact.content_hash_in_place(), copied);
    }
}
