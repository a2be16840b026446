//! Reading and changing one's profile: checked, audited, the caller's own.

use super::ports::{ProfileStore, ProfileWrite};
use super::settings::{PlannerSettings, SettingsOverrides, UserSettings};
use super::types::{MyService, Selection, ServiceTerms, WatchMode, Wish};
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::catalog::ShowId;
use crate::catalog::ports::CatalogReader;
use crate::planning::plans::PlanTrigger;
use crate::planning::replan::replan_job;
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use chrono::NaiveDate;
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::text::ServiceId;
use std::ops::RangeInclusive;
use std::sync::Arc;

/// The bounds a user's values are held to (the API's schema states the same).
const BINGE_DAYS: RangeInclusive<u16> = 1..=365;
const SEASONS: RangeInclusive<u16> = 0..=9999;
const BILLING_CYCLE_DAYS: RangeInclusive<u16> = 1..=366;
const MIN_CONTRACT_DAYS: RangeInclusive<u16> = 0..=3650;
const SHORT_DAYS: RangeInclusive<u16> = 0..=60;
const HORIZON_DAYS: RangeInclusive<u16> = 1..=365;

/// Something saved, and whether it is new (or back from deletion).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved<T> {
    /// What is stored now.
    pub item: T,
    /// Whether it was not on the profile before.
    pub created: bool,
}

/// How a user asks to watch a show, as received: `binge_days` unset takes the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishRequest {
    /// How.
    pub watch_mode: Option<WatchMode>,
    /// Days to watch a season in.
    pub binge_days: Option<u16>,
    /// Only this season.
    pub season: Option<u16>,
    /// Not before this day.
    pub start_after: Option<NaiveDate>,
    /// The last day the show is needed (answers the plan's `show:<id>:end_date` question).
    pub end_date: Option<NaiveDate>,
}

/// My Shows, My Services and settings. Every successful change also queues the user's
/// re-plan (a `replan` job, trigger `profile_change`) in the change's own transaction.
#[derive(Clone)]
pub struct Profiles {
    store: Arc<dyn ProfileStore>,
    catalog: Arc<dyn CatalogReader>,
    registry: Arc<ServiceRegistry>,
    defaults: PlannerSettings,
    clock: Arc<dyn Clock>,
}

