//! `GET /api/v1/advice`.

use super::view::{AdviceStatusView, AdviceView};
use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::DEFAULT_LIMIT;
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of the advice list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdviceParams {
    /// Only advice with this status (`pending`: the inbox).
    #[param(inline)]
    pub status: Option<AdviceStatusView>,
    /// At most this many (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The caller's advice.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceList {
    /// Newest first; items raised together in the adviser's order.
    pub items: Vec<AdviceView>,
}

/// The caller's advice, newest first: recommendations to confirm or decline and questions to
/// answer, raised by the worker after each plan (a few seconds after a change). Nothing is
/// applied until the caller confirms or answers.
#[utoipa::path(get, path = "/api/v1/advice", tag = "advice", operation_id = "list_advice",
    params(AdviceParams),
    responses((status = 200, description = "The caller's advice", body = AdviceList), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<AdviceParams>,
) -> Result<HttpResponse, ApiError> {
    let items = state
        .advising
        .list(
            &ctx,
            params.status.map(Into::into),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(AdviceList {
        items: items.iter().map(AdviceView::from).collect(),
    }))
}
