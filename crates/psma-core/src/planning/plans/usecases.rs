//! Making, keeping and reading a household member's plans.

use super::delta;
use super::inputs::PlanningInputs;
use super::ports::PlanStore;
use super::types::{PlanId, PlanTrigger, StoredDelta, StoredPlan};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::catalog::ports::CatalogReader;
use crate::ids::IdSequence;
use crate::jobs::NewJob;
use crate::planning::planner::{self, DEFAULT_SEARCH_BUDGET, Plan};
use crate::planning::profile::Profiles;
use crate::ports::Clock;
use crate::tenancy::{TenantCtx, TenantId, UserId};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use psma_plugin_sdk::ServiceRegistry;
use serde_json::json;
use std::sync::Arc;

/// Generating and reading stored plans.
#[derive(Clone)]
pub struct Plans {
    store: Arc<dyn PlanStore>,
    profiles: Profiles,
    catalog: Arc<dyn CatalogReader>,
    registry: Arc<ServiceRegistry>,
    clock: Arc<dyn Clock>,
    search_budget: u64,
    follow_up: Option<FollowUp>,
}

/// The job queued with every plan kept, in the plan's transaction (the composition root makes
/// it the member's advice run): tenant, user, now → job.
pub type FollowUp = fn(TenantId, UserId, DateTime<Utc>) -> Result<NewJob>;

impl Plans {
    /// Wires the use cases.
    #[must_use]
    pub fn new(
        store: Arc<dyn PlanStore>,
        profiles: Profiles,
        catalog: Arc<dyn CatalogReader>,
        registry: Arc<ServiceRegistry>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            profiles,
            catalog,
            registry,
            clock,
            search_budget: DEFAULT_SEARCH_BUDGET,
            follow_up: None,
        }
    }

    /// Queues `follow_up`'s job with every plan kept, in the plan's transaction.
    #[must_use]
    pub fn followed_by(mut self, follow_up: FollowUp) -> Self {
        self.follow_up = Some(follow_up);
        self
    }

    /// The profile use cases plans are made from.
    #[must_use]
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// What the planner would read for the caller, planning from `today`.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without a user; [`Error::Unavailable`] when a store cannot be
    /// reached.
    pub async fn inputs(&self, ctx: &TenantCtx, today: NaiveDate) -> Result<PlanningInputs> {
        let settings = self.profiles.settings(ctx).await?;
        let selections = self.profiles.my_shows(ctx).await?;
        let services = self.profiles.my_services(ctx).await?;
        let mut records = Vec::with_capacity(selections.len());
        for selection in &selections {
            if let Some(record) = self.catalog.show(ctx, selection.show_id).await? {
                records.push(record);
            }
        }
        PlanningInputs::gather(
            today,
            settings,
            selections,
            services,
            &records,
            &self.registry,
            self.search_budget,
        )
    }

    /// Plans for the caller from `today` (default: the clock's UTC day), keeps the plan as
    /// their current one (the previous stays readable) and returns it. Audited as
    /// `plan.generate` with the trigger, the day and the totals.
    ///
    /// Any signed-in member may plan for themselves, viewers too: a plan is derived from the
    /// household's data and changes none of it.
    ///
    /// # Errors
    /// [`Error::Conflict`] when other plans for the caller kept being made while this one was
    /// saved (it is linked to the new current plan and saved again, a few times); as
    /// [`Self::inputs`].
    pub async fn generate(
        &self,
        ctx: &TenantCtx,
        today: Option<NaiveDate>,
        trigger: PlanTrigger,
        request_id: Option<String>,
    ) -> Result<StoredPlan> {
        ctx.require(Permission::PLANS_WRITE, "planning")?;
        let user_id = ctx.require_user()?;
        // To the microsecond, as databases keep it: the plan returned is the plan read back.
        let now = self.clock.now().trunc_subsecs(6);
        let today = today.unwrap_or_else(|| now.date_naive());
        let plan = self.plan(ctx, today).await?;
        let stored = StoredPlan {
            id: PlanId(IdSequence::at(now).next()),
            user_id,
            today,
            generated_at: now,
            trigger,
            previous_id: None,
            plan,
        };
        self.keep(ctx, stored, request_id).await
    }

    /// Plans again for the caller because `trigger` changed what their plan rests on, and
    /// keeps the plan only when it differs from the current one (`None`: nothing to tell).
    ///
    /// The day planned from is the current plan's when that plan was asked for as of a day
    /// other than the one it was made on (a what-if plan stays one: re-planning it as of the
    /// machine's day would replace it with an answer to another question), else the clock's.
    ///
    /// # Errors
    /// As [`Self::generate`].
    pub async fn replan(
        &self,
        ctx: &TenantCtx,
        trigger: PlanTrigger,
    ) -> Result<Option<StoredPlan>> {
        let user_id = ctx.require_user()?;
        let now = self.clock.now().trunc_subsecs(6);
        let current = self.store.current(ctx).await?;
        let today = plan_day(current.as_ref(), now);
        let plan = self.plan(ctx, today).await?;
        if current.is_some_and(|c| c.today == today && c.plan == plan) {
            return Ok(None);
        }
        let stored = StoredPlan {
            id: PlanId(IdSequence::at(now).next()),
            user_id,
            today,
            generated_at: now,
            trigger,
            previous_id: None,
            plan,
        };
        self.keep(ctx, stored, None).await.map(Some)
    }

    /// Plans again for the caller because `trigger` (their own decision) changed what their
    /// plan rests on, as of the day [`Self::replan`] would, and keeps the plan even when it is
    /// the same (the member asked; the delta says "nothing changed").
    ///
    /// # Errors
    /// As [`Self::generate`].
    pub async fn refresh(
        &self,
        ctx: &TenantCtx,
        trigger: PlanTrigger,
        request_id: Option<String>,
    ) -> Result<StoredPlan> {
        let now = self.clock.now().trunc_subsecs(6);
        let current = self.store.current(ctx).await?;
        let today = plan_day(current.as_ref(), now);
        self.generate(ctx, Some(today), trigger, request_id).await
    }

    async fn plan(&self, ctx: &TenantCtx, today: NaiveDate) -> Result<Plan> {
        let inputs = self.inputs(ctx, today).await?;
        Ok(planner::plan(&inputs.input()))
    }

    /// Keeps `stored` as the caller's current plan, linked to the one it replaces.
    async fn keep(
        &self,
        ctx: &TenantCtx,
        mut stored: StoredPlan,
        request_id: Option<String>,
    ) -> Result<StoredPlan> {
        let mut attempt = 1;
        loop {
            // The plan replaces whatever is current when it is kept; the store refuses it
            // (`Conflict`) when another plan was kept in between, and it is linked again.
            stored.previous_id = self.store.current(ctx).await?.map(|p| p.id);
            let audit = generate_audit(ctx, &stored, stored.generated_at, request_id.clone());
            let follow_up = self
                .follow_up
                .map(|job| job(ctx.tenant_id(), stored.user_id, stored.generated_at))
                .transpose()?;
            match self.store.save(ctx, &stored, audit, follow_up).await {
                Err(Error::Conflict(_)) if attempt < SAVE_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e),
                Ok(()) => return Ok(stored),
            }
        }
    }

    /// The caller's current plan.
    ///
    /// # Errors
    /// [`Error::NotFound`] when they have none yet; as [`Self::inputs`].
    pub async fn current(&self, ctx: &TenantCtx) -> Result<StoredPlan> {
        ctx.require(Permission::PLANS_READ, "reading your plan")?;
        ctx.require_user()?;
        self.store
            .current(ctx)
            .await?
            .ok_or_else(|| Error::NotFound {
                resource: "plan",
                id: "current".to_owned(),
            })
    }

    /// One of the caller's plans.
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is not theirs or does not exist; as [`Self::inputs`].
    pub async fn get(&self, ctx: &TenantCtx, id: PlanId) -> Result<StoredPlan> {
        ctx.require(Permission::PLANS_READ, "reading a plan")?;
        ctx.require_user()?;
        self.store
            .get(ctx, id)
            .await?
            .ok_or_else(|| Error::NotFound {
                resource: "plan",
                id: id.to_string(),
            })
    }

    /// The caller's current plan compared with the plan it replaced (a first plan with the
    /// empty plan: everything in it is added).
    ///
    /// # Errors
    /// [`Error::NotFound`] when they have no plan yet; as [`Self::inputs`].
    pub async fn delta(&self, ctx: &TenantCtx) -> Result<StoredDelta> {
        ctx.require(Permission::PLANS_READ, "reading your plan's changes")?;
        let current = self.current(ctx).await?;
        let previous = self.previous(ctx, &current).await?;
        Ok(StoredDelta {
            plan_id: current.id,
            today: current.today,
            previous_id: previous.as_ref().map(|p| p.id),
            previous_today: previous.as_ref().map(|p| p.today),
            delta: delta::delta(previous.as_ref().map(|p| &p.plan), &current.plan),
        })
    }

    /// The plan `plan` is compared with: the one it replaced, passing over background re-plans
    /// that made the same plan as `plan` (a member who asks again after the worker already
    /// re-planned sees what changed since their own previous plan, not an empty delta).
    async fn previous(&self, ctx: &TenantCtx, plan: &StoredPlan) -> Result<Option<StoredPlan>> {
        let mut next = plan.previous_id;
        for _ in 0..MAX_PASSED_OVER {
            // A plan is never deleted while a later one links to it (the link would be
            // cleared), so a missing previous plan only means there is none.
            let Some(id) = next else { return Ok(None) };
            let Some(previous) = self.store.get(ctx, id).await? else {
                return Ok(None);
            };
            let same_replan = previous.trigger != PlanTrigger::Request
                && previous.today == plan.today
                && previous.plan == plan.plan;
            if !same_replan {
                return Ok(Some(previous));
            }
            next = previous.previous_id;
        }
        Ok(None)
    }
}

