//! Which rows a scope sees and owns, as query conditions. On PostgreSQL row-level security
//! enforces the same; these filters make SQLite (which has none) and every query plan exact.

use psma_core::catalog::DataScope;
use psma_core::tenancy::TenantId;
use sea_orm::sea_query::{Condition, DynIden, Expr, ExprTrait, IntoIden};

/// Rows `scope` may read: the shared ones, and for a tenant its own.
pub(crate) fn readable(table: impl IntoIden, scope: DataScope) -> Condition {
    let table: DynIden = table.into_iden();
    let column = || (table.clone(), "tenant_id".into_iden());
    match scope {
        DataScope::Global => Condition::all().add(Expr::col(column()).is_null()),
        DataScope::Tenant(tenant) => Condition::any()
            .add(Expr::col(column()).is_null())
            .add(Expr::col(column()).eq(tenant.0)),
    }
}

/// Rows that belong to `scope` exactly (what a run of that scope writes and ends).
pub(crate) fn owned(table: impl IntoIden, scope: DataScope) -> Condition {
    let table: DynIden = table.into_iden();
    let column = || (table.clone(), "tenant_id".into_iden());
    match scope {
        DataScope::Global => Condition::all().add(Expr::col(column()).is_null()),
        DataScope::Tenant(tenant) => Condition::all().add(Expr::col(column()).eq(tenant.0)),
    }
}

/// The `tenant_id` column's value for a row of `scope`.
pub(crate) fn tenant_column(scope: DataScope) -> Option<uuid::Uuid> {
    scope.tenant().map(|t| t.0)
}

/// The scope a stored `tenant_id` stands for.
pub(crate) fn scope_of(tenant_id: Option<uuid::Uuid>) -> DataScope {
    tenant_id.map_or(DataScope::Global, |t| DataScope::Tenant(TenantId(t)))
}
