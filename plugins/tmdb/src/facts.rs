//! A TMDB show as canonical facts: its identity, its latest and next episodes, and where it
//! can be watched (in [`availability`]).

mod availability;
mod genres;

use crate::api::{Details, EpisodeRef, TvHit};
use psma_plugin_sdk::chrono::{DateTime, Datelike, NaiveDate, Utc};
use psma_plugin_sdk::fact::calendar_date;
use psma_plugin_sdk::text::{
    CountryCode, ExternalNamespace, ExternalValue, Label, LongText, ShowKey, SourceId, SourceRef,
    Title,
};
use psma_plugin_sdk::{Fact, Provenance, ProviderError, ServiceRegistry, ShowIdentity, ShowType};
use std::collections::BTreeMap;

/// TMDB's catalogue data (titles, dates, ids, genres): community-edited and moderated, right
/// nearly always, but not an authority like the broadcaster itself.
const CATALOGUE_CONFIDENCE: f64 = 0.9;

/// A scheduled episode's date: announced dates still move (delays, schedule shuffles).
const SCHEDULE_CONFIDENCE: f64 = 0.7;

/// TMDB's public pages, for people to follow a fact back to its source.
const SITE: &str = "https://www.themoviedb.org";

/// What every fact of one fetch shares.
pub(crate) struct Context<'a> {
    pub(crate) source_id: &'a SourceId,
    pub(crate) retrieved_at: DateTime<Utc>,
    pub(crate) services: &'a ServiceRegistry,
    /// Whose watch providers become availability facts.
    pub(crate) countries: &'a [CountryCode],
}

impl Context<'_> {
    fn provenance(&self, confidence: f64, source_ref: Option<SourceRef>) -> Provenance {
        Provenance {
            source_id: self.source_id.clone(),
            retrieved_at: self.retrieved_at,
            confidence,
            source_ref,
        }
    }
}

/// The key of TMDB TV show `id`: `tv:1399`, as PSMA writes TMDB ids everywhere (TMDB's TV and
/// movie ids are separate sequences, so the number alone is ambiguous).
pub(crate) fn show_key(id: u64) -> Result<ShowKey, ProviderError> {
    ShowKey::parse(&format!("tv:{id}")).map_err(|e| malformed(id, "id", e.0))
}

/// The TMDB TV id in a key or external id (`tv:1399`); `None` for anything else (a movie, or
/// another source's key).
pub(crate) fn tv_id(key: &str) -> Option<u64> {
    key.strip_prefix("tv:")
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()
}

/// The facts about a show: its identity, its latest and next episodes, and its watch providers
/// in the configured countries. A record that cannot be a fact is an error item; the rest
/// still count.
pub(crate) fn of_details(show: &Details, ctx: &Context<'_>) -> Vec<Result<Fact, ProviderError>> {
    let key = match show_key(show.id) {
        Ok(key) => key,
        Err(e) => return vec![Err(e)],
    };
    // Without its identity the show's other facts would name a show PSMA cannot know (and
    // would refuse them): the error alone says what is wrong.
    let identity =
        match identity(show, &key, ctx).and_then(|i| checked(show.id, Fact::ShowIdentity(i))) {
            Ok(identity) => identity,
            Err(e) => return vec![Err(e)],
        };
    let mut out = vec![Ok(identity)];
    out.extend(episodes(show, &key, ctx));
    if let Some(providers) = &show.watch_providers {
        out.extend(
            availability::facts(show.id, providers, &key, ctx)
                .into_iter()
                .map(Ok),
        );
    }
    // Whatever TMDB sends, only facts that keep the contract's rules leave the plugin.
    out.into_iter()
        .map(|item| item.and_then(|fact| checked(show.id, fact)))
        .collect()
}

/// The identities of search or find hits that keep the contract, in TMDB's order (best
/// first); the others are skipped.
pub(crate) fn of_hits(hits: &[TvHit], ctx: &Context<'_>) -> Vec<ShowIdentity> {
    hits.iter()
        .filter_map(|hit| {
            let key = show_key(hit.id).ok()?;
            let identity = ShowIdentity {
                provenance: ctx.provenance(CATALOGUE_CONFIDENCE, show_page(hit.id)),
                show: key.clone(),
                title: title(hit.id, &hit.name, hit.original_name.as_deref()).ok()?,
                year: year(hit.first_air_date.as_deref()),
                show_type: ShowType::Tv,
                external_ids: external_ids(&key, None, None),
                overview: overview(hit.overview.as_deref()),
                genres: genres::names(&hit.genre_ids),
            };
            match checked(hit.id, Fact::ShowIdentity(identity)) {
                Ok(Fact::ShowIdentity(identity)) => Some(identity),
                _ => None,
            }
        })
        .collect()
}

