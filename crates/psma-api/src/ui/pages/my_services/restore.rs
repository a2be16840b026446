//! `POST /my-services/{id}/restore`: undo a removal, as `POST /api/v1/my-services/{id}/restore`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_plugin_sdk::text::ServiceId;
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    let service = ServiceId::parse(&id).map_err(|_| psma_core::Error::NotFound {
        resource: "service",
        id: id.chars().take(64).collect(),
    })?;
    state
        .profiles
        .restore_my_service(&ctx, &service, request_id(&req))
        .await?;
    Ok(see_other(&format!("/my-services?restored={service}")))
}
