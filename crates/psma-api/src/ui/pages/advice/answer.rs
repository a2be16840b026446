//! `POST /advice/{id}/answer`: answer a question, as `POST /api/v1/advice/{id}/answer`; an
//! answer the question does not take is shown beside it.

use super::decided;
use super::list::Inbox;
use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::middleware::telemetry::request_id;
use crate::params::path_id;
use crate::state::ApiState;
use crate::ui::csrf::CsrfToken;
use crate::ui::form::Form;
use crate::ui::page::render;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use psma_core::advice::contract::AnswerType;
use psma_core::advice::records::{AdviceContent, AdviceId};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub(crate) async fn post(
    req: HttpRequest,
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    csrf: CsrfToken,
    id: web::Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<HttpResponse, ApiError> {
    let id = AdviceId(path_id(&id, "advice")?);
    let item = state.advising.get(&ctx, id).await?;
    let text = form.answer.trim();
    let integer = matches!(&item.content, AdviceContent::Question(q) if q.answer_schema.value_type == AnswerType::Integer);
    let value = if text.is_empty() {
        Err("Give an answer, or decline the question.".to_owned())
    } else if integer {
        text.parse::<i64>()
            .map(Value::from)
            .map_err(|_| "Enter a whole number.".to_owned())
    } else {
        Ok(Value::String(text.to_owned()))
    };
    let message = match value {
        Ok(value) => match state
            .advising
            .answer(&ctx, id, value, request_id(&req))
            .await
        {
            Ok(_) => return decided(id, Ok(()), "answered"),
            Err(psma_core::Error::Validation { message, .. }) => message,
            Err(err) => return decided(id, Err(err), "answered"),
        },
        Err(message) => message,
    };
    let key = id.0.to_string();
    let page = Inbox::load(
        &state,
        &ctx,
        csrf,
        "",
        Some((key.as_str(), message.as_str(), form.answer.trim())),
    )
    .await?;
    render(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
