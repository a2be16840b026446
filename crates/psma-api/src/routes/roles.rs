//! `/api/v1/roles`: the household's roles — the four system roles and its custom roles — and
//! what each grants.

pub(crate) mod create;
pub(crate) mod delete;
pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod update;

use chrono::{DateTime, Utc};
use psma_core::accounts::roles::RoleDefinition;
use serde::Serialize;
use utoipa::ToSchema;

/// A role and what it grants.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    /// Its name, unique in the household.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// What it grants, as `resource:action`, in a fixed order.
    pub permissions: Vec<String>,
    /// A system role: fixed, cannot be changed or deleted.
    pub system: bool,
    /// When it was created (custom roles).
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed (custom roles).
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<RoleDefinition> for RoleView {
    fn from(role: RoleDefinition) -> Self {
        Self {
            name: role.name.to_string(),
            description: role.description.as_str().to_owned(),
            permissions: role.permissions.iter().map(|p| p.to_string()).collect(),
            system: role.system,
            created_at: role.created_at,
            updated_at: role.updated_at,
        }
    }
}
