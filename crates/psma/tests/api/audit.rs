use crate::support::{TestApp, on_both_backends};
use sea_orm::{ConnectionTrait, Statement};

on_both_backends! {
    async fn the_audit_log_refuses_updates_and_deletes_even_for_the_owner(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let owner = app.db.owner().await;
        let db = owner.get_database_backend();
        let update = owner
            .execute_raw(Statement::from_string(db, "UPDATE audit_log SET action = 'forged'"))
            .await;
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = owner
            .execute_raw(Statement::from_string(db, "DELETE FROM audit_log"))
            .await;
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }
}
