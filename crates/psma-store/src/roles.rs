//! Custom roles and members' roles.

use crate::accounts::{live_user, load_user, user_json};
use crate::audit;
use crate::connect::Store;
use crate::entities::{roles, user_roles, users};
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use psma_core::access::{Grants, Role};
use psma_core::accounts::User;
use psma_core::accounts::roles::{RoleChange, RoleDefinition, RoleDescription, RoleStore};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{SystemCtx, TenantCtx, TenantId, UserId};
use psma_core::{Error, Result};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

#[async_trait]
impl RoleStore for Store {
    async fn custom_roles(
        &self,
        ctx: &TenantCtx,
        names: Option<&[Role]>,
    ) -> Result<Vec<RoleDefinition>> {
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let mut query = roles::Entity::find()
            .filter(roles::Column::TenantId.eq(ctx.tenant_id().0))
            .order_by_asc(roles::Column::Name);
        if let Some(names) = names {
            query = query.filter(roles::Column::Name.is_in(names.iter().map(Role::as_str)));
        }
        let rows = query.all(&txn).await.map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(to_domain).collect()
    }

    async fn create_role(
        &self,
        ctx: &TenantCtx,
        role: &RoleDefinition,
        audit_draft: AuditDraft,
    ) -> Result<RoleDefinition> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        if find(&txn, ctx.tenant_id(), &role.name).await?.is_some() {
            return Err(Error::Conflict(format!(
                "the household has a role `{}` already",
                role.name
            )));
        }
        let at = audit_draft.at;
        let created = RoleDefinition {
            created_at: Some(at),
            updated_at: Some(at),
            ..role.clone()
        };
        roles::Entity::insert(roles::ActiveModel {
            tenant_id: Set(ctx.tenant_id().0),
            name: Set(created.name.as_str().to_owned()),
            description: Set(created.description.as_str().to_owned()),
            permissions: Set(permissions_json(created.permissions)?),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        audit::append(self, &txn, ctx.tenant_id(), audit_draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(created)
    }

    async fn update_role(
        &self,
        ctx: &TenantCtx,
        name: &Role,
        change: &RoleChange,
        audit_draft: AuditDraft,
    ) -> Result<RoleDefinition> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = find(&txn, ctx.tenant_id(), name)
            .await?
            .ok_or_else(|| no_such_role(name))?;
        let before = to_domain(row.clone())?;
        let mut active = row.into_active_model();
        if let Some(description) = &change.description {
            active.description = Set(description.as_str().to_owned());
        }
        if let Some(permissions) = change.permissions {
            active.permissions = Set(permissions_json(permissions)?);
        }
        active.updated_at = Set(audit_draft.at);
        let after = to_domain(active.update(&txn).await.map_err(to_core)?)?;
        let draft = audit_draft.with_change(Some(json(&before)?), Some(json(&after)?));
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }

    async fn delete_role(
        &self,
        ctx: &TenantCtx,
        name: &Role,
        audit_draft: AuditDraft,
    ) -> Result<()> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = find(&txn, ctx.tenant_id(), name)
            .await?
            .ok_or_else(|| no_such_role(name))?;
        let holders = holders(&txn, ctx.tenant_id(), name).await?;
        if holders > 0 {
            return Err(Error::Conflict(format!(
                "{holders} member(s) hold the role `{name}`; give them other roles first"
            )));
        }
        let before = to_domain(row)?;
        roles::Entity::delete_many()
            .filter(roles::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(roles::Column::Name.eq(name.as_str()))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        // Removed members may still list it; they lose it with the role.
        user_roles::Entity::delete_many()
            .filter(user_roles::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(user_roles::Column::Role.eq(name.as_str()))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        let draft = audit_draft.with_change(Some(json(&before)?), None);
        audit::append(self, &txn, ctx.tenant_id(), draft).await?;
        txn.commit().await.map_err(to_core)
    }

    async fn set_user_roles(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        roles: &[Role],
        audit_draft: AuditDraft,
    ) -> Result<User> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        lock_user(&txn, ctx.tenant_id(), user).await?;
        let tenant = ctx.tenant_id();
        // Checked in the transaction that assigns, so a role deleted meanwhile is not handed out.
        for role in roles.iter().filter(|r| !r.is_builtin()) {
            if find(&txn, tenant, role).await?.is_none() {
                return Err(no_such_role(role));
            }
        }
        let before = load_user(&txn, tenant, user).await?;
        user_roles::Entity::delete_many()
            .filter(user_roles::Column::TenantId.eq(tenant.0))
            .filter(user_roles::Column::UserId.eq(user.0))
            .filter(user_roles::Column::Role.ne(Role::PLATFORM_OPERATOR.as_str()))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        for role in roles.iter().filter(|r| **r != Role::PLATFORM_OPERATOR) {
            insert_role(&txn, tenant, user, role, audit_draft.at).await?;
        }
        let after = load_user(&txn, tenant, user).await?;
        let draft = audit_draft.with_change(Some(user_json(&before)?), Some(user_json(&after)?));
        audit::append(self, &txn, tenant, draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }

    async fn set_platform_operator(
        &self,
        _system: &SystemCtx,
        ctx: &TenantCtx,
        user: UserId,
        operator: bool,
        audit_draft: AuditDraft,
    ) -> Result<User> {
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let tenant = ctx.tenant_id();
        lock_user(&txn, tenant, user).await?;
        let before = load_user(&txn, tenant, user).await?;
        if operator && !before.roles.contains(&Role::PLATFORM_OPERATOR) {
            insert_role(&txn, tenant, user, &Role::PLATFORM_OPERATOR, audit_draft.at).await?;
        } else if !operator {
            user_roles::Entity::delete_many()
                .filter(user_roles::Column::TenantId.eq(tenant.0))
                .filter(user_roles::Column::UserId.eq(user.0))
                .filter(user_roles::Column::Role.eq(Role::PLATFORM_OPERATOR.as_str()))
                .exec(&txn)
                .await
                .map_err(to_core)?;
        }
        let after = load_user(&txn, tenant, user).await?;
        audit::append(self, &txn, tenant, audit_draft).await?;
        txn.commit().await.map_err(to_core)?;
        Ok(after)
    }
}

async fn find(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    name: &Role,
) -> Result<Option<roles::Model>> {
    roles::Entity::find()
        .filter(roles::Column::TenantId.eq(tenant.0))
        .filter(roles::Column::Name.eq(name.as_str()))
        .one(db)
        .await
        .map_err(to_core)
}

/// Live members holding `name`, counted in one statement.
async fn holders(db: &DatabaseTransaction, tenant: TenantId, name: &Role) -> Result<u64> {
    let live = Query::select()
        .column(users::Column::Id)
        .from(users::Entity)
        .and_where(users::Column::TenantId.eq(tenant.0))
        .and_where(users::Column::DeletedAt.is_null())
        .to_owned();
    user_roles::Entity::find()
        .filter(user_roles::Column::TenantId.eq(tenant.0))
        .filter(user_roles::Column::Role.eq(name.as_str()))
        .filter(user_roles::Column::UserId.in_subquery(live))
        .count(db)
        .await
        .map_err(to_core)
}

/// Locks the live member's row so that two assignments to one member run one after the other.
async fn lock_user(db: &DatabaseTransaction, tenant: TenantId, user: UserId) -> Result<()> {
    live_user(tenant, user)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(to_core)?
        .map(|_| ())
        .ok_or_else(|| Error::NotFound {
            resource: "user",
            id: user.to_string(),
        })
}

async fn insert_role(
    db: &DatabaseTransaction,
    tenant: TenantId,
    user: UserId,
    role: &Role,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    user_roles::Entity::insert(user_roles::ActiveModel {
        tenant_id: Set(tenant.0),
        user_id: Set(user.0),
        role: Set(role.as_str().to_owned()),
        created_at: Set(at),
    })
    .exec_without_returning(db)
    .await
    .map_err(to_core)?;
    Ok(())
}

fn permissions_json(permissions: Grants) -> Result<String> {
    serde_json::to_string(&permissions).map_err(Error::internal)
}

fn to_domain(row: roles::Model) -> Result<RoleDefinition> {
    // Stored values were checked on the way in; a bad one means the row was edited by hand.
    Ok(RoleDefinition {
        name: Role::parse(&row.name, "name").map_err(Error::internal)?,
        description: RoleDescription::parse(&row.description).map_err(Error::internal)?,
        permissions: serde_json::from_str(&row.permissions).map_err(Error::internal)?,
        system: false,
        created_at: Some(row.created_at),
        updated_at: Some(row.updated_at),
    })
}

fn json(role: &RoleDefinition) -> Result<serde_json::Value> {
    serde_json::to_value(role).map_err(Error::internal)
}

fn no_such_role(name: &Role) -> Error {
    Error::NotFound {
        resource: "role",
        id: name.to_string(),
    }
}
