//! Advice use cases: the worker's advice run, and the member's inbox — list, confirm, decline,
//! answer (DESIGN §7; ADR 0027).
//!
//! **Nothing is applied silently.** An advice run only raises and expires items; a change is
//! made when the member confirms (or answers), through the ordinary use cases — My Shows for a
//! watch mode or an end date, the conflict resolution for a source — each audited as usual,
//! then the plan is made again and its delta returned.
//!
//! **Stale advice is refused.** Before applying, the rules look at the situation again; an
//! item whose finding is gone (its fingerprint no longer found) is marked `expired` and the
//! request fails with [`Error::Conflict`] (409).

mod apply;
mod run;
mod situation;

pub use run::AdviceRun;

use super::llm::LlmClient;
use super::ports::{AdviceDecision, AdviceStore};
use super::records::{AdviceId, AdviceStatus, StoredAdvice};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::catalog::Conflicts;
use crate::catalog::ports::CatalogReader;
use crate::planning::plans::{Plans, StoredDelta};
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use psma_plugin_sdk::ServiceRegistry;
use serde_json::{Value, json};
use std::sync::Arc;

/// The most items [`Advising::list`] returns.
pub const MAX_LISTED: u32 = 200;

/// Raising advice and deciding on it.
#[derive(Clone)]
pub struct Advising {
    store: Arc<dyn AdviceStore>,
    plans: Plans,
    catalog: Arc<dyn CatalogReader>,
    conflicts: Conflicts,
    registry: Arc<ServiceRegistry>,
    llm: Option<Arc<dyn LlmClient>>,
    clock: Arc<dyn Clock>,
}

/// A decision that changed something: the item as decided, and the new plan's delta.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    /// The item, confirmed or answered.
    pub advice: StoredAdvice,
    /// The plan made after applying it, compared with the plan before.
    pub delta: StoredDelta,
}

/// What an advice use case needs, wired by the composition root.
pub struct AdvisingParts {
    /// Where advice is kept.
    pub store: Arc<dyn AdviceStore>,
    /// Plans (and, through them, profiles).
    pub plans: Plans,
    /// The catalog as the household sees it.
    pub catalog: Arc<dyn CatalogReader>,
    /// Conflict decisions.
    pub conflicts: Conflicts,
    /// The curated service registry (the SBKB).
    pub registry: Arc<ServiceRegistry>,
    /// The language model, when one is configured (`None`: the offline adviser).
    pub llm: Option<Arc<dyn LlmClient>>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

impl Advising {
    /// Wires the use cases.
    #[must_use]
    pub fn new(parts: AdvisingParts) -> Self {
        let AdvisingParts {
            store,
            plans,
            catalog,
            conflicts,
            registry,
            llm,
            clock,
        } = parts;
        Self {
            store,
            plans,
            catalog,
            conflicts,
            registry,
            llm,
            clock,
        }
    }

    /// The adapter that words advice: the model's (`openrouter`) or `offline`.
    #[must_use]
    pub fn adapter(&self) -> &str {
        self.llm.as_ref().map_or("offline", |l| l.adapter())
    }

    /// The caller's advice, newest first, only with `status` when given, at most `limit`.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit` outside 1 to [`MAX_LISTED`]; [`Error::Forbidden`]
    /// without a user; [`Error::Unavailable`] when the store cannot be reached.
    pub async fn list(
        &self,
        ctx: &TenantCtx,
        status: Option<AdviceStatus>,
        limit: u32,
    ) -> Result<Vec<StoredAdvice>> {
        ctx.require(Permission::ADVICE_READ, "reading advice")?;
        ctx.require_user()?;
        if !(1..=MAX_LISTED).contains(&limit) {
            return Err(Error::validation(
                "limit",
                format!("must be between 1 and {MAX_LISTED}, got {limit}"),
            ));
        }
        self.store.list(ctx, status, limit).await
    }

    /// One of the caller's items.
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is not theirs or does not exist; as [`Self::list`].
    pub async fn get(&self, ctx: &TenantCtx, id: AdviceId) -> Result<StoredAdvice> {
        ctx.require(Permission::ADVICE_READ, "reading advice")?;
        ctx.require_user()?;
        self.store
            .get(ctx, id)
            .await?
            .ok_or_else(|| Error::NotFound {
                resource: "advice",
                id: id.to_string(),
            })
    }

    /// Declines a pending item (audited as `advice.decline`): it is not raised again until
    /// what it rests on changes.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::NotFound`]; [`Error::Conflict`] when it is
    /// not pending; as [`Self::list`].
    pub async fn decline(
        &self,
        ctx: &TenantCtx,
        id: AdviceId,
        request_id: Option<String>,
    ) -> Result<StoredAdvice> {
        ctx.require(Permission::ADVICE_WRITE, "declining advice")?;
        let item = self.pending(ctx, id, "declined").await?;
        self.decide(ctx, &item, AdviceStatus::Declined, None, request_id)
            .await?;
        self.get(ctx, id).await
    }

