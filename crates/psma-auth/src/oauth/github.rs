//! GitHub, as an OAuth 2.0 provider: the code flow with PKCE, then who signed in from its API
//! with the access token: `GET /user` (the numeric id is the subject, never the login, which
//! people rename) and `GET /user/emails` (the primary address, verified or not).

use super::code_flow::{CodeFlow, Defaults};
use super::http::fetch;
use super::{OAuthClientSettings, OAuthContext};
use async_trait::async_trait;
use psma_core::Error;
use psma_core::accounts::identities::{
    AuthorizationRequest, CodeExchange, ExternalIdentity, IdentityProvider, ProviderName,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

const DEFAULTS: Defaults = Defaults {
    authorize_url: "https://github.com/login/oauth/authorize",
    token_url: "https://github.com/login/oauth/access_token",
    scopes: &["read:user", "user:email"],
    nonce: false,
};
const API_URL: &str = "https://api.github.com";

/// An OAuth 2.0 provider with GitHub's user API.
pub(super) struct GitHub {
    name: ProviderName,
    flow: CodeFlow,
    api: String,
}

/// `[auth.oauth.github]`.
pub(super) fn build(
    name: &str,
    settings: &OAuthClientSettings,
    context: &OAuthContext,
) -> psma_core::Result<Arc<dyn IdentityProvider>> {
    Ok(Arc::new(GitHub {
        name: ProviderName::parse(name)?,
        flow: CodeFlow::new(name, settings, context, &DEFAULTS)?,
        api: settings
            .api_url
            .clone()
            .unwrap_or_else(|| API_URL.to_owned())
            .trim_end_matches('/')
            .to_owned(),
    }))
}

#[derive(Debug, Deserialize)]
struct User {
    id: u64,
    login: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Email {
    email: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    verified: bool,
}

#[async_trait]
impl IdentityProvider for GitHub {
    fn authorization_url(&self, request: &AuthorizationRequest) -> psma_core::Result<String> {
        Ok(self.flow.authorization_url(request))
    }

    async fn identify(&self, exchange: &CodeExchange) -> psma_core::Result<ExternalIdentity> {
        let tokens = self.flow.exchange(exchange).await?;
        let user: User = self.get("/user", &tokens.access_token).await?;
        let emails: Vec<Email> = self.get("/user/emails", &tokens.access_token).await?;
        let primary = emails.into_iter().find(|e| e.primary);
        Ok(ExternalIdentity {
            provider: self.name.clone(),
            subject: user.id.to_string(),
            email_verified: primary.as_ref().is_some_and(|e| e.verified),
            email: primary.map(|e| e.email),
            display_name: user
                .name
                .filter(|n| !n.trim().is_empty())
                .or(Some(user.login)),
        })
    }
}

impl GitHub {
    /// `GET <api><path>` with the access token, as JSON.
    async fn get<T: DeserializeOwned>(&self, path: &str, token: &str) -> psma_core::Result<T> {
        let name = &self.name;
        let request = self
            .flow
            .http
            .get(format!("{}{path}", self.api))
            .bearer_auth(token)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28");
        let answer = fetch(request)
            .await
            .map_err(|e| Error::Upstream(format!("{name}'s API ({path}): {e}")))?;
        if !answer.status.is_success() {
            // The token was issued a moment ago: a refusal now is the provider's failure.
            return Err(Error::Upstream(format!(
                "{name}'s API answered {} to {path}",
                answer.status
            )));
        }
        serde_json::from_slice(&answer.body).map_err(|_| {
            Error::Upstream(format!("{name}'s API answered {path} with unexpected JSON"))
        })
    }
}
