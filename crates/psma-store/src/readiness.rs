//! The readiness probe: the database answers and has every migration this build knows.

use crate::connect::Store;
use async_trait::async_trait;
use psma_core::ports::{Readiness, ReadinessReport};
use psma_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

#[async_trait]
impl Readiness for Store {
    async fn check(&self) -> ReadinessReport {
        let ping = self
            .db
            .query_one_raw(Statement::from_string(self.db_backend(), "SELECT 1"))
            .await;
        if let Err(err) = ping {
            tracing::warn!(error = %err, "readiness: database unreachable");
            return ReadinessReport {
                database_reachable: false,
                pending_migrations: Vec::new(),
            };
        }
        match Migrator::get_pending_migrations_read_only(&self.db).await {
            Ok(pending) => ReadinessReport {
                database_reachable: true,
                pending_migrations: pending.iter().map(|m| m.name().to_owned()).collect(),
            },
            Err(err) => {
                tracing::warn!(error = %err, "readiness: cannot read migration state");
                ReadinessReport {
                    database_reachable: false,
                    pending_migrations: Vec::new(),
                }
            }
        }
    }
}
