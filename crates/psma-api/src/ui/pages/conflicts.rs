//! Disagreements between sources: the list (`GET /conflicts`), one with its competing facts
//! side by side (`GET /conflicts/{id}`), and the member's decision (`POST
//! /conflicts/{id}/resolve|defer`), as the API's conflict routes.

pub(crate) mod defer;
pub(crate) mod detail;
pub(crate) mod list;
pub(crate) mod resolve;

use psma_core::catalog::ConflictStatus;

/// How a status reads.
pub(crate) fn status_label(status: ConflictStatus) -> &'static str {
    match status {
        ConflictStatus::Open => "Open",
        ConflictStatus::Resolved => "Resolved",
        ConflictStatus::Deferred => "Deferred",
    }
}
