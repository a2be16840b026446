//! `psma user invite|list|disable|operator`: the platform operator's view of a household's members.

use crate::app;
use crate::settings::Settings;
use anyhow::Context;
use clap::Subcommand;
use psma_core::accounts::Accounts;
use psma_core::accounts::invitations::{IssuedAccountToken, TokenPurpose};
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::{Role, SystemCtx, TenantCtx, TenantId};
use std::process::ExitCode;
use std::sync::Arc;

/// `psma user …`
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Invite someone to a household and print the invitation's one-time token
    /// (`POST /api/v1/invitations/accept`, valid 7 days).
    Invite {
        /// The household's id (`psma tenant list`).
        #[arg(long)]
        tenant: uuid::Uuid,
        /// Their email.
        #[arg(long)]
        email: String,
        /// A role (`owner`, `admin`, `member`, `viewer`, or one of the household's custom
        /// roles); repeat for several. Default: member.
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// List a household's members: id, roles, state, email.
    List {
        /// The household's id.
        #[arg(long)]
        tenant: uuid::Uuid,
    },
    /// Disable a member (no sign-in; their refresh tokens are revoked), or `--enable` again.
    Disable {
        /// The household's id.
        #[arg(long)]
        tenant: uuid::Uuid,
        /// The member's email.
        #[arg(long)]
        email: String,
        /// Enable instead.
        #[arg(long)]
        enable: bool,
    },
    /// Make a member a platform operator, who manages every household
    /// (`/api/v1/admin/tenants`), or `--revoke` it. Only this command grants the role.
    Operator {
        /// The household's id.
        #[arg(long)]
        tenant: uuid::Uuid,
        /// The member's email.
        #[arg(long)]
        email: String,
        /// Withdraw the role instead.
        #[arg(long)]
        revoke: bool,
    },
}

/// Runs `action`.
///
/// # Errors
/// When the store fails or the input is refused.
pub(super) async fn run(settings: Settings, action: UserAction) -> anyhow::Result<ExitCode> {
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let accounts = Accounts::new(store.clone(), store.clone(), clock.clone());
    // The operator acts in the household as an owner would, as nobody in particular.
    let operator = |tenant: uuid::Uuid| {
        TenantCtx::establish(
            TenantId(tenant),
            None,
            vec![Role::OWNER],
            Role::grants_of(&[Role::OWNER]),
        )
    };
    match action {
        UserAction::Invite {
            tenant,
            email,
            roles,
        } => {
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<psma_core::Result<Vec<_>>>()?;
            let invitation = app::invitations(&store, &clock)
                .invite(&operator(tenant), &email, roles, None)
                .await?;
            reset_hint(&settings, &invitation);
        }
        UserAction::List { tenant } => {
            for user in accounts.users(&operator(tenant)).await? {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
                println!(
                    "{}  {:<14}  {:<8}  {}",
                    user.id,
                    roles.join(","),
                    if user.disabled { "disabled" } else { "active" },
                    user.email
                );
            }
        }
        UserAction::Disable {
            tenant,
            email,
            enable,
        } => {
            let ctx = operator(tenant);
            let user = member_by_email(&accounts, &ctx, &email).await?;
            let user = accounts.set_disabled(&ctx, user.id, !enable, None).await?;
            println!(
                "{} {}",
                if user.disabled { "disabled" } else { "enabled" },
                user.email
            );
        }
        UserAction::Operator {
            tenant,
            email,
            revoke,
        } => {
            let ctx = operator(tenant);
            let user = member_by_email(&accounts, &ctx, &email).await?;
            let user = app::roles(&store, &clock)
                .set_platform_operator(
                    &SystemCtx::establish("platform operator grant"),
                    &ctx,
                    user.id,
                    !revoke,
                )
                .await?;
            let verb = if revoke { "no longer" } else { "now" };
            println!(
                "{} is {verb} a platform operator (from their next sign-in)",
                user.email
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The live member of `ctx`'s household with `email`.
async fn member_by_email(
    accounts: &Accounts,
    ctx: &TenantCtx,
    email: &str,
) -> anyhow::Result<psma_core::accounts::User> {
    accounts
        .users(ctx)
        .await?
        .into_iter()
        .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
        .with_context(|| {
            format!(
                "no member with the email {email} in tenant {}",
                ctx.tenant_id()
            )
        })
}

/// Prints a token and where to redeem it.
pub(super) fn reset_hint(settings: &Settings, issued: &IssuedAccountToken) {
    let (what, path) = match issued.purpose {
        TokenPurpose::Invitation => ("invitation", "/api/v1/invitations/accept"),
        TokenPurpose::PasswordReset => ("password token", "/api/v1/auth/password-reset"),
    };
    let base = settings
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.server.bind));
    println!(
        "{what} for {} (single use, until {}):",
        issued.email,
        issued.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    println!("  {}", issued.token);
    println!(
        "redeem: curl -X POST {}{path} -H 'content-type: application/json' -d '{{\"token\":\"{}\",\"password\":\"…\"}}'",
        base.trim_end_matches('/'),
        issued.token
    );
}
