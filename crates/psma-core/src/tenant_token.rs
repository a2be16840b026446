//! Secret tokens that name their tenant: the calendar feed's (ADR 0023), invitations' and
//! password resets' (ADR 0028). Presented without a session, they say which tenant to look in
//! before anything is read, and only their SHA-256 is stored.

use crate::tenancy::TenantId;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// Bytes of randomness in a token's secret (256 bits).
const SECRET_BYTES: usize = 32;

/// A token: `<tenant id, 32 hex digits>_<secret, 64 hex digits>`.
///
/// The tenant id is not secret (it only says where to look); the secret is. Its `Debug` output
/// hides the secret, so a token never reaches a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct TenantToken {
    tenant_id: TenantId,
    secret: [u8; SECRET_BYTES],
}

impl TenantToken {
    /// A new token of `tenant_id` with a secret from `entropy`.
    ///
    /// # Errors
    /// As [`crate::ports::Entropy::fill`].
    pub fn generate(
        tenant_id: TenantId,
        entropy: &dyn crate::ports::Entropy,
    ) -> crate::Result<Self> {
        let mut secret = [0_u8; SECRET_BYTES];
        entropy.fill(&mut secret)?;
        Ok(Self::new(tenant_id, secret))
    }

    /// A token of `tenant_id` with `secret`.
    #[must_use]
    pub fn new(tenant_id: TenantId, secret: [u8; SECRET_BYTES]) -> Self {
        Self { tenant_id, secret }
    }

    /// Reads a token as [`fmt::Display`] writes it; `None` for anything else (lower-case hex
    /// only, so each token has exactly one spelling).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (tenant, secret) = text.split_once('_')?;
        let lower_hex = |s: &str, len: usize| {
            s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        if !lower_hex(tenant, 32) || !lower_hex(secret, 2 * SECRET_BYTES) {
            return None;
        }
        let tenant_id = TenantId(uuid::Uuid::parse_str(tenant).ok()?);
        let mut bytes = [0_u8; SECRET_BYTES];
        hex::decode_to_slice(secret, &mut bytes).ok()?;
        Some(Self::new(tenant_id, bytes))
    }

    /// The tenant it belongs to.
    #[must_use]
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    /// What is stored of it: the SHA-256 of the secret.
    #[must_use]
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.secret).into())
    }
}

impl fmt::Display for TenantToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}_{}",
            self.tenant_id.0.simple(),
            hex::encode(self.secret)
        )
    }
}

impl fmt::Debug for TenantToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantToken")
            .field("tenant_id", &self.tenant_id)
            .field("secret", &"<hidden>")
            .finish()
    }
}

/// The SHA-256 of a token's secret, as stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Compares in constant time: how long it takes says nothing of where two hashes differ.
    #[must_use]
    pub fn matches(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// Its 64 lower-case hex digits, as stored.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads [`Self::to_hex`]'s form.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] for anything else (a stored hash is never malformed).
    pub fn from_hex(text: &str) -> crate::Result<Self> {
        let mut bytes = [0_u8; 32];
        hex::decode_to_slice(text, &mut bytes)
            .map_err(|e| crate::Error::internal(format!("token hash: {e}")))?;
        Ok(Self(bytes))
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({})", self.to_hex())
    }
}
