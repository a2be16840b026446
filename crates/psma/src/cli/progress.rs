//! How a long command shows its progress: a bar on a terminal, else a log line per finished
//! stage (which `cargo xtask bench` reads).

use indicatif::{ProgressBar, ProgressStyle};
use psma_core::catalog::ports::{Progress, Stage};
use std::io::IsTerminal;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// The progress of one piece of work (`import`, `refresh`), shown as fits stderr.
pub(super) enum Shown {
    /// A terminal: a bar, one stage at a time.
    Bar(ProgressBar),
    /// Not a terminal: the stage in hand, logged when it ends.
    Log {
        work: &'static str,
        current: Mutex<Option<(Stage, u64, Instant)>>,
    },
}

impl Shown {
    /// For `work`, as stderr allows.
    pub(super) fn new(work: &'static str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::Log {
                work,
                current: Mutex::new(None),
            };
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>18} [{bar:40}] {human_pos}/{human_len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self::Bar(bar)
    }

    /// Clears the bar, or logs the last stage.
    pub(super) fn finish(&self) {
        match self {
            Self::Bar(bar) => bar.finish_and_clear(),
            Self::Log { work, current } => {
                let done = current
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                if let Some((stage, total, began)) = done {
                    tracing::info!(
                        work,
                        stage = stage.label(),
                        total,
                        secs = began.elapsed().as_secs_f64(),
                        "stage done"
                    );
                }
            }
        }
    }
}

impl Progress for Shown {
    fn stage(&self, stage: Stage, total: u64) {
        match self {
            Self::Bar(bar) => {
                bar.set_message(stage.label());
                bar.set_length(total);
                bar.set_position(0);
            }
            Self::Log { current, .. } => {
                self.finish();
                *current.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((stage, total, Instant::now()));
            }
        }
    }

    fn advance(&self, done: u64) {
        if let Self::Bar(bar) = self {
            bar.inc(done);
        }
    }
}
