//! The owner of a calendar feed, from the secret token in its URL: the one request with no
//! session that reads a tenant's data (`docs/adr/0023-calendar-feed.md`).

use super::caller::CallerIds;
use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use psma_core::access::{Grants, Permission};
use psma_core::planning::reminders::CalendarToken;
use psma_core::tenancy::TenantCtx;

/// The tenant context of the feed's owner: their tenant and user, no roles (a feed reads the
/// owner's plan and nothing else).
pub(crate) struct FeedOwner(pub TenantCtx);

fn not_found() -> ApiError {
    ApiError::Core(psma_core::Error::NotFound {
        resource: "calendar feed",
        id: "for this token".to_owned(),
    })
}

impl FromRequest for FeedOwner {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<ApiState>>()
                .ok_or_else(|| psma_core::Error::internal("application state is not configured"))?;
            let token = req
                .match_info()
                .get("token")
                .and_then(CalendarToken::parse)
                .ok_or_else(not_found)?;
            // First the tenant the token names, with no user: on PostgreSQL row-level security
            // confines the token lookup to that tenant's rows.
            let tenant = TenantCtx::establish(token.tenant_id(), None, Vec::new(), Grants::none());
            let user = state.reminders.feed_owner(&tenant, &token).await?;
            // The feed reads the plan and nothing else.
            let grants = Grants::from_iter([Permission::PLANS_READ, Permission::CALENDAR_READ]);
            let ctx = TenantCtx::establish(token.tenant_id(), Some(user), Vec::new(), grants);
            req.extensions_mut().insert(CallerIds {
                tenant_id: ctx.tenant_id(),
                user_id: ctx.user_id(),
            });
            Ok(Self(ctx))
        })
    }
}
