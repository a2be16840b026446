//! `psma config check` as a user runs it: the real binary, real files, real environment.

use std::io::Write;
use std::process::{Command, Output};

pub(crate) fn psma(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_psma"));
    cmd.args(args);
    // Nothing from the developer's environment leaks in.
    for (key, _) in std::env::vars() {
        if key.starts_with("PSMA_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", std::env::temp_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub(crate) fn config_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_good_file_prints_the_effective_configuration_with_the_password_masked() {
    let file = config_file(
        "[server]\nbind = \"0.0.0.0:9000\"\n[database]\nurl = \"postgres://psma:hunter2@db/psma\"\n",
    );
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("bind = \"0.0.0.0:9000\""), "{stdout}");
    assert!(stdout.contains("postgres://psma:***@db/psma"), "{stdout}");
    assert!(!stdout.contains("hunter2"), "{stdout}");
    assert!(
        stdout.contains("log_format = \"auto\""),
        "defaults are shown too: {stdout}"
    );
}

#[test]
fn the_default_database_is_a_sqlite_file_in_the_data_directory() {
    let out = psma(&["config", "check"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("url = \"sqlite://"), "{stdout}");
    assert!(stdout.contains("psma/psma.db"), "{stdout}");
}

#[test]
fn an_unknown_key_is_named_and_exits_2() {
    let file = config_file("[server]\nbindd = \"0.0.0.0:9000\"\n");
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("server.bindd: unknown key"), "{stderr}");
}

#[test]
fn a_wrong_type_is_named_with_its_source() {
    let file = config_file("[database]\nmax_connections = \"many\"\n");
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("database.max_connections"), "{stderr}");
    assert!(
        stderr.contains(file.path().file_name().unwrap().to_str().unwrap()),
        "{stderr}"
    );
}

#[test]
fn an_unreadable_file_is_named() {
    let out = psma(
        &["config", "check", "--config", "/nonexistent/psma.toml"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/nonexistent/psma.toml: cannot read"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn environment_overrides_win_and_their_mistakes_are_named() {
    let out = psma(
        &["config", "check"],
        &[
            ("PSMA_SERVER__BIND", "127.0.0.1:7777"),
            ("PSMA_DATABASE__URL", "sqlite::memory:"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("127.0.0.1:7777"));

    let out = psma(
        &["config", "check"],
        &[("PSMA_DATABASE__MAX_CONNECTIONS", "lots")],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("database.max_connections"), "{stderr}");
    assert!(
        stderr.contains("PSMA_DATABASE__MAX_CONNECTIONS"),
        "{stderr}"
    );

    let out = psma(
        &["config", "check"],
        &[("PSMA_TELEMETRY__LOG_FORMAT", "xml")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("telemetry.log_format"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_config_file_can_come_from_psma_config() {
    let file = config_file("[auth]\nmode = \"local\"\n[server]\nbind = \"127.0.0.1:6060\"\n");
    let out = psma(
        &["config", "check"],
        &[("PSMA_CONFIG", file.path().to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("127.0.0.1:6060"));
}

#[test]
fn a_bad_value_that_types_allow_is_still_named() {
    let file = config_file(
        "[database]\nurl = \"mysql://x\"\n[telemetry]\nlog_level = \"info,[[\"\n[server]\npublic_url = \"psma.example.org\"\n",
    );
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("database.url"), "{stderr}");
    assert!(stderr.contains("telemetry.log_level"), "{stderr}");
    assert!(stderr.contains("server.public_url"), "{stderr}");
}

#[test]
fn providers_are_checked_by_their_plugins_and_their_secrets_masked() {
    let list = config_file(
        r#"{"format": "psma-import/v1", "shows": [{"ref": "a", "title": "Andor", "year": 2022}]}"#,
    );
    let file = config_file(&format!(
        "[providers.my_list]\nplugin = \"manual_import\"\npath = {:?}\nrefresh_every = \"12h\"\n\
         [providers.later]\nplugin = \"manual_import\"\nenabled = false\n",
        list.path().display().to_string()
    ));
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[("PSMA_PROVIDERS__LATER__API_KEY", "hunter2")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("[providers.my_list]"), "{stdout}");
    assert!(stdout.contains("refresh_every = \"12h\""), "{stdout}");
    assert!(stdout.contains("api_key = \"***\""), "{stdout}");
    assert!(!stdout.contains("hunter2"), "{stdout}");

    let broken = config_file(
        "[providers.mine]\nplugin = \"manual_import\"\n[providers.nope]\nurl = \"x\"\n",
    );
    let out = psma(
        &[
            "config",
            "check",
            "--config",
            broken.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("providers.mine.path: "), "{stderr}");
    assert!(
        stderr.contains("providers.nope: no plugin `nope`"),
        "{stderr}"
    );
}

#[test]
fn the_hosted_example_checks_and_jwt_mode_without_keys_is_named() {
    let example = format!(
        "{}/../../config/hosted.example.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = psma(&["config", "check", "--config", &example], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("mode = \"jwt\""),
        "{}",
        text(&out.stdout)
    );

    let file = config_file("[auth]\nmode = \"jwt\"\nrefresh_ttl = \"1m\"\n");
    let out = psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("auth.keys_dir") && err.contains("auth.refresh_ttl"),
        "{err}"
    );
}
