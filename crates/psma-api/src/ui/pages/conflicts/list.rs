//! `GET /conflicts`: open disagreements first; `?status=` shows deferred, resolved or all.

use super::status_label;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::state::ApiState;
use crate::ui::format::Instant;
use crate::ui::page::{Layout, Section, render};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::catalog::{ConflictId, ConflictStatus};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Query {
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

pub(crate) struct Line {
    id: String,
    summary: String,
    kind: &'static str,
    status: &'static str,
    detected: Instant,
}

pub(crate) struct Filter {
    value: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "pages/conflicts.html")]
struct ConflictsPage {
    layout: Layout,
    items: Vec<Line>,
    filters: Vec<Filter>,
    open_view: bool,
    next_url: Option<String>,
}

const FILTERS: [(&str, &str, Option<ConflictStatus>); 4] = [
    ("", "Open", Some(ConflictStatus::Open)),
    ("deferred", "Deferred", Some(ConflictStatus::Deferred)),
    ("resolved", "Resolved", Some(ConflictStatus::Resolved)),
    ("all", "All", None),
];

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let (filter, status) = FILTERS
        .iter()
        .find(|(value, _, _)| *value == query.status.as_str())
        .map_or(("", Some(ConflictStatus::Open)), |(v, _, s)| (*v, *s));
    let after = crate::params::hyphenated_uuid(&query.cursor).map(ConflictId);
    let page = state.conflicts.list(&ctx, status, after, 50).await?;
    let items = page
        .items
        .iter()
        .map(|v| Line {
            id: v.conflict.id.0.to_string(),
            summary: v.conflict.summary.clone(),
            kind: match v.conflict.kind.as_str() {
                "identity" => "Same show?",
                "availability" => "Where or when it streams",
                _ => "Which service",
            },
            status: status_label(v.status),
            detected: Instant::from(v.conflict.detected_at),
        })
        .collect();
    let next_url = page.next.map(|c| {
        let mut url = format!("/conflicts?cursor={}", c.0);
        if !filter.is_empty() {
            url.push_str("&status=");
            url.push_str(filter);
        }
        url
    });
    let page = ConflictsPage {
        layout: Layout::new("Conflicts", Section::Conflicts),
        items,
        filters: FILTERS
            .iter()
            .map(|&(value, label, _)| Filter {
                value,
                label,
                current: value == filter,
            })
            .collect(),
        open_view: filter.is_empty(),
        next_url,
    };
    render(StatusCode::OK, &page)
}
