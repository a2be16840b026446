//! `POST /settings/calendar`: a new calendar feed link (the old one stops working), as
//! `POST /api/v1/calendar/token`. The link is shown in this response only — never in a URL the
//! browser keeps in its history, since only its hash is stored.

use super::SettingsPage;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::FieldErrors;
use crate::ui::form::Form;
use crate::ui::page::render;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    let token = state
        .reminders
        .rotate_token(&ctx, request_id(&req))
        .await?
        .to_string();
    let path = format!("/calendar/{token}.ics");
    // An absolute link, for pasting into a calendar app: the configured public address, else
    // the one this page was opened at (the host is one the server answers to).
    let url = state.public_url.as_deref().map_or_else(
        || {
            let info = req.connection_info();
            format!("{}://{}{path}", info.scheme(), info.host())
        },
        |base| format!("{}{path}", base.trim_end_matches('/')),
    );
    let mut page = SettingsPage::load(&state, &ctx, csrf, None, FieldErrors::default()).await?;
    page.calendar_url = Some(url);
    render(StatusCode::OK, &page)
}
