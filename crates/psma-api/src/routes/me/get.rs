//! `GET /api/v1/me`.

use super::MeView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::problem::Problem;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// The caller's tenant and user (in local mode, the local defaults).
#[utoipa::path(get, path = "/api/v1/me", tag = "account", operation_id = "get_me",
    responses(
        (status = 200, description = "The caller", body = MeView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let me = state.accounts.me(&ctx).await?;
    Ok(HttpResponse::Ok().json(MeView::new(me, state.authenticator.mode())))
}
