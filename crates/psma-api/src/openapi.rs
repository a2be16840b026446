//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types they use,
//! with the contract schemas (facts, import documents) embedded from their JSON Schemas.
//! `psma openapi` writes it to `contracts/openapi/psma.v1.json`; CI fails when that is stale.

use serde_json::{Map, Value, json};
use std::borrow::Cow;
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{OpenApi, PartialSchema, ToSchema};

mod standalone;

pub use standalone::plan_facade_json_schemas;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PSMA API",
        description = "Plan streaming subscriptions around the shows you want. Errors are \
                       application/problem+json (RFC 9457) with a stable `type`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        crate::routes::health::get,
        crate::routes::plan_facade::generate::handle,
        crate::routes::ready::get,
        crate::routes::metrics::get,
        crate::routes::auth::login::handle,
        crate::routes::auth::refresh::handle,
        crate::routes::auth::logout::handle,
        crate::routes::auth::jwks::handle,
        crate::routes::auth::oauth::start::handle,
        crate::routes::auth::oauth::callback::handle,
        crate::routes::auth::password_reset::handle,
        crate::routes::invitations::create::handle,
        crate::routes::invitations::accept::handle,
        crate::routes::users::password_reset::handle,
        crate::routes::users::list::handle,
        crate::routes::users::delete::handle,
        crate::routes::users::restore::handle,
        crate::routes::users::roles::handle,
        crate::routes::roles::list::handle,
        crate::routes::roles::create::handle,
        crate::routes::roles::get::handle,
        crate::routes::roles::update::handle,
        crate::routes::roles::delete::handle,
        crate::routes::trash::purge::handle,
        crate::routes::admin::tenants::list::handle,
        crate::routes::admin::tenants::create::handle,
        crate::routes::me::get::handle,
        crate::routes::me::patch::handle,
        crate::routes::me::password::handle,
        crate::routes::imports::create::handle,
        crate::routes::shows::list::handle,
        crate::routes::shows::add::handle,
        crate::routes::my_shows::list::handle,
        crate::routes::my_shows::put::handle,
        crate::routes::my_shows::delete::handle,
        crate::routes::my_shows::restore::handle,
        crate::routes::my_services::list::handle,
        crate::routes::my_services::put::handle,
        crate::routes::my_services::delete::handle,
        crate::routes::my_services::restore::handle,
        crate::routes::settings::get::handle,
        crate::routes::settings::put::handle,
        crate::routes::plans::create::handle,
        crate::routes::plans::current::handle,
        crate::routes::plans::get::handle,
        crate::routes::plans::delta::handle,
        crate::routes::advice::list::handle,
        crate::routes::advice::confirm::handle,
        crate::routes::advice::decline::handle,
        crate::routes::advice::answer::handle,
        crate::routes::audit::list::handle,
        crate::routes::events::stream::handle,
        crate::routes::reminders::upcoming::handle,
        crate::routes::calendar::token::handle,
        crate::routes::calendar::feed::handle,
        crate::routes::shows::get::handle,
        crate::routes::services::list::handle,
        crate::routes::changes::list::handle,
        crate::routes::conflicts::list::handle,
        crate::routes::conflicts::get::handle,
        crate::routes::conflicts::resolve::handle,
        crate::routes::conflicts::defer::handle,
        crate::routes::jobs::get::handle,
        crate::routes::providers::list::handle,
        crate::routes::providers::search::handle,
        crate::routes::catalog::refresh::handle,
        crate::routes::refresh_runs::list::handle,
    ),
    components(schemas(crate::problem::Problem, crate::problem::FieldError)),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Hosted mode's sign-in: password sign-in, sign-in through identity providers, refresh, sign-out, the public keys"),
        (name = "account", description = "The caller's tenant and profile; the household's members, roles and trash"),
        (name = "admin", description = "The platform operator's: every household on the server"),
        (name = "catalog", description = "Shows, where to watch them, services, imports and changes"),
        (name = "conflicts", description = "Disagreements between sources, and decisions on them"),
        (name = "operations", description = "Health, readiness, metrics and jobs"),
        (name = "planning", description = "My Shows, My Services, settings and plans"),
        (name = "advice", description = "Advice on the plan: confirm, decline, answer; nothing changes until you do"),
        (name = "audit", description = "The household's audit log"),
    )
)]
struct ApiDoc;

