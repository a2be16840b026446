//! RBAC: custom roles grant exactly their permissions, role assignment follows the rules, and
//! the checks live in the use cases (so the answer is the same whoever asks).

use super::support::{
    PASSWORD, access_token, get_as, hosted_app, household_with_password, post, post_as, psma,
};
use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use reqwest::Method;
use serde_json::{Value, json};

/// `method path` as `token`, with an optional JSON body; the status and the body.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.request(method, path).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Invites `email` with `roles` as `owner` and accepts; the newcomer's access token and id.
async fn join(app: &TestApp, owner: &str, email: &str, roles: &[&str]) -> (String, String) {
    let invitation: Value = post_as(
        app,
        "/api/v1/invitations",
        owner,
        &json!({"email": email, "roles": roles}),
    )
    .await
    .json()
    .await
    .unwrap();
    let token = invitation["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{invitation}"));
    let joined: Value = post(
        app,
        "/api/v1/invitations/accept",
        &json!({"token": token, "password": PASSWORD}),
    )
    .await
    .json()
    .await
    .unwrap();
    let access = joined["access_token"].as_str().unwrap().to_owned();
    let me: Value = get_as(app, "/api/v1/me", &access)
        .await
        .json()
        .await
        .unwrap();
    (access, me["user"]["id"].as_str().unwrap().to_owned())
}

