//! `POST /api/v1/imports`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams, Upload};
use crate::middleware::telemetry::request_id;
use crate::openapi::ImportDocumentRef;
use crate::responses::{Forbidden, Invalid, TooLarge, Unavailable, WrongMediaType};
use crate::state::ApiState;
use crate::views::RunView;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::catalog::ImportRequest;
use psma_core::catalog::ports::NoProgress;
use psma_plugin_sdk::text::SourceId;
use serde::Deserialize;
use utoipa::IntoParams;

/// Query parameters of an import.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The source the facts belong to, overriding the file's `source_id` (CSV files have none;
    /// the default is `manual_import`).
    #[param(value_type = Option<String>, pattern = r"^[a-z][a-z0-9_]*$", max_length = 64, min_length = 1)]
    pub source_id: Option<SourceId>,
}

/// Imports a catalog file into the caller's household: a `psma-import/v1` JSON document or a
/// CSV file with one availability per line. The import is a snapshot of its source — facts of
/// that source missing from it end — and all or nothing: any problem refuses the whole file
/// with a 422 listing every problem by line or JSON pointer and field.
#[utoipa::path(post, path = "/api/v1/imports", tag = "catalog", operation_id = "create_import",
    params(ImportParams),
    request_body(content(
        (ImportDocumentRef = "application/json"),
        (String = "text/csv", example = "title,year,service_id,country,available_from,available_until,monetization,confidence,source_ref\nSeverance,2022,apple-tv-plus,US,2022-02-18,,flatrate,0.9,\n"),
    )),
    responses(
        (status = 200, description = "The import was stored", body = RunView),
        Forbidden, TooLarge, WrongMediaType, Invalid, Unavailable,
    ))]
pub(crate) async fn handle(
    req: HttpRequest,
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<ImportParams>,
    upload: Upload,
) -> Result<HttpResponse, ApiError> {
    let request = ImportRequest {
        body: upload.bytes,
        format: upload.format,
        source_id: params.source_id,
    };
    let run = state
        .ingestion
        .import(&ctx, request, request_id(&req), &NoProgress)
        .await?;
    Ok(HttpResponse::Ok().json(RunView::from(&run)))
}
