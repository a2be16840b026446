use super::*;

fn manifest(path: &str, text: &str) -> Manifest {
    Manifest::parse(path, text).unwrap()
}

fn crate_toml(name: &str, rest: &str) -> String {
    format!("[package]\nname = \"{name}\"\n\n{rest}\n\n[lints]\nworkspace = true\n")
}

fn violations(path: &str, name: &str, rest: &str) -> Vec<String> {
    let workspace = Workspace {
        plugins: vec!["psma-plugin-echo".to_owned()],
        ..Workspace::default()
    };
    check_manifest(&manifest(path, &crate_toml(name, rest)), &workspace)
        .into_iter()
        .map(|v| v.to_string())
        .collect()
}

fn core(rest: &str) -> Vec<String> {
    violations("crates/psma-core/Cargo.toml", "psma-core", rest)
}

#[test]
fn a_clean_core_has_no_violations() {
    let found = core(
        "[dependencies]\nserde.workspace = true\nuuid = { workspace = true, features = [\"v7\"] }\n\
         [dev-dependencies]\ntokio.workspace = true\nproptest.workspace = true\n\
         psma-core = { workspace = true, features = [\"testing\"] }",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn core_depending_on_sea_orm_is_reported() {
    let found = core("[dependencies]\nsea-orm.workspace = true");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with(
        "crates/psma-core/Cargo.toml: psma-core must not depend on the framework crate sea-orm"
    ));
}

#[test]
fn core_depending_on_any_actix_crate_is_reported() {
    assert_eq!(core("[dependencies]\nactix-rt.workspace = true").len(), 1);
}

#[test]
fn core_depending_on_tokio_is_reported() {
    let found = core("[dependencies]\ntokio.workspace = true");
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("async runtime tokio"));
}

#[test]
fn core_depending_on_tokio_for_a_target_is_reported() {
    assert_eq!(
        core("[target.'cfg(unix)'.dependencies]\ntokio.workspace = true").len(),
        1
    );
}

#[test]
fn core_tests_may_use_tokio_but_not_an_adapter() {
    let found = core("[dev-dependencies]\ntokio.workspace = true\npsma-store.workspace = true");
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("adapter crate psma-store"));
}

#[test]
fn core_depending_on_a_plugin_is_reported() {
    assert_eq!(
        core("[dependencies]\npsma-plugin-echo.workspace = true").len(),
        1
    );
}

#[test]
fn a_renamed_dependency_is_checked_under_its_real_name() {
    let found = core("[dependencies]\ndb = { workspace = true, package = \"sqlx\" }");
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("framework crate sqlx"));
}

#[test]
fn a_rename_in_the_workspace_table_is_resolved() {
    let workspace = Workspace {
        dependencies: "web = { version = \"4\", package = \"actix-web\" }"
            .parse()
            .unwrap(),
        plugins: Vec::new(),
    };
    let sdk = manifest(
        "crates/psma-plugin-sdk/Cargo.toml",
        &crate_toml("psma-plugin-sdk", "[dependencies]\nweb.workspace = true"),
    );
    assert_eq!(check_manifest(&sdk, &workspace).len(), 1);
}

#[test]
fn the_plugin_sdk_depending_on_reqwest_is_reported() {
    let found = violations(
        "crates/psma-plugin-sdk/Cargo.toml",
        "psma-plugin-sdk",
        "[dependencies]\nreqwest.workspace = true",
    );
    assert_eq!(found.len(), 1);
}

