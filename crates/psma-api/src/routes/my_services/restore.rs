//! `POST /api/v1/my-services/{service_id}/restore`.

use super::{MyServiceView, service_in_path};
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::responses::{Conflicting, Forbidden, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Undoes taking a service off the caller's profile: it is back with its terms. Audited
/// (`my_service.restore`); re-plans.
#[utoipa::path(post, path = "/api/v1/my-services/{service_id}/restore", tag = "planning", operation_id = "restore_my_service",
    params(("service_id" = String, Path, description = "The service", pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 64)),
    responses((status = 200, description = "Back on the profile", body = MyServiceView),
        Forbidden, NotFound, Conflicting, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    service_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_path(&service_id)?;
    let restored = state
        .profiles
        .restore_my_service(&ctx, &service, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(MyServiceView::from(&restored)))
}
