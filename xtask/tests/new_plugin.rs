//! `cargo xtask new-plugin`: name validation, refusal to overwrite, what a scaffold contains.
//! Nothing here builds the scaffold; `cargo xtask new-plugin --check` does (see
//! `xtask::new_plugin::check`).

use std::fs;
use std::path::{Path, PathBuf};
use xtask::new_plugin::{render, run, scratch_manifest, validate_name};
use xtask::tidy::{Manifest, Workspace, check_manifest};

/// A directory under the system's temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "psma-xtask-new-plugin-{}-{tag}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Why `name` is refused; empty when it is accepted.
fn refusal(name: &str) -> String {
    validate_name(name)
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default()
}

#[test]
fn lowercase_kebab_case_names_are_accepted() {
    for name in ["tvmaze", "my-source", "tv2-nordic", "a", "x-1"] {
        assert!(validate_name(name).is_ok(), "{name} was refused");
    }
}

#[test]
fn names_that_are_not_lowercase_kebab_case_are_refused_with_the_rule() {
    for name in [
        "",
        "My-Source",
        "my_source",
        "my source",
        "-x",
        "x-",
        "a--b",
        "2fast",
        "café",
        "a.b",
    ] {
        let message = refusal(name);
        assert!(
            message.contains("lowercase kebab-case") && message.contains("`my-source`"),
            "{name:?}: {message}"
        );
    }
}

#[test]
fn a_name_with_the_package_prefix_is_refused_with_the_name_to_give() {
    let message = refusal("psma-plugin-tvmaze");
    assert!(
        message.contains("without the `psma-plugin-` prefix: `tvmaze`"),
        "{message}"
    );
}

#[test]
fn names_longer_than_a_source_id_are_refused() {
    assert!(validate_name(&"a".repeat(64)).is_ok());
    assert!(refusal(&"a".repeat(65)).contains("at most 64 characters"));
}

#[test]
fn names_that_collide_with_the_sdk_are_refused() {
    assert!(refusal("sdk").contains("the SDK itself"));
    assert!(refusal("provider").contains("ProviderFactory"));
}

#[test]
fn a_scaffold_has_every_placeholder_filled_in() {
    let files = render("my-source").unwrap();
    let paths: Vec<&str> = files.iter().map(|(path, _)| *path).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "README.md",
            "src/lib.rs",
            "tests/conformance.rs"
        ]
    );
    for (path, text) in &files {
        assert!(!text.contains("{{"), "{path} keeps a placeholder");
    }
    let text = |path: &str| &files.iter().find(|(p, _)| *p == path).unwrap().1;
    assert!(text("Cargo.toml").contains("name = \"psma-plugin-my-source\""));
    assert!(text("src/lib.rs").contains("pub const ID: &str = \"my_source\";"));
    assert!(text("src/lib.rs").contains("pub struct MySourceFactory;"));
    assert!(text("src/lib.rs").contains("const DISPLAY_NAME: &str = \"My Source\";"));
    assert!(text("tests/conformance.rs").contains("use psma_plugin_my_source::MySourceFactory;"));
}

#[test]
fn the_scaffolded_manifest_keeps_the_dependency_rule() {
    let files = render("my-source").unwrap();
    let manifest = Manifest::parse("plugins/my-source/Cargo.toml", &files[0].1).unwrap();
    let workspace = Workspace {
        plugins: vec!["psma-plugin-my-source".to_owned()],
        ..Workspace::default()
    };
    let violations = check_manifest(&manifest, &workspace);
    assert!(violations.is_empty(), "{violations:?}");
}

#[test]
fn scaffolding_writes_the_crate_into_the_given_directory() {
    let scratch = Scratch::new("writes");
    let dir = scratch.path().join("plugin");
    run("my-source", Some(&dir)).unwrap();
    for path in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "tests/conformance.rs",
    ] {
        assert!(dir.join(path).is_file(), "{path} is missing");
    }
}

#[test]
fn scaffolding_into_an_empty_directory_is_allowed() {
    let scratch = Scratch::new("empty");
    fs::create_dir_all(scratch.path()).unwrap();
    run("my-source", Some(scratch.path())).unwrap();
    assert!(scratch.path().join("src/lib.rs").is_file());
}

