//! The advice inbox (`GET /advice`): each recommendation to confirm or decline, each question
//! to answer or decline (`POST /advice/{id}/confirm|decline|answer`), as the API's advice
//! routes. Nothing changes until the member decides.

pub(crate) mod answer;
pub(crate) mod confirm;
pub(crate) mod decline;
pub(crate) mod list;

use crate::error::ApiError;
use crate::ui::page::see_other;
use actix_web::HttpResponse;
use psma_core::advice::records::AdviceId;

/// Where a decision sends the browser: the inbox, saying what happened — or, for advice that
/// went out of date meanwhile (409), saying that instead of an error page.
pub(crate) fn decided(
    id: AdviceId,
    result: Result<(), psma_core::Error>,
    done: &str,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/advice?done={done}&id={}", id.0))),
        Err(psma_core::Error::Conflict(_)) => {
            Ok(see_other(&format!("/advice?done=stale&id={}", id.0)))
        }
        Err(err) => Err(err.into()),
    }
}
