//! The caller of a web page: the same path as the API's [`Caller`](super::Caller), with the
//! credentials a browser can hold.
//!
//! In local mode the machine's owner needs none. In hosted mode the access token comes from
//! the session cookie (ADR 0033); without a valid one the page answers 401, which sends a
//! browser to renew its session or sign in. API routes never read cookies, so `/api/*` stays
//! bearer-only and out of reach of cross-site form posts.

use super::caller::establish;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use psma_core::ports::Credentials;
use psma_core::tenancy::TenantCtx;

/// The tenant context of the person looking at a page.
pub(crate) struct PageCaller(pub TenantCtx);

impl FromRequest for PageCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let credentials = Credentials {
                bearer: crate::ui::session::access_token(&req),
            };
            establish(&req, &credentials).await.map(Self)
        })
    }
}