on_both_backends! {
    async fn a_custom_role_grants_exactly_its_permissions_and_changes_apply_at_once(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;

        let (status, role) = call(&app, Method::POST, "/api/v1/roles", &owner, Some(json!({
            "name": "planner", "description": "Plans, nothing else",
            "permissions": ["plans:read", "my_shows:write", "my_shows:read", "catalog:read"]}))).await;
        assert_eq!(status, 201, "{role}");
        assert_eq!(role["permissions"], json!(["catalog:read", "my_shows:read", "my_shows:write", "plans:read"]), "in a fixed order");
        let (_, roles) = call(&app, Method::GET, "/api/v1/roles", &owner, None).await;
        let names: Vec<&str> = roles["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["owner", "admin", "member", "viewer", "planner"]);

        let (planner, planner_id) = join(&app, &owner, "p@home.test", &["planner"]).await;
        assert_eq!(call(&app, Method::GET, "/api/v1/my-shows", &planner, None).await.0, 200);
        let (status, refused) = call(&app, Method::GET, "/api/v1/advice", &planner, None).await;
        assert_eq!(status, 403);
        assert!(refused["detail"].as_str().unwrap().contains("advice:read"), "{refused}");
        assert_eq!(call(&app, Method::POST, "/api/v1/roles", &planner, Some(json!({"name": "x", "permissions": []}))).await.0, 403);

        // Narrowed: the same token loses the permission with its next request.
        let (status, _) = call(&app, Method::PATCH, "/api/v1/roles/planner", &owner, Some(json!({"permissions": ["catalog:read", "plans:read"]}))).await;
        assert_eq!(status, 200);
        assert_eq!(call(&app, Method::GET, "/api/v1/my-shows", &planner, None).await.0, 403);

        // Held roles are not deleted; system roles are neither changed nor deleted.
        assert_eq!(call(&app, Method::DELETE, "/api/v1/roles/planner", &owner, None).await.0, 409);
        assert_eq!(call(&app, Method::PATCH, "/api/v1/roles/member", &owner, Some(json!({"description": "x"}))).await.0, 409);
        assert_eq!(call(&app, Method::DELETE, "/api/v1/roles/owner", &owner, None).await.0, 409);
        assert_eq!(call(&app, Method::POST, "/api/v1/roles", &owner, Some(json!({"name": "admin", "permissions": []}))).await.0, 409);
        let (status, bad) = call(&app, Method::POST, "/api/v1/roles", &owner, Some(json!({"name": "ops", "permissions": ["tenants:read"]}))).await;
        assert_eq!((status, bad["errors"][0]["field"].as_str()), (422, Some("permissions")), "{bad}");
        let (status, bad) = call(&app, Method::POST, "/api/v1/roles", &owner, Some(json!({"name": "Bad Name", "permissions": []}))).await;
        assert_eq!((status, bad["errors"][0]["field"].as_str()), (422, Some("name")), "{bad}");

        let (status, member) = call(&app, Method::PUT, &format!("/api/v1/users/{planner_id}/roles"), &owner, Some(json!({"roles": ["viewer"]}))).await;
        assert_eq!((status, &member["roles"]), (200, &json!(["viewer"])), "{member}");
        assert_eq!(call(&app, Method::DELETE, "/api/v1/roles/planner", &owner, None).await.0, 204);
        assert_eq!(call(&app, Method::GET, "/api/v1/roles/planner", &owner, None).await.0, 404);

        let actions = audit_actions(&app).await;
        for action in ["role.create", "role.update", "user.roles", "role.delete"] {
            assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
        }
    }
}

on_both_backends! {
    async fn nobody_hands_out_more_than_they_hold(backend: Backend) {
        let app = hosted_app(backend).await;
        let (_, owner_id) = household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;
        let (admin, admin_id) = join(&app, &owner, "a@home.test", &["admin"]).await;
        let (_, member_id) = join(&app, &owner, "m@home.test", &["member"]).await;
        let roles_of = |id: &str| format!("/api/v1/users/{id}/roles");

        // An admin acts on members, not on owners, not on themselves, and makes no owner.
        assert_eq!(call(&app, Method::PUT, &roles_of(&member_id), &admin, Some(json!({"roles": ["viewer", "member"]}))).await.0, 200);
        assert_eq!(call(&app, Method::PUT, &roles_of(&owner_id.0.to_string()), &admin, Some(json!({"roles": ["viewer"]}))).await.0, 403);
        assert_eq!(call(&app, Method::PUT, &roles_of(&member_id), &admin, Some(json!({"roles": ["owner"]}))).await.0, 403);
        assert_eq!(call(&app, Method::PUT, &roles_of(&admin_id), &admin, Some(json!({"roles": ["member"]}))).await.0, 409);
        // The platform operator's role is the CLI's; an unknown role is not found; no role at
        // all is refused by name.
        assert_eq!(call(&app, Method::PUT, &roles_of(&member_id), &owner, Some(json!({"roles": ["platform_operator"]}))).await.0, 403);
        assert_eq!(call(&app, Method::PUT, &roles_of(&member_id), &owner, Some(json!({"roles": ["ghost"]}))).await.0, 404);
        let (status, body) = call(&app, Method::PUT, &roles_of(&member_id), &owner, Some(json!({"roles": []}))).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("roles")), "{body}");
        // An invitation obeys the same rules.
        assert_eq!(post_as(&app, "/api/v1/invitations", &admin, &json!({"email": "o2@home.test", "roles": ["owner"]})).await.status(), 403);

        // A role keeper may create roles, but only with what they hold themselves.
        assert_eq!(call(&app, Method::POST, "/api/v1/roles", &owner, Some(json!({"name": "role-keeper", "permissions": ["roles:read", "roles:write"]}))).await.0, 201);
        let (keeper, _) = join(&app, &owner, "k@home.test", &["role-keeper"]).await;
        let (status, body) = call(&app, Method::POST, "/api/v1/roles", &keeper, Some(json!({"name": "sneaky", "permissions": ["members:write"]}))).await;
        assert_eq!(status, 403, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("members:write"), "{body}");
        assert_eq!(call(&app, Method::POST, "/api/v1/roles", &keeper, Some(json!({"name": "readers", "permissions": ["roles:read"]}))).await.0, 201);
        // A viewer changes nothing.
        let (viewer, _) = join(&app, &owner, "v@home.test", &["viewer"]).await;
        assert_eq!(call(&app, Method::PUT, "/api/v1/settings", &viewer, Some(json!({}))).await.0, 403);
        assert_eq!(call(&app, Method::GET, "/api/v1/users", &viewer, None).await.0, 200);
    }
}

