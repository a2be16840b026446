//! A query-string extractor that names the offending parameter: 422 with the parameter's name
//! for a bad or unknown one (actix's own `Query` answers an opaque 400).

use super::json::shape_error;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::{Ready, ready};

/// Deserialised query parameters.
pub(crate) struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(
            req.query_string().as_bytes(),
        ));
        ready(
            serde_path_to_error::deserialize(pairs)
                .map(QueryParams)
                .map_err(|err| {
                    let path = err.path().to_string();
                    shape_error(&path, err.inner(), "query")
                }),
        )
    }
}
