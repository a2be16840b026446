//! Each user's planning profile: My Shows (`my_shows`), My Services (`my_services`) and what
//! they set over the planner's defaults (`user_settings`). Tenant tables with row-level
//! security, one row per (tenant, user, thing); removal is a soft delete (`deleted_at`), so
//! putting a show or service back restores it.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum MyShows {
    Table,
    TenantId,
    UserId,
    ShowId,
    WatchMode,
    BingeDays,
    Season,
    StartAfter,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MyServices {
    Table,
    TenantId,
    UserId,
    ServiceId,
    Permanent,
    MonthlyPrice,
    Currency,
    BillingCycleDays,
    MinContractDays,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserSettings {
    Table,
    TenantId,
    UserId,
    Overrides,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

fn stamp(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn owner(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MyShows::Table)
                    .col(ColumnDef::new(MyShows::TenantId).uuid().not_null())
                    .col(ColumnDef::new(MyShows::UserId).uuid().not_null())
                    .col(ColumnDef::new(MyShows::ShowId).uuid().not_null())
                    .col(ColumnDef::new(MyShows::WatchMode).string().not_null())
                    .col(ColumnDef::new(MyShows::BingeDays).integer().not_null())
                    .col(ColumnDef::new(MyShows::Season).integer().null())
                    .col(ColumnDef::new(MyShows::StartAfter).date().null())
                    .col(stamp(MyShows::CreatedAt))
                    .col(stamp(MyShows::UpdatedAt))
                    .col(
                        ColumnDef::new(MyShows::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(MyShows::TenantId)
                            .col(MyShows::UserId)
                            .col(MyShows::ShowId),
                    )
                    .foreign_key(&mut owner(MyShows::Table, MyShows::UserId))
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "my_shows", "tenant_id").await?;

        manager
            .create_table(
                Table::create()
                    .table(MyServices::Table)
                    .col(ColumnDef::new(MyServices::TenantId).uuid().not_null())
                    .col(ColumnDef::new(MyServices::UserId).uuid().not_null())
                    .col(ColumnDef::new(MyServices::ServiceId).string().not_null())
                    .col(ColumnDef::new(MyServices::Permanent).boolean().not_null())
                    .col(ColumnDef::new(MyServices::MonthlyPrice).string().null())
                    .col(ColumnDef::new(MyServices::Currency).string().null())
                    .col(
                        ColumnDef::new(MyServices::BillingCycleDays)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(MyServices::MinContractDays).integer().null())
                    .col(stamp(MyServices::CreatedAt))
                    .col(stamp(MyServices::UpdatedAt))
                    .col(
                        ColumnDef::new(MyServices::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(MyServices::TenantId)
                            .col(MyServices::UserId)
                            .col(MyServices::ServiceId),
                    )
                    .foreign_key(&mut owner(MyServices::Table, MyServices::UserId))
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "my_services", "tenant_id").await?;

        manager
            .create_table(
                Table::create()
                    .table(UserSettings::Table)
                    .col(ColumnDef::new(UserSettings::TenantId).uuid().not_null())
                    .col(ColumnDef::new(UserSettings::UserId).uuid().not_null())
                    // The user's overrides as a JSON object: settings come and go without a
                    // migration each.
                    .col(ColumnDef::new(UserSettings::Overrides).text().not_null())
                    .col(stamp(UserSettings::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(UserSettings::TenantId)
                            .col(UserSettings::UserId),
                    )
                    .foreign_key(&mut owner(UserSettings::Table, UserSettings::UserId))
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "user_settings", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["user_settings", "my_services", "my_shows"] {
            tenant_rls::disable(manager, table).await?;
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
