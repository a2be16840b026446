//! Purging the household's trash: rows soft-deleted for undo, deleted for good.

use crate::audit;
use crate::connect::Store;
use crate::entities::{my_services, my_shows, users};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::accounts::{Purged, TrashStore};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[async_trait]
impl TrashStore for Store {
    async fn purge(&self, ctx: &TenantCtx, audit_draft: AuditDraft) -> Result<Purged> {
        let tenant = ctx.tenant_id().0;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let my_shows = my_shows::Entity::delete_many()
            .filter(my_shows::Column::TenantId.eq(tenant))
            .filter(my_shows::Column::DeletedAt.is_not_null())
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        let my_services = my_services::Entity::delete_many()
            .filter(my_services::Column::TenantId.eq(tenant))
            .filter(my_services::Column::DeletedAt.is_not_null())
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        // A removed member's shows, services, plans, advice, tokens and roles go with them
        // (foreign keys cascade); their audit entries stay, naming them by id.
        let users = users::Entity::delete_many()
            .filter(users::Column::TenantId.eq(tenant))
            .filter(users::Column::DeletedAt.is_not_null())
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        let purged = Purged {
            users,
            my_shows,
            my_services,
        };
        let after = serde_json::to_value(purged).map_err(Error::internal)?;
        audit::append(
            self,
            &txn,
            ctx.tenant_id(),
            audit_draft.with_change(None, Some(after)),
        )
        .await?;
        txn.commit().await.map_err(to_core)?;
        Ok(purged)
    }
}
