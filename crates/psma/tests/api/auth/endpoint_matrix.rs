//! The endpoint matrix (issue 9, item 4), generated from the OpenAPI document the server serves:
//! every operation that declares the bearer scheme × (no token, expired, not yet valid, wrong
//! audience, wrong issuer, tampered signature, `alg: none`, a refresh token, a key not in the
//! set) answers 401; and with another household's valid token, no operation answers 2xx for
//! household A's resource ids, nor lists any of them. A new endpoint joins by being routed and
//! documented.

use super::rls_matrix::busy_household;
use super::support::{get_as, hosted_app_keys};
use crate::support::{TestApp, on_both_backends};
use base64::Engine as _;
use chrono::{Duration, Utc};
use psma_auth::{JwtTokens, KeySet};
use psma_core::accounts::sessions::{TokenClaims, TokenIssuer as _, TokenKind};
use psma_core::tenancy::{Role, TenantId, UserId};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

/// One operation of the document.
struct Operation {
    method: Method,
    path: String,
    /// Its success is an endless event stream (`text/event-stream`): never read to the end.
    stream: bool,
}

/// The operations that need the bearer token (declared globally, not waived with `security: [{}]`).
fn protected(document: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if op.get("security") == Some(&serde_json::json!([{}])) {
                continue;
            }
            out.push(Operation {
                method,
                path: path.clone(),
                stream: op["responses"]["200"]["content"]
                    .get("text/event-stream")
                    .is_some(),
            });
        }
    }
    assert!(out.len() > 30, "{} protected operations", out.len());
    out
}

