//! The ports of signing in through a provider: the providers themselves (registered by name),
//! the store of started flows, and the store of identities linked to users.

use super::flow::{AuthorizationRequest, CodeExchange, PendingAuthorization};
use super::types::{ExternalIdentity, LinkedIdentity, ProviderName};
use crate::accounts::DisplayName;
use crate::accounts::sessions::TokenDigest;
use crate::audit::AuditDraft;
use crate::tenancy::{Role, SystemCtx, TenantCtx, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

/// An OAuth 2.0 / OpenID Connect identity provider (Google, GitHub, …): the authorization
/// code flow with PKCE, as a client of it.
#[async_trait]
pub trait IdentityProvider: Send + Sync {
    /// The provider's authorization URL for `request`: the client id, the redirect URI, the
    /// scopes, the `state`, the S256 PKCE challenge of the verifier and (OpenID Connect) the
    /// nonce.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] when the configured URL cannot carry them (a bug or a bad
    /// configuration that the start-up check missed).
    fn authorization_url(&self, request: &AuthorizationRequest) -> crate::Result<String>;

    /// Exchanges the authorization code (with the PKCE verifier) at the token endpoint and
    /// learns who signed in, trusting only what it verified: for OpenID Connect the ID token's
    /// signature (by the provider's published keys), issuer, audience, expiry and nonce.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] when the provider refuses the code (`invalid_grant`:
    /// used, expired, or a PKCE mismatch) or its answer fails a check (a bad signature, a
    /// wrong nonce, audience or issuer, an expired ID token); [`crate::Error::Upstream`] when
    /// the provider cannot be reached in time or answers something unusable (a 5xx, malformed
    /// JSON, an unusable key set, a refusal of PSMA's own client credentials).
    async fn identify(&self, exchange: &CodeExchange) -> crate::Result<ExternalIdentity>;
}

/// The configured providers, by name. The composition root registers each one it builds from
/// configuration; nothing matches on a closed list of providers.
#[derive(Clone, Default)]
pub struct IdentityProviders {
    by_name: BTreeMap<ProviderName, Arc<dyn IdentityProvider>>,
}

impl IdentityProviders {
    /// Adds (or replaces) `provider` under `name`.
    pub fn register(&mut self, name: ProviderName, provider: Arc<dyn IdentityProvider>) {
        self.by_name.insert(name, provider);
    }

    /// The registered names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &ProviderName> {
        self.by_name.keys()
    }

    /// The provider named `name`.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when no provider of that name is configured.
    pub fn get(&self, name: &str) -> crate::Result<(ProviderName, Arc<dyn IdentityProvider>)> {
        self.by_name
            .get_key_value(name)
            .map(|(k, v)| (k.clone(), v.clone()))
            .ok_or_else(|| crate::Error::NotFound {
                resource: "identity provider",
                id: name.to_owned(),
            })
    }
}

/// Started sign-ins, before any tenant is known. Read and written only in a system context.
#[async_trait]
pub trait AuthorizationFlows: Send + Sync {
    /// Stores `flow`, and forgets flows that expired before `flow` started.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn begin(&self, system: &SystemCtx, flow: &PendingAuthorization) -> crate::Result<()>;

    /// Uses up the flow whose state digest is `state`, if its binding digest is `binding`, it
    /// was started with `provider`, is unused and has not expired at `now`: one conditional
    /// update, so of two callbacks with the same state at most one gets it. `None` otherwise.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn consume(
        &self,
        system: &SystemCtx,
        state: &TokenDigest,
        binding: &TokenDigest,
        provider: &ProviderName,
        now: DateTime<Utc>,
    ) -> crate::Result<Option<PendingAuthorization>>;
}

/// A member joining a household by signing in through a provider.
#[derive(Debug, Clone)]
pub struct ProviderJoining {
    /// The new user's id.
    pub user_id: UserId,
    /// Their email (the provider's verified one).
    pub email: String,
    /// Their name.
    pub display_name: DisplayName,
    /// Their roles.
    pub roles: Vec<Role>,
    /// The invitation this uses up, if they were invited.
    pub invitation: Option<Uuid>,
}

/// Identities linked to users: `(provider, subject)` signs in one user, across all tenants.
#[async_trait]
pub trait IdentityLinks: Send + Sync {
    /// The live user `subject` of `provider` is linked to, in any tenant.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn find(
        &self,
        system: &SystemCtx,
        provider: &ProviderName,
        subject: &str,
    ) -> crate::Result<Option<LinkedIdentity>>;

    /// Links `identity` to `user` of `ctx`'s tenant and appends `audit`, in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Conflict`] when the identity is linked already (a concurrent first
    /// sign-in); [`crate::Error::NotFound`] when `user` is not a live user of the tenant.
    async fn link(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        identity: &ExternalIdentity,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> crate::Result<()>;

    /// Creates the user of `joining` in `ctx`'s tenant (without a password) with its roles,
    /// uses up its invitation (if still unused and unexpired at `at`), links `identity` to the
    /// user and appends `audit` — in one transaction.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] when the invitation was used meanwhile or expired;
    /// [`crate::Error::Conflict`] when a live user (of any tenant) has the email or the
    /// identity is linked already; [`crate::Error::Forbidden`] when the tenant does not exist
    /// (an allowed domain naming a household that is gone).
    async fn join(
        &self,
        ctx: &TenantCtx,
        joining: &ProviderJoining,
        identity: &ExternalIdentity,
        at: DateTime<Utc>,
        audit: Vec<AuditDraft>,
    ) -> crate::Result<()>;

    /// Appends `audit` (a refused sign-in) to `ctx`'s tenant's log.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn record_refusal(&self, ctx: &TenantCtx, audit: AuditDraft) -> crate::Result<()>;
}
