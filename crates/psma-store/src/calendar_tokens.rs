//! Calendar feed tokens (`CalendarTokenStore`): one row per user in their tenant, holding the
//! SHA-256 of the secret only; rotating replaces the row, audited in its transaction.

use crate::audit;
use crate::connect::Store;
use crate::entities::calendar_tokens;
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::Result;
use psma_core::audit::AuditDraft;
use psma_core::planning::reminders::{CalendarTokenStore, TokenHash};
use psma_core::tenancy::{TenantCtx, UserId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

#[async_trait]
impl CalendarTokenStore for Store {
    async fn put_calendar_token(
        &self,
        ctx: &TenantCtx,
        hash: TokenHash,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<bool> {
        let user = ctx.require_user()?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let before = calendar_tokens::Entity::find_by_id((ctx.tenant_id().0, user.0))
            .one(&txn)
            .await
            .map_err(to_core)?;
        calendar_tokens::Entity::insert(calendar_tokens::ActiveModel {
            tenant_id: Set(ctx.tenant_id().0),
            user_id: Set(user.0),
            token_hash: Set(hash.to_hex()),
            created_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([
                calendar_tokens::Column::TenantId,
                calendar_tokens::Column::UserId,
            ])
            .update_columns([
                calendar_tokens::Column::TokenHash,
                calendar_tokens::Column::CreatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        let replaced = before.is_some();
        let draft = audit.with_change(
            before.map(|row| json!({ "created_at": row.created_at })),
            Some(json!({ "created_at": at })),
        );
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(replaced)
    }

    async fn calendar_tokens(&self, ctx: &TenantCtx) -> Result<Vec<(UserId, TokenHash)>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = calendar_tokens::Entity::find()
            .filter(calendar_tokens::Column::TenantId.eq(ctx.tenant_id().0))
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter()
            .map(|row| Ok((UserId(row.user_id), TokenHash::from_hex(&row.token_hash)?)))
            .collect()
    }
}
