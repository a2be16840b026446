//! `POST /api/v1/invitations`.

use super::IssuedTokenView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable,
    WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::tenancy::Role;
use serde::Deserialize;
use utoipa::ToSchema;

/// The most roles an invitation names (there are four).
const MAX_ROLES: usize = 4;

/// A system role.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    /// Full control of the household.
    Owner,
    /// Manages members and settings.
    Admin,
    /// Uses the product.
    Member,
    /// Reads only.
    Viewer,
}

impl From<RoleName> for Role {
    fn from(role: RoleName) -> Self {
        match role {
            RoleName::Owner => Self::Owner,
            RoleName::Admin => Self::Admin,
            RoleName::Member => Self::Member,
            RoleName::Viewer => Self::Viewer,
        }
    }
}

/// Whom to invite, with which roles.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// Their email address (an account's email is unique across households).
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[^\s@\x00-\x1F\x7F-\x9F]+\s*$"
    )]
    pub email: String,
    /// Their roles; `["member"]` when absent or empty. Only an owner invites an owner.
    #[serde(default)]
    #[schema(max_items = 4)]
    pub roles: Vec<RoleName>,
}

/// Invites someone to the caller's household: the token (shown once, valid 7 days, single
/// use) lets them choose a password and join. A newer invitation to the same email replaces
/// an older unused one. Owners and admins only. Audited (`invitation.create`).
#[utoipa::path(post, path = "/api/v1/invitations", tag = "account", operation_id = "create_invitation",
    request_body(content = InvitationBody, content_type = "application/json"),
    responses((status = 201, description = "The invitation's token", body = IssuedTokenView),
        Malformed, Unauthorized, Forbidden, HostedOnly, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<InvitationBody>,
) -> Result<HttpResponse, ApiError> {
    let invitations = super::super::auth::hosted(state.invitations.as_ref())?;
    if body.roles.len() > MAX_ROLES {
        return Err(ApiError::InvalidField {
            field: "roles".to_owned(),
            message: format!("at most {MAX_ROLES} roles"),
        });
    }
    let roles = body.roles.into_iter().map(Role::from).collect();
    let issued = invitations
        .invite(&ctx, &body.email, roles, request_id(&req))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(IssuedTokenView::from(issued)))
}
