//! My Services: the services kept (`GET /my-services`, with the form adding one), one
//! service's terms (`GET /my-services/{id}`), saving them (`POST /my-services`,
//! `POST /my-services/{id}`), removing one and undoing that.

pub(crate) mod add;
pub(crate) mod edit;
pub(crate) mod list;
pub(crate) mod remove;
pub(crate) mod restore;
pub(crate) mod save;

use crate::error::ApiError;
use crate::state::ApiState;
use crate::ui::fields::{Field, FieldErrors};
use actix_web::HttpRequest;
use psma_core::planning::profile::ServiceTerms;
use psma_core::tenancy::TenantCtx;
use psma_plugin_sdk::ServiceEntry;
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use serde::Deserialize;

/// The terms form as sent.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TermsForm {
    /// Only when adding: which service.
    #[serde(default)]
    service_id: String,
    /// A checkbox: present (`on`) when ticked.
    #[serde(default)]
    permanent: String,
    #[serde(default)]
    monthly_price: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    billing_cycle_days: String,
    #[serde(default)]
    min_contract_days: String,
}

impl TermsForm {
    /// The stored terms as the form shows them.
    fn of(terms: &ServiceTerms) -> Self {
        Self {
            service_id: String::new(),
            permanent: if terms.permanent { "on" } else { "" }.to_owned(),
            monthly_price: terms
                .monthly_price
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            currency: terms
                .currency
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            billing_cycle_days: terms
                .billing_cycle_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            min_contract_days: terms
                .min_contract_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    fn is_permanent(&self) -> bool {
        !self.permanent.is_empty()
    }

    /// The terms for the use case, or what is wrong with each field.
    fn read(&self) -> Result<ServiceTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let monthly_price = match self.monthly_price.trim() {
            "" => None,
            text => Decimal::parse(text).map_or_else(
                |_| {
                    errors.push("monthly_price", "Enter an amount such as 17.99.");
                    None
                },
                Some,
            ),
        };
        let currency = match self.currency.trim().to_ascii_uppercase().as_str() {
            "" => None,
            text => CurrencyCode::parse(text).map_or_else(
                |_| {
                    errors.push(
                        "currency",
                        "Enter a three-letter currency code such as USD.",
                    );
                    None
                },
                Some,
            ),
        };
        let terms = ServiceTerms {
            permanent: self.is_permanent(),
            monthly_price,
            currency,
            billing_cycle_days: errors.number(
                "billing_cycle_days",
                &self.billing_cycle_days,
                1,
                366,
            ),
            min_contract_days: errors.number("min_contract_days", &self.min_contract_days, 0, 3650),
        };
        if errors.is_empty() {
            Ok(terms)
        } else {
            Err(errors)
        }
    }

    /// The inputs besides the checkbox, with their errors; the registry's typical price as a
    /// hint when `entry` is known.
    fn fields(&self, errors: &FieldErrors, entry: Option<&ServiceEntry>) -> Vec<Field> {
        let typical = entry.and_then(|e| e.prices.first()).map_or_else(
            || "Empty: the catalog's price, if it has one.".to_owned(),
            |p| {
                format!(
                    "Empty: the catalog's price ({} {} every {} days).",
                    p.amount, p.currency, p.billing_cycle_days
                )
            },
        );
        vec![
            Field::new("monthly_price", "Price you pay", "text")
                .value(&self.monthly_price)
                .hint(typical)
                .error_from(errors),
            Field::new("currency", "Currency", "text")
                .value(&self.currency)
                .hint("Three letters, such as USD.")
                .error_from(errors),
            Field::new("billing_cycle_days", "Billing cycle (days)", "number")
                .value(&self.billing_cycle_days)
                .range(1, 366)
                .hint("How often you are charged. Empty: the catalog's cycle, else 30.")
                .error_from(errors),
            Field::new("min_contract_days", "Minimum contract (days)", "number")
                .value(&self.min_contract_days)
                .range(0, 3650)
                .hint("How long you must stay once you subscribe. Empty: none.")
                .error_from(errors),
        ]
    }
}

/// Saves `form` as the terms of `service`: the field errors when a value is refused.
pub(crate) async fn save(
    req: &HttpRequest,
    state: &ApiState,
    ctx: &TenantCtx,
    service: &ServiceId,
    form: &TermsForm,
) -> Result<Result<(), FieldErrors>, ApiError> {
    let terms = match form.read() {
        Ok(terms) => terms,
        Err(errors) => return Ok(Err(errors)),
    };
    match state
        .profiles
        .put_my_service(
            ctx,
            service,
            terms,
            crate::middleware::telemetry::request_id(req),
        )
        .await
    {
        Ok(_) => Ok(Ok(())),
        Err(err) => FieldErrors::from_core(err).map(Err),
    }
}
