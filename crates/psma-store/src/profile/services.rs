//! My Services.

use super::{audit_and_commit, user_of};
use crate::connect::Store;
use crate::entities::my_services;
use crate::error::to_core;
use crate::tenant_scope::Access;
use psma_core::planning::profile::ProfileWrite;
use psma_core::planning::profile::{MyService, Saved, ServiceTerms};
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use psma_plugin_sdk::text::{CurrencyCode, Decimal, ServiceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

impl Store {
    pub(super) async fn list_services(&self, ctx: &TenantCtx) -> Result<Vec<MyService>> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = my_services::Entity::find()
            .filter(my_services::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(my_services::Column::UserId.eq(user.0))
            .filter(my_services::Column::DeletedAt.is_null())
            .order_by_asc(my_services::Column::ServiceId)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(service).collect()
    }

    pub(super) async fn save_service(
        &self,
        ctx: &TenantCtx,
        id: &ServiceId,
        terms: &ServiceTerms,
        write: ProfileWrite,
    ) -> Result<Saved<MyService>> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let now = write.audit.at;
        let key = (ctx.tenant_id().0, user.0, id.to_string());
        let existing = my_services::Entity::find_by_id(key)
            .one(&txn)
            .await
            .map_err(to_core)?;
        let before = match &existing {
            Some(row) if row.deleted_at.is_none() => Some(service(row.clone())?),
            _ => None,
        };
        let fields = |row: &mut my_services::ActiveModel| {
            row.permanent = Set(terms.permanent);
            row.monthly_price = Set(terms.monthly_price.as_ref().map(ToString::to_string));
            row.currency = Set(terms.currency.as_ref().map(ToString::to_string));
            row.billing_cycle_days = Set(terms.billing_cycle_days.map(i32::from));
            row.min_contract_days = Set(terms.min_contract_days.map(i32::from));
            row.updated_at = Set(now);
            row.deleted_at = Set(None);
        };
        let row = match existing {
            Some(row) => {
                let revived = row.deleted_at.is_some();
                let mut active = row.into_active_model();
                fields(&mut active);
                if revived {
                    active.created_at = Set(now);
                }
                active.update(&txn).await.map_err(to_core)?
            }
            None => {
                let mut active = my_services::ActiveModel {
                    tenant_id: Set(ctx.tenant_id().0),
                    user_id: Set(user.0),
                    service_id: Set(id.to_string()),
                    created_at: Set(now),
                    ..Default::default()
                };
                fields(&mut active);
                active.insert(&txn).await.map_err(to_core)?
            }
        };
        let after = service(row)?;
        audit_and_commit(self, ctx, txn, write, before.as_ref(), Some(&after)).await?;
        Ok(Saved {
            created: before.is_none(),
            item: after,
        })
    }

    pub(super) async fn remove_service(
        &self,
        ctx: &TenantCtx,
        id: &ServiceId,
        write: ProfileWrite,
    ) -> Result<()> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = my_services::Entity::find_by_id((ctx.tenant_id().0, user.0, id.to_string()))
            .filter(my_services::Column::DeletedAt.is_null())
            .one(&txn)
            .await
            .map_err(to_core)?
            .ok_or_else(|| Error::NotFound {
                resource: "my_service",
                id: id.to_string(),
            })?;
        let before = service(row.clone())?;
        let mut active = row.into_active_model();
        active.deleted_at = Set(Some(write.audit.at));
        active.update(&txn).await.map_err(to_core)?;
        audit_and_commit(self, ctx, txn, write, Some(&before), None).await
    }
}

impl Store {
    pub(super) async fn revive_service(
        &self,
        ctx: &TenantCtx,
        id: &ServiceId,
        write: ProfileWrite,
    ) -> Result<MyService> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = my_services::Entity::find_by_id((ctx.tenant_id().0, user.0, id.to_string()))
            .one(&txn)
            .await
            .map_err(to_core)?
            .ok_or_else(|| Error::NotFound {
                resource: "my_service",
                id: id.to_string(),
            })?;
        if row.deleted_at.is_none() {
            return Err(Error::Conflict(format!("{id} is on your profile")));
        }
        let mut active = row.into_active_model();
        active.deleted_at = Set(None);
        active.updated_at = Set(write.audit.at);
        let after = service(active.update(&txn).await.map_err(to_core)?)?;
        audit_and_commit(self, ctx, txn, write, None, Some(&after)).await?;
        Ok(after)
    }
}

fn service(row: my_services::Model) -> Result<MyService> {
    let bad =
        |what: &str| Error::internal(format!("my_services row {}: bad {what}", row.service_id));
    let days = |value: Option<i32>, what: &str| {
        value.map(u16::try_from).transpose().map_err(|_| bad(what))
    };
    Ok(MyService {
        service_id: ServiceId::parse(&row.service_id).map_err(|_| bad("service_id"))?,
        terms: ServiceTerms {
            permanent: row.permanent,
            monthly_price: row
                .monthly_price
                .as_deref()
                .map(Decimal::parse)
                .transpose()
                .map_err(|_| bad("monthly_price"))?,
            currency: row
                .currency
                .as_deref()
                .map(CurrencyCode::parse)
                .transpose()
                .map_err(|_| bad("currency"))?,
            billing_cycle_days: days(row.billing_cycle_days, "billing_cycle_days")?,
            min_contract_days: days(row.min_contract_days, "min_contract_days")?,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
