//! Google, as an OpenID Connect provider: the code flow with PKCE and a nonce, then the ID
//! token from the token endpoint, trusted only once verified: RS256 only, signed by a key
//! Google publishes (by `kid`), `iss` Google, `aud` this client, within `exp`, carrying the
//! flow's nonce. The email counts only with `email_verified`.

use super::code_flow::{CodeFlow, Defaults};
use super::jwks::KeyCache;
use super::{OAuthClientSettings, OAuthContext};
use async_trait::async_trait;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use psma_core::Error;
use psma_core::accounts::identities::{
    AuthorizationRequest, CodeExchange, ExternalIdentity, IdentityProvider, ProviderName,
};
use serde::{Deserialize, Deserializer};
use std::sync::Arc;

const DEFAULTS: Defaults = Defaults {
    authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
    token_url: "https://oauth2.googleapis.com/token",
    scopes: &["openid", "email", "profile"],
    nonce: true,
};
const JWKS_URL: &str = "https://www.googleapis.com/oauth2/v3/certs";
/// Google's documented issuer; its ID tokens may also say it without the scheme.
const ISSUER: &str = "https://accounts.google.com";
/// Seconds of clock difference tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 60;
/// Longer ID tokens are refused before any decoding (Google's are about 1 KiB).
const MAX_ID_TOKEN_LEN: usize = 16 * 1024;

/// An OpenID Connect provider (Google's defaults).
pub(super) struct OpenIdProvider {
    name: ProviderName,
    flow: CodeFlow,
    keys: KeyCache,
    validation: Validation,
}

/// `[auth.oauth.google]`.
pub(super) fn build(
    name: &str,
    settings: &OAuthClientSettings,
    context: &OAuthContext,
) -> psma_core::Result<Arc<dyn IdentityProvider>> {
    let flow = CodeFlow::new(name, settings, context, &DEFAULTS)?;
    let jwks = settings
        .jwks_url
        .clone()
        .unwrap_or_else(|| JWKS_URL.to_owned());
    let issuer = settings.issuer.clone().unwrap_or_else(|| ISSUER.to_owned());
    let mut issuers = vec![issuer.clone()];
    if let Some(bare) = issuer.strip_prefix("https://") {
        issuers.push(bare.to_owned());
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    validation.set_audience(&[&settings.client_id]);
    validation.set_issuer(&issuers);
    validation.leeway = LEEWAY_SECS;
    Ok(Arc::new(OpenIdProvider {
        name: ProviderName::parse(name)?,
        keys: KeyCache::new(name, jwks, flow.http.clone()),
        flow,
        validation,
    }))
}

/// The ID token claims PSMA reads.
#[derive(Debug, Deserialize)]
struct IdClaims {
    sub: String,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    email_verified: bool,
    #[serde(default)]
    name: Option<String>,
}

/// `true` or `"true"` (some providers send the flag as a string).
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(t) => t == "true",
    })
}

#[async_trait]
impl IdentityProvider for OpenIdProvider {
    fn authorization_url(&self, request: &AuthorizationRequest) -> psma_core::Result<String> {
        Ok(self.flow.authorization_url(request))
    }

    async fn identify(&self, exchange: &CodeExchange) -> psma_core::Result<ExternalIdentity> {
        let tokens = self.flow.exchange(exchange).await?;
        let id_token = tokens.id_token.ok_or_else(|| {
            Error::Upstream(format!("{}'s token endpoint sent no ID token", self.name))
        })?;
        let claims = self.verify(&id_token, &exchange.nonce).await?;
        Ok(ExternalIdentity {
            provider: self.name.clone(),
            subject: claims.sub,
            email: claims.email,
            email_verified: claims.email_verified,
            display_name: claims.name,
        })
    }
}

impl OpenIdProvider {
    /// The claims of `id_token`, once every check passed.
    async fn verify(&self, id_token: &str, nonce: &str) -> psma_core::Result<IdClaims> {
        let name = &self.name;
        let invalid = |why: &str| Error::Unauthenticated(format!("{name}'s ID token {why}"));
        if id_token.len() > MAX_ID_TOKEN_LEN {
            return Err(invalid("is too long"));
        }
        let header = jsonwebtoken::decode_header(id_token).map_err(|_| invalid("is not a JWT"))?;
        // Decided by PSMA, not by the token: RS256 only (no `none`, no HMAC keyed with a
        // public key).
        if header.alg != Algorithm::RS256 {
            return Err(invalid("is not signed with RS256"));
        }
        let kid = header.kid.ok_or_else(|| invalid("names no signing key"))?;
        let key = self.keys.key(&kid).await?;
        let data = jsonwebtoken::decode::<IdClaims>(id_token, &key, &self.validation).map_err(
            |e| match e.kind() {
                ErrorKind::ExpiredSignature => invalid("has expired"),
                ErrorKind::ImmatureSignature => invalid("is not valid yet"),
                ErrorKind::InvalidSignature => invalid("has a signature that does not verify"),
                ErrorKind::InvalidAudience => invalid("is for another client (aud)"),
                ErrorKind::InvalidIssuer => invalid("has another issuer (iss)"),
                ErrorKind::MissingRequiredClaim(claim) => {
                    invalid(&format!("lacks the `{claim}` claim"))
                }
                _ => invalid("is invalid"),
            },
        )?;
        // The nonce ties the token to the flow this browser started: a token issued for
        // another sign-in (replayed or injected) carries another one.
        if data.claims.nonce.as_deref() != Some(nonce) {
            return Err(invalid("does not carry this sign-in's nonce"));
        }
        if data.claims.sub.is_empty() || data.claims.sub.len() > 255 {
            return Err(invalid("has no usable subject"));
        }
        Ok(data.claims)
    }
}
