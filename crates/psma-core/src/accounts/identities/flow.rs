//! A sign-in through a provider between its start and its callback: the secrets that bind it
//! to one browser, and what is stored of it (digests only).
//!
//! Two random secrets make a flow: the `state` (sent to the provider and back in the URL) and
//! the `binding` (kept by the browser in a cookie, never in a URL). The PKCE verifier and the
//! OpenID Connect nonce are derived from both, so the store holds nothing that could finish a
//! sign-in: a copy of the database and a stolen authorization code are not enough without the
//! browser's cookie.

use crate::accounts::sessions::TokenDigest;
use crate::ports::Entropy;
use crate::tenancy::TenantId;
use crate::tenant_token::TokenHash;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

use super::types::ProviderName;

/// Random bytes in the state and in the binding secret (256 bits each).
const SECRET_BYTES: usize = 32;

/// The secrets of one flow. `Debug` hides them.
#[derive(Clone, PartialEq, Eq)]
pub struct FlowSecrets {
    state: String,
    binding: String,
}

impl FlowSecrets {
    /// New secrets from `entropy`.
    ///
    /// # Errors
    /// As [`Entropy::fill`].
    pub fn generate(entropy: &dyn Entropy) -> crate::Result<Self> {
        let random = || -> crate::Result<String> {
            let mut bytes = [0_u8; SECRET_BYTES];
            entropy.fill(&mut bytes)?;
            Ok(hex::encode(bytes))
        };
        Ok(Self {
            state: random()?,
            binding: random()?,
        })
    }

    /// The secrets a callback presents: the state from the URL, the binding from the cookie.
    #[must_use]
    pub fn presented(state: &str, binding: &str) -> Self {
        Self {
            state: state.to_owned(),
            binding: binding.to_owned(),
        }
    }

    /// The `state` parameter.
    #[must_use]
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The browser-binding secret (the cookie's value).
    #[must_use]
    pub fn binding(&self) -> &str {
        &self.binding
    }

    /// What is stored to find the flow by its state.
    #[must_use]
    pub fn state_digest(&self) -> TokenDigest {
        TokenDigest::of(&self.state)
    }

    /// What is stored to check the browser's cookie.
    #[must_use]
    pub fn binding_digest(&self) -> TokenDigest {
        TokenDigest::of(&self.binding)
    }

    /// The PKCE code verifier (RFC 7636): 64 hex digits, within its 43 to 128 unreserved
    /// characters.
    #[must_use]
    pub fn pkce_verifier(&self) -> String {
        self.derive("pkce-verifier")
    }

    /// The OpenID Connect nonce the ID token must carry.
    #[must_use]
    pub fn nonce(&self) -> String {
        self.derive("oidc-nonce")
    }

    fn derive(&self, purpose: &str) -> String {
        let mut hash = Sha256::new();
        for part in ["psma-oauth", purpose, &self.binding, &self.state] {
            // Length-prefixed, so no two different inputs hash alike.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        hex::encode(hash.finalize())
    }
}

impl fmt::Debug for FlowSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FlowSecrets(***)")
    }
}

/// The invitation a flow was started with: where to find it and the SHA-256 of its secret,
/// never the token itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationRef {
    /// The inviting household.
    pub tenant_id: TenantId,
    /// The hash of the invitation's secret.
    pub hash: TokenHash,
}

/// A started flow as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    /// Its id.
    pub id: Uuid,
    /// The provider it was started with; the callback must name the same.
    pub provider: ProviderName,
    /// The digest of its state.
    pub state: TokenDigest,
    /// The digest of its browser-binding secret.
    pub binding: TokenDigest,
    /// The invitation presented at the start, if any.
    pub invitation: Option<InvitationRef>,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// Until when it can be finished (once).
    pub expires_at: DateTime<Utc>,
}

/// What a provider needs to build its authorization URL.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The `state` to send.
    pub state: String,
    /// The PKCE verifier whose S256 challenge to send.
    pub pkce_verifier: String,
    /// The nonce to send (OpenID Connect providers).
    pub nonce: String,
}

/// What a provider needs to exchange an authorization code for a verified identity.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeExchange {
    /// The authorization code from the callback.
    pub code: String,
    /// The PKCE verifier of the flow.
    pub pkce_verifier: String,
    /// The nonce the ID token must carry (OpenID Connect providers).
    pub nonce: String,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationRequest(***)")
    }
}

impl fmt::Debug for CodeExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeExchange(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::OsEntropy;

    #[test]
    fn derived_secrets_need_both_the_state_and_the_browser_secret() {
        let flow = FlowSecrets::generate(&OsEntropy).unwrap();
        assert_eq!(flow.state().len(), 64);
        assert_eq!(flow.binding().len(), 64);
        let again = FlowSecrets::presented(flow.state(), flow.binding());
        assert_eq!(again.pkce_verifier(), flow.pkce_verifier());
        assert_eq!(again.nonce(), flow.nonce());
        assert_eq!(again.binding_digest(), flow.binding_digest());
        let other_browser = FlowSecrets::presented(flow.state(), &"0".repeat(64));
        assert_ne!(other_browser.pkce_verifier(), flow.pkce_verifier());
        assert_ne!(other_browser.nonce(), flow.nonce());
        assert_ne!(flow.nonce(), flow.pkce_verifier());
        let verifier = flow.pkce_verifier();
        assert!((43..=128).contains(&verifier.len()));
        assert!(!format!("{flow:?}").contains(flow.state()));
    }

    #[test]
    fn two_flows_share_nothing() {
        let a = FlowSecrets::generate(&OsEntropy).unwrap();
        let b = FlowSecrets::generate(&OsEntropy).unwrap();
        assert_ne!(a.state(), b.state());
        assert_ne!(a.binding(), b.binding());
    }
}
