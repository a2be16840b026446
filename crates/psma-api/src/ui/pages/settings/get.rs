//! `GET /settings`.

use super::SettingsPage;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::FieldErrors;
use crate::ui::page::render;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// `?saved=1` after saving.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let mut page = SettingsPage::load(&state, &ctx, csrf, None, FieldErrors::default()).await?;
    page.saved = outcome.saved.is_some();
    render(StatusCode::OK, &page)
}
