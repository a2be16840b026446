//! `POST /plan`: plan now, as `POST /api/v1/plans` does, then show it.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::planning::plans::PlanTrigger;
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    state
        .plans
        .generate(&ctx, None, PlanTrigger::Request, request_id(&req))
        .await?;
    Ok(see_other("/plan"))
}
