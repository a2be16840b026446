//! `[auth]`: how callers are identified, and hosted mode's token and password parameters.
//!
//! Every field but `mode` has a default, so a configuration that says only `mode = "local"`
//! keeps parsing.

use psma_core::accounts::sessions::{LoginThrottle, SessionSettings};
use serde::{Deserialize, Serialize};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

/// The longest refresh token lifetime accepted: beyond a year a "session" is a standing
/// credential, and longer values would risk overflowing date arithmetic.
const MAX_REFRESH_TTL: Duration = Duration::from_secs(366 * 24 * 3600);

/// The largest clock leeway accepted: more would quietly stretch every token's lifetime.
const MAX_LEEWAY_SECS: u64 = 300;

/// `[auth]`: how callers are identified.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// `local`: no login, one tenant and user (the single-machine default); `jwt`: hosted mode,
    /// signed tokens and passwords.
    pub mode: AuthMode,
    /// The tokens' issuer (`iss`). Unset: the composition root uses the server's public URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The tokens' audience (`aud`), `psma` by default.
    #[serde(default = "default_audience")]
    pub audience: String,
    /// Access token lifetime, `15m` by default.
    #[serde(default = "default_access_ttl", with = "humantime_serde")]
    pub access_ttl: Duration,
    /// Refresh token lifetime, `7d` by default.
    #[serde(default = "default_refresh_ttl", with = "humantime_serde")]
    pub refresh_ttl: Duration,
    /// A directory of Ed25519 private keys, PKCS#8 PEM files named `*.pem`, loaded in file name
    /// order; the last one signs (`psma keys generate` names them by UTC time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys_dir: Option<PathBuf>,
    /// The name of an environment variable holding one or more such PEM blocks, loaded after
    /// `keys_dir`'s files (for platforms that hand out secrets as variables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys_env: Option<String>,
    /// Password hashes computed at once. Unset: the number of CPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash_concurrency: Option<usize>,
    /// The first wait after the free failed sign-ins (3) of an account; each further failure
    /// doubles it (at most 5 minutes); 10 failures in a row lock the account for 15 minutes.
    /// `1s` by default.
    #[serde(default = "default_login_backoff", with = "humantime_serde")]
    pub login_backoff: Duration,
    /// Seconds of clock difference tolerated on `exp` and `nbf`, 5 by default.
    #[serde(default = "default_leeway_secs")]
    pub leeway_secs: u64,
    /// `[auth.oauth]`: signing in through identity providers (hosted mode).
    #[serde(default)]
    pub oauth: crate::oauth::OAuthSettings,
}

/// The authentication modes this build supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// No login: every request acts as the local tenant's owner.
    Local,
    /// Hosted mode: EdDSA-signed access and refresh tokens, argon2id passwords.
    Jwt,
}

fn default_audience() -> String {
    "psma".to_owned()
}

fn default_login_backoff() -> Duration {
    Duration::from_secs(1)
}

fn default_access_ttl() -> Duration {
    Duration::from_secs(15 * 60)
}

fn default_refresh_ttl() -> Duration {
    Duration::from_secs(7 * 24 * 3600)
}

/// A token carries `nbf` = `iat` from the clock of the instance that issued it; with several
/// instances behind a load balancer a token used at once on an instance whose clock lags by a
/// second would be refused as "not yet valid". Five seconds covers NTP-synchronised clocks and
/// lengthens a 15-minute token by under 1 %.
fn default_leeway_secs() -> u64 {
    5
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            mode: AuthMode::Local,
            issuer: None,
            audience: default_audience(),
            access_ttl: default_access_ttl(),
            refresh_ttl: default_refresh_ttl(),
            keys_dir: None,
            keys_env: None,
            password_hash_concurrency: None,
            login_backoff: default_login_backoff(),
            leeway_secs: default_leeway_secs(),
            oauth: crate::oauth::OAuthSettings::default(),
        }
    }
}

