//! Identity resolution: which canonical show a provider's title is.
//!
//! External ids decide first; then the normalized title with the year. A match that is not
//! certain — the year is missing or one off, several shows fit, the ids point at different
//! shows — never merges silently: the title becomes a show of its own and the caller records
//! an identity conflict between it and the shows it might be.

use super::show::{ShowId, normalize_title};
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue};
use psma_plugin_sdk::{ShowIdentity, ShowType};
use std::collections::{BTreeMap, HashMap};

/// A source's identity fact for one of its show keys, with the show that key was mapped to by
/// an earlier run of the same source (which keeps the mapping stable).
#[derive(Debug, Clone, Copy)]
pub struct IdentityClaim<'a> {
    /// The identity fact.
    pub identity: &'a ShowIdentity,
    /// The show this source's key already maps to.
    pub known: Option<ShowId>,
}

/// A show a claim might be.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The show.
    pub id: ShowId,
    /// Its normalized title.
    pub normalized_title: String,
    /// Its year.
    pub year: Option<i32>,
    /// Series or film.
    pub show_type: ShowType,
    /// Its ids elsewhere.
    pub external_ids: BTreeMap<ExternalNamespace, ExternalValue>,
}

/// How a claim was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The source mapped this key before.
    Known(ShowId),
    /// An external id names exactly one show.
    ExternalId(ShowId),
    /// Exactly one show has the same normalized title, type and year.
    TitleAndYear(ShowId),
    /// A new show; `uncertain` lists shows it might be the same as (an identity conflict).
    New {
        /// The new show's id.
        id: ShowId,
        /// Shows it may be the same as, sorted.
        uncertain: Vec<ShowId>,
    },
}

impl Match {
    /// The show the claim resolves to.
    #[must_use]
    pub fn show_id(&self) -> ShowId {
        match self {
            Self::Known(id) | Self::ExternalId(id) | Self::TitleAndYear(id) => *id,
            Self::New { id, .. } => *id,
        }
    }
}