#[test]
fn scaffolding_refuses_to_overwrite_a_directory_with_files_in_it() {
    let scratch = Scratch::new("occupied");
    fs::create_dir_all(scratch.path()).unwrap();
    fs::write(scratch.path().join("Cargo.toml"), "mine").unwrap();
    let message = format!("{:#}", run("my-source", Some(scratch.path())).unwrap_err());
    assert!(message.contains("refusing to overwrite"), "{message}");
    assert_eq!(
        fs::read_to_string(scratch.path().join("Cargo.toml")).unwrap(),
        "mine"
    );
    assert!(!scratch.path().join("src").exists());
}

#[test]
fn scaffolding_refuses_a_path_that_is_a_file() {
    let scratch = Scratch::new("file");
    fs::create_dir_all(scratch.path()).unwrap();
    let file = scratch.path().join("plugin");
    fs::write(&file, "mine").unwrap();
    assert!(run("my-source", Some(&file)).is_err());
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn an_invalid_name_writes_nothing() {
    let scratch = Scratch::new("invalid");
    assert!(run("My_Source", Some(scratch.path())).is_err());
    assert!(!scratch.path().exists());
}

#[test]
fn the_scratch_workspace_takes_the_root_tables_with_absolute_paths() {
    let root = r#"
        [workspace]
        resolver = "3"
        members = ["crates/*", "plugins/*", "xtask"]
        default-members = ["crates/*"]

        [workspace.package]
        edition = "2024"

        [workspace.dependencies]
        psma-plugin-sdk = { path = "crates/psma-plugin-sdk" }
        serde = { version = "1.0", features = ["derive"] }
        anyhow = "1"

        [workspace.lints.clippy]
        unwrap_used = "deny"

        [profile.dev]
        debug = "line-tables-only"
    "#;
    let repo = Path::new("/repo");
    let text = scratch_manifest(root, repo).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let workspace = manifest["workspace"].as_table().unwrap();
    assert_eq!(workspace["members"].as_array().unwrap().len(), 1);
    assert_eq!(workspace["members"][0].as_str(), Some("plugins/*"));
    assert!(!workspace.contains_key("default-members"));
    assert_eq!(workspace["package"]["edition"].as_str(), Some("2024"));
    assert_eq!(
        workspace["dependencies"]["psma-plugin-sdk"]["path"].as_str(),
        Some(repo.join("crates/psma-plugin-sdk").to_str().unwrap())
    );
    assert_eq!(workspace["dependencies"]["anyhow"].as_str(), Some("1"));
    assert_eq!(
        workspace["lints"]["clippy"]["unwrap_used"].as_str(),
        Some("deny")
    );
    assert_eq!(
        manifest["profile"]["dev"]["debug"].as_str(),
        Some("line-tables-only")
    );
}

#[test]
fn the_scratch_workspace_of_this_repository_points_at_its_sdk() {
    let repo = xtask::workspace_root();
    let root = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    let manifest: toml::Table = scratch_manifest(&root, &repo).unwrap().parse().unwrap();
    let sdk = manifest["workspace"]["dependencies"]["psma-plugin-sdk"]["path"]
        .as_str()
        .unwrap();
    assert!(Path::new(sdk).join("Cargo.toml").is_file(), "{sdk}");
}

fn rustfmt_check(files: &[PathBuf]) -> Result<(), String> {
    let output = std::process::Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(files)
        .output()
        .map_err(|e| format!("rustfmt does not run (rustup component add rustfmt): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

#[test]
fn the_templates_are_formatted_for_names_of_usual_length() {
    let scratch = Scratch::new("templates");
    for name in ["a", "my-source", "scaffold-check", "justwatch-europe"] {
        let mut sources = Vec::new();
        for (path, text) in render(name).unwrap() {
            if path.ends_with(".rs") {
                let file = scratch.path().join(name).join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(&file, text).unwrap();
                sources.push(file);
            }
        }
        if let Err(diff) = rustfmt_check(&sources) {
            panic!("the templates rendered for {name} are not rustfmt-clean:\n{diff}");
        }
    }
}

#[test]
fn a_scaffold_with_a_long_name_is_formatted_too() {
    let scratch = Scratch::new("long");
    let name = format!("long-{}", "x".repeat(59));
    run(&name, Some(scratch.path())).unwrap();
    let sources = [
        scratch.path().join("src/lib.rs"),
        scratch.path().join("tests/conformance.rs"),
    ];
    if let Err(diff) = rustfmt_check(&sources) {
        panic!("the scaffold of {name} is not rustfmt-clean:\n{diff}");
    }
}
