//! A JSON body that may be left out: no body at all (any or no media type), or JSON `null`,
//! reads as the type's default; a body is held to [`super::JsonBody`]'s rules (415, 413, 400, 422).

use super::body::Body;
use super::json::{is_json, parse};
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// A deserialised JSON request body, or `T::default()` when the request has none.
pub(crate) struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Body::of(req, payload);
        Box::pin(async move {
            let json = is_json(&body.content_type);
            let shown = body.shown_type();
            let bytes = body.read().await?;
            // Only no bytes at all is "no body": whitespace alone is a body that is not JSON.
            if bytes.is_empty() {
                return Ok(Self(T::default()));
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                    got: shown,
                });
            }
            // JSON `null` is no body too.
            if bytes.trim_ascii() == b"null" {
                return Ok(Self(T::default()));
            }
            parse::<T>(&bytes).map(Self)
        })
    }
}
