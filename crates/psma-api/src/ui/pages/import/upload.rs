//! `POST /import`: a file from the upload form (`multipart/form-data`), read in memory within
//! `server.max_body_bytes`; its form token checked before anything is imported.

use super::{ImportPage, Problem, Summary};
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::form::{forged, token_matches};
use crate::ui::page::render;
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use psma_core::access::Permission;
use psma_core::catalog::ImportRequest;
use psma_core::catalog::ports::{ImportFormat, NoProgress};
use psma_plugin_sdk::text::SourceId;

/// The form's parts.
#[derive(Default)]
struct Parts {
    csrf: String,
    source_id: String,
    file: Vec<u8>,
    file_name: String,
    file_type: String,
}

/// Reads every part, refusing the whole body once it passes `limit` bytes.
async fn read(mut multipart: Multipart, limit: usize) -> Result<Parts, ApiError> {
    let mut parts = Parts::default();
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| ApiError::BodyRead(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or_default()
            .to_owned();
        let file_type = field
            .content_type()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BodyRead(e.to_string()))?;
            total += chunk.len();
            if total > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_owned();
        match name.as_str() {
            "_csrf" => parts.csrf = text(),
            "source_id" => parts.source_id = text(),
            "file" => {
                parts.file = bytes;
                parts.file_name = file_name;
                parts.file_type = file_type;
            }
            _ => {}
        }
    }
    Ok(parts)
}

/// JSON or CSV, by the file's name, else by its media type.
fn format_of(name: &str, media_type: &str) -> Option<ImportFormat> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        Some(ImportFormat::Csv)
    } else if lower.ends_with(".json") {
        Some(ImportFormat::Json)
    } else if media_type.contains("csv") {
        Some(ImportFormat::Csv)
    } else if media_type.contains("json") {
        Some(ImportFormat::Json)
    } else {
        None
    }
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    multipart: Multipart,
) -> Result<HttpResponse, ApiError> {
    let parts = read(multipart, state.max_body_bytes).await?;
    if !token_matches(&req, &parts.csrf) {
        return Err(forged());
    }
    let mut page = ImportPage::new(csrf, ctx.grants().allows(Permission::IMPORTS_WRITE));
    page.source_id.clone_from(&parts.source_id);
    let source_id = match parts.source_id.as_str() {
        "" => None,
        raw => match SourceId::parse(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                page.field_error = Some(("source_id".to_owned(), e.to_string()));
                return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        },
    };
    let Some(format) =
        format_of(&parts.file_name, &parts.file_type).filter(|_| !parts.file.is_empty())
    else {
        let message = if parts.file.is_empty() {
            "Choose a file to import."
        } else {
            "Choose a .json (psma-import/v1) or .csv file."
        };
        page.field_error = Some(("file".to_owned(), message.to_owned()));
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let request = ImportRequest {
        body: parts.file,
        format,
        source_id,
    };
    match state
        .ingestion
        .import(&ctx, request, request_id(&req), &NoProgress)
        .await
    {
        Ok(run) => {
            let c = &run.counts;
            page.summary = Some(Summary {
                source: run.source_id.to_string(),
                lines: vec![
                    ("Shows created", c.shows_created),
                    ("Shows matched", c.shows_matched),
                    ("New facts", c.new),
                    ("Changed facts", c.changed),
                    ("Unchanged facts", c.unchanged),
                    ("Facts ended (not in this file any more)", c.ended),
                    ("Facts rejected", c.rejected),
                    ("Conflicts opened", c.conflicts_opened),
                ],
                notes: run.problems.clone(),
            });
            render(StatusCode::OK, &page)
        }
        Err(psma_core::Error::Rejected { summary, problems }) => {
            let mut chars = summary.chars();
            page.refused = Some(chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            }));
            page.problems = problems
                .into_iter()
                .map(|p| Problem {
                    place: p.location.unwrap_or_default(),
                    field: p.field.unwrap_or_default(),
                    message: p.message,
                })
                .collect();
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(psma_core::Error::Validation { field, message }) => {
            page.field_error = Some((field, message));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(err) => Err(err.into()),
    }
}
