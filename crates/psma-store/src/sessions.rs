//! Hosted mode's sign-in records: the account an email names, its failed sign-ins, and the
//! refresh tokens of each session (stored as SHA-256 digests, ADR 0028).

use crate::accounts::{live_user, roles_of};
use crate::audit;
use crate::connect::Store;
use crate::entities::{refresh_tokens, users};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::Result;
use psma_core::accounts::sessions::{
    LoginAccount, PasswordHash, RefreshRecord, Rotation, SessionStore, TokenDigest,
};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

#[async_trait]
impl SessionStore for Store {
    async fn login_account(&self, system: &SystemCtx, email: &str) -> Result<Option<LoginAccount>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let row = users::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col(users::Column::Email))).eq(email.to_lowercase()),
            )
            .filter(users::Column::DeletedAt.is_null())
            .one(&txn)
            .await
            .map_err(to_core)?;
        let account = to_account(&txn, row).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(account)
    }

    async fn account(&self, ctx: &TenantCtx, user: UserId) -> Result<Option<LoginAccount>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let row = live_user(ctx.tenant_id(), user)
            .one(&txn)
            .await
            .map_err(to_core)?;
        let account = to_account(&txn, row).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(account)
    }

    async fn set_password(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        hash: &PasswordHash,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let changed = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::val(hash.0.as_str()))
            .col_expr(users::Column::FailedLogins, Expr::val(0))
            .col_expr(users::Column::LockedUntil, Expr::val(None::<DateTime<Utc>>))
            .col_expr(users::Column::UpdatedAt, Expr::val(audit_draft.at))
            .filter(users::Column::Id.eq(user.0))
            .filter(users::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(users::Column::DeletedAt.is_null())
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        if changed == 0 {
            return Err(psma_core::Error::NotFound {
                resource: "user",
                id: user.to_string(),
            });
        }
        // A new password ends every session of the old one.
        revoke_user_sessions(&txn, ctx.tenant_id(), user, audit_draft.at).await?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn record_failure(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        failures: u32,
        locked_until: Option<DateTime<Utc>>,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        users::Entity::update_many()
            .col_expr(
                users::Column::FailedLogins,
                Expr::val(i32::try_from(failures).unwrap_or(i32::MAX)),
            )
            .col_expr(users::Column::LockedUntil, Expr::val(locked_until))
            .filter(users::Column::Id.eq(user.0))
            .filter(users::Column::TenantId.eq(ctx.tenant_id().0))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn open_session(
        &self,
        ctx: &TenantCtx,
        first: &RefreshRecord,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        users::Entity::update_many()
            .col_expr(users::Column::FailedLogins, Expr::val(0))
            .col_expr(users::Column::LockedUntil, Expr::val(None::<DateTime<Utc>>))
            .filter(users::Column::Id.eq(first.user_id.0))
            .filter(users::Column::TenantId.eq(ctx.tenant_id().0))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        insert(&txn, ctx.tenant_id(), first).await?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn rotate(
        &self,
        ctx: &TenantCtx,
        presented: &TokenDigest,
        next: &RefreshRecord,
        now: DateTime<Utc>,
        reuse_audit: AuditDraft,
    ) -> Result<Rotation> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        // One conditional update: of two concurrent rotations of a token, one wins and the
        // other finds it used.
        let used = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::UsedAt, Expr::val(now))
            .filter(refresh_tokens::Column::TenantId.eq(tenant.0))
            .filter(refresh_tokens::Column::TokenHash.eq(presented.0.as_str()))
            .filter(refresh_tokens::Column::FamilyId.eq(next.family))
            .filter(refresh_tokens::Column::UsedAt.is_null())
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .filter(refresh_tokens::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        if used == 1 {
            insert(&txn, tenant, next).await?;
            txn.commit().await.map_err(to_core)?;
            return Ok(Rotation::Rotated);
        }
        let Some(known) = find(&txn, tenant, presented).await? else {
            txn.commit().await.map_err(to_core)?;
            return Ok(Rotation::Unknown);
        };
        if known.used_at.is_none() && known.revoked_at.is_none() {
            // Expired, never used: nothing was stolen, it is simply too old.
            txn.commit().await.map_err(to_core)?;
            return Ok(Rotation::Unknown);
        }
        revoke_family(&txn, tenant, known.family_id, now).await?;
        audit::append(self, &txn, tenant, reuse_audit).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(Rotation::Reused)
    }

    async fn end_family(
        &self,
        ctx: &TenantCtx,
        presented: &TokenDigest,
        now: DateTime<Utc>,
        audit_draft: AuditDraft,
    ) -> Result<bool> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let Some(known) = find(&txn, tenant, presented).await? else {
            txn.commit().await.map_err(to_core)?;
            return Ok(false);
        };
        revoke_family(&txn, tenant, known.family_id, now).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(true)
    }
}

/// The account of a user row, with its roles.
async fn to_account(
    db: &impl ConnectionTrait,
    row: Option<users::Model>,
) -> Result<Option<LoginAccount>> {
    let Some(row) = row else { return Ok(None) };
    let (tenant, user) = (TenantId(row.tenant_id), UserId(row.id));
    Ok(Some(LoginAccount {
        tenant_id: tenant,
        user_id: user,
        roles: roles_of(db, tenant, user).await?,
        password_hash: row.password_hash.map(PasswordHash),
        failed_logins: u32::try_from(row.failed_logins).unwrap_or(0),
        locked_until: row.locked_until,
        disabled: row.disabled_at.is_some(),
    }))
}

async fn insert(txn: &DatabaseTransaction, tenant: TenantId, record: &RefreshRecord) -> Result<()> {
    refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
        id: Set(record.id),
        tenant_id: Set(tenant.0),
        user_id: Set(record.user_id.0),
        family_id: Set(record.family),
        token_hash: Set(record.digest.0.clone()),
        issued_at: Set(record.issued_at),
        expires_at: Set(record.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    })
    .exec_without_returning(txn)
    .await
    .map_err(to_core)?;
    Ok(())
}

async fn find(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    digest: &TokenDigest,
) -> Result<Option<refresh_tokens::Model>> {
    refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TenantId.eq(tenant.0))
        .filter(refresh_tokens::Column::TokenHash.eq(digest.0.as_str()))
        .one(txn)
        .await
        .map_err(to_core)
}

async fn revoke_family(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    family: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::val(now))
        .filter(refresh_tokens::Column::TenantId.eq(tenant.0))
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(txn)
        .await
        .map_err(to_core)?;
    Ok(())
}

/// Revokes every refresh token of `user` (a new password, a disabled account).
pub(crate) async fn revoke_user_sessions(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    user: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::val(at))
        .filter(refresh_tokens::Column::TenantId.eq(tenant.0))
        .filter(refresh_tokens::Column::UserId.eq(user.0))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(txn)
        .await
        .map_err(to_core)?;
    Ok(())
}
