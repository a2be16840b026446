//! `GET /api/v1/services`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::DEFAULT_LIMIT;
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use psma_core::catalog::ServiceOverview;
use psma_plugin_sdk::Fact;
use psma_plugin_sdk::text::ServiceId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Paging of the service list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServicesParams {
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (the last service id).
    #[param(value_type = Option<String>, pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 64)]
    pub cursor: Option<ServiceId>,
}

/// A service: the registry's entry and what the knowledge base's sources say about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    /// Its canonical id.
    pub service_id: String,
    /// Its name.
    pub name: String,
    /// `svod`, `avod`, `tvod`, `live_bundle` or `unknown`.
    pub category: String,
    /// How it usually releases seasons, per the registry: `all_at_once`, `weekly`, `mixed`,
    /// `unknown`.
    pub release_pattern: String,
    /// Its ids in other catalogues (`{"tmdb": ["8"]}`).
    pub external_ids: BTreeMap<String, Vec<String>>,
    /// Countries where it is offered.
    pub countries: Vec<String>,
    /// Its home page.
    pub homepage: Option<String>,
    /// Typical public prices, from the registry.
    pub typical_prices: Vec<TypicalPriceView>,
    /// What sources assert about how it releases seasons, best first.
    pub behavior_facts: Vec<BehaviorFactView>,
    /// What sources assert about its prices.
    pub price_facts: Vec<PriceFactView>,
}

/// A registry price.
#[derive(Debug, Serialize, ToSchema)]
pub struct TypicalPriceView {
    /// Where.
    pub country: String,
    /// The plan.
    pub tier: String,
    /// Per billing cycle, as a decimal string.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// Days one payment covers.
    pub billing_cycle_days: u16,
    /// When it was checked.
    pub as_of: NaiveDate,
}

/// A source's claim about a release pattern.
#[derive(Debug, Serialize, ToSchema)]
pub struct BehaviorFactView {
    /// The fact's id.
    pub fact_id: Uuid,
    /// Who says so.
    pub source_id: String,
    /// The pattern.
    pub release_pattern: String,
    /// How sure the source is.
    pub confidence: f64,
    /// When it was read.
    pub retrieved_at: DateTime<Utc>,
}

/// A source's claim about a price.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceFactView {
    /// The fact's id.
    pub fact_id: Uuid,
    /// Who says so.
    pub source_id: String,
    /// Where.
    pub country: String,
    /// The plan.
    pub tier: String,
    /// Per billing cycle.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// Days one payment covers.
    pub billing_cycle_days: u16,
    /// When it was read.
    pub retrieved_at: DateTime<Utc>,
}

/// A page of services.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServicePage {
    /// The services, by id.
    pub items: Vec<ServiceView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The service registry, each service with the service-behaviour and price facts about it.
#[utoipa::path(get, path = "/api/v1/services", tag = "catalog", operation_id = "list_services",
    params(ServicesParams),
    responses((status = 200, description = "A page of services", body = ServicePage), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<ServicesParams>,
) -> Result<HttpResponse, ApiError> {
    let page = state
        .catalog
        .services(
            &ctx,
            params.cursor.as_ref().map(ServiceId::as_str),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(ServicePage {
        next_cursor: page.next.map(|s| s.to_string()),
        items: page.items.iter().map(view).collect(),
    }))
}

fn view(overview: &ServiceOverview) -> ServiceView {
    let entry = &overview.entry;
    ServiceView {
        service_id: entry.service_id.to_string(),
        name: entry.name.to_string(),
        category: entry.category.as_str().to_owned(),
        release_pattern: entry.release_pattern.as_str().to_owned(),
        external_ids: entry
            .external_ids
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(ToString::to_string).collect()))
            .collect(),
        countries: entry.countries.iter().map(ToString::to_string).collect(),
        homepage: entry.homepage.as_ref().map(ToString::to_string),
        typical_prices: entry
            .prices
            .iter()
            .map(|p| TypicalPriceView {
                country: p.country.to_string(),
                tier: p.tier.to_string(),
                amount: p.amount.to_string(),
                currency: p.currency.to_string(),
                billing_cycle_days: p.billing_cycle_days,
                as_of: p.as_of,
            })
            .collect(),
        behavior_facts: overview
            .behaviors
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::ServiceBehavior(b) => Some(BehaviorFactView {
                    fact_id: f.id.0,
                    source_id: f.source_id().to_string(),
                    release_pattern: b.release_pattern.as_str().to_owned(),
                    confidence: f.confidence(),
                    retrieved_at: f.retrieved_at(),
                }),
                _ => None,
            })
            .collect(),
        price_facts: overview
            .prices
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::Price(p) => Some(PriceFactView {
                    fact_id: f.id.0,
                    source_id: f.source_id().to_string(),
                    country: p.country.to_string(),
                    tier: p.tier.to_string(),
                    amount: p.amount.to_string(),
                    currency: p.currency.to_string(),
                    billing_cycle_days: p.billing_cycle_days,
                    retrieved_at: f.retrieved_at(),
                }),
                _ => None,
            })
            .collect(),
    }
}
