//! `GET /conflicts/{id}`: a disagreement with its competing facts side by side — who says
//! what, how sure, read when — and the forms that decide it.

use super::status_label;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::format::{Day, Instant, confidence};
use crate::ui::page::{Layout, Section, render};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::access::Permission;
use psma_core::catalog::{ConflictId, ConflictKind, ConflictStatus, Resolution, StoredFact};
use psma_plugin_sdk::Fact;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default)]
    done: String,
}

/// One competing fact.
pub(crate) struct Side {
    id: String,
    source: String,
    confidence: String,
    band: &'static str,
    retrieved: Instant,
    /// What it says, line by line (`Service: Max`).
    says: Vec<(&'static str, String)>,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "pages/conflict.html")]
struct ConflictPage {
    layout: Layout,
    csrf: String,
    id: String,
    summary: String,
    show_id: String,
    other_show_id: Option<String>,
    status: &'static str,
    open: bool,
    identity: bool,
    can_decide: bool,
    sides: Vec<Side>,
    decided: Option<String>,
    notice: Option<&'static str>,
}

fn says(fact: &Fact, state: &ApiState) -> Vec<(&'static str, String)> {
    let day = |d: Option<chrono::NaiveDate>, none: &str| {
        d.map_or_else(|| none.to_owned(), |d| Day::from(d).text)
    };
    match fact {
        Fact::Availability(a) => vec![
            (
                "Service",
                crate::ui::pages::service_name(state, a.service_id.as_str()),
            ),
            ("Country", a.country.to_string()),
            ("How", a.monetization.as_str().to_owned()),
            ("From", day(a.available_from, "unknown")),
            ("Until", day(a.available_until, "no end known")),
        ],
        Fact::ShowIdentity(i) => {
            let mut lines = vec![("Title", i.title.to_string())];
            if let Some(year) = i.year {
                lines.push(("Year", year.to_string()));
            }
            for (namespace, value) in &i.external_ids {
                lines.push(("Id", format!("{namespace}: {value}")));
            }
            lines
        }
        other => vec![("Fact", other.kind().as_str().to_owned())],
    }
}

fn side(fact: &StoredFact, chosen: Option<&str>, state: &ApiState) -> Side {
    let (percent, band) = confidence(fact.confidence());
    let id = fact.id.0.to_string();
    Side {
        chosen: chosen == Some(id.as_str()),
        id,
        source: fact.source_id().to_string(),
        confidence: percent,
        band,
        retrieved: Instant::from(fact.retrieved_at()),
        says: says(&fact.fact, state),
    }
}

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
    outcome: web::Query<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let id = ConflictId(path_id(&id, "conflict")?);
    let view = state.conflicts.get(&ctx, id).await?;
    let chosen = view.decision.as_ref().and_then(|d| match &d.resolution {
        Some(Resolution::ChoseFact(f)) => Some(f.0.to_string()),
        _ => None,
    });
    let decided = view.decision.as_ref().map(|d| {
        let what = match &d.resolution {
            Some(Resolution::ChoseFact(_)) => "You chose the fact marked below".to_owned(),
            Some(Resolution::SameShow(true)) => "You said these are the same show".to_owned(),
            Some(Resolution::SameShow(false)) => "You said these are different shows".to_owned(),
            Some(Resolution::Value(_)) => "You gave your own value".to_owned(),
            None => "You put it aside".to_owned(),
        };
        match &d.note {
            Some(note) => format!("{what}. Your note: {note}"),
            None => format!("{what}."),
        }
    });
    let c = &view.conflict;
    let page = ConflictPage {
        layout: Layout::new("Conflict", Section::Conflicts),
        csrf: csrf.0,
        id: c.id.0.to_string(),
        summary: c.summary.clone(),
        show_id: c.show_id.0.to_string(),
        other_show_id: c.other_show_id.map(|s| s.0.to_string()),
        status: status_label(view.status),
        open: view.status != ConflictStatus::Resolved,
        identity: c.kind == ConflictKind::Identity,
        can_decide: ctx.grants().allows(Permission::CONFLICTS_WRITE),
        sides: view
            .facts
            .iter()
            .map(|f| side(f, chosen.as_deref(), &state))
            .collect(),
        decided,
        notice: match outcome.done.as_str() {
            "resolved" => Some("Decided. Your plan follows your decision from now on."),
            "deferred" => Some("Put aside. The plan keeps using the fact PSMA trusts most."),
            _ => None,
        },
    };
    render(StatusCode::OK, &page)
}
