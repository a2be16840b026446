//! Signing in through OAuth 2.0 / OpenID Connect providers (ADR 0030): the core's
//! `IdentityProvider` port for Google (OpenID Connect: the ID token verified against the
//! provider's published keys, with the flow's nonce) and GitHub (OAuth 2.0 and its user API).
//!
//! Each provider is a factory here ([`FACTORIES`]), found by the name of its configuration
//! section; the composition root registers what the configuration names. Every outbound call
//! has a timeout, follows no redirect and reads at most [`MAX_RESPONSE_BYTES`]; whatever a
//! provider answers becomes a core error (`Unauthenticated` for a refused or unverifiable
//! sign-in, `Upstream` for a provider that fails), never a panic.

mod code_flow;
mod github;
mod google;
mod http;
mod jwks;
mod settings;

pub use settings::{AllowedDomainSettings, ClientSecret, OAuthClientSettings, OAuthSettings};

use psma_core::accounts::identities::IdentityProvider;
use std::sync::Arc;
use std::time::Duration;

/// The largest answer read from a provider (token responses, key sets and API answers are a
/// few KiB).
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// What every provider is built with.
#[derive(Debug, Clone)]
pub struct OAuthContext {
    /// The provider's redirect URI: `<server.public_url>/api/v1/auth/oauth/<name>/callback`.
    pub redirect_uri: String,
    /// The longest wait for one call.
    pub timeout: Duration,
}

/// Builds one kind of provider from its section.
pub struct OAuthFactory {
    /// The section's (and the provider's) name.
    pub name: &'static str,
    /// Builds it.
    pub build: fn(
        &str,
        &OAuthClientSettings,
        &OAuthContext,
    ) -> psma_core::Result<Arc<dyn IdentityProvider>>,
}

/// The providers this build knows.
pub const FACTORIES: [OAuthFactory; 2] = [
    OAuthFactory {
        name: "google",
        build: google::build,
    },
    OAuthFactory {
        name: "github",
        build: github::build,
    },
];

/// The factory of `name`'s provider.
#[must_use]
pub fn factory(name: &str) -> Option<&'static OAuthFactory> {
    FACTORIES.iter().find(|f| f.name == name)
}

/// `name`'s redirect URI under `public_url`.
#[must_use]
pub fn redirect_uri(public_url: &str, name: &str) -> String {
    format!(
        "{}/api/v1/auth/oauth/{name}/callback",
        public_url.trim_end_matches('/')
    )
}
