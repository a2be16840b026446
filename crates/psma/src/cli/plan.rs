//! `psma plan [--today DATE] [--format table|json]`: the same use case as `POST /api/v1/plans`,
//! as the local household's owner: plans, keeps the plan as their current one (trigger
//! `request`) and prints it — a table for people (the default on a terminal), or the stored
//! plan as JSON.

mod table;

use crate::app;
use crate::settings::Settings;
use chrono::NaiveDate;
use clap::ValueEnum;
use psma_core::planning::plans::PlanTrigger;
use psma_core::ports::{Clock, SystemClock};
use psma_plugin_sdk::ServiceRegistry;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

/// How `psma plan` prints the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A table of events, then questions and totals against the naive plan.
    Table,
    /// The stored plan, as JSON, as the API returns it (`GET /api/v1/plans/current`).
    Json,
}

/// Plans for the local owner and prints the plan.
pub(super) async fn run(
    settings: Settings,
    today: Option<NaiveDate>,
    format: Option<PlanFormat>,
) -> anyhow::Result<ExitCode> {
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        PlanFormat::Table
    } else {
        PlanFormat::Json
    });
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let ctx = super::caller::local(&settings, &store, &clock).await?;
    let services = Arc::new(ServiceRegistry::bundled()?);
    let plans = app::planning(&settings, &store, services.clone(), &clock);
    let stored = plans
        .generate(&ctx, today, PlanTrigger::Request, None)
        .await;
    let output = match stored {
        Ok(stored) => match format {
            PlanFormat::Json => Ok(serde_json::to_string_pretty(&psma_api::PlanView::from(
                &stored,
            ))?),
            PlanFormat::Table => table::render(&stored, &ctx, store.as_ref(), &services).await,
        },
        Err(err) => Err(err.into()),
    };
    store.as_ref().clone().close().await;
    println!("{}", output?);
    Ok(ExitCode::SUCCESS)
}
