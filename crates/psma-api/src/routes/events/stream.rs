//! `GET /api/v1/events`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::live;
use crate::responses::Unavailable;
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Live updates as server-sent events: `plan` when the caller's plan changes (after a
/// re-plan, wherever it ran), `refresh` when a provider refresh finishes, `advice` when the
/// number of pending advice changes. The stream reads the database every 2 s, starts at the
/// moment of connecting (or after `Last-Event-ID`), sends a comment every 15 s, and ends after
/// 10 minutes or when the server stops; clients reconnect (`retry: 5000`).
#[utoipa::path(get, path = "/api/v1/events", tag = "planning", operation_id = "stream_events",
    params(("Last-Event-ID" = Option<String>, Header, description = "The `id` of the last event received, to resume after it")),
    responses(
        (status = 200, description = "An endless `text/event-stream`: `event: plan|refresh|advice`, `id:`, `data:` a JSON object", content_type = "text/event-stream", body = String),
        Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    Ok(live::respond(&req, state, ctx))
}
