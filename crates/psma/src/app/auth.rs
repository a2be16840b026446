//! Who callers are: local mode's fixed owner, or hosted mode's tokens, passwords and sessions.

use crate::settings::Settings;
use anyhow::Context;
use psma_auth::AuthMode;
use psma_auth::oauth::{OAuthContext, OAuthSettings, factory, redirect_uri};
use psma_core::accounts::identities::{IdentityProviders, OAuthPorts, OAuthSignIn, ProviderName};
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
    /// Signing in through identity providers; hosted mode with `[auth.oauth.<provider>]`.
    pub oauth: Option<OAuthSignIn>,
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
            oauth: None,
        });
    }
    let hosted = psma_auth::hosted(&settings.auth, issuer(settings))
        .context("setting up hosted mode (auth.mode = \"jwt\")")?;
    let ports = SessionPorts {
        store: store.clone(),
        account_tokens: store.clone(),
        hasher: hosted.hasher.clone(),
        policy: Arc::new(psma_auth::CommonPasswords),
        issuer: hosted.tokens.clone(),
        clock: clock.clone(),
    };
    let sessions = Sessions::new(ports, settings.auth.session_settings());
    let oauth = oauth(settings, store, clock, &sessions)?;
    Ok(AuthWiring {
        authenticator: hosted.tokens.clone(),
        sessions: Some(sessions),
        invitations: Some(invitations(store, clock)),
        jwks: Some(Arc::new(hosted.keys.jwks())),
        oauth,
    })
}

/// The identity providers `[auth.oauth.<provider>]` configures, each built by its factory and
/// registered under its name; `None` when there is none.
fn oauth(
    settings: &Settings,
    store: &Arc<Store>,
    clock: &Arc<dyn Clock>,
    sessions: &Sessions,
) -> anyhow::Result<Option<OAuthSignIn>> {
    let section: &OAuthSettings = &settings.auth.oauth;
    if section.providers.is_empty() {
        return Ok(None);
    }
    let public_url = settings
        .server
        .public_url
        .as_deref()
        .context("server.public_url is needed for the identity providers' redirect URIs")?;
    let mut providers = IdentityProviders::default();
    for (name, client) in &section.providers {
        let build = factory(name)
            .with_context(|| format!("auth.oauth.{name}: unknown identity provider"))?
            .build;
        let context = OAuthContext {
            redirect_uri: redirect_uri(public_url, name),
            timeout: section.timeout,
        };
        let provider = build(name, client, &context)
            .with_context(|| format!("setting up auth.oauth.{name}"))?;
        providers.register(ProviderName::parse(name)?, provider);
    }
    let ports = OAuthPorts {
        providers,
        flows: store.clone(),
        links: store.clone(),
        accounts: store.clone(),
        account_tokens: store.clone(),
        clock: clock.clone(),
        entropy: Arc::new(OsEntropy),
    };
    Ok(Some(OAuthSignIn::new(
        ports,
        sessions.clone(),
        section.admission_policy(),
    )))
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
