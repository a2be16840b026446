//! `GET /api/v1/admin/tenants`.

use super::TenantSummary;
use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::DEFAULT_LIMIT;
use crate::responses::{Forbidden, HostedOnly, Invalid, Unauthorized, Unavailable};
use crate::routes::auth::hosted;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::tenancy::TenantId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Paging of the household list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TenantsParams {
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<uuid::Uuid>,
}

/// A page of households.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantPage {
    /// Households by name, then id.
    pub items: Vec<TenantSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<uuid::Uuid>,
}

/// Every household on the platform (`tenants:read`: the `platform_operator` role).
#[utoipa::path(get, path = "/api/v1/admin/tenants", tag = "admin", operation_id = "list_tenants",
    params(TenantsParams),
    responses((status = 200, description = "A page of households", body = TenantPage),
        Unauthorized, Forbidden, HostedOnly, Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<TenantsParams>,
) -> Result<HttpResponse, ApiError> {
    let platform = hosted(state.platform.as_ref())?;
    let (tenants, next) = platform
        .tenants(
            &ctx,
            params.cursor.map(TenantId),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(TenantPage {
        items: tenants.into_iter().map(TenantSummary::from).collect(),
        next_cursor: next.map(|id| id.0),
    }))
}
