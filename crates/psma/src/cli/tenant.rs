//! `psma tenant create|list`: the platform operator's households.

use super::user::reset_hint;
use crate::app;
use crate::settings::Settings;
use clap::Subcommand;
use psma_core::accounts::Accounts;
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::{Role, SystemCtx, TenantCtx};
use std::process::ExitCode;
use std::sync::Arc;

/// `psma tenant …`
#[derive(Debug, Subcommand)]
pub enum TenantAction {
    /// Create a household with its owner, and print the owner's one-time token to set a
    /// password (`POST /api/v1/auth/password-reset`, valid 24 hours).
    Create {
        /// The household's name.
        #[arg(long)]
        name: String,
        /// The owner's email (an email belongs to one household).
        #[arg(long)]
        owner_email: String,
        /// The owner's display name (default: the email's part before `@`).
        #[arg(long)]
        owner_name: Option<String>,
    },
    /// List the households: id, created, name.
    List,
}

/// Runs `action`.
///
/// # Errors
/// When the store fails or the input is refused.
pub(super) async fn run(settings: Settings, action: TenantAction) -> anyhow::Result<ExitCode> {
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let accounts = Accounts::new(store.clone(), store.clone(), clock.clone());
    match action {
        TenantAction::Create {
            name,
            owner_email,
            owner_name,
        } => {
            let (tenant, owner) = accounts
                .create_tenant(&name, &owner_email, owner_name.as_deref())
                .await?;
            // The operator acts for the new household as its owner would.
            let ctx = TenantCtx::establish(
                tenant.id,
                None,
                vec![Role::OWNER],
                Role::grants_of(&[Role::OWNER]),
            );
            let reset = app::invitations(&store, &clock)
                .password_reset(&ctx, owner, None)
                .await?;
            println!("tenant {} ({})", tenant.id, tenant.name);
            println!("owner  {owner} <{}>", reset.email);
            reset_hint(&settings, &reset);
        }
        TenantAction::List => {
            for tenant in accounts
                .tenants(&SystemCtx::establish("tenant list"))
                .await?
            {
                println!(
                    "{}  {}  {}",
                    tenant.id,
                    tenant.created_at.format("%Y-%m-%d"),
                    tenant.name
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
