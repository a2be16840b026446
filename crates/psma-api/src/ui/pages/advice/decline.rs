//! `POST /advice/{id}/decline`: say no; nothing changes, as `POST /api/v1/advice/{id}/decline`.

use super::decided;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::advice::records::AdviceId;
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    let id = AdviceId(path_id(&id, "advice")?);
    let result = state.advising.decline(&ctx, id, request_id(&req)).await;
    decided(id, result.map(|_| ()), "declined")
}
