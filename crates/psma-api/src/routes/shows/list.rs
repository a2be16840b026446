//! `GET /api/v1/shows`.

use super::ShowHeader;
use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::DEFAULT_LIMIT;
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::catalog::ShowId;
use psma_core::catalog::ShowQuery;
use psma_core::catalog::ports::{AvailabilityStatus, ShowCursor};
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The longest `q`, in characters.
const MAX_Q: usize = 200;

/// Whether a show can be watched, judged on today.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    /// A window (on the service and in the country, when given) covers today.
    Available,
    /// None covers today but one starts later.
    Upcoming,
    /// Neither.
    Unknown,
}

/// Filters and paging of the show list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShowsParams {
    /// Words the title contains (case, accents and punctuation do not matter).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only shows on this service.
    #[param(value_type = Option<String>, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 64)]
    pub service_id: Option<ServiceId>,
    /// Only shows watchable in this country (ISO 3166-1 alpha-2).
    #[param(value_type = Option<String>, pattern = r"^[A-Z]{2}$")]
    pub country: Option<CountryCode>,
    /// Only shows with this status (on the service and in the country, when given).
    #[param(inline)]
    pub status: Option<StatusParam>,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (a sort key, `|`, the last show's id).
    #[param(
        pattern = r"^[^|\x00]*\|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    pub cursor: Option<String>,
}

/// A show in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowItem {
    /// What it is.
    #[serde(flatten)]
    pub show: ShowHeader,
    /// Services it is on (in the requested country, if any), from live facts.
    pub services: Vec<String>,
}

/// A page of shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowPage {
    /// The shows, by title.
    pub items: Vec<ShowItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Shows the caller can see, by title, filtered by title words, service, country and status.
#[utoipa::path(get, path = "/api/v1/shows", tag = "catalog", operation_id = "list_shows",
    params(ShowsParams),
    responses((status = 200, description = "A page of shows", body = ShowPage), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<ShowsParams>,
) -> Result<HttpResponse, ApiError> {
    if let Some(q) = &params.q
        && q.chars().count() > MAX_Q
    {
        return Err(
            psma_core::Error::validation("q", format!("at most {MAX_Q} characters")).into(),
        );
    }
    let after = params.cursor.as_deref().map(parse_cursor).transpose()?;
    let query = ShowQuery {
        q: params.q,
        service_id: params.service_id,
        country: params.country,
        status: params.status.map(|s| match s {
            StatusParam::Available => AvailabilityStatus::Available,
            StatusParam::Upcoming => AvailabilityStatus::Upcoming,
            StatusParam::Unknown => AvailabilityStatus::Unknown,
        }),
        limit: params.limit.unwrap_or(DEFAULT_LIMIT),
        after,
    };
    let page = state.catalog.shows(&ctx, query).await?;
    Ok(HttpResponse::Ok().json(ShowPage {
        next_cursor: page.next.map(|c| format!("{}|{}", c.sort_key, c.id)),
        items: page
            .items
            .iter()
            .map(|s| ShowItem {
                show: ShowHeader::from(&s.show),
                services: s.services.iter().map(ToString::to_string).collect(),
            })
            .collect(),
    }))
}

pub(crate) fn parse_cursor(text: &str) -> Result<ShowCursor, ApiError> {
    let invalid = || psma_core::Error::validation("cursor", "is not a cursor this list gave out");
    let (sort_key, id) = text.rsplit_once('|').ok_or_else(invalid)?;
    if sort_key.contains(['|', '\0']) {
        return Err(invalid().into());
    }
    let id = crate::params::hyphenated_uuid(id).ok_or_else(invalid)?;
    Ok(ShowCursor {
        sort_key: sort_key.to_owned(),
        id: ShowId(id),
    })
}
