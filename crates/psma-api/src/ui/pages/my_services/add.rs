//! `POST /my-services`: add a service (the form on My Services), as
//! `PUT /api/v1/my-services/{id}` does; refused values come back beside their fields.

use super::list::MyServices;
use super::{TermsForm, save};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::FieldErrors;
use crate::ui::form::Form;
use crate::ui::page::{render, see_other};
use crate::ui::pages::Outcome;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_plugin_sdk::text::ServiceId;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    Form(form): Form<TermsForm>,
) -> Result<HttpResponse, ApiError> {
    let service = ServiceId::parse(form.service_id.trim())
        .ok()
        .filter(|id| state.catalog.registry().contains(id.as_str()));
    let errors = match service {
        None => {
            let mut errors = FieldErrors::default();
            errors.push("service_id", "Choose a service from the list.");
            errors
        }
        Some(service) => match save(&req, &state, &ctx, &service, &form).await? {
            Ok(()) => return Ok(see_other(&format!("/my-services?saved={service}"))),
            Err(errors) => errors,
        },
    };
    let page = MyServices::load(&state, &ctx, csrf.0, &form, errors, &Outcome::default()).await?;
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
