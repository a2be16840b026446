//! `/api/v1/me`: the caller's tenant and user.

pub(crate) mod get;
pub(crate) mod password;
pub(crate) mod patch;

use psma_core::accounts::Me;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The caller, as the API shows them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeView {
    /// The caller's tenant.
    pub tenant: TenantView,
    /// The caller.
    pub user: UserView,
    /// How callers are identified on this server (`local`).
    pub auth_mode: String,
}

/// A tenant.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TenantView {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
}

/// A user.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// Its id.
    pub id: Uuid,
    /// Its email address.
    pub email: String,
    /// Its display name.
    pub display_name: String,
    /// Its roles in the tenant (`owner`, `admin`, `member`, `viewer`).
    pub roles: Vec<String>,
    /// When it last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl MeView {
    pub(crate) fn new(me: Me, auth_mode: &str) -> Self {
        Self {
            tenant: TenantView {
                id: me.tenant.id.0,
                name: me.tenant.name,
            },
            user: UserView {
                id: me.user.id.0,
                email: me.user.email,
                display_name: me.user.display_name.as_str().to_owned(),
                roles: me
                    .user
                    .roles
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect(),
                updated_at: me.user.updated_at,
            },
            auth_mode: auth_mode.to_owned(),
        }
    }
}
