//! `GET /api/v1/conflicts`.

use super::ConflictDetailView;
use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::{DEFAULT_LIMIT, UuidParam};
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::catalog::{ConflictId, ConflictStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A conflict's status, as a filter.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictStatusParam {
    /// Waiting for a decision.
    Open,
    /// Decided, or no longer applying.
    Resolved,
    /// Put aside.
    Deferred,
}

/// Filters and paging of the conflict list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConflictsParams {
    /// Only conflicts with this status (for the caller).
    #[param(inline)]
    pub status: Option<ConflictStatusParam>,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub cursor: Option<UuidParam>,
}

/// A page of conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictPage {
    /// The conflicts, oldest first.
    pub items: Vec<ConflictDetailView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<Uuid>,
}

/// Conflicts the caller can see, oldest first.
#[utoipa::path(get, path = "/api/v1/conflicts", tag = "conflicts", operation_id = "list_conflicts",
    params(ConflictsParams),
    responses((status = 200, description = "A page of conflicts", body = ConflictPage), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<ConflictsParams>,
) -> Result<HttpResponse, ApiError> {
    let status = params.status.map(|s| match s {
        ConflictStatusParam::Open => ConflictStatus::Open,
        ConflictStatusParam::Resolved => ConflictStatus::Resolved,
        ConflictStatusParam::Deferred => ConflictStatus::Deferred,
    });
    let page = state
        .conflicts
        .list(
            &ctx,
            status,
            params.cursor.map(|c| ConflictId(c.0)),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(ConflictPage {
        next_cursor: page.next.map(|c| c.0),
        items: page.items.iter().map(ConflictDetailView::from).collect(),
    }))
}
