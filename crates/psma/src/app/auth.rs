//! Who callers are: local mode's fixed owner, or hosted mode's tokens, passwords and sessions.

use crate::settings::Settings;
use anyhow::Context;
use psma_auth::AuthMode;
use psma_core::accounts::invitations::Invitations;
use psma_core::accounts::roles::Roles;
use psma_core::accounts::sessions::{SessionPorts, Sessions};
use psma_core::ports::{Authenticator, Clock, OsEntropy};
use psma_store::Store;
use std::sync::Arc;

/// The issuer (`iss`) when neither `auth.issuer` nor `server.public_url` is set.
const DEFAULT_ISSUER: &str = "psma";

/// The authentication parts of the API state.
pub struct AuthWiring {
    /// Verifies each request's caller.
    pub authenticator: Arc<dyn Authenticator>,
    /// Sign-in, refresh and sign-out; hosted mode only.
    pub sessions: Option<Sessions>,
    /// Invitations and password resets; hosted mode only.
    pub invitations: Option<Invitations>,
    /// The public keys; hosted mode only.
    pub jwks: Option<Arc<serde_json::Value>>,
}

/// Builds the authentication `settings.auth` asks for.
///
/// # Errors
/// In hosted mode, when the signing keys cannot be loaded or the hasher cannot be set up.
pub fn auth(
    settings: &Settings,
    store: &Arc<Store>,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<AuthWiring> {
    if settings.auth.mode == AuthMode::Local {
        return Ok(AuthWiring {
            authenticator: psma_auth::authenticator(&settings.auth),
            sessions: None,
            invitations: None,
            jwks: None,
        });
    }
    let hosted = psma_auth::hosted(&settings.auth, issuer(settings))
        .context("setting up hosted mode (auth.mode = \"jwt\")")?;
    let ports = SessionPorts {
        store: store.clone(),
        account_tokens: store.clone(),
        hasher: hosted.hasher.clone(),
        issuer: hosted.tokens.clone(),
        clock: clock.clone(),
    };
    let sessions = Sessions::new(ports, settings.auth.session_settings());
    Ok(AuthWiring {
        authenticator: hosted.tokens.clone(),
        sessions: Some(sessions),
        invitations: Some(invitations(store, clock)),
        jwks: Some(Arc::new(hosted.keys.jwks())),
    })
}

/// Invitations and password resets over `store`.
#[must_use]
pub fn invitations(store: &Arc<Store>, clock: &Arc<dyn Clock>) -> Invitations {
    Invitations::new(
        store.clone(),
        store.clone(),
        roles(store, clock),
        clock.clone(),
        Arc::new(OsEntropy),
    )
}

/// The household's roles over `store`.
#[must_use]
pub fn roles(store: &Arc<Store>, clock: &Arc<dyn Clock>) -> Roles {
    Roles::new(store.clone(), store.clone(), clock.clone())
}

/// The tokens' issuer: `auth.issuer`, else the server's public URL, else `psma`.
fn issuer(settings: &Settings) -> String {
    settings
        .auth
        .issuer
        .clone()
        .or_else(|| settings.server.public_url.clone())
        .unwrap_or_else(|| DEFAULT_ISSUER.to_owned())
}
