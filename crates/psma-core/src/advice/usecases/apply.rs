//! Applying a confirmed change or an answer through the ordinary use cases.

use super::Advising;
use crate::advice::contract::{AdviceQuestion, ProposedChange};
use crate::advice::records::{AdviceContent, StoredAdvice};
use crate::catalog::ShowId;
use crate::catalog::conflict::{ConflictId, Resolution};
use crate::catalog::records::FactId;
use crate::planning::profile::WishRequest;
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;

impl Advising {
    /// Applies a recommendation's proposed change.
    pub(super) async fn apply_change(
        &self,
        ctx: &TenantCtx,
        item: &StoredAdvice,
        request_id: Option<String>,
    ) -> Result<()> {
        let AdviceContent::Recommendation(recommendation) = &item.content else {
            return Err(Error::Conflict(format!(
                "advice {} is a question: answer it (POST /api/v1/advice/{}/answer) or decline it",
                item.id, item.id
            )));
        };
        match &recommendation.proposed_change {
            ProposedChange::SetWatchMode {
                show_id,
                watch_mode,
                binge_days,
            } => {
                self.change_wish(ctx, *show_id, request_id, |wish| {
                    wish.watch_mode = Some(*watch_mode);
                    wish.binge_days = Some(*binge_days);
                })
                .await
            }
            ProposedChange::ResolveConflict {
                conflict_id,
                fact_id,
            } => {
                self.resolve(ctx, item, *conflict_id, *fact_id, request_id)
                    .await
            }
            ProposedChange::None => Ok(()),
        }
    }

    /// Checks `answer` against the question's schema and applies it to the input it fills.
    pub(super) async fn apply_answer(
        &self,
        ctx: &TenantCtx,
        item: &StoredAdvice,
        answer: &Value,
        request_id: Option<String>,
    ) -> Result<()> {
        let AdviceContent::Question(question) = &item.content else {
            return Err(Error::Conflict(format!(
                "advice {} is a recommendation: confirm or decline it",
                item.id
            )));
        };
        check_answer(question, answer)?;
        let parts: Vec<&str> = question.input_key.split(':').collect();
        match parts.as_slice() {
            ["show", show, "end_date"] => {
                let show = ShowId(uuid(show, &question.input_key)?);
                let day = answer
                    .as_str()
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .ok_or_else(|| Error::validation("answer", "must be a day, YYYY-MM-DD"))?;
                self.change_wish(ctx, show, request_id, |wish| wish.end_date = Some(day))
                    .await
            }
            ["conflict", conflict, "fact"] => {
                let conflict = ConflictId(uuid(conflict, &question.input_key)?);
                let fact = answer
                    .as_str()
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .map(FactId)
                    .ok_or_else(|| Error::validation("answer", "must be one of the fact ids"))?;
                self.resolve(ctx, item, conflict, fact, request_id).await
            }
            _ => Err(Error::Conflict(format!(
                "PSMA cannot apply an answer to `{}`",
                question.input_key
            ))),
        }
    }

    /// Changes how the caller watches `show`, keeping the rest of the wish as it is.
    async fn change_wish(
        &self,
        ctx: &TenantCtx,
        show: ShowId,
        request_id: Option<String>,
        change: impl FnOnce(&mut WishRequest),
    ) -> Result<()> {
        let profiles = self.plans.profiles();
        let selection = profiles
            .my_shows(ctx)
            .await?
            .into_iter()
            .find(|s| s.show_id == show)
            .ok_or_else(|| {
                Error::Conflict(format!(
                    "show {show} is no longer on My Shows; the advice no longer applies"
                ))
            })?;
        let wish = selection.wish;
        let mut request = WishRequest {
            watch_mode: Some(wish.watch_mode),
            binge_days: Some(wish.binge_days),
            season: wish.season,
            start_after: wish.start_after,
            end_date: wish.end_date,
        };
        change(&mut request);
        profiles
            .put_my_show(ctx, show, request, request_id)
            .await
            .map(drop)
    }

    async fn resolve(
        &self,
        ctx: &TenantCtx,
        item: &StoredAdvice,
        conflict: ConflictId,
        fact: FactId,
        request_id: Option<String>,
    ) -> Result<()> {
        let note = format!("confirmed from advice {}", item.id);
        self.conflicts
            .resolve(
                ctx,
                conflict,
                Resolution::ChoseFact(fact),
                Some(note),
                request_id,
            )
            .await
            .map(drop)
    }
}

/// Checks `answer` against the question's own (closed-subset) schema.
fn check_answer(question: &AdviceQuestion, answer: &Value) -> Result<()> {
    let schema = serde_json::to_value(&question.answer_schema).map_err(Error::internal)?;
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(Error::internal)?;
    match validator.iter_errors(answer).next() {
        None => Ok(()),
        Some(error) => Err(Error::validation(
            "answer",
            format!("{error} (the question accepts {schema})"),
        )),
    }
}

fn uuid(text: &str, key: &str) -> Result<Uuid> {
    Uuid::parse_str(text)
        .map_err(|_| Error::internal(format!("advice question with a bad input key `{key}`")))
}