/// `path` with each parameter filled: ids with `id`, registry and source ids with real ones.
fn filled(path: &str, id: &str) -> String {
    path.replace("{service_id}", "netflix")
        .replace("{source_id}", "demo")
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                id.to_owned()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn send(app: &TestApp, op: &Operation, path: &str, bearer: Option<&str>) -> (u16, String) {
    let mut request = app.request(op.method.clone(), path);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if matches!(op.method, Method::POST | Method::PUT | Method::PATCH) {
        request = request.json(&serde_json::json!({}));
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Tokens that must not get in, by name.
fn forged(keys_dir: &std::path::Path, valid: &str) -> Vec<(&'static str, String)> {
    let pem = std::fs::read_dir(keys_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let keys =
        std::sync::Arc::new(KeySet::from_pems([std::fs::read_to_string(pem).unwrap()]).unwrap());
    let ours = JwtTokens::new(keys.clone(), "https://psma.test", "psma", 0);
    let now = Utc::now();
    let claims = |from: Duration, to: Duration| TokenClaims {
        user_id: UserId::generate(),
        tenant_id: TenantId::generate(),
        roles: vec![Role::OWNER],
        id: uuid::Uuid::now_v7(),
        family: Some(uuid::Uuid::now_v7()),
        issued_at: now + from,
        expires_at: now + to,
    };
    let live = claims(Duration::zero(), Duration::minutes(15));
    let other_key =
        std::sync::Arc::new(KeySet::from_pems([psma_auth::generate_pem().unwrap()]).unwrap());
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let payload = valid.split('.').nth(1).unwrap();
    let mut tampered = valid.to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    vec![
        (
            "expired",
            ours.issue(
                TokenKind::Access,
                &claims(Duration::hours(-2), Duration::hours(-1)),
            )
            .unwrap(),
        ),
        (
            "not yet valid",
            ours.issue(
                TokenKind::Access,
                &claims(Duration::hours(1), Duration::hours(2)),
            )
            .unwrap(),
        ),
        (
            "wrong audience",
            JwtTokens::new(keys.clone(), "https://psma.test", "elsewhere", 0)
                .issue(TokenKind::Access, &live)
                .unwrap(),
        ),
        (
            "wrong issuer",
            JwtTokens::new(keys.clone(), "https://evil.test", "psma", 0)
                .issue(TokenKind::Access, &live)
                .unwrap(),
        ),
        ("tampered signature", tampered),
        (
            "alg none",
            format!(
                "{}.{payload}.",
                b64(&serde_json::json!({"alg": "none", "typ": "at+jwt"}))
            ),
        ),
        (
            "refresh token",
            ours.issue(TokenKind::Refresh, &live).unwrap(),
        ),
        (
            "unknown key",
            JwtTokens::new(other_key, "https://psma.test", "psma", 0)
                .issue(TokenKind::Access, &live)
                .unwrap(),
        ),
    ]
}

/// Every id-shaped string in a JSON text.
fn uuids(text: &str) -> BTreeSet<String> {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let mut out = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if uuid::Uuid::parse_str(&s).is_ok() && s.len() == 36 => {
                out.insert(s);
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}

on_both_backends! {
    async fn every_protected_endpoint_refuses_bad_tokens_and_other_households(backend: Backend) {
        let (app, keys) = hosted_app_keys(backend, |s| {
            // No background work: the matrix reads A's records while nothing changes them.
            s.worker.embedded = false;
            // Hundreds of requests from one address: the limits are tested in edge.rs.
            s.server.rate_limits.enabled = Some(false);
        })
        .await;
        let (a_tenant, a) = busy_household(&app, "alpha").await;
        let (_, b) = busy_household(&app, "beta").await;
        let document: Value = app.get_json("/api/v1/openapi.json").await;
        let operations = protected(&document);

        // 1. Without a valid token of this server, nothing protected answers but 401.
        let mut cases = vec![("no token", None)];
        let bad = forged(&keys, &a);
        cases.extend(bad.iter().map(|(name, token)| (*name, Some(token.as_str()))));
        for op in &operations {
            let path = filled(&op.path, &uuid::Uuid::new_v4().to_string());
            for (name, token) in &cases {
                let (status, body) = send(&app, op, &path, *token).await;
                assert_eq!(status, 401, "{} {} × {name}: {body}", op.method, op.path);
                assert!(body.contains("urn:psma:problem:unauthenticated"), "{} {} × {name}: {body}", op.method, op.path);
            }
        }

        // 2. A's ids, from what A can read.
        let mut a_ids = BTreeSet::new();
        let readable = |o: &&Operation| o.method == Method::GET && !o.path.contains('{') && !o.stream;
        assert!(operations.iter().any(|o| o.stream), "the live-update stream is protected too (step 1)");
        for op in operations.iter().filter(readable) {
            let (status, body) = send(&app, op, &op.path, Some(&a)).await;
            if status == 200 {
                a_ids.extend(uuids(&body));
            }
        }
        a_ids.remove(&a_tenant);
        // Shared ids (the registry, the demo catalog's shows) are everyone's; keep A's own.
        let mut shared = BTreeSet::new();
        let mut seen_by_b = std::collections::BTreeMap::new();
        for op in operations.iter().filter(readable) {
            let (status, body) = send(&app, op, &op.path, Some(&b)).await;
            if status == 200 {
                for id in uuids(&body) {
                    seen_by_b.insert(id.clone(), op.path.clone());
                    shared.insert(id);
                }
            }
        }
        let a_only: Vec<String> = a_ids.difference(&shared).cloned().collect();
        assert!(a_only.len() >= 8, "A's own ids: {a_only:?}");
        // B reads none of A's own records: its private show, its conflicts, its plan, itself.
        // (Read after the collection above, which saw them: nothing runs in the background.)
        let a_conflicts: Value = get_as(&app, "/api/v1/conflicts", &a).await.json().await.unwrap();
        let a_plan: Value = get_as(&app, "/api/v1/plans/current", &a).await.json().await.unwrap();
        let a_me: Value = get_as(&app, "/api/v1/me", &a).await.json().await.unwrap();
        for own in [&a_conflicts["items"][0]["id"], &a_conflicts["items"][0]["show_id"], &a_plan["id"], &a_me["user"]["id"]] {
            let own = own.as_str().unwrap().to_owned();
            assert!(a_only.contains(&own), "{own} is A's and must not be listed to B (listed by {:?})", seen_by_b.get(&own));
        }

        // 3. B reaches none of them, by any operation naming a record by id (not a registry
        // service or a source).
        let by_id = |o: &&Operation| {
            o.path.split('/').any(|seg| seg.starts_with('{') && seg != "{service_id}" && seg != "{source_id}")
        };
        for op in operations.iter().filter(by_id) {
            for id in &a_only {
                let path = filled(&op.path, id);
                let (status, body) = send(&app, op, &path, Some(&b)).await;
                assert!(!(200..300).contains(&status), "{} {path} as another household: {status} {body}", op.method);
                assert!(status < 500, "{} {path}: {status} {body}", op.method);
            }
        }
    }
}
