//! # psma-auth — the authentication adapter
//!
//! Implements the core's `Authenticator` port: who is calling, as which tenant, with which roles.
//! Local mode (this crate's [`LocalAuthenticator`]) binds every caller to the local tenant's
//! owner; hosted mode (JWT access/refresh tokens, argon2id passwords, OAuth2 login) arrives here
//! too, behind the same port.
//!
//! **Invariant:** depends on the core only among PSMA crates; never on the store or the HTTP
//! adapter. It verifies identities; building a `TenantCtx` from them is the entry points' job.

use async_trait::async_trait;
use psma_core::accounts::{LOCAL_TENANT_ID, LOCAL_USER_ID};
use psma_core::ports::{Authenticator, Credentials};
use psma_core::tenancy::{Principal, Role};
use serde::{Deserialize, Serialize};

/// `[auth]`: how callers are identified.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// `local`: no login, one tenant and user (the single-machine default).
    pub mode: AuthMode,
}

/// The authentication modes this build supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// No login: every request acts as the local tenant's owner.
    Local,
}

/// Local mode: every caller is the local owner, whatever they present.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalAuthenticator;

#[async_trait]
impl Authenticator for LocalAuthenticator {
    async fn authenticate(&self, _credentials: &Credentials) -> psma_core::Result<Principal> {
        Ok(Principal {
            tenant_id: LOCAL_TENANT_ID,
            user_id: LOCAL_USER_ID,
            roles: vec![Role::Owner],
        })
    }

    fn mode(&self) -> &'static str {
        "local"
    }
}

/// The authenticator `settings` ask for.
#[must_use]
pub fn authenticator(settings: &AuthSettings) -> std::sync::Arc<dyn Authenticator> {
    match settings.mode {
        AuthMode::Local => std::sync::Arc::new(LocalAuthenticator),
    }
}
