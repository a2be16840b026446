//! `GET /api/v1/jobs/{id}`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::params::path_id;
use crate::responses::{NotFound, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use psma_core::jobs::JobId;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A background job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    /// Its id.
    pub id: Uuid,
    /// What it does (`refresh`, …).
    pub kind: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// When it runs (next).
    pub run_at: DateTime<Utc>,
    /// The last failure.
    pub last_error: Option<String>,
    /// Whether it works on the shared catalog rather than the caller's household.
    pub shared: bool,
}

/// A job of the caller's household, or of the shared catalog.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "operations", operation_id = "get_job",
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, description = "The job", body = JobView), NotFound, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = JobId(path_id(&id, "job")?);
    let job = state.jobs.get(&ctx, id).await?;
    Ok(HttpResponse::Ok().json(JobView {
        id: job.id.0,
        kind: job.kind,
        status: job.status.as_str().to_owned(),
        attempts: job.attempts,
        max_attempts: job.max_attempts,
        run_at: job.run_at,
        last_error: job.last_error,
        shared: job.tenant_id.is_none(),
    }))
}
