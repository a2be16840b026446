//! What a user sets over the planner's defaults, and the `ProfileStore` port over the three.

use super::{audit_and_commit, user_of};
use crate::connect::Store;
use crate::entities::user_settings;
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::catalog::ShowId;
use psma_core::planning::profile::ProfileWrite;
use psma_core::planning::profile::{
    MyService, ProfileStore, Saved, Selection, ServiceTerms, SettingsOverrides, Wish,
};
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::text::ServiceId;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use sea_orm::sea_query::OnConflict;

impl Store {
    async fn overrides(&self, ctx: &TenantCtx) -> Result<SettingsOverrides> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let row = user_settings::Entity::find_by_id((ctx.tenant_id().0, user.0))
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        row.map_or_else(
            || Ok(SettingsOverrides::default()),
            |row| parse(&row.overrides),
        )
    }

    async fn save_overrides(
        &self,
        ctx: &TenantCtx,
        overrides: &SettingsOverrides,
        write: ProfileWrite,
    ) -> Result<()> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let before = match user_settings::Entity::find_by_id((ctx.tenant_id().0, user.0))
            .one(&txn)
            .await
            .map_err(to_core)?
        {
            Some(row) => parse(&row.overrides)?,
            None => SettingsOverrides::default(),
        };
        let text = serde_json::to_string(overrides).map_err(Error::internal)?;
        user_settings::Entity::insert(user_settings::ActiveModel {
            tenant_id: Set(ctx.tenant_id().0),
            user_id: Set(user.0),
            overrides: Set(text),
            updated_at: Set(write.audit.at),
        })
        .on_conflict(
            OnConflict::columns([
                user_settings::Column::TenantId,
                user_settings::Column::UserId,
            ])
            .update_columns([
                user_settings::Column::Overrides,
                user_settings::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        audit_and_commit(self, ctx, txn, write, Some(&before), Some(overrides)).await
    }
}

fn parse(text: &str) -> Result<SettingsOverrides> {
    serde_json::from_str(text).map_err(|e| Error::internal(format!("user_settings: {e}")))
}

#[async_trait]
impl ProfileStore for Store {
    async fn selections(&self, ctx: &TenantCtx) -> Result<Vec<Selection>> {
        self.list_selections(ctx).await
    }

    async fn put_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        wish: &Wish,
        write: ProfileWrite,
    ) -> Result<Saved<Selection>> {
        self.save_selection(ctx, show, wish, write).await
    }

    async fn delete_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> Result<()> {
        self.remove_selection(ctx, show, write).await
    }

    async fn restore_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> Result<Selection> {
        self.revive_selection(ctx, show, write).await
    }

    async fn services(&self, ctx: &TenantCtx) -> Result<Vec<MyService>> {
        self.list_services(ctx).await
    }

    async fn put_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        terms: &ServiceTerms,
        write: ProfileWrite,
    ) -> Result<Saved<MyService>> {
        self.save_service(ctx, service, terms, write).await
    }

    async fn delete_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        write: ProfileWrite,
    ) -> Result<()> {
        self.remove_service(ctx, service, write).await
    }

    async fn restore_service(
        &self,
        ctx: &TenantCtx,
        service: &ServiceId,
        write: ProfileWrite,
    ) -> Result<MyService> {
        self.revive_service(ctx, service, write).await
    }

    async fn settings_overrides(&self, ctx: &TenantCtx) -> Result<SettingsOverrides> {
        self.overrides(ctx).await
    }

    async fn put_settings_overrides(
        &self,
        ctx: &TenantCtx,
        overrides: &SettingsOverrides,
        write: ProfileWrite,
    ) -> Result<()> {
        self.save_overrides(ctx, overrides, write).await
    }
}
