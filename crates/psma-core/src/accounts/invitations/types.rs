//! What invitations and password resets are.

use super::super::types::DisplayName;
use crate::tenancy::{Role, TenantId, UserId};
use crate::tenant_token::{TenantToken, TokenHash};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::days(7);
/// How long a password reset token can be used.
pub const RESET_TTL: Duration = Duration::hours(24);

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Join the tenant as a new user with the invitation's roles.
    Invitation,
    /// Set a new password for an existing user.
    PasswordReset,
}

impl TokenPurpose {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// The purpose of a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Invitation, Self::PasswordReset]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

/// An email address as accounts keep it: trimmed, 3 to 254 characters, one `@` with text on
/// both sides, no spaces or control characters. Compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// The longest address (RFC 5321's path limit).
    pub const MAX_CHARS: usize = 254;

    /// Checks an address.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `field` otherwise.
    pub fn parse(raw: &str, field: &str) -> crate::Result<Self> {
        let text = raw.trim();
        let bad = |why: &str| crate::Error::validation(field, why.to_owned());
        let length = text.chars().count();
        if !(3..=Self::MAX_CHARS).contains(&length) {
            return Err(bad("must be an email address of 3 to 254 characters"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("must not contain spaces or control characters"));
        }
        match text.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
            {
                Ok(Self(text.to_owned()))
            }
            _ => Err(bad("must be an address like name@example.org")),
        }
    }

    /// The address as given (trimmed).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token to store: its hash, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccountToken {
    /// Its id.
    pub id: Uuid,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The SHA-256 of its secret.
    pub hash: TokenHash,
    /// Whom it is for.
    pub email: EmailAddress,
    /// The user whose password it resets (resets only).
    pub user_id: Option<UserId>,
    /// The roles the invited user gets (invitations only).
    pub roles: Vec<Role>,
    /// Who made it (`None`: the operator's CLI).
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Until when it can be used.
    pub expires_at: DateTime<Utc>,
}

/// A stored token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountToken {
    /// Its id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// Whom it is for.
    pub email: String,
    /// The user whose password it resets.
    pub user_id: Option<UserId>,
    /// The roles an invited user gets.
    pub roles: Vec<Role>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Until when it can be used.
    pub expires_at: DateTime<Utc>,
    /// When it was used (or replaced by a newer one for the same email), if it was.
    pub used_at: Option<DateTime<Utc>>,
}

/// A token handed out: shown once, to be passed on out of band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedAccountToken {
    /// Its id (for the audit log).
    pub id: Uuid,
    /// The token.
    pub token: TenantToken,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// Whom it is for.
    pub email: String,
    /// Until when it can be used.
    pub expires_at: DateTime<Utc>,
}

/// What accepting an invitation creates.
#[derive(Debug, Clone)]
pub struct Joining {
    /// The new user's id.
    pub user_id: UserId,
    /// Their name.
    pub display_name: DisplayName,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_trimmed() {
        assert_eq!(
            EmailAddress::parse(" ada@example.org ", "email")
                .unwrap()
                .as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "a b@example.org",
            "a@b@c",
            "a\u{7}@b.c",
        ] {
            assert!(EmailAddress::parse(bad, "email").is_err(), "{bad:?}");
        }
        assert!(EmailAddress::parse(&format!("{}@b.c", "a".repeat(251)), "email").is_err());
    }

    #[test]
    fn purposes_round_trip() {
        for p in [TokenPurpose::Invitation, TokenPurpose::PasswordReset] {
            assert_eq!(TokenPurpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(TokenPurpose::parse("other"), None);
    }
}
