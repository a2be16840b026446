//! A fresh database per test: a SQLite file in a temporary directory, or a PostgreSQL database
//! created for the test (migrated by the owner role, used by a role without BYPASSRLS) and
//! dropped afterwards.

use psma::Settings;
use psma_store::DatabaseUrl;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tempfile::TempDir;

/// The role the application connects as on PostgreSQL: no superuser, no BYPASSRLS.
pub const APP_ROLE: &str = "psma_app";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Whether PostgreSQL tests can run; panics when CI requires them and they cannot.
    pub fn postgres_available() -> bool {
        if std::env::var_os("PSMA_TEST_DATABASE_URL").is_some() {
            return true;
        }
        assert!(
            std::env::var("PSMA_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "PSMA_TEST_REQUIRE_POSTGRES=1 but PSMA_TEST_DATABASE_URL is not set"
        );
        eprintln!("PostgreSQL variant not run: set PSMA_TEST_DATABASE_URL (cargo xtask pg start)");
        false
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub backend: Backend,
    /// What the app connects with (the unprivileged role on PostgreSQL).
    pub app_url: String,
    /// The owner / superuser connection, for migrations and for looking behind the app's back.
    pub owner_url: String,
    _dir: Option<TempDir>,
    pg: Option<PgCleanup>,
}

struct PgCleanup {
    server_url: String,
    name: String,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}/psma.db?mode=rwc", dir.path().display());
                Self {
                    backend,
                    app_url: url.clone(),
                    owner_url: url,
                    _dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => create_postgres().await,
        }
    }

    /// Test settings: the embedded defaults pointed at this database and a random port.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::load(None).expect("default settings load");
        settings.server.bind = "127.0.0.1:0".into();
        settings.server.workers = 1;
        settings.server.shutdown_timeout_secs = 1;
        settings.database.url = Some(DatabaseUrl::new(self.app_url.clone()));
        settings.database.migration_url = Some(DatabaseUrl::new(self.owner_url.clone()));
        settings.database.migrate_on_start = Some(true);
        settings.database.max_connections = 5;
        settings.worker.poll_interval_ms = 50;
        // Tests load what they need; the demo catalog has a test of its own.
        settings.catalog.load_demo = Some(false);
        settings
    }

    /// A connection as the owner (superuser on PostgreSQL): sees every row.
    pub async fn owner(&self) -> DatabaseConnection {
        Database::connect(self.owner_url.clone()).await.unwrap()
    }

    /// A connection as the application role (subject to row-level security on PostgreSQL).
    pub async fn app_connection(&self) -> DatabaseConnection {
        Database::connect(self.app_url.clone()).await.unwrap()
    }

    /// A new database on `backend`, migrated by the owner, and the app's store on it.
    pub async fn migrated(backend: Backend) -> (Self, psma_store::Store) {
        let db = Self::create(backend).await;
        let owner = db.owner_store().await;
        owner.migrate_up().await.unwrap();
        owner.close().await;
        let store = db.store().await;
        (db, store)
    }

    /// A store as the application sees it.
    pub async fn store(&self) -> psma_store::Store {
        psma_store::Store::connect(
            &DatabaseUrl::new(self.app_url.clone()),
            5,
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap()
    }

    /// A store on the owner connection (for migrations).
    pub async fn owner_store(&self) -> psma_store::Store {
        psma_store::Store::connect(
            &DatabaseUrl::new(self.owner_url.clone()),
            1,
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap()
    }

    /// Drops a PostgreSQL test database now (to test an unreachable database).
    pub fn drop_now(&mut self) {
        if let Some(pg) = self.pg.take() {
            pg.drop_database();
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.drop_now();
    }
}

async fn create_postgres() -> TestDatabase {
    let server_url = std::env::var("PSMA_TEST_DATABASE_URL").unwrap();
    let name = format!("psma_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(server_url.clone()).await.unwrap();
    // Roles are cluster-wide and tests run in parallel: tolerate a concurrent creation.
    admin
        .execute_unprepared(&format!(
            "DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        ))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.unwrap();

    let owner_url = with_database(&server_url, &name, None);
    let owner = Database::connect(owner_url.clone()).await.unwrap();
    // The documented production set-up: the owner runs migrations; the app role gets DML on
    // whatever the owner creates, and nothing else.
    owner
        .execute_unprepared(&format!(
            "GRANT USAGE ON SCHEMA public TO {APP_ROLE}; \
             ALTER DEFAULT PRIVILEGES IN SCHEMA public \
               GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}; \
             ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};"
        ))
        .await
        .unwrap();
    owner.close().await.unwrap();
    TestDatabase {
        backend: Backend::Postgres,
        app_url: with_database(&server_url, &name, Some(APP_ROLE)),
        owner_url,
        _dir: None,
        pg: Some(PgCleanup { server_url, name }),
    }
}

fn with_database(server_url: &str, name: &str, user: Option<&str>) -> String {
    let mut url = url::Url::parse(server_url).unwrap();
    url.set_path(&format!("/{name}"));
    if let Some(user) = user {
        url.set_username(user).unwrap();
        url.set_password(None).unwrap();
    }
    url.to_string()
}

impl PgCleanup {
    /// Drop runs outside any async context, so it gets a runtime of its own on a thread.
    fn drop_database(self) {
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) = Database::connect(self.server_url.clone()).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                            self.name
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}
