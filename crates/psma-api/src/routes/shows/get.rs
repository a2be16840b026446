//! `GET /api/v1/shows/{id}`.

use super::ShowHeader;
use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::path_id;
use crate::responses::{Invalid, NotFound, Unavailable};
use crate::state::ApiState;
use crate::views::SourceView;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use psma_core::catalog::merge::MergedAvailability;
use psma_core::catalog::{ConflictStatus, ShowDetail, ShowId, StoredFact};
use psma_plugin_sdk::text::CountryCode;
use psma_plugin_sdk::{Fact, ServiceRegistry};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Options of the show view.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShowParams {
    /// Only availability in this country.
    #[param(value_type = Option<String>, pattern = r"^[A-Z]{2}$")]
    pub country: Option<CountryCode>,
}

/// One show as the caller sees it: its canonical availability with provenance, its upcoming
/// episodes, its open conflicts and the sources to credit.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowDetailView {
    /// What it is.
    #[serde(flatten)]
    pub show: ShowHeader,
    /// A short description.
    pub overview: Option<String>,
    /// Where and when it can be watched: the winning fact per service and window.
    pub availability: Vec<AvailabilityView>,
    /// Episodes airing today or later, in airing order.
    pub upcoming_episodes: Vec<EpisodeView>,
    /// Disagreements between sources about it that still apply.
    pub conflicts: Vec<ConflictBrief>,
    /// The sources of the facts shown, with the credit each requires.
    pub sources: Vec<SourceView>,
}

/// A window on one service, as merged from the sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityView {
    /// Where.
    pub country: String,
    /// The service.
    pub service_id: String,
    /// Its name, from the registry.
    pub service_name: Option<String>,
    /// `svod`, `avod`, `tvod`, `live_bundle` or `unknown`.
    pub category: String,
    /// `flatrate`, `free`, `ads`, `rent` or `buy`.
    pub monetization: String,
    /// From when (null: available now, start unknown).
    pub available_from: Option<NaiveDate>,
    /// Until when (null: no known end).
    pub available_until: Option<NaiveDate>,
    /// Whether the window covers today.
    pub available_now: bool,
    /// The winning fact's confidence, 0 to 1.
    pub confidence: f64,
    /// When its source was read.
    pub retrieved_at: DateTime<Utc>,
    /// Who says so.
    pub source_id: String,
    /// The winning fact's id.
    pub fact_id: Uuid,
    /// Whether an unresolved conflict disputes it.
    pub contested: bool,
    /// The conflicts disputing it.
    pub conflict_ids: Vec<Uuid>,
    /// What other sources say about the same window, best first.
    pub alternatives: Vec<AlternativeView>,
}

/// A fact that lost the merge.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlternativeView {
    /// Its id.
    pub fact_id: Uuid,
    /// Who says so.
    pub source_id: String,
    /// Its confidence.
    pub confidence: f64,
    /// When its source was read.
    pub retrieved_at: DateTime<Utc>,
    /// Its start.
    pub available_from: Option<NaiveDate>,
    /// Its end.
    pub available_until: Option<NaiveDate>,
}

/// An upcoming episode.
#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeView {
    /// Season.
    pub season: u16,
    /// Number.
    pub number: u32,
    /// Title.
    pub title: Option<String>,
    /// The day it airs.
    pub air_date: Option<NaiveDate>,
    /// The instant it airs.
    pub airstamp: Option<DateTime<Utc>>,
    /// Who says so.
    pub source_id: String,
    /// The fact's id.
    pub fact_id: Uuid,
}

/// A conflict, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictBrief {
    /// Its id.
    pub id: Uuid,
    /// `identity`, `availability` or `service_mapping`.
    pub kind: String,
    /// `open`, `resolved` or `deferred`, for the caller.
    pub status: String,
    /// What the disagreement is.
    pub summary: String,
}

