//! `POST /plan/v1/generate`.

mod request;
mod response;

pub(crate) use request::state_input_values;

use request::PlanFacadeRequest;
use response::PlanFacadeResponse;

use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::responses::{Invalid, Malformed, TooLarge, WrongMediaType};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use psma_core::planning::facade;

/// The stateless plan of PSMA's first API (DESIGN §9, ADR 0017): a subscribe event now for
/// each service an assessment in the country says has a title now (permanent services and
/// unknown service ids excepted), an unsubscribe once `min_contract_days` and
/// `estimated_watch_days` are known for it and fall within the horizon, and otherwise the
/// questions asking for them. Reads and writes nothing.
#[utoipa::path(post, path = "/plan/v1/generate", tag = "planning", operation_id = "generate_plan_v1",
    request_body(content = PlanFacadeRequest, content_type = "application/json"),
    responses((status = 200, description = "The plan", body = PlanFacadeResponse),
        Malformed, TooLarge, WrongMediaType, Invalid),
    security(()))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    _caller: Caller,
    JsonBody(body): JsonBody<PlanFacadeRequest>,
) -> Result<HttpResponse, ApiError> {
    let plan = facade::generate(&body.into_core(), state.clock.now())?;
    Ok(HttpResponse::Ok().json(PlanFacadeResponse::from(plan)))
}

#[cfg(test)]
mod tests {
    use super::facade::{COUNTRY_PATTERN, HORIZON_DAYS};
    use serde_json::json;

    #[test]
    fn the_schema_states_the_cores_rules() {
        let doc = crate::openapi::document(&[]);
        let schemas = &doc["components"]["schemas"];
        for (component, field) in [
            ("PlanFacadeRequest", "country"),
            ("PlanFacadeAssessment", "country"),
            ("PlanFacadeResponse", "country"),
        ] {
            assert_eq!(
                schemas[component]["properties"][field]["pattern"], COUNTRY_PATTERN,
                "{component}.{field}"
            );
        }
        for component in ["PlanFacadeRequest", "PlanFacadeResponse"] {
            let horizon = &schemas[component]["properties"]["horizon_days"];
            assert_eq!(horizon["minimum"], json!(HORIZON_DAYS.start()));
            assert_eq!(horizon["maximum"], json!(HORIZON_DAYS.end()));
        }
        assert_eq!(
            schemas["PlanFacadeInput"]["allOf"].as_array().map(Vec::len),
            Some(2),
            "the rules on input values are stated"
        );
    }
}