impl Profiles {
    /// Wires the use cases: `defaults` are the configuration's (`[planner]`).
    #[must_use]
    pub fn new(
        store: Arc<dyn ProfileStore>,
        catalog: Arc<dyn CatalogReader>,
        registry: Arc<ServiceRegistry>,
        defaults: PlannerSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            catalog,
            registry,
            defaults,
            clock,
        }
    }

    /// The configuration's planner settings, which a member's settings override.
    #[must_use]
    pub fn defaults(&self) -> &PlannerSettings {
        &self.defaults
    }

    /// The caller's shows.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without a user or `my_shows:read`; [`Error::Unavailable`] when the store cannot be
    /// reached.
    pub async fn my_shows(&self, ctx: &TenantCtx) -> Result<Vec<Selection>> {
        ctx.require_user()?;
        ctx.require(Permission::MY_SHOWS_READ, "reading your shows")?;
        self.store.selections(ctx).await
    }

    /// Puts `show` on the caller's list, or changes how they watch it (audited as
    /// `my_show.put`).
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `my_shows:write`; [`Error::NotFound`] for a show the caller cannot see;
    /// [`Error::Validation`] naming the field; as [`Self::my_shows`].
    pub async fn put_my_show(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        request: WishRequest,
        request_id: Option<String>,
    ) -> Result<Saved<Selection>> {
        self.may_edit(ctx, Permission::MY_SHOWS_WRITE, "changing your shows")?;
        let watch_mode = request
            .watch_mode
            .ok_or_else(|| Error::validation("watch_mode", "is required"))?;
        let binge_days = request.binge_days.unwrap_or(self.defaults.binge_days);
        within("binge_days", binge_days, &BINGE_DAYS)?;
        if let Some(season) = request.season {
            within("season", season, &SEASONS)?;
        }
        // An `end_date` before `start_after` is kept, not refused (the API's schema cannot
        // state a rule between two fields, and a schema-valid request is never refused): the
        // planner never ends a need before it starts, so it means the first day only.
        if self.catalog.show(ctx, show).await?.is_none() {
            return Err(Error::NotFound {
                resource: "show",
                id: show.to_string(),
            });
        }
        let wish = Wish {
            watch_mode,
            binge_days,
            season: request.season,
            start_after: request.start_after,
            end_date: request.end_date,
        };
        let write = self.write(ctx, "my_show.put", "my_show", show, request_id)?;
        self.store.put_selection(ctx, show, &wish, write).await
    }

    /// Takes `show` off the caller's list (audited as `my_show.delete`); putting it back
    /// restores it.
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is not on the list; as [`Self::put_my_show`].
    pub async fn delete_my_show(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        request_id: Option<String>,
    ) -> Result<()> {
        self.may_edit(ctx, Permission::MY_SHOWS_WRITE, "changing your shows")?;
        let write = self.write(ctx, "my_show.delete", "my_show", show, request_id)?;
        self.store.delete_selection(ctx, show, write).await
    }

    /// Undoes [`Self::delete_my_show`]: the show is back on the caller's list as it was
    /// (audited as `my_show.restore`; re-plans).
    ///
    /// # Errors
    /// [`Error::NotFound`] when it was never on the list; [`Error::Conflict`] when it is on
    /// it; as [`Self::put_my_show`].
    pub async fn restore_my_show(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        request_id: Option<String>,
    ) -> Result<Selection> {
        self.may_edit(ctx, Permission::MY_SHOWS_WRITE, "changing your shows")?;
        let write = self.write(ctx, "my_show.restore", "my_show", show, request_id)?;
        self.store.restore_selection(ctx, show, write).await
    }

    /// The caller's services.
    ///
    /// # Errors
    /// As [`Self::my_shows`].
    pub async fn my_services(&self, ctx: &TenantCtx) -> Result<Vec<MyService>> {
        ctx.require_user()?;
        ctx.require(Permission::MY_SERVICES_READ, "reading your services")?;
        self.store.services(ctx).await
    }

    /// Sets the caller's terms for `service` (audited as `my_service.put`). A price needs its
    /// currency.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a service the registry does not know; [`Error::Validation`]
    /// naming the field; as [`Self::put_my_show`].
    pub async fn put_my_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        terms: ServiceTerms,
        request_id: Option<String>,
    ) -> Result<Saved<MyService>> {
        self.may_edit(ctx, Permission::MY_SERVICES_WRITE, "changing your services")?;
        if !self.registry.contains(service.as_str()) {
            return Err(Error::NotFound {
                resource: "service",
                id: service.to_string(),
            });
        }
        check_terms(&terms)?;
        let write = self.write(ctx, "my_service.put", "my_service", service, request_id)?;
        self.store.put_service(ctx, service, &terms, write).await
    }

    /// Takes `service` off the caller's profile (audited as `my_service.delete`).
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is not on the profile; as [`Self::put_my_show`].
    pub async fn delete_my_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        request_id: Option<String>,
    ) -> Result<()> {
        self.may_edit(ctx, Permission::MY_SERVICES_WRITE, "changing your services")?;
        let write = self.write(ctx, "my_service.delete", "my_service", service, request_id)?;
        self.store.delete_service(ctx, service, write).await
    }

    /// Undoes [`Self::delete_my_service`]: the service is back with its terms (audited as
    /// `my_service.restore`; re-plans).
    ///
    /// # Errors
    /// [`Error::NotFound`] when it was never on the profile; [`Error::Conflict`] when it is on
    /// it; as [`Self::put_my_show`].
    pub async fn restore_my_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        request_id: Option<String>,
    ) -> Result<MyService> {
        self.may_edit(ctx, Permission::MY_SERVICES_WRITE, "changing your services")?;
        let write = self.write(ctx, "my_service.restore", "my_service", service, request_id)?;
        self.store.restore_service(ctx, service, write).await
    }

    /// The caller's settings in force.
    ///
    /// # Errors
    /// As [`Self::my_shows`].
    pub async fn settings(&self, ctx: &TenantCtx) -> Result<UserSettings> {
        ctx.require_user()?;
        ctx.require(Permission::SETTINGS_READ, "reading your settings")?;
        let overrides = self.store.settings_overrides(ctx).await?;
        Ok(UserSettings::resolve(&self.defaults, overrides))
    }

    /// Replaces what the caller sets over the defaults (audited as `settings.put`): a value
    /// left out goes back to the default.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the field; as [`Self::put_my_show`].
    pub async fn put_settings(
        &self,
        ctx: &TenantCtx,
        overrides: SettingsOverrides,
        request_id: Option<String>,
    ) -> Result<UserSettings> {
        self.may_edit(ctx, Permission::SETTINGS_WRITE, "changing your settings")?;
        check_overrides(&overrides)?;
        let user = ctx.require_user()?;
        let write = self.write(ctx, "settings.put", "user_settings", user, request_id)?;
        self.store
            .put_settings_overrides(ctx, &overrides, write)
            .await?;
        Ok(UserSettings::resolve(&self.defaults, overrides))
    }

    fn may_edit(&self, ctx: &TenantCtx, permission: Permission, action: &str) -> Result<()> {
        ctx.require_user()?;
        ctx.require(permission, action)
    }

    /// What a change records besides itself: its audit entry, and the user's re-plan
    /// (`profile_change`), queued in the change's transaction so that a saved change always
    /// has its re-plan coming.
    fn write(
        &self,
        ctx: &TenantCtx,
        action: &str,
        resource: &str,
        id: impl ToString,
        request_id: Option<String>,
    ) -> Result<ProfileWrite> {
        let user = ctx.require_user()?;
        let now = self.clock.now();
        Ok(ProfileWrite {
            audit: AuditDraft::new(ctx, action, resource, id, now).with_request_id(request_id),
            job: replan_job(ctx.tenant_id(), user, PlanTrigger::ProfileChange, now)?,
        })
    }
}

