//! Reading the audit log: the tenant's entries, newest first, filtered by resource.
//!
//! Owners and admins read the whole household's log; every other member reads the entries
//! of their own actions and of the work done on their behalf (the worker's re-plans and advice
//! runs act as the member they are for).

use super::{AuditEntry, AuditLog};
use crate::access::Permission;
use crate::tenancy::{TenantCtx, UserId};
use crate::{Error, Result};
use std::sync::Arc;

/// The most entries one page holds.
pub const MAX_AUDIT_PAGE: u32 = 200;

/// The largest cursor (a sequence number) accepted: 2^53 − 1, exact in every JSON reader.
pub const MAX_CURSOR: i64 = 9_007_199_254_740_991;

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries about this kind of record (`advice`, `my_show`, `plan`).
    pub resource_type: Option<String>,
    /// Only entries about this record.
    pub resource_id: Option<String>,
    /// Only entries by this actor.
    pub actor: Option<UserId>,
    /// Only entries older than this sequence number (the previous page's last).
    pub before_seq: Option<i64>,
    /// At most this many.
    pub limit: u32,
}

/// The audit log, read.
#[derive(Clone)]
pub struct AuditTrail {
    log: Arc<dyn AuditLog>,
}

impl AuditTrail {
    /// Wires the use case.
    #[must_use]
    pub fn new(log: Arc<dyn AuditLog>) -> Self {
        Self { log }
    }

    /// Checks the tenant's whole hash chain: every entry present, linked to the one before and
    /// hashing to what it stores. Owners and admins (and the operator's CLI) only.
    ///
    /// # Errors
    /// [`Error::Conflict`] naming the first broken entry (its sequence number, action and
    /// time); [`Error::Forbidden`] without the role.
    pub async fn verify(&self, ctx: &TenantCtx) -> Result<usize> {
        ctx.require(Permission::AUDIT_READ, "verifying the audit log")?;
        let chain = self.log.chain(ctx).await?;
        super::verify_chain(&chain)?;
        Ok(chain.len())
    }

    /// The entries `query` selects that the caller may read, newest first.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit` outside 1 to [`MAX_AUDIT_PAGE`], a `resource` that is
    /// not 1–64 of `[a-z_]`, a `resource_id` not 1–200 characters, a cursor below 1; [`Error::Forbidden`] without a user; [`Error::Unavailable`] when the store
    /// cannot be reached.
    pub async fn read(&self, ctx: &TenantCtx, mut query: AuditQuery) -> Result<Vec<AuditEntry>> {
        let user = ctx.require_user()?;
        if !(1..=MAX_AUDIT_PAGE).contains(&query.limit) {
            return Err(Error::validation(
                "limit",
                format!(
                    "must be between 1 and {MAX_AUDIT_PAGE}, got {}",
                    query.limit
                ),
            ));
        }
        if let Some(resource) = &query.resource_type {
            let good = (1..=64).contains(&resource.len())
                && resource.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if !good {
                return Err(Error::validation(
                    "resource",
                    "must be 1–64 lower-case letters or `_` (`advice`, `my_show`)",
                ));
            }
        }
        if query
            .before_seq
            .is_some_and(|seq| !(1..=MAX_CURSOR).contains(&seq))
        {
            return Err(Error::validation(
                "cursor",
                format!("must be between 1 and {MAX_CURSOR}"),
            ));
        }
        if let Some(id) = &query.resource_id
            && !(1..=200).contains(&id.chars().count())
        {
            return Err(Error::validation("resource_id", "must be 1–200 characters"));
        }
        let whole = ctx.grants().allows(Permission::AUDIT_READ);
        if !whole {
            match query.actor {
                Some(actor) if actor != user => {
                    return Err(Error::Forbidden(
                        "reading other members' audit entries needs the permission audit:read"
                            .to_owned(),
                    ));
                }
                _ => query.actor = Some(user),
            }
        }
        self.log.entries(ctx, &query).await
    }
}
