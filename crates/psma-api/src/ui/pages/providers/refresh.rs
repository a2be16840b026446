//! `POST /providers/refresh`: queue a refresh of one provider (`provider`) or of all, as
//! `POST /api/v1/catalog/refresh`.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::state::ApiState;
use crate::ui::form::Form;
use crate::ui::page::see_other;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_plugin_sdk::text::SourceId;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RefreshForm {
    #[serde(default)]
    provider: String,
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    Form(form): Form<RefreshForm>,
) -> Result<HttpResponse, ApiError> {
    let provider = match form.provider.trim() {
        "" => None,
        raw => Some(SourceId::parse(raw).map_err(|e| psma_core::Error::validation("provider", e))?),
    };
    let query = |pairs: &[(&str, &str)]| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    match state
        .refreshes
        .request(&ctx, provider.as_ref(), request_id(&req))
        .await
    {
        Ok(queued) => {
            let names: Vec<String> = queued.iter().map(|q| q.provider.to_string()).collect();
            Ok(see_other(&format!(
                "/providers?{}",
                query(&[("queued", &names.join(", "))])
            )))
        }
        // A disabled provider: said on the page (by a code, so a link cannot put words on
        // it), not an error page.
        Err(psma_core::Error::Conflict(_)) => Ok(see_other(&format!(
            "/providers?{}",
            query(&[("refused", provider.as_ref().map_or("", |p| p.as_str()))])
        ))),
        Err(err) => Err(err.into()),
    }
}
