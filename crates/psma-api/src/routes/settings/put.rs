//! `PUT /api/v1/settings`.

use super::SettingsView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{Forbidden, Invalid, Malformed, TooLarge, Unavailable, WrongMediaType};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::planning::profile::SettingsOverrides;
use psma_plugin_sdk::text::CountryCode;
use serde::Deserialize;
use utoipa::ToSchema;

/// What the caller sets over the defaults. A setting left out goes back to the default.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Where the caller watches (default the server's `planner.default_country`, `US`).
    #[schema(value_type = Option<String>, pattern = r"^[A-Z]{2}$", example = "GB")]
    pub country: Option<CountryCode>,
    /// Planner settings.
    #[serde(default)]
    pub planner: PlannerBody,
}

/// Planner settings the caller may set.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannerBody {
    /// Days a subscription is kept after the last day it is needed (default 1).
    #[schema(minimum = 0, maximum = 60)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub unsubscribe_buffer_days: Option<u16>,
    /// Intervals on one service this close or overlapping are merged (default 1).
    #[schema(minimum = 0, maximum = 60)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub merge_adjacency_days: Option<u16>,
    /// How long a show whose end is unknown is assumed to stay needed (default 30).
    #[schema(minimum = 1, maximum = 365)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub unknown_end_horizon_days: Option<u16>,
    /// A snapshot older than this many days is stale (default 14).
    #[schema(minimum = 1, maximum = 365)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub stale_after_days: Option<u16>,
    /// Services below this confidence are not planned (default: any).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_confidence: Option<f64>,
    /// How far ahead a plan reaches, in days (default 365).
    #[schema(minimum = 1, maximum = 365)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub horizon_days: Option<u16>,
}

/// Replaces what the caller sets over the defaults; returns the settings in force. Audited
/// (`settings.put`).
#[utoipa::path(put, path = "/api/v1/settings", tag = "planning", operation_id = "put_settings",
    request_body(content = SettingsBody, content_type = "application/json"),
    responses((status = 200, description = "The caller's settings", body = SettingsView),
        Malformed, Forbidden, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<SettingsBody>,
) -> Result<HttpResponse, ApiError> {
    let p = body.planner;
    let overrides = SettingsOverrides {
        country: body.country,
        unsubscribe_buffer_days: p.unsubscribe_buffer_days,
        merge_adjacency_days: p.merge_adjacency_days,
        unknown_end_horizon_days: p.unknown_end_horizon_days,
        stale_after_days: p.stale_after_days,
        min_confidence: p.min_confidence,
        horizon_days: p.horizon_days,
    };
    let settings = state
        .profiles
        .put_settings(&ctx, overrides, request_id(&req))
        .await?;
    Ok(HttpResponse::Ok().json(SettingsView::from(&settings)))
}
