//! The caller of a web page: the same path as the API's [`Caller`](super::Caller), with the
//! credentials a browser can hold.
//!
//! In local mode the machine's owner needs none. Hosted mode's browser session (cookies over
//! the same access tokens, ADR 0033) arrives with the login pages; until then a hosted page
//! answers 401 like the API does without a bearer token. API routes never read cookies, so
//! `/api/*` stays bearer-only and out of reach of cross-site form posts.

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
            let credentials = Credentials { bearer: None };
            establish(&req, &credentials).await.map(Self)
        })
    }
}
