//! Invitations and password reset tokens (`AccountTokens`): hashes only, single use.

use crate::accounts::live_user;
use crate::audit;
use crate::connect::Store;
use crate::entities::{account_tokens, user_roles, users};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::accounts::DisplayName;
use psma_core::accounts::invitations::{
    AccountToken, AccountTokens, Joining, NewAccountToken, TokenPurpose,
};
use psma_core::accounts::sessions::PasswordHash;
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{Role, TenantCtx, TenantId, UserId};
use psma_core::tenant_token::TokenHash;
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, SqlErr};
use uuid::Uuid;

/// The answer to a token used or expired between its lookup and its use.
const GONE: &str = "the token is invalid, used or expired";

#[async_trait]
impl AccountTokens for Store {
    async fn create(
        &self,
        ctx: &TenantCtx,
        token: &NewAccountToken,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let email = token.email.as_str().to_lowercase();
        if token.purpose == TokenPurpose::Invitation {
            let member = users::Entity::find()
                .filter(users::Column::TenantId.eq(tenant.0))
                .filter(Expr::expr(Func::lower(Expr::col(users::Column::Email))).eq(email.as_str()))
                .filter(users::Column::DeletedAt.is_null())
                .one(&txn)
                .await
                .map_err(to_core)?;
            if member.is_some() {
                return Err(Error::Conflict(format!(
                    "{} is already a member of this household",
                    token.email.as_str()
                )));
            }
        }
        // Only the newest token for an email (and user) works.
        account_tokens::Entity::update_many()
            .col_expr(account_tokens::Column::UsedAt, Expr::val(token.created_at))
            .filter(account_tokens::Column::TenantId.eq(tenant.0))
            .filter(account_tokens::Column::Purpose.eq(token.purpose.as_str()))
            .filter(
                Expr::expr(Func::lower(Expr::col(account_tokens::Column::Email)))
                    .eq(email.as_str()),
            )
            .filter(account_tokens::Column::UsedAt.is_null())
            .exec(&txn)
            .await
            .map_err(to_core)?;
        account_tokens::Entity::insert(account_tokens::ActiveModel {
            id: Set(token.id),
            tenant_id: Set(tenant.0),
            purpose: Set(token.purpose.as_str().to_owned()),
            token_hash: Set(token.hash.to_hex()),
            email: Set(token.email.as_str().to_owned()),
            user_id: Set(token.user_id.map(|u| u.0)),
            roles: Set(token
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            created_by: Set(token.created_by.map(|u| u.0)),
            created_at: Set(token.created_at),
            expires_at: Set(token.expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn find(&self, ctx: &TenantCtx, hash: &TokenHash) -> Result<Option<AccountToken>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let row = account_tokens::Entity::find()
            .filter(account_tokens::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(account_tokens::Column::TokenHash.eq(hash.to_hex()))
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        row.map(to_domain).transpose()
    }

    async fn join(
        &self,
        ctx: &TenantCtx,
        id: Uuid,
        now: DateTime<Utc>,
        joining: &Joining,
        password: &PasswordHash,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let invitation = use_up(&txn, tenant, id, now).await?;
        let member = NewMember {
            user_id: joining.user_id,
            email: &invitation.email,
            display_name: &joining.display_name,
            password: Some(password),
            now,
        };
        let roles = to_domain(invitation.clone())?.roles;
        insert_member(&txn, tenant, &member, &roles).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn reset(
        &self,
        ctx: &TenantCtx,
        id: Uuid,
        now: DateTime<Utc>,
        password: &PasswordHash,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let reset = use_up(&txn, tenant, id, now).await?;
        let user = reset
            .user_id
            .ok_or_else(|| Error::internal("a password reset without its user"))?;
        let live = live_user(tenant, UserId(user))
            .one(&txn)
            .await
            .map_err(to_core)?;
        if live.is_none_or(|u| u.disabled_at.is_some()) {
            return Err(Error::Unauthenticated(GONE.to_owned()));
        }
        users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::val(password.0.as_str()))
            .col_expr(users::Column::FailedLogins, Expr::val(0))
            .col_expr(users::Column::LockedUntil, Expr::val(None::<DateTime<Utc>>))
            .col_expr(users::Column::UpdatedAt, Expr::val(now))
            .filter(users::Column::Id.eq(user))
            .filter(users::Column::TenantId.eq(tenant.0))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        // A new password ends every session of the old one.
        crate::sessions::revoke_user_sessions(&txn, tenant, UserId(user), now).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }
}

/// A user to create, and what they sign in with.
pub(crate) struct NewMember<'a> {
    pub(crate) user_id: UserId,
    pub(crate) email: &'a str,
    pub(crate) display_name: &'a DisplayName,
    /// `None` for someone who signs in only through a provider.
    pub(crate) password: Option<&'a PasswordHash>,
    pub(crate) now: DateTime<Utc>,
}

/// Creates `member` in `tenant` with `roles`.
pub(crate) async fn insert_member(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    member: &NewMember<'_>,
    roles: &[Role],
) -> Result<()> {
    let now = member.now;
    users::Entity::insert(users::ActiveModel {
        id: Set(member.user_id.0),
        tenant_id: Set(tenant.0),
        email: Set(member.email.to_owned()),
        display_name: Set(member.display_name.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        password_hash: Set(member.password.map(|p| p.0.clone())),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled_at: Set(None),
    })
    .exec_without_returning(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(format!(
            "an account with the email {} exists already",
            member.email
        )),
        _ => to_core(e),
    })?;
    for role in roles {
        user_roles::Entity::insert(user_roles::ActiveModel {
            tenant_id: Set(tenant.0),
            user_id: Set(member.user_id.0),
            role: Set(role.as_str().to_owned()),
            created_at: Set(now),
        })
        .exec_without_returning(txn)
        .await
        .map_err(to_core)?;
    }
    Ok(())
}

/// Marks token `id` used if it is unused and unexpired at `now` (one conditional update, so a
/// token is redeemed once even by concurrent requests); the row.
pub(crate) async fn use_up(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<account_tokens::Model> {
    let used = account_tokens::Entity::update_many()
        .col_expr(account_tokens::Column::UsedAt, Expr::val(now))
        .filter(account_tokens::Column::Id.eq(id))
        .filter(account_tokens::Column::TenantId.eq(tenant.0))
        .filter(account_tokens::Column::UsedAt.is_null())
        .filter(account_tokens::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await
        .map_err(to_core)?
        .rows_affected;
    if used != 1 {
        return Err(Error::Unauthenticated(GONE.to_owned()));
    }
    account_tokens::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(to_core)?
        .ok_or_else(|| Error::Unauthenticated(GONE.to_owned()))
}

fn to_domain(row: account_tokens::Model) -> Result<AccountToken> {
    let roles = row
        .roles
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| r.parse::<Role>().map_err(Error::internal))
        .collect::<Result<Vec<_>>>()?;
    Ok(AccountToken {
        id: row.id,
        tenant_id: TenantId(row.tenant_id),
        purpose: TokenPurpose::parse(&row.purpose)
            .ok_or_else(|| Error::internal(format!("unknown token purpose `{}`", row.purpose)))?,
        email: row.email,
        user_id: row.user_id.map(UserId),
        roles,
        created_at: row.created_at,
        expires_at: row.expires_at,
        used_at: row.used_at,
    })
}
