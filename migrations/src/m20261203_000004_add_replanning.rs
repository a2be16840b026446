//! Re-planning in the background (ADR 0024):
//!
//! - `plan_events`: one row per re-plan the worker finished ("your plan changed"), a tenant
//!   table with row-level security, read by the member it concerns in id (time) order; any
//!   process can read it, so the web UI hears of re-plans made by a separate worker process.
//! - `my_shows_system_fan_out`: on PostgreSQL, a `SELECT`-only policy letting a system context
//!   (`app.system_context = 'on'`, a provider refresh's transaction) read live `my_shows` rows,
//!   so the refresh can find whose selections its changes affect and queue their re-plans in
//!   its own transaction. It grants no write and no other table; a tenant context is still
//!   confined to its own rows by `my_shows_tenant_isolation`.

use crate::tenant_rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum PlanEvents {
    Table,
    Id,
    TenantId,
    UserId,
    PlanId,
    PreviousId,
    Trigger,
    Changed,
    At,
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

const INDEX: &str = "plan_events_tenant_id_user_id_id";

const FAN_OUT: &str = "CREATE POLICY my_shows_system_fan_out ON my_shows FOR SELECT
    USING (current_setting('app.system_context', true) = 'on' AND deleted_at IS NULL)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanEvents::Table)
                    .col(
                        ColumnDef::new(PlanEvents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PlanEvents::TenantId).uuid().not_null())
                    .col(ColumnDef::new(PlanEvents::UserId).uuid().not_null())
                    .col(ColumnDef::new(PlanEvents::PlanId).uuid().not_null())
                    .col(ColumnDef::new(PlanEvents::PreviousId).uuid().null())
                    .col(ColumnDef::new(PlanEvents::Trigger).string().not_null())
                    .col(ColumnDef::new(PlanEvents::Changed).boolean().not_null())
                    .col(
                        ColumnDef::new(PlanEvents::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanEvents::Table, PlanEvents::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanEvents::Table, PlanEvents::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanEvents::Table, PlanEvents::PlanId)
                            .to(Plans::Table, Plans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(PlanEvents::Table)
                    .col(PlanEvents::TenantId)
                    .col(PlanEvents::UserId)
                    .col(PlanEvents::Id)
                    .to_owned(),
            )
            .await?;
        tenant_rls::enable(manager, "plan_events", "tenant_id").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(FAN_OUT).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP POLICY IF EXISTS my_shows_system_fan_out ON my_shows")
                .await?;
        }
        tenant_rls::disable(manager, "plan_events").await?;
        manager
            .drop_table(Table::drop().table(PlanEvents::Table).to_owned())
            .await
    }
}
