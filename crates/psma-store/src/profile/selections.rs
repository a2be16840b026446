//! My Shows.

use super::{audit_and_commit, user_of};
use crate::connect::Store;
use crate::entities::my_shows;
use crate::error::to_core;
use crate::tenant_scope::Access;
use psma_core::catalog::ShowId;
use psma_core::planning::profile::ProfileWrite;
use psma_core::planning::profile::{Saved, Selection, WatchMode, Wish};
use psma_core::tenancy::TenantCtx;
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

impl Store {
    pub(super) async fn list_selections(&self, ctx: &TenantCtx) -> Result<Vec<Selection>> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Read).await?;
        let rows = my_shows::Entity::find()
            .filter(my_shows::Column::TenantId.eq(ctx.tenant_id().0))
            .filter(my_shows::Column::UserId.eq(user.0))
            .filter(my_shows::Column::DeletedAt.is_null())
            .order_by_asc(my_shows::Column::ShowId)
            .all(&txn)
            .await
            .map_err(to_core)?;
        txn.commit().await.map_err(to_core)?;
        rows.into_iter().map(selection).collect()
    }

    pub(super) async fn save_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        wish: &Wish,
        write: ProfileWrite,
    ) -> Result<Saved<Selection>> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let now = write.audit.at;
        let existing = my_shows::Entity::find_by_id((ctx.tenant_id().0, user.0, show.0))
            .one(&txn)
            .await
            .map_err(to_core)?;
        let before = match &existing {
            Some(row) if row.deleted_at.is_none() => Some(selection(row.clone())?),
            _ => None,
        };
        let fields = |row: &mut my_shows::ActiveModel| {
            row.watch_mode = Set(wish.watch_mode.as_str().to_owned());
            row.binge_days = Set(i32::from(wish.binge_days));
            row.season = Set(wish.season.map(i32::from));
            row.start_after = Set(wish.start_after);
            row.end_date = Set(wish.end_date);
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
                let mut active = my_shows::ActiveModel {
                    tenant_id: Set(ctx.tenant_id().0),
                    user_id: Set(user.0),
                    show_id: Set(show.0),
                    created_at: Set(now),
                    ..Default::default()
                };
                fields(&mut active);
                active.insert(&txn).await.map_err(to_core)?
            }
        };
        let after = selection(row)?;
        audit_and_commit(self, ctx, txn, write, before.as_ref(), Some(&after)).await?;
        Ok(Saved {
            created: before.is_none(),
            item: after,
        })
    }

    pub(super) async fn remove_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> Result<()> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = my_shows::Entity::find_by_id((ctx.tenant_id().0, user.0, show.0))
            .filter(my_shows::Column::DeletedAt.is_null())
            .one(&txn)
            .await
            .map_err(to_core)?
            .ok_or_else(|| Error::NotFound {
                resource: "my_show",
                id: show.to_string(),
            })?;
        let before = selection(row.clone())?;
        let mut active = row.into_active_model();
        active.deleted_at = Set(Some(write.audit.at));
        active.update(&txn).await.map_err(to_core)?;
        audit_and_commit(self, ctx, txn, write, Some(&before), None).await
    }
}

impl Store {
    pub(super) async fn revive_selection(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        write: ProfileWrite,
    ) -> Result<Selection> {
        let user = user_of(ctx)?;
        let txn = self.begin_tenant(ctx, Access::Write).await?;
        let row = my_shows::Entity::find_by_id((ctx.tenant_id().0, user.0, show.0))
            .one(&txn)
            .await
            .map_err(to_core)?
            .ok_or_else(|| Error::NotFound {
                resource: "my_show",
                id: show.to_string(),
            })?;
        if row.deleted_at.is_none() {
            return Err(Error::Conflict(format!("show {show} is on your list")));
        }
        let mut active = row.into_active_model();
        active.deleted_at = Set(None);
        active.updated_at = Set(write.audit.at);
        let after = selection(active.update(&txn).await.map_err(to_core)?)?;
        audit_and_commit(self, ctx, txn, write, None, Some(&after)).await?;
        Ok(after)
    }
}

fn selection(row: my_shows::Model) -> Result<Selection> {
    let bad = |what: &str| Error::internal(format!("my_shows row {}: bad {what}", row.show_id));
    Ok(Selection {
        show_id: ShowId(row.show_id),
        wish: Wish {
            watch_mode: WatchMode::parse(&row.watch_mode).ok_or_else(|| bad("watch_mode"))?,
            binge_days: u16::try_from(row.binge_days).map_err(|_| bad("binge_days"))?,
            season: row
                .season
                .map(u16::try_from)
                .transpose()
                .map_err(|_| bad("season"))?,
            start_after: row.start_after,
            end_date: row.end_date,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
