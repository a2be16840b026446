//! `POST /settings`: the member's country and planner settings, as `PUT /api/v1/settings`
//! (empty fields: the server's defaults).

use super::{SettingsForm, SettingsPage};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::FieldErrors;
use crate::ui::form::Form;
use crate::ui::page::{render, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    Form(form): Form<SettingsForm>,
) -> Result<HttpResponse, ApiError> {
    let errors = match form.read() {
        Ok(overrides) => match state
            .profiles
            .put_settings(&ctx, overrides, request_id(&req))
            .await
        {
            Ok(_) => return Ok(see_other("/settings?saved=1")),
            Err(err) => FieldErrors::from_core(err)?,
        },
        Err(errors) => errors,
    };
    let page = SettingsPage::load(&state, &ctx, csrf, Some(&form), errors).await?;
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
