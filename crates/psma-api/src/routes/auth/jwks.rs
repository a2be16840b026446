//! `GET /.well-known/jwks.json`.

use crate::error::ApiError;
use crate::responses::HostedOnly;
use crate::state::ApiState;
use actix_web::{HttpResponse, web};

/// The public keys that verify PSMA's access tokens (RFC 7517), by `kid`: the signing key and
/// the keys still honoured after a rotation. Public parts only.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "auth", operation_id = "jwks",
    responses((status = 200, description = "The JSON Web Key Set", body = Object, content_type = "application/jwk-set+json"),
        HostedOnly),
    security(()))]
pub(crate) async fn handle(state: web::Data<ApiState>) -> Result<HttpResponse, ApiError> {
    let jwks = state.jwks.as_ref().ok_or_else(|| {
        ApiError::Core(psma_core::Error::NotFound {
            resource: "key set (the server runs in local mode)",
            id: "jwks".to_owned(),
        })
    })?;
    Ok(HttpResponse::Ok()
        .content_type("application/jwk-set+json")
        .insert_header(("cache-control", "public, max-age=300"))
        .json(jwks.as_ref()))
}
