//! Where profiles are kept.

use super::settings::SettingsOverrides;
use super::types::{MyService, Selection, ServiceTerms, Wish};
use super::usecases::Saved;
use crate::audit::AuditDraft;
use crate::catalog::ShowId;
use crate::jobs::NewJob;
use crate::tenancy::TenantCtx;
use async_trait::async_trait;
use psma_plugin_sdk::text::ServiceId;

/// What a profile write records besides the change itself, in the change's transaction: its
/// audit entry (whose `before`/`after` the store fills in from what it read and wrote) and the
/// job that follows it (the user's re-plan; when a job with its unique key is already queued
/// or running, none is added).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileWrite {
    /// The audit entry.
    pub audit: AuditDraft,
    /// The job to queue.
    pub job: NewJob,
}

/// The caller's own profile: every method reads or writes the rows of `ctx`'s user in `ctx`'s
/// tenant only. A write, its audit entry and its follow-up job ([`ProfileWrite`]) are one
/// transaction: none exists without the others.
#[async_trait]
pub trait ProfileStore: Send + Sync {
    /// The user's live selections, by show id.
    ///
    /// # Errors
    /// [`crate::Error::Unavailable`] when the store cannot be reached.
    async fn selections(&self, ctx: &TenantCtx) -> crate::Result<Vec<Selection>>;

    /// Adds `show` to the user's list, or changes how they watch it; a deleted selection comes
    /// back.
    ///
    /// # Errors
    /// As [`Self::selections`].
    async fn put_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        wish: &Wish,
        write: ProfileWrite,
    ) -> crate::Result<Saved<Selection>>;

    /// Takes `show` off the user's list (soft delete).
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when it is not on the list; as [`Self::selections`].
    async fn delete_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> crate::Result<()>;

    /// Brings back `show`, taken off the user's list earlier, as it was (undo).
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when it was never on the list; [`crate::Error::Conflict`]
    /// when it is on the list; as [`Self::selections`].
    async fn restore_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> crate::Result<Selection>;

    /// The user's live services, by service id.
    ///
    /// # Errors
    /// As [`Self::selections`].
    async fn services(&self, ctx: &TenantCtx) -> crate::Result<Vec<MyService>>;

    /// Sets the user's terms for `service`; a deleted one comes back.
    ///
    /// # Errors
    /// As [`Self::selections`].
    async fn put_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        terms: &ServiceTerms,
        write: ProfileWrite,
    ) -> crate::Result<Saved<MyService>>;

    /// Takes `service` off the user's profile (soft delete).
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when it is not on the profile; as [`Self::selections`].
    async fn delete_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        write: ProfileWrite,
    ) -> crate::Result<()>;

    /// Brings back `service`, taken off the user's profile earlier, with its terms (undo).
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] when it was never on the profile; [`crate::Error::Conflict`]
    /// when it is on the profile; as [`Self::selections`].
    async fn restore_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        write: ProfileWrite,
    ) -> crate::Result<MyService>;

    /// What the user has set over the defaults (nothing, for a user who never did).
    ///
    /// # Errors
    /// As [`Self::selections`].
    async fn settings_overrides(&self, ctx: &TenantCtx) -> crate::Result<SettingsOverrides>;

    /// Replaces what the user has set over the defaults.
    ///
    /// # Errors
    /// As [`Self::selections`].
    async fn put_settings_overrides(
        &self,
        ctx: &TenantCtx,
        overrides: &SettingsOverrides,
        write: ProfileWrite,
    ) -> crate::Result<()>;
}
