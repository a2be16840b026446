//! `analyze_catalog()`, PostgreSQL only: refreshes the planner's statistics of the catalog's
//! large tables. The app role may not `ANALYZE` tables it does not own (PostgreSQL 17's
//! `MAINTAIN` privilege would allow it, and `CLUSTER`, `REINDEX` and `LOCK TABLE` besides), so
//! the owner lends it this one thing: the function runs as its owner (`SECURITY DEFINER`, with
//! a fixed `search_path`). An ingest run that wrote many facts calls it before committing
//! (ADR 0039).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = "
CREATE FUNCTION analyze_catalog() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$ BEGIN ANALYZE facts, shows, show_external_ids; END $$;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(UP)
            .await
            .map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("DROP FUNCTION IF EXISTS analyze_catalog()")
            .await
            .map(drop)
    }
}
