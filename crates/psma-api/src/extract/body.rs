//! Reading a request body within `server.max_body_bytes`: 413 from `Content-Length` before
//! reading, or as soon as the streamed body passes the limit.

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

/// A body not yet read, with what the headers say about it.
pub(crate) struct Body {
    pub content_type: String,
    declared: Option<usize>,
    limit: usize,
    payload: Payload,
}

impl Body {
    pub fn of(req: &HttpRequest, payload: &mut Payload) -> Self {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            content_type: header(CONTENT_TYPE).unwrap_or_default(),
            declared: header(CONTENT_LENGTH).and_then(|v| v.parse().ok()),
            limit: req
                .app_data::<web::Data<ApiState>>()
                .map_or(10 * 1024 * 1024, |s| s.max_body_bytes),
            payload: payload.take(),
        }
    }

    /// The media type without parameters, lower-cased.
    pub fn essence(&self) -> String {
        self.content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// The media type as shown in a 415.
    pub fn shown_type(&self) -> String {
        if self.content_type.is_empty() {
            "none".to_owned()
        } else {
            self.content_type.clone()
        }
    }

    pub async fn read(mut self) -> Result<web::BytesMut, ApiError> {
        if self.declared.is_some_and(|n| n > self.limit) {
            return Err(ApiError::PayloadTooLarge { limit: self.limit });
        }
        let mut body = web::BytesMut::new();
        while let Some(chunk) = self.payload.next().await {
            let chunk = chunk.map_err(|e| ApiError::BodyRead(e.to_string()))?;
            if body.len() + chunk.len() > self.limit {
                return Err(ApiError::PayloadTooLarge { limit: self.limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}
