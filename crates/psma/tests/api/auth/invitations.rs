//! Invitations and password resets: single use, expiring, audited; redeeming signs in.

use super::support::{
    PASSWORD, access_token, get_as, hosted_app, household_with_password, login, post, post_as,
};
use crate::support::{audit_actions, on_both_backends, problem};
use serde_json::{Value, json};

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(code, status, "{body:#}");
    body
}

on_both_backends! {
    async fn an_invited_person_joins_with_the_roles_given_once(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;

        let invitation = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": " Kid@Home.test ", "roles": ["viewer"]})).await, 201).await;
        assert_eq!((invitation["purpose"].as_str(), invitation["email"].as_str()), (Some("invitation"), Some("Kid@Home.test")));
        assert_eq!(invitation["redeem_path"], "/api/v1/invitations/accept");
        let token = invitation["token"].as_str().unwrap();

        // A password too short is refused without using the token up.
        let short = problem(post(&app, "/api/v1/invitations/accept", &json!({"token": token, "password": "short"})).await, 422).await;
        assert_eq!(short["errors"][0]["field"], "password");

        let joined = json_of(post(&app, "/api/v1/invitations/accept", &json!({"token": token, "password": PASSWORD, "display_name": "Kid"})).await, 200).await;
        let me = json_of(get_as(&app, "/api/v1/me", joined["access_token"].as_str().unwrap()).await, 200).await;
        assert_eq!(me["user"]["email"], "Kid@Home.test", "as given, trimmed");
        assert_eq!(me["user"]["roles"], json!(["viewer"]));
        assert_eq!(me["user"]["display_name"], "Kid");

        // Once only.
        problem(post(&app, "/api/v1/invitations/accept", &json!({"token": token, "password": PASSWORD})).await, 401).await;
        // The new member signs in with the password they chose; a viewer invites nobody.
        let kid = access_token(&app, "kid@home.test").await;
        problem(post_as(&app, "/api/v1/invitations", &kid, &json!({"email": "x@home.test"})).await, 403).await;
        // Nor is a member invited twice.
        problem(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "KID@home.test"})).await, 409).await;
        // An email of another household cannot join this one.
        household_with_password(&app, "away").await;
        let other = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "owner@away.test"})).await, 201).await;
        problem(post(&app, "/api/v1/invitations/accept", &json!({"token": other["token"], "password": PASSWORD})).await, 409).await;

        let actions = audit_actions(&app).await;
        for action in ["invitation.create", "invitation.accept"] {
            assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
        }
    }
}

on_both_backends! {
    async fn expired_forged_and_replaced_invitations_are_refused(backend: Backend) {
        let app = hosted_app(backend).await;
        let (tenant, _) = household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;
        let first = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "a@home.test"})).await, 201).await;
        let second = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "a@home.test"})).await, 201).await;
        // The newer invitation replaced the older.
        problem(post(&app, "/api/v1/invitations/accept", &json!({"token": first["token"], "password": PASSWORD})).await, 401).await;
        // Another tenant's id with this secret, or garbage: refused alike.
        let secret = second["token"].as_str().unwrap().split_once('_').unwrap().1.to_owned();
        for forged in [format!("{}_{secret}", uuid::Uuid::new_v4().simple()), "nonsense".to_owned(), format!("{}_{}", tenant.0.simple(), "0".repeat(64))] {
            problem(post(&app, "/api/v1/invitations/accept", &json!({"token": forged, "password": PASSWORD})).await, 401).await;
        }
        // Past its time, the live one is refused too.
        {
            use sea_orm::{ConnectionTrait, Statement};
            let db = app.db.owner().await;
            db.execute_raw(Statement::from_string(db.get_database_backend(), "UPDATE account_tokens SET expires_at = created_at")).await.unwrap();
        }
        problem(post(&app, "/api/v1/invitations/accept", &json!({"token": second["token"], "password": PASSWORD})).await, 401).await;
    }
}

on_both_backends! {
    async fn a_password_reset_sets_the_password_and_ends_the_other_sessions(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;
        let invitation = json_of(post_as(&app, "/api/v1/invitations", &owner, &json!({"email": "m@home.test"})).await, 201).await;
        let member = json_of(post(&app, "/api/v1/invitations/accept", &json!({"token": invitation["token"], "password": PASSWORD})).await, 200).await;
        let me = json_of(get_as(&app, "/api/v1/me", member["access_token"].as_str().unwrap()).await, 200).await;
        let id = me["user"]["id"].as_str().unwrap();
        // A member cannot reset the owner's password, the owner can reset the member's.
        let owner_me = json_of(get_as(&app, "/api/v1/me", &owner).await, 200).await;
        problem(post_as(&app, &format!("/api/v1/users/{}/password-reset", owner_me["user"]["id"].as_str().unwrap()), member["access_token"].as_str().unwrap(), &json!({})).await, 403).await;
        // Nor their own: a stolen access token must not set a new password without the current
        // one (POST /api/v1/me/password asks for it).
        problem(post_as(&app, &format!("/api/v1/users/{id}/password-reset"), member["access_token"].as_str().unwrap(), &json!({})).await, 403).await;
        problem(post_as(&app, &format!("/api/v1/users/{}/password-reset", owner_me["user"]["id"].as_str().unwrap()), &owner, &json!({})).await, 409).await;
        let reset = json_of(post_as(&app, &format!("/api/v1/users/{id}/password-reset"), &owner, &json!({})).await, 201).await;
        assert_eq!(reset["redeem_path"], "/api/v1/auth/password-reset");

        let fresh = json_of(post(&app, "/api/v1/auth/password-reset", &json!({"token": reset["token"], "password": "a brand new passphrase"})).await, 200).await;
        assert!(fresh["access_token"].is_string());
        // The member's earlier session is over; the old password too; the new one works.
        problem(post(&app, "/api/v1/auth/refresh", &json!({"refresh_token": member["refresh_token"]})).await, 401).await;
        problem(login(&app, "m@home.test", PASSWORD).await, 401).await;
        assert_eq!(login(&app, "m@home.test", "a brand new passphrase").await.status(), 200);
        problem(post(&app, "/api/v1/auth/password-reset", &json!({"token": reset["token"], "password": "yet another one"})).await, 401).await;
        assert!(audit_actions(&app).await.contains(&"password_reset.redeem".to_owned()));
    }
}
