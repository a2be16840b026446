//! An operator, from an empty database to a first sign-in: `psma tenant create`, the owner's
//! password token, `psma user invite|list|disable`, `psma tenant list`.

use super::support::{PASSWORD, hosted_app, login, post, printed_token, psma};
use crate::support::on_both_backends;
use serde_json::json;

on_both_backends! {
    async fn an_operator_creates_a_household_whose_owner_then_signs_in(backend: Backend) {
        let app = hosted_app(backend).await;
        let created = psma(&app, &["tenant", "create", "--name", "The Smiths", "--owner-email", "ann@smith.test"]);
        let text = String::from_utf8_lossy(&created.stdout).into_owned();
        let tenant = text.lines().next().unwrap().split_whitespace().nth(1).unwrap().to_owned();
        assert!(text.contains("/api/v1/auth/password-reset"), "{text}");
        let token = printed_token(&created);
        let first = post(&app, "/api/v1/auth/password-reset", &json!({"token": token, "password": PASSWORD})).await;
        assert_eq!(first.status(), 200, "the owner sets a password and is signed in");

        let list = psma(&app, &["tenant", "list"]);
        assert!(String::from_utf8_lossy(&list.stdout).contains(&format!("{tenant}  ")), "listed");

        let invited = psma(&app, &["user", "invite", "--tenant", &tenant, "--email", "bob@smith.test", "--role", "admin"]);
        let joined = post(&app, "/api/v1/invitations/accept", &json!({"token": printed_token(&invited), "password": PASSWORD})).await;
        assert_eq!(joined.status(), 200);
        let users = psma(&app, &["user", "list", "--tenant", &tenant]);
        let users = String::from_utf8_lossy(&users.stdout).into_owned();
        assert!(users.lines().any(|l| l.contains("admin") && l.contains("active") && l.ends_with("bob@smith.test")), "{users}");
        assert!(users.lines().any(|l| l.contains("owner") && l.ends_with("ann@smith.test")), "{users}");

        psma(&app, &["user", "disable", "--tenant", &tenant, "--email", "bob@smith.test"]);
        assert_eq!(login(&app, "bob@smith.test", PASSWORD).await.status(), 401, "a disabled member cannot sign in");
        psma(&app, &["user", "disable", "--tenant", &tenant, "--email", "bob@smith.test", "--enable"]);
        assert_eq!(login(&app, "bob@smith.test", PASSWORD).await.status(), 200);
    }
}

on_both_backends! {
    async fn an_audit_entry_edited_by_hand_is_named_by_audit_verify(backend: Backend) {
        use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
        let app = hosted_app(backend).await;
        let created = psma(&app, &["tenant", "create", "--name", "Audited", "--owner-email", "a@audit.test"]);
        let text = String::from_utf8_lossy(&created.stdout).into_owned();
        let tenant = text.lines().next().unwrap().split_whitespace().nth(1).unwrap().to_owned();
        post(&app, "/api/v1/auth/password-reset", &json!({"token": printed_token(&created), "password": PASSWORD})).await;
        let ok = psma(&app, &["audit", "verify"]);
        let report = String::from_utf8_lossy(&ok.stdout).into_owned();
        assert!(report.lines().any(|l| l.starts_with("ok") && l.contains(&tenant)), "{report}");

        // Someone with the owner's database rights rewrites history.
        let db = app.db.owner().await;
        let txn = db.begin().await.unwrap();
        let sql = |s: &str| Statement::from_string(txn.get_database_backend(), s.to_owned());
        if txn.get_database_backend() == DbBackend::Postgres {
            txn.execute_raw(sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")).await.unwrap();
            txn.execute_raw(sql(&format!("SELECT set_config('app.current_tenant_id', '{tenant}', true)"))).await.unwrap();
        } else {
            txn.execute_raw(sql("DROP TRIGGER audit_log_no_update")).await.unwrap();
        }
        let edit = "UPDATE audit_log SET action = 'tenant.nothing' WHERE seq = 2 AND tenant_id = (SELECT id FROM tenants WHERE name = 'Audited')";
        let edited = txn.execute_raw(sql(edit)).await.unwrap();
        assert_eq!(edited.rows_affected(), 1);
        txn.commit().await.unwrap();

        let out = std::process::Command::new(env!("CARGO_BIN_EXE_psma"))
            .args(["audit", "verify", "--tenant", &tenant])
            .env("PSMA_DATABASE__URL", &app.db.app_url)
            .env("PSMA_TELEMETRY__LOG_LEVEL", "error")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(report.contains("BROKEN") && report.contains("audit entry 2 was altered"), "{report}");
    }
}
