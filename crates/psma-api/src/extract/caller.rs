//! The caller: the one place in the HTTP adapter that builds a `TenantCtx`.

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use psma_core::access::Grants;
use psma_core::ports::Credentials;
use psma_core::tenancy::{TenantCtx, TenantId, UserId};

/// The authenticated caller's tenant context.
pub(crate) struct Caller(pub TenantCtx);

/// The caller's ids, left in the request's extensions for the request log line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallerIds {
    pub tenant_id: TenantId,
    pub user_id: Option<UserId>,
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let credentials = Credentials {
                bearer: req
                    .headers()
                    .get(AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::to_owned),
            };
            establish(&req, &credentials).await.map(Self)
        })
    }
}

/// Authenticates `credentials` and builds the caller's tenant context — the path every
/// extractor of a caller (API bearer, web page) shares, so both get the same answer.
pub(super) async fn establish(
    req: &HttpRequest,
    credentials: &Credentials,
) -> Result<TenantCtx, ApiError> {
    let state = req
        .app_data::<web::Data<ApiState>>()
        .ok_or_else(|| psma_core::Error::internal("application state is not configured"))?;
    let principal = state.authenticator.authenticate(credentials).await?;
    state.rate_limits.check_tenant(principal.tenant_id)?;
    // What the roles grant: fixed for system roles; a custom role's stored grants are
    // read (under the caller's tenant, with no grants yet) so a change to the role
    // applies with the next request.
    let lookup = TenantCtx::establish(
        principal.tenant_id,
        Some(principal.user_id),
        principal.roles.clone(),
        Grants::none(),
    );
    let grants = state.roles.grants(&lookup, &principal.roles).await?;
    let ctx = TenantCtx::establish(
        principal.tenant_id,
        Some(principal.user_id),
        principal.roles,
        grants,
    );
    req.extensions_mut().insert(CallerIds {
        tenant_id: ctx.tenant_id(),
        user_id: ctx.user_id(),
    });
    Ok(ctx)
}
