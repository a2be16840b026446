//! `psma import FILE [--source-id ID]`: the same use case as `POST /api/v1/imports`, as the
//! local household, with a progress bar on a terminal and a one-line summary otherwise.

use super::progress::Shown;
use crate::app;
use crate::settings::Settings;
use anyhow::Context;
use psma_core::catalog::ports::ImportFormat;
use psma_core::catalog::{ImportRequest, IngestRun, Ingestion};
use psma_core::ports::{Clock, SystemClock};
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::text::SourceId;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Runs the import; exit 1 when the file is refused (its problems go to stderr).
pub(super) async fn run(
    settings: Settings,
    file: &Path,
    source_id: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let source_id = source_id
        .map(SourceId::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--source-id: {e}"))?;
    let body = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let format = match file.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("csv") => ImportFormat::Csv,
        _ => ImportFormat::Json,
    };
    let settings = settings.resolve()?;
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let ctx = super::caller::local(&settings, &store, &clock).await?;
    let services = Arc::new(ServiceRegistry::bundled()?);
    let ingestion = Ingestion::new(
        store.clone(),
        Arc::new(crate::catalog::ManualImportParser::new(services)),
        clock,
        app::merge_policy(&settings),
    )?;
    let request = ImportRequest {
        body,
        format,
        source_id,
    };
    let progress = Shown::new("import");
    let result = ingestion.import(&ctx, request, None, &progress).await;
    progress.finish();
    store.as_ref().clone().close().await;
    match result {
        Ok(run) => {
            println!("{}", summary(file, &run));
            Ok(ExitCode::SUCCESS)
        }
        Err(psma_core::Error::Rejected { summary, problems }) => {
            eprintln!("{}: {summary}", file.display());
            for problem in problems {
                eprintln!("  {problem}");
            }
            Ok(ExitCode::FAILURE)
        }
        Err(err) => Err(err.into()),
    }
}

fn summary(file: &Path, run: &IngestRun) -> String {
    let c = &run.counts;
    format!(
        "imported {} as source `{}`: shows {} created, {} matched; facts {} new, {} changed, \
         {} unchanged, {} ended; conflicts {} opened, {} cleared",
        file.display(),
        run.source_id,
        c.shows_created,
        c.shows_matched,
        c.new,
        c.changed,
        c.unchanged,
        c.ended,
        c.conflicts_opened,
        c.conflicts_cleared
    )
}
