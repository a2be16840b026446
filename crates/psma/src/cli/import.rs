//! `psma import FILE [--source-id ID]`: the same use case as `POST /api/v1/imports`, as the
//! local household, with a progress bar on a terminal and a one-line summary otherwise.

use crate::app;
use crate::settings::Settings;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use psma_core::catalog::ports::{ImportFormat, Progress, Stage};
use psma_core::catalog::{ImportRequest, IngestRun, Ingestion};
use psma_core::ports::{Clock, SystemClock};
use psma_plugin_sdk::ServiceRegistry;
use psma_plugin_sdk::text::SourceId;
use std::io::IsTerminal;
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
    let terminal = std::io::stderr().is_terminal();
    let result = if terminal {
        let bar = Bar::new();
        let result = ingestion.import(&ctx, request, None, &bar).await;
        bar.0.finish_and_clear();
        result
    } else {
        let log = StageLog::default();
        let result = ingestion.import(&ctx, request, None, &log).await;
        log.finish();
        result
    };
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

/// A terminal progress bar, one stage at a time.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>18} [{bar:40}] {human_pos}/{human_len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self(bar)
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: u64) {
        self.0.set_message(stage.label());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, done: u64) {
        self.0.inc(done);
    }
}

/// Off a terminal: one log line per finished stage, with how long it took.
#[derive(Default)]
struct StageLog(std::sync::Mutex<Option<(Stage, u64, std::time::Instant)>>);

impl StageLog {
    fn finish(&self) {
        let mut current = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((stage, total, began)) = current.take() {
            tracing::info!(
                stage = stage.label(),
                total,
                secs = began.elapsed().as_secs_f64(),
                "import stage done"
            );
        }
    }
}

impl Progress for StageLog {
    fn stage(&self, stage: Stage, total: u64) {
        self.finish();
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((stage, total, std::time::Instant::now()));
    }

    fn advance(&self, _: u64) {}
}
