//! Signing in through Google and GitHub (issue 9, item 2), against the mock authorization
//! server of `oauth_mock.rs`: the real PSMA on a random port, real SQLite (and PostgreSQL).

use super::oauth_mock::{Forgery, MockIdp, Person, TokenFault};
use super::support::{
    access_token, get_as, hosted_app, hosted_app_with, household_with_password, post_as, psma,
};
use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use psma_core::accounts::{DisplayName, NewTenant, NewUser, TenantProvisioning as _};
use psma_core::tenancy::{Role, TenantId, UserId};
use serde_json::{Value, json};

/// What `start` handed the browser.
pub struct Started {
    pub state: String,
    pub binding: String,
    pub location: String,
}

/// PSMA with both providers pointing at a new mock.
pub async fn oauth_app(
    backend: crate::support::Backend,
    tweak: impl FnOnce(&mut psma::Settings),
) -> (TestApp, MockIdp) {
    let idp = MockIdp::start().await;
    let app = hosted_app_with(backend, |s| {
        idp.configure(s);
        tweak(s);
    })
    .await;
    (app, idp)
}

/// `GET /api/v1/auth/oauth/{provider}/start`, expecting the redirect and the cookie.
pub async fn start(app: &TestApp, provider: &str, invitation: Option<&str>) -> Started {
    let query = invitation
        .map(|i| format!("?invitation={i}"))
        .unwrap_or_default();
    let res = app
        .get(&format!("/api/v1/auth/oauth/{provider}/start{query}"))
        .await;
    assert_eq!(res.status(), 302, "{}", res.text().await.unwrap());
    assert_eq!(res.headers()["cache-control"], "no-store");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Path=/api/v1/auth/oauth",
        "Max-Age=600",
        "Secure",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    let binding = cookie
        .strip_prefix("psma_oauth=")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let state = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    Started {
        state,
        binding,
        location,
    }
}

/// The provider's redirect back to PSMA, with `binding` as the browser's cookie.
pub async fn callback(
    app: &TestApp,
    provider: &str,
    code: &str,
    state: &str,
    binding: Option<&str>,
) -> reqwest::Response {
    let mut request = app.request(
        reqwest::Method::GET,
        &format!("/api/v1/auth/oauth/{provider}/callback?code={code}&state={state}&scope=openid"),
    );
    if let Some(binding) = binding {
        request = request.header("cookie", format!("other=1; psma_oauth={binding}"));
    }
    request.send().await.unwrap()
}

/// A whole sign-in of `person` through `provider`: the callback's answer.
pub async fn sign_in(
    app: &TestApp,
    idp: &MockIdp,
    provider: &str,
    person: &Person,
    invitation: Option<&str>,
    forgery: Forgery,
) -> reqwest::Response {
    let started = start(app, provider, invitation).await;
    let code = idp.authorize(&started.location, person, forgery);
    callback(app, provider, &code, &started.state, Some(&started.binding)).await
}

/// The token pair of a successful callback (its cookie cleared).
pub async fn tokens(res: reqwest::Response) -> Value {
    let status = res.status();
    let headers = res.headers().clone();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    body
}

