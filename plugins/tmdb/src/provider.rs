//! TMDB as a provider: show by show, looked up by the ids PSMA knows, and searchable.

use crate::api::{self, TvHit};
use crate::client::Client;
use crate::config::Config;
use crate::facts::{self, Context};
use crate::spec::{ID, spec};
use psma_plugin_sdk::futures_util::{StreamExt, stream};
use psma_plugin_sdk::serde_json::Value;
use psma_plugin_sdk::{
    Fact, FactStream, PluginDeps, Provider, ProviderError, ProviderFactory, ProviderSpec, Scope,
    ShowIdentity, ShowQuery, async_trait,
};
use std::sync::Arc;

/// The factory PSMA registers under `tmdb`. Its configuration needs `api_key`; see
/// `plugins/tmdb/README.md`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TmdbFactory;

/// What the details call appends: the ids elsewhere and the watch providers, in one request.
const APPEND: &str = "external_ids,watch/providers";

impl ProviderFactory for TmdbFactory {
    fn id(&self) -> &'static str {
        ID
    }

    fn describe(&self) -> ProviderSpec {
        // Built from constants that satisfy their rules (the conformance test checks it).
        spec().unwrap_or_else(|e| unreachable_spec(&e))
    }

    fn build(&self, config: &Value, deps: PluginDeps) -> Result<Arc<dyn Provider>, ProviderError> {
        let config = Config::from_json(config)?;
        let client = Client::new(
            config.base_url.clone(),
            config.api_key.clone(),
            config.timeout,
        )?;
        let mut spec = spec()?;
        // This instance reads exactly these countries' watch providers.
        spec.capabilities.countries.clone_from(&config.countries);
        Ok(Arc::new(Tmdb {
            spec,
            client,
            config,
            deps,
        }))
    }
}

#[expect(
    clippy::panic,
    reason = "unreachable: the spec is built from constants"
)]
fn unreachable_spec(err: &ProviderError) -> ProviderSpec {
    panic!("TMDB's spec is invalid: {err}")
}

/// One configured TMDB.
struct Tmdb {
    spec: ProviderSpec,
    client: Client,
    config: Config,
    deps: PluginDeps,
}

impl Tmdb {
    fn context(&self) -> Context<'_> {
        Context {
            source_id: &self.spec.id,
            retrieved_at: self.deps.clock.now(),
            services: &self.deps.services,
            countries: &self.config.countries,
        }
    }

    /// The TMDB TV id of the show `query` is about, by the first id that finds it: its TMDB
    /// id, its IMDb id, its TheTVDB id, else its title (and year). `None` when TMDB does not
    /// know it.
    async fn find(&self, query: &ShowQuery) -> Result<Option<u64>, ProviderError> {
        let own = query
            .key
            .as_ref()
            .map(|k| k.as_str().to_owned())
            .or_else(|| {
                query
                    .external_ids
                    .iter()
                    .find(|(ns, _)| ns.as_str() == ID)
                    .map(|(_, v)| v.to_string())
            });
        if let Some(own) = own {
            // A key that is not a TMDB TV id (a movie's, another source's) finds nothing here.
            return Ok(facts::tv_id(&own));
        }
        let by_external = [
            ("imdb", "imdb_id", is_imdb_id as fn(&str) -> bool),
            ("thetvdb", "tvdb_id", is_number),
        ];
        for (namespace, source, plausible) in by_external {
            let Some((_, value)) = query
                .external_ids
                .iter()
                .find(|(ns, _)| ns.as_str() == namespace)
            else {
                continue;
            };
            // TMDB's find takes the id as a path segment; anything else is not worth a call.
            if !plausible(value.as_str()) {
                continue;
            }
            let found = self
                .client
                .get(&["find", value.as_str()], &[("external_source", source)])
                .await?;
            if let Some(body) = found
                && let Some(hit) = api::parse_find(&body)?.tv_results.first()
            {
                return Ok(Some(hit.id));
            }
        }
        let Some(title) = &query.title else {
            return Ok(None);
        };
        let hits = self.search_tv(title.as_str(), query.year).await?;
        Ok(best_match(title.as_str(), &hits).map(|hit| hit.id))
    }

    /// `/search/tv`: TMDB's hits, best first; with a year, only shows that premiered then.
    async fn search_tv(&self, text: &str, year: Option<i32>) -> Result<Vec<TvHit>, ProviderError> {
        let year = year.map(|y| y.to_string());
        let mut query = vec![("query", text), ("include_adult", "false")];
        if let Some(year) = &year {
            query.push(("first_air_date_year", year.as_str()));
        }
        match self.client.get(&["search", "tv"], &query).await? {
            Some(body) => Ok(api::parse_search(&body)?.results),
            None => Ok(Vec::new()),
        }
    }

    async fn show_facts(&self, query: ShowQuery) -> Vec<Result<Fact, ProviderError>> {
        let id = match self.find(&query).await {
            Ok(Some(id)) => id,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![Err(e)],
        };
        let id_text = id.to_string();
        let body = match self
            .client
            .get(&["tv", &id_text], &[("append_to_response", APPEND)])
            .await
        {
            Ok(Some(body)) => body,
            // Gone from TMDB (deleted or merged): nothing, so PSMA ends the facts it had.
            Ok(None) => return Vec::new(),
            Err(e) => return vec![Err(e)],
        };
        match api::parse_details(&body) {
            Ok(details) => facts::of_details(&details, &self.context()),
            Err(e) => vec![Err(e)],
        }
    }
}

/// The hit whose name is the title (ignoring case, spacing and punctuation), else TMDB's best:
/// TMDB ranks by popularity too, so an exact name beats a more popular near-namesake.
fn best_match<'a>(title: &str, hits: &'a [TvHit]) -> Option<&'a TvHit> {
    let wanted = squash(title);
    hits.iter()
        .find(|hit| {
            squash(&hit.name) == wanted
                || hit
                    .original_name
                    .as_deref()
                    .is_some_and(|o| squash(o) == wanted)
        })
        .or_else(|| hits.first())
}

/// A name reduced to lowercase letters and digits.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `tt` and digits, as IMDb numbers titles.
fn is_imdb_id(value: &str) -> bool {
    value.strip_prefix("tt").is_some_and(is_number)
}

fn is_number(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

#[async_trait]
impl Provider for Tmdb {
    fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    async fn check(&self) -> Result<(), ProviderError> {
        // TMDB's own "is this key valid" call: answers for v3 keys and v4 tokens alike.
        match self.client.get(&["authentication"], &[]).await? {
            Some(_) => Ok(()),
            None => Err(ProviderError::Upstream {
                status: Some(404),
                message: format!(
                    "{} has no /authentication; is base_url TMDB's API (…/3)?",
                    self.config.base_url
                ),
            }),
        }
    }

    async fn search(&self, query: &str) -> Result<Vec<ShowIdentity>, ProviderError> {
        let hits = self.search_tv(query, None).await?;
        Ok(facts::of_hits(&hits, &self.context()))
    }

    fn fetch(&self, scope: Scope) -> FactStream<'_> {
        match scope {
            Scope::Show(query) => stream::once(self.show_facts(query))
                .flat_map(stream::iter)
                .boxed(),
            other => stream::once(async move {
                Err(ProviderError::config(
                    "scope",
                    format!(
                        "TMDB is read show by show; {:?} is not supported",
                        other.kind()
                    ),
                ))
            })
            .boxed(),
        }
    }
}
