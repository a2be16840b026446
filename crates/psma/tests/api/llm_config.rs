//! `[llm]` as a user configures it: `psma config check` on real files and environment, and the
//! composition root's builder of the language-model client.

use crate::config_check::{config_file, psma, text};
use psma::llm::{LlmAdapter, LlmSettings, build};
use std::io::Write;
use std::process::Output;

const SECRET: &str = "sk-or-v1-hunter2hunter2hunter2";

fn config_check(file_text: &str, env: &[(&str, &str)]) -> Output {
    let file = config_file(file_text);
    psma(
        &["config", "check", "--config", file.path().to_str().unwrap()],
        env,
    )
}

const OPENROUTER: &str =
    "[llm]\nadapter = \"openrouter\"\nmodel = \"openai/gpt-4o-mini\"\ntimeout = \"45s\"\n";

#[test]
fn llm_config_prints_the_api_key_masked_from_a_file_or_the_environment() {
    let inline = format!("{OPENROUTER}api_key = \"{SECRET}\"\n");
    let out = config_check(&inline, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("[llm]"), "{stdout}");
    assert!(stdout.contains("adapter = \"openrouter\""), "{stdout}");
    assert!(
        stdout.contains("base_url = \"https://openrouter.ai/api/v1\""),
        "{stdout}"
    );
    assert!(stdout.contains("timeout = \"45s\""), "{stdout}");
    assert!(stdout.contains("api_key = \"***\""), "{stdout}");
    assert!(!stdout.contains(SECRET), "{stdout}");

    let out = config_check(OPENROUTER, &[("PSMA_LLM__API_KEY", SECRET)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("api_key = \"***\""), "{stdout}");
    assert!(!stdout.contains(SECRET), "{stdout}");
    assert!(!text(&out.stderr).contains(SECRET));

    // The environment reads an all-digit key as a number: still taken, still masked.
    let out = config_check(OPENROUTER, &[("PSMA_LLM__API_KEY", "98765432109876")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("98765432109876"));
}

#[test]
fn llm_config_with_an_unknown_adapter_names_the_key_and_exits_2() {
    let out = config_check("[llm]\nadapter = \"gpt\"\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("llm.adapter"), "{stderr}");
    assert!(
        stderr.contains("openrouter"),
        "the known ones are listed: {stderr}"
    );
}

#[test]
fn llm_config_for_openrouter_without_model_or_key_names_both() {
    let out = config_check("[llm]\nadapter = \"openrouter\"\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("llm.model: required"), "{stderr}");
    assert!(stderr.contains("llm.api_key: required"), "{stderr}");
    assert!(stderr.contains("PSMA_LLM__API_KEY"), "{stderr}");
}

#[test]
fn llm_config_with_a_bad_url_or_an_unreadable_key_file_is_named() {
    let out = config_check(
        &format!("{OPENROUTER}api_key_file = \"/nonexistent/llm_key\"\n"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("llm.api_key_file: cannot read `/nonexistent/llm_key`"),
        "{stderr}"
    );

    let out = config_check(
        &format!("{OPENROUTER}base_url = \"openrouter.ai\"\napi_key = \"{SECRET}\"\n"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("llm.base_url"), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
}

#[test]
fn llm_config_offline_builds_no_client_and_openrouter_one_from_a_key_file() {
    let offline = LlmSettings::default();
    assert_eq!(offline.adapter, LlmAdapter::Offline);
    assert!(build(&offline).unwrap().is_none());

    let mut key_file = tempfile::NamedTempFile::new().unwrap();
    writeln!(key_file, "{SECRET}").unwrap();
    let settings: LlmSettings = toml::from_str(&format!(
        "adapter = \"openrouter\"\nmodel = \"openai/gpt-4o-mini\"\napi_key_file = \"{}\"\n",
        key_file.path().display()
    ))
    .unwrap();
    let client = build(&settings).unwrap().unwrap();
    assert_eq!(client.adapter(), "openrouter");
    assert!(!format!("{settings:?}").contains(SECRET));
}
