//! Each user's stored plans (`plans`): the planner's output as one JSON document per row, with
//! what it is for (tenant, user), when it plans from, when and why it was made, and the plan it
//! replaced. A tenant table with row-level security. `seq` numbers a user's plans 1, 2, … and is
//! unique per (tenant, user): the latest is the current plan, and two writers cannot both make
//! "the next" plan (ADR 0022).

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Plans {
    Table,
    Id,
    TenantId,
    UserId,
    Seq,
    Today,
    GeneratedAt,
    Trigger,
    PreviousId,
    Body,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

/// The index that finds a user's latest plan (and keeps `seq` unique per user).
const LATEST: &str = "plans_tenant_id_user_id_seq";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(ColumnDef::new(Plans::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Plans::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Plans::UserId).uuid().not_null())
                    .col(ColumnDef::new(Plans::Seq).big_integer().not_null())
                    .col(ColumnDef::new(Plans::Today).date().not_null())
                    .col(
                        ColumnDef::new(Plans::GeneratedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Plans::Trigger).string().not_null())
                    .col(ColumnDef::new(Plans::PreviousId).uuid().null())
                    // The planner's `Plan` as JSON: read and written whole, never queried
                    // inside, and free to grow fields without a migration (ADR 0022).
                    .col(ColumnDef::new(Plans::Body).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Plans::Table, Plans::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Plans::Table, Plans::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Plans::Table, Plans::PreviousId)
                            .to(Plans::Table, Plans::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(LATEST)
                    .table(Plans::Table)
                    .col(Plans::TenantId)
                    .col(Plans::UserId)
                    .col(Plans::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "plans", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "plans").await?;
        manager
            .drop_index(Index::drop().name(LATEST).table(Plans::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Plans::Table).to_owned())
            .await
    }
}
