//! An import file in a request body: JSON (`application/json`) or CSV (`text/csv`), read whole
//! within `server.max_body_bytes`.

use super::body::Body;
use super::json::is_json;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use psma_core::catalog::ports::ImportFormat;

/// The body of an import.
pub(crate) struct Upload {
    pub bytes: Vec<u8>,
    pub format: ImportFormat,
}

impl FromRequest for Upload {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Body::of(req, payload);
        Box::pin(async move {
            let essence = body.essence();
            let format = if is_json(&body.content_type) {
                ImportFormat::Json
            } else if essence == "text/csv" || essence == "application/csv" {
                ImportFormat::Csv
            } else {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json or text/csv",
                    got: body.shown_type(),
                });
            };
            let bytes = body.read().await?.to_vec();
            Ok(Self { bytes, format })
        })
    }
}
