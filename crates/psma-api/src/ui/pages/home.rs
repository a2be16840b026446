//! `GET /`: where a person starts — what to do first, or where things stand.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::format::count;
use crate::ui::page::{Layout, Section, render};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    layout: Layout,
    /// "3 shows", or `None` before the first is picked.
    following: Option<String>,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
) -> Result<HttpResponse, ApiError> {
    let shows = state.profiles.my_shows(&ctx).await?;
    let page = Home {
        layout: Layout::new("Home", Section::Home),
        following: (!shows.is_empty()).then(|| count(shows.len(), "show", "shows")),
    };
    render(StatusCode::OK, &page)
}
