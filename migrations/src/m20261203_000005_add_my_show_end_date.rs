//! A member's own end date on a My Shows selection (`my_shows.end_date`): the last day they
//! need the show, their answer to the plan's question `show:<id>:end_date`. Nullable: the
//! planner assumes an end only where neither the schedule, the availability window nor this
//! says one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MyShows {
    Table,
    EndDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MyShows::Table)
                    .add_column(ColumnDef::new(MyShows::EndDate).date().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MyShows::Table)
                    .drop_column(MyShows::EndDate)
                    .to_owned(),
            )
            .await
    }
}
