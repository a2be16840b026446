//! `POST /api/v1/catalog/refresh`.

use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_plugin_sdk::text::SourceId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Which providers to refresh.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    /// One provider's source id; absent: every enabled provider.
    #[schema(value_type = Option<String>, pattern = r"^[a-z][a-z0-9_]*$", max_length = 64, min_length = 1)]
    pub provider: Option<SourceId>,
}

/// The refreshes queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshQueued {
    /// One job per provider, by source id (see `GET /api/v1/jobs/{id}`).
    pub jobs: Vec<QueuedJobView>,
}

/// A provider's refresh job.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedJobView {
    /// The provider.
    pub provider: String,
    /// Its refresh job: new, or the one already queued or running for it.
    pub job_id: Uuid,
}

/// Queues a refresh of one provider (`{"provider": "tvmaze"}`) or of every enabled provider
/// (`{}`) into the shared catalog. A provider with a refresh already queued or running gets no
/// second one: its job is returned. Audited.
#[utoipa::path(post, path = "/api/v1/catalog/refresh", tag = "catalog", operation_id = "refresh_catalog",
    request_body(content = RefreshBody, content_type = "application/json"),
    responses((status = 202, description = "The refresh jobs", body = RefreshQueued),
        Malformed, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<RefreshBody>,
) -> Result<HttpResponse, ApiError> {
    let queued = state
        .refreshes
        .request(&ctx, body.provider.as_ref(), request_id(&req))
        .await?;
    Ok(HttpResponse::Accepted().json(RefreshQueued {
        jobs: queued
            .into_iter()
            .map(|q| QueuedJobView {
                provider: q.provider.to_string(),
                job_id: q.job_id.0,
            })
            .collect(),
    }))
}
