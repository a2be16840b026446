//! `POST /api/v1/plans`.

use super::PlanView;
use crate::error::ApiError;
use crate::extract::{Caller, OptionalJsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, Invalid, Malformed, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use psma_core::planning::plans::PlanTrigger;
use serde::Deserialize;
use utoipa::ToSchema;

/// What to plan. Every field is optional; no body at all, or `null`, is the same as `{}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanBody {
    /// Plan as of this day (what-if views, tests): a date with a four-digit year, 0000-01-01
    /// to 9999-12-31. Absent or null: the server's date (UTC).
    #[schema(format = Date, example = "2027-01-10")]
    pub today: Option<NaiveDate>,
}

/// Plans for the caller from `today` over their My Shows, My Services and settings and the
/// catalog as their household sees it, keeps the plan as their current one (the previous one
/// stays readable by id) and returns it, with `Location` naming it. Audited (`plan.generate`).
/// Any member may plan for themselves, viewers too.
#[utoipa::path(post, path = "/api/v1/plans", tag = "planning", operation_id = "create_plan",
    request_body(content = Option<CreatePlanBody>, content_type = "application/json",
        description = "Optional: `{\"today\": \"YYYY-MM-DD\"}`; no body, `null` or `{}` plans from the server's date"),
    responses(
        (status = 201, description = "The new current plan", body = PlanView,
            headers(("Location" = String, description = "`/api/v1/plans/{id}`"))),
        Malformed, Forbidden, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    OptionalJsonBody(body): OptionalJsonBody<CreatePlanBody>,
) -> Result<HttpResponse, ApiError> {
    if let Some(today) = body.today
        && !(0..=9999).contains(&today.year())
    {
        return Err(ApiError::InvalidField {
            field: "today".to_owned(),
            message: "a date with a four-digit year (0000-01-01 to 9999-12-31)".to_owned(),
        });
    }
    let plan = state
        .plans
        .generate(&ctx, body.today, PlanTrigger::Request, request_id(&req))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/plans/{}", plan.id)))
        .json(PlanView::from(&plan)))
}
