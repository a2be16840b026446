//! `GET /api/docs`: the interactive docs live under `/api/docs/` (their assets are relative).

use actix_web::HttpResponse;

/// Redirects to the docs page proper.
pub(crate) async fn redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("location", "/api/docs/"))
        .finish()
}
