//! `PATCH /api/v1/me`.

use super::MeView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::RequestId;
use crate::problem::Problem;
use crate::state::ApiState;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use psma_core::accounts::MePatch;
use serde::Deserialize;
use utoipa::ToSchema;

/// Changes to the caller's profile; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MePatchBody {
    /// The new display name: at most 100 characters, no control characters, not only spaces
    /// (stored trimmed).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub display_name: Option<String>,
}

/// Updates the caller's profile; the change and its audit entry are written together.
#[utoipa::path(patch, path = "/api/v1/me", tag = "account", operation_id = "update_me",
    request_body(content = MePatchBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The updated caller", body = MeView),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<MePatchBody>,
) -> Result<HttpResponse, ApiError> {
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let patch = MePatch {
        display_name: body.display_name,
    };
    let me = state.accounts.update_me(&ctx, patch, request_id).await?;
    Ok(HttpResponse::Ok().json(MeView::new(me, state.authenticator.mode())))
}
