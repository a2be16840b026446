//! A job may carry a unique key: while one job with that key is queued or running, enqueueing
//! another returns the first. A refresh requested while one runs for the same provider is so
//! not run twice; the partial unique index makes it hold across worker processes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    UniqueKey,
}

const INDEX: &str = "CREATE UNIQUE INDEX jobs_unique_key_live ON jobs (unique_key) \
    WHERE unique_key IS NOT NULL AND status IN ('queued', 'running')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .add_column(ColumnDef::new(Jobs::UniqueKey).text().null())
                    .to_owned(),
            )
            .await?;
        // The same partial index in both dialects.
        manager.get_connection().execute_unprepared(INDEX).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX jobs_unique_key_live")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .drop_column(Jobs::UniqueKey)
                    .to_owned(),
            )
            .await
    }
}