/// The `bearer` security scheme every operation needs unless it says `security(())`.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Hosted mode (`auth.mode = \"jwt\"`): an access token from \
                         `POST /api/v1/auth/login`. Local mode needs none.",
                    ))
                    .build(),
            ),
        );
        // Every operation that needs the token can answer 401 without one and 429 over its
        // household's rate limit (hosted mode); saying so once here keeps the routes short.
        let problem = || {
            utoipa::openapi::ResponseBuilder::new().content(
                crate::problem::CONTENT_TYPE,
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if operation.security.is_some() {
                    continue;
                }
                let responses = &mut operation.responses.responses;
                responses.entry("401".to_owned()).or_insert_with(|| {
                    problem()
                        .description("Hosted mode: the access token is missing, invalid or expired")
                        .build()
                        .into()
                });
                responses.entry("429".to_owned()).or_insert_with(|| {
                    problem()
                        .description(
                            "Hosted mode: too many requests; Retry-After says when to retry",
                        )
                        .build()
                        .into()
                });
            }
        }
    }
}

/// A JSON Schema from the contracts (with its `$defs`), embedded under `components.schemas`.
#[derive(Debug, Clone)]
pub struct ContractSchema {
    /// The component name (`ImportDocument`).
    pub name: &'static str,
    /// The schema, as generated into `contracts/jsonschema/`.
    pub schema: Value,
}

/// Stands for the `ImportDocument` component in request bodies: the schema itself is the
/// import contract, embedded by [`document`].
pub(crate) struct ImportDocumentRef;

impl PartialSchema for ImportDocumentRef {
    fn schema() -> RefOr<Schema> {
        RefOr::Ref(Ref::from_schema_name("ImportDocument"))
    }
}

impl ToSchema for ImportDocumentRef {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ImportDocument")
    }
}

/// The `Fact` component, for fields holding a provider's fact.
pub(crate) fn fact_schema() -> Ref {
    Ref::from_schema_name("Fact")
}

/// A service id of the registry: the schema lists them all, so a request naming another is
/// schema-invalid rather than refused later.
pub(crate) fn registry_service_id() -> utoipa::openapi::schema::Object {
    let ids: Vec<String> = psma_plugin_sdk::ServiceRegistry::bundled()
        .map(|r| r.ids().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(ids))
        .description(Some("A service id from the service registry"))
        .build()
}

/// A list of permission names (`resource:action`): the schema lists them all (household
/// permissions only, as custom roles take), so naming another is schema-invalid.
pub(crate) fn permission_list() -> utoipa::openapi::schema::Array {
    let names: Vec<String> = psma_core::access::Permission::ALL
        .into_iter()
        .filter(|p| !p.is_platform())
        .map(|p| p.to_string())
        .collect();
    let count = names.len();
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .enum_values(Some(names)),
        )
        .max_items(Some(count))
        .description(Some("Permissions as `resource:action`"))
        .build()
}

/// [`permission_list`], or `null` (a `PATCH` field left as it is).
pub(crate) fn permission_list_or_null() -> Schema {
    Schema::OneOf(
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(permission_list())
            .item(
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Null),
            )
            .build(),
    )
}

/// A list of role names to invite with (none: `member`).
pub(crate) fn role_list() -> utoipa::openapi::schema::Array {
    role_names(0)
}

/// A member's roles: at least one.
pub(crate) fn assigned_roles() -> utoipa::openapi::schema::Array {
    role_names(1)
}

