//! # psma-auth — the authentication adapter
//!
//! Implements the core's `Authenticator` port (who is calling, as which tenant, with which
//! roles) and, for hosted mode, the sessions' `TokenIssuer` and `PasswordHasher` ports.
//!
//! - Local mode ([`LocalAuthenticator`]) binds every caller to the local tenant's owner.
//! - Hosted mode (`auth.mode = "jwt"`, [`hosted`]): access and refresh tokens are JWTs signed
//!   with Ed25519 (`EdDSA`) keys named by their JWK thumbprint ([`KeySet`], published by
//!   [`KeySet::jwks`]); the newest key signs and every loaded key verifies, so keys rotate
//!   without signing anyone out ([`JwtTokens`]). Passwords are argon2id PHC strings hashed on
//!   the blocking pool with bounded concurrency ([`Argon2Hasher`]).
//! - Signing in through identity providers ([`oauth`], ADR 0030): Google (OpenID Connect, the
//!   ID token verified against Google's published keys) and GitHub (OAuth 2.0 and its API),
//!   the code flow with PKCE, over reqwest with rustls on ring.
//!
//! **Invariant:** depends on the core only among PSMA crates; never on the store or the HTTP
//! adapter. It verifies identities; building a `TenantCtx` from them is the entry points' job.
//! Its crypto is pure Rust (RustCrypto); it must not pull in aws-lc-rs.

mod keys;
pub mod oauth;
mod password;
mod settings;
mod tokens;

pub use keys::{KeySet, generate_key_file, generate_pem};
pub use password::{Argon2Hasher, CommonPasswords};
pub use settings::{AuthMode, AuthSettings};
pub use tokens::JwtTokens;

use async_trait::async_trait;
use psma_core::accounts::{LOCAL_TENANT_ID, LOCAL_USER_ID};
use psma_core::ports::{Authenticator, Credentials};
use psma_core::tenancy::{Principal, Role};
use std::sync::Arc;

/// Local mode: every caller is the local owner, whatever they present.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalAuthenticator;

#[async_trait]
impl Authenticator for LocalAuthenticator {
    async fn authenticate(&self, _credentials: &Credentials) -> psma_core::Result<Principal> {
        Ok(Principal {
            tenant_id: LOCAL_TENANT_ID,
            user_id: LOCAL_USER_ID,
            roles: vec![Role::OWNER],
        })
    }

    fn mode(&self) -> &'static str {
        "local"
    }
}

/// The authenticator of local mode. In `jwt` mode the real one needs keys and the resolved
/// issuer, so it comes from [`hosted`] (`Hosted::tokens`); what this returns then refuses
/// every caller with an internal error naming the missing wiring, rather than letting anyone
/// in.
#[must_use]
pub fn authenticator(settings: &AuthSettings) -> Arc<dyn Authenticator> {
    match settings.mode {
        AuthMode::Local => Arc::new(LocalAuthenticator),
        AuthMode::Jwt => Arc::new(Unwired),
    }
}

/// `jwt` mode reached through [`authenticator`]: a wiring mistake, refused loudly.
struct Unwired;

#[async_trait]
impl Authenticator for Unwired {
    async fn authenticate(&self, _credentials: &Credentials) -> psma_core::Result<Principal> {
        Err(psma_core::Error::internal(
            "auth.mode is \"jwt\" but the authenticator was not built with psma_auth::hosted",
        ))
    }

    fn mode(&self) -> &'static str {
        "jwt"
    }
}

/// Hosted mode's parts, sharing one key set.
#[derive(Debug, Clone)]
pub struct Hosted {
    /// The token issuer of sessions and the authenticator of requests.
    pub tokens: Arc<JwtTokens>,
    /// The password hasher of sessions.
    pub hasher: Arc<Argon2Hasher>,
    /// The keys, for the JWKS endpoint.
    pub keys: Arc<KeySet>,
}

impl Hosted {
    /// Hosted mode over `keys` (already loaded), signing as `issuer`, with `settings`'
    /// audience, leeway and hashing concurrency. Computes one password hash.
    ///
    /// # Errors
    /// [`psma_core::Error::Internal`] when the password hasher cannot be set up.
    pub fn with_keys(
        settings: &AuthSettings,
        issuer: String,
        keys: Arc<KeySet>,
    ) -> psma_core::Result<Self> {
        let tokens = JwtTokens::new(
            keys.clone(),
            issuer,
            settings.audience.clone(),
            settings.leeway_secs,
        );
        let hasher = Argon2Hasher::new(settings.hash_concurrency())?;
        Ok(Self {
            tokens: Arc::new(tokens),
            hasher: Arc::new(hasher),
            keys,
        })
    }
}

/// Hosted mode from `settings`: loads the keys (`auth.keys_dir`, then `auth.keys_env` from the
/// process environment) and signs as `issuer` (`auth.issuer`, else the server's public URL —
/// the composition root decides). Call once at start-up: it reads files and computes one
/// password hash.
///
/// # Errors
/// [`psma_core::Error::Internal`] when the keys cannot be loaded (the message names the file
/// or variable) or the hasher cannot be set up.
pub fn hosted(settings: &AuthSettings, issuer: String) -> psma_core::Result<Hosted> {
    let keys = Arc::new(KeySet::load(settings)?);
    Hosted::with_keys(settings, issuer, keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_mode_authenticates_everyone_as_the_local_owner() {
        let auth = authenticator(&AuthSettings::default());
        assert_eq!(auth.mode(), "local");
        let principal = auth.authenticate(&Credentials::default()).await.unwrap();
        assert_eq!(principal.user_id, LOCAL_USER_ID);
        assert_eq!(principal.roles, vec![Role::OWNER]);
    }

    #[tokio::test]
    async fn jwt_mode_without_hosted_wiring_lets_nobody_in() {
        let settings = AuthSettings {
            mode: AuthMode::Jwt,
            ..AuthSettings::default()
        };
        let auth = authenticator(&settings);
        assert_eq!(auth.mode(), "jwt");
        let err = auth
            .authenticate(&Credentials::default())
            .await
            .unwrap_err();
        assert!(matches!(err, psma_core::Error::Internal(_)), "{err:?}");
    }

    #[tokio::test]
    async fn hosted_mode_issues_tokens_its_authenticator_accepts() {
        use psma_core::accounts::sessions::{TokenClaims, TokenIssuer as _, TokenKind};
        let pem = generate_pem().unwrap();
        let keys = Arc::new(KeySet::from_pems([pem]).unwrap());
        let settings = AuthSettings {
            mode: AuthMode::Jwt,
            password_hash_concurrency: Some(1),
            ..AuthSettings::default()
        };
        let hosted = Hosted::with_keys(&settings, "https://psma.test".to_owned(), keys).unwrap();
        let now = chrono::Utc::now();
        let claims = TokenClaims {
            user_id: psma_core::tenancy::UserId::generate(),
            tenant_id: psma_core::tenancy::TenantId::generate(),
            roles: vec![Role::MEMBER],
            id: uuid::Uuid::now_v7(),
            family: None,
            issued_at: now,
            expires_at: now + chrono::Duration::minutes(15),
        };
        let token = hosted.tokens.issue(TokenKind::Access, &claims).unwrap();
        let auth: Arc<dyn Authenticator> = hosted.tokens.clone();
        let principal = auth
            .authenticate(&Credentials {
                bearer: Some(token),
            })
            .await
            .unwrap();
        assert_eq!(principal.user_id, claims.user_id);
        assert_eq!(hosted.keys.kids().count(), 1);
    }
}