/// The day a re-plan plans from: the current plan's when that was a what-if plan (asked for as
/// of a day other than the one it was made on), else `now`'s.
fn plan_day(current: Option<&StoredPlan>, now: DateTime<Utc>) -> NaiveDate {
    current
        .filter(|c| c.today != c.generated_at.date_naive())
        .map_or_else(|| now.date_naive(), |c| c.today)
}

/// How many identical background re-plans [`Plans::delta`] passes over at most.
const MAX_PASSED_OVER: usize = 16;

/// How many times [`Plans::generate`] links its plan to the current one and tries to keep it.
const SAVE_ATTEMPTS: u32 = 3;

/// The audit entry of a generated plan: why, from when, what it replaced, and its totals.
fn generate_audit(
    ctx: &TenantCtx,
    stored: &StoredPlan,
    now: DateTime<Utc>,
    request_id: Option<String>,
) -> AuditDraft {
    let mut audit =
        AuditDraft::new(ctx, "plan.generate", "plan", stored.id, now).with_request_id(request_id);
    audit.after = Some(json!({
        "trigger": stored.trigger.as_str(),
        "today": stored.today,
        "previous_id": stored.previous_id,
        "events": stored.plan.events.len(),
        "questions": stored.plan.questions.len(),
        "subscribed_days": stored.plan.totals.subscribed_days,
        "cost": stored.plan.totals.cost,
    }));
    audit
}