/// The canonical view of one show, with the provenance of every fact shown.
#[utoipa::path(get, path = "/api/v1/shows/{id}", tag = "catalog", operation_id = "get_show",
    params(("id" = Uuid, Path, description = "The show's id"), ShowParams),
    responses((status = 200, description = "The show", body = ShowDetailView), NotFound, Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    id: web::Path<String>,
    QueryParams(params): QueryParams<ShowParams>,
) -> Result<HttpResponse, ApiError> {
    let id = ShowId(path_id(&id, "show")?);
    let detail = state.catalog.show(&ctx, id).await?;
    let view = render(&detail, state.catalog.registry(), params.country.as_ref());
    Ok(HttpResponse::Ok().json(view))
}

pub(crate) fn render(
    detail: &ShowDetail,
    registry: &ServiceRegistry,
    country: Option<&CountryCode>,
) -> ShowDetailView {
    let record = &detail.record;
    let view = detail.view();
    let unresolved: Vec<_> = record
        .conflicts
        .iter()
        .filter(|c| c.status != ConflictStatus::Resolved)
        .collect();
    let availability = view
        .availability
        .iter()
        .filter(|m| country.is_none_or(|c| &m.country == c))
        .map(|m| {
            let ids: BTreeSet<_> = m.ranked.all().map(|f| f.id).collect();
            let conflict_ids: Vec<Uuid> = unresolved
                .iter()
                .filter(|c| c.conflict.fact_ids.iter().any(|f| ids.contains(f)))
                .map(|c| c.conflict.id.0)
                .collect();
            availability(m, registry, detail.today, conflict_ids)
        })
        .collect();
    let upcoming_episodes = view
        .upcoming_episodes(detail.today)
        .into_iter()
        .map(|(e, fact)| EpisodeView {
            season: e.season,
            number: e.number,
            title: e.title.as_ref().map(ToString::to_string),
            air_date: e.air_date,
            airstamp: e.airstamp,
            source_id: fact.source_id().to_string(),
            fact_id: fact.id.0,
        })
        .collect();
    let identity = view.identity();
    ShowDetailView {
        show: ShowHeader::from(&record.show),
        overview: identity
            .and_then(|i| i.overview.as_ref())
            .or(record.show.overview.as_ref())
            .map(ToString::to_string),
        availability,
        upcoming_episodes,
        conflicts: record
            .conflicts
            .iter()
            .map(|c| ConflictBrief {
                id: c.conflict.id.0,
                kind: c.conflict.kind.as_str().to_owned(),
                status: c.status.as_str().to_owned(),
                summary: c.conflict.summary.clone(),
            })
            .collect(),
        sources: record.sources.iter().map(SourceView::from).collect(),
    }
}

fn availability(
    m: &MergedAvailability<'_>,
    registry: &ServiceRegistry,
    today: NaiveDate,
    conflict_ids: Vec<Uuid>,
) -> AvailabilityView {
    let winner = m.ranked.winner;
    let entry = registry.get(m.service_id.as_str());
    AvailabilityView {
        country: m.country.to_string(),
        service_id: m.service_id.to_string(),
        service_name: entry.map(|e| e.name.to_string()),
        category: entry.map_or("unknown", |e| e.category.as_str()).to_owned(),
        monetization: m.winner.monetization.as_str().to_owned(),
        available_from: m.winner.available_from,
        available_until: m.winner.available_until,
        available_now: m.available_on(today),
        confidence: winner.confidence(),
        retrieved_at: winner.retrieved_at(),
        source_id: winner.source_id().to_string(),
        fact_id: winner.id.0,
        contested: !conflict_ids.is_empty(),
        conflict_ids,
        alternatives: m
            .ranked
            .alternatives
            .iter()
            .map(|f| alternative(f))
            .collect(),
    }
}

fn alternative(fact: &StoredFact) -> AlternativeView {
    let (from, until) = match &fact.fact {
        Fact::Availability(a) => (a.available_from, a.available_until),
        _ => (None, None),
    };
    AlternativeView {
        fact_id: fact.id.0,
        source_id: fact.source_id().to_string(),
        confidence: fact.confidence(),
        retrieved_at: fact.retrieved_at(),
        available_from: from,
        available_until: until,
    }
}
