//! Tenants and users.

use crate::audit;
use crate::connect::Store;
use crate::entities::{tenants, user_roles, users};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::accounts::{DisplayName, NewTenant, NewUser, Tenant, User};
use psma_core::accounts::{ProfileChange, TenantProvisioning, UserRepo};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{Role, SystemCtx, TenantCtx, TenantId, UserId};
use psma_core::{Error, Result};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};

#[async_trait]
impl TenantProvisioning for Store {
    async fn ensure_tenant(&self, tenant: &NewTenant, owner: &NewUser) -> Result<Tenant> {
        let txn = self.begin_for(tenant.id, Access::Write).await?;
        let now = chrono::Utc::now();
        // Insert-or-nothing keeps concurrent starts from racing into a duplicate key.
        let created = tenants::Entity::insert(tenants::ActiveModel {
            id: Set(tenant.id.0),
            name: Set(tenant.name.clone()),
            created_at: Set(now),
            deleted_at: Set(None),
        })
        .on_conflict(
            OnConflict::column(tenants::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?
            == 1;
        if created {
            users::Entity::insert(users::ActiveModel {
                id: Set(owner.id.0),
                tenant_id: Set(tenant.id.0),
                email: Set(owner.email.clone()),
                display_name: Set(owner.display_name.as_str().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                deleted_at: Set(None),
                password_hash: Set(None),
                failed_logins: Set(0),
                locked_until: Set(None),
                disabled_at: Set(None),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(to_core)?;
            for role in &owner.roles {
                user_roles::Entity::insert(user_roles::ActiveModel {
                    tenant_id: Set(tenant.id.0),
                    user_id: Set(owner.id.0),
                    role: Set(role.as_str().to_owned()),
                    created_at: Set(now),
                })
                .exec_without_returning(&txn)
                .await
                .map_err(to_core)?;
            }
            let owner_view = load_user(&txn, tenant.id, owner.id).await?;
            let draft = AuditDraft {
                actor: None,
                action: "tenant.create".to_owned(),
                resource_type: "tenant".to_owned(),
                resource_id: tenant.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "name": tenant.name, "owner": owner_view })),
                request_id: None,
                at: now,
            };
            audit::append(self, &txn, tenant.id, draft).await?;
        }
        let stored = find_tenant(&txn, tenant.id).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(stored)
    }

    async fn tenants(&self, system: &SystemCtx) -> Result<Vec<Tenant>> {
        let txn = self.begin_system(system, Access::Read).await?;
        let rows = tenants::Entity::find()
            .filter(tenants::Column::DeletedAt.is_null())
            .order_by_asc(tenants::Column::Name)
            .order_by_asc(tenants::Column::Id)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        Ok(rows
            .into_iter()
            .map(|row| Tenant {
                id: TenantId(row.id),
                name: row.name,
                created_at: row.created_at,
            })
            .collect())
    }

    async fn tenant(&self, ctx: &TenantCtx) -> Result<Tenant> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let tenant = find_tenant(&txn, ctx.tenant_id()).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(tenant)
    }
}

#[async_trait]
impl UserRepo for Store {
    async fn get(&self, ctx: &TenantCtx, id: UserId) -> Result<User> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let user = load_user(&txn, ctx.tenant_id(), id).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(user)
    }

    async fn list(&self, ctx: &TenantCtx) -> Result<Vec<User>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = users::Entity::find()
            .filter(users::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(users::Column::DeletedAt.is_null())
            .order_by_asc(users::Column::Email)
            .all(&txn)
            .await
            .map_err(to_core)?;
        let mut users = Vec::with_capacity(rows.len());
        for row in rows {
            let roles = roles_of(&txn, ctx.tenant_id(), UserId(row.id)).await?;
            users.push(to_domain(row, roles)?);
        }
        txn.commit().await.map_err(to_core)?;
        Ok(users)
    }

