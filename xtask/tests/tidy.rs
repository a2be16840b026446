//! The real workspace keeps the hexagonal dependency rule (`cargo xtask tidy`).

use std::fmt::Write as _;

#[test]
fn the_workspace_keeps_the_dependency_rule() {
    let report = xtask::tidy::check_workspace(&xtask::workspace_root()).unwrap();
    assert!(report.crates_checked > 0, "no crates found");
    let mut listing = String::new();
    for violation in &report.violations {
        writeln!(listing, "{violation}").unwrap();
    }
    assert!(
        report.violations.is_empty(),
        "cargo xtask tidy found {} violation(s):\n{listing}",
        report.violations.len()
    );
}
