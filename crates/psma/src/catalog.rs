//! The catalog's wiring: the import format (the manual-import plugin) behind the core's parser
//! port, the contract schemas, and the bundled demo catalog.

use anyhow::Context;
use chrono::{DateTime, Utc};
use psma_api::openapi::ContractSchema;
use psma_core::catalog::Ingestion;
use psma_core::catalog::ports::{ImportFormat, ImportParser, ImportProblem, ParsedImport};
use psma_core::tenancy::SystemCtx;
use psma_plugin_manual_import::{FileFormat, ManualImportFactory};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{PluginDeps, Provider, ProviderFactory, ServiceRegistry};
use std::sync::Arc;

/// The manual-import plugin's reader as the core's [`ImportParser`].
pub struct ManualImportParser {
    services: Arc<ServiceRegistry>,
}

impl ManualImportParser {
    /// A parser checking service ids against `services`.
    #[must_use]
    pub fn new(services: Arc<ServiceRegistry>) -> Self {
        Self { services }
    }
}

impl ImportParser for ManualImportParser {
    fn parse(
        &self,
        body: &[u8],
        format: ImportFormat,
        source_id: Option<&SourceId>,
        now: DateTime<Utc>,
    ) -> Result<ParsedImport, Vec<ImportProblem>> {
        let format = match format {
            ImportFormat::Json => FileFormat::Json,
            ImportFormat::Csv => FileFormat::Csv,
        };
        psma_plugin_manual_import::parse(body, format, source_id, now, &self.services)
            .map(|imported| ParsedImport {
                source_id: imported.source_id,
                facts: imported.facts,
            })
            .map_err(|problems| {
                problems
                    .into_iter()
                    .map(|p| ImportProblem {
                        location: p.location,
                        field: p.field,
                        message: p.message,
                    })
                    .collect()
            })
    }
}

/// The JSON Schemas under `contracts/jsonschema/`, by file name.
#[must_use]
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    use psma_plugin_sdk::contract;
    [
        (
            "advice.v1.schema.json",
            psma_core::advice::contract::advice_schema(),
        ),
        (
            "import.v1.schema.json",
            psma_plugin_manual_import::import_schema(),
        ),
        ("provider-facts.v1.schema.json", contract::fact_schema()),
        (
            "provider-spec.v1.schema.json",
            contract::provider_spec_schema(),
        ),
        (
            "service-registry.v1.schema.json",
            contract::service_registry_schema(),
        ),
    ]
    .into_iter()
    // The façade's request and response: the OpenAPI document's components, standalone (always
    // objects; a missing one would be written as `false`, which no request passes).
    .chain(
        psma_api::openapi::plan_facade_json_schemas()
            .into_iter()
            .map(|(name, schema)| (name, schema.try_into().unwrap_or(false.into()))),
    )
    .collect()
}

/// The contract schemas the OpenAPI document embeds besides `Fact`.
#[must_use]
pub fn openapi_contracts() -> Vec<ContractSchema> {
    vec![ContractSchema {
        name: "ImportDocument",
        schema: psma_plugin_manual_import::import_schema().to_value(),
    }]
}

/// The OpenAPI document of this build.
#[must_use]
pub fn openapi_document() -> serde_json::Value {
    psma_api::openapi::document(&openapi_contracts())
}

/// The bundled demo catalog: a `demo` source, and a second listing (`demo_listings`) that
/// disagrees with it about a few shows.
const DEMO: [(&str, &str, &str); 2] = [
    (
        "demo",
        "PSMA demo catalog",
        include_str!("../../../config/demo/catalog.json"),
    ),
    (
        "demo_listings",
        "PSMA demo listings",
        include_str!("../../../config/demo/listings.json"),
    ),
];

/// Providers for the demo catalog: manual imports of the bundled files.
///
/// # Errors
/// If a bundled file's configuration is refused (a test rules that out).
pub fn demo_providers(deps: &PluginDeps) -> anyhow::Result<Vec<Arc<dyn Provider>>> {
    DEMO.iter()
        .map(|(id, name, content)| {
            let config = serde_json::json!({
                "content": content,
                "source_id": id,
                "display_name": name,
                "attribution": "Invented data bundled with PSMA for trying it out; not real listings.",
            });
            ManualImportFactory
                .build(&config, deps.clone())
                .with_context(|| format!("the bundled demo source `{id}`"))
        })
        .collect()
}

/// Loads the demo catalog into the shared catalog when it is empty: a refresh of the bundled
/// demo sources, in a system context (the binary's start is an entry point like a job). The
/// shows it created, or `None` when the catalog had data already and nothing was loaded.
///
/// # Errors
/// When a demo source is refused or the store fails.
pub async fn load_demo(ingestion: &Ingestion, deps: &PluginDeps) -> anyhow::Result<Option<u64>> {
    let system = SystemCtx::establish("demo catalog");
    let providers = demo_providers(deps)?;
    let runs = ingestion.seed(&system, &providers).await?;
    for run in &runs {
        tracing::info!(
            source = %run.source_id,
            shows = run.counts.shows_created,
            facts = run.counts.new,
            conflicts = run.counts.conflicts_opened,
            "loaded the demo catalog"
        );
    }
    Ok((!runs.is_empty()).then(|| runs.iter().map(|run| run.counts.shows_created).sum()))
}