#[test]
fn the_plugin_sdk_may_use_tokio() {
    let found = violations(
        "crates/psma-plugin-sdk/Cargo.toml",
        "psma-plugin-sdk",
        "[dependencies]\ntokio.workspace = true",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_plugin_may_depend_on_the_sdk_and_general_crates() {
    let found = violations(
        "plugins/echo/Cargo.toml",
        "psma-plugin-echo",
        "[dependencies]\npsma-plugin-sdk.workspace = true\nserde.workspace = true\nreqwest.workspace = true",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_plugin_depending_on_the_core_is_reported() {
    let found = violations(
        "plugins/echo/Cargo.toml",
        "psma-plugin-echo",
        "[dependencies]\npsma-core.workspace = true",
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("may depend on psma-plugin-sdk only, not on psma-core"));
}

#[test]
fn an_adapter_depending_on_another_adapter_is_reported() {
    let found = violations(
        "crates/psma-api/Cargo.toml",
        "psma-api",
        "[dependencies]\npsma-store.workspace = true",
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("adapter psma-api must not depend on psma-store"));
}

#[test]
fn an_adapter_depending_on_the_binary_is_reported() {
    let found = violations(
        "crates/psma-worker/Cargo.toml",
        "psma-worker",
        "[dev-dependencies]\npsma.workspace = true",
    );
    assert_eq!(found.len(), 1);
}

#[test]
fn the_store_may_depend_on_the_migrations_but_other_adapters_may_not() {
    let deps = "[dependencies]\npsma-core.workspace = true\npsma-migrations.workspace = true";
    assert_eq!(
        violations("crates/psma-store/Cargo.toml", "psma-store", deps),
        Vec::<String>::new()
    );
    assert_eq!(
        violations("crates/psma-api/Cargo.toml", "psma-api", deps).len(),
        1
    );
}

#[test]
fn the_binary_may_depend_on_every_adapter() {
    let deps = ADAPTERS.map(|a| format!("{a}.workspace = true")).join("\n");
    let found = violations(
        "crates/psma/Cargo.toml",
        "psma",
        &format!("[dependencies]\n{deps}"),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_literal_version_is_reported() {
    let found = violations(
        "crates/psma-api/Cargo.toml",
        "psma-api",
        "[dependencies]\nfutures-util = { version = \"0.3\", default-features = false }\nonce = \"1\"",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("`futures-util` declares a literal version"));
    assert!(found[1].contains("`once` declares version \"1\""));
}

#[test]
fn a_path_dependency_outside_xtask_is_reported() {
    let found = violations(
        "crates/psma/Cargo.toml",
        "psma",
        "[dependencies]\nlocal = { path = \"../local\" }",
    );
    assert_eq!(found.len(), 1);
}

#[test]
fn xtask_may_use_a_path_dependency() {
    let found = violations(
        "xtask/Cargo.toml",
        "xtask",
        "[dependencies]\nlocal = { path = \"../local\" }",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_crate_without_workspace_lints_is_reported() {
    let text = "[package]\nname = \"psma-llm\"\n";
    let found = check_manifest(
        &manifest("crates/psma-llm/Cargo.toml", text),
        &Workspace::default(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        "crates/psma-llm/Cargo.toml: missing `[lints] workspace = true`"
    );
}

#[test]
fn establishing_a_tenant_in_a_store_module_is_reported_with_its_line() {
    let text = "fn f() {\n    let ctx = TenantCtx::establish(t, None, vec![]);\n}\n";
    let found = check_establish_calls("crates/psma-store/src/accounts.rs", text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "crates/psma-store/src/accounts.rs:2");
}

#[test]
fn establishing_a_tenant_in_the_allowed_places_is_fine() {
    let text = "TenantCtx::establish(t, None, vec![])";
    for path in [
        "crates/psma-core/src/tenancy.rs",
        "crates/psma-core/src/testing.rs",
        "crates/psma-core/tests/accounts.rs",
        "crates/psma/tests/api/main.rs",
        "plugins/echo/tests/smoke.rs",
        "crates/psma-api/src/extract/tenant.rs",
        "crates/psma-worker/src/job_context.rs",
        "crates/psma-worker/src/runner/job_context.rs",
        "crates/psma/src/cli/import.rs",
        "crates/psma/src/catalog.rs",
    ] {
        assert_eq!(check_establish_calls(path, text), Vec::new(), "{path}");
    }
}

#[test]
fn establishing_a_tenant_elsewhere_in_the_api_or_worker_is_reported() {
    let text = "TenantCtx::establish(t, None, vec![])";
    for path in [
        "crates/psma-api/src/routes.rs",
        "crates/psma-api/src/extract.rs",
        "crates/psma-worker/src/runner.rs",
        "crates/psma-core/src/audit.rs",
        "crates/psma/src/app.rs",
        "crates/tests.rs",
    ] {
        assert_eq!(check_establish_calls(path, text).len(), 1, "{path}");
    }
}

#[test]
fn establishing_a_system_context_is_held_to_the_same_boundary() {
    let text = "let system = SystemCtx::establish(\"refresh\");";
    assert_eq!(
        check_establish_calls("crates/psma-store/src/catalog.rs", text).len(),
        1
    );
    assert!(check_establish_calls("crates/psma-worker/src/job_context.rs", text).is_empty());
}

#[test]
fn a_workspace_without_plugins_is_checked() {
    let root = std::env::temp_dir().join(format!("xtask-tidy-{}", std::process::id()));
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    write("crates/psma-core/Cargo.toml", &crate_toml("psma-core", ""));
    write(
        "crates/psma-core/src/lib.rs",
        "pub fn f() { TenantCtx::establish(a, b, c); }\n",
    );
    let report = check_workspace(&root).unwrap();
    fs::remove_dir_all(&root).unwrap();
    assert_eq!(report.crates_checked, 1);
    assert_eq!(report.violations.len(), 1);
    assert_eq!(report.violations[0].path, "crates/psma-core/src/lib.rs:1");
}
