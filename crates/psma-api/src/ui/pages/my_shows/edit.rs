//! `GET /my-shows/{id}`: how one show is to be watched — the form that changes it (or adds the
//! show with these choices).

use super::{WishForm, mode_label};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::fields::{Field, FieldErrors};
use crate::ui::page::{Layout, Section, render};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::catalog::ShowId;
use psma_core::planning::profile::WatchMode;

/// A watch mode to choose.
pub(crate) struct ModeChoice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "pages/my_show.html")]
pub(crate) struct EditWish {
    layout: Layout,
    csrf: String,
    id: String,
    title: String,
    following: bool,
    modes: Vec<ModeChoice>,
    mode_error: Option<String>,
    fields: Vec<Field>,
    errors: FieldErrors,
}

impl EditWish {
    /// The page for `form` (as stored, or as sent with `errors`).
    pub(crate) fn new(
        csrf: String,
        id: ShowId,
        title: String,
        following: bool,
        form: &WishForm,
        errors: FieldErrors,
        default_binge_days: u16,
    ) -> Self {
        Self {
            layout: Layout::new(format!("{title} — My Shows"), Section::MyShows),
            csrf,
            id: id.0.to_string(),
            title,
            following,
            modes: [WatchMode::AsAired, WatchMode::BingeAfterSeason]
                .into_iter()
                .map(|m| ModeChoice {
                    value: m.as_str(),
                    label: mode_label(m),
                    checked: form.watch_mode == m.as_str(),
                })
                .collect(),
            mode_error: errors.get("watch_mode").map(str::to_owned),
            fields: form.fields(&errors, default_binge_days),
            errors,
        }
    }
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ShowId(path_id(&id, "show")?);
    let detail = state.catalog.show(&ctx, id).await?;
    let selection = state
        .profiles
        .my_shows(&ctx)
        .await?
        .into_iter()
        .find(|s| s.show_id == id);
    let defaults = state.profiles.settings(&ctx).await?.planner;
    let form = selection.as_ref().map_or_else(
        || WishForm {
            watch_mode: WatchMode::AsAired.as_str().to_owned(),
            ..WishForm::default()
        },
        |s| WishForm::of(&s.wish),
    );
    let page = EditWish::new(
        csrf.0,
        id,
        detail.record.show.title.to_string(),
        selection.is_some(),
        &form,
        FieldErrors::default(),
        defaults.binge_days,
    );
    render(StatusCode::OK, &page)
}
