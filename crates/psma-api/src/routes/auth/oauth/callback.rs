//! `GET /api/v1/auth/oauth/{provider}/callback`.

use super::{bounded, cookie, presented_binding, sign_in};
use crate::error::ApiError;
use crate::extract::QueryParams;
use crate::responses::{Forbidden, HostedOnly, Invalid, Unauthorized, Unavailable, Upstream};
use crate::routes::auth::{TokensView, origin};
use crate::state::ApiState;
use actix_web::http::header::{CACHE_CONTROL, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::accounts::identities::ProviderReply;
use serde::Deserialize;
use utoipa::IntoParams;

/// What the provider sends back. Providers add parameters of their own (`scope`,
/// `authuser`, …); they are ignored.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackParams {
    /// The `state` PSMA sent to the provider.
    #[param(pattern = "^[0-9a-f]{64}$")]
    pub state: String,
    /// The authorization code (absent when the provider reports an error).
    #[param(min_length = 1, max_length = 2048)]
    pub code: Option<String>,
    /// The provider's error code (`access_denied` when the person declined).
    #[param(min_length = 1, max_length = 256)]
    pub error: Option<String>,
    /// The provider's description of its error (not used).
    #[param(min_length = 1, max_length = 1024)]
    pub error_description: Option<String>,
}

/// Where the provider sends the browser back: finishes the sign-in started in this browser
/// (the `psma_oauth` cookie must match the `state`; each sign-in finishes once, within 10
/// minutes), exchanges the code with its PKCE verifier, verifies who signed in (Google: the
/// ID token's signature, issuer, audience, expiry and nonce), and answers with a token pair as
/// `POST /api/v1/auth/login` does, clearing the cookie. A linked identity signs its user in;
/// a first sign-in joins a household by the invitation it was started with, links an account
/// with the provider's verified email, or joins the household of an allowed email domain;
/// anyone else gets 403. Audited (`auth.oauth_login`, `auth.oauth_link`, `auth.oauth_join`,
/// `auth.oauth_refused`).
#[utoipa::path(get, path = "/api/v1/auth/oauth/{provider}/callback", tag = "auth", operation_id = "oauth_callback",
    params(("provider" = String, Path, description = "The provider's name as configured (`google`, `github`)",
        pattern = "^[a-z0-9-]{1,32}$", example = "github"), CallbackParams),
    responses(
        (status = 200, description = "Signed in; the cookie is cleared", body = TokensView),
        (status = 303, description = "A browser navigation (`Sec-Fetch-Dest: document`, the web UI's sign-in buttons): signed in with the web UI's session cookies and sent to `/`"),
        Unauthorized, Forbidden, HostedOnly, Invalid, Upstream, Unavailable),
    security(()))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    provider: web::Path<String>,
    QueryParams(params): QueryParams<CallbackParams>,
) -> Result<HttpResponse, ApiError> {
    let is_hex = params.state.len() == 64
        && params
            .state
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !is_hex {
        return Err(ApiError::InvalidField {
            field: "state".to_owned(),
            message: "must be 64 lower-case hex digits".to_owned(),
        });
    }
    bounded("code", params.code.as_deref(), 1, 2048)?;
    bounded("error", params.error.as_deref(), 1, 256)?;
    bounded(
        "error_description",
        params.error_description.as_deref(),
        1,
        1024,
    )?;
    let oauth = sign_in(&state)?;
    let reply = ProviderReply {
        code: params.code,
        state: params.state,
        error: params.error,
    };
    let binding = presented_binding(&req);
    let finished = oauth
        .callback(&provider, reply, binding.as_deref(), &origin(&req))
        .await;
    // The flow is used up (or was never this browser's): the cookie has served either way.
    let clear = cookie(&state, "", 0);
    // A browser that navigated here (the web UI's sign-in buttons) is signed in with the page
    // session's cookies and sent home; other callers get the tokens as JSON.
    let navigated = req
        .headers()
        .get("sec-fetch-dest")
        .is_some_and(|v| v.as_bytes() == b"document");
    match finished {
        Ok(tokens) if navigated && state.sessions.is_some() => {
            let mut res = crate::ui::page::see_other("/");
            crate::ui::session::set(&mut res, &req, &tokens);
            if let Ok(value) = actix_web::http::header::HeaderValue::try_from(clear) {
                res.headers_mut().append(SET_COOKIE, value);
            }
            Ok(res)
        }
        Ok(tokens) => Ok(HttpResponse::Ok()
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((SET_COOKIE, clear))
            .json(TokensView::new(tokens))),
        Err(err) => {
            let mut response = HttpResponse::from_error(ApiError::Core(err));
            if let Ok(value) = actix_web::http::header::HeaderValue::try_from(clear) {
                response.headers_mut().insert(SET_COOKIE, value);
            }
            Ok(response)
        }
    }
}
