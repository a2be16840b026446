//! What every handler can reach: the use cases and ports, wired by the binary.

use crate::rate_limits::RateLimits;
use psma_core::accounts::identities::OAuthSignIn;
use psma_core::accounts::invitations::Invitations;
use psma_core::accounts::roles::Roles;
use psma_core::accounts::sessions::Sessions;
use psma_core::accounts::{Accounts, Platform, Trash};
use psma_core::advice::usecases::Advising;
use psma_core::audit::AuditTrail;
use psma_core::catalog::{Catalog, Conflicts, Ingestion, ProviderDirectory, Refreshes};
use psma_core::jobs::Jobs;
use psma_core::planning::plans::Plans;
use psma_core::planning::profile::Profiles;
use psma_core::planning::reminders::Reminders;
use psma_core::planning::replan::Replans;
use psma_core::ports::{Authenticator, Clock, Readiness};
use std::sync::Arc;

/// Shared, cheaply cloned application state.
#[derive(Clone)]
pub struct ApiState {
    /// Tenants, users, the caller's profile.
    pub accounts: Accounts,
    /// Imports (and refreshes).
    pub ingestion: Ingestion,
    /// Browsing the catalog.
    pub catalog: Catalog,
    /// Conflicts and decisions.
    pub conflicts: Conflicts,
    /// The configured providers and their runs.
    pub providers: ProviderDirectory,
    /// Refreshes of the providers, asked for.
    pub refreshes: Refreshes,
    /// Jobs as callers may see them.
    pub jobs: Jobs,
    /// My Shows, My Services, settings.
    pub profiles: Profiles,
    /// The caller's stored plans and their deltas.
    pub plans: Plans,
    /// Plan-changed events, for the live updates.
    pub replans: Replans,
    /// The audit log, read.
    pub audit: AuditTrail,
    /// Advice: the inbox, confirm, decline, answer.
    pub advising: Advising,
    /// Upcoming plan events and the calendar feed.
    pub reminders: Reminders,
    /// Who the caller is.
    pub authenticator: Arc<dyn Authenticator>,
    /// Hosted mode's sign-in, refresh and sign-out; `None` in local mode.
    pub sessions: Option<Sessions>,
    /// Hosted mode's invitations and password resets; `None` in local mode.
    pub invitations: Option<Invitations>,
    /// The platform operator's household management; `None` in local mode.
    pub platform: Option<Platform>,
    /// The household's roles, and what a caller's roles grant.
    pub roles: Roles,
    /// Purging the household's trash.
    pub trash: Trash,
    /// Signing in through identity providers; `None` unless hosted mode configures one.
    pub oauth: Option<OAuthSignIn>,
    /// Hosted mode's public keys (`/.well-known/jwks.json`); `None` in local mode.
    pub jwks: Option<Arc<serde_json::Value>>,
    /// Whether the database is usable.
    pub readiness: Arc<dyn Readiness>,
    /// The time, for what is stamped at the edge (the façade's `generated_at`).
    pub clock: Arc<dyn Clock>,
    /// The server's public base URL (`server.public_url`), for absolute links it hands out.
    pub public_url: Option<String>,
    /// Request rate limits per client address and per household.
    pub rate_limits: Arc<RateLimits>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`server.trusted_proxies`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Largest total size of a request's headers.
    pub max_header_bytes: usize,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// The OpenAPI document served at `/api/v1/openapi.json`.
    pub openapi: Arc<serde_json::Value>,
}

impl ApiState {
    /// Whether people reach this server over https (`server.public_url`): cookies then get
    /// `Secure` and their `__Host-`/`__Secure-` names, and responses HSTS.
    #[must_use]
    pub fn serves_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}