pub(super) fn within(field: &str, value: u16, range: &RangeInclusive<u16>) -> Result<()> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!(
                "must be between {} and {}, got {value}",
                range.start(),
                range.end()
            ),
        ))
    }
}

pub(super) fn check_terms(terms: &ServiceTerms) -> Result<()> {
    if let Some(days) = terms.billing_cycle_days {
        within("billing_cycle_days", days, &BILLING_CYCLE_DAYS)?;
    }
    if let Some(days) = terms.min_contract_days {
        within("min_contract_days", days, &MIN_CONTRACT_DAYS)?;
    }
    if terms.monthly_price.is_some() && terms.currency.is_none() {
        return Err(Error::validation(
            "currency",
            "is required with monthly_price (an ISO 4217 code such as USD)",
        ));
    }
    Ok(())
}

pub(super) fn check_overrides(o: &SettingsOverrides) -> Result<()> {
    for (field, value, range) in [
        (
            "planner.unsubscribe_buffer_days",
            o.unsubscribe_buffer_days,
            &SHORT_DAYS,
        ),
        (
            "planner.merge_adjacency_days",
            o.merge_adjacency_days,
            &SHORT_DAYS,
        ),
        (
            "planner.unknown_end_horizon_days",
            o.unknown_end_horizon_days,
            &HORIZON_DAYS,
        ),
        (
            "planner.stale_after_days",
            o.stale_after_days,
            &HORIZON_DAYS,
        ),
        ("planner.horizon_days", o.horizon_days, &HORIZON_DAYS),
    ] {
        if let Some(value) = value {
            within(field, value, range)?;
        }
    }
    if let Some(confidence) = o.min_confidence
        && !(0.0..=1.0).contains(&confidence)
    {
        return Err(Error::validation(
            "planner.min_confidence",
            format!("must be between 0 and 1, got {confidence}"),
        ));
    }
    Ok(())
}
