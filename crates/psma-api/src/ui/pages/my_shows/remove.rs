//! `POST /my-shows/{id}/remove`: take the show off My Shows (soft: the list then offers to
//! undo it), as `DELETE /api/v1/my-shows/{id}` does.

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
        .delete_my_show(&ctx, id, request_id(&req))
        .await?;
    Ok(see_other(&format!("/my-shows?removed={}", id.0)))
}
