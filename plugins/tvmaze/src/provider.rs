//! TVmaze as a provider: show by show, looked up by the ids PSMA knows.

use crate::api::{self, Show};
use crate::client::Client;
use crate::config::{self, Config};
use crate::facts::{self, Context};
use psma_plugin_sdk::futures_util::{StreamExt, stream};
use psma_plugin_sdk::serde_json::Value;
use psma_plugin_sdk::text::{Label, LongText, SourceId, SourceRef, Title};
use psma_plugin_sdk::{
    Attribution, Capabilities, FactKind, FactStream, PluginDeps, Provider, ProviderError,
    ProviderFactory, ProviderSpec, RateLimit, Scope, ScopeKind, ShowIdentity, ShowQuery,
    async_trait,
};
use std::sync::Arc;

/// The factory PSMA registers under `tvmaze`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TvmazeFactory;

/// The source id of TVmaze's facts.
const ID: &str = "tvmaze";

/// TVmaze's data changes slowly; refreshing more than hourly only spends its rate limit.
const MIN_REFRESH_SECS: u64 = 3600;

fn spec() -> Result<ProviderSpec, ProviderError> {
    let bad = |field: &'static str| {
        move |e: psma_plugin_sdk::text::InvalidText| ProviderError::config(field, e.0)
    };
    Ok(ProviderSpec {
        id: SourceId::parse(ID).map_err(bad("source_id"))?,
        display_name: Title::parse("TVmaze").map_err(bad("display_name"))?,
        version: Label::parse(env!("CARGO_PKG_VERSION")).map_err(bad("version"))?,
        capabilities: Capabilities {
            scopes: vec![ScopeKind::Show],
            fact_kinds: vec![
                FactKind::ShowIdentity,
                FactKind::Availability,
                FactKind::Episode,
            ],
            countries: Vec::new(),
            needs_credentials: false,
            search: true,
        },
        config_schema: config::schema(),
        attribution: Attribution {
            text: LongText::parse(
                "Show and episode data from TVmaze (tvmaze.com), licensed CC BY-SA 4.0.",
            )
            .map_err(bad("attribution"))?,
            url: Some(SourceRef::parse("https://www.tvmaze.com/api").map_err(bad("attribution"))?),
            license: Some(Label::parse("CC BY-SA 4.0").map_err(bad("attribution"))?),
        },
        min_refresh_interval_secs: MIN_REFRESH_SECS,
        // "at least 20 calls every 10 seconds per IP address" (tvmaze.com/api).
        rate_limit: Some(RateLimit {
            requests: 20,
            per_secs: 10,
        }),
    })
}

impl ProviderFactory for TvmazeFactory {
    fn id(&self) -> &'static str {
        ID
    }

    fn describe(&self) -> ProviderSpec {
        // Built from constants that satisfy their rules (the conformance test checks it).
        spec().unwrap_or_else(|e| unreachable_spec(&e))
    }

    fn build(&self, config: &Value, deps: PluginDeps) -> Result<Arc<dyn Provider>, ProviderError> {
        let config = Config::from_json(config)?;
        let client = Client::new(config.base_url.clone(), config.timeout)?;
        Ok(Arc::new(Tvmaze {
            spec: spec()?,
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
    panic!("TVmaze's spec is invalid: {err}")
}

/// One configured TVmaze.
struct Tvmaze {
    spec: ProviderSpec,
    client: Client,
    config: Config,
    deps: PluginDeps,
}

impl Tvmaze {
    /// The show `query` is about, by the first id that finds it; `None` when TVmaze does not
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
                    .find(|(ns, _)| ns.as_str() == "tvmaze")
                    .map(|(_, v)| v.to_string())
            });
        if let Some(own) = own {
            // A key that is not a TVmaze id (another source's) finds nothing here.
            return Ok(own.parse::<u64>().ok());
        }
        for namespace in ["imdb", "thetvdb"] {
            if let Some((_, value)) = query
                .external_ids
                .iter()
                .find(|(ns, _)| ns.as_str() == namespace)
            {
                let found = self
                    .show_at("/lookup/shows", &[(namespace, value.as_str())])
                    .await?;
                if let Some(show) = found {
                    return Ok(Some(show.id));
                }
            }
        }
        let Some(title) = &query.title else {
            return Ok(None);
        };
        let found = self
            .show_at("/singlesearch/shows", &[("q", title.as_str())])
            .await?;
        // A title alone is weak: with a year, TVmaze's best match must premiere within a year
        // of it, or it is a different show of the same name.
        Ok(found
            .filter(|show| match (query.year, show.premiered.as_deref()) {
                (Some(year), Some(premiered)) => premiered
                    .get(..4)
                    .and_then(|y| y.parse::<i32>().ok())
                    .is_some_and(|y| (y - year).abs() <= 1),
                _ => true,
            })
            .map(|show| show.id))
    }

    async fn show_at(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Option<Show>, ProviderError> {
        match self.client.get(path, query).await? {
            Some(body) => api::parse_show(&body).map(Some),
            None => Ok(None),
        }
    }

    async fn show_facts(
        &self,
        query: ShowQuery,
    ) -> Vec<Result<psma_plugin_sdk::Fact, ProviderError>> {
        let id = match self.find(&query).await {
            Ok(Some(id)) => id,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![Err(e)],
        };
        let show = match self
            .show_at(&format!("/shows/{id}"), &[("embed", "episodes")])
            .await
        {
            Ok(Some(show)) => show,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![Err(e)],
        };
        let ctx = Context {
            source_id: &self.spec.id,
            retrieved_at: self.deps.clock.now(),
            services: &self.deps.services,
            countries: &self.config.countries,
        };
        facts::of_show(&show, &ctx)
    }
}

#[async_trait]
impl Provider for Tvmaze {
    fn spec(&self) -> &ProviderSpec {
        &self.spec
    }

    async fn check(&self) -> Result<(), ProviderError> {
        // The smallest call that proves TVmaze answers (a 404 would still be an answer).
        self.client.get("/shows/1", &[]).await.map(|_| ())
    }

    async fn search(&self, query: &str) -> Result<Vec<ShowIdentity>, ProviderError> {
        let Some(body) = self.client.get("/search/shows", &[("q", query)]).await? else {
            return Ok(Vec::new());
        };
        let hits = api::parse_search(&body)?;
        let ctx = Context {
            source_id: &self.spec.id,
            retrieved_at: self.deps.clock.now(),
            services: &self.deps.services,
            countries: &self.config.countries,
        };
        Ok(facts::of_hits(&hits, &ctx))
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
                        "TVmaze is read show by show; {:?} is not supported",
                        other.kind()
                    ),
                ))
            })
            .boxed(),
        }
    }
}
