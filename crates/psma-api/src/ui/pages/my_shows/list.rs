//! `GET /my-shows`: the shows the household member wants to watch, and how.

use super::mode_label;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::Day;
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::Outcome;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::catalog::ShowId;

pub(crate) struct Line {
    id: String,
    title: String,
    mode: &'static str,
    binge_days: u16,
    season: Option<u16>,
    start_after: Option<Day>,
    end_date: Option<Day>,
}

/// A removal that can still be undone.
pub(crate) struct Removed {
    id: String,
    title: String,
}

#[derive(Template)]
#[template(path = "pages/my_shows.html")]
struct MyShows {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    shows: Vec<Line>,
    notice: Option<String>,
    removed: Option<Removed>,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let selections = state.profiles.my_shows(&ctx).await?;
    let mut ids: Vec<ShowId> = selections.iter().map(|s| s.show_id).collect();
    let named = |raw: &Option<String>| {
        raw.as_deref()
            .and_then(crate::params::hyphenated_uuid)
            .map(ShowId)
    };
    let (saved, removed, restored) = (
        named(&outcome.saved),
        named(&outcome.removed),
        named(&outcome.restored),
    );
    ids.extend(removed);
    let titles = state.catalog.titles(&ctx, &ids).await?;
    let title = |id: ShowId| {
        titles
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "A show".to_owned())
    };
    let mut shows: Vec<Line> = selections
        .iter()
        .map(|s| Line {
            id: s.show_id.0.to_string(),
            title: title(s.show_id),
            mode: mode_label(s.wish.watch_mode),
            binge_days: s.wish.binge_days,
            season: s.wish.season,
            start_after: s.wish.start_after.map(Day::from),
            end_date: s.wish.end_date.map(Day::from),
        })
        .collect();
    shows.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    let notice = saved
        .map(|id| format!("Saved: {}.", title(id)))
        .or_else(|| restored.map(|id| format!("{} is back in My Shows.", title(id))));
    let page = MyShows {
        layout: Layout::new("My Shows", Section::MyShows),
        csrf: csrf.0,
        can_edit: ctx.grants().allows(Permission::MY_SHOWS_WRITE),
        shows,
        notice,
        removed: removed
            .filter(|id| !selections.iter().any(|s| s.show_id == *id))
            .map(|id| Removed {
                id: id.0.to_string(),
                title: title(id),
            }),
    };
    render(StatusCode::OK, &page)
}
