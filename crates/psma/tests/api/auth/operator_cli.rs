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
