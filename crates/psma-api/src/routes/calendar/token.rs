//! `POST /api/v1/calendar/token`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::responses::{Forbidden, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's calendar feed address. Shown once: only its hash is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarTokenView {
    /// The secret token.
    pub token: String,
    /// The feed's path, `/calendar/{token}.ics`.
    pub path: String,
    /// The feed's URL for calendar apps: absolute when the server knows its public address
    /// (`server.public_url`), else the path.
    pub url: String,
}

/// Mints the caller's calendar feed token, replacing the one they had: the old feed URL stops
/// working at once. Audited (`calendar_token.rotate`).
#[utoipa::path(post, path = "/api/v1/calendar/token", tag = "planning",
    operation_id = "rotate_calendar_token",
    responses((status = 201, description = "The new token and feed URL", body = CalendarTokenView),
        Forbidden, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let token = state
        .reminders
        .rotate_token(&ctx, request_id(&req))
        .await?
        .to_string();
    let path = format!("/calendar/{token}.ics");
    let url = state.public_url.as_deref().map_or_else(
        || path.clone(),
        |base| format!("{}{path}", base.trim_end_matches('/')),
    );
    Ok(HttpResponse::Created().json(CalendarTokenView { token, path, url }))
}
