//! `psma keys generate|rotate`.

use std::process::Command;

fn psma(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_psma"))
        .args(args)
        .env("PSMA_TELEMETRY__LOG_LEVEL", "error")
        .output()
        .unwrap()
}

fn pem_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pem"))
        .collect();
    names.sort();
    names
}

#[test]
fn keys_are_generated_and_rotated_keeping_the_previous_one() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let path = keys.to_str().unwrap();
    let out = psma(&["keys", "generate", "--dir", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("kid "));
    let first = pem_files(&keys);
    assert_eq!(first.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(keys.join(&first[0]))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
    }
    // Rotations (a second apart: key files are named by the second).
    for _ in 0..2 {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let out = psma(&["keys", "rotate", "--dir", path]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let now = pem_files(&keys);
    assert_eq!(now.len(), 2, "the new key and the previous one: {now:?}");
    assert!(!now.contains(&first[0]), "the oldest is retired");
    // Without a directory, the command says what is missing.
    let out = psma(&["keys", "generate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("auth.keys_dir"));
}