    /// Confirms a pending recommendation: applies exactly its proposed change through the
    /// ordinary use cases, marks it `confirmed` (audited as `advice.confirm`), makes the plan
    /// again and returns its delta.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::NotFound`]; [`Error::Conflict`] when it is
    /// not pending, is a question, or is stale (it is then marked `expired`); the errors of the
    /// use case that applies the change; as [`Self::list`].
    pub async fn confirm(
        &self,
        ctx: &TenantCtx,
        id: AdviceId,
        request_id: Option<String>,
    ) -> Result<Decided> {
        ctx.require(Permission::ADVICE_WRITE, "confirming advice")?;
        let item = self.pending(ctx, id, "confirmed").await?;
        self.fresh(ctx, &item, request_id.clone()).await?;
        self.apply_change(ctx, &item, request_id.clone()).await?;
        self.decide(
            ctx,
            &item,
            AdviceStatus::Confirmed,
            None,
            request_id.clone(),
        )
        .await?;
        self.decided(ctx, id, request_id).await
    }

    /// Answers a pending question: checks `answer` against the question's answer schema,
    /// applies it as a confirmed planner input (an end date on My Shows, a conflict's fact),
    /// marks it `answered` (audited as `advice.answer`), makes the plan again and returns its
    /// delta.
    ///
    /// # Errors
    /// [`Error::Validation`] on `answer` when it breaks the question's schema; as
    /// [`Self::confirm`] (a recommendation is confirmed, not answered).
    pub async fn answer(
        &self,
        ctx: &TenantCtx,
        id: AdviceId,
        answer: Value,
        request_id: Option<String>,
    ) -> Result<Decided> {
        ctx.require(Permission::ADVICE_WRITE, "answering advice")?;
        let item = self.pending(ctx, id, "answered").await?;
        self.fresh(ctx, &item, request_id.clone()).await?;
        self.apply_answer(ctx, &item, &answer, request_id.clone())
            .await?;
        self.decide(
            ctx,
            &item,
            AdviceStatus::Answered,
            Some(answer),
            request_id.clone(),
        )
        .await?;
        self.decided(ctx, id, request_id).await
    }

    /// The item, which must be pending.
    async fn pending(&self, ctx: &TenantCtx, id: AdviceId, verb: &str) -> Result<StoredAdvice> {
        let item = self.get(ctx, id).await?;
        if item.status != AdviceStatus::Pending {
            return Err(Error::Conflict(format!(
                "advice {id} is {}; only pending advice can be {verb}",
                item.status.as_str()
            )));
        }
        Ok(item)
    }

    /// Refuses (and expires) an item whose finding the rules no longer find.
    async fn fresh(
        &self,
        ctx: &TenantCtx,
        item: &StoredAdvice,
        request_id: Option<String>,
    ) -> Result<()> {
        let findings = self.situation(ctx).await?.findings;
        if findings.iter().any(|f| f.fingerprint == item.fingerprint) {
            return Ok(());
        }
        let audit = self.audit(
            ctx,
            "advice.expire",
            item,
            AdviceStatus::Expired,
            None,
            request_id,
        );
        let decision = AdviceDecision {
            id: item.id,
            status: AdviceStatus::Expired,
            decided_by: None,
            at: self.clock.now(),
            answer: None,
        };
        match self.store.decide(ctx, &decision, audit).await {
            Ok(()) | Err(Error::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
        Err(Error::Conflict(format!(
            "advice {} is stale: what it rests on has changed since it was raised, so it can \
             no longer be applied; fresh advice follows the next plan",
            item.id
        )))
    }

    async fn decide(
        &self,
        ctx: &TenantCtx,
        item: &StoredAdvice,
        status: AdviceStatus,
        answer: Option<Value>,
        request_id: Option<String>,
    ) -> Result<()> {
        let action = match status {
            AdviceStatus::Confirmed => "advice.confirm",
            AdviceStatus::Answered => "advice.answer",
            AdviceStatus::Declined => "advice.decline",
            AdviceStatus::Expired | AdviceStatus::Pending => "advice.expire",
        };
        let audit = self.audit(ctx, action, item, status, answer.as_ref(), request_id);
        let decision = AdviceDecision {
            id: item.id,
            status,
            decided_by: ctx.user_id(),
            at: self.clock.now(),
            answer,
        };
        self.store.decide(ctx, &decision, audit).await
    }

    /// The plan made again after a decision, and its delta.
    async fn decided(
        &self,
        ctx: &TenantCtx,
        id: AdviceId,
        request_id: Option<String>,
    ) -> Result<Decided> {
        self.plans
            .refresh(ctx, crate::planning::plans::PlanTrigger::Advice, request_id)
            .await?;
        let delta = self.plans.delta(ctx).await?;
        Ok(Decided {
            advice: self.get(ctx, id).await?,
            delta,
        })
    }

    fn audit(
        &self,
        ctx: &TenantCtx,
        action: &str,
        item: &StoredAdvice,
        status: AdviceStatus,
        answer: Option<&Value>,
        request_id: Option<String>,
    ) -> AuditDraft {
        AuditDraft::new(ctx, action, "advice", item.id, self.clock.now())
            .with_change(
                Some(json!({ "status": item.status.as_str() })),
                Some(json!({
                    "status": status.as_str(),
                    "rule": item.rule,
                    "proposed_change": match &item.content {
                        super::records::AdviceContent::Recommendation(r) => {
                            serde_json::to_value(&r.proposed_change).ok()
                        }
                        super::records::AdviceContent::Question(_) => None,
                    },
                    "answer": answer,
                })),
            )
            .with_request_id(request_id)
    }
}