fn role_names(min: usize) -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(role_name())
        .min_items(Some(min))
        .max_items(Some(psma_core::accounts::roles::MAX_ROLES))
        .description(Some("Role names: system roles (`owner`, `admin`, `member`, `viewer`) or the household's custom roles"))
        .build()
}

/// One role name.
pub(crate) fn role_name() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(psma_core::access::Role::PATTERN))
        .max_length(Some(psma_core::access::Role::MAX_CHARS))
        .build()
}

/// The OpenAPI document of this build, with `extra` contract schemas embedded besides `Fact`.
#[must_use]
pub fn document(extra: &[ContractSchema]) -> Value {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    let mut doc = serde_json::to_value(doc).unwrap_or(Value::Null);
    let fact = ContractSchema {
        name: "Fact",
        schema: psma_plugin_sdk::contract::fact_schema().to_value(),
    };
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for contract in std::iter::once(&fact).chain(extra) {
            embed(schemas, contract);
        }
        exactly_one_of(
            schemas,
            "ResolveConflictBody",
            &["fact_id", "value", "same_show"],
        );
        crate::routes::plan_facade::generate::state_input_values(schemas);
        present_needs(schemas, "MyServiceBody", "monthly_price", "currency");
    }
    doc
}

/// The document as pretty-printed JSON with a trailing newline, exactly as committed.
///
/// # Errors
/// Only if serialisation fails, which would be a bug in a schema type.
pub fn document_json(extra: &[ContractSchema]) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&document(extra))?;
    text.push('\n');
    Ok(text)
}

/// Moves a contract schema and its `$defs` into the components, pointing its references there.
fn embed(schemas: &mut Map<String, Value>, contract: &ContractSchema) {
    let mut schema = contract.schema.clone();
    let defs = schema
        .as_object_mut()
        .map(|o| {
            o.remove("$schema");
            o.remove("$id");
            o.remove("$defs")
        })
        .unwrap_or_default();
    if let Some(Value::Object(defs)) = defs {
        for (name, mut def) in defs {
            point_refs_at_components(&mut def);
            schemas.entry(name).or_insert(def);
        }
    }
    point_refs_at_components(&mut schema);
    schemas.insert(contract.name.to_owned(), schema);
}

fn point_refs_at_components(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = v
                    && let Some(name) = target.strip_prefix("#/$defs/")
                {
                    *target = format!("#/components/schemas/{name}");
                } else {
                    point_refs_at_components(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(point_refs_at_components),
        _ => {}
    }
}

/// States in the schema a rule the handler enforces: when `field` is present and not null, so
/// is `needed` (a price needs its currency).
fn present_needs(schemas: &mut Map<String, Value>, name: &str, field: &str, needed: &str) {
    if let Some(Value::Object(schema)) = schemas.get_mut(name) {
        schema.insert(
            "anyOf".to_owned(),
            json!([
                { "not": { "required": [field] } },
                { "properties": { field: { "type": "null" } } },
                { "required": [needed], "properties": { needed: { "not": { "type": "null" } } } }
            ]),
        );
    }
}

/// States in the schema a rule the handler enforces: exactly one of `members` is present.
fn exactly_one_of(schemas: &mut Map<String, Value>, name: &str, members: &[&str]) {
    if let Some(Value::Object(schema)) = schemas.get_mut(name) {
        let one_of: Vec<Value> = members
            .iter()
            .map(|m| {
                // The member is present and not null; the others are absent or null.
                let mut properties: Map<String, Value> = members
                    .iter()
                    .filter(|o| *o != m)
                    .map(|o| ((*o).to_owned(), json!({"type": "null"})))
                    .collect();
                properties.insert((*m).to_owned(), json!({"not": {"type": "null"}}));
                json!({ "required": [m], "properties": properties })
            })
            .collect();
        schema.insert("oneOf".to_owned(), Value::Array(one_of));
    }
}
