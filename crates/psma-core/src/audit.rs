//! The audit log: every mutation, who made it, what it was before and after, hash-chained per
//! tenant so that a changed or removed entry is detectable.

mod log;
mod trail;

pub use log::AuditLog;
pub use trail::{AuditQuery, AuditTrail, MAX_AUDIT_PAGE};

use crate::tenancy::{TenantCtx, TenantId, UserId};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash the first entry of a tenant's chain links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit entry as a use case describes it, before the store gives it a place in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDraft {
    /// The acting user; `None` for system work.
    pub actor: Option<UserId>,
    /// What was done, `resource.verb` (`user.update_profile`).
    pub action: String,
    /// Kind of record changed (`user`).
    pub resource_type: String,
    /// Id of the record changed.
    pub resource_id: String,
    /// The record before the change (`None` for a creation).
    pub before: Option<Value>,
    /// The record after the change (`None` for a deletion).
    pub after: Option<Value>,
    /// The request that caused it, for correlating with logs.
    pub request_id: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

impl AuditDraft {
    /// A draft for a change made by `ctx`'s user to one record.
    #[must_use]
    pub fn new(
        ctx: &TenantCtx,
        action: &str,
        resource_type: &str,
        resource_id: impl ToString,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            actor: ctx.user_id(),
            action: action.to_owned(),
            resource_type: resource_type.to_owned(),
            resource_id: resource_id.to_string(),
            before: None,
            after: None,
            request_id: None,
            at,
        }
    }

    /// Records the state before and after.
    #[must_use]
    pub fn with_change(mut self, before: Option<Value>, after: Option<Value>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// Records the request that caused it.
    #[must_use]
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }
}

/// A stored audit entry: the draft, its tenant, its place in the chain and its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The tenant whose chain it belongs to.
    pub tenant_id: TenantId,
    /// Its position in the tenant's chain, from 1.
    pub seq: i64,
    /// The acting user.
    pub actor: Option<UserId>,
    /// What was done.
    pub action: String,
    /// Kind of record changed.
    pub resource_type: String,
    /// Id of the record changed.
    pub resource_id: String,
    /// The record before.
    pub before: Option<Value>,
    /// The record after.
    pub after: Option<Value>,
    /// The causing request.
    pub request_id: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The hash of the previous entry of the tenant ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This entry's hash: SHA-256 over `prev_hash` and the entry's canonical content.
    pub hash: String,
}

impl AuditEntry {
    /// Places `draft` after the entry with sequence `seq - 1` and hash `prev_hash`.
    #[must_use]
    pub fn chain(tenant_id: TenantId, seq: i64, prev_hash: String, draft: AuditDraft) -> Self {
        let mut entry = Self {
            tenant_id,
            seq,
            actor: draft.actor,
            action: draft.action,
            resource_type: draft.resource_type,
            resource_id: draft.resource_id,
            before: draft.before,
            after: draft.after,
            request_id: draft.request_id,
            // Stored timestamps keep microseconds on both backends; hash what is stored.
            at: truncate_to_micros(draft.at),
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        entry
    }

    /// The hash this entry should have, recomputed from its content.
    #[must_use]
    pub fn compute_hash(&self) -> String {
        // serde_json keeps object keys sorted (no preserve_order), so this is canonical.
        let content = serde_json::json!({
            "tenant_id": self.tenant_id,
            "seq": self.seq,
            "actor": self.actor,
            "action": self.action,
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "at": self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        });
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(content.to_string().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// Checks a tenant's chain, given in sequence order.
///
/// # Errors
/// [`crate::Error::Conflict`] naming the first entry whose sequence, link or hash is wrong.
pub fn verify_chain(entries: &[AuditEntry]) -> crate::Result<()> {
    let mut prev = GENESIS_HASH.to_owned();
    for (i, entry) in entries.iter().enumerate() {
        let expected_seq = i64::try_from(i).map_err(crate::Error::internal)? + 1;
        if entry.seq != expected_seq {
            return Err(crate::Error::Conflict(format!(
                "audit entry {expected_seq} is missing (found {})",
                entry.seq
            )));
        }
        if entry.prev_hash != prev || entry.hash != entry.compute_hash() {
            return Err(crate::Error::Conflict(format!(
                "audit entry {} was altered ({} {} {} at {})",
                entry.seq,
                entry.action,
                entry.resource_type,
                entry.resource_id,
                entry.at.to_rfc3339_opts(SecondsFormat::Secs, true)
            )));
        }
        prev.clone_from(&entry.hash);
    }
    Ok(())
}

fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let micros = at.timestamp_micros();
    DateTime::from_timestamp_micros(micros).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(n: i64) -> Vec<AuditEntry> {
        let tenant = TenantId::generate();
        let actor = Some(UserId::generate());
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let draft = AuditDraft {
                    actor,
                    action: "user.update_profile".into(),
                    resource_type: "user".into(),
                    resource_id: seq.to_string(),
                    before: None,
                    after: None,
                    request_id: None,
                    at: Utc::now(),
                }
                .with_change(
                    Some(serde_json::json!({"n": seq - 1})),
                    Some(serde_json::json!({"n": seq})),
                );
                let entry = AuditEntry::chain(tenant, seq, prev.clone(), draft);
                prev.clone_from(&entry.hash);
                entry
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        verify_chain(&chain_of(5)).unwrap();
    }

    #[test]
    fn an_edited_entry_breaks_the_chain() {
        let mut chain = chain_of(3);
        chain[1].after = Some(serde_json::json!({"n": 99}));
        assert!(
            verify_chain(&chain)
                .unwrap_err()
                .to_string()
                .contains("entry 2")
        );
    }

    #[test]
    fn a_removed_entry_breaks_the_chain() {
        let mut chain = chain_of(3);
        chain.remove(1);
        assert!(
            verify_chain(&chain)
                .unwrap_err()
                .to_string()
                .contains("entry 2 is missing")
        );
    }
}
