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
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(ProviderError::Auth(format!("GET {url} answered {status}")));
            }
            StatusCode::TOO_MANY_REQUESTS => {
                return Err(ProviderError::RateLimited {
                    retry_after: retry_after(&response),
                });
            }
            _ => {
                return Err(ProviderError::Upstream {
                    status: Some(status.as_u16()),
                    message: format!("GET {url}"),
                });
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

/// `Retry-After` in seconds (TVmaze sends seconds; an HTTP date is not honoured precisely and
/// leaves the wait to the pipeline's back-off).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
