//! `DELETE /api/v1/my-services/{service_id}`.

use super::service_in_path;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::responses::{Forbidden, NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Takes a service off the caller's profile; putting it back restores it. Audited
/// (`my_service.delete`).
#[utoipa::path(delete, path = "/api/v1/my-services/{service_id}", tag = "planning", operation_id = "delete_my_service",
    params(("service_id" = String, Path, description = "The service", pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 64)),
    responses((status = 204, description = "Removed"), Forbidden, NotFound, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    service_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_path(&service_id)?;
    state
        .profiles
        .delete_my_service(&ctx, &service, request_id(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
