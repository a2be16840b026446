//! `GET /api/v1/users`.

use super::MemberView;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::responses::{Forbidden, Unauthorized, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The household's live members, by email.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    /// Every live member (a household has few).
    pub items: Vec<MemberView>,
}

/// The household's members and their roles (`members:read`).
#[utoipa::path(get, path = "/api/v1/users", tag = "account", operation_id = "list_users",
    responses((status = 200, description = "The members", body = MemberList),
        Unauthorized, Forbidden, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
) -> Result<HttpResponse, ApiError> {
    let users = state.accounts.users(&ctx).await?;
    Ok(HttpResponse::Ok().json(MemberList {
        items: users.into_iter().map(MemberView::from).collect(),
    }))
}
