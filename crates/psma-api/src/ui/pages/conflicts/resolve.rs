//! `POST /conflicts/{id}/resolve`: the member's decision — one of the competing facts, or
//! whether two titles are the same show — as `POST /api/v1/conflicts/{id}/resolve`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::{ConflictId, FactId, Resolution};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResolveForm {
    #[serde(default)]
    fact_id: String,
    #[serde(default)]
    same_show: String,
    #[serde(default)]
    note: String,
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    Form(form): Form<ResolveForm>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let resolution = match (form.fact_id.as_str(), form.same_show.as_str()) {
        (fact, "") if !fact.is_empty() => Resolution::ChoseFact(FactId(
            crate::params::hyphenated_uuid(fact)
                .ok_or_else(|| psma_core::Error::validation("fact_id", "is not a fact's id"))?,
        )),
        ("", "true") => Resolution::SameShow(true),
        ("", "false") => Resolution::SameShow(false),
        _ => {
            return Err(psma_core::Error::validation(
                "fact_id",
                "choose one of the facts, or say whether the shows are the same",
            )
            .into());
        }
    };
    let note = Some(form.note.trim().to_owned()).filter(|n| !n.is_empty());
    state
        .conflicts
        .resolve(&ctx, id, resolution, note, request_id(&req))
        .await?;
    Ok(see_other(&format!("/conflicts/{}?done=resolved", id.0)))
}
