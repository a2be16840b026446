//! `GET /api/v1/settings`.

use super::SettingsView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::Unavailable;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// The caller's country and planner settings in force: the server's defaults
/// (`[planner]`) with what the caller set over them.
#[utoipa::path(get, path = "/api/v1/settings", tag = "planning", operation_id = "get_settings",
    responses((status = 200, description = "The caller's settings", body = SettingsView), Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let settings = state.profiles.settings(&ctx).await?;
    Ok(HttpResponse::Ok().json(SettingsView::from(&settings)))
}
