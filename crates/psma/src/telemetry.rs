//! Logging set-up, shared by the binary and the test harness.

use crate::settings::{LogFormat, TelemetrySettings};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber: JSON lines or pretty text on stdout, filtered by
/// `log_level`. A second call (tests spawn many apps) leaves the first subscriber in place.
pub fn init(settings: &TelemetrySettings) {
    install(settings, std::io::stdout, std::io::stdout().is_terminal());
}

/// As [`init`], but logging to stderr: for commands whose stdout is their result (`import`
/// prints a one-line summary there).
pub fn init_on_stderr(settings: &TelemetrySettings) {
    install(settings, std::io::stderr, std::io::stderr().is_terminal());
}

fn install<W>(settings: &TelemetrySettings, writer: W, terminal: bool)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match settings.log_format {
        LogFormat::Json => true,
        LogFormat::Pretty => false,
        LogFormat::Auto => !terminal,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    // Ignored when a subscriber exists already: the first set-up wins.
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}
