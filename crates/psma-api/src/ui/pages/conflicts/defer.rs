//! `POST /conflicts/{id}/defer`: put a disagreement aside, as `POST /api/v1/conflicts/{id}/defer`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ConflictId;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeferForm {
    #[serde(default)]
    note: String,
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    Form(form): Form<DeferForm>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let note = Some(form.note.trim().to_owned()).filter(|n| !n.is_empty());
    state
        .conflicts
        .defer(&ctx, id, note, request_id(&req))
        .await?;
    Ok(see_other(&format!("/conflicts/{}?done=deferred", id.0)))
}
