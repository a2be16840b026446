//! PostgreSQL extensions PSMA relies on: `vector` (pgvector) for show embeddings.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            // Creating `vector` needs a superuser unless an operator created it beforehand;
            // IF NOT EXISTS makes the pre-created case work for a non-superuser migration role.
            manager
                .get_connection()
                .execute_unprepared("CREATE EXTENSION IF NOT EXISTS vector")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP EXTENSION IF EXISTS vector")
                .await?;
        }
        Ok(())
    }
}
