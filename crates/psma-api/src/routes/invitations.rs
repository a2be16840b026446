//! Invitations to a household (hosted mode): made by an owner or an admin, accepted with a
//! password by the invited person.

pub(crate) mod accept;
pub(crate) mod create;

use chrono::{DateTime, Utc};
use psma_core::accounts::invitations::{IssuedAccountToken, TokenPurpose};
use serde::Serialize;
use utoipa::ToSchema;

/// A token handed out once (only its hash is kept): pass it to the person it is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedTokenView {
    /// Its id, as in the audit log.
    pub id: uuid::Uuid,
    /// `invitation` or `password_reset`.
    pub purpose: &'static str,
    /// The secret token.
    pub token: String,
    /// Whom it is for.
    pub email: String,
    /// Until when it works (once).
    pub expires_at: DateTime<Utc>,
    /// Where to redeem it: `POST` `{token, password}` there.
    pub redeem_path: &'static str,
}

impl From<IssuedAccountToken> for IssuedTokenView {
    fn from(issued: IssuedAccountToken) -> Self {
        Self {
            id: issued.id,
            purpose: issued.purpose.as_str(),
            token: issued.token.to_string(),
            email: issued.email,
            expires_at: issued.expires_at,
            redeem_path: match issued.purpose {
                TokenPurpose::Invitation => "/api/v1/invitations/accept",
                TokenPurpose::PasswordReset => "/api/v1/auth/password-reset",
            },
        }
    }
}
