//! `psma refresh [--provider ID] [--wait]`: the same use case as `POST /api/v1/catalog/refresh`,
//! as the local household. With `--wait` it also works as a worker until its jobs have run, so
//! it finishes whether or not `psma serve` or `psma worker` runs beside it (the queue never
//! hands one job to two workers).

use super::progress::Shown;
use crate::app;
use crate::settings::Settings;
use psma_core::catalog::ProviderDirectory;
use psma_core::jobs::{JobQueue, JobStatus};
use psma_core::ports::{Clock, SystemClock};
use psma_plugin_sdk::text::SourceId;
use psma_worker::Outcome;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// How often `--wait` looks at the jobs.
const POLL: Duration = Duration::from_millis(500);

/// Queues the refreshes; exit 1 when a waited-for refresh failed, 2 for a bad configuration.
pub(super) async fn run(
    settings: Settings,
    provider: Option<&str>,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    let provider = provider
        .map(SourceId::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--provider: {e}"))?;
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let wiring = match app::CatalogWiring::build(&settings, &store, &clock) {
        Ok(wiring) => wiring,
        Err(err) => {
            eprintln!("{err:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let ctx = super::caller::local(&settings, &store, &clock).await?;
    let directory = ProviderDirectory::new(wiring.providers.clone(), store.clone(), clock.clone());
    let refreshes = wiring.refreshes;
    let queued = refreshes.request(&ctx, provider.as_ref(), None).await?;
    if queued.is_empty() {
        println!("no enabled providers to refresh");
        return Ok(ExitCode::SUCCESS);
    }
    for q in &queued {
        println!("queued refresh of `{}`: job {}", q.provider, q.job_id);
    }
    if !wait {
        return Ok(ExitCode::SUCCESS);
    }
    let progress = Arc::new(Shown::new("refresh"));
    let handlers = app::handlers_showing(refreshes, progress.clone());
    let worker = app::build_worker(&settings, store.clone(), clock, handlers);
    let mut failed = false;
    for q in &queued {
        let job = loop {
            let job = store.get(q.job_id).await?;
            if matches!(job.status, JobStatus::Succeeded | JobStatus::Failed) {
                break job;
            }
            if worker.run_once().await? == Outcome::Idle {
                // Due later (a retry), or held by another worker: look again soon.
                tokio::time::sleep(POLL).await;
            }
        };
        if job.status == JobStatus::Failed {
            failed = true;
            println!(
                "`{}`: failed: {}",
                q.provider,
                job.last_error.as_deref().unwrap_or("no reason recorded")
            );
        }
    }
    progress.finish();
    for status in directory.list(&ctx).await? {
        if let Some(run) = status
            .last_run
            .filter(|_| queued.iter().any(|q| &q.provider == status.provider.id()))
        {
            println!(
                "`{}`: {} at {}: facts {} new, {} changed, {} ended, {} rejected",
                run.source_id,
                run.outcome.as_str(),
                run.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
                run.counts.new,
                run.counts.changed,
                run.counts.ended,
                run.counts.rejected
            );
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
