//! `GET /session/renew?next=`: where a page whose access cookie expired sends the browser; a
//! new pair of tokens from the refresh cookie, then back — or to sign in.

use crate::error::ApiError;
use crate::routes::auth::origin;
use crate::state::ApiState;
use crate::ui::page::see_other;
use crate::ui::session::{clear, refresh_token, renew, safe_next, set_renewed};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Next {
    #[serde(default)]
    next: String,
}

pub(crate) async fn get(
    req: HttpRequest,
    state: web::Data<ApiState>,
    query: web::Query<Next>,
) -> Result<HttpResponse, ApiError> {
    let next = safe_next(&query.next);
    if state.sessions.is_none() {
        return Ok(see_other(&next));
    }
    let renewed = match refresh_token(&req) {
        Some(token) => match renew(&state, &token, &origin(&req)).await {
            Ok(tokens) => Some(tokens),
            Err(ApiError::Core(psma_core::Error::Unauthenticated(_))) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    Ok(match renewed {
        Some(tokens) => {
            let mut res = see_other(&next);
            set_renewed(&mut res, &req, &tokens);
            res
        }
        None => {
            let login = format!(
                "/login?{}",
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish()
            );
            let mut res = see_other(&login);
            clear(&mut res, &req);
            res
        }
    })
}
