//! The spawn-the-app harness: a fresh database per test, the real wiring, a random port.

mod database;

pub use database::{Backend, TestDatabase};

use psma::Settings;
use std::sync::Once;

/// Runs the test body once per backend, as `NAME::sqlite` and `NAME::postgres`. The PostgreSQL
/// variant needs `PSMA_TEST_DATABASE_URL` (`cargo xtask ci` sets it); without it the test says
/// so and passes, unless `PSMA_TEST_REQUIRE_POSTGRES=1`, which CI sets.
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block) => {
        mod $name {
            use super::*;

            async fn scenario($backend: $crate::support::Backend) $body

            #[tokio::test]
            async fn sqlite() {
                scenario($crate::support::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                if $crate::support::Backend::postgres_available() {
                    scenario($crate::support::Backend::Postgres).await;
                }
            }
        }
    };
}
pub(crate) use on_both_backends;

/// A running PSMA on a random port, with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// A client without redirects followed.
    pub client: reqwest::Client,
    /// The app's database.
    pub db: TestDatabase,
}

impl TestApp {
    /// The default configuration on `backend`.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns with `tweak` applied to the test settings.
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Self {
        init_once();
        let db = TestDatabase::create(backend).await;
        let mut settings = db.settings();
        tweak(&mut settings);
        let app = psma::Application::build(settings)
            .await
            .expect("the app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address,
            client,
            db,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap()
    }

    /// `PATCH path` with a JSON body.
    pub async fn patch_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .patch(format!("{}{path}", self.address))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/v1/imports{query}` with a JSON document; the summary, or panics with the body.
    pub async fn import_json(
        &self,
        query: &str,
        document: &serde_json::Value,
    ) -> serde_json::Value {
        let res = self
            .post_json(&format!("/api/v1/imports{query}"), document)
            .await;
        let status = res.status();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 200, "import failed: {body:#}");
        body
    }

    /// `GET path`, expecting 200, as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        let status = res.status();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body:#}");
        body
    }

    /// A request builder for anything else.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }
}

/// An HTTP client that follows no redirects (the crypto provider installed first).
pub fn http_client() -> reqwest::Client {
    init_once();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn init_once() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // reqwest is built without a default crypto provider (see STACK.md); tests use plain
        // HTTP, but a provider must exist for the client to build.
        let _ = rustls::crypto::ring::default_provider().install_default();
        if std::env::var_os("TEST_LOG").is_some() {
            let settings = Settings::load(None).expect("default settings load");
            psma::telemetry::init(&settings.telemetry);
        }
    });
}

/// Reads a problem+json response, checking its media type and status.
pub async fn problem(res: reqwest::Response, status: u16) -> serde_json::Value {
    let got = res.status().as_u16();
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "unexpected status: {text}");
    assert_eq!(content_type, "application/problem+json");
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    for member in ["type", "title", "status", "detail", "instance"] {
        assert!(
            body.get(member).is_some(),
            "problem lacks `{member}`: {body}"
        );
    }
    assert_eq!(body["status"], status);
    body
}

/// How many migrations this build has.
pub fn migration_count() -> usize {
    use psma_migrations::MigratorTrait;
    psma_migrations::Migrator::migrations().len()
}

/// The newest migration's name.
pub fn newest_migration() -> String {
    use psma_migrations::MigratorTrait;
    psma_migrations::Migrator::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .unwrap()
}

/// How many migrations undo `name` and everything after it.
pub fn migrations_down_to(name: &str) -> u32 {
    use psma_migrations::MigratorTrait;
    let names: Vec<String> = psma_migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let at = names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no migration {name}"));
    u32::try_from(names.len() - at).unwrap()
}

/// The actions of the audit log, in order (read as the owner, past row-level security).
pub async fn audit_actions(app: &TestApp) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let owner = app.db.owner().await;
    owner
        .query_all_raw(Statement::from_string(
            owner.get_database_backend(),
            "SELECT action FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "action").unwrap())
        .collect()
}

/// A plugin's recorded upstream response (`plugins/<plugin>/tests/fixtures/<name>`), served by
/// the tests' mock servers.
pub fn plugin_fixture(plugin: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../plugins/{plugin}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A new household (tenant) named `name` with its owner, straight through the store: its ids.
pub async fn provision(
    store: &psma_store::Store,
    name: &str,
) -> (psma_core::tenancy::TenantId, psma_core::tenancy::UserId) {
    use psma_core::accounts::{DisplayName, NewTenant, NewUser, TenantProvisioning};
    use psma_core::tenancy::{Role, TenantId, UserId};
    let (tenant, owner) = (TenantId::generate(), UserId::generate());
    store
        .ensure_tenant(
            &NewTenant {
                id: tenant,
                name: name.into(),
            },
            &NewUser {
                id: owner,
                email: format!("owner@{name}.test"),
                display_name: DisplayName::parse(name).unwrap(),
                roles: vec![Role::OWNER],
            },
        )
        .await
        .unwrap();
    (tenant, owner)
}

/// As [`provision`]: the owner's context.
pub async fn household(store: &psma_store::Store, name: &str) -> psma_core::tenancy::TenantCtx {
    use psma_core::tenancy::{Role, TenantCtx};
    let (tenant, owner) = provision(store, name).await;
    TenantCtx::establish(
        tenant,
        Some(owner),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    )
}
