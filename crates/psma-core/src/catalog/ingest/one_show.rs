//! One show fetched from a provider into the shared catalog because a household added it: a
//! refresh of that show alone, audited in the household's log.

use super::by_show::{Paced, fetch_show, note};
use super::{Covers, Ingestion, RunSpec, Strictness};
use crate::catalog::ShowId;
use crate::catalog::ports::{IngestTarget, NoProgress};
use crate::catalog::records::{IngestRun, RunTrigger, SourceInfo};
use crate::tenancy::{SystemCtx, TenantCtx};
use crate::{Error, Result};
use psma_plugin_sdk::{Fact, Provider, ShowIdentity, ShowQuery};

/// A show a household asks to add.
#[derive(Debug, Clone)]
pub struct ShowAddition<'a> {
    /// Who asks (the run is audited in its household's log).
    pub requested_by: &'a TenantCtx,
    /// What the provider is told about the show.
    pub query: ShowQuery,
    /// The catalog show it already is, when PSMA knows it: its facts from this provider are
    /// replaced, as a refresh would.
    pub known: Option<ShowId>,
    /// The show as asked for, for the audit entry (`tv:1399`).
    pub show_ref: String,
    /// The request, for correlating the audit entry with logs.
    pub request_id: Option<String>,
}

/// What adding a show stored.
#[derive(Debug, Clone)]
pub struct AddedFacts {
    /// The run, recorded as `add_show`.
    pub run: IngestRun,
    /// The identities the provider gave: how the show is found afterwards.
    pub identities: Vec<ShowIdentity>,
}

impl Ingestion {
    /// Fetches the show `addition` names from `provider` at `pace` and stores its facts in the
    /// shared catalog (invalid ones refused and counted). `None` when the provider does not
    /// know the show: nothing is stored.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the provider fails (nothing is stored, no run recorded: a
    /// failed lookup is not a failed refresh) or the store cannot be reached.
    pub async fn add_show(
        &self,
        system: &SystemCtx,
        provider: &dyn Provider,
        addition: ShowAddition<'_>,
        pace: Paced<'_>,
    ) -> Result<Option<AddedFacts>> {
        let spec = provider.spec();
        let show = fetch_show(provider, &addition.query, pace)
            .await
            .map_err(|e| Error::Unavailable(format!("provider `{}` failed: {e}", spec.id)))?;
        let identities: Vec<ShowIdentity> = show
            .facts
            .iter()
            .filter_map(|fact| match fact {
                Fact::ShowIdentity(identity) => Some(identity.clone()),
                _ => None,
            })
            .collect();
        if identities.is_empty() {
            return Ok(None);
        }
        let mut problems = Vec::new();
        for problem in &show.malformed {
            note(&mut problems, problem.clone());
        }
        let run = RunSpec {
            target: IngestTarget::Global(system.clone()),
            source: SourceInfo::of(spec),
            trigger: RunTrigger::AddShow,
            actor: addition.requested_by.user_id(),
            requested_by: Some(addition.requested_by.clone()),
            show_ref: Some(addition.show_ref),
            strictness: Strictness::SkipInvalid,
            request_id: addition.request_id,
            progress: &NoProgress,
            unreadable: show.malformed.len() as u64,
            unreadable_problems: problems,
            covers: Covers::Shows(addition.known.into_iter().collect()),
            unfetched: 0,
        };
        let run = self.run(run, show.facts).await?;
        Ok(Some(AddedFacts { run, identities }))
    }
}
