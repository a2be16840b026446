//! Authenticated GETs against TMDB, each answer turned into bytes or a typed error. No message
//! this module builds carries the API key: URLs are shown without it, foreign errors are
//! stripped of their URL and scrubbed.

use crate::key::{ApiKey, AuthMode};
use psma_plugin_sdk::ProviderError;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::Deserialize;
use std::time::Duration;
use url::Url;

/// An HTTP client for one TMDB base URL and key.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
}

impl Client {
    /// A client with `timeout` per request.
    pub(crate) fn new(base: Url, key: ApiKey, timeout: Duration) -> Result<Self, ProviderError> {
        // reqwest is built without a bundled TLS provider (PSMA uses ring throughout); install
        // it unless the host process already did.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("psma-plugin-tmdb/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Upstream {
                status: None,
                message: format!("cannot build an HTTP client: {}", cause(e)),
            })?;
        Ok(Self { http, base, key })
    }

    /// The URL of `segments` (`["tv", "1399"]`, each percent-encoded as one segment) with
    /// `query`, without the key: what messages show.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Url, ProviderError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| ProviderError::config("base_url", "cannot take a path"))?
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// The body of `GET /segments…?query`; `None` when TMDB has no such thing (404).
    ///
    /// # Errors
    /// [`ProviderError::Auth`] for 401 and 403, [`ProviderError::RateLimited`] for 429 (with
    /// TMDB's `Retry-After`), [`ProviderError::Upstream`] for other failures and timeouts.
    pub(crate) async fn get(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Option<Vec<u8>>, ProviderError> {
        let shown = self.url(segments, query)?;
        let request = match self.key.mode() {
            AuthMode::Bearer => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", self.key.expose()))
                    .map_err(|_| {
                        ProviderError::config("api_key", "cannot be sent in an HTTP header")
                    })?;
                // Keeps it out of reqwest's and hyper's own debug output.
                value.set_sensitive(true);
                self.http.get(shown.clone()).header(AUTHORIZATION, value)
            }
            AuthMode::QueryParameter => {
                let mut sent = shown.clone();
                sent.query_pairs_mut()
                    .append_pair("api_key", self.key.expose());
                self.http.get(sent)
            }
        }
        .header(ACCEPT, HeaderValue::from_static("application/json"));
        let response = request.send().await.map_err(|e| ProviderError::Upstream {
            status: None,
            message: if e.is_timeout() {
                format!("GET {shown} timed out")
            } else {
                self.key.scrub(&format!("GET {shown}: {}", cause(e)))
            },
        })?;
        let status = response.status();
        match status {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => return Ok(None),
            _ => {
                let retry_after = header(&response, RETRY_AFTER);
                let why = self.status_message(response).await;
                return Err(ProviderError::from_http_status(
                    status.as_u16(),
                    retry_after.as_deref(),
                    &format!("GET {shown}"),
                    &why,
                ));
            }
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| ProviderError::Upstream {
                status: Some(status.as_u16()),
                message: self
                    .key
                    .scrub(&format!("GET {shown}: the body was cut off: {}", cause(e))),
            })?;
        Ok(Some(body.to_vec()))
    }

    /// TMDB's own explanation of a failure (`: Invalid API key: You must be granted a valid
    /// key.`), when its body is TMDB's error object; else nothing.
    async fn status_message(&self, response: reqwest::Response) -> String {
        #[derive(Deserialize)]
        struct TmdbStatus {
            status_message: String,
        }
        let Ok(body) = response.bytes().await else {
            return String::new();
        };
        serde_json::from_slice::<TmdbStatus>(&body)
            .ok()
            .map(|s| s.status_message.chars().take(200).collect::<String>())
            .filter(|m| !m.trim().is_empty())
            .map_or_else(String::new, |m| format!(": {}", self.key.scrub(m.trim())))
    }
}

/// A reqwest error and its causes (`error sending request: client error (Connect): tcp connect
/// error: Connection refused`), without the URL, which would carry a v3 key.
fn cause(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// A header's value, when it is text.
fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()
        .map(str::to_owned)
}
