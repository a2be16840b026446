//! `POST /my-services/{id}`: change a kept service's terms, as `PUT /api/v1/my-services/{id}`.

use super::edit::{EditTerms, kept};
use super::{TermsForm, save};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::form::Form;
use crate::ui::page::{render, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
    Form(form): Form<TermsForm>,
) -> Result<HttpResponse, ApiError> {
    let (service, _) = kept(&state, &ctx, &id).await?;
    match save(&req, &state, &ctx, &service, &form).await? {
        Ok(()) => Ok(see_other(&format!("/my-services?saved={service}"))),
        Err(errors) => {
            let page = EditTerms::new(&state, csrf.0, &service, &form, errors);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
