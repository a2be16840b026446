//! `GET /api/v1/audit`.

use crate::error::ApiError;
use crate::extract::{Caller, QueryParams};
use crate::params::{DEFAULT_LIMIT, UuidParam};
use crate::responses::{Forbidden, Invalid, Unavailable};
use crate::state::ApiState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use psma_core::audit::{AuditEntry, AuditQuery};
use psma_core::tenancy::UserId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filters and paging of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only entries about this kind of record (`advice`, `my_show`, `plan`, `conflict`).
    #[param(min_length = 1, max_length = 64, pattern = r"^[a-z_]+$")]
    pub resource: Option<String>,
    /// Only entries about this record.
    #[param(min_length = 1, max_length = 200)]
    pub resource_id: Option<String>,
    /// Only entries by this user (owners and admins; others read only their own).
    #[param(value_type = Option<String>, format = Uuid)]
    pub actor: Option<UuidParam>,
    /// At most this many (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(minimum = 1, maximum = 9_007_199_254_740_991_i64)]
    pub cursor: Option<i64>,
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Its place in the household's chain, from 1.
    pub seq: i64,
    /// Who acted (null for the system).
    pub actor: Option<Uuid>,
    /// What was done, `resource.verb` (`advice.confirm`).
    pub action: String,
    /// The kind of record.
    pub resource_type: String,
    /// The record's id.
    pub resource_id: String,
    /// The record before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The record after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
    /// The request that caused it.
    pub request_id: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// The entry's hash, chained to the previous entry's.
    pub hash: String,
}

impl From<&AuditEntry> for AuditEntryView {
    fn from(e: &AuditEntry) -> Self {
        Self {
            seq: e.seq,
            actor: e.actor.map(|a| a.0),
            action: e.action.clone(),
            resource_type: e.resource_type.clone(),
            resource_id: e.resource_id.clone(),
            before: e.before.clone(),
            after: e.after.clone(),
            request_id: e.request_id.clone(),
            at: e.at,
            hash: e.hash.clone(),
        }
    }
}

/// A page of audit entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntryView>,
    /// Pass as `cursor` for the next (older) page; null on the last page.
    pub next_cursor: Option<i64>,
}

/// The household's audit log, newest first: every change with its actor, time, before and
/// after. Owners and admins read everyone's entries; other members read their own (work done
/// on their behalf, such as advice raised for them, included).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "list_audit",
    params(AuditParams),
    responses((status = 200, description = "A page of audit entries", body = AuditPage), Forbidden, Invalid, Unavailable))]
pub(crate) async fn handle(
    state: web::Data<ApiState>,
    Caller(ctx): Caller,
    QueryParams(params): QueryParams<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    let entries = state
        .audit
        .read(
            &ctx,
            AuditQuery {
                resource_type: params.resource,
                resource_id: params.resource_id,
                actor: params.actor.map(|a| UserId(a.0)),
                before_seq: params.cursor,
                limit,
            },
        )
        .await?;
    let full = entries.len() == usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(HttpResponse::Ok().json(AuditPage {
        next_cursor: entries.last().filter(|_| full).map(|e| e.seq),
        items: entries.iter().map(AuditEntryView::from).collect(),
    }))
}
