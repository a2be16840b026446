//! `POST /api/v1/my-shows/{show_id}/restore`.

use super::MyShowView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{Conflicting, Forbidden, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ShowId;

/// Undoes taking a show off the caller's list: it is back with its watch mode, binge days,
/// season and dates. Audited (`my_show.restore`); re-plans.
#[utoipa::path(post, path = "/api/v1/my-shows/{show_id}/restore", tag = "planning", operation_id = "restore_my_show",
    params(("show_id" = Uuid, Path, description = "The show")),
    responses((status = 200, description = "Back on the list", body = MyShowView),
        Forbidden, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    show_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let show = ShowId(path_id(&show_id, "my_show")?);
    let restored = state
        .profiles
        .restore_my_show(&ctx, show, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(MyShowView::from(&restored)))
}
