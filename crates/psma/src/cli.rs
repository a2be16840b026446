//! The command line.

mod audit;
mod caller;
mod generated;
mod import;
mod keys;
mod plan;
mod progress;
mod providers;
mod refresh;
mod tenant;
mod user;

use crate::app::{self, Application};
use crate::settings::Settings;
use anyhow::Context;
use clap::{Parser, Subcommand};
use psma_core::ports::SystemClock;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// PSMA: pay only for the streaming services you need, only while you need them.
#[derive(Debug, Parser)]
#[command(name = "psma", version, about)]
pub struct Cli {
    /// A TOML configuration file, layered over the embedded defaults.
    #[arg(long, global = true, env = "PSMA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web UI and API (and, unless `worker.embedded = false`, a job worker).
    Serve,
    /// Run a job worker only (hosted deployments run several beside the API replicas).
    Worker,
    /// Manage the database schema.
    Migrate {
        /// up, down or status.
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Inspect the configuration.
    Config {
        /// What to do with it.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Import a catalog file (psma-import/v1 JSON, or CSV) into the local household.
    Import {
        /// The file (`.csv` is read as CSV, anything else as JSON).
        file: PathBuf,
        /// The source the facts belong to, overriding the file's `source_id`.
        #[arg(long, value_name = "ID")]
        source_id: Option<String>,
    },
    /// List the configured data sources: enabled or not, schedule, latest run.
    Providers,
    /// Queue a refresh of one provider, or of every enabled one, into the shared catalog. A
    /// worker runs it (`psma serve`'s embedded one, or `psma worker`).
    Refresh {
        /// The provider's source id; default: every enabled provider.
        #[arg(long, value_name = "ID")]
        provider: Option<String>,
        /// Wait until the refreshes have run, and print their outcome.
        #[arg(long)]
        wait: bool,
    },
    /// Plan the local household owner's subscriptions from their shows and services, keep the
    /// plan as their current one, and print it.
    Plan {
        /// Plan as of this day (YYYY-MM-DD; default: today).
        #[arg(long, value_name = "DATE")]
        today: Option<chrono::NaiveDate>,
        /// `table` (the default on a terminal) or `json` (the stored plan, as the API returns
        /// it; the default otherwise).
        #[arg(long, value_enum)]
        format: Option<plan::PlanFormat>,
    },
    /// Check the audit log's hash chains.
    Audit {
        /// verify.
        #[command(subcommand)]
        action: audit::AuditAction,
    },
    /// Manage households (hosted mode's platform operator).
    Tenant {
        /// create or list.
        #[command(subcommand)]
        action: tenant::TenantAction,
    },
    /// Manage a household's members (hosted mode's platform operator).
    User {
        /// invite, list or disable.
        #[command(subcommand)]
        action: user::UserAction,
    },
    /// Manage hosted mode's signing keys (`auth.keys_dir`).
    Keys {
        /// generate or rotate.
        #[command(subcommand)]
        action: keys::KeysAction,
    },
    /// Write the JSON Schemas of the contracts (default: contracts/jsonschema/).
    Contracts {
        /// The directory to write them to.
        #[arg(long, default_value = "contracts/jsonschema")]
        out: PathBuf,
        /// Only compare with the files in `--out`; exit 1 when any differs.
        #[arg(long)]
        check: bool,
    },
    /// Write the OpenAPI document (default: contracts/openapi/psma.v1.json; `-` for stdout).
    Openapi {
        /// Where to write it.
        #[arg(long, default_value = "contracts/openapi/psma.v1.json")]
        out: PathBuf,
        /// Only compare with the file at `--out`; exit 1 when it differs.
        #[arg(long)]
        check: bool,
    },
}

/// `psma migrate …`
#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the newest migration (or `--steps N`, or `--all`).
    Down {
        /// How many to revert.
        #[arg(long, default_value_t = 1, conflicts_with = "all")]
        steps: u32,
        /// Revert every migration: an empty database.
        #[arg(long)]
        all: bool,
    },
    /// List migrations and whether each is applied.
    Status,
}

/// `psma config …`
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the configuration and print it, secrets masked. Exits 2 naming each bad key.
    Check,
}

