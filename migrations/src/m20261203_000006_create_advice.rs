//! Each member's advice (`advice`): one row per finding raised, worded by an adviser, with its
//! status (`pending`, `confirmed`, `declined`, `answered`, `expired`) and the fingerprint of
//! what it rests on, so identical advice is not raised twice and declined advice stays
//! declined until its inputs change (ADR 0027). A tenant table with row-level security.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Advice {
    Table,
    Id,
    TenantId,
    UserId,
    Fingerprint,
    Rule,
    Kind,
    Status,
    Body,
    Rank,
    PlanId,
    Origin,
    CreatedAt,
    DecidedAt,
    DecidedBy,
    Answer,
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

#[derive(DeriveIden, Clone, Copy)]
enum Plans {
    Table,
    Id,
}

/// A member's inbox by status.
const BY_STATUS: &str = "advice_tenant_id_user_id_status";
/// A member's items by what they rest on.
const BY_FINGERPRINT: &str = "advice_tenant_id_user_id_fingerprint";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Advice::Table)
                    .col(ColumnDef::new(Advice::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Advice::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Advice::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(Advice::Fingerprint)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Advice::Rule).string().not_null())
                    .col(ColumnDef::new(Advice::Kind).string().not_null())
                    .col(ColumnDef::new(Advice::Status).string().not_null())
                    // The recommendation or question as JSON: read and written whole.
                    .col(ColumnDef::new(Advice::Body).text().not_null())
                    .col(ColumnDef::new(Advice::Rank).integer().not_null())
                    .col(ColumnDef::new(Advice::PlanId).uuid().null())
                    // Who worded it (adapter, model, prompt hash, latency, tokens), as JSON.
                    .col(ColumnDef::new(Advice::Origin).text().not_null())
                    .col(
                        ColumnDef::new(Advice::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Advice::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Advice::DecidedBy).uuid().null())
                    .col(ColumnDef::new(Advice::Answer).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Advice::Table, Advice::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Advice::Table, Advice::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Advice::Table, Advice::PlanId)
                            .to(Plans::Table, Plans::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, last) in [
            (BY_STATUS, Advice::Status),
            (BY_FINGERPRINT, Advice::Fingerprint),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Advice::Table)
                        .col(Advice::TenantId)
                        .col(Advice::UserId)
                        .col(last)
                        .to_owned(),
                )
                .await?;
        }
        tenant_rls::enable(manager, "advice", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "advice").await?;
        for name in [BY_STATUS, BY_FINGERPRINT] {
            manager
                .drop_index(Index::drop().name(name).table(Advice::Table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Advice::Table).to_owned())
            .await
    }
}
