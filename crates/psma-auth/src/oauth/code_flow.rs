//! The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636), through the `oauth2`
//! crate: the authorization URL, and the code's exchange at the token endpoint.

use super::http::{TransportError, send_oauth2};
use super::{OAuthClientSettings, OAuthContext};
use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse, TokenResponse as _,
    TokenUrl,
};
use psma_core::Error;
use psma_core::accounts::identities::{AuthorizationRequest, CodeExchange};
use serde::{Deserialize, Serialize};

/// OpenID Connect's addition to the token response.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(super) struct IdTokenField {
    #[serde(default)]
    id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenField {}

type TokenAnswer = StandardTokenResponse<IdTokenField, BasicTokenType>;

type CodeClient = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What the token endpoint handed over.
pub(super) struct Tokens {
    /// The access token (for a provider's API).
    pub(super) access_token: String,
    /// The ID token (OpenID Connect providers).
    pub(super) id_token: Option<String>,
}

/// One provider's code flow.
pub(super) struct CodeFlow {
    /// The provider's name, for messages.
    pub(super) name: String,
    client: CodeClient,
    scopes: Vec<String>,
    /// Send a nonce (OpenID Connect).
    nonce: bool,
    pub(super) http: reqwest::Client,
}

/// Endpoints and scopes a provider uses unless configured otherwise.
pub(super) struct Defaults {
    pub(super) authorize_url: &'static str,
    pub(super) token_url: &'static str,
    pub(super) scopes: &'static [&'static str],
    pub(super) nonce: bool,
}

impl CodeFlow {
    /// `name`'s flow from its section, `defaults` filling what it leaves out.
    pub(super) fn new(
        name: &str,
        settings: &OAuthClientSettings,
        context: &OAuthContext,
        defaults: &Defaults,
    ) -> psma_core::Result<Self> {
        let bad = |key: &str, e: &dyn std::fmt::Display| {
            Error::internal(format!("auth.oauth.{name}.{key}: {e}"))
        };
        let secret = settings.secret(name).map_err(Error::internal)?;
        let authorize = settings
            .authorize_url
            .clone()
            .unwrap_or_else(|| defaults.authorize_url.to_owned());
        let token = settings
            .token_url
            .clone()
            .unwrap_or_else(|| defaults.token_url.to_owned());
        let client = oauth2::Client::new(ClientId::new(settings.client_id.clone()))
            .set_client_secret(ClientSecret::new(secret))
            .set_auth_uri(AuthUrl::new(authorize).map_err(|e| bad("authorize_url", &e))?)
            .set_token_uri(TokenUrl::new(token).map_err(|e| bad("token_url", &e))?)
            .set_redirect_uri(
                RedirectUrl::new(context.redirect_uri.clone())
                    .map_err(|e| bad("redirect_uri", &e))?,
            )
            // Credentials in the form body: both providers accept it, and no provider then
            // needs its own idea of how to encode them in a Basic header.
            .set_auth_type(AuthType::RequestBody);
        let scopes = settings
            .scopes
            .clone()
            .unwrap_or_else(|| defaults.scopes.iter().map(|s| (*s).to_owned()).collect());
        Ok(Self {
            name: name.to_owned(),
            client,
            scopes,
            nonce: defaults.nonce,
            http: super::http::client(context.timeout)?,
        })
    }

    /// The authorization URL for `request`: `state`, the S256 challenge, the nonce.
    pub(super) fn authorization_url(&self, request: &AuthorizationRequest) -> String {
        let verifier = PkceCodeVerifier::new(request.pkce_verifier.clone());
        let state = request.state.clone();
        let mut url = self
            .client
            .authorize_url(move || CsrfToken::new(state))
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&verifier));
        if self.nonce {
            url = url.add_extra_param("nonce", request.nonce.clone());
        }
        url.url().0.to_string()
    }

    /// Exchanges the code with the PKCE verifier.
    pub(super) async fn exchange(&self, exchange: &CodeExchange) -> psma_core::Result<Tokens> {
        let http = self.http.clone();
        let send = move |request| send_oauth2(http.clone(), request);
        let answer = self
            .client
            .exchange_code(AuthorizationCode::new(exchange.code.clone()))
            .set_pkce_verifier(PkceCodeVerifier::new(exchange.pkce_verifier.clone()))
            .request_async(&send)
            .await
            .map_err(|e| self.refused(&e))?;
        Ok(Tokens {
            access_token: answer.access_token().secret().clone(),
            id_token: answer.extra_fields().id_token.clone(),
        })
    }

    /// The core's reading of a failed exchange: the person's code refused → 401; the
    /// provider failing or refusing PSMA itself → 502.
    fn refused(&self, err: &RequestTokenError<TransportError, BasicErrorResponse>) -> Error {
        let name = &self.name;
        match err {
            RequestTokenError::ServerResponse(answer) => {
                let code = answer.error().as_ref().to_owned();
                let detail = answer
                    .error_description()
                    .map(|d| format!(": {}", d.chars().take(200).collect::<String>()))
                    .unwrap_or_default();
                match answer.error() {
                    // GitHub says `bad_verification_code` for what RFC 6749 calls invalid_grant.
                    BasicErrorResponseType::InvalidGrant => code_refused(name, &code),
                    BasicErrorResponseType::Extension(ext) if ext == "bad_verification_code" => {
                        code_refused(name, &code)
                    }
                    _ => Error::Upstream(format!(
                        "{name}'s token endpoint refused the exchange ({code}{detail}); the \
                         operator should check auth.oauth.{name}"
                    )),
                }
            }
            RequestTokenError::Request(e) => {
                Error::Upstream(format!("{name}'s token endpoint: {e}"))
            }
            RequestTokenError::Parse(..) | RequestTokenError::Other(_) => Error::Upstream(format!(
                "{name}'s token endpoint answered something that is not a token response"
            )),
        }
    }
}

fn code_refused(name: &str, code: &str) -> Error {
    Error::Unauthenticated(format!(
        "{name} refused the authorization code ({code}): it was used already, expired, or \
         does not belong to this sign-in; start again"
    ))
}
