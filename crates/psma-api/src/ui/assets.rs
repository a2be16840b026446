//! The UI's static files, compiled into the binary and served under names that carry a hash
//! of their content (`/assets/app.3f9c2b7d10.css`): a browser may keep each one forever, and a
//! new build's pages name new files. Nothing is read from disk, so PSMA works offline and a
//! release is one file.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One embedded file.
pub(crate) struct Asset {
    /// The name templates ask for (`app.css`).
    pub logical: &'static str,
    /// The name it is served under (`app.3f9c2b7d10.css`).
    pub served: String,
    /// Its media type.
    pub mime: &'static str,
    /// Its content.
    pub bytes: &'static [u8],
    /// Its strong validator.
    pub etag: String,
}

const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/favicon.svg"),
    ),
];

/// Every embedded file, hashed on first use.
pub(crate) fn all() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|&(logical, mime, bytes)| {
                let digest = Sha256::digest(bytes);
                let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
                let (stem, ext) = logical.rsplit_once('.').unwrap_or((logical, ""));
                Asset {
                    logical,
                    served: format!("{stem}.{hash}.{ext}"),
                    mime,
                    bytes,
                    etag: format!("\"{hash}\""),
                }
            })
            .collect()
    })
}

/// The URL of the embedded file `logical`.
///
/// # Panics
/// When no such file is embedded: a template naming a missing asset is a build mistake,
/// caught by the first test that renders it.
pub(crate) fn url(logical: &str) -> String {
    let asset = all()
        .iter()
        .find(|a| a.logical == logical)
        .unwrap_or_else(|| panic!("no embedded asset named {logical}"));
    format!("/assets/{}", asset.served)
}

/// `GET /assets/{file}`: only the current build's hashed names exist; anything else is 404,
/// so a stale name never gets a new file cached for a year under it.
pub(crate) async fn get(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    let Some(asset) = all().iter().find(|a| a.served == *file) else {
        return HttpResponse::NotFound().finish();
    };
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == asset.etag));
    let mut res = if unchanged {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .content_type(asset.mime)
            .body(asset.bytes)
    };
    let headers = res.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        headers.insert(header::ETAG, etag);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_served_name_carries_a_hash_of_the_content() {
        for asset in all() {
            let digest = Sha256::digest(asset.bytes);
            let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
            assert!(asset.served.contains(&hash), "{}", asset.served);
            assert_eq!(url(asset.logical), format!("/assets/{}", asset.served));
        }
    }
}
