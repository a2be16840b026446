//! `GET /ready`: the process can serve (its database answers and its schema is current).

use crate::error::ApiError;
use crate::problem::Problem;
use actix_web::{HttpResponse, web};
use psma_core::ports::Readiness;
use serde::Serialize;
use utoipa::ToSchema;

/// Readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// `ready`.
    pub status: &'static str,
    /// `ok`.
    pub database: &'static str,
    /// Always empty when ready.
    pub pending_migrations: Vec<String>,
}

/// 200 when the database answers and every migration is applied; otherwise a 503 problem whose
/// `database` and `pending_migrations` members say why.
#[utoipa::path(get, path = "/ready", tag = "operations", operation_id = "ready",
    responses(
        (status = 200, description = "Ready to serve", body = Ready),
        (status = 503, description = "The database is unreachable or migrations are pending",
         body = Problem, content_type = "application/problem+json"),
    ),
    security(()))]
pub(crate) async fn get(readiness: web::Data<dyn Readiness>) -> Result<HttpResponse, ApiError> {
    let report = readiness.check().await;
    if !report.is_ready() {
        return Err(ApiError::NotReady(report));
    }
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Ready {
            status: "ready",
            database: "ok",
            pending_migrations: Vec::new(),
        }))
}
