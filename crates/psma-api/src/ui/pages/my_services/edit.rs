//! `GET /my-services/{id}`: one service's terms, in the form that changes them.

use super::TermsForm;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::{Field, FieldErrors};
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::service_name;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::tenancy::TenantCtx;
use psma_plugin_sdk::text::ServiceId;

#[derive(Template)]
#[template(path = "pages/my_service.html")]
pub(crate) struct EditTerms {
    layout: Layout,
    csrf: String,
    id: String,
    name: String,
    permanent: bool,
    fields: Vec<Field>,
    errors: FieldErrors,
}

impl EditTerms {
    pub(crate) fn new(
        state: &ApiState,
        csrf: String,
        service: &ServiceId,
        form: &TermsForm,
        errors: FieldErrors,
    ) -> Self {
        let name = service_name(state, service.as_str());
        Self {
            layout: Layout::new(format!("{name} — My Services"), Section::MyServices),
            csrf,
            id: service.to_string(),
            name,
            permanent: form.is_permanent(),
            fields: form.fields(&errors, state.catalog.registry().get(service.as_str())),
            errors,
        }
    }
}

/// The service named in the path, if the member keeps it.
pub(crate) async fn kept(
    state: &ApiState,
    ctx: &TenantCtx,
    raw: &str,
) -> Result<(ServiceId, TermsForm), ApiError> {
    let not_found = || psma_core::Error::NotFound {
        resource: "service",
        id: raw.chars().take(64).collect(),
    };
    let id = crate::ui::pages::service_in_path(raw)?;
    let mine = state.profiles.my_services(ctx).await?;
    let service = mine
        .iter()
        .find(|s| s.service_id == id)
        .ok_or_else(not_found)?;
    Ok((id, TermsForm::of(&service.terms)))
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (service, form) = kept(&state, &ctx, &id).await?;
    let page = EditTerms::new(&state, csrf.0, &service, &form, FieldErrors::default());
    render(StatusCode::OK, &page)
}
