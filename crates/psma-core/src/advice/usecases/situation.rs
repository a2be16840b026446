//! What the rules look at for the caller, now.

use super::Advising;
use crate::Result;
use crate::advice::rules::{AdviceInputs, Finding, findings};
use crate::catalog::MAX_PAGE_SIZE;
use crate::catalog::conflict::{ConflictStatus, ConflictView};
use crate::catalog::ports::PageRequest;
use crate::planning::plans::{PlanTrigger, StoredPlan};
use crate::tenancy::TenantCtx;
use psma_plugin_sdk::Fact;

/// The caller's current plan and what the rules find about it.
pub(super) struct Situation {
    /// The plan (`None`: the member has none yet, and nothing is found).
    pub plan: Option<StoredPlan>,
    /// The findings, in the rules' order.
    pub findings: Vec<Finding>,
}

impl Advising {
    /// The rules run over the caller's current plan, the inputs it is made from (as of its
    /// day), its delta when a catalog refresh made it, the SBKB and live service behaviour,
    /// and the household's open conflicts.
    pub(super) async fn situation(&self, ctx: &TenantCtx) -> Result<Situation> {
        let plan = match self.plans.current(ctx).await {
            Ok(plan) => plan,
            Err(crate::Error::NotFound { .. }) => {
                return Ok(Situation {
                    plan: None,
                    findings: Vec::new(),
                });
            }
            Err(other) => return Err(other),
        };
        let planning = self.plans.inputs(ctx, plan.today).await?;
        // A delta is explained when the catalog moved the plan, not when the member did.
        let delta = if plan.trigger == PlanTrigger::CatalogRefresh && plan.previous_id.is_some() {
            Some(self.plans.delta(ctx).await?.delta)
        } else {
            None
        };
        let service_behaviors: Vec<_> = self
            .catalog
            .service_facts(ctx)
            .await?
            .into_iter()
            .filter(|f| matches!(f.fact, Fact::ServiceBehavior(_)))
            .collect();
        let conflicts = self.open_conflicts(ctx).await?;
        let inputs = AdviceInputs {
            planning: &planning,
            plan: &plan.plan,
            delta: delta.as_ref(),
            registry: &self.registry,
            service_behaviors: &service_behaviors,
            conflicts: &conflicts,
        };
        let findings = findings(&inputs, plan.today);
        Ok(Situation {
            plan: Some(plan),
            findings,
        })
    }

    /// Every open conflict the household sees.
    async fn open_conflicts(&self, ctx: &TenantCtx) -> Result<Vec<ConflictView>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = PageRequest {
                after,
                limit: MAX_PAGE_SIZE,
            };
            let page = self
                .catalog
                .conflicts(ctx, Some(ConflictStatus::Open), &page)
                .await?;
            all.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
    }
}
