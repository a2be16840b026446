//! Throwaway databases for benchmark runs: a SQLite file in the run's directory, or a new
//! database on the `cargo xtask pg` server, dropped afterwards.

use std::path::Path;
use std::process::{self, Command};

use anyhow::{Context, Result, bail};

use crate::pg;

const PSQL: &str = "/usr/bin/psql";
/// The role `psma` runs as on PostgreSQL: no superuser, no `BYPASSRLS`, as in production.
const APP_ROLE: &str = "psma_bench_app";

/// Which backend the runs use.
pub enum Backend {
    Sqlite,
    /// The `cargo xtask pg` server's superuser URL, and whether this benchmark started it.
    Postgres {
        admin_url: String,
        started: bool,
    },
}

impl Backend {
    /// SQLite, or PostgreSQL on the `cargo xtask pg` server (started when not running).
    pub fn choose(postgres: bool) -> Result<Self> {
        if !postgres {
            return Ok(Self::Sqlite);
        }
        let started = pg::running()?.is_none();
        let server = pg::start()?;
        Ok(Self::Postgres {
            admin_url: server.url,
            started,
        })
    }

    pub const fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Stops the PostgreSQL server if this benchmark started it.
    pub fn finish(self) -> Result<()> {
        if let Self::Postgres { started: true, .. } = self {
            pg::stop()?;
        }
        Ok(())
    }

    /// A new, empty database for run `run`; its files (SQLite) live in `dir`.
    pub fn database(&self, dir: &Path, run: u32) -> Result<Scratch> {
        match self {
            Self::Sqlite => Ok(Scratch {
                owner_url: None,
                env: vec![(
                    "PSMA_DATABASE__URL",
                    format!("sqlite://{}?mode=rwc", dir.join("psma.db").display()),
                )],
                drop: None,
            }),
            Self::Postgres { admin_url, .. } => {
                let name = format!("psma_bench_{}_{run}", process::id());
                psql(
                    admin_url,
                    &format!(
                        "DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; \
                         EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                    ),
                )?;
                psql(admin_url, &format!("CREATE DATABASE {name}"))?;
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(base, _)| base);
                let owner_url = format!("{base}/{name}");
                // As deploy/postgres/init.sql sets it up: the owner migrates, the app role gets
                // DML on what the owner creates and is subject to row-level security.
                psql(
                    &owner_url,
                    &format!(
                        "GRANT USAGE ON SCHEMA public TO {APP_ROLE}; \
                         ALTER DEFAULT PRIVILEGES IN SCHEMA public \
                           GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}; \
                         ALTER DEFAULT PRIVILEGES IN SCHEMA public \
                           GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};"
                    ),
                )?;
                let app_url = owner_url.replacen("://postgres@", &format!("://{APP_ROLE}@"), 1);
                if app_url == owner_url {
                    bail!("cannot make the app role's URL from {owner_url}");
                }
                Ok(Scratch {
                    owner_url: Some(owner_url.clone()),
                    env: vec![
                        ("PSMA_DATABASE__URL", app_url),
                        ("PSMA_DATABASE__MIGRATION_URL", owner_url),
                        ("PSMA_DATABASE__MIGRATE_ON_START", "true".to_owned()),
                    ],
                    drop: Some((admin_url.clone(), name)),
                })
            }
        }
    }
}

/// One run's database: the variables that point `psma` at it. Dropped (PostgreSQL) with it.
pub struct Scratch {
    pub env: Vec<(&'static str, String)>,
    /// PostgreSQL: the schema owner's URL.
    owner_url: Option<String>,
    drop: Option<(String, String)>,
}

impl Scratch {
    /// Brings the database to the state a catalog settles into after a bulk import: on
    /// PostgreSQL, vacuumed and analysed, as autovacuum would soon do by itself. Without it,
    /// autovacuum starts on the freshly written tables in the middle of a measurement and
    /// takes one of the machine's two cores.
    pub fn settle(&self) -> Result<()> {
        match &self.owner_url {
            Some(url) => psql(url, "VACUUM (ANALYZE)"),
            None => Ok(()),
        }
    }

    /// Keeps the database after the run (to profile it), printing how to point `psma` at it.
    pub fn keep(&mut self) {
        self.drop = None;
        let env: Vec<String> = self.env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        eprintln!("bench: kept the database: {}", env.join(" "));
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.drop.take()
            && let Err(error) = psql(&admin_url, &format!("DROP DATABASE {name} WITH (FORCE)"))
        {
            eprintln!("bench: could not drop database {name}: {error:#}");
        }
    }
}

fn psql(url: &str, sql: &str) -> Result<()> {
    let output = Command::new(PSQL)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .output()
        .with_context(|| format!("running {PSQL}"))?;
    if !output.status.success() {
        bail!(
            "psql `{sql}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}
