//! Who callers are: local mode's fixed owner, or hosted mode's tokens, passwords and sessions.

use crate::settings::Settings;
use anyhow::Context;
use psma_auth::AuthMode;
use psma_core::accounts::sessions::Sessions;
use psma_core::ports::{Authenticator, Clock};
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
            jwks: None,
        });
    }
    let hosted = psma_auth::hosted(&settings.auth, issuer(settings))
        .context("setting up hosted mode (auth.mode = \"jwt\")")?;
    let sessions = Sessions::new(
        store.clone(),
        hosted.hasher.clone(),
        hosted.tokens.clone(),
        clock.clone(),
        settings.auth.session_settings(),
    );
    Ok(AuthWiring {
        authenticator: hosted.tokens.clone(),
        sessions: Some(sessions),
        jwks: Some(Arc::new(hosted.keys.jwks())),
    })
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
