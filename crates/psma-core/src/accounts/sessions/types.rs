//! What sessions are made of: passwords and their hashes, token claims, refresh records.

use crate::tenancy::{Role, TenantId, UserId};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

/// A password as typed. At least [`Self::MIN_CHARS`] and at most [`Self::MAX_CHARS`]
/// characters, any characters, no composition rules (OWASP ASVS 5.0 V6.2). Never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// The shortest password accepted.
    pub const MIN_CHARS: usize = 8;
    /// The longest password accepted (ASVS asks that at least 64 be allowed).
    pub const MAX_CHARS: usize = 128;

    /// Checks a new password's length.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `field` when it is too short or too long.
    pub fn new_password(raw: String, field: &str) -> crate::Result<Self> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(crate::Error::validation(
                field,
                format!("must be at least {} characters", Self::MIN_CHARS),
            ));
        }
        Self::presented(raw, field).map_err(|_| {
            crate::Error::validation(
                field,
                format!("must be at most {} characters", Self::MAX_CHARS),
            )
        })
    }

    /// A password presented at sign-in: only bounded, so that hashing it costs what hashing
    /// any password costs (no rule is checked that would tell an attacker about the account).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `field` when it is longer than [`Self::MAX_CHARS`].
    pub fn presented(raw: String, field: &str) -> crate::Result<Self> {
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(crate::Error::validation(
                field,
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(raw))
    }

    /// The password's text, for the hasher only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A stored password hash (a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// Which of the two tokens: the short-lived access token sent with every request, or the
/// refresh token that is only ever sent to `POST /api/v1/auth/refresh` and `…/logout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Proves the caller to the API (15 minutes by default).
    Access,
    /// Gets a new pair of tokens, once (7 days by default).
    Refresh,
}

/// What a token says: whose it is, in which tenant, with which roles, and when it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// The user (`sub`).
    pub user_id: UserId,
    /// Their tenant (`tenant_id`).
    pub tenant_id: TenantId,
    /// Their roles when the token was issued (`roles`).
    pub roles: Vec<Role>,
    /// The token's own id (`jti`).
    pub id: Uuid,
    /// The refresh token family (every token rotated from one sign-in), refresh tokens only.
    pub family: Option<Uuid>,
    /// When it was issued (`iat`, also `nbf`).
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted (`exp`).
    pub expires_at: DateTime<Utc>,
}

/// The pair of tokens a sign-in or a refresh hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// When both were issued.
    pub issued_at: DateTime<Utc>,
    /// The access token.
    pub access_token: String,
    /// When the access token expires.
    pub access_expires_at: DateTime<Utc>,
    /// The refresh token (single-use).
    pub refresh_token: String,
    /// When the refresh token expires.
    pub refresh_expires_at: DateTime<Utc>,
}

/// The SHA-256 of a refresh token, hex: what is stored instead of the token, so that a copy of
/// the database does not hold usable tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenDigest(pub String);

impl TokenDigest {
    /// The digest of `token`.
    #[must_use]
    pub fn of(token: &str) -> Self {
        Self(hex::encode(Sha256::digest(token.as_bytes())))
    }
}

/// A refresh token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRecord {
    /// The token's `jti`.
    pub id: Uuid,
    /// Its family: every token rotated from one sign-in.
    pub family: Uuid,
    /// Whose it is.
    pub user_id: UserId,
    /// Its digest.
    pub digest: TokenDigest,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// What presenting a refresh token did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// It was live: it is now used, and the new one is stored in its family.
    Rotated,
    /// It had been used (or its family revoked) already: someone replays it, so the whole
    /// family is revoked and the event audited.
    Reused,
    /// No live family knows it (expired, or never issued here).
    Unknown,
}

/// An account as sign-in sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAccount {
    /// Its tenant.
    pub tenant_id: TenantId,
    /// The user.
    pub user_id: UserId,
    /// Its roles.
    pub roles: Vec<Role>,
    /// Its password hash; `None` until a password is set (an invited user, or one who signs
    /// in only through a provider).
    pub password_hash: Option<PasswordHash>,
    /// Failed sign-ins since the last successful one.
    pub failed_logins: u32,
    /// Until when sign-in is refused (back-off or lockout).
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether an administrator disabled it.
    pub disabled: bool,
}

/// `[auth]` settings sessions use: token lifetimes and the sign-in throttle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSettings {
    /// Access token lifetime (15 minutes).
    pub access_ttl: Duration,
    /// Refresh token lifetime (7 days).
    pub refresh_ttl: Duration,
    /// The sign-in throttle.
    pub throttle: super::LoginThrottle,
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn a_new_password_is_8_to_128_characters_of_any_kind_kept_as_typed() {
        let new = |s: &str| Password::new_password(s.to_owned(), "password");
        assert!(new("seven c").is_err());
        for fine in ["8 chars!", "ÄÖÜ ßçñ€", "        ", "aaaaaaaa"] {
            assert!(new(fine).is_ok(), "{fine:?}: no composition rules");
        }
        assert!(new(&"é".repeat(128)).is_ok(), "128 characters, not bytes");
        let err = new(&"x".repeat(129)).unwrap_err();
        assert!(matches!(err, crate::Error::Validation { .. }), "{err:?}");
        // Neither trimmed nor case-folded: verified exactly as typed.
        let typed = new(" Padded Pass ").unwrap();
        assert_eq!(typed.expose(), " Padded Pass ");
    }
}
