//! Deciding conflicts: list and read them, resolve one (choose a competing fact or give the
//! value — stored as a `user_confirmation` fact), or defer it. Every decision is audited.

use super::browse::page_size;
use super::conflict::{
    AvailabilityValue, ConflictId, ConflictKind, ConflictStatus, ConflictView, Decision, Resolution,
};
use super::merge::USER_CONFIRMATION;
use super::ports::{CatalogReader, ConflictDecisions, Page, PageRequest};
use super::records::{FactId, NewFact, StoredFact, SubjectKey};
use super::show::DataScope;
use crate::Error;
use crate::access::Permission;
use crate::audit::AuditDraft;
use crate::planning::plans::PlanTrigger;
use crate::planning::replan::ReplanFanOut;
use crate::ports::Clock;
use crate::tenancy::TenantCtx;
use chrono::{DateTime, Utc};
use psma_plugin_sdk::text::{LongText, ShowKey, SourceId, SourceRef};
use psma_plugin_sdk::{Availability, Fact, Provenance, ServiceRegistry};
use serde_json::json;
use std::sync::Arc;

/// Conflicts and decisions on them.
#[derive(Clone)]
pub struct Conflicts {
    reader: Arc<dyn CatalogReader>,
    decisions: Arc<dyn ConflictDecisions>,
    registry: Arc<ServiceRegistry>,
    clock: Arc<dyn Clock>,
}

