//! `GET /providers`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::routes::providers::list::ProviderView;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::Instant;
use crate::ui::page::{Layout, Section, render};
use crate::views::RunView;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default)]
    queued: Option<String>,
    #[serde(default)]
    refused: Option<String>,
}

/// A provider as the page shows it.
pub(crate) struct Source {
    id: String,
    name: String,
    enabled: bool,
    needs_key: bool,
    every: Option<String>,
    last: Option<Run>,
    next: Option<Instant>,
    failures: u32,
    error: Option<String>,
    credit: String,
}

/// A refresh run.
pub(crate) struct Run {
    source: String,
    trigger: String,
    outcome: String,
    finished: Instant,
    new: u64,
    changed: u64,
    ended: u64,
    rejected: u64,
}

impl From<&RunView> for Run {
    fn from(r: &RunView) -> Self {
        Self {
            source: r.source_id.clone(),
            trigger: r.trigger.replace('_', " "),
            outcome: r.outcome.clone(),
            finished: Instant::from(r.finished_at),
            new: r.facts.new,
            changed: r.facts.changed,
            ended: r.facts.ended,
            rejected: r.facts.rejected,
        }
    }
}

#[derive(Template)]
#[template(path = "pages/providers.html")]
struct ProvidersPage {
    layout: Layout,
    csrf: String,
    can_refresh: bool,
    any_enabled: bool,
    sources: Vec<Source>,
    runs: Vec<Run>,
    notice: Option<(&'static str, String)>,
}

fn every(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => crate::ui::format::count((s / 86_400) as usize, "day", "days"),
        s if s % 3_600 == 0 => crate::ui::format::count((s / 3_600) as usize, "hour", "hours"),
        s => crate::ui::format::count((s / 60).max(1) as usize, "minute", "minutes"),
    }
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let statuses = state.providers.list(&ctx).await?;
    let runs = state.providers.runs(&ctx, None, None, 20).await?;
    let sources: Vec<Source> = statuses
        .iter()
        .map(|s| {
            let v = ProviderView::from(s);
            Source {
                needs_key: v.needs_credentials && !v.enabled,
                every: v.refresh_every_secs.map(every),
                last: v.last_run.as_ref().map(Run::from),
                next: v.next_run.map(Instant::from),
                failures: v.failures_in_a_row,
                error: v.last_error,
                credit: v.attribution.text,
                id: v.source_id,
                name: v.display_name,
                enabled: v.enabled,
            }
        })
        .collect();
    // Only names of configured providers are echoed, never free text from the address.
    let named = |raw: &str| sources.iter().find(|s| s.id == raw).map(|s| s.name.clone());
    let notice = match (&outcome.queued, &outcome.refused) {
        (Some(list), _) => {
            let names: Vec<String> = list.split(", ").filter_map(named).collect();
            Some((
                "ok",
                format!(
                    "Refresh asked for{}. The runs below show it when it finishes; the page updates by itself.",
                    if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) }
                ),
            ))
        }
        (_, Some(id)) => named(id).map(|name| {
            (
                "warn",
                format!("{name} is turned off, so it cannot be refreshed: it needs its configuration first."),
            )
        }),
        _ => None,
    };
    let page = ProvidersPage {
        layout: Layout::new("Providers", Section::Providers),
        csrf: csrf.0,
        can_refresh: ctx.grants().allows(Permission::CATALOG_WRITE),
        any_enabled: sources.iter().any(|s| s.enabled),
        sources,
        runs: runs
            .items
            .iter()
            .map(|r| Run::from(&RunView::from(r)))
            .collect(),
        notice,
    };
    render(StatusCode::OK, &page)
}
