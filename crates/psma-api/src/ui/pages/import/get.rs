//! `GET /import`: the upload form, and what the formats look like.

use super::ImportPage;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::ui::csrf::CsrfToken;
use crate::ui::page::render;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use psma_core::access::Permission;

pub(crate) async fn get(
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
) -> Result<HttpResponse, ApiError> {
    let page = ImportPage::new(csrf, ctx.grants().allows(Permission::IMPORTS_WRITE));
    render(StatusCode::OK, &page)
}
