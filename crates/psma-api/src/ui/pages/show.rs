//! `GET /shows/{id}`: one show — where and when it streams, how sure each source is, when it
//! was read and from whom; its upcoming episodes; the disagreements about it.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::params::path_id;
use crate::routes::shows::get::{AvailabilityView, ShowDetailView, render as detail_view};
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::{Day, Instant, confidence};
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::Credit;
use crate::ui::pages::my_shows::mode_label;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::catalog::ShowId;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One row of "Where to watch".
pub(crate) struct Where {
    service: String,
    country: String,
    monetization: &'static str,
    from: Option<Day>,
    until: Option<Day>,
    now: bool,
    confidence: String,
    band: &'static str,
    source: String,
    retrieved: Instant,
    contested: bool,
    others: Vec<Other>,
}

/// What another source says about the same window.
pub(crate) struct Other {
    source: String,
    confidence: String,
    from: Option<Day>,
    until: Option<Day>,
}

/// An upcoming episode.
pub(crate) struct Episode {
    code: String,
    title: String,
    day: Option<Day>,
}

/// A disagreement between sources.
pub(crate) struct Disagreement {
    summary: String,
    status: String,
}

#[derive(Template)]
#[template(path = "pages/show.html")]
struct ShowPage {
    layout: Layout,
    csrf: String,
    id: String,
    /// How the member watches it, when it is in My Shows.
    following: Option<&'static str>,
    can_edit: bool,
    added: bool,
    title: String,
    year: Option<i32>,
    kind: &'static str,
    genres: Vec<String>,
    overview: Option<String>,
    private: bool,
    rows: Vec<Where>,
    episodes: Vec<Episode>,
    conflicts: Vec<Disagreement>,
    credits: Vec<Credit>,
}

/// `?added=1` after "Add to My Shows".
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default)]
    added: Option<String>,
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let id = ShowId(path_id(&id, "show")?);
    let detail = state.catalog.show(&ctx, id).await?;
    let following = state
        .profiles
        .my_shows(&ctx)
        .await?
        .into_iter()
        .find(|s| s.show_id == id)
        .map(|s| mode_label(s.wish.watch_mode));
    let view = detail_view(&detail, state.catalog.registry(), None);
    let mut page = page(view);
    page.csrf = csrf.0;
    page.following = following;
    page.can_edit = ctx.grants().allows(Permission::MY_SHOWS_WRITE);
    page.added = outcome.added.is_some() && following.is_some();
    render(StatusCode::OK, &page)
}

fn page(view: ShowDetailView) -> ShowPage {
    // Sources by name, as they are credited below the table.
    let names: BTreeMap<String, String> = view
        .sources
        .iter()
        .map(|s| (s.source_id.clone(), s.name.clone()))
        .collect();
    let name = |id: String| names.get(&id).cloned().unwrap_or(id);
    let rows = view
        .availability
        .into_iter()
        .map(|a| row(a, &name))
        .collect();
    ShowPage {
        layout: Layout::new(view.show.title.clone(), Section::Catalog),
        csrf: String::new(),
        id: view.show.id.to_string(),
        following: None,
        can_edit: false,
        added: false,
        title: view.show.title,
        year: view.show.year,
        kind: match view.show.kind {
            crate::routes::shows::ShowKindView::Tv => "Series",
            crate::routes::shows::ShowKindView::Movie => "Film",
        },
        genres: view.show.genres,
        overview: view.overview,
        private: matches!(view.show.scope, crate::views::ScopeView::Private),
        rows,
        episodes: view
            .upcoming_episodes
            .into_iter()
            .map(|e| Episode {
                code: format!("S{:02}E{:02}", e.season, e.number),
                title: e.title.unwrap_or_default(),
                day: e
                    .air_date
                    .or_else(|| e.airstamp.map(|at| at.date_naive()))
                    .map(Day::from),
            })
            .collect(),
        conflicts: view
            .conflicts
            .into_iter()
            .map(|c| Disagreement {
                summary: c.summary,
                status: c.status,
            })
            .collect(),
        credits: view.sources.into_iter().map(Credit::from).collect(),
    }
}

fn row(a: AvailabilityView, name: &impl Fn(String) -> String) -> Where {
    let (percent, band) = confidence(a.confidence);
    Where {
        service: a.service_name.unwrap_or_else(|| a.service_id.clone()),
        country: a.country,
        monetization: match a.monetization.as_str() {
            "flatrate" => "subscription",
            "free" => "free",
            "ads" => "free with ads",
            "rent" => "rent",
            "buy" => "buy",
            _ => "other",
        },
        from: a.available_from.map(Day::from),
        until: a.available_until.map(Day::from),
        now: a.available_now,
        confidence: percent,
        band,
        source: name(a.source_id),
        retrieved: Instant::from(a.retrieved_at),
        contested: a.contested,
        others: a
            .alternatives
            .into_iter()
            .map(|o| Other {
                source: name(o.source_id),
                confidence: confidence(o.confidence).0,
                from: o.available_from.map(Day::from),
                until: o.available_until.map(Day::from),
            })
            .collect(),
    }
}
