//! GETs against TVmaze, each answer turned into bytes or a typed error.

use psma_plugin_sdk::ProviderError;
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use std::time::Duration;
use url::Url;

/// An HTTP client for one TVmaze base URL.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: Url,
}

impl Client {
    /// A client with `timeout` per request.
    pub(crate) fn new(base: Url, timeout: Duration) -> Result<Self, ProviderError> {
        // reqwest is built without a bundled TLS provider (PSMA uses ring throughout); install
        // it unless the host process already did.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("psma-plugin-tvmaze/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Upstream {
                status: None,
                message: format!("cannot build an HTTP client: {e}"),
            })?;
        Ok(Self { http, base })
    }

    /// The URL of `path` (`/shows/82`) with `query`.
    pub(crate) fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}{path}", self.base.path().trim_end_matches('/'));
        url.set_path(&joined);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// The body of `GET path?query`; `None` when TVmaze has no such thing (404).
    pub(crate) async fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Option<Vec<u8>>, ProviderError> {
        let url = self.url(path, query);
        let response =
            self.http
                .get(url.clone())
                .send()
                .await
                .map_err(|e| ProviderError::Upstream {
                    status: None,
                    message: if e.is_timeout() {
                        format!("GET {url} timed out")
                    } else {
                        format!("GET {url}: {e}")
                    },
                })?;
        let status = response.status();
        match status {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => return Ok(None),
            _ => {
                let retry_after = header(&response, RETRY_AFTER);
                return Err(ProviderError::from_http_status(
                    status.as_u16(),
                    retry_after.as_deref(),
                    &format!("GET {url}"),
                    "",
                ));
            }
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| ProviderError::Upstream {
                status: Some(status.as_u16()),
                message: format!("GET {url}: the body was cut off: {e}"),
            })?;
        Ok(Some(body.to_vec()))
    }
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
