//! `[auth.oauth]`: the identity providers PSMA signs people in through, and who may join by
//! them. One section per provider, named as the provider (`[auth.oauth.google]`,
//! `[auth.oauth.github]`); each field but the client's has the real provider's default, and
//! every URL can point elsewhere (a test's mock authorization server).

use psma_core::accounts::identities::{AdmissionPolicy, AllowedDomain};
use psma_core::tenancy::TenantId;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// `[auth.oauth]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct OAuthSettings {
    /// Email domains whose verified addresses join a household without an invitation:
    /// `[{ domain = "example.org", tenant = "<tenant id>" }]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_domains: Vec<AllowedDomainSettings>,
    /// The longest wait for any one call to a provider (`10s`).
    #[serde(default = "default_timeout", with = "humantime_serde")]
    pub timeout: Duration,
    /// The providers, by name (`google`, `github`).
    #[serde(flatten)]
    pub providers: BTreeMap<String, OAuthClientSettings>,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        Self {
            allowed_domains: Vec::new(),
            timeout: default_timeout(),
            providers: BTreeMap::new(),
        }
    }
}

fn default_timeout() -> Duration {
    Duration::from_secs(10)
}

/// One entry of `auth.oauth.allowed_domains`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedDomainSettings {
    /// The domain after `@`, exactly (`example.org`; no subdomains).
    pub domain: String,
    /// The household (tenant id) its people join as members.
    pub tenant: uuid::Uuid,
}

/// `[auth.oauth.<provider>]`: PSMA as an OAuth client of one provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClientSettings {
    /// The client id the provider issued to this PSMA.
    pub client_id: String,
    /// The client secret (prefer `client_secret_env`). Masked when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<ClientSecret>,
    /// The name of an environment variable holding the client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// The authorization endpoint (default: the provider's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// The token endpoint (default: the provider's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// OpenID Connect providers: the key set that signs ID tokens (default: the provider's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_url: Option<String>,
    /// OpenID Connect providers: the ID tokens' issuer (default: the provider's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// API providers (GitHub): the API's base URL (default: the provider's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// The scopes to ask for (default: the provider's minimum for an identity and an email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

/// A client secret: `Debug` and serialisation show `***`, never the value.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(pub String);

impl Serialize for ClientSecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl OAuthClientSettings {
    /// The client secret, from the file's value or the named environment variable.
    ///
    /// # Errors
    /// A line naming the key when neither or both are set, or the variable is unset.
    pub fn secret(&self, name: &str) -> Result<String, String> {
        match (&self.client_secret, &self.client_secret_env) {
            (Some(secret), None) => Ok(secret.0.clone()),
            (None, Some(var)) => std::env::var(var).map_err(|_| {
                format!("auth.oauth.{name}.client_secret_env: the variable {var} is not set")
            }),
            (Some(_), Some(_)) => Err(format!(
                "auth.oauth.{name}.client_secret: set client_secret or client_secret_env, not both"
            )),
            (None, None) => Err(format!(
                "auth.oauth.{name}.client_secret: required (or client_secret_env)"
            )),
        }
    }
}

impl OAuthSettings {
    /// Checks what serde cannot: known providers, complete clients, URLs, domains.
    ///
    /// # Errors
    /// One line per problem, each naming its key.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        for (name, client) in &self.providers {
            if crate::oauth::factory(name).is_none() {
                problems.push(format!(
                    "auth.oauth.{name}: unknown identity provider (known: {})",
                    crate::oauth::FACTORIES
                        .iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if client.client_id.trim().is_empty() {
                problems.push(format!("auth.oauth.{name}.client_id: must not be blank"));
            }
            if let Err(problem) = client.secret(name) {
                problems.push(problem);
            }
            let urls = [
                ("authorize_url", &client.authorize_url),
                ("token_url", &client.token_url),
                ("jwks_url", &client.jwks_url),
                ("api_url", &client.api_url),
            ];
            for (key, url) in urls {
                if let Some(url) = url
                    && !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
                {
                    problems.push(format!(
                        "auth.oauth.{name}.{key}: `{url}` is not an http(s) URL"
                    ));
                }
            }
        }
        for (i, allowed) in self.allowed_domains.iter().enumerate() {
            let domain = &allowed.domain;
            let plain = !domain.is_empty()
                && domain.contains('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
            if !plain {
                problems.push(format!(
                    "auth.oauth.allowed_domains[{i}].domain: `{domain}` is not a lower-case \
                     domain like example.org"
                ));
            }
        }
        if self.timeout < Duration::from_secs(1) || self.timeout > Duration::from_secs(60) {
            problems.push("auth.oauth.timeout: must be between 1s and 60s".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The core's admission policy: the allowed domains.
    #[must_use]
    pub fn admission_policy(&self) -> AdmissionPolicy {
        AdmissionPolicy {
            allowed_domains: self
                .allowed_domains
                .iter()
                .map(|d| AllowedDomain {
                    domain: d.domain.to_lowercase(),
                    tenant_id: TenantId(d.tenant),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_sections_sit_beside_the_shared_keys() {
        let s: OAuthSettings = toml::from_str(
            r#"
            timeout = "5s"
            allowed_domains = [{ domain = "example.org", tenant = "0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f" }]
            [google]
            client_id = "id.apps.googleusercontent.com"
            client_secret = "s3cret"
            [github]
            client_id = "Iv1.abc"
            client_secret_env = "PSMA_TEST_UNSET_VARIABLE_FOR_GITHUB"
            api_url = "http://127.0.0.1:9/api"
            "#,
        )
        .unwrap();
        assert_eq!(s.timeout, Duration::from_secs(5));
        assert_eq!(s.providers.len(), 2);
        assert_eq!(
            s.providers["github"].api_url.as_deref(),
            Some("http://127.0.0.1:9/api")
        );
        assert!(!format!("{s:?}").contains("s3cret"));
        assert!(!toml::to_string(&s).unwrap().contains("s3cret"));
        let problems = s.check().unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("auth.oauth.github.client_secret_env:"));
        assert_eq!(
            s.admission_policy().allowed_domains[0].domain,
            "example.org"
        );
    }

    #[test]
    fn unknown_providers_and_bad_values_are_named() {
        let s: OAuthSettings = toml::from_str(
            r#"
            allowed_domains = [{ domain = "Example.org", tenant = "0190d5c4-7b1e-7c3a-9f00-3c1a2b4d5e6f" }]
            [myspace]
            client_id = " "
            client_secret = "x"
            client_secret_env = "Y"
            token_url = "ftp://x"
            "#,
        )
        .unwrap();
        let problems = s.check().unwrap_err();
        for key in [
            "auth.oauth.myspace:",
            "auth.oauth.myspace.client_id:",
            "auth.oauth.myspace.client_secret:",
            "auth.oauth.myspace.token_url:",
            "auth.oauth.allowed_domains[0].domain:",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(key)),
                "{key} in {problems:?}"
            );
        }
    }
}
