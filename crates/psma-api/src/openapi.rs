//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types they use.
//! `psma openapi` writes it to `contracts/openapi/psma.v1.json`; CI fails when that is stale.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PSMA API",
        description = "Plan streaming subscriptions around the shows you want. Errors are \
                       application/problem+json (RFC 9457) with a stable `type`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        crate::routes::health::get,
        crate::routes::ready::get,
        crate::routes::metrics::get,
        crate::routes::me::get::handle,
        crate::routes::me::patch::handle,
    ),
    components(schemas(crate::problem::Problem, crate::problem::FieldError)),
    tags(
        (name = "account", description = "The caller's tenant and profile"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of this build.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// The document as pretty-printed JSON with a trailing newline, exactly as committed.
///
/// # Errors
/// Only if serialisation fails, which would be a bug in a schema type.
pub fn document_json() -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&document())?;
    text.push('\n');
    Ok(text)
}
