//! Custom roles (issue 9, ADR 0030): a tenant table with row-level security, one row per role
//! a household defined, holding its permissions as a JSON array of `resource:action` names.
//! System roles are not stored: their permissions are fixed in code, so an upgrade can change
//! them for every household at once. Members hold roles in `user_roles` by name.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Roles {
    Table,
    TenantId,
    Name,
    Description,
    Permissions,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(ColumnDef::new(Roles::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Roles::Name).string().not_null())
                    .col(ColumnDef::new(Roles::Description).string().not_null())
                    .col(ColumnDef::new(Roles::Permissions).text().not_null())
                    .col(
                        ColumnDef::new(Roles::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Roles::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Roles::TenantId).col(Roles::Name))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Roles::Table, Roles::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "roles", "tenant_id").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        tenant_rls::disable(manager, "roles").await?;
        manager
            .drop_table(Table::drop().table(Roles::Table).to_owned())
            .await
    }
}
