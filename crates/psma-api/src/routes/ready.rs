//! `GET /ready`: the process can serve (its database answers and its schema is current).

use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// Readiness, with what is missing when not ready.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
    /// Migrations this build knows that the database has not applied.
    pub pending_migrations: Vec<String>,
}

/// 200 when the database answers and every migration is applied, else 503 with the reason.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Readiness),
        (status = 503, description = "The database is unreachable or migrations are pending", body = Readiness),
    ))]
pub(crate) async fn get(state: web::Data<ApiState>) -> HttpResponse {
    let report = state.readiness.check().await;
    let body = Readiness {
        status: if report.is_ready() { "ready" } else { "not_ready" },
        database: if report.database_reachable { "ok" } else { "unreachable" },
        pending_migrations: report.pending_migrations.clone(),
    };
    // Not a problem+json error: a probe's 503 is an answer, and load balancers read the body.
    if report.is_ready() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("cache-control", "no-store"))
            .json(body)
    }
}
