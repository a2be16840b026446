//! `GET /invitations/accept?token=` and `POST /invitations/accept`: joining a household from an
//! invitation link — choose a name and a password, and be signed in.

use crate::error::ApiError;
use crate::routes::auth::origin;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::{Field, FieldErrors};
use crate::ui::form::Form;
use crate::ui::page::{Layout, Section, render, see_other};
use crate::ui::session::set;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AcceptForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "pages/invitation.html")]
struct InvitationPage {
    layout: Layout,
    csrf: String,
    token: String,
    fields: Vec<Field>,
    errors: FieldErrors,
    refused: Option<String>,
}

fn page(
    csrf: CsrfToken,
    form: &AcceptForm,
    errors: FieldErrors,
    refused: Option<String>,
) -> InvitationPage {
    InvitationPage {
        layout: Layout::new("Join the household", Section::Elsewhere),
        csrf: csrf.0,
        token: form.token.clone(),
        fields: vec![
            Field::new("display_name", "Your name", "text")
                .value(&form.display_name)
                .hint("How the household sees you. Empty: your email's name.")
                .error_from(&errors),
            Field::new("password", "Choose a password", "password")
                .hint("At least 12 characters; not a common one.")
                .error_from(&errors),
        ],
        errors,
        refused,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    csrf: CsrfToken,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, ApiError> {
    if state.sessions.is_none() {
        return Ok(see_other("/"));
    }
    let form = AcceptForm {
        token: query.token.clone(),
        ..AcceptForm::default()
    };
    render(
        StatusCode::OK,
        &page(csrf, &form, FieldErrors::default(), None),
    )
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    csrf: CsrfToken,
    Form(form): Form<AcceptForm>,
) -> Result<HttpResponse, ApiError> {
    let Some(sessions) = state.sessions.as_ref() else {
        return Ok(see_other("/"));
    };
    let name = Some(form.display_name.trim().to_owned()).filter(|n| !n.is_empty());
    let (status, errors, refused) = match sessions
        .accept_invitation(&form.token, form.password.clone(), name, &origin(&req))
        .await
    {
        Ok(tokens) => {
            let mut res = see_other("/");
            set(&mut res, &req, &tokens);
            return Ok(res);
        }
        Err(psma_core::Error::Unauthenticated(_)) => (
            StatusCode::UNAUTHORIZED,
            FieldErrors::default(),
            Some("This invitation link is not valid any more: it was used, it expired, or it was mistyped. Ask for a new one.".to_owned()),
        ),
        Err(psma_core::Error::Conflict(why)) => (StatusCode::CONFLICT, FieldErrors::default(), Some(why)),
        Err(err) => (StatusCode::UNPROCESSABLE_ENTITY, FieldErrors::from_core(err)?, None),
    };
    render(status, &page(csrf, &form, errors, refused))
}
