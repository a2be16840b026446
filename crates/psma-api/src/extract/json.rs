//! A JSON body extractor that names the offending field.
//!
//! actix's own `Json` reports shape errors as one opaque 400; PSMA's contract is 400 for bytes
//! that are not JSON, 422 naming the field for JSON of the wrong shape, 415 for another media
//! type and 413 past `server.max_body_bytes`.

use super::body::Body;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// A deserialised JSON request body.
pub(crate) struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Body::of(req, payload);
        Box::pin(async move {
            if !is_json(&body.content_type) {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                    got: body.shown_type(),
                });
            }
            parse(&body.read().await?).map(JsonBody)
        })
    }
}

pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Deserialises `body`, telling syntax errors (400) from shape errors (422, with the path).
/// Every request body PSMA takes is a JSON object; serde would also read a struct from an
/// array of its fields in order (`[null]`), which no schema allows, so anything else at the
/// top is refused as a whole.
pub(super) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let starts_an_object = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if !starts_an_object {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Err(err) => ApiError::MalformedJson(err.to_string()),
                Ok(_) => ApiError::InvalidField {
                    field: "body".to_owned(),
                    message: "must be a JSON object".to_owned(),
                },
            },
        );
    }
    // Most bodies are good: tracking the path costs on every value (~5% of a small request),
    // so it is done only to explain a failure, by reading the body again.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::MalformedJson(inner.to_string())
        } else {
            shape_error(&path, &inner, "body")
        }
    })?;
    de.end()
        .map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    Ok(value)
}

/// Names the offending field: serde_path_to_error reports a missing field at its parent's path.
/// `whole` names the input when no field is to blame (`body`, `query`).
pub(crate) fn shape_error(path: &str, err: &dyn std::fmt::Display, whole: &str) -> ApiError {
    let message = err.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let field = match (named, path) {
        (Some(name), "." | "") => name.to_owned(),
        // For unknown fields the path already ends with the field; for missing ones it is the
        // parent.
        (Some(name), path) if path == name || path.ends_with(&format!(".{name}")) => {
            path.to_owned()
        }
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, "." | "") => whole.to_owned(),
        (None, path) => path.to_owned(),
    };
    ApiError::InvalidField { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields exist to be deserialised")]
    struct Patch {
        display_name: Option<String>,
        nested: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields exist to be deserialised")]
    struct Inner {
        count: u32,
    }

    fn field_of(body: &str) -> String {
        match parse::<Patch>(body.as_bytes()) {
            Err(ApiError::InvalidField { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn only_an_object_is_a_body() {
        assert_eq!(field_of("[null, null]"), "body");
        assert_eq!(field_of(" null"), "body");
        assert_eq!(field_of("5"), "body");
        assert!(matches!(
            parse::<Patch>(b"[1,"),
            Err(ApiError::MalformedJson(_))
        ));
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        assert_eq!(field_of(r#"{"display_name": 5}"#), "display_name");
        assert_eq!(field_of(r#"{"nested": {"count": "x"}}"#), "nested.count");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(field_of(r#"{"nested": {}}"#), "nested.count");
        assert_eq!(field_of(r#"{"displayname": "x"}"#), "displayname");
        assert_eq!(
            field_of(r#"{"nested": {"count": 1, "extra": 2}}"#),
            "nested.extra"
        );
    }

    #[test]
    fn broken_json_is_malformed_not_invalid() {
        assert!(matches!(
            parse::<Patch>(b"{\"display_name\": "),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse::<Patch>(b"{} trailing"),
            Err(ApiError::MalformedJson(_))
        ));
    }

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