    async fn set_disabled(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        disabled: bool,
        audit_draft: AuditDraft,
    ) -> Result<User> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let before = load_user(&txn, ctx.tenant_id(), id).await?;
        let at = audit_draft.at;
        users::Entity::update_many()
            .col_expr(users::Column::DisabledAt, Expr::val(disabled.then_some(at)))
            .col_expr(users::Column::UpdatedAt, Expr::val(at))
            .filter(users::Column::Id.eq(id.0))
            .filter(users::Column::TenantId.eq(ctx.tenant_id().0))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        if disabled {
            crate::sessions::revoke_user_sessions(&txn, ctx.tenant_id(), id, at).await?;
        }
        let after = load_user(&txn, ctx.tenant_id(), id).await?;
        let draft = audit_draft.with_change(Some(user_json(&before)?), Some(user_json(&after)?));
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }

    async fn set_deleted(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        deleted: bool,
        audit_draft: AuditDraft,
    ) -> Result<User> {
        let tenant = ctx.tenant_id();
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = users::Entity::find()
            .filter(users::Column::Id.eq(id.0))
            .filter(users::Column::TenantId.eq(tenant.0))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(to_core)?
            .filter(|row| row.deleted_at.is_some() != deleted)
            .ok_or_else(|| not_found(id))?;
        let at = audit_draft.at;
        let before = to_domain(row.clone(), roles_of(&txn, tenant, id).await?)?;
        let mut active = row.into_active_model();
        active.deleted_at = Set(deleted.then_some(at));
        active.updated_at = Set(at);
        let row = active.update(&txn).await.map_err(|e| match to_core(e) {
            Error::Conflict(_) => Error::Conflict(
                "another live account has this member's email now; it cannot be restored"
                    .to_owned(),
            ),
            other => other,
        })?;
        if deleted {
            crate::sessions::revoke_user_sessions(&txn, tenant, id, at).await?;
        }
        let after = to_domain(row, before.roles.clone())?;
        let draft = audit_draft.with_change(Some(user_json(&before)?), Some(user_json(&after)?));
        audit::append(self, &txn, tenant, draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }

    async fn update_profile(
        &self,
        ctx: &TenantCtx,
        id: UserId,
        change: &ProfileChange,
        audit_draft: AuditDraft,
    ) -> Result<User> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = live_user(ctx.tenant_id(), id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(to_core)?
            .ok_or_else(|| not_found(id))?;
        let before = to_domain(row.clone(), roles_of(&txn, ctx.tenant_id(), id).await?)?;
        let mut active = row.into_active_model();
        if let Some(name) = &change.display_name {
            active.display_name = Set(name.as_str().to_owned());
        }
        active.updated_at = Set(audit_draft.at);
        active.update(&txn).await.map_err(to_core)?;
        let after = load_user(&txn, ctx.tenant_id(), id).await?;
        let draft = audit_draft.with_change(Some(user_json(&before)?), Some(user_json(&after)?));
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }
}

pub(crate) fn live_user(tenant: TenantId, id: UserId) -> sea_orm::Select<users::Entity> {
    users::Entity::find()
        .filter(users::Column::Id.eq(id.0))
        .filter(users::Column::TenantId.eq(tenant.0))
        .filter(users::Column::DeletedAt.is_null())
}

async fn find_tenant(db: &impl ConnectionTrait, id: TenantId) -> Result<Tenant> {
    let row = tenants::Entity::find_by_id(id.0)
        .filter(tenants::Column::DeletedAt.is_null())
        .one(db)
        .await
        .map_err(to_core)?
        .ok_or_else(|| Error::NotFound {
            resource: "tenant",
            id: id.to_string(),
        })?;
    Ok(Tenant {
        id: TenantId(row.id),
        name: row.name,
        created_at: row.created_at,
    })
}

pub(crate) async fn load_user(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> Result<User> {
    let row = live_user(tenant, id)
        .one(db)
        .await
        .map_err(to_core)?
        .ok_or_else(|| not_found(id))?;
    to_domain(row, roles_of(db, tenant, id).await?)
}

pub(crate) async fn roles_of(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> Result<Vec<Role>> {
    let mut roles = user_roles::Entity::find()
        .filter(user_roles::Column::TenantId.eq(tenant.0))
        .filter(user_roles::Column::UserId.eq(id.0))
        .all(db)
        .await
        .map_err(to_core)?
        .into_iter()
        .map(|r| r.role.parse::<Role>().map_err(Error::internal))
        .collect::<Result<Vec<_>>>()?;
    roles.sort_unstable();
    Ok(roles)
}

fn to_domain(row: users::Model, roles: Vec<Role>) -> Result<User> {
    Ok(User {
        id: UserId(row.id),
        tenant_id: TenantId(row.tenant_id),
        email: row.email,
        // Stored names were checked on the way in; a bad one means the row was edited by hand.
        display_name: DisplayName::parse(&row.display_name).map_err(Error::internal)?,
        roles,
        created_at: row.created_at,
        updated_at: row.updated_at,
        disabled: row.disabled_at.is_some(),
    })
}

pub(crate) fn user_json(user: &User) -> Result<serde_json::Value> {
    serde_json::to_value(user).map_err(Error::internal)
}

fn not_found(id: UserId) -> Error {
    Error::NotFound {
        resource: "user",
        id: id.to_string(),
    }
}
