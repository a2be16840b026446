//! `GET /api/v1/providers`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::Unavailable;
use crate::state::ApiState;
use crate::views::RunView;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use psma_core::catalog::{ProviderStatus, RunOutcome};
use serde::Serialize;
use utoipa::ToSchema;

/// A configured data source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderView {
    /// Its source id: the `[providers.<id>]` section, and the `source_id` of its facts.
    pub source_id: String,
    /// Its name.
    pub display_name: String,
    /// The plugin's version.
    pub version: String,
    /// Whether it runs (`providers.<id>.enabled`).
    pub enabled: bool,
    /// How often it is refreshed on schedule, in seconds; null: on demand only.
    pub refresh_every_secs: Option<u64>,
    /// The shortest schedule it allows, in seconds.
    pub min_refresh_interval_secs: u64,
    /// Its upstream's rate limit, when it has one.
    pub rate_limit: Option<RateLimitView>,
    /// What it can fetch: `all`, `show`, `country`.
    pub scopes: Vec<String>,
    /// The kinds of fact it yields.
    pub fact_kinds: Vec<String>,
    /// The countries it covers; empty: any.
    pub countries: Vec<String>,
    /// Whether it needs credentials (an API key).
    pub needs_credentials: bool,
    /// Whom to credit, wherever its data is shown.
    pub attribution: AttributionView,
    /// Its latest run into the shared catalog; null when it has not run.
    pub last_run: Option<RunView>,
    /// When the schedule refreshes it next (`refresh_every` after its last run; after failures,
    /// a back-off from 5 minutes doubling up to a day; at the schedule's next look when it never
    /// ran); null when it is not scheduled.
    pub next_run: Option<DateTime<Utc>>,
    /// How many of its latest runs failed in a row: it is backing off when more than 0.
    pub failures_in_a_row: u32,
    /// Why its latest run failed, when it did.
    pub last_error: Option<String>,
}

/// Requests allowed per period.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateLimitView {
    /// Requests…
    pub requests: u32,
    /// …per this many seconds.
    pub per_secs: u32,
}

/// A source's required credit.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttributionView {
    /// The credit, word for word.
    pub text: String,
    /// A link to the source.
    pub url: Option<String>,
    /// The data's licence.
    pub license: Option<String>,
}

/// The providers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderList {
    /// Every configured provider, by source id.
    pub items: Vec<ProviderView>,
}

impl From<&ProviderStatus> for ProviderView {
    fn from(status: &ProviderStatus) -> Self {
        let provider = &status.provider;
        let spec = provider.spec();
        Self {
            source_id: spec.id.to_string(),
            display_name: spec.display_name.to_string(),
            version: spec.version.to_string(),
            enabled: provider.is_enabled(),
            refresh_every_secs: provider.refresh_every().map(|d| d.as_secs()),
            min_refresh_interval_secs: spec.min_refresh_interval_secs,
            rate_limit: spec.rate_limit.map(|r| RateLimitView {
                requests: r.requests,
                per_secs: r.per_secs,
            }),
            scopes: spec
                .capabilities
                .scopes
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            fact_kinds: spec
                .capabilities
                .fact_kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            countries: spec
                .capabilities
                .countries
                .iter()
                .map(ToString::to_string)
                .collect(),
            needs_credentials: spec.capabilities.needs_credentials,
            attribution: AttributionView {
                text: spec.attribution.text.to_string(),
                url: spec.attribution.url.as_ref().map(ToString::to_string),
                license: spec.attribution.license.as_ref().map(ToString::to_string),
            },
            last_run: status.last_run.as_ref().map(RunView::from),
            next_run: status.next_run,
            failures_in_a_row: status.failures_in_a_row,
            last_error: status
                .last_run
                .as_ref()
                .filter(|run| run.outcome == RunOutcome::Failed)
                .and_then(|run| run.problems.first().cloned()),
        }
    }
}

/// The configured data sources, enabled or not, each with its attribution and latest run.
#[utoipa::path(get, path = "/api/v1/providers", tag = "catalog", operation_id = "list_providers",
    responses((status = 200, description = "The providers, by source id", body = ProviderList), Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let statuses = state.providers.list(&ctx).await?;
    Ok(HttpResponse::Ok().json(ProviderList {
        items: statuses.iter().map(ProviderView::from).collect(),
    }))
}
