//! `/api/v1/my-services`: the services the caller keeps, and what they pay.

pub(crate) mod delete;
pub(crate) mod list;
pub(crate) mod put;
pub(crate) mod restore;

use crate::error::ApiError;
use chrono::{DateTime, Utc};
use psma_core::planning::profile::MyService;
use psma_plugin_sdk::text::ServiceId;
use serde::Serialize;
use utoipa::ToSchema;

/// A service on the caller's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyServiceView {
    /// The service (`GET /api/v1/services`).
    pub service_id: String,
    /// Kept whatever the plan says: no subscribe or cancel events for it.
    pub permanent: bool,
    /// The price per month, a decimal string (`12.99`).
    pub monthly_price: Option<String>,
    /// Its currency (ISO 4217).
    pub currency: Option<String>,
    /// Days paid for at once.
    pub billing_cycle_days: Option<u16>,
    /// Days a subscription must last once started.
    pub min_contract_days: Option<u16>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&MyService> for MyServiceView {
    fn from(s: &MyService) -> Self {
        Self {
            service_id: s.service_id.to_string(),
            permanent: s.terms.permanent,
            monthly_price: s.terms.monthly_price.as_ref().map(ToString::to_string),
            currency: s.terms.currency.as_ref().map(ToString::to_string),
            billing_cycle_days: s.terms.billing_cycle_days,
            min_contract_days: s.terms.min_contract_days,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// The service a path names; no service has an id outside the pattern, so such a path is 404.
fn service_in_path(text: &str) -> Result<ServiceId, ApiError> {
    ServiceId::parse(text).map_err(|_| {
        ApiError::Core(psma_core::Error::NotFound {
            resource: "service",
            id: text.to_owned(),
        })
    })
}
