//! Identities linked to users (`IdentityLinks`, ADR 0030): `(provider, subject)` → a user, a
//! tenant table with row-level security, read across tenants only through the system-login
//! policy; and members who join by signing in through a provider.

use crate::account_tokens::{NewMember, insert_member, use_up};
use crate::accounts::live_user;
use crate::audit;
use crate::connect::Store;
use crate::entities::{tenants, user_identities};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::accounts::identities::{
    ExternalIdentity, IdentityLinks, LinkedIdentity, ProviderJoining, ProviderName,
};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, SqlErr};
use uuid::Uuid;

#[async_trait]
impl IdentityLinks for Store {
    async fn find(
        &self,
        system: &SystemCtx,
        provider: &ProviderName,
        subject: &str,
    ) -> Result<Option<LinkedIdentity>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let row = user_identities::Entity::find()
            .filter(user_identities::Column::Provider.eq(provider.as_str()))
            .filter(user_identities::Column::Subject.eq(subject))
            .one(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        Ok(row.map(|r| LinkedIdentity {
            tenant_id: TenantId(r.tenant_id),
            user_id: UserId(r.user_id),
        }))
    }

    async fn link(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        identity: &ExternalIdentity,
        at: DateTime<Utc>,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        if live_user(tenant, user)
            .one(&txn)
            .await
            .map_err(to_core)?
            .is_none()
        {
            return Err(Error::NotFound {
                resource: "user",
                id: user.to_string(),
            });
        }
        insert_link(&txn, tenant, user, identity, at).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn join(
        &self,
        ctx: &TenantCtx,
        joining: &ProviderJoining,
        identity: &ExternalIdentity,
        at: DateTime<Utc>,
        audit_drafts: Vec<AuditDraft>,
    ) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let household = tenants::Entity::find_by_id(tenant.0)
            .filter(tenants::Column::DeletedAt.is_null())
            .one(&txn)
            .await
            .map_err(to_core)?;
        if household.is_none() {
            return Err(Error::Forbidden(
                "the household this email's domain joins does not exist; ask the operator to \
                 correct auth.oauth.allowed_domains"
                    .to_owned(),
            ));
        }
        if let Some(invitation) = joining.invitation {
            use_up(&txn, tenant, invitation, at).await?;
        }
        let member = NewMember {
            user_id: joining.user_id,
            email: &joining.email,
            display_name: &joining.display_name,
            password: None,
            now: at,
        };
        insert_member(&txn, tenant, &member, &joining.roles).await?;
        insert_link(&txn, tenant, joining.user_id, identity, at).await?;
        for draft in audit_drafts {
            audit::append(self, &txn, tenant, draft).await?;
        }
        txn.commit().await.map_err(to_core)
    }

    async fn record_refusal(&self, ctx: &TenantCtx, audit_draft: AuditDraft) -> Result<()> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)
    }
}

async fn insert_link(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    user: UserId,
    identity: &ExternalIdentity,
    at: DateTime<Utc>,
) -> Result<()> {
    user_identities::Entity::insert(user_identities::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.0),
        user_id: Set(user.0),
        provider: Set(identity.provider.as_str().to_owned()),
        subject: Set(identity.subject.clone()),
        email: Set(identity.email.clone()),
        created_at: Set(at),
    })
    .exec_without_returning(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(format!(
            "this {} account is linked to a PSMA account already",
            identity.provider
        )),
        _ => to_core(e),
    })?;
    Ok(())
}
