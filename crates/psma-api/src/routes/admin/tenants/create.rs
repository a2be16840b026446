//! `POST /api/v1/admin/tenants`.

use super::TenantSummary;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::middleware::telemetry::request_id;
use crate::responses::{
    Conflicting, Forbidden, HostedOnly, Invalid, Malformed, TooLarge, Unauthorized, Unavailable,
    WrongMediaType,
};
use crate::routes::auth::hosted;
use crate::routes::invitations::IssuedTokenView;
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A household to create, with its owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenantBody {
    /// Its name (1 to 100 characters, no control characters).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    /// The owner's email (an account's email is unique across households).
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[^\s@\x00-\x1F\x7F-\x9F]+\s*$"
    )]
    pub owner_email: String,
    /// The owner's display name (default: the email's local part).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub owner_name: Option<String>,
}

/// A household just created.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTenantView {
    /// The household.
    pub tenant: TenantSummary,
    /// Its owner's id.
    pub owner_id: uuid::Uuid,
    /// The owner's password reset token (shown once): hand it to them to choose a password.
    pub owner_reset: IssuedTokenView,
}

/// Creates a household and its owner (`tenants:write`: the `platform_operator` role), as
/// `psma tenant create` does. Audited in the new household's log.
#[utoipa::path(post, path = "/api/v1/admin/tenants", tag = "admin", operation_id = "create_tenant",
    request_body(content = NewTenantBody, content_type = "application/json"),
    responses((status = 201, description = "The household and its owner's reset token", body = NewTenantView),
        Malformed, Unauthorized, Forbidden, HostedOnly, Conflicting, TooLarge, WrongMediaType, Invalid, Unavailable))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<NewTenantBody>,
) -> Result<HttpResponse, ApiError> {
    let platform = hosted(state.platform.as_ref())?;
    let created = platform
        .create_tenant(
            &ctx,
            &body.name,
            &body.owner_email,
            body.owner_name.as_deref(),
            request_id(&req),
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(NewTenantView {
            tenant: TenantSummary::from(created.tenant),
            owner_id: created.owner.0,
            owner_reset: IssuedTokenView::from(created.reset),
        }))
}
