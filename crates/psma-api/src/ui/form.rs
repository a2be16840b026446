//! A submitted web form: URL-encoded, bounded, and carrying this visit's anti-forgery token
//! (see [`super::csrf`]). The fields are read as text by the page's own type, so a value out
//! of range is shown beside its field rather than failing the request.

use super::csrf::CsrfToken;
use crate::error::ApiError;
use crate::extract::Body;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

/// A form body of type `T`, its token checked.
pub(crate) struct Form<T>(pub T);

#[derive(Deserialize)]
struct TokenField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// Whether `presented` is this visit's token.
pub(crate) fn token_matches(req: &HttpRequest, presented: &str) -> bool {
    req.extensions()
        .get::<CsrfToken>()
        .is_some_and(|expected| bool::from(expected.0.as_bytes().ct_eq(presented.as_bytes())))
}

/// The refusal of a form whose token is missing or stale.
pub(crate) fn forged() -> ApiError {
    psma_core::Error::Forbidden(
        "this form has expired or did not come from this site; reload the page and send it again"
            .to_owned(),
    )
    .into()
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Body::of(&req, payload);
        Box::pin(async move {
            if body.essence() != "application/x-www-form-urlencoded" {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/x-www-form-urlencoded",
                    got: body.shown_type(),
                });
            }
            let bytes = body.read().await?;
            let token: TokenField =
                serde_urlencoded::from_bytes(&bytes).map_err(|e| ApiError::InvalidField {
                    field: "_csrf".to_owned(),
                    message: e.to_string(),
                })?;
            if !token_matches(&req, &token.csrf) {
                return Err(forged());
            }
            serde_urlencoded::from_bytes(&bytes)
                .map(Self)
                .map_err(|e| ApiError::InvalidField {
                    field: "form".to_owned(),
                    message: e.to_string(),
                })
        })
    }
}
