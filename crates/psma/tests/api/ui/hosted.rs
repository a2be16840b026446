//! The web UI in hosted mode: a page sends a stranger to sign in and back, the session lives in
//! HttpOnly cookies that never authenticate the API, an expired page session is renewed once
//! however many tabs ask, signing out ends it, and an invitation link signs the new member in.

use super::{Browser, see_other};
use crate::auth::support::{PASSWORD, access_token, hosted_app, household_with_password, post_as};
use crate::support::on_both_backends;

on_both_backends! {
    async fn a_page_sends_a_stranger_to_sign_in_and_back(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "alpha").await;
        let mut browser = Browser::new(&app);

        let res = browser.get_raw("/plan").await;
        assert_eq!(see_other(&res), "/session/renew?next=%2Fplan");
        let res = browser.get_raw("/session/renew?next=%2Fplan").await;
        assert_eq!(see_other(&res), "/login?next=%2Fplan", "no session to renew: sign in");
        let login = browser.get("/login?next=%2Fplan").await;
        assert_eq!(login.status, 200);
        assert!(login.body.contains(r#"<input type="hidden" name="next" value="/plan">"#));

        let wrong = browser.post("/login", &[("email", "owner@alpha.test"), ("password", "not the password"), ("next", "/plan")]).await;
        assert_eq!(wrong.status(), 401);
        assert!(wrong.text().await.unwrap().contains("The email or the password is not right."));
        assert!(browser.cookie_value("psma_at").is_none());

        // An open redirect is not on offer: `next` must be a path here.
        let res = browser.post("/login", &[("email", "owner@alpha.test"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
        assert_eq!(see_other(&res), "/");
        let cookies: Vec<String> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let access = cookies.iter().find(|c| c.starts_with("psma_at=")).unwrap();
        let refresh = cookies.iter().find(|c| c.starts_with("psma_rt=")).unwrap();
        for c in [access, refresh] {
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
        }
        assert!(access.contains("Path=/;") && refresh.contains("Path=/session;"), "the refresh token goes to /session only: {refresh}");

        let plan = browser.get("/plan").await;
        assert_eq!(plan.status, 200);
        assert!(plan.body.contains(r#"action="/session/logout""#), "a sign-out button");

        // The cookie is the page session's only: the API still wants a bearer token.
        let api = app.request(reqwest::Method::GET, "/api/v1/me").header("cookie", format!("psma_at={}", browser.cookie_value("psma_at").unwrap())).send().await.unwrap();
        assert_eq!(api.status(), 401);
    }
}

on_both_backends! {
    async fn an_expired_page_session_is_renewed_once_however_many_tabs_ask(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "alpha").await;
        let mut browser = Browser::new(&app);
        browser.get("/login").await;
        let res = browser.post("/login", &[("email", "owner@alpha.test"), ("password", PASSWORD), ("next", "/my-shows")]).await;
        assert_eq!(see_other(&res), "/my-shows");

        // The access cookie lapses (its Max-Age is the token's life); the next page renews it.
        browser.forget("psma_at");
        let res = browser.get_raw("/my-shows").await;
        let renew = see_other(&res);
        assert_eq!(renew, "/session/renew?next=%2Fmy-shows");
        // Two tabs at once, with the same single-use refresh token.
        let refresh = browser.cookie_value("psma_rt").unwrap();
        let ask = || {
            app.request(reqwest::Method::GET, &renew)
                .header("accept", "text/html")
                .header("cookie", format!("psma_rt={refresh}"))
                .send()
        };
        let (a, b) = tokio::join!(ask(), ask());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((see_other(&a), see_other(&b)), ("/my-shows".to_owned(), "/my-shows".to_owned()), "neither is sent to sign in");
        let res = browser.get_raw(&renew).await;
        assert_eq!(see_other(&res), "/my-shows");
        assert!(browser.cookie_value("psma_at").is_some());
        assert_eq!(browser.get("/my-shows").await.status, 200, "the session was not revoked");

        // Signing out ends it: cookies cleared, the refresh token renews nothing any more.
        let old_refresh = browser.cookie_value("psma_rt").unwrap();
        let res = browser.post("/session/logout", &[]).await;
        assert_eq!(see_other(&res), "/login");
        assert!(browser.cookie_value("psma_at").is_none() && browser.cookie_value("psma_rt").is_none());
        let stale = app.request(reqwest::Method::GET, "/session/renew?next=%2F").header("cookie", format!("psma_rt={old_refresh}")).send().await.unwrap();
        assert_eq!(see_other(&stale), "/login?next=%2F");
    }
}

on_both_backends! {
    async fn an_invitation_link_signs_the_new_member_in(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;
        let invitation: serde_json::Value = post_as(&app, "/api/v1/invitations", &owner, &serde_json::json!({"email": "kid@home.test"})).await.json().await.unwrap();
        let token = invitation["token"].as_str().unwrap();

        let mut browser = Browser::new(&app);
        let form = browser.get(&format!("/invitations/accept?token={token}")).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains(&format!(r#"<input type="hidden" name="token" value="{token}">"#)));
        let res = browser.post("/invitations/accept", &[("token", token), ("display_name", "Kid"), ("password", "password1234")]).await;
        assert_eq!(res.status(), 422, "a common password");
        assert!(res.text().await.unwrap().contains(r#"<p class="error" id="password-error">"#));
        let res = browser.post("/invitations/accept", &[("token", token), ("display_name", "Kid"), ("password", PASSWORD)]).await;
        assert_eq!(see_other(&res), "/");
        let home = browser.get("/").await;
        assert_eq!(home.status, 200);
        let used = browser.post("/invitations/accept", &[("token", token), ("password", PASSWORD)]).await;
        assert_eq!(used.status(), 401);
        assert!(used.text().await.unwrap().contains("not valid any more"));
    }
}

#[tokio::test]
async fn local_mode_has_no_sign_in_pages() {
    let app = crate::support::TestApp::spawn(crate::support::Backend::Sqlite).await;
    let mut browser = Browser::new(&app);
    let res = browser.get_raw("/login").await;
    assert_eq!(see_other(&res), "/");
    let home = browser.get("/").await;
    assert!(!home.body.contains("/session/logout"), "nobody to sign out");
}
