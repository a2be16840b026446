//! `GET /health`: the process is alive.

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` while the process serves requests.
    pub status: &'static str,
}

/// Answers 200 for as long as the process runs; checks no dependency.
#[utoipa::path(get, path = "/health", tag = "operations", operation_id = "health",
    responses((status = 200, description = "The process is running", body = Health)),
    security(()))]
pub(crate) async fn get() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}
