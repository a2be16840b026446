//! What the hosted-mode tests share: an app in jwt mode with a fresh signing key, and a
//! household whose owner has a password.

use crate::support::{Backend, TestApp, provision};
use psma_auth::AuthMode;
use psma_core::accounts::sessions::{Password, PasswordHasher as _, SessionStore as _};
use psma_core::audit::AuditDraft;
use psma_core::tenancy::{Role, TenantCtx, TenantId, UserId};
use reqwest::Method;
use serde_json::{Value, json};

/// The password every test owner has.
pub const PASSWORD: &str = "correct horse battery staple";

/// PSMA in hosted mode, signing with a new key in a directory kept for the test's life.
pub async fn hosted_app(backend: Backend) -> TestApp {
    hosted_app_with(backend, |_| {}).await
}

/// As [`hosted_app`], tweaked.
pub async fn hosted_app_with(backend: Backend, tweak: impl FnOnce(&mut psma::Settings)) -> TestApp {
    hosted_app_keys(backend, tweak).await.0
}

/// As [`hosted_app_with`], with the directory of the signing key (to forge tokens with).
pub async fn hosted_app_keys(
    backend: Backend,
    tweak: impl FnOnce(&mut psma::Settings),
) -> (TestApp, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap().keep();
    psma_auth::generate_key_file(&dir).unwrap();
    let keys = dir.clone();
    let app = TestApp::spawn_with(backend, |s| {
        s.auth.mode = AuthMode::Jwt;
        s.auth.keys_dir = Some(dir);
        s.auth.issuer = Some("https://psma.test".into());
        s.auth.password_hash_concurrency = Some(2);
        tweak(s);
    })
    .await;
    (app, keys)
}

/// A household named `name` whose owner (`owner@<name>.test`) has [`PASSWORD`].
pub async fn household_with_password(app: &TestApp, name: &str) -> (TenantId, UserId) {
    let store = app.db.store().await;
    let (tenant, owner) = provision(&store, name).await;
    let ctx = TenantCtx::establish(
        tenant,
        Some(owner),
        vec![Role::OWNER],
        Role::grants_of(&[Role::OWNER]),
    );
    let hasher = psma_auth::Argon2Hasher::new(1).unwrap();
    let hash = hasher
        .hash(&Password::new_password(PASSWORD.into(), "password").unwrap())
        .await
        .unwrap();
    let audit = AuditDraft::new(&ctx, "user.set_password", "user", owner, chrono::Utc::now());
    store.set_password(&ctx, owner, &hash, audit).await.unwrap();
    (tenant, owner)
}

/// `POST path` with a JSON body.
pub async fn post(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, path)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Signs in; the token pair.
pub async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/login",
        &json!({"email": email, "password": password}),
    )
    .await
}

/// `GET path` with `token` as the bearer.
pub async fn get_as(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.request(Method::GET, path)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Runs the `psma` binary on the app's database (the app role, as `psma serve` connects).
pub fn psma(app: &TestApp, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_psma"))
        .args(args)
        .env("PSMA_DATABASE__URL", &app.db.app_url)
        .env("PSMA_DATABASE__MIGRATION_URL", &app.db.owner_url)
        .env("PSMA_TELEMETRY__LOG_LEVEL", "error")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "psma {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The token a `psma tenant create` or `psma user invite` printed (the line after the title).
pub fn printed_token(out: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("(single use, until"))
        .unwrap_or_else(|| panic!("no token in {text}"));
    lines[at + 1].trim().to_owned()
}

/// Signs in `email` with [`PASSWORD`]; the access token.
pub async fn access_token(app: &TestApp, email: &str) -> String {
    let res = login(app, email, PASSWORD).await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// `POST path` with a JSON body as `token`'s bearer.
pub async fn post_as(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, path)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}
