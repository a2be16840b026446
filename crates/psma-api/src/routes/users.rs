//! The household's users, as their owners and admins manage them.

pub(crate) mod delete;
pub(crate) mod list;
pub(crate) mod password_reset;
pub(crate) mod restore;
pub(crate) mod roles;

use chrono::{DateTime, Utc};
use psma_core::accounts::User;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A member of the household.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// Its id.
    pub id: Uuid,
    /// Its email address.
    pub email: String,
    /// Its display name.
    pub display_name: String,
    /// Its roles, sorted.
    pub roles: Vec<String>,
    /// Whether it is disabled (cannot sign in).
    pub disabled: bool,
    /// When it joined.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<User> for MemberView {
    fn from(user: User) -> Self {
        Self {
            id: user.id.0,
            email: user.email,
            display_name: user.display_name.as_str().to_owned(),
            roles: user.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            disabled: user.disabled,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}
