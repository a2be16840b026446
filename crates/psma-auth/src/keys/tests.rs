use super::*;
use crate::settings::AuthMode;
use chrono::TimeZone as _;

/// RFC 8037 §A.1's example key, and the thumbprint §A.3 gives for it.
const RFC8037_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
const RFC8037_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const RFC8037_KID: &str = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

fn rfc8037_pem() -> String {
    let seed: [u8; 32] = URL_SAFE_NO_PAD
        .decode(RFC8037_D)
        .unwrap()
        .try_into()
        .unwrap();
    SigningKey::from_bytes(&seed)
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap()
        .as_str()
        .to_owned()
}

fn kid_of(pem: &str) -> String {
    KeySet::from_pems([pem]).unwrap().current_kid().to_owned()
}

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, second).unwrap()
}

fn jwt_settings(dir: Option<&Path>, env: Option<&str>) -> AuthSettings {
    AuthSettings {
        mode: AuthMode::Jwt,
        keys_dir: dir.map(Path::to_path_buf),
        keys_env: env.map(str::to_owned),
        ..AuthSettings::default()
    }
}

#[test]
fn the_kid_is_the_rfc_7638_thumbprint() {
    let keys = KeySet::from_pems([rfc8037_pem()]).unwrap();
    assert_eq!(keys.current_kid(), RFC8037_KID);
    assert_eq!(keys.jwks()["keys"][0]["x"], RFC8037_X);
}

#[test]
fn the_jwks_lists_every_key_with_its_public_half_only() {
    let (a, b) = (generate_pem().unwrap(), generate_pem().unwrap());
    let keys = KeySet::from_pems([&a, &b]).unwrap();
    let jwks = keys.jwks();
    let listed = jwks["keys"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    for (jwk, pem) in listed.iter().zip([&a, &b]) {
        let members: Vec<&str> = jwk
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(members.len(), 6, "{jwk}");
        assert!(jwk.get("d").is_none(), "no private member: {jwk}");
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["alg"], "EdDSA");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["kid"], kid_of(pem));
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(jwk["x"].as_str().unwrap())
                .unwrap()
                .len(),
            32
        );
    }
}

#[test]
fn the_last_key_signs_and_a_repeated_key_counts_once() {
    let (a, b) = (generate_pem().unwrap(), generate_pem().unwrap());
    let keys = KeySet::from_pems([&a, &b]).unwrap();
    assert_eq!(keys.current_kid(), kid_of(&b));
    let keys = KeySet::from_pems([&a, &b, &a]).unwrap();
    assert_eq!(keys.kids().count(), 2);
    assert_eq!(keys.current_kid(), kid_of(&a), "the later mention decides");
}

#[test]
fn keys_load_from_the_directory_in_name_order_then_from_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let (newer, _) = write_key_file(dir.path(), at(2)).unwrap();
    let (older, _) = write_key_file(dir.path(), at(1)).unwrap();
    std::fs::write(dir.path().join("README.txt"), "not a key").unwrap();
    let kid_in_dir = |path: &Path| kid_of(&std::fs::read_to_string(path).unwrap());

    let keys = KeySet::load_with(&jwt_settings(Some(dir.path()), None), |_| None).unwrap();
    assert_eq!(
        keys.kids().collect::<Vec<_>>(),
        [kid_in_dir(&older), kid_in_dir(&newer)]
    );
    assert_eq!(keys.current_kid(), kid_in_dir(&newer));

    // Two blocks in one variable, one-line with `\n` escapes and indented.
    let (e1, e2) = (generate_pem().unwrap(), generate_pem().unwrap());
    let value = format!(
        "  {}\\n  {}",
        e1.replace('\n', "\\n"),
        e2.replace('\n', "\n    ")
    );
    let var = "PSMA_AUTH_TEST_KEYS_FROM_DIR_AND_ENV";
    let settings = jwt_settings(Some(dir.path()), Some(var));
    let keys = KeySet::load_with(&settings, |name| (name == var).then(|| value.clone())).unwrap();
    assert_eq!(
        keys.kids().collect::<Vec<_>>(),
        [
            kid_in_dir(&older),
            kid_in_dir(&newer),
            kid_of(&e1),
            kid_of(&e2)
        ]
    );
    assert_eq!(keys.current_kid(), kid_of(&e2));
}

#[test]
fn keys_load_from_the_variable_alone() {
    let pem = generate_pem().unwrap();
    let var = "PSMA_AUTH_TEST_KEYS_ENV_ONLY";
    let keys = KeySet::load_with(&jwt_settings(None, Some(var)), |name| {
        (name == var).then(|| pem.clone())
    })
    .unwrap();
    assert_eq!(keys.current_kid(), kid_of(&pem));
}

#[test]
fn a_named_but_unset_variable_is_an_error_naming_it() {
    let var = "PSMA_AUTH_TEST_KEYS_UNSET";
    let err = KeySet::load_with(&jwt_settings(None, Some(var)), |_| None).unwrap_err();
    assert!(err.to_string().contains(var), "{err}");
}

#[test]
fn a_bad_key_file_is_named_without_showing_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let body = "MC4CAQAwBQYDK2VwBCIEIBADSECRETMATERIALxxxxxxxxxxxxxxxxxxxxx";
    let text = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
    std::fs::write(dir.path().join("broken.pem"), text).unwrap();
    let err = KeySet::load_with(&jwt_settings(Some(dir.path()), None), |_| None).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("broken.pem"), "{message}");
    assert!(!message.contains("SECRETMATERIAL"), "{message}");
}

#[test]
fn a_public_key_or_a_truncated_block_is_refused() {
    let pem = generate_pem().unwrap();
    let truncated = &pem[..pem.find("-----END").unwrap()];
    assert!(KeySet::from_pems([truncated]).is_err());
    assert!(KeySet::from_pems(["-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n"]).is_err());
    assert!(KeySet::from_pems(["no pem here"]).is_err());
}

#[test]
fn an_empty_directory_is_not_a_key_set() {
    let dir = tempfile::tempdir().unwrap();
    let err = KeySet::load_with(&jwt_settings(Some(dir.path()), None), |_| None).unwrap_err();
    assert!(err.to_string().contains("no signing key"), "{err}");
}

#[test]
fn a_generated_key_file_is_named_by_time_and_private_to_its_owner() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("keys");
    let (path, kid) = write_key_file(&dir, at(0)).unwrap();
    assert_eq!(path, dir.join("20260301T120000Z.pem"));
    assert_eq!(kid, kid_of(&std::fs::read_to_string(&path).unwrap()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(write_key_file(&dir, at(0)).is_err(), "never overwritten");
    let (_, fresh) = generate_key_file(&dir).unwrap();
    assert_ne!(fresh, kid);
}

#[test]
fn debug_output_shows_key_ids_only() {
    let pem = rfc8037_pem();
    let shown = format!("{:?}", KeySet::from_pems([&pem]).unwrap());
    assert!(shown.contains(RFC8037_KID), "{shown}");
    assert!(
        !shown.contains(RFC8037_D) && !shown.contains("PRIVATE"),
        "{shown}"
    );
}
