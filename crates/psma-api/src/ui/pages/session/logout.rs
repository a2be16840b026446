//! `POST /session/logout`: ends the sign-in (every token of it) and clears the cookies.

use crate::error::ApiError;
use crate::routes::auth::origin;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use crate::ui::session::{clear, refresh_token};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::IgnoredAny;

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    _form: Form<IgnoredAny>,
) -> Result<HttpResponse, ApiError> {
    if let (Some(sessions), Some(token)) = (state.sessions.as_ref(), refresh_token(&req)) {
        // A token the server no longer knows is signed out already.
        match sessions.logout(&token, &origin(&req)).await {
            Ok(()) | Err(psma_core::Error::Unauthenticated(_)) => {}
            Err(err) => return Err(err.into()),
        }
    }
    let mut res = see_other("/login");
    clear(&mut res, &req);
    Ok(res)
}
