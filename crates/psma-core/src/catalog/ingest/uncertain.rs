//! Identity conflicts: a show a run created that may be one the catalog has (an uncertain
//! title match, never merged silently), with both shows' identity facts.

use super::run::{Run, Uncertain};
use crate::catalog::conflict::{Conflict, ConflictId, ConflictKind};
use crate::catalog::records::{FactId, StoredFact};
use crate::catalog::show::ShowId;
use psma_plugin_sdk::{Fact, FactKind};

impl Run<'_> {
    /// The identity conflicts of the run's uncertain new shows, one per candidate.
    pub(super) async fn identity_conflicts(
        &mut self,
        uncertain: &[Uncertain],
    ) -> crate::Result<Vec<Conflict>> {
        let mut out = Vec::new();
        for item in uncertain {
            let mut involved = vec![item.show];
            involved.extend(&item.candidates);
            let facts = self
                .session
                .live_facts_of_shows(&involved, Some(FactKind::ShowIdentity))
                .await?;
            let identity_of = |show: ShowId| -> Vec<&StoredFact> {
                facts
                    .iter()
                    .filter(|f| f.show_id == Some(show) && f.fact.kind() == FactKind::ShowIdentity)
                    .collect()
            };
            let title_of = |show: ShowId| -> String {
                identity_of(show)
                    .first()
                    .and_then(|f| match &f.fact {
                        Fact::ShowIdentity(i) => Some(match i.year {
                            Some(y) => format!("“{}” ({y})", i.title),
                            None => format!("“{}” (year unknown)", i.title),
                        }),
                        _ => None,
                    })
                    .unwrap_or_else(|| format!("show {show}"))
            };
            for candidate in &item.candidates {
                let mut fact_ids: Vec<FactId> = identity_of(item.show)
                    .into_iter()
                    .chain(identity_of(*candidate))
                    .map(|f| f.id)
                    .collect();
                fact_ids.sort_unstable();
                out.push(Conflict {
                    id: ConflictId(self.ids.next()),
                    scope: self.scope,
                    kind: ConflictKind::Identity,
                    subject: format!("identity/{}/{candidate}", item.show),
                    show_id: item.show,
                    other_show_id: Some(*candidate),
                    service_id: None,
                    country: None,
                    fact_ids,
                    summary: format!(
                        "{} from {} may be the same show as {}",
                        title_of(item.show),
                        self.source,
                        title_of(*candidate)
                    ),
                    detected_at: self.now,
                    run_id: self.run_id,
                    cleared_at: None,
                });
            }
        }
        Ok(out)
    }
}
