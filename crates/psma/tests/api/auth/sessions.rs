//! Sign-in, refresh with rotation and reuse detection, sign-out, the key set.

use super::support::{PASSWORD, get_as, hosted_app, household_with_password, login, post};
use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use serde_json::{Value, json};

fn header_kid(token: &str) -> String {
    use base64::Engine as _;
    let header = token.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap();
    let header: Value = serde_json::from_slice(&bytes).unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

async fn tokens(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.json().await.unwrap()
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/refresh",
        &json!({"refresh_token": token}),
    )
    .await
}

on_both_backends! {
    async fn a_member_signs_in_refreshes_and_signs_out(backend: Backend) {
        let app = hosted_app(backend).await;
        let (tenant, owner) = household_with_password(&app, "home").await;

        // Nobody gets in without a token.
        problem(app.get("/api/v1/me").await, 401).await;

        let first = tokens(login(&app, "Owner@Home.test", PASSWORD).await).await;
        assert_eq!(first["token_type"], "Bearer");
        assert_eq!(first["expires_in"], 900);
        assert_eq!(first["refresh_expires_in"], 7 * 24 * 3600);
        let me = get_as(&app, "/api/v1/me", first["access_token"].as_str().unwrap()).await;
        assert_eq!(me.status(), 200);
        let me: Value = me.json().await.unwrap();
        assert_eq!((me["tenant"]["id"].as_str().unwrap(), me["user"]["id"].as_str().unwrap()), (tenant.to_string().as_str(), owner.to_string().as_str()));
        assert_eq!(me["auth_mode"], "jwt");

        // The key set verifies what the server signs.
        let jwks = app.get("/.well-known/jwks.json").await;
        assert_eq!(jwks.status(), 200);
        let jwks: Value = jwks.json().await.unwrap();
        let key = &jwks["keys"][0];
        assert_eq!((key["kty"].as_str(), key["crv"].as_str(), key["alg"].as_str()), (Some("OKP"), Some("Ed25519"), Some("EdDSA")));
        assert!(key.get("d").is_none(), "public parts only");
        assert_eq!(key["kid"].as_str().unwrap(), header_kid(first["access_token"].as_str().unwrap()));

        // A refresh token is not an access token, nor the reverse.
        problem(get_as(&app, "/api/v1/me", first["refresh_token"].as_str().unwrap()).await, 401).await;
        problem(refresh(&app, &first["access_token"]).await, 401).await;

        // Rotation: the new pair works, the old refresh token does not ...
        let second = tokens(refresh(&app, &first["refresh_token"]).await).await;
        assert_ne!(second["refresh_token"], first["refresh_token"]);
        assert_eq!(get_as(&app, "/api/v1/me", second["access_token"].as_str().unwrap()).await.status(), 200);
        // ... and presenting it again revokes the whole family, the new token included.
        problem(refresh(&app, &first["refresh_token"]).await, 401).await;
        problem(refresh(&app, &second["refresh_token"]).await, 401).await;
        assert!(audit_actions(&app).await.contains(&"auth.refresh_reuse".to_owned()));

        // Sign-out ends the family; twice is fine.
        let third = tokens(login(&app, "owner@home.test", PASSWORD).await).await;
        let out = post(&app, "/api/v1/auth/logout", &json!({"refresh_token": third["refresh_token"]})).await;
        assert_eq!(out.status(), 204);
        let again = post(&app, "/api/v1/auth/logout", &json!({"refresh_token": third["refresh_token"]})).await;
        assert_eq!(again.status(), 204);
        problem(refresh(&app, &third["refresh_token"]).await, 401).await;

        let actions = audit_actions(&app).await;
        for action in ["user.set_password", "auth.login", "auth.refresh_reuse", "auth.logout"] {
            assert!(actions.contains(&action.to_owned()), "{action} in {actions:?}");
        }
    }
}

on_both_backends! {
    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let wrong = problem(login(&app, "owner@home.test", "not the password").await, 401).await;
        let unknown = problem(login(&app, "nobody@home.test", PASSWORD).await, 401).await;
        assert_eq!(wrong["detail"], unknown["detail"]);
        assert_eq!(wrong["type"], "urn:psma:problem:unauthenticated");
        // Forged and foreign tokens are refused.
        for bearer in ["", "not.a.token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
            problem(get_as(&app, "/api/v1/me", bearer).await, 401).await;
        }
        let long = "x".repeat(129);
        let refused = problem(login(&app, "owner@home.test", &long).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], "password");
    }
}

#[tokio::test]
async fn local_mode_has_no_sign_in() {
    let app = TestApp::spawn(crate::support::Backend::Sqlite).await;
    problem(login(&app, "owner@localhost", PASSWORD).await, 404).await;
    problem(app.get("/.well-known/jwks.json").await, 404).await;
    assert_eq!(
        app.get("/api/v1/me").await.status(),
        200,
        "local mode needs no token"
    );
}
