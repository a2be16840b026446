//! `POST /api/v1/advice/{id}/answer`.

use super::view::AdviceDecidedView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::advice::records::AdviceId;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// An answer to a question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The answer, valid against the question's `answer_schema` (a day `YYYY-MM-DD` for an end
    /// date, one of its `options` for a choice).
    #[schema(value_type = Object)]
    pub answer: Value,
}

/// Answers a pending question: the answer is checked against the question's `answer_schema`
/// (422 naming `answer` otherwise), applied as a confirmed planner input (an end date on the
/// show's My Shows entry; the chosen fact of a conflict, as a `user_confirmation`), and the
/// plan is made again; returns its delta. Audited. 409 when it is not pending, is a
/// recommendation, or is stale.
#[utoipa::path(post, path = "/api/v1/advice/{id}/answer", tag = "advice", operation_id = "answer_advice",
    params(("id" = Uuid, Path, description = "The advice's id")),
    request_body(content = AnswerBody, content_type = "application/json"),
    responses((status = 200, description = "The answered question and the new plan's delta", body = AdviceDecidedView),
        Malformed, Forbidden, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
    JsonBody(body): JsonBody<AnswerBody>,
) -> Result<HttpResponse, ApiError> {
    let id = AdviceId(path_id(&id, "advice")?);
    let decided = state
        .advising
        .answer(&ctx, id, body.answer, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(AdviceDecidedView::from(&decided)))
}
