//! A local mock authorization server playing Google (OpenID Connect: token endpoint, JWKS,
//! RS256 ID tokens) and GitHub (token endpoint, `/user`, `/user/emails`), strict as the real
//! ones are: the client's credentials, the redirect URI, the code used once, the PKCE S256
//! verifier. The browser's visit to the authorization page is played by [`MockIdp::authorize`]:
//! it reads what PSMA put in the authorization URL and issues a code bound to it.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use psma_auth::oauth::{ClientSecret, OAuthClientSettings};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The ID tokens' issuer.
pub const ISSUER: &str = "https://accounts.mock.test";
/// PSMA's public URL in these tests (the redirect URIs hang off it).
pub const PUBLIC_URL: &str = "https://psma.test";

/// Someone with an account at the provider.
#[derive(Debug, Clone)]
pub struct Person {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: Option<String>,
}

impl Person {
    /// A person with a verified email.
    pub fn new(subject: &str, email: &str) -> Self {
        Self {
            subject: subject.to_owned(),
            email: email.to_owned(),
            email_verified: true,
            name: Some(format!("Person {subject}")),
        }
    }

    /// The same person, their email unverified.
    pub fn unverified(mut self) -> Self {
        self.email_verified = false;
        self
    }
}

/// What is wrong with the ID token the mock issues (Google only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    None,
    WrongNonce,
    BadSignature,
    Expired,
    WrongAudience,
}

/// How the token endpoint misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    ServerError,
    InvalidClient,
    Slow,
}

struct Grant {
    provider: &'static str,
    challenge: String,
    nonce: Option<String>,
    redirect_uri: String,
    person: Person,
    forgery: Forgery,
}

#[derive(Default)]
struct IdpState {
    grants: HashMap<String, Grant>,
    access_tokens: HashMap<String, Person>,
    token_fault: Option<TokenFault>,
    broken_jwks: bool,
    issued: u64,
}

/// The mock, on its own port.
pub struct MockIdp {
    pub server: MockServer,
    state: Arc<Mutex<IdpState>>,
}

impl MockIdp {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(IdpState::default()));
        for provider in ["google", "github"] {
            Mock::given(method("POST"))
                .and(path(format!("/{provider}/token")))
                .respond_with(TokenEndpoint {
                    provider,
                    state: state.clone(),
                })
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/google/jwks"))
            .respond_with(Jwks(state.clone()))
            .mount(&server)
            .await;
        for resource in ["/github/api/user", "/github/api/user/emails"] {
            Mock::given(method("GET"))
                .and(path(resource))
                .respond_with(GitHubApi(state.clone()))
                .mount(&server)
                .await;
        }
        Self { server, state }
    }

    /// Points PSMA's `[auth.oauth.google]` and `[auth.oauth.github]` at this mock.
    pub fn configure(&self, settings: &mut psma::Settings) {
        let base = self.server.uri();
        settings.server.public_url = Some(PUBLIC_URL.to_owned());
        let client = |name: &str| OAuthClientSettings {
            client_id: format!("{name}-client"),
            client_secret: Some(ClientSecret(format!("{name}-secret"))),
            client_secret_env: None,
            authorize_url: Some(format!("{base}/{name}/authorize")),
            token_url: Some(format!("{base}/{name}/token")),
            jwks_url: None,
            issuer: None,
            api_url: None,
            scopes: None,
        };
        let mut google = client("google");
        google.jwks_url = Some(format!("{base}/google/jwks"));
        google.issuer = Some(ISSUER.to_owned());
        let mut github = client("github");
        github.api_url = Some(format!("{base}/github/api"));
        let oauth = &mut settings.auth.oauth;
        oauth.timeout = Duration::from_secs(2);
        oauth.providers.insert("google".into(), google);
        oauth.providers.insert("github".into(), github);
    }

    /// The person signs in at the authorization page PSMA sent them to (`location`), which
    /// must ask for a code with an S256 challenge for this client and redirect URI: the code.
    pub fn authorize(&self, location: &str, person: &Person, forgery: Forgery) -> String {
        let url = url::Url::parse(location).unwrap();
        let provider = if url.path() == "/google/authorize" {
            "google"
        } else {
            assert_eq!(url.path(), "/github/authorize", "{location}");
            "github"
        };
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], format!("{provider}-client"));
        assert_eq!(
            query["redirect_uri"],
            format!("{PUBLIC_URL}/api/v1/auth/oauth/{provider}/callback")
        );
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["code_challenge"].len(), 43);
        assert!(!query["state"].is_empty());
        assert_eq!(query.contains_key("nonce"), provider == "google");
        let mut state = self.state.lock().unwrap();
        state.issued += 1;
        let code = format!("code-{}-{}", provider, state.issued);
        state.grants.insert(
            code.clone(),
            Grant {
                provider,
                challenge: query["code_challenge"].clone(),
                nonce: query.get("nonce").cloned(),
                redirect_uri: query["redirect_uri"].clone(),
                person: person.clone(),
                forgery,
            },
        );
        code
    }

    /// Makes the token endpoint misbehave from now on.
    pub fn fail_token_endpoint(&self, fault: TokenFault) {
        self.state.lock().unwrap().token_fault = Some(fault);
    }

    /// Makes the key set answer something that is not a key set.
    pub fn break_jwks(&self) {
        self.state.lock().unwrap().broken_jwks = true;
    }
}

