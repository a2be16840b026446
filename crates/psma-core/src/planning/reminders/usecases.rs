//! The upcoming list, minting calendar tokens, and the feed they open.

use super::CalendarToken;
use super::calendar::{CalendarEntry, calendar_entries};
use super::ports::CalendarTokenStore;
use super::upcoming::{Reminder, ShowTitle, Upcoming, UpcomingQuery, upcoming, window_end};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::catalog::ports::CatalogReader;
use crate::catalog::show::ShowId;
use crate::planning::plans::{PlanStore, StoredPlan};
use crate::ports::{Clock, Entropy};
use crate::tenancy::{TenantCtx, UserId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::text::ServiceId;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A user's calendar feed: their current plan's events as calendar entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    /// Whose feed.
    pub user_id: UserId,
    /// When the plan was made (every entry's stamp); `None` without a plan.
    pub generated_at: Option<DateTime<Utc>>,
    /// The entries, in the plan's order; empty without a plan.
    pub entries: Vec<CalendarEntry>,
}

/// Reminders of plan events: the upcoming list and the calendar feed.
#[derive(Clone)]
pub struct Reminders {
    plans: Arc<dyn PlanStore>,
    tokens: Arc<dyn CalendarTokenStore>,
    catalog: Arc<dyn CatalogReader>,
    registry: Arc<ServiceRegistry>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
}

/// Why a feed request finds nothing: the same answer for a malformed token, an unknown tenant,
/// a wrong secret and a rotated one, so none can be told from another.
fn no_feed() -> Error {
    Error::NotFound {
        resource: "calendar feed",
        id: "for this token".to_owned(),
    }
}

impl Reminders {
    /// Wires the use cases.
    #[must_use]
    pub fn new(
        plans: Arc<dyn PlanStore>,
        tokens: Arc<dyn CalendarTokenStore>,
        catalog: Arc<dyn CatalogReader>,
        registry: Arc<ServiceRegistry>,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
    ) -> Self {
        Self {
            plans,
            tokens,
            catalog,
            registry,
            clock,
            entropy,
        }
    }

    /// The events of the caller's current plan in the window `query` asks for, with their
    /// shows' titles. No plan yet is not an error: the list is empty and says so
    /// (`plan_id: None`).
    ///
    /// # Errors
    /// [`Error::Validation`] for a window or limit out of bounds; [`Error::Forbidden`] without
    /// a user; [`Error::Unavailable`] when a store cannot be reached.
    pub async fn upcoming(&self, ctx: &TenantCtx, query: UpcomingQuery) -> Result<Upcoming> {
        ctx.require(Permission::PLANS_READ, "reading reminders")?;
        query.check()?;
        ctx.require_user()?;
        let today = self.clock.now().date_naive();
        let plan = self.plans.current(ctx).await?;
        let from = query
            .from
            .unwrap_or_else(|| plan.as_ref().map_or(today, |p| p.plan.today.max(today)));
        let until = window_end(from, query.days);
        let Some(stored) = plan else {
            return Ok(Upcoming {
                plan_id: None,
                generated_at: None,
                from,
                until,
                truncated: false,
                items: Vec::new(),
            });
        };
        let (events, truncated) = upcoming(&stored.plan, from, until, usize::from(query.limit));
        let titles = self
            .titles(ctx, events.iter().flat_map(|e| &e.show_ids))
            .await?;
        let items = events
            .into_iter()
            .map(|event| Reminder {
                service_name: self.service_name(&event.service_id),
                shows: event
                    .show_ids
                    .iter()
                    .map(|id| ShowTitle {
                        show_id: *id,
                        title: titles.get(id).cloned(),
                    })
                    .collect(),
                days_away: u32::try_from((event.date - from).num_days()).unwrap_or(0),
                event: event.clone(),
            })
            .collect();
        Ok(Upcoming {
            plan_id: Some(stored.id),
            generated_at: Some(stored.generated_at),
            from,
            until,
            truncated,
            items,
        })
    }

    /// The service's name as people know it (its id when the registry does not have it).
    #[must_use]
    pub fn service_name(&self, service: &ServiceId) -> String {
        self.registry.get(service.as_str()).map_or_else(
            || service.as_str().to_owned(),
            |e| e.name.as_str().to_owned(),
        )
    }

    async fn titles(
        &self,
        ctx: &TenantCtx,
        shows: impl Iterator<Item = &ShowId>,
    ) -> Result<BTreeMap<ShowId, String>> {
        let ids: Vec<ShowId> = shows
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        self.catalog.titles(ctx, &ids).await
    }

    /// Mints a calendar feed token for the caller, replacing the one they had (rotating: the
    /// old URL stops working at once). Only the hash is kept; the token is returned once.
    /// Audited as `calendar_token.rotate` (when the old and the new token were made; never a
    /// token or its hash).
    ///
    /// Any signed-in member may, viewers too: the feed shows only their own plan.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without a user; [`Error::Internal`] when no randomness is to be
    /// had; [`Error::Unavailable`] when the store cannot be reached.
    pub async fn rotate_token(
        &self,
        ctx: &TenantCtx,
        request_id: Option<String>,
    ) -> Result<CalendarToken> {
        ctx.require(Permission::CALENDAR_WRITE, "rotating your calendar link")?;
        let user = ctx.require_user()?;
        let token = CalendarToken::generate(ctx.tenant_id(), self.entropy.as_ref())?;
        let now = self.clock.now();
        let audit = AuditDraft::new(ctx, "calendar_token.rotate", "calendar_token", user, now)
            .with_request_id(request_id);
        self.tokens
            .put_calendar_token(ctx, token.hash(), now, audit)
            .await?;
        Ok(token)
    }

    /// Whose feed `token` opens, read within `ctx`'s tenant (the token's own: an entry point
    /// establishes it from the token before anything is read). Every stored hash of the tenant
    /// is compared, each in constant time, whatever matches.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the token opens nothing (another tenant's context, a wrong or
    /// rotated secret — the same answer for each); [`Error::Unavailable`] when the store cannot
    /// be reached.
    pub async fn feed_owner(&self, ctx: &TenantCtx, token: &CalendarToken) -> Result<UserId> {
        if ctx.tenant_id() != token.tenant_id() {
            return Err(no_feed());
        }
        let hash = token.hash();
        let mut owner = None;
        for (user, stored) in self.tokens.calendar_tokens(ctx).await? {
            if stored.matches(&hash) {
                owner = Some(user);
            }
        }
        owner.ok_or_else(no_feed)
    }

    /// The caller's calendar feed: their current plan's events as entries; empty (not an
    /// error) before their first plan.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without a user; [`Error::Unavailable`] when a store cannot be
    /// reached.
    pub async fn feed(&self, ctx: &TenantCtx) -> Result<CalendarFeed> {
        ctx.require(Permission::CALENDAR_READ, "reading your calendar")?;
        let user_id = ctx.require_user()?;
        let plan: Option<StoredPlan> = self.plans.current(ctx).await?;
        Ok(CalendarFeed {
            user_id,
            generated_at: plan.as_ref().map(|p| p.generated_at),
            entries: plan
                .map(|p| calendar_entries(user_id, &p.plan, |s| self.service_name(s)))
                .unwrap_or_default(),
        })
    }
}
