//! `GET /api/v1/changes`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::{DEFAULT_LIMIT, DateTimeParam, UuidParam};
use crate::responses::{Invalid, Unavailable};
use crate::state::ApiState;
use crate::views::{FactVersionView, ScopeView};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use psma_core::catalog::{ChangeId, ChangeRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filters and paging of the change list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// Only changes at or after this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub since: Option<DateTimeParam>,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub cursor: Option<UuidParam>,
}

/// A fact added, removed or modified by a run of its source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// Its id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// `added`, `removed` or `modified`.
    pub change: String,
    /// The kind of fact (`availability`, `episode`, …).
    pub fact_kind: String,
    /// The source whose run saw it.
    pub source_id: String,
    /// The run.
    pub run_id: Uuid,
    /// The show it concerns.
    pub show_id: Option<Uuid>,
    /// A shared refresh, or the caller's import.
    pub scope: ScopeView,
    /// The fact before (removed, modified).
    pub before: Option<FactVersionView>,
    /// The fact after (added, modified).
    pub after: Option<FactVersionView>,
}

/// A page of changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    /// The changes, oldest first.
    pub items: Vec<ChangeView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<Uuid>,
}

/// Changes to the facts the caller can see, oldest first, each with the fact before and after.
#[utoipa::path(get, path = "/api/v1/changes", tag = "catalog", operation_id = "list_changes",
    params(ChangesParams),
    responses((status = 200, description = "A page of changes", body = ChangePage), Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<ChangesParams>,
) -> Result<HttpResponse, ApiError> {
    let page = state
        .catalog
        .changes(
            &ctx,
            params.since.map(|s| s.0),
            params.cursor.map(|c| ChangeId(c.0)),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(HttpResponse::Ok().json(ChangePage {
        next_cursor: page.next.map(|c| c.0),
        items: page.items.iter().map(view).collect(),
    }))
}

fn view(record: &ChangeRecord) -> ChangeView {
    let c = &record.change;
    ChangeView {
        id: c.id.0,
        at: c.at,
        change: c.kind.as_str().to_owned(),
        fact_kind: c.fact_kind.as_str().to_owned(),
        source_id: c.source_id.to_string(),
        run_id: c.run_id.0,
        show_id: c.show_id.map(|s| s.0),
        scope: c.scope.into(),
        before: record.before.as_ref().map(FactVersionView::new),
        after: record.after.as_ref().map(FactVersionView::new),
    }
}
