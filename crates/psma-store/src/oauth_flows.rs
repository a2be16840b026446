//! Started sign-ins through a provider (`AuthorizationFlows`, ADR 0030): digests only, used
//! once, in system transactions (on PostgreSQL no other context can see them).

use crate::connect::Store;
use crate::entities::oauth_flows;
use crate::error::to_core;
use crate::tenant_scope::Access;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psma_core::accounts::identities::{
    AuthorizationFlows, InvitationRef, PendingAuthorization, ProviderName,
};
use psma_core::accounts::sessions::TokenDigest;
use psma_core::tenancy::{SystemCtx, TenantId};
use psma_core::tenant_token::TokenHash;
use psma_core::{Error, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[async_trait]
impl AuthorizationFlows for Store {
    async fn begin(&self, system: &SystemCtx, flow: &PendingAuthorization) -> Result<()> {
        let txn = self.begin_system(system, Access::Write).await?;
        // The table holds only flows that can still be finished (and those being finished).
        oauth_flows::Entity::delete_many()
            .filter(oauth_flows::Column::ExpiresAt.lt(flow.created_at))
            .exec(&txn)
            .await
            .map_err(to_core)?;
        oauth_flows::Entity::insert(oauth_flows::ActiveModel {
            id: Set(flow.id),
            provider: Set(flow.provider.as_str().to_owned()),
            state_hash: Set(flow.state.0.clone()),
            binding_hash: Set(flow.binding.0.clone()),
            invitation_tenant_id: Set(flow.invitation.map(|i| i.tenant_id.0)),
            invitation_hash: Set(flow.invitation.map(|i| i.hash.to_hex())),
            created_at: Set(flow.created_at),
            expires_at: Set(flow.expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(to_core)?;
        txn.commit().await.map_err(to_core)
    }

    async fn consume(
        &self,
        system: &SystemCtx,
        state: &TokenDigest,
        binding: &TokenDigest,
        provider: &ProviderName,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingAuthorization>> {
        let txn = self.begin_system(system, Access::Write).await?;
        let matching = || {
            oauth_flows::Entity::update_many()
                .filter(oauth_flows::Column::StateHash.eq(state.0.as_str()))
                .filter(oauth_flows::Column::BindingHash.eq(binding.0.as_str()))
                .filter(oauth_flows::Column::Provider.eq(provider.as_str()))
        };
        // One conditional update: of two callbacks with the same state, one wins.
        let used = matching()
            .col_expr(oauth_flows::Column::UsedAt, Expr::val(now))
            .filter(oauth_flows::Column::UsedAt.is_null())
            .filter(oauth_flows::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await
            .map_err(to_core)?
            .rows_affected;
        let row = if used == 1 {
            oauth_flows::Entity::find()
                .filter(oauth_flows::Column::StateHash.eq(state.0.as_str()))
                .one(&txn)
                .await
                .map_err(to_core)?
        } else {
            None
        };
        txn.commit().await.map_err(to_core)?;
        row.map(to_domain).transpose()
    }
}

fn to_domain(row: oauth_flows::Model) -> Result<PendingAuthorization> {
    let invitation = match (row.invitation_tenant_id, row.invitation_hash) {
        (Some(tenant), Some(hash)) => Some(InvitationRef {
            tenant_id: TenantId(tenant),
            hash: TokenHash::from_hex(&hash)?,
        }),
        _ => None,
    };
    Ok(PendingAuthorization {
        id: row.id,
        provider: ProviderName::parse(&row.provider).map_err(Error::internal)?,
        state: TokenDigest(row.state_hash),
        binding: TokenDigest(row.binding_hash),
        invitation,
        created_at: row.created_at,
        expires_at: row.expires_at,
    })
}
