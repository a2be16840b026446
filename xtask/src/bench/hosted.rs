//! Hosted mode (`auth.mode = "jwt"`) around a live `psma serve`, as an operator sets it up
//! (docs/operations.md): a signing key from `psma keys generate`, a household from
//! `psma tenant create` whose owner sets a password with the printed token, members invited
//! with `psma user invite` who accept with a password. Shared by `cargo xtask schemathesis`
//! and `cargo xtask bench login`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::probe;

/// The `psma` binary and the variables that point it at the server's database and keys.
pub struct Operator<'a> {
    pub binary: &'a Path,
    pub env: &'a [(&'a str, String)],
}

/// A household made with `psma tenant create`, its owner signed in.
pub struct Household {
    /// The household's id, as `psma tenant create` printed it.
    pub tenant: String,
    /// The owner's access token (15 minutes).
    pub owner_token: String,
}

impl Operator<'_> {
    /// `psma keys generate --dir keys`: a new Ed25519 signing key (the directory is created).
    ///
    /// # Errors
    /// When `psma` fails.
    pub fn generate_keys(&self, keys: &Path) -> Result<()> {
        let dir = keys.to_str().context("the keys directory is not UTF-8")?;
        self.psma(&["keys", "generate", "--dir", dir]).map(drop)
    }

    /// `psma tenant create`, then the owner's password set with the printed token on the
    /// server at `port` (`POST /api/v1/auth/password-reset`), which signs the owner in.
    ///
    /// # Errors
    /// When `psma` fails, prints no token, or the server refuses it.
    pub fn create_household(
        &self,
        port: u16,
        name: &str,
        owner_email: &str,
        password: &str,
    ) -> Result<Household> {
        let text = self.psma(&[
            "tenant",
            "create",
            "--name",
            name,
            "--owner-email",
            owner_email,
        ])?;
        let tenant = text
            .lines()
            .find_map(|line| line.strip_prefix("tenant "))
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .with_context(|| format!("no tenant id in: {text}"))?;
        let token = printed_token(&text)?;
        let owner_token = redeem(port, "/api/v1/auth/password-reset", &token, password)?;
        Ok(Household {
            tenant,
            owner_token,
        })
    }

    /// `psma user invite` (role member), accepted with `password` on the server at `port`
    /// (`POST /api/v1/invitations/accept`); the new member's access token.
    ///
    /// # Errors
    /// When `psma` fails, prints no token, or the server refuses it.
    pub fn add_member(
        &self,
        port: u16,
        tenant: &str,
        email: &str,
        password: &str,
    ) -> Result<String> {
        let text = self.psma(&["user", "invite", "--tenant", tenant, "--email", email])?;
        let token = printed_token(&text)?;
        redeem(port, "/api/v1/invitations/accept", &token, password)
    }

    /// Runs `psma args` quietly on the server's settings; its standard output.
    fn psma(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(self.binary)
            .args(args)
            .env_remove("PSMA_CONFIG")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("PSMA_TELEMETRY__LOG_LEVEL", "warn")
            .output()
            .with_context(|| format!("running psma {}", args.join(" ")))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!(
                "psma {} failed ({}): {text}{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(text)
    }
}

/// The token `psma tenant create` or `psma user invite` printed: the line after the one
/// that says how long it holds.
fn printed_token(text: &str) -> Result<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .position(|l| l.contains("(single use, until"))
        .and_then(|at| lines.get(at + 1))
        .map(|l| l.trim().to_owned())
        .with_context(|| format!("no token in: {text}"))
}

/// POSTs a one-time token with the password to choose; the access token of the answer.
fn redeem(port: u16, path: &str, token: &str, password: &str) -> Result<String> {
    let body = serde_json::json!({"token": token, "password": password});
    let (status, answer) = probe::post_json(port, path, body.to_string().as_bytes())
        .with_context(|| format!("POST {path}"))?;
    if status != 200 {
        bail!(
            "POST {path} answered {status}: {}",
            String::from_utf8_lossy(&answer)
        );
    }
    let tokens: serde_json::Value = serde_json::from_slice(&answer)?;
    tokens["access_token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no access_token in the answer of POST {path}"))
}

#[cfg(test)]
mod tests {
    use super::printed_token;

    #[test]
    fn finds_the_printed_token() {
        let text = "tenant 0b5c… (Bench)\nowner  1f2e… <a@b.test>\n\
                    password token for a@b.test (single use, until 2026-12-04 10:00 UTC):\n  \
                    0b5c_secret\nredeem: curl …\n";
        assert_eq!(printed_token(text).unwrap(), "0b5c_secret");
        assert!(printed_token("nothing here").is_err());
    }
}
