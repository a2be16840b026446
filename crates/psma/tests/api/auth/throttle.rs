//! The per-account sign-in throttle: back-off, then lockout, each refused with 429 and
//! `Retry-After`; a successful sign-in (after the wait) resets it.

use super::support::{PASSWORD, hosted_app_with, household_with_password, login};
use crate::support::{audit_actions, on_both_backends, problem};

on_both_backends! {
    async fn repeated_failures_make_the_account_wait(backend: Backend) {
        // A three-second first wait: room for a loaded machine between two requests.
        let app = hosted_app_with(backend, |s| s.auth.login_backoff = std::time::Duration::from_secs(3)).await;
        household_with_password(&app, "home").await;
        // Three free failures, then the fourth sets the first wait.
        for _ in 0..4 {
            problem(login(&app, "owner@home.test", "guess").await, 401).await;
        }
        // Even the right password waits it out, unchecked.
        let res = login(&app, "owner@home.test", PASSWORD).await;
        assert_eq!(res.status(), 429);
        let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3).contains(&wait), "{wait}");
        let body = problem(res, 429).await;
        assert_eq!(body["type"], "urn:psma:problem:throttled");

        tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
        assert_eq!(login(&app, "owner@home.test", PASSWORD).await.status(), 200, "after the wait");
        // The success reset the count: three more free failures.
        for _ in 0..3 {
            problem(login(&app, "owner@home.test", "guess").await, 401).await;
        }
        let failed = audit_actions(&app).await.iter().filter(|a| *a == "auth.login_failed").count();
        assert_eq!(failed, 7, "every failure is audited");
    }
}