/// Resolves `claims` in order against `candidates`, creating shows with `next_id`. Shows
/// created or matched for earlier claims are candidates for later ones, so one batch never
/// creates two shows for the same title. Deterministic for the same inputs and ids.
pub fn resolve(
    claims: &[IdentityClaim<'_>],
    candidates: Vec<Candidate>,
    next_id: &mut dyn FnMut() -> ShowId,
) -> Vec<Match> {
    let mut pool = Pool::default();
    for candidate in candidates {
        pool.add(candidate);
    }
    let mut matches = Vec::with_capacity(claims.len());
    for claim in claims {
        let normalized = normalize_title(claim.identity.title.as_str());
        let found = resolve_one(claim, &normalized, &pool, next_id);
        pool.learn(claim.identity, normalized, &found);
        matches.push(found);
    }
    matches
}

/// The candidates, indexed by id, external id and normalized title (a batch of 100,000 titles
/// must not compare every title with every other).
#[derive(Default)]
struct Pool {
    shows: Vec<Candidate>,
    by_id: HashMap<ShowId, usize>,
    by_external: HashMap<(ExternalNamespace, ExternalValue), Vec<usize>>,
    by_title: HashMap<String, Vec<usize>>,
}

impl Pool {
    fn add(&mut self, candidate: Candidate) {
        if self.by_id.contains_key(&candidate.id) {
            return;
        }
        let index = self.shows.len();
        self.by_id.insert(candidate.id, index);
        for (ns, value) in &candidate.external_ids {
            self.by_external
                .entry((ns.clone(), value.clone()))
                .or_default()
                .push(index);
        }
        self.by_title
            .entry(candidate.normalized_title.clone())
            .or_default()
            .push(index);
        self.shows.push(candidate);
    }

    /// Adds what the claim taught: a new show becomes a candidate; a matched one gains the
    /// claim's external ids.
    fn learn(&mut self, identity: &ShowIdentity, normalized: String, found: &Match) {
        let id = found.show_id();
        let Some(&index) = self.by_id.get(&id) else {
            self.add(Candidate {
                id,
                normalized_title: normalized,
                year: identity.year,
                show_type: identity.show_type,
                external_ids: identity.external_ids.clone(),
            });
            return;
        };
        for (ns, value) in &identity.external_ids {
            if !self.shows[index].external_ids.contains_key(ns) {
                self.shows[index]
                    .external_ids
                    .insert(ns.clone(), value.clone());
                self.by_external
                    .entry((ns.clone(), value.clone()))
                    .or_default()
                    .push(index);
            }
        }
    }

    fn by_external_id(&self, identity: &ShowIdentity) -> Vec<ShowId> {
        sorted_unique(
            identity
                .external_ids
                .iter()
                .filter_map(|(ns, v)| self.by_external.get(&(ns.clone(), v.clone())))
                .flatten()
                .map(|&i| self.shows[i].id),
        )
    }

    fn by_title(&self, normalized: &str) -> impl Iterator<Item = &Candidate> {
        self.by_title
            .get(normalized)
            .into_iter()
            .flatten()
            .map(|&i| &self.shows[i])
    }
}

fn resolve_one(
    claim: &IdentityClaim<'_>,
    normalized: &str,
    pool: &Pool,
    next_id: &mut dyn FnMut() -> ShowId,
) -> Match {
    if let Some(id) = claim.known {
        return Match::Known(id);
    }
    let identity = claim.identity;
    let by_id = pool.by_external_id(identity);
    match by_id.as_slice() {
        [one] => return Match::ExternalId(*one),
        [] => {}
        several => {
            return Match::New {
                id: next_id(),
                uncertain: several.to_vec(),
            };
        }
    }
    let same_title: Vec<&Candidate> = if normalized.is_empty() {
        Vec::new()
    } else {
        pool.by_title(normalized)
            .filter(|c| c.show_type == identity.show_type && !contradicts(c, identity))
            .collect()
    };
    let exact = sorted_unique(
        same_title
            .iter()
            .filter(|c| c.year.is_some() && c.year == identity.year)
            .map(|c| c.id),
    );
    match exact.as_slice() {
        [one] => return Match::TitleAndYear(*one),
        [] => {}
        several => {
            return Match::New {
                id: next_id(),
                uncertain: several.to_vec(),
            };
        }
    }
    let close = sorted_unique(
        same_title
            .iter()
            .filter(|c| match (c.year, identity.year) {
                (Some(a), Some(b)) => (a - b).abs() == 1,
                _ => true,
            })
            .map(|c| c.id),
    );
    Match::New {
        id: next_id(),
        uncertain: close,
    }
}

/// Both have an id in the same catalogue and the ids differ: certainly different shows.
fn contradicts(candidate: &Candidate, identity: &ShowIdentity) -> bool {
    identity.external_ids.iter().any(|(ns, value)| {
        candidate
            .external_ids
            .get(ns)
            .is_some_and(|theirs| theirs != value)
    })
}

fn sorted_unique(ids: impl Iterator<Item = ShowId>) -> Vec<ShowId> {
    let mut ids: Vec<ShowId> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use psma_plugin_sdk::Provenance;
    use psma_plugin_sdk::text::{ShowKey, SourceId, Title};
    use uuid::Uuid;

    fn identity(title: &str, year: Option<i32>, ids: &[(&str, &str)]) -> ShowIdentity {
        ShowIdentity {
            provenance: Provenance {
                source_id: SourceId::parse("demo").unwrap(),
                retrieved_at: chrono::DateTime::UNIX_EPOCH,
                confidence: 0.8,
                source_ref: None,
            },
            show: ShowKey::parse(title).unwrap(),
            title: Title::parse(title).unwrap(),
            year,
            show_type: ShowType::Tv,
            external_ids: ids
                .iter()
                .map(|(ns, v)| {
                    (
                        ExternalNamespace::parse(ns).unwrap(),
                        ExternalValue::parse(v).unwrap(),
                    )
                })
                .collect(),
            overview: None,
            genres: vec![],
        }
    }

    fn candidate(n: u128, title: &str, year: Option<i32>, ids: &[(&str, &str)]) -> Candidate {
        let i = identity(title, year, ids);
        Candidate {
            id: ShowId(Uuid::from_u128(n)),
            normalized_title: normalize_title(title),
            year,
            show_type: ShowType::Tv,
            external_ids: i.external_ids,
        }
    }

    fn ids_from(start: u128) -> impl FnMut() -> ShowId {
        let mut n = start;
        move || {
            n += 1;
            ShowId(Uuid::from_u128(n))
        }
    }

    fn one(claim: &ShowIdentity, candidates: Vec<Candidate>) -> Match {
        let claims = [IdentityClaim {
            identity: claim,
            known: None,
        }];
        resolve(&claims, candidates, &mut ids_from(100)).remove(0)
    }

    fn show(n: u128) -> ShowId {
        ShowId(Uuid::from_u128(n))
    }

    #[test]
    fn an_external_id_decides_before_the_title() {
        let claim = identity(
            "Game of Thrones (US cut)",
            Some(2011),
            &[("tmdb", "tv:1399")],
        );
        let found = one(
            &claim,
            vec![candidate(
                1,
                "Game of Thrones",
                Some(2011),
                &[("tmdb", "tv:1399")],
            )],
        );
        assert_eq!(found, Match::ExternalId(show(1)));
    }

    #[test]
    fn the_same_title_and_year_match() {
        let claim = identity("Shōgun", Some(2024), &[]);
        let found = one(&claim, vec![candidate(1, "SHOGUN", Some(2024), &[])]);
        assert_eq!(found, Match::TitleAndYear(show(1)));
    }

    #[test]
    fn an_uncertain_match_is_a_new_show_with_a_conflict_never_a_merge() {
        for year in [Some(2023), None] {
            let claim = identity("Shōgun", year, &[]);
            let found = one(&claim, vec![candidate(1, "Shogun", Some(2024), &[])]);
            assert_eq!(
                found,
                Match::New {
                    id: show(101),
                    uncertain: vec![show(1)]
                },
                "{year:?}"
            );
        }
        // Two shows with the same title and year: ambiguous.
        let claim = identity("The Office", Some(2005), &[]);
        let found = one(
            &claim,
            vec![
                candidate(1, "The Office", Some(2005), &[]),
                candidate(2, "The Office", Some(2005), &[]),
            ],
        );
        assert_eq!(
            found,
            Match::New {
                id: show(101),
                uncertain: vec![show(1), show(2)]
            }
        );
    }

    #[test]
    fn a_distant_year_or_contradicting_ids_are_a_different_show_without_conflict() {
        let remake = identity("Shōgun", Some(1980), &[]);
        assert_eq!(
            one(&remake, vec![candidate(1, "Shogun", Some(2024), &[])]),
            Match::New {
                id: show(101),
                uncertain: vec![]
            }
        );
        let other = identity("The Office", Some(2005), &[("imdb", "tt0386676")]);
        assert_eq!(
            one(
                &other,
                vec![candidate(
                    1,
                    "The Office",
                    Some(2005),
                    &[("imdb", "tt0290978")]
                )]
            ),
            Match::New {
                id: show(101),
                uncertain: vec![]
            }
        );
    }

    #[test]
    fn a_known_key_keeps_its_show_and_a_batch_never_duplicates_a_title() {
        let a = identity("Andor", Some(2022), &[]);
        let b = identity("ANDOR", Some(2022), &[]);
        let claims = [
            IdentityClaim {
                identity: &a,
                known: None,
            },
            IdentityClaim {
                identity: &b,
                known: None,
            },
        ];
        let found = resolve(&claims, vec![], &mut ids_from(100));
        assert_eq!(found[1], Match::TitleAndYear(found[0].show_id()));

        let claims = [IdentityClaim {
            identity: &a,
            known: Some(show(7)),
        }];
        assert_eq!(
            resolve(
                &claims,
                vec![candidate(1, "Andor", Some(2022), &[])],
                &mut ids_from(100)
            ),
            vec![Match::Known(show(7))]
        );
    }
}
