//! `/api/v1/admin/tenants`: every household on the platform.

pub(crate) mod create;
pub(crate) mod list;

use chrono::{DateTime, Utc};
use psma_core::accounts::Tenant;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A household, as the operator sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantSummary {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<Tenant> for TenantSummary {
    fn from(tenant: Tenant) -> Self {
        Self {
            id: tenant.id.0,
            name: tenant.name,
            created_at: tenant.created_at,
        }
    }
}
