//! `GET /login` and `POST /login`: email and password (or an identity provider), then back to
//! the page that asked (`next`).

use crate::error::ApiError;
use crate::routes::auth::origin;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::form::Form;
use crate::ui::page::{Layout, Section, render, see_other};
use crate::ui::session::{safe_next, set};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    email: String,
    next: String,
    error: Option<String>,
    providers: Vec<(String, String)>,
}

fn page(
    state: &ApiState,
    csrf: CsrfToken,
    email: String,
    next: &str,
    error: Option<String>,
) -> LoginPage {
    let providers = state
        .oauth
        .as_ref()
        .map(|o| {
            o.providers()
                .names()
                .map(|name| {
                    let label = match name.as_str() {
                        "google" => "Sign in with Google".to_owned(),
                        "github" => "Sign in with GitHub".to_owned(),
                        other => format!("Sign in with {other}"),
                    };
                    (format!("/api/v1/auth/oauth/{name}/start"), label)
                })
                .collect()
        })
        .unwrap_or_default();
    LoginPage {
        layout: Layout::new("Sign in", Section::Elsewhere),
        csrf: csrf.0,
        email,
        next: safe_next(next),
        error,
        providers,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Next {
    #[serde(default)]
    next: String,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    csrf: CsrfToken,
    query: web::Query<Next>,
) -> Result<HttpResponse, ApiError> {
    if state.sessions.is_none() {
        return Ok(see_other("/"));
    }
    render(
        StatusCode::OK,
        &page(&state, csrf, String::new(), &query.next, None),
    )
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    csrf: CsrfToken,
    Form(form): Form<LoginForm>,
) -> Result<HttpResponse, ApiError> {
    let Some(sessions) = state.sessions.as_ref() else {
        return Ok(see_other("/"));
    };
    let (status, error) = match sessions
        .login(&form.email, form.password.clone(), &origin(&req))
        .await
    {
        Ok(tokens) => {
            let mut res = see_other(&safe_next(&form.next));
            set(&mut res, &req, &tokens);
            return Ok(res);
        }
        Err(psma_core::Error::Unauthenticated(_)) => (
            StatusCode::UNAUTHORIZED,
            "The email or the password is not right.".to_owned(),
        ),
        Err(psma_core::Error::Throttled {
            retry_after_secs, ..
        }) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many attempts. Try again in {retry_after_secs} seconds."),
        ),
        Err(psma_core::Error::Validation { message, .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, message)
        }
        Err(err) => return Err(err.into()),
    };
    let page = page(
        &state,
        csrf,
        form.email.trim().to_owned(),
        &form.next,
        Some(error),
    );
    render(status, &page)
}
