//! `psma audit verify [--tenant ID]`: checks households' audit hash chains.

use crate::app;
use crate::settings::Settings;
use clap::Subcommand;
use psma_core::accounts::Accounts;
use psma_core::audit::AuditTrail;
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::{Role, SystemCtx, TenantCtx, TenantId};
use std::process::ExitCode;
use std::sync::Arc;

/// `psma audit …`
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the hash chain of one household's audit log, or of every household's: each entry
    /// present, linked to the one before, hashing to what it stores. Names the first broken
    /// entry; exits 1 when any chain is broken.
    Verify {
        /// The household's id (default: every household).
        #[arg(long)]
        tenant: Option<uuid::Uuid>,
    },
}

/// Runs `action`.
///
/// # Errors
/// When the store fails.
pub(super) async fn run(settings: Settings, action: AuditAction) -> anyhow::Result<ExitCode> {
    let AuditAction::Verify { tenant } = action;
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let tenants = match tenant {
        Some(id) => vec![TenantId(id)],
        None => Accounts::new(store.clone(), store.clone(), clock)
            .tenants(&SystemCtx::establish("audit verify"))
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect(),
    };
    let trail = AuditTrail::new(store);
    let mut broken = false;
    for tenant in tenants {
        // The operator reads each household's log as its owner would.
        let ctx = TenantCtx::establish(
            tenant,
            None,
            vec![Role::OWNER],
            Role::grants_of(&[Role::OWNER]),
        );
        match trail.verify(&ctx).await {
            Ok(entries) => println!("ok      {tenant}  {entries} entries"),
            Err(psma_core::Error::Conflict(problem)) => {
                broken = true;
                println!("BROKEN  {tenant}  {problem}");
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(if broken {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
