//! `DELETE /api/v1/my-shows/{show_id}`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Forbidden, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ShowId;

/// Takes a show off the caller's list; putting it back restores it. Audited
/// (`my_show.delete`).
#[utoipa::path(delete, path = "/api/v1/my-shows/{show_id}", tag = "planning", operation_id = "delete_my_show",
    params(("show_id" = Uuid, Path, description = "The show")),
    responses((status = 204, description = "Removed"), Forbidden, NotFound, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    show_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let show = ShowId(path_id(&show_id, "my_show")?);
    state
        .profiles
        .delete_my_show(&ctx, show, request_id(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
