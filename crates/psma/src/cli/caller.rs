//! Who a CLI command acts as.

use psma_core::accounts::Accounts;
use psma_core::ports::{Clock, Credentials};
use psma_core::tenancy::{Role, TenantCtx};
use psma_store::Store;
use std::sync::Arc;

/// The local household's owner, created on first use. The CLI is an entry point like the API:
/// it authenticates (as the local owner) and establishes the tenant context from what the
/// authenticator verified.
///
/// # Errors
/// When the store fails or the authenticator refuses.
pub(super) async fn local(
    settings: &crate::Settings,
    store: &Arc<Store>,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<TenantCtx> {
    let accounts = Accounts::new(store.clone(), store.clone(), clock.clone());
    accounts.ensure_local_tenant().await?;
    let principal = psma_auth::authenticator(&settings.auth)
        .authenticate(&Credentials::default())
        .await?;
    let grants = Role::grants_of(&principal.roles);
    Ok(TenantCtx::establish(
        principal.tenant_id,
        Some(principal.user_id),
        principal.roles,
        grants,
    ))
}
