//! `POST /my-shows/{id}/restore`: undo a removal, as `POST /api/v1/my-shows/{id}/restore`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ShowId;
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    let id = ShowId(path_id(&id, "show")?);
    state
        .profiles
        .restore_my_show(&ctx, id, request_id(&req))
        .await?;
    Ok(see_other(&format!("/my-shows?restored={}", id.0)))
}