on_both_backends! {
    async fn a_removed_member_is_restored_until_the_trash_is_purged(backend: Backend) {
        let app = hosted_app(backend).await;
        household_with_password(&app, "home").await;
        let owner = access_token(&app, "owner@home.test").await;
        let (member, member_id) = join(&app, &owner, "m@home.test", &["member"]).await;
        let user = format!("/api/v1/users/{member_id}");

        assert_eq!(call(&app, Method::DELETE, &user, &member, None).await.0, 403, "a member removes nobody");
        assert_eq!(call(&app, Method::DELETE, "/api/v1/trash", &member, None).await.0, 403);
        assert_eq!(call(&app, Method::DELETE, &user, &owner, None).await.0, 200);
        problem(post(&app, "/api/v1/auth/login", &json!({"email": "m@home.test", "password": PASSWORD})).await, 401).await;
        let (_, users) = call(&app, Method::GET, "/api/v1/users", &owner, None).await;
        assert!(!users.to_string().contains("m@home.test"), "{users}");
        assert_eq!(call(&app, Method::DELETE, &user, &owner, None).await.0, 404, "already removed");

        let (status, back) = call(&app, Method::POST, &format!("{user}/restore"), &owner, None).await;
        assert_eq!((status, back["roles"].clone()), (200, json!(["member"])), "{back}");
        access_token(&app, "m@home.test").await;

        assert_eq!(call(&app, Method::DELETE, &user, &owner, None).await.0, 200);
        let (status, purged) = call(&app, Method::DELETE, "/api/v1/trash", &owner, None).await;
        assert_eq!((status, purged["users"].as_u64()), (200, Some(1)), "{purged}");
        assert_eq!(call(&app, Method::POST, &format!("{user}/restore"), &owner, None).await.0, 404, "purged for good");

        let actions = audit_actions(&app).await;
        for action in ["user.delete", "user.restore", "tenant.purge"] {
            assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
        }
    }
}

on_both_backends! {
    async fn only_a_platform_operator_manages_households(backend: Backend) {
        let app = hosted_app(backend).await;
        let (home, _) = household_with_password(&app, "home").await;
        household_with_password(&app, "away").await;
        let away = access_token(&app, "owner@away.test").await;
        assert_eq!(call(&app, Method::GET, "/api/v1/admin/tenants", &away, None).await.0, 403);

        psma(&app, &["user", "operator", "--tenant", &home.0.to_string(), "--email", "owner@home.test"]);
        let operator = access_token(&app, "owner@home.test").await;
        let (status, page) = call(&app, Method::GET, "/api/v1/admin/tenants?limit=1", &operator, None).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let (_, rest) = call(&app, Method::GET, &format!("/api/v1/admin/tenants?cursor={}", page["next_cursor"].as_str().unwrap()), &operator, None).await;
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
        assert!(rest["next_cursor"].is_null());

        let (status, created) = call(&app, Method::POST, "/api/v1/admin/tenants", &operator, Some(json!({"name": "New home", "owner_email": "first@new.test"}))).await;
        assert_eq!(status, 201, "{created}");
        let reset = created["owner_reset"]["token"].as_str().unwrap();
        assert_eq!(post(&app, "/api/v1/auth/password-reset", &json!({"token": reset, "password": PASSWORD})).await.status(), 200);
        let newcomer = access_token(&app, "first@new.test").await;
        let (_, me) = call(&app, Method::GET, "/api/v1/me", &newcomer, None).await;
        assert_eq!(me["tenant"]["name"], "New home");
        assert_eq!(call(&app, Method::GET, "/api/v1/admin/tenants", &newcomer, None).await.0, 403);
        let (status, taken) = call(&app, Method::POST, "/api/v1/admin/tenants", &operator, Some(json!({"name": "Again", "owner_email": "first@new.test"}))).await;
        assert_eq!(status, 409, "{taken}");

        psma(&app, &["user", "operator", "--tenant", &home.0.to_string(), "--email", "owner@home.test", "--revoke"]);
        let plain = access_token(&app, "owner@home.test").await;
        assert_eq!(call(&app, Method::GET, "/api/v1/admin/tenants", &plain, None).await.0, 403);
    }
}
