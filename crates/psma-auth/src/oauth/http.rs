//! The one HTTP client of the providers: reqwest (rustls) with a timeout, no redirects, and a
//! bound on what it reads; and its adapter to the `oauth2` crate's client interface.

use super::MAX_RESPONSE_BYTES;
use psma_core::Error;
use std::time::Duration;

/// A failed exchange with a provider, for `oauth2`'s error type.
#[derive(Debug)]
pub(super) struct TransportError(pub(super) String);

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransportError {}

/// An answer, read in full (within the bound).
pub(super) struct Answer {
    pub(super) status: reqwest::StatusCode,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) body: Vec<u8>,
}

/// The client every provider uses.
pub(super) fn client(timeout: Duration) -> psma_core::Result<reqwest::Client> {
    // reqwest is built without a TLS provider (STACK.md): ring, as sqlx uses. An error only
    // means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // A token endpoint that redirects is misconfigured or hijacked; never follow.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("psma/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Error::internal(format!(
                "cannot build the identity providers' HTTP client: {e}"
            ))
        })
}

/// Sends `request` and reads its answer, at most [`MAX_RESPONSE_BYTES`].
pub(super) async fn fetch(request: reqwest::RequestBuilder) -> Result<Answer, TransportError> {
    let mut response = request
        .send()
        .await
        .map_err(|e| TransportError(describe(&e)))?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TransportError(describe(&e)))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(TransportError(format!(
                "the answer is larger than {MAX_RESPONSE_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "no answer in time".to_owned()
    } else if err.is_connect() {
        "cannot connect".to_owned()
    } else {
        // Without the URL: its query may carry a code or a token.
        let text = err.to_string();
        err.url()
            .map_or_else(|| text.clone(), |u| text.replace(u.as_str(), "<url>"))
    }
}

/// `oauth2`'s request sent with `http`. A token endpoint that answers an error with `200 OK`
/// (GitHub does) is given a 400, so `oauth2` reads it as the error it is.
pub(super) async fn send_oauth2(
    http: reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, TransportError> {
    let (parts, body) = request.into_parts();
    let builder = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body);
    let answer = fetch(builder).await?;
    let mut status = answer.status;
    if status == reqwest::StatusCode::OK
        && serde_json::from_slice::<serde_json::Value>(&answer.body)
            .is_ok_and(|v| v.get("error").is_some() && v.get("access_token").is_none())
    {
        status = reqwest::StatusCode::BAD_REQUEST;
    }
    let mut response = oauth2::http::Response::builder().status(status);
    if let Some(headers) = response.headers_mut() {
        *headers = answer.headers;
    }
    response
        .body(answer.body)
        .map_err(|e| TransportError(e.to_string()))
}
