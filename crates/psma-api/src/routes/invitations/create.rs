//! `POST /api/v1/invitations`.

use super::IssuedTokenView;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, HostedOnly, Invalid, Malformed, NotFound, TooLarge, Unauthorized,
    Unavailable, WrongMediaType,
};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::accounts::roles::parse_roles;
use serde::Deserialize;
use utoipa::ToSchema;

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
    /// Their roles — system roles or the household's custom roles; `["member"]` when absent
    /// or empty. Only an owner invites an owner, and nobody hands out permissions they lack.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::role_list)]
    pub roles: Vec<String>,
}

/// Invites someone to the caller's household: the token (shown once, valid 7 days, single
/// use) lets them choose a password and join. A newer invitation to the same email replaces
/// an older unused one. Owners and admins only. Audited (`invitation.create`).
#[utoipa::path(post, path = "/api/v1/invitations", tag = "account", operation_id = "create_invitation",
    request_body(content = InvitationBody, content_type = "application/json"),
    responses((status = 201, description = "The invitation's token", body = IssuedTokenView),
        Malformed, Unauthorized, Forbidden, HostedOnly, NotFound, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<InvitationBody>,
) -> Result<HttpResponse, ApiError> {
    let invitations = super::super::auth::hosted(state.invitations.as_ref())?;
    let roles = parse_roles(&body.roles)?;
    let issued = invitations
        .invite(&ctx, &body.email, roles, request_id(&req))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(IssuedTokenView::from(issued)))
}