impl AuthSettings {
    /// Checks what serde cannot: `jwt` mode names a source of keys, lifetimes are positive and
    /// ordered, names are not blank. Key files are read later, by [`crate::KeySet::load`].
    ///
    /// # Errors
    /// One line per problem, each naming its key (`auth.keys_dir: …`).
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.mode == AuthMode::Jwt && self.keys_dir.is_none() && self.keys_env.is_none() {
            problems.push(
                "auth.keys_dir: jwt mode needs signing keys: set auth.keys_dir (see `psma keys \
                 generate`) or auth.keys_env"
                    .to_owned(),
            );
        }
        if self.issuer.as_deref().is_some_and(|i| i.trim().is_empty()) {
            problems.push(
                "auth.issuer: must not be blank (leave it unset for the server's public URL)"
                    .to_owned(),
            );
        }
        if self.audience.trim().is_empty() {
            problems.push("auth.audience: must not be blank".to_owned());
        }
        if self
            .keys_env
            .as_deref()
            .is_some_and(|v| v.trim().is_empty())
        {
            problems.push("auth.keys_env: must name an environment variable".to_owned());
        }
        if self.access_ttl < Duration::from_secs(1) {
            problems.push("auth.access_ttl: must be at least 1s".to_owned());
        }
        if self.refresh_ttl <= self.access_ttl {
            problems.push("auth.refresh_ttl: must be longer than auth.access_ttl".to_owned());
        }
        if self.refresh_ttl > MAX_REFRESH_TTL {
            problems.push("auth.refresh_ttl: must be at most 366 days".to_owned());
        }
        if self.login_backoff < Duration::from_millis(1)
            || self.login_backoff > Duration::from_secs(300)
        {
            problems.push("auth.login_backoff: must be between 1ms and 5m".to_owned());
        }
        if self.password_hash_concurrency == Some(0) {
            problems.push("auth.password_hash_concurrency: must be at least 1".to_owned());
        }
        if self.leeway_secs > MAX_LEEWAY_SECS {
            problems.push(format!(
                "auth.leeway_secs: must be at most {MAX_LEEWAY_SECS}"
            ));
        }
        if let Err(mut more) = self.oauth.check() {
            problems.append(&mut more);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// How many password hashes may run at once: the configured number, else the number of
    /// CPUs (at least 1).
    #[must_use]
    pub fn hash_concurrency(&self) -> usize {
        self.password_hash_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
            .max(1)
    }

    /// The core's session settings: these lifetimes and the default sign-in throttle. Lifetimes
    /// beyond what [`Self::check`] accepts are clamped to its bound.
    #[must_use]
    pub fn session_settings(&self) -> SessionSettings {
        let ttl = |d: Duration| {
            chrono::Duration::from_std(d.min(MAX_REFRESH_TTL)).unwrap_or(chrono::Duration::MAX)
        };
        SessionSettings {
            access_ttl: ttl(self.access_ttl),
            refresh_ttl: ttl(self.refresh_ttl),
            throttle: LoginThrottle {
                base_delay: chrono::Duration::from_std(self.login_backoff)
                    .unwrap_or(chrono::Duration::seconds(1)),
                ..LoginThrottle::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<AuthSettings, toml::de::Error> {
        toml::from_str(toml_text)
    }

    #[test]
    fn a_section_with_only_the_local_mode_parses_with_every_default() {
        let s = parse(r#"mode = "local""#).unwrap();
        assert_eq!(s, AuthSettings::default());
        assert_eq!(s.audience, "psma");
        assert_eq!(s.access_ttl, Duration::from_secs(900));
        assert_eq!(s.refresh_ttl, Duration::from_secs(7 * 86_400));
        assert_eq!(s.leeway_secs, 5);
        assert!(s.hash_concurrency() >= 1);
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn a_full_jwt_section_parses_human_durations() {
        let s = parse(
            r#"
            mode = "jwt"
            issuer = "https://psma.example.org"
            audience = "psma-api"
            access_ttl = "10m"
            refresh_ttl = "30days"
            keys_dir = "/etc/psma/keys"
            keys_env = "PSMA_JWT_KEYS"
            password_hash_concurrency = 3
            leeway_secs = 0
            "#,
        )
        .unwrap();
        assert_eq!(s.mode, AuthMode::Jwt);
        assert_eq!(s.issuer.as_deref(), Some("https://psma.example.org"));
        assert_eq!(s.access_ttl, Duration::from_secs(600));
        assert_eq!(s.refresh_ttl, Duration::from_secs(30 * 86_400));
        assert_eq!(s.hash_concurrency(), 3);
        assert_eq!(s.check(), Ok(()));
        let session = s.session_settings();
        assert_eq!(session.access_ttl, chrono::Duration::minutes(10));
        assert_eq!(session.refresh_ttl, chrono::Duration::days(30));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(parse("mode = \"local\"\nsecret = \"x\"").is_err());
    }

    #[test]
    fn jwt_mode_without_a_source_of_keys_is_refused_naming_the_key() {
        let s = AuthSettings {
            mode: AuthMode::Jwt,
            ..AuthSettings::default()
        };
        let problems = s.check().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("auth.keys_dir:"), "{problems:?}");
    }

    #[test]
    fn out_of_range_values_are_each_reported() {
        let s = AuthSettings {
            mode: AuthMode::Jwt,
            keys_env: Some(" ".to_owned()),
            audience: String::new(),
            access_ttl: Duration::from_secs(3600),
            refresh_ttl: Duration::from_secs(60),
            password_hash_concurrency: Some(0),
            leeway_secs: 3600,
            ..AuthSettings::default()
        };
        let problems = s.check().unwrap_err();
        for key in [
            "auth.keys_env:",
            "auth.audience:",
            "auth.refresh_ttl:",
            "auth.password_hash_concurrency:",
            "auth.leeway_secs:",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(key)),
                "{key} in {problems:?}"
            );
        }
    }
}