async fn me(app: &TestApp, tokens: &Value) -> Value {
    let res = get_as(app, "/api/v1/me", tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// An invitation to `email` from the owner of `home` (who has a password).
async fn invitation(app: &TestApp, email: &str) -> String {
    household_with_password(app, "home").await;
    let owner = access_token(app, "owner@home.test").await;
    let res = post_as(
        app,
        "/api/v1/invitations",
        &owner,
        &json!({"email": email, "roles": ["admin"]}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

on_both_backends! {
    async fn google_joins_by_invitation_and_signs_in_again_by_the_linked_identity(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        let token = invitation(&app, "Ada@Home.test").await;
        let ada = Person::new("g-100", "ada@home.test");

        let first = tokens(sign_in(&app, &idp, "google", &ada, Some(&token), Forgery::None).await).await;
        let profile = me(&app, &first).await;
        assert_eq!(profile["user"]["email"], "ada@home.test");
        assert_eq!(profile["user"]["roles"], json!(["admin"]), "the invited roles");
        assert_eq!(profile["user"]["display_name"], "Person g-100");
        assert_eq!(profile["tenant"]["name"], "home");

        // The invitation is used up; the identity now signs Ada in by itself, even after her
        // email changed at the provider.
        problem(app.get(&format!("/api/v1/auth/oauth/google/start?invitation={token}")).await, 401).await;
        let moved = Person::new("g-100", "ada@elsewhere.test");
        let again = tokens(sign_in(&app, &idp, "google", &moved, None, Forgery::None).await).await;
        assert_eq!(me(&app, &again).await["user"]["id"], profile["user"]["id"]);

        let actions = audit_actions(&app).await;
        for action in ["invitation.accept", "auth.oauth_link", "auth.oauth_login"] {
            assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
        }
        assert_eq!(actions.iter().filter(|a| *a == "auth.oauth_login").count(), 2);
    }
}

on_both_backends! {
    async fn github_joins_by_an_allowed_domain_as_a_member(backend: Backend) {
        let tenant = TenantId::generate();
        let (app, idp) = oauth_app(backend, |s| {
            s.auth.oauth.allowed_domains = vec![psma_auth::oauth::AllowedDomainSettings {
                domain: "example.org".into(),
                tenant: tenant.0,
            }];
        })
        .await;
        let store = app.db.store().await;
        let owner = NewUser {
            id: UserId::generate(),
            email: "owner@example.org".into(),
            display_name: DisplayName::parse("Owner").unwrap(),
            roles: vec![Role::OWNER],
        };
        store.ensure_tenant(&NewTenant { id: tenant, name: "Example".into() }, &owner).await.unwrap();

        let bob = Person::new("4242", "Bob@Example.org");
        let signed = tokens(sign_in(&app, &idp, "github", &bob, None, Forgery::None).await).await;
        let profile = me(&app, &signed).await;
        assert_eq!(profile["tenant"]["id"], tenant.to_string());
        assert_eq!(profile["user"]["roles"], json!(["member"]));
        assert_eq!(profile["user"]["email"], "bob@example.org");
        // Only the exact domain: a subdomain is another organisation.
        let eve = Person::new("666", "eve@evil.example.org");
        let refused = problem(sign_in(&app, &idp, "github", &eve, None, Forgery::None).await, 403).await;
        assert!(refused["detail"].as_str().unwrap().contains("invit"), "{refused}");
        let actions = audit_actions(&app).await;
        for action in ["auth.oauth_join", "auth.oauth_link", "auth.oauth_login"] {
            assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
        }
    }
}

on_both_backends! {
    async fn a_verified_email_links_its_account_and_a_disabled_account_is_refused(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        let (tenant, owner) = household_with_password(&app, "home").await;
        let person = Person::new("77", "OWNER@home.test");
        let signed = tokens(sign_in(&app, &idp, "github", &person, None, Forgery::None).await).await;
        assert_eq!(me(&app, &signed).await["user"]["id"], owner.to_string());

        psma(&app, &["user", "disable", "--tenant", &tenant.to_string(), "--email", "owner@home.test"]);
        let refused = problem(sign_in(&app, &idp, "github", &person, None, Forgery::None).await, 403).await;
        assert!(refused["detail"].as_str().unwrap().contains("disabled"));
        assert!(audit_actions(&app).await.contains(&"auth.oauth_refused".to_owned()));
    }
}

on_both_backends! {
    async fn the_state_works_once_and_only_with_the_browser_that_started_it(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        household_with_password(&app, "home").await;
        let person = Person::new("g-1", "owner@home.test");
        let started = start(&app, "google", None).await;
        let code = idp.authorize(&started.location, &person, Forgery::None);

        // Without the cookie, or with another browser's: refused, and the flow survives.
        problem(callback(&app, "google", &code, &started.state, None).await, 401).await;
        let other = start(&app, "google", None).await;
        problem(callback(&app, "google", &code, &started.state, Some(&other.binding)).await, 401).await;
        // Nor at another provider's callback.
        problem(callback(&app, "github", &code, &started.state, Some(&started.binding)).await, 401).await;
        tokens(callback(&app, "google", &code, &started.state, Some(&started.binding)).await).await;
        // Replayed: the flow is used up.
        let replay = problem(callback(&app, "google", &code, &started.state, Some(&started.binding)).await, 401).await;
        assert!(replay["detail"].as_str().unwrap().contains("start again"));
        // A state PSMA never issued.
        problem(callback(&app, "google", "x", &"ab".repeat(32), Some(&started.binding)).await, 401).await;
    }
}

on_both_backends! {
    async fn id_tokens_that_fail_a_check_are_refused(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        household_with_password(&app, "home").await;
        let person = Person::new("g-2", "owner@home.test");
        for (forgery, says) in [
            (Forgery::WrongNonce, "nonce"),
            (Forgery::BadSignature, "signature"),
            (Forgery::Expired, "expired"),
            (Forgery::WrongAudience, "aud"),
        ] {
            let body = problem(sign_in(&app, &idp, "google", &person, None, forgery).await, 401).await;
            assert!(body["detail"].as_str().unwrap().contains(says), "{forgery:?}: {body}");
        }
        // Nothing was linked by any of them.
        assert!(!audit_actions(&app).await.contains(&"auth.oauth_link".to_owned()));
    }
}

on_both_backends! {
    async fn unverified_and_uninvited_emails_are_refused(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        household_with_password(&app, "home").await;
        // The owner's address, but the provider does not vouch for it: no link.
        for provider in ["google", "github"] {
            let person = Person::new("31337", "owner@home.test").unverified();
            let body = problem(sign_in(&app, &idp, provider, &person, None, Forgery::None).await, 403).await;
            assert!(body["detail"].as_str().unwrap().contains("verified"), "{body}");
        }
        let stranger = Person::new("g-3", "stranger@nowhere.test");
        problem(sign_in(&app, &idp, "google", &stranger, None, Forgery::None).await, 403).await;
    }
}

on_both_backends! {
    async fn an_invitation_admits_only_the_invited_address(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        let token = invitation(&app, "kid@home.test").await;
        let other = Person::new("g-4", "someone@else.test");
        let body = problem(sign_in(&app, &idp, "google", &other, Some(&token), Forgery::None).await, 403).await;
        assert!(body["detail"].as_str().unwrap().contains("another email"));
        assert!(audit_actions(&app).await.contains(&"auth.oauth_refused".to_owned()));
        // The invitation still works for the invited person.
        let kid = Person::new("g-5", "kid@home.test");
        tokens(sign_in(&app, &idp, "google", &kid, Some(&token), Forgery::None).await).await;
        // A forged invitation is refused before anyone is sent to the provider.
        problem(app.get("/api/v1/auth/oauth/google/start?invitation=nonsense").await, 401).await;
    }
}

on_both_backends! {
    async fn provider_failures_are_clear_problems(backend: Backend) {
        let (app, idp) = oauth_app(backend, |_| {}).await;
        household_with_password(&app, "home").await;
        let person = Person::new("g-6", "owner@home.test");
        // A code the provider does not know (used, expired, or another client's).
        let started = start(&app, "google", None).await;
        let refused = problem(callback(&app, "google", "made-up", &started.state, Some(&started.binding)).await, 401).await;
        assert!(refused["detail"].as_str().unwrap().contains("invalid_grant"), "{refused}");
        let started = start(&app, "github", None).await;
        problem(callback(&app, "github", "made-up", &started.state, Some(&started.binding)).await, 401).await;
        // The person declined at the provider.
        let started = start(&app, "google", None).await;
        let declined = app
            .request(reqwest::Method::GET, &format!("/api/v1/auth/oauth/google/callback?error=access_denied&state={}", started.state))
            .header("cookie", format!("psma_oauth={}", started.binding))
            .send()
            .await
            .unwrap();
        let declined = problem(declined, 401).await;
        assert!(declined["detail"].as_str().unwrap().contains("access_denied"), "{declined}");
        // A reply with neither a code nor an error authorizes nothing either.
        let empty = start(&app, "google", None).await;
        let res = app
            .request(reqwest::Method::GET, &format!("/api/v1/auth/oauth/google/callback?state={}", empty.state))
            .header("cookie", format!("psma_oauth={}", empty.binding))
            .send()
            .await
            .unwrap();
        let res = problem(res, 401).await;
        assert!(res["detail"].as_str().unwrap().contains("neither a code nor an error"), "{res}");
        // … and the declined one used its sign-in up.
        problem(callback(&app, "google", "late", &started.state, Some(&started.binding)).await, 401).await;

        idp.break_jwks();
        let body = problem(sign_in(&app, &idp, "google", &person, None, Forgery::None).await, 502).await;
        assert_eq!(body["type"], "urn:psma:problem:upstream");
        for fault in [TokenFault::ServerError, TokenFault::InvalidClient, TokenFault::Slow] {
            idp.fail_token_endpoint(fault);
            for provider in ["google", "github"] {
                let body = problem(sign_in(&app, &idp, provider, &person, None, Forgery::None).await, 502).await;
                assert!(body["detail"].as_str().unwrap().contains(provider), "{fault:?}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn unknown_providers_and_local_mode_answer_404_bad_parameters_422_and_an_empty_reply_401() {
    let (app, _idp) = oauth_app(crate::support::Backend::Sqlite, |_| {}).await;
    problem(app.get("/api/v1/auth/oauth/myspace/start").await, 404).await;
    problem(
        app.get(&format!(
            "/api/v1/auth/oauth/myspace/callback?code=c&state={}",
            "a".repeat(64)
        ))
        .await,
        404,
    )
    .await;
    let bad_state = problem(
        app.get("/api/v1/auth/oauth/google/callback?code=c&state=xyz")
            .await,
        422,
    )
    .await;
    assert_eq!(bad_state["errors"][0]["field"], "state");
    let no_code = problem(
        app.get(&format!(
            "/api/v1/auth/oauth/google/callback?state={}",
            "a".repeat(64)
        ))
        .await,
        401,
    )
    .await;
    assert_eq!(no_code["type"], "urn:psma:problem:unauthenticated");
    problem(
        app.get(&format!(
            "/api/v1/auth/oauth/google/start?invitation={}",
            "a".repeat(201)
        ))
        .await,
        422,
    )
    .await;

    let hosted_without = hosted_app(crate::support::Backend::Sqlite).await;
    problem(
        hosted_without.get("/api/v1/auth/oauth/google/start").await,
        404,
    )
    .await;
    let local = TestApp::spawn(crate::support::Backend::Sqlite).await;
    problem(local.get("/api/v1/auth/oauth/google/start").await, 404).await;
}
