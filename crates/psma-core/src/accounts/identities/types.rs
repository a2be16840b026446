//! What signing in through an identity provider is about: the provider's name, the identity it
//! vouches for, the link from that identity to a user, and who may join by it.

use crate::tenancy::{TenantId, UserId};
use chrono::Duration;
use std::fmt;

/// How long a started sign-in can be finished: the person is at the provider's consent page
/// meanwhile; ten minutes is what providers give their own authorization codes at most.
pub const FLOW_TTL: Duration = Duration::minutes(10);

/// An identity provider's name as configured and as it appears in paths
/// (`/api/v1/auth/oauth/{provider}/start`): 1 to 32 of `a-z`, `0-9`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProviderName(String);

impl ProviderName {
    /// The longest name.
    pub const MAX_CHARS: usize = 32;

    /// Checks a name.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] on `provider` for anything but 1 to 32 of `a-z0-9-`.
    pub fn parse(raw: &str) -> crate::Result<Self> {
        let ok = (1..=Self::MAX_CHARS).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(crate::Error::validation(
                "provider",
                "must be 1 to 32 of a-z, 0-9 and -",
            ))
        }
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Ordered and hashed as its text, so maps keyed by it are searched by `&str`.
impl std::borrow::Borrow<str> for ProviderName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProviderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An identity as a provider vouched for it, after every check of its answer (the ID token's
/// signature, issuer, audience, expiry and nonce; or the API's answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// Which provider.
    pub provider: ProviderName,
    /// The provider's stable id of the person (`sub` of an OpenID Connect ID token, a GitHub
    /// user's numeric id): never the email, which people change.
    pub subject: String,
    /// The email the provider gives for the person, if any.
    pub email: Option<String>,
    /// Whether the provider says the person proved they own `email`. PSMA links or admits by
    /// an email only when this is `true`.
    pub email_verified: bool,
    /// The name the provider shows, if any (a new member's default display name).
    pub display_name: Option<String>,
}

impl ExternalIdentity {
    /// The email, when the provider vouches for it; lower-cased, as emails are compared.
    #[must_use]
    pub fn verified_email(&self) -> Option<String> {
        self.email
            .as_deref()
            .map(str::trim)
            .filter(|e| self.email_verified && !e.is_empty())
            .map(str::to_lowercase)
    }
}

/// Which user an identity signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkedIdentity {
    /// The user's tenant.
    pub tenant_id: TenantId,
    /// The user.
    pub user_id: UserId,
}

/// An email domain whose verified addresses may join a household without an invitation
/// (`auth.oauth.allowed_domains`): the whole domain after `@`, exactly (no subdomains).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedDomain {
    /// The domain, lower-case (`example.org`).
    pub domain: String,
    /// The household its people join, as members.
    pub tenant_id: TenantId,
}

/// Who may join by signing in through a provider, besides invitees.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdmissionPolicy {
    /// Domains whose verified addresses join a household as members.
    pub allowed_domains: Vec<AllowedDomain>,
}

impl AdmissionPolicy {
    /// The household a verified `email` may join by its domain, if any.
    #[must_use]
    pub fn household_for(&self, email: &str) -> Option<TenantId> {
        let (_, domain) = email.rsplit_once('@')?;
        let domain = domain.to_lowercase();
        self.allowed_domains
            .iter()
            .find(|d| d.domain == domain)
            .map(|d| d.tenant_id)
    }
}

/// What the provider's redirect back to PSMA carried (`/callback?code=…&state=…`, or
/// `?error=…&state=…` when the person declined).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderReply {
    /// The authorization code.
    pub code: Option<String>,
    /// The state PSMA sent, as it came back.
    pub state: String,
    /// The provider's error code (`access_denied`), if it did not authorize.
    pub error: Option<String>,
}

/// A started sign-in: where to send the browser, and the secret the browser must keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedSignIn {
    /// The provider's authorization URL, with state, PKCE challenge and nonce.
    pub authorization_url: String,
    /// The browser-binding secret (64 hex digits): PSMA keeps only its digest; the browser
    /// keeps it in a cookie and presents it at the callback.
    pub binding: String,
    /// How long the sign-in can be finished.
    pub ttl: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_are_short_lower_case_words() {
        for good in ["google", "github", "my-idp-2"] {
            assert_eq!(ProviderName::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", "Google", "git hub", "a/b", &"x".repeat(33)] {
            assert!(ProviderName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_a_verified_email_counts() {
        let mut identity = ExternalIdentity {
            provider: ProviderName::parse("github").unwrap(),
            subject: "1".into(),
            email: Some(" Ada@Example.org ".into()),
            email_verified: false,
            display_name: None,
        };
        assert_eq!(identity.verified_email(), None);
        identity.email_verified = true;
        assert_eq!(
            identity.verified_email().as_deref(),
            Some("ada@example.org")
        );
    }

    #[test]
    fn domains_match_exactly_not_by_suffix() {
        let tenant = TenantId::generate();
        let policy = AdmissionPolicy {
            allowed_domains: vec![AllowedDomain {
                domain: "example.org".into(),
                tenant_id: tenant,
            }],
        };
        assert_eq!(policy.household_for("ada@example.org"), Some(tenant));
        assert_eq!(policy.household_for("ada@EXAMPLE.org"), Some(tenant));
        for other in [
            "ada@evil.example.org",
            "ada@example.org.evil",
            "ada@notexample.org",
            "example.org",
        ] {
            assert_eq!(policy.household_for(other), None, "{other}");
        }
    }
}
