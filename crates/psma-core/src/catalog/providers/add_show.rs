//! Adding a show to the shared catalog by a provider's id for it
//! (`POST /api/v1/shows {"source_id": "tmdb", "external_id": "tv:1399"}`): the provider is
//! asked for that show, its facts are stored as a refresh of it would store them, and the
//! household's log records who asked.

use super::Refreshes;
use crate::catalog::records::IngestRun;
use crate::catalog::{ShowAddition, ShowId};
use crate::tenancy::TenantCtx;
use crate::{Error, Result};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, ShowKey, SourceId};
use psma_plugin_sdk::{ScopeKind, ShowIdentity};

/// A show added from a provider.
#[derive(Debug, Clone)]
pub struct AddedShow {
    /// The catalog show.
    pub show: ShowId,
    /// Whether the catalog did not have it before.
    pub created: bool,
    /// The run that stored its facts (`add_show`).
    pub run: IngestRun,
}

impl Refreshes {
    /// Adds the show `source` knows as `external_id` to the shared catalog, with every fact
    /// `source` has on it, as `ctx` asks (audited as `catalog.add_show`). A show the catalog
    /// already has is refreshed from `source` instead, and found, not duplicated.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a viewer; [`Error::NotFound`] for a provider that is not
    /// configured, or a show it does not know; [`Error::Conflict`] for a disabled provider;
    /// [`Error::Validation`] on `source_id` for a provider that cannot look up one show;
    /// [`Error::Unavailable`] when the provider fails (nothing is stored) or the store cannot
    /// be reached.
    pub async fn add_show(
        &self,
        ctx: &TenantCtx,
        source: &SourceId,
        external_id: &ExternalValue,
        request_id: Option<String>,
    ) -> Result<AddedShow> {
        let system = ctx.for_shared_catalog("adding a show")?;
        let (entry, plugin) = self.enabled(source)?;
        if !entry.spec().capabilities.scopes.contains(&ScopeKind::Show) {
            return Err(Error::validation(
                "source_id",
                format!("provider `{source}` cannot look up one show"),
            ));
        }
        let namespace = ExternalNamespace::parse(source.as_str()).map_err(Error::internal)?;
        let known = self
            .targets
            .show_known_as(&system, &namespace, external_id)
            .await?;
        let mut query = known.as_ref().map(|t| t.query.clone()).unwrap_or_default();
        query.key = ShowKey::parse(external_id.as_str()).ok();
        query
            .external_ids
            .insert(namespace.clone(), external_id.clone());
        let addition = ShowAddition {
            requested_by: ctx,
            query,
            known: known.as_ref().map(|t| t.show),
            show_ref: external_id.to_string(),
            request_id,
        };
        let not_found = || Error::NotFound {
            resource: "show",
            id: format!("{source}:{external_id}"),
        };
        let added = self
            .ingestion
            .add_show(&system, plugin.as_ref(), addition, self.paced(entry))
            .await?
            .ok_or_else(not_found)?;
        // The show is found by the ids the provider gave it: the one asked for first.
        let mut ids = vec![(namespace, external_id.clone())];
        ids.extend(added.identities.iter().flat_map(external_ids));
        for (namespace, value) in &ids {
            if let Some(target) = self
                .targets
                .show_known_as(&system, namespace, value)
                .await?
            {
                return Ok(AddedShow {
                    show: target.show,
                    // Matched by title to a show another source brought is not created.
                    created: known.is_none() && added.run.counts.shows_created > 0,
                    run: added.run,
                });
            }
        }
        Err(Error::Unavailable(format!(
            "provider `{source}` described `{external_id}` with no valid identity (run {})",
            added.run.id
        )))
    }
}

fn external_ids(identity: &ShowIdentity) -> Vec<(ExternalNamespace, ExternalValue)> {
    identity
        .external_ids
        .iter()
        .map(|(ns, value)| (ns.clone(), value.clone()))
        .collect()
}
