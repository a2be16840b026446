//! Opening the database and running migrations.

use crate::catalog::{ShowOrder, ShowPages};
use crate::error::StoreError;
use crate::settings::DatabaseUrl;
use psma_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

/// The page size of a new SQLite file.
const PAGE_BYTES: u32 = 16 * 1024;
/// How much of a SQLite file is memory-mapped.
const MMAP_BYTES: u64 = 1 << 30;
/// The most a SQLite connection's page cache may hold, in KiB (SQLite's default is 2 MiB).
const PAGE_CACHE_KIB: u64 = 256 * 1024;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one file (or memory), single machine.
    Sqlite,
    /// PostgreSQL: hosted, many processes, row-level security.
    Postgres,
}

impl Backend {
    /// The backend `url` names.
    ///
    /// # Errors
    /// [`StoreError::UnsupportedUrl`] for any other scheme.
    pub fn of(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let raw = url.expose();
        if raw.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.masked()))
        }
    }
}

/// The database, opened: implements the core's persistence ports.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: Backend,
    /// The shared shows' title order, shared by the clones of this store.
    pub(crate) show_order: Arc<ShowOrder>,
    /// Pages of the show list, shared by the clones of this store.
    pub(crate) show_pages: Arc<ShowPages>,
}

impl Store {
    /// Opens a pool on `url`. A SQLite file (and its directory) is created when missing, in WAL
    /// mode with foreign keys enforced; `sqlite::memory:` gets a single connection, since each
    /// in-memory connection would otherwise be a database of its own.
    ///
    /// # Errors
    /// [`StoreError::UnsupportedUrl`], [`StoreError::DataDir`] or [`StoreError::Connect`].
    pub async fn connect(
        url: &DatabaseUrl,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Self, StoreError> {
        let backend = Backend::of(url)?;
        let raw = url.expose();
        let memory = raw.contains(":memory:") || raw.contains("mode=memory");
        if backend == Backend::Sqlite && !memory {
            create_parent_dir(raw)?;
        }
        let mut options = ConnectOptions::new(raw.to_owned());
        options
            .max_connections(if memory { 1 } else { max_connections.max(1) })
            .min_connections(if memory { 1 } else { 0 })
            .acquire_timeout(acquire_timeout)
            .connect_timeout(acquire_timeout)
            .sqlx_logging(false);
        if memory {
            options
                .idle_timeout(None::<Duration>)
                .max_lifetime(None::<Duration>);
        }
        options.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.create_if_missing(true)
                // 16 KiB pages for a new file (an existing one keeps its own): a page holds
                // some 30 facts instead of 7, so a large import splits and writes a quarter as
                // many pages (measured: the bare insert of 1M stored facts, 10.5-11 s with
                // 4 KiB pages, 7.5-9 s with 16 KiB). Set before anything else touches the file.
                .page_size(PAGE_BYTES)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // Pages are read through a memory map instead of a read() call each: a re-import
                // reads a source's every live fact back in key order, a random walk over the
                // table (measured: 3.1 s → 1.8 s for 1M facts). Address space, not memory: the
                // kernel shares and evicts the pages.
                .pragma("mmap_size", MMAP_BYTES.to_string())
                // A large write keeps the index pages it touches in memory instead of spilling
                // them to the WAL and reading them back: a 1M-fact import inserts into four
                // indexes at scattered places (its keys are hashes), and with the default
                // 2 MiB most inserts missed (measured with the same rows: 22 s → 16 s). The
                // cache grows only as pages are written; reads come through the memory map.
                .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"))
                // Statement journals (the pages a statement changed, kept until it ends so it
                // can be undone alone inside its transaction) in memory, not in temporary
                // files: a bulk insert of 2,000 facts wrote a few MB of them, and for a
                // million facts the file writes were a tenth of the import's time.
                .pragma("temp_store", "memory")
        });
        let db = Database::connect(options)
            .await
            .map_err(|source| StoreError::Connect {
                url: url.masked(),
                source,
            })?;
        Ok(Self {
            db,
            backend,
            show_order: Arc::default(),
            show_pages: Arc::default(),
        })
    }

    /// Which engine this store runs on.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn db_backend(&self) -> DbBackend {
        match self.backend {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        }
    }

    /// Applies every pending migration.
    ///
    /// # Errors
    /// [`StoreError::Migrate`] naming the failing step; applied steps stay applied.
    pub async fn migrate_up(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None)
            .await
            .map_err(StoreError::Migrate)
    }

    /// Reverts `steps` migrations (all of them when `None`).
    ///
    /// # Errors
    /// [`StoreError::Migrate`] naming the failing step.
    pub async fn migrate_down(&self, steps: Option<u32>) -> Result<(), StoreError> {
        Migrator::down(&self.db, steps)
            .await
            .map_err(StoreError::Migrate)
    }

    /// Every migration this build knows, with whether the database has applied it.
    ///
    /// # Errors
    /// [`StoreError::Migrate`] when the migration table cannot be read.
    pub async fn migration_status(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let all = Migrator::get_migration_files();
        let pending: Vec<String> = Migrator::get_pending_migrations_read_only(&self.db)
            .await
            .map_err(StoreError::Migrate)?
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        Ok(all
            .iter()
            .map(|m| (m.name().to_owned(), !pending.iter().any(|p| p == m.name())))
            .collect())
    }

    /// Closes the pool, waiting for connections in use to come back.
    pub async fn close(self) {
        // Closing only fails for a pool already closed; nothing is left to do then.
        let _ = self.db.close().await;
    }
}

fn create_parent_dir(raw: &str) -> Result<(), StoreError> {
    let path = raw
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    Ok(())
}