/// The commands that run with the loaded configuration.
enum ConfiguredCommand {
    Serve,
    Worker,
    Migrate(MigrateAction),
    ConfigCheck,
    Import {
        file: PathBuf,
        source_id: Option<String>,
    },
    Providers,
    Refresh {
        provider: Option<String>,
        wait: bool,
    },
    Plan {
        today: Option<chrono::NaiveDate>,
        format: Option<plan::PlanFormat>,
    },
    Keys(keys::KeysAction),
    Tenant(tenant::TenantAction),
    User(user::UserAction),
    Audit(audit::AuditAction),
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> ExitCode {
    match dispatch(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    // The OpenAPI document depends on the code only: no configuration is read for it, so a
    // broken environment cannot block generating or checking the contract.
    let command = match cli.command {
        Command::Openapi { out, check } => return generated::openapi(&out, check),
        Command::Contracts { out, check } => return generated::contracts(&out, check),
        Command::Import { file, source_id } => ConfiguredCommand::Import { file, source_id },
        Command::Serve => ConfiguredCommand::Serve,
        Command::Providers => ConfiguredCommand::Providers,
        Command::Refresh { provider, wait } => ConfiguredCommand::Refresh { provider, wait },
        Command::Plan { today, format } => ConfiguredCommand::Plan { today, format },
        Command::Worker => ConfiguredCommand::Worker,
        Command::Keys { action } => ConfiguredCommand::Keys(action),
        Command::Tenant { action } => ConfiguredCommand::Tenant(action),
        Command::Audit { action } => ConfiguredCommand::Audit(action),
        Command::User { action } => ConfiguredCommand::User(action),
        Command::Migrate { action } => ConfiguredCommand::Migrate(action),
        Command::Config {
            action: ConfigAction::Check,
        } => ConfiguredCommand::ConfigCheck,
    };
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("{err}");
            return Ok(ExitCode::from(2));
        }
    };
    match command {
        ConfiguredCommand::ConfigCheck => {
            let resolved = settings.resolve()?;
            print!("{}", resolved.to_masked_toml()?);
            // The providers' own keys are checked by their plugins.
            if let Err(err) = crate::providers::configured(
                &resolved.providers,
                &crate::providers::factories(),
                &crate::providers::system_deps()?,
            ) {
                eprintln!("{err}");
                return Ok(ExitCode::from(2));
            }
            eprintln!("configuration ok");
        }
        ConfiguredCommand::Serve => {
            crate::telemetry::init(&settings.telemetry);
            let app = Application::build(settings).await?;
            // For a person at a terminal, once the socket is bound. On stderr: stdout carries
            // the logs (JSON lines for a collector when piped), which the banner must not
            // break; and `psma serve | jq` still shows it on the terminal.
            if std::io::stderr().is_terminal() {
                eprint!(
                    "{}",
                    crate::banner::render(env!("CARGO_PKG_VERSION"), app.startup())
                );
            }
            app.run_until_stopped().await?;
        }
        ConfiguredCommand::Worker => {
            crate::telemetry::init(&settings.telemetry);
            worker(settings).await?;
        }
        ConfiguredCommand::Migrate(action) => {
            crate::telemetry::init(&settings.telemetry);
            migrate(settings, action).await?;
        }
        ConfiguredCommand::Import { file, source_id } => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return import::run(settings, &file, source_id.as_deref()).await;
        }
        ConfiguredCommand::Providers => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return providers::run(settings).await;
        }
        ConfiguredCommand::Refresh { provider, wait } => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return refresh::run(settings, provider.as_deref(), wait).await;
        }
        ConfiguredCommand::Plan { today, format } => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return plan::run(settings, today, format).await;
        }
        ConfiguredCommand::Keys(action) => return keys::run(&settings, action),
        ConfiguredCommand::Tenant(action) => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return tenant::run(settings, action).await;
        }
        ConfiguredCommand::Audit(action) => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return audit::run(settings, action).await;
        }
        ConfiguredCommand::User(action) => {
            crate::telemetry::init_on_stderr(&settings.telemetry);
            return user::run(settings, action).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: Settings, action: MigrateAction) -> anyhow::Result<()> {
    let settings = settings.resolve()?;
    let store =
        psma_store::Store::connect(app::migration_url(&settings)?, 1, Duration::from_secs(10))
            .await?;
    let result = match action {
        MigrateAction::Up => store.migrate_up().await.map_err(anyhow::Error::from),
        MigrateAction::Down { steps, all } => store
            .migrate_down(if all { None } else { Some(steps) })
            .await
            .map_err(anyhow::Error::from),
        MigrateAction::Status => Ok(()),
    };
    let status = store.migration_status().await;
    store.close().await;
    result?;
    for (name, applied) in status? {
        println!("{} {name}", if applied { "applied" } else { "pending" });
    }
    Ok(())
}

async fn worker(settings: Settings) -> anyhow::Result<()> {
    let settings = settings.resolve()?;
    let store = app::open_store(&settings).await?;
    let store_arc = Arc::new(store.clone());
    let listener = std::net::TcpListener::bind(&settings.worker.bind)
        .with_context(|| format!("cannot listen on worker.bind {}", settings.worker.bind))?;
    tracing::info!(address = %listener.local_addr()?, "worker probes: /health, /ready, /metrics");
    let probes = psma_api::serve_operations(
        listener,
        store_arc.clone(),
        psma_api::install_metrics_recorder(),
    )?;
    let probes_handle = probes.handle();
    let probes_task = tokio::spawn(probes);

    let clock: Arc<dyn psma_core::ports::Clock> = Arc::new(SystemClock);
    let wiring = app::CatalogWiring::build(&settings, &store_arc, &clock)?;
    crate::providers::log_configured(&wiring.providers);
    let stop = CancellationToken::new();
    let background = app::Background {
        replans: app::replans(&settings, &store_arc, wiring.services.clone(), &clock),
        advising: app::advising(&settings, &store_arc, wiring.services.clone(), &clock)?,
        refreshes: wiring.refreshes,
    };
    let running = app::start_worker(&settings, store_arc, clock, background, stop.clone());
    shutdown_signal().await;
    tracing::info!("stopping: finishing the job in hand");
    stop.cancel();
    running.await.context("worker task")?;
    probes_handle.stop(true).await;
    probes_task.await.context("probe server task")??;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    // Without SIGTERM handling, Ctrl-C still stops the worker.
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