struct TokenEndpoint {
    provider: &'static str,
    state: Arc<Mutex<IdpState>>,
}

fn oauth_error(provider: &str, code: &str) -> ResponseTemplate {
    // GitHub answers its errors with 200 OK, as the real one does.
    let status = match (provider, code) {
        ("github", _) => 200,
        (_, "invalid_client") => 401,
        _ => 400,
    };
    ResponseTemplate::new(status).set_body_json(json!({"error": code, "error_description": "mock"}))
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let provider = self.provider;
        let form: HashMap<String, String> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let mut state = self.state.lock().unwrap();
        match state.token_fault {
            Some(TokenFault::ServerError) => {
                return ResponseTemplate::new(500)
                    .set_body_raw("<html>Internal Server Error</html>", "text/html");
            }
            Some(TokenFault::InvalidClient) => return oauth_error(provider, "invalid_client"),
            Some(TokenFault::Slow) => {
                return ResponseTemplate::new(200).set_delay(Duration::from_secs(5));
            }
            None => {}
        }
        let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        if field("client_id") != format!("{provider}-client")
            || field("client_secret") != format!("{provider}-secret")
        {
            return oauth_error(provider, "invalid_client");
        }
        let bad_grant = if provider == "github" {
            "bad_verification_code"
        } else {
            "invalid_grant"
        };
        // A code works once, whatever happens next.
        let Some(grant) = state.grants.remove(field("code")) else {
            return oauth_error(provider, bad_grant);
        };
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(field("code_verifier").as_bytes()));
        if field("grant_type") != "authorization_code"
            || grant.provider != provider
            || challenge != grant.challenge
            || field("redirect_uri") != grant.redirect_uri
        {
            return oauth_error(provider, bad_grant);
        }
        state.issued += 1;
        let access_token = format!("at-{}", state.issued);
        state
            .access_tokens
            .insert(access_token.clone(), grant.person.clone());
        let mut body =
            json!({"access_token": access_token, "token_type": "bearer", "scope": "openid"});
        if provider == "google" {
            body["token_type"] = json!("Bearer");
            body["expires_in"] = json!(3599);
            body["id_token"] = json!(id_token(&grant));
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

/// The ID token of `grant`, forged as it says.
fn id_token(grant: &Grant) -> String {
    let now = chrono::Utc::now().timestamp();
    let (iat, exp) = if grant.forgery == Forgery::Expired {
        (now - 7200, now - 3600)
    } else {
        (now, now + 3600)
    };
    let person = &grant.person;
    let claims = json!({
        "iss": ISSUER,
        "aud": if grant.forgery == Forgery::WrongAudience { "someone-else" } else { "google-client" },
        "sub": person.subject,
        "email": person.email,
        "email_verified": person.email_verified,
        "name": person.name,
        "nonce": if grant.forgery == Forgery::WrongNonce { Some("another-flow".to_owned()) } else { grant.nonce.clone() },
        "iat": iat,
        "exp": exp,
    });
    let der: &[u8] = if grant.forgery == Forgery::BadSignature {
        include_bytes!("fixtures/other_key.der")
    } else {
        include_bytes!("fixtures/idp_key.der")
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("mock-idp-1".to_owned());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_der(der)).unwrap()
}

struct Jwks(Arc<Mutex<IdpState>>);

impl Respond for Jwks {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.0.lock().unwrap().broken_jwks {
            return ResponseTemplate::new(200).set_body_raw("{\"keys\": 42}", "application/json");
        }
        let jwks: Value = serde_json::from_str(include_str!("fixtures/idp_jwks.json")).unwrap();
        ResponseTemplate::new(200).set_body_json(jwks)
    }
}

struct GitHubApi(Arc<Mutex<IdpState>>);

impl Respond for GitHubApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let bearer = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let state = self.0.lock().unwrap();
        let Some(person) = state.access_tokens.get(bearer) else {
            return ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"}));
        };
        if request.url.path().ends_with("/emails") {
            return ResponseTemplate::new(200).set_body_json(json!([
                {"email": format!("{}@users.noreply.github.test", person.subject), "primary": false, "verified": true, "visibility": null},
                {"email": person.email, "primary": true, "verified": person.email_verified, "visibility": "private"},
            ]));
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "id": person.subject.parse::<u64>().unwrap(),
            "login": format!("user{}", person.subject),
            "name": person.name,
        }))
    }
}
