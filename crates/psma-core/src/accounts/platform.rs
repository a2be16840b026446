//! The platform operator's work across households (`/api/v1/admin/tenants`): only the
//! platform-operator role grants `tenants:read` and `tenants:write`.

use super::invitations::{Invitations, IssuedAccountToken};
use super::types::Tenant;
use super::usecases::Accounts;
use crate::Result;
use crate::access::{Permission, Role};
use crate::catalog::page_size;
use crate::tenancy::{TenantCtx, TenantId, UserId};

/// A household just created, with its owner's first password reset token.
#[derive(Debug, Clone)]
pub struct NewHousehold {
    /// The household.
    pub tenant: Tenant,
    /// Its owner.
    pub owner: UserId,
    /// The owner's password reset token (shown once): how they sign in the first time.
    pub reset: IssuedAccountToken,
}

/// Households, as the platform operator manages them.
#[derive(Clone)]
pub struct Platform {
    accounts: Accounts,
    invitations: Invitations,
}

impl Platform {
    /// Wires the use cases to the ones they build on.
    #[must_use]
    pub fn new(accounts: Accounts, invitations: Invitations) -> Self {
        Self {
            accounts,
            invitations,
        }
    }

    /// A page of the live households, by name then id (`tenants:read`): up to `limit` after
    /// the household `after`, and the id to pass as `after` for the next page.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `tenants:read`; [`crate::Error::Validation`] on
    /// `limit` outside 1..=200 or on `cursor` for a household that does not exist.
    pub async fn tenants(
        &self,
        ctx: &TenantCtx,
        after: Option<TenantId>,
        limit: u32,
    ) -> Result<(Vec<Tenant>, Option<TenantId>)> {
        let system = ctx.for_platform(Permission::TENANTS_READ, "listing households")?;
        let limit = usize::try_from(page_size(limit)?).map_err(crate::Error::internal)?;
        let all = self.accounts.tenants(&system).await?;
        let start = match after {
            None => 0,
            Some(after) => {
                all.iter().position(|t| t.id == after).ok_or_else(|| {
                    crate::Error::validation("cursor", "no such household to continue after")
                })? + 1
            }
        };
        let page: Vec<Tenant> = all.into_iter().skip(start).take(limit + 1).collect();
        let next = (page.len() > limit).then(|| page[limit - 1].id);
        Ok((page.into_iter().take(limit).collect(), next))
    }

    /// Creates a household with its owner and hands back the owner's password reset token
    /// (`tenants:write`), as `psma tenant create` does. Audited in the new household's log
    /// (`tenant.create`, `password_reset.create`).
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] without `tenants:write`; otherwise as
    /// [`Accounts::create_tenant`].
    pub async fn create_tenant(
        &self,
        ctx: &TenantCtx,
        name: &str,
        owner_email: &str,
        owner_name: Option<&str>,
        request_id: Option<String>,
    ) -> Result<NewHousehold> {
        ctx.for_platform(Permission::TENANTS_WRITE, "creating a household")?;
        let (tenant, owner) = self
            .accounts
            .create_tenant(name, owner_email, owner_name)
            .await?;
        // The operator acts for the new household as its owner would, once, to hand the owner
        // a way in; nothing else is done in it.
        let owner_ctx = TenantCtx::establish(
            tenant.id,
            None,
            vec![Role::OWNER],
            Role::grants_of(&[Role::OWNER]),
        );
        let reset = self
            .invitations
            .password_reset(&owner_ctx, owner, request_id)
            .await?;
        Ok(NewHousehold {
            tenant,
            owner,
            reset,
        })
    }
}
