//! `POST /my-services/{id}/restore`: undo a removal, as `POST /api/v1/my-services/{id}/restore`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use crate::ui::pages::service_in_path;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    id: web::Path<String>,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_path(&id)?;
    state
        .profiles
        .restore_my_service(&ctx, &service, request_id(&req))
        .await?;
    Ok(see_other(&format!("/my-services?restored={service}")))
}
