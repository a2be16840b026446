//! `GET /events`: the web UI's live updates — the same stream as `GET /api/v1/events`, for the
//! page's caller (an `EventSource` cannot send a bearer token).

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::live;
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

pub(crate) async fn get(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
) -> Result<HttpResponse, ApiError> {
    Ok(live::respond(&req, state, ctx))
}