impl Conflicts {
    /// Wires the use cases to their ports.
    #[must_use]
    pub fn new(
        reader: Arc<dyn CatalogReader>,
        decisions: Arc<dyn ConflictDecisions>,
        registry: Arc<ServiceRegistry>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reader,
            decisions,
            registry,
            clock,
        }
    }

    /// Conflicts the caller can see, optionally only those with `status`.
    ///
    /// # Errors
    /// [`Error::Validation`] on `limit`; [`Error::Unavailable`] from the store.
    pub async fn list(
        &self,
        ctx: &TenantCtx,
        status: Option<ConflictStatus>,
        after: Option<ConflictId>,
        limit: u32,
    ) -> crate::Result<Page<ConflictView, ConflictId>> {
        ctx.require(Permission::CONFLICTS_READ, "reading conflicts")?;
        let page = PageRequest {
            after,
            limit: page_size(limit)?,
        };
        self.reader.conflicts(ctx, status, &page).await
    }

    /// One conflict with its competing facts.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the caller cannot see it.
    pub async fn get(&self, ctx: &TenantCtx, id: ConflictId) -> crate::Result<ConflictView> {
        ctx.require(Permission::CONFLICTS_READ, "reading a conflict")?;
        self.reader
            .conflict(ctx, id)
            .await?
            .ok_or_else(|| Error::NotFound {
                resource: "conflict",
                id: id.to_string(),
            })
    }

    /// Resolves a conflict. Choosing a fact or giving a value stores a `user_confirmation`
    /// fact that wins the merge for this tenant, and overrules the competing facts; an
    /// identity conflict is settled as the same show (the tenant's private duplicate merges
    /// into the other) or as different shows. A later resolution replaces an earlier one.
    /// The household's members who selected the show get a re-plan, queued with the decision.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::NotFound`]; [`Error::Validation`] naming
    /// the field for an unknown service or a window that ends before it starts;
    /// [`Error::Conflict`] when the resolution does not fit this conflict (a fact that is not
    /// one of its competing facts, `same_show` for an availability conflict or the reverse,
    /// merging two shows of the shared catalog).
    pub async fn resolve(
        &self,
        ctx: &TenantCtx,
        id: ConflictId,
        resolution: Resolution,
        note: Option<String>,
        request_id: Option<String>,
    ) -> crate::Result<ConflictView> {
        ctx.require(Permission::CONFLICTS_WRITE, "resolving a conflict")?;
        let note = checked_note(note)?;
        let view = self.get(ctx, id).await?;
        let now = self.clock.now();
        let user = ctx.require_user()?;
        let mut decision = Decision {
            conflict_id: id,
            status: ConflictStatus::Resolved,
            resolution: Some(resolution.clone()),
            confirmation_fact: None,
            overruled: Vec::new(),
            note,
            decided_by: user,
            decided_at: now,
        };
        let audit = audit(ctx, "conflict.resolve", &view, &decision, now, request_id);
        match (view.conflict.kind, &resolution) {
            (
                ConflictKind::Availability | ConflictKind::ServiceMapping,
                Resolution::ChoseFact(chosen),
            ) => {
                let fact = view.facts.iter().find(|f| f.id == *chosen).ok_or_else(|| {
                    Error::Conflict(format!(
                        "fact {chosen} is not one of this conflict's competing facts ({})",
                        ids(&view.conflict.fact_ids)
                    ))
                })?;
                let body = availability_of(fact)?.clone();
                decision.overruled = others(&view, Some(*chosen));
                self.confirm(ctx, &view, body, decision, audit, now).await?;
            }
            (
                ConflictKind::Availability | ConflictKind::ServiceMapping,
                Resolution::Value(value),
            ) => {
                let body = self.value_body(&view, value)?;
                decision.overruled = others(&view, None);
                self.confirm(ctx, &view, body, decision, audit, now).await?;
            }
            (ConflictKind::Identity, Resolution::SameShow(true)) => {
                let other = view.conflict.other_show_id.ok_or_else(|| {
                    Error::internal("an identity conflict without its other show")
                })?;
                let (duplicate, into) = self
                    .private_duplicate(ctx, view.conflict.show_id, other)
                    .await?;
                self.decisions
                    .merge_private_show(
                        ctx,
                        duplicate,
                        into,
                        &decision,
                        &replans(&view, now),
                        audit,
                    )
                    .await?;
            }
            (ConflictKind::Identity, Resolution::SameShow(false)) => {
                self.decisions
                    .decide(ctx, &decision, None, &replans(&view, now), audit)
                    .await?;
            }
            // Which resolutions fit depends on the conflict, not on the request's form.
            (ConflictKind::Identity, _) => {
                return Err(Error::Conflict(
                    "an identity conflict is resolved with same_show: true or false".to_owned(),
                ));
            }
            (_, Resolution::SameShow(_)) => {
                return Err(Error::Conflict(
                    "only identity conflicts are resolved with same_show; choose a fact_id or give a value"
                        .to_owned(),
                ));
            }
        }
        self.get(ctx, id).await
    }

    /// Puts a conflict aside: it leaves the open list until its inputs change, and the plans
    /// of the members who selected its show no longer mark its events contested (re-planned).
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::NotFound`]; [`Error::Conflict`] when it is
    /// already resolved.
    pub async fn defer(
        &self,
        ctx: &TenantCtx,
        id: ConflictId,
        note: Option<String>,
        request_id: Option<String>,
    ) -> crate::Result<ConflictView> {
        ctx.require(Permission::CONFLICTS_WRITE, "deferring a conflict")?;
        let note = checked_note(note)?;
        let view = self.get(ctx, id).await?;
        if view.status == ConflictStatus::Resolved {
            return Err(Error::Conflict(format!(
                "conflict {id} is already resolved"
            )));
        }
        let now = self.clock.now();
        let decision = Decision {
            conflict_id: id,
            status: ConflictStatus::Deferred,
            resolution: None,
            confirmation_fact: None,
            overruled: Vec::new(),
            note,
            decided_by: ctx.require_user()?,
            decided_at: now,
        };
        let audit = audit(ctx, "conflict.defer", &view, &decision, now, request_id);
        self.decisions
            .decide(ctx, &decision, None, &replans(&view, now), audit)
            .await?;
        self.get(ctx, id).await
    }

    /// Stores the confirmation fact (the winning body, asserted by the user) with the decision.
    async fn confirm(
        &self,
        ctx: &TenantCtx,
        view: &ConflictView,
        mut body: Availability,
        mut decision: Decision,
        audit: AuditDraft,
        now: DateTime<Utc>,
    ) -> crate::Result<()> {
        body.provenance = Provenance {
            source_id: SourceId::parse(USER_CONFIRMATION).map_err(Error::internal)?,
            retrieved_at: now,
            confidence: 1.0,
            source_ref: SourceRef::parse(&format!("conflict:{}", view.conflict.id)).ok(),
        };
        // The user's facts are about the canonical show, whatever key a source used.
        body.show =
            ShowKey::parse(&format!("show:{}", view.conflict.show_id)).map_err(Error::internal)?;
        let fact = Fact::Availability(body);
        if let Err(errors) = fact.validate() {
            let (field, message) = errors.into_iter().next().map_or_else(
                || ("value".to_owned(), String::new()),
                |e| (format!("value.{}", e.field), e.message),
            );
            return Err(Error::validation(field, message));
        }
        let document = serde_json::to_string(&fact).map_err(Error::internal)?;
        let id = FactId::generate();
        decision.confirmation_fact = Some(id);
        let new = NewFact {
            id,
            scope: DataScope::of(ctx),
            show_id: Some(view.conflict.show_id),
            fact: &fact,
            document: &document,
            key: fact.key(),
            subject: SubjectKey::of(&fact),
            content_hash: fact.content_hash(),
            run_id: None,
            replaces: None,
            recorded_at: now,
        };
        self.decisions
            .decide(ctx, &decision, Some(new), &replans(view, now), audit)
            .await
    }

    fn value_body(
        &self,
        view: &ConflictView,
        value: &AvailabilityValue,
    ) -> crate::Result<Availability> {
        if !self.registry.contains(value.service_id.as_str()) {
            return Err(Error::validation(
                "value.service_id",
                format!(
                    "unknown service `{}`; known services: {}",
                    value.service_id,
                    self.registry.ids().join(", ")
                ),
            ));
        }
        if let (Some(from), Some(until)) = (value.available_from, value.available_until)
            && until < from
        {
            return Err(Error::validation(
                "value.available_until",
                format!("{until} is before available_from {from}"),
            ));
        }
        let template = view
            .facts
            .iter()
            .find_map(|f| availability_of(f).ok())
            .ok_or_else(|| {
                Error::internal("an availability conflict without availability facts")
            })?;
        Ok(Availability {
            provenance: template.provenance.clone(),
            show: template.show.clone(),
            service_id: value.service_id.clone(),
            country: view
                .conflict
                .country
                .clone()
                .unwrap_or_else(|| template.country.clone()),
            monetization: value.monetization,
            available_from: value.available_from,
            available_until: value.available_until,
        })
    }

    /// Which of the two shows is the caller's private duplicate, merged into the other.
    async fn private_duplicate(
        &self,
        ctx: &TenantCtx,
        show: super::show::ShowId,
        other: super::show::ShowId,
    ) -> crate::Result<(super::show::ShowId, super::show::ShowId)> {
        let mine = DataScope::of(ctx);
        let scope_of = |record: Option<super::ports::ShowRecord>| record.map(|r| r.show.scope);
        if scope_of(self.reader.show(ctx, show).await?) == Some(mine) {
            return Ok((show, other));
        }
        if scope_of(self.reader.show(ctx, other).await?) == Some(mine) {
            return Ok((other, show));
        }
        Err(Error::Conflict(
            "both titles are shows of the shared catalog; only a show from your own imports can be \
             merged into another (resolve with same_show: false to keep them apart)"
                .to_owned(),
        ))
    }
}

/// The re-plans a decision on `view` queues: for the members who selected its show (or, for
/// an identity conflict, either show).
fn replans(view: &ConflictView, at: DateTime<Utc>) -> ReplanFanOut {
    let mut shows = vec![view.conflict.show_id];
    shows.extend(view.conflict.other_show_id);
    shows.sort_unstable();
    shows.dedup();
    ReplanFanOut {
        shows,
        trigger: PlanTrigger::ConflictDecision,
        at,
    }
}

fn availability_of(fact: &StoredFact) -> crate::Result<&Availability> {
    match &fact.fact {
        Fact::Availability(a) => Ok(a),
        _ => Err(Error::validation("fact_id", "is not an availability fact")),
    }
}

/// The competing facts other than `chosen`, sorted.
fn others(view: &ConflictView, chosen: Option<FactId>) -> Vec<FactId> {
    view.conflict
        .fact_ids
        .iter()
        .copied()
        .filter(|id| Some(*id) != chosen)
        .collect()
}

fn ids(ids: &[FactId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn checked_note(note: Option<String>) -> crate::Result<Option<String>> {
    note.map(|n| {
        LongText::parse(&n)
            .map(String::from)
            .map_err(|e| Error::validation("note", e))
    })
    .transpose()
}

fn audit(
    ctx: &TenantCtx,
    action: &str,
    view: &ConflictView,
    decision: &Decision,
    at: DateTime<Utc>,
    request_id: Option<String>,
) -> AuditDraft {
    let before = json!({ "status": view.status.as_str() });
    let after = json!({
        "status": decision.status.as_str(),
        "resolution": decision.resolution.as_ref().map(Resolution::to_json),
        "overruled": decision.overruled,
        "note": decision.note,
    });
    AuditDraft::new(ctx, action, "conflict", view.conflict.id, at)
        .with_change(Some(before), Some(after))
        .with_request_id(request_id)
}
