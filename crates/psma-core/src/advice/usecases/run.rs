//! The advice run: what the worker does after a member's plan is made again.

use super::Advising;
use crate::Result;
use crate::advice::ports::AdviceChanges;
use crate::advice::records::{AdviceId, AdviceStatus, StoredAdvice};
use crate::advice::wording::{self, Fallback};
use crate::audit::AuditDraft;
use crate::ids::IdSequence;
use crate::tenancy::TenantCtx;
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;
use std::collections::BTreeSet;

/// What one advice run did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdviceRun {
    /// Items raised (new findings, worded).
    pub raised: Vec<StoredAdvice>,
    /// Pending items whose finding is gone, now expired.
    pub expired: Vec<AdviceId>,
    /// Findings already standing (pending, declined, confirmed or answered): not raised again.
    pub standing: usize,
    /// Model answers that were not used (the offline wording was kept), by profile.
    pub fallbacks: Vec<Fallback>,
}

impl Advising {
    /// Looks at the caller's current plan with the rules; raises each finding not already
    /// standing (pending, declined, confirmed or answered with the same fingerprint), worded
    /// by the model when one is configured (else, or when it fails, by the offline templates);
    /// expires pending items whose finding is gone. Every item raised or expired is audited
    /// (`advice.create` with the adapter, model, prompt hash, latency and what it is based on;
    /// `advice.expire`), all in one transaction. Run by the worker's `advise` handler.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] for a context without a user; [`crate::Error::Unavailable`]
    /// when a store cannot be reached. A model's failure is not an error: see
    /// [`AdviceRun::fallbacks`].
    pub async fn run(&self, ctx: &TenantCtx) -> Result<AdviceRun> {
        let user_id = ctx.require_user()?;
        let situation = self.situation(ctx).await?;
        let standing = self.store.standing(ctx).await?;
        let found: BTreeSet<&str> = situation
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let known: BTreeSet<&str> = standing.iter().map(|a| a.fingerprint.as_str()).collect();
        let expire: Vec<&StoredAdvice> = standing
            .iter()
            .filter(|a| {
                a.status == AdviceStatus::Pending && !found.contains(a.fingerprint.as_str())
            })
            .collect();
        let new: Vec<_> = situation
            .findings
            .iter()
            .filter(|f| !known.contains(f.fingerprint.as_str()))
            .cloned()
            .collect();
        let wording = if new.is_empty() {
            wording::Wording::default()
        } else {
            wording::word(&new, self.llm.as_deref()).await
        };
        let now = self.clock.now().trunc_subsecs(6);
        let ids = IdSequence::at(now);
        let plan_id = situation.plan.as_ref().map(|p| p.id);
        let raised: Vec<StoredAdvice> = wording
            .items
            .into_iter()
            .map(|w| StoredAdvice {
                id: AdviceId(ids.next()),
                user_id,
                fingerprint: w.finding.fingerprint,
                rule: w.finding.detail.rule().to_owned(),
                status: AdviceStatus::Pending,
                content: w.content,
                rank: w.rank,
                plan_id,
                origin: w.origin,
                created_at: now,
                decided_at: None,
                decided_by: None,
                answer: None,
            })
            .collect();
        let mut audits: Vec<AuditDraft> = raised.iter().map(|a| created(ctx, a, now)).collect();
        audits.extend(expire.iter().map(|a| expired(ctx, a, now)));
        let changes = AdviceChanges {
            raise: raised.clone(),
            expire: expire.iter().map(|a| a.id).collect(),
            at: now,
        };
        if !changes.raise.is_empty() || !changes.expire.is_empty() {
            self.store.apply(ctx, &changes, audits).await?;
        }
        Ok(AdviceRun {
            raised,
            expired: changes.expire,
            standing: situation.findings.len() - new.len(),
            fallbacks: wording.fallbacks,
        })
    }
}

/// `advice.create`: who worded it, with what, at what cost, resting on what.
fn created(ctx: &TenantCtx, advice: &StoredAdvice, now: DateTime<Utc>) -> AuditDraft {
    let origin = &advice.origin;
    // The worker acts as the member the advice is for (so members read it in their log).
    AuditDraft::new(ctx, "advice.create", "advice", advice.id, now).with_change(
        None,
        Some(json!({
            "status": advice.status.as_str(),
            "rule": advice.rule,
            "kind": advice.content.kind(),
            "fingerprint": advice.fingerprint,
            "plan_id": advice.plan_id,
            "adapter": origin.adapter,
            "model": origin.model,
            "profile": origin.profile,
            "prompt_hash": origin.prompt_hash,
            "latency_ms": origin.latency_ms,
            "prompt_tokens": origin.prompt_tokens,
            "completion_tokens": origin.completion_tokens,
            "fallback": origin.fallback,
            "based_on": advice.content.based_on(),
        })),
    )
}

/// `advice.expire`: the finding is gone.
fn expired(ctx: &TenantCtx, advice: &StoredAdvice, now: DateTime<Utc>) -> AuditDraft {
    AuditDraft::new(ctx, "advice.expire", "advice", advice.id, now).with_change(
        Some(json!({ "status": "pending" })),
        Some(json!({ "status": "expired", "rule": advice.rule })),
    )
}
