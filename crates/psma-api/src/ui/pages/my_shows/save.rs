//! `POST /my-shows/{id}`: add the show to My Shows, or change how it is to be watched — the
//! same use case as `PUT /api/v1/my-shows/{id}`. A refused value comes back beside its field.

use super::WishForm;
use super::edit::EditWish;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::FieldErrors;
use crate::ui::form::Form;
use crate::ui::page::{render, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ShowId;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
    Form(form): Form<WishForm>,
) -> Result<HttpResponse, ApiError> {
    let id = ShowId(path_id(&id, "show")?);
    let errors = match form.read() {
        Ok(request) => match state
            .profiles
            .put_my_show(&ctx, id, request, request_id(&req))
            .await
        {
            Ok(_) if form.next == "show" => {
                return Ok(see_other(&format!("/shows/{}?added=1", id.0)));
            }
            Ok(_) => return Ok(see_other(&format!("/my-shows?saved={}", id.0))),
            Err(err) => FieldErrors::from_core(err)?,
        },
        Err(errors) => errors,
    };
    let detail = state.catalog.show(&ctx, id).await?;
    let following = state
        .profiles
        .my_shows(&ctx)
        .await?
        .iter()
        .any(|s| s.show_id == id);
    let defaults = state.profiles.settings(&ctx).await?.planner;
    let page = EditWish::new(
        csrf.0,
        id,
        detail.record.show.title.to_string(),
        following,
        &form,
        errors,
        defaults.binge_days,
    );
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
