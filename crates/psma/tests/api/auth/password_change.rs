//! A member changes their own password with their current one (ASVS 5.0 V6.2.2, V6.2.3): every
//! other session ends; a wrong current password counts as a failed sign-in; and no chosen
//! password may be one of the most common ones (V6.2.4).

use super::support::{
    PASSWORD, access_token, get_as, hosted_app, hosted_app_with, household_with_password, login,
    post, post_as,
};
use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(code, status, "{body:#}");
    body
}

/// Signs in `email` with `password`; the token pair.
async fn session(app: &TestApp, email: &str, password: &str) -> Value {
    json_of(login(app, email, password).await, 200).await
}

async fn change(app: &TestApp, access: &Value, current: &str, new: &str) -> reqwest::Response {
    post_as(
        app,
        "/api/v1/me/password",
        access.as_str().unwrap(),
        &json!({"current_password": current, "new_password": new}),
    )
    .await
}

async fn refresh(app: &TestApp, tokens: &Value) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/refresh",
        &json!({"refresh_token": tokens["refresh_token"]}),
    )
    .await
}

on_both_backends! {
    async fn a_member_changes_their_password_and_every_other_session_ends(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let here = session(&app, "owner@home.test", PASSWORD).await;
        let elsewhere = session(&app, "owner@home.test", PASSWORD).await;

        let res = change(&app, &here["access_token"], PASSWORD, NEW_PASSWORD).await;
        assert_eq!(res.headers()["cache-control"], "no-store");
        let fresh = json_of(res, 200).await;
        assert_eq!(fresh["token_type"], "Bearer");
        json_of(get_as(&app, "/api/v1/me", fresh["access_token"].as_str().unwrap()).await, 200).await;

        // Every session of the old password is over, this one's too; the new one goes on.
        problem(refresh(&app, &elsewhere).await, 401).await;
        problem(refresh(&app, &here).await, 401).await;
        json_of(refresh(&app, &fresh).await, 200).await;
        // The old password no longer signs in; the new one does.
        problem(login(&app, "owner@home.test", PASSWORD).await, 401).await;
        session(&app, "owner@home.test", NEW_PASSWORD).await;

        let actions = audit_actions(&app).await;
        assert!(actions.contains(&"user.change_password".to_owned()), "{actions:?}");
    }
}

on_both_backends! {
    async fn a_wrong_current_password_is_refused_and_counted_as_a_failed_sign_in(backend: Backend) {
        // A three-second first wait: room for a loaded machine between two requests.
        let app = hosted_app_with(backend, |s| s.auth.login_backoff = std::time::Duration::from_secs(3)).await;
        household_with_password(&app, "home").await;
        let tokens = session(&app, "owner@home.test", PASSWORD).await;
        let access = &tokens["access_token"];

        // Policy failures name their field and count nothing.
        let short = problem(change(&app, access, PASSWORD, "short").await, 422).await;
        assert_eq!(short["errors"][0]["field"], "new_password");
        let long = problem(change(&app, access, PASSWORD, &"x".repeat(129)).await, 422).await;
        assert_eq!(long["errors"][0]["field"], "new_password");

        // Three free failures, then the fourth sets the first wait, as for sign-in.
        for _ in 0..4 {
            problem(change(&app, access, "not my password", NEW_PASSWORD).await, 401).await;
        }
        let res = change(&app, access, PASSWORD, NEW_PASSWORD).await;
        assert!(res.headers().contains_key("retry-after"));
        problem(res, 429).await;
        problem(login(&app, "owner@home.test", PASSWORD).await, 429).await;

        let actions = audit_actions(&app).await;
        let failed = actions.iter().filter(|a| *a == "auth.login_failed").count();
        assert_eq!(failed, 4, "{actions:?}");
        assert!(!actions.contains(&"user.change_password".to_owned()), "{actions:?}");
        // Nothing changed: the session goes on and, after the wait, the old password signs in.
        json_of(refresh(&app, &tokens).await, 200).await;
        tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
        session(&app, "owner@home.test", PASSWORD).await;
    }
}

on_both_backends! {
    async fn the_most_common_passwords_are_refused_wherever_one_is_chosen(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;

        // Changing one's password.
        let tokens = session(&app, "owner@home.test", PASSWORD).await;
        for common in ["password123", "PASSWORD123", "iloveyou1", "qwertyuiop"] {
            let refused = problem(change(&app, &tokens["access_token"], PASSWORD, common).await, 422).await;
            assert_eq!(refused["errors"][0]["field"], "new_password", "{common}");
            assert!(refused["errors"][0]["message"].as_str().unwrap().contains("most common"), "{refused:#}");
        }

        // Accepting an invitation: refused without using the token up.
        let invitation = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "kid@home.test"})).await, 201).await;
        let refused = problem(post(&app, "/api/v1/invitations/accept", &json!({"token": invitation["token"], "password": "password123"})).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], "password");
        let kid = json_of(post(&app, "/api/v1/invitations/accept", &json!({"token": invitation["token"], "password": NEW_PASSWORD})).await, 200).await;

        // Redeeming a password reset: likewise.
        let me = json_of(get_as(&app, "/api/v1/me", kid["access_token"].as_str().unwrap()).await, 200).await;
        let id = me["user"]["id"].as_str().unwrap();
        let reset = json_of(post_as(&app, &format!("/api/v1/users/{id}/password-reset"), &owner, &json!({})).await, 201).await;
        let refused = problem(post(&app, "/api/v1/auth/password-reset", &json!({"token": reset["token"], "password": "12345678"})).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], "password");
        json_of(post(&app, "/api/v1/auth/password-reset", &json!({"token": reset["token"], "password": "yet another passphrase"})).await, 200).await;
    }
}

#[tokio::test]
async fn local_mode_has_no_password_to_change() {
    let app = TestApp::spawn(crate::support::Backend::Sqlite).await;
    let res = app
        .request(reqwest::Method::POST, "/api/v1/me/password")
        .json(&json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
        .send()
        .await
        .unwrap();
    problem(res, 404).await;
}