fn identity(
    show: &Details,
    key: &ShowKey,
    ctx: &Context<'_>,
) -> Result<ShowIdentity, ProviderError> {
    let ids = show.external_ids.as_ref();
    Ok(ShowIdentity {
        provenance: ctx.provenance(CATALOGUE_CONFIDENCE, show_page(show.id)),
        show: key.clone(),
        title: title(show.id, &show.name, show.original_name.as_deref())?,
        year: year(show.first_air_date.as_deref()),
        show_type: ShowType::Tv,
        external_ids: external_ids(
            key,
            ids.and_then(|i| i.imdb_id.as_deref()),
            ids.and_then(|i| i.tvdb_id),
        ),
        overview: overview(show.overview.as_deref()),
        genres: show
            .genres
            .iter()
            .filter_map(|g| Label::parse(g.name.trim()).ok())
            .take(20)
            .collect(),
    })
}

/// The name, else the original name when TMDB has no (English) name.
fn title(id: u64, name: &str, original: Option<&str>) -> Result<Title, ProviderError> {
    Title::parse(name.trim())
        .or_else(|e| original.map_or(Err(e), |o| Title::parse(o.trim())))
        .map_err(|e| malformed(id, "name", e.0))
}

fn year(first_air_date: Option<&str>) -> Option<i32> {
    day(first_air_date).map(|d| d.year())
}

/// `tmdb` (this source's own id, so PSMA asks for the show by it), `imdb` and `thetvdb` (the
/// namespaces TVmaze uses too, so the sources' shows meet).
fn external_ids(
    key: &ShowKey,
    imdb: Option<&str>,
    tvdb: Option<u64>,
) -> BTreeMap<ExternalNamespace, ExternalValue> {
    let tvdb = tvdb.map(|id| id.to_string());
    [
        ("tmdb", Some(key.as_str())),
        ("imdb", imdb.map(str::trim)),
        ("thetvdb", tvdb.as_deref()),
    ]
    .into_iter()
    .filter_map(|(namespace, value)| {
        Some((
            ExternalNamespace::parse(namespace).ok()?,
            ExternalValue::parse(value?).ok()?,
        ))
    })
    .collect()
}

fn overview(text: Option<&str>) -> Option<LongText> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .and_then(|t| LongText::parse(t).ok())
}

/// The latest aired and the next scheduled episode: all TMDB's details say about episodes
/// (their air days; TMDB has no air times).
fn episodes(show: &Details, key: &ShowKey, ctx: &Context<'_>) -> Vec<Result<Fact, ProviderError>> {
    let mut out: Vec<Result<Fact, ProviderError>> = Vec::new();
    let pairs = [
        (&show.last_episode_to_air, CATALOGUE_CONFIDENCE),
        (&show.next_episode_to_air, SCHEDULE_CONFIDENCE),
    ];
    for (episode, confidence) in pairs {
        let Some(episode) = episode else { continue };
        let item = episode_fact(show.id, episode, confidence, key, ctx);
        // A show whose latest episode is also its next one (TMDB mid-update) has it once.
        let repeat = |earlier: &Result<Fact, ProviderError>| match (earlier, &item) {
            (Ok(a), Ok(b)) => a.key() == b.key(),
            _ => false,
        };
        if !out.iter().any(repeat) {
            out.push(item);
        }
    }
    out
}

fn episode_fact(
    show_id: u64,
    episode: &EpisodeRef,
    confidence: f64,
    key: &ShowKey,
    ctx: &Context<'_>,
) -> Result<Fact, ProviderError> {
    let season = u16::try_from(episode.season_number).map_err(|_| {
        malformed(
            show_id,
            "season_number",
            format!("{} is not a season", episode.season_number),
        )
    })?;
    let number = u32::try_from(episode.episode_number).map_err(|_| {
        malformed(
            show_id,
            "episode_number",
            format!("{} is not an episode number", episode.episode_number),
        )
    })?;
    let page = format!("{SITE}/tv/{show_id}/season/{season}/episode/{number}");
    Ok(Fact::Episode(psma_plugin_sdk::Episode {
        provenance: ctx.provenance(confidence, SourceRef::parse(&page).ok()),
        show: key.clone(),
        season,
        number,
        title: episode
            .name
            .as_deref()
            .and_then(|n| Title::parse(n.trim()).ok()),
        air_date: day(episode.air_date.as_deref()),
        airstamp: None,
    }))
}

/// A date as the contract accepts it; a malformed one is a typo upstream, dropped.
fn day(date: Option<&str>) -> Option<NaiveDate> {
    date.and_then(calendar_date)
}

/// The show's page on themoviedb.org.
fn show_page(id: u64) -> Option<SourceRef> {
    SourceRef::parse(&format!("{SITE}/tv/{id}")).ok()
}

/// `fact`, or the malformed-record error naming the show it is about.
fn checked(show_id: u64, fact: Fact) -> Result<Fact, ProviderError> {
    fact.checked(format!("TMDB TV show {show_id}"))
}

fn malformed(show_id: u64, field: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::Malformed {
        location: Some(format!("TMDB TV show {show_id}")),
        field: Some(field.to_owned()),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
