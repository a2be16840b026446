//! `psma providers`: the configured data sources as a table — the same use case as
//! `GET /api/v1/providers`.

use crate::app;
use crate::settings::Settings;
use psma_core::catalog::{ProviderDirectory, ProviderStatus};
use psma_core::ports::{Clock, SystemClock};
use psma_store::Store;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

/// Prints the table; exit 2 when a provider's configuration is refused.
pub(super) async fn run(settings: Settings) -> anyhow::Result<ExitCode> {
    let settings = settings.resolve()?;
    let providers = match crate::providers::configured(
        &settings.providers,
        &crate::providers::factories(),
        &crate::providers::system_deps()?,
    ) {
        Ok(providers) => providers,
        Err(err) => {
            eprintln!("{err}");
            return Ok(ExitCode::from(2));
        }
    };
    let store = Arc::new(app::open_ready_store(&settings).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let ctx = super::caller::local(&settings, &store, &clock).await?;
    let statuses = ProviderDirectory::new(providers, store.clone(), clock)
        .list(&ctx)
        .await?;
    // The pool is shared by the clones: closing one closes it.
    Store::clone(&store).close().await;
    print!("{}", table(&statuses));
    Ok(ExitCode::SUCCESS)
}

/// One line per provider under a header; the latest run's facts as new/changed/ended/rejected.
fn table(statuses: &[ProviderStatus]) -> String {
    if statuses.is_empty() {
        return "no providers configured (add a [providers.<id>] section; see docs/plugins.md)\n"
            .to_owned();
    }
    let rows: Vec<[String; 6]> = statuses
        .iter()
        .map(|status| {
            let provider = &status.provider;
            let every = provider.refresh_every().map_or_else(
                || "on demand".to_owned(),
                |d| humantime_serde::re::humantime::format_duration(d).to_string(),
            );
            let (last, outcome, facts) = match &status.last_run {
                None => ("never".to_owned(), "-".to_owned(), "-".to_owned()),
                Some(run) => (
                    run.finished_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    run.outcome.as_str().to_owned(),
                    format!(
                        "{}/{}/{}/{}",
                        run.counts.new, run.counts.changed, run.counts.ended, run.counts.rejected
                    ),
                ),
            };
            [
                provider.id().to_string(),
                if provider.is_enabled() { "yes" } else { "no" }.to_owned(),
                every,
                last,
                outcome,
                facts,
            ]
        })
        .collect();
    let header = [
        "SOURCE",
        "ENABLED",
        "REFRESH",
        "LAST RUN",
        "OUTCOME",
        "FACTS NEW/CHANGED/ENDED/REJECTED",
    ];
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}
