//! `PUT /api/v1/my-services/{service_id}`.

use super::{MyServiceView, service_in_path};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Forbidden, Invalid, Malformed, NotFound, TooLarge, Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::planning::profile::ServiceTerms;
use psma_plugin_sdk::text::{CurrencyCode, Decimal};
use serde::Deserialize;
use utoipa::ToSchema;

/// The caller's terms for the service.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyServiceBody {
    /// Kept whatever the plan says (default false).
    #[serde(default)]
    pub permanent: bool,
    /// The price per month as a decimal string; needs `currency`.
    #[schema(value_type = Option<String>, pattern = r"^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,4})?$", max_length = 14, example = "12.99")]
    pub monthly_price: Option<Decimal>,
    /// The price's currency (ISO 4217).
    #[schema(value_type = Option<String>, pattern = r"^[A-Z]{3}$", example = "USD")]
    pub currency: Option<CurrencyCode>,
    /// Days paid for at once.
    #[schema(minimum = 1, maximum = 366)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub billing_cycle_days: Option<u16>,
    /// Days a subscription must last once started.
    #[schema(minimum = 0, maximum = 3650)]
    #[serde(default, deserialize_with = "crate::params::optional_whole_u16")]
    pub min_contract_days: Option<u16>,
}

/// Sets the caller's terms for a registry service: `201` when it was not on the profile (or
/// had been removed), else `200`. A price without a currency is 422. Audited
/// (`my_service.put`).
#[utoipa::path(put, path = "/api/v1/my-services/{service_id}", tag = "planning", operation_id = "put_my_service",
    params(("service_id" = String, Path, description = "A registry service", pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 64)),
    request_body(content = MyServiceBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = MyServiceView),
        (status = 200, description = "Changed", body = MyServiceView),
        Malformed, Forbidden, NotFound, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    service_id: web::Path<String>,
    JsonBody(body): JsonBody<MyServiceBody>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_path(&service_id)?;
    let terms = ServiceTerms {
        permanent: body.permanent,
        monthly_price: body.monthly_price,
        currency: body.currency,
        billing_cycle_days: body.billing_cycle_days,
        min_contract_days: body.min_contract_days,
    };
    let saved = state
        .profiles
        .put_my_service(&ctx, &service, terms, request_id(&req))
        .await?;
    let view = MyServiceView::from(&saved.item);
    Ok(if saved.created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}
