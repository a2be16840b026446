//! `GET /api/v1/refresh-runs`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::{DEFAULT_LIMIT, UuidParam};
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use crate::views::RunView;
use actix_web::{HttpResponse, web};
use psma_core::catalog::RunId;
use psma_plugin_sdk::text::SourceId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filter and paging of the refresh runs.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RefreshRunsParams {
    /// Only this provider's runs.
    #[param(value_type = Option<String>, pattern = r"^[a-z][a-z0-9_]*$", max_length = 64, min_length = 1)]
    pub provider: Option<SourceId>,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub cursor: Option<UuidParam>,
}

/// A page of refresh runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshRunPage {
    /// The runs, newest first.
    pub items: Vec<RunView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The providers' refresh runs into the shared catalog, newest first: when each started and
/// ended, its outcome, its counts and what went wrong.
#[utoipa::path(get, path = "/api/v1/refresh-runs", tag = "catalog", operation_id = "list_refresh_runs",
    params(RefreshRunsParams),
    responses((status = 200, description = "A page of refresh runs", body = RefreshRunPage), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<RefreshRunsParams>,
) -> Result<HttpResponse, ApiError> {
    let page = state
        .providers
        .runs(
            &ctx,
            params.provider.as_ref(),
            params.cursor.map(|c| RunId(c.0)),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(RefreshRunPage {
        next_cursor: page.next.map(|c| c.0),
        items: page.items.iter().map(RunView::from).collect(),
    }))
}
