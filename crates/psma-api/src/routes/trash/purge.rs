//! `DELETE /api/v1/trash`.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::middleware::telemetry::request_id;
use crate::responses::{Forbidden, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// What a purge deleted for good.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurgedView {
    /// Removed members (with their shows, services, plans and advice).
    pub users: u64,
    /// Removed My Shows entries.
    pub my_shows: u64,
    /// Removed My Services entries.
    pub my_services: u64,
}

/// Empties the household's trash: removed members, My Shows and My Services entries are
/// deleted for good and can no longer be restored (`trash:purge`: owners and admins).
/// Audited (`tenant.purge`, with the counts).
#[utoipa::path(delete, path = "/api/v1/trash", tag = "account", operation_id = "purge_trash",
    responses((status = 200, description = "Purged", body = PurgedView),
        Unauthorized, Forbidden, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let purged = state.trash.purge(&ctx, request_id(&req)).await?;
    Ok(HttpResponse::Ok().json(PurgedView {
        users: purged.users,
        my_shows: purged.my_shows,
        my_services: purged.my_services,
    }))
}
