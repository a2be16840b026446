//! `GET /api/v1/my-services`.

use super::MyServiceView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::Unavailable;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's services, by service id.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyServiceList {
    /// Every service on the profile.
    pub items: Vec<MyServiceView>,
}

/// The services the caller keeps or pays for.
#[utoipa::path(get, path = "/api/v1/my-services", tag = "planning", operation_id = "list_my_services",
    responses((status = 200, description = "The caller's services", body = MyServiceList), Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let services = state.profiles.my_services(&ctx).await?;
    Ok(HttpResponse::Ok().json(MyServiceList {
        items: services.iter().map(MyServiceView::from).collect(),
    }))
}
