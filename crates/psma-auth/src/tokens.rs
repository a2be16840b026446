//! Access and refresh tokens: EdDSA-signed JWTs with a `kid` from the [`KeySet`].
//!
//! Verification trusts nothing in a token before its signature is checked, and decides which
//! key and algorithm to use from the server's own configuration: only `EdDSA`, only a `kid`
//! of the set, only the expected `typ` (RFC 9068 `at+jwt` for access, `rt+jwt` for refresh).
//! Callers learn "expired" or "invalid", nothing more.

use crate::keys::KeySet;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Header, Validation};
use psma_core::Error;
use psma_core::accounts::sessions::{TokenClaims, TokenIssuer, TokenKind};
use psma_core::ports::{Authenticator, Credentials};
use psma_core::tenancy::{Principal, Role, TenantId, UserId};
use serde::{Deserialize, Serialize};
use std::str::FromStr as _;
use std::sync::Arc;
use uuid::Uuid;

/// Longer bearer values are refused before any decoding: ours are well under 1 KiB, and
/// decoding work should not scale with what a caller chooses to send.
const MAX_TOKEN_LEN: usize = 4096;

/// Signs and verifies this server's tokens: the [`TokenIssuer`] of sessions and, for access
/// tokens, the [`Authenticator`] of hosted mode.
#[derive(Debug)]
pub struct JwtTokens {
    keys: Arc<KeySet>,
    issuer: String,
    audience: String,
    /// Built once: verification runs on every request.
    validation: Validation,
}

/// The claims as they travel.
#[derive(Debug, Serialize, Deserialize)]
struct WireClaims {
    sub: Uuid,
    tenant_id: Uuid,
    roles: Vec<String>,
    jti: Uuid,
    iat: i64,
    nbf: i64,
    exp: i64,
    iss: String,
    aud: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fam: Option<Uuid>,
}

impl JwtTokens {
    /// Tokens signed with `keys`' current key, saying `issuer` and `audience`, accepted up to
    /// `leeway_secs` seconds around `exp` and `nbf`.
    #[must_use]
    pub fn new(
        keys: Arc<KeySet>,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        leeway_secs: u64,
    ) -> Self {
        // jsonwebtoken picks its backend from crate features and panics when it cannot
        // (say, if another crate also enabled aws-lc-rs); naming RustCrypto here removes the
        // guess. An error only means a provider is installed already.
        let _ = jsonwebtoken::crypto::CryptoProvider::install_default(
            &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
        );
        let issuer = issuer.into();
        let audience = audience.into();
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = leeway_secs;
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[&audience]);
        Self {
            keys,
            issuer,
            audience,
            validation,
        }
    }

    /// The keys tokens are signed and verified with (for the JWKS).
    #[must_use]
    pub fn keys(&self) -> &Arc<KeySet> {
        &self.keys
    }

    /// The claims of `token` if it is a valid token of `kind`.
    fn verify(&self, token: &str, kind: TokenKind) -> psma_core::Result<TokenClaims> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(invalid());
        }
        // The header is read unverified, only to refuse early and to pick the key: the
        // algorithm is ours to choose (no `none`, no HMAC keyed with a public key), and a
        // `crit` extension we do not know must be refused (RFC 7515 §4.1.11).
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        if header.alg != Algorithm::EdDSA
            || header.crit.is_some()
            || !header.typ.as_deref().is_some_and(|t| typ_is(t, kind))
        {
            return Err(invalid());
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.decoding(kid))
            .ok_or_else(invalid)?;
        let data = jsonwebtoken::decode::<WireClaims>(token, key, &self.validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    Error::Unauthenticated("expired token".to_owned())
                }
                _ => invalid(),
            },
        )?;
        from_wire(data.claims, kind).ok_or_else(invalid)
    }
}

impl TokenIssuer for JwtTokens {
    /// Signs `claims` as a token of `kind` with the current key. An access token carries no
    /// family even when `claims` has one.
    fn issue(&self, kind: TokenKind, claims: &TokenClaims) -> psma_core::Result<String> {
        let fam = match kind {
            TokenKind::Access => None,
            TokenKind::Refresh => Some(claims.family.ok_or_else(|| {
                Error::internal("a refresh token needs a family, and these claims have none")
            })?),
        };
        let wire = WireClaims {
            sub: claims.user_id.0,
            tenant_id: claims.tenant_id.0,
            roles: claims.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            jti: claims.id,
            iat: claims.issued_at.timestamp(),
            nbf: claims.issued_at.timestamp(),
            exp: claims.expires_at.timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            kind: kind_name(kind).to_owned(),
            fam,
        };
        let (kid, key) = self.keys.signing();
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.to_owned());
        header.typ = Some(typ_of(kind).to_owned());
        jsonwebtoken::encode(&header, &wire, key).map_err(Error::internal)
    }

    fn verify_refresh(&self, token: &str) -> psma_core::Result<TokenClaims> {
        self.verify(token, TokenKind::Refresh)
    }
}

#[async_trait]
impl Authenticator for JwtTokens {
    /// Verifies the bearer access token.
    async fn authenticate(&self, credentials: &Credentials) -> psma_core::Result<Principal> {
        let token = credentials
            .bearer
            .as_deref()
            .ok_or_else(|| Error::Unauthenticated("missing bearer token".to_owned()))?;
        let claims = self.verify(token, TokenKind::Access)?;
        Ok(Principal {
            tenant_id: claims.tenant_id,
            user_id: claims.user_id,
            roles: claims.roles,
        })
    }

    fn mode(&self) -> &'static str {
        "jwt"
    }
}

fn invalid() -> Error {
    Error::Unauthenticated("invalid token".to_owned())
}

/// The header `typ` of each kind (the media type without `application/`).
fn typ_of(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Access => "at+jwt",
        TokenKind::Refresh => "rt+jwt",
    }
}

/// Whether header `typ` names `kind`: RFC 7515 §4.1.9 lets it carry the `application/`
/// prefix and compares it case-insensitively.
fn typ_is(typ: &str, kind: TokenKind) -> bool {
    let expected = typ_of(kind);
    let bare = typ
        .get(..12)
        .filter(|p| p.eq_ignore_ascii_case("application/"))
        .map_or(typ, |_| &typ[12..]);
    bare.eq_ignore_ascii_case(expected)
}

/// The `type` claim of each kind.
fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Access => "access",
        TokenKind::Refresh => "refresh",
    }
}

/// The domain's claims from verified wire claims, if they are those of a `kind` token.
fn from_wire(wire: WireClaims, kind: TokenKind) -> Option<TokenClaims> {
    if wire.kind != kind_name(kind) || wire.nbf != wire.iat {
        return None;
    }
    let family = match (kind, wire.fam) {
        (TokenKind::Access, None) => None,
        (TokenKind::Refresh, Some(fam)) => Some(fam),
        _ => return None,
    };
    let roles = wire
        .roles
        .iter()
        .map(|r| Role::from_str(r).ok())
        .collect::<Option<Vec<_>>>()?;
    Some(TokenClaims {
        user_id: UserId(wire.sub),
        tenant_id: TenantId(wire.tenant_id),
        roles,
        id: wire.jti,
        family,
        issued_at: DateTime::<Utc>::from_timestamp(wire.iat, 0)?,
        expires_at: DateTime::<Utc>::from_timestamp(wire.exp, 0)?,
    })
}

#[cfg(test)]
mod tests;
