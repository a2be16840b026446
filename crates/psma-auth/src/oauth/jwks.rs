//! An OpenID Connect provider's signing keys (its JWKS), fetched when needed and kept by
//! `kid`: fetched again after an hour, or sooner when a token names a key not yet seen (the
//! provider rotated), but not more than once a minute, so forged `kid`s cannot make PSMA
//! hammer the provider.

use super::http::fetch;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, KeyAlgorithm, PublicKeyUse};
use psma_core::Error;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a fetched key set is trusted.
const MAX_AGE: Duration = Duration::from_secs(3600);
/// The shortest time between two fetches for an unknown `kid`.
const MIN_REFETCH: Duration = Duration::from_secs(60);

/// The keys of one provider.
pub(super) struct KeyCache {
    name: String,
    url: String,
    http: reqwest::Client,
    state: Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

impl KeyCache {
    pub(super) fn new(name: &str, url: String, http: reqwest::Client) -> Self {
        Self {
            name: name.to_owned(),
            url,
            http,
            state: Mutex::new(Cached::default()),
        }
    }

    /// The RSA signing key `kid` names.
    ///
    /// # Errors
    /// `Upstream` when the key set cannot be fetched or read; `Unauthenticated` when the
    /// provider does not publish `kid`.
    pub(super) async fn key(&self, kid: &str) -> psma_core::Result<DecodingKey> {
        // Held across the fetch: concurrent sign-ins wait for one fetch instead of each making
        // their own.
        let mut cached = self.state.lock().await;
        let age = cached.fetched_at.map(|t| t.elapsed());
        let stale = age.is_none_or(|a| a > MAX_AGE);
        let unknown = !cached.keys.contains_key(kid);
        if stale || (unknown && age.is_none_or(|a| a > MIN_REFETCH)) {
            cached.keys = self.fetch().await?;
            cached.fetched_at = Some(Instant::now());
        }
        cached.keys.get(kid).cloned().ok_or_else(|| {
            Error::Unauthenticated(format!(
                "the ID token names a signing key ({}) that {} does not publish",
                kid.chars().take(64).collect::<String>(),
                self.name
            ))
        })
    }

    async fn fetch(&self) -> psma_core::Result<HashMap<String, DecodingKey>> {
        let name = &self.name;
        let answer = fetch(self.http.get(&self.url))
            .await
            .map_err(|e| Error::Upstream(format!("{name}'s key set: {e}")))?;
        if !answer.status.is_success() {
            return Err(Error::Upstream(format!(
                "{name}'s key set answered {}",
                answer.status
            )));
        }
        let set: JwkSet = serde_json::from_slice(&answer.body)
            .map_err(|_| Error::Upstream(format!("{name}'s key set is not a JWK set")))?;
        let keys: HashMap<String, DecodingKey> = set
            .keys
            .iter()
            .filter(|jwk| matches!(jwk.algorithm, AlgorithmParameters::RSA(_)))
            .filter(|jwk| {
                jwk.common
                    .public_key_use
                    .as_ref()
                    .is_none_or(|u| *u == PublicKeyUse::Signature)
                    && jwk
                        .common
                        .key_algorithm
                        .is_none_or(|a| a == KeyAlgorithm::RS256)
            })
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                DecodingKey::from_jwk(jwk).ok().map(|key| (kid, key))
            })
            .collect();
        if keys.is_empty() {
            return Err(Error::Upstream(format!(
                "{name}'s key set has no RS256 signing key"
            )));
        }
        Ok(keys)
    }
}
