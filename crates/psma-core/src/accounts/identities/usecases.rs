//! Starting a sign-in through a provider, and finishing it at the callback.

use super::flow::{
    AuthorizationRequest, CodeExchange, FlowSecrets, InvitationRef, PendingAuthorization,
};
use super::ports::{AuthorizationFlows, IdentityLinks, IdentityProviders};
use super::types::{AdmissionPolicy, FLOW_TTL, ProviderReply, StartedSignIn};
use crate::access::Grants;
use crate::accounts::invitations::{AccountToken, AccountTokens, TokenPurpose};
use crate::accounts::sessions::{IssuedTokens, Origin, SessionStore, Sessions};
use crate::ports::{Clock, Entropy};
use crate::tenancy::{SystemCtx, TenantCtx};
use crate::tenant_token::TenantToken;
use crate::{Error, Result};
use std::sync::Arc;
use uuid::Uuid;

/// The answer to an invitation that cannot be used (as for accepting one with a password).
pub(super) const BAD_INVITATION: &str = "the invitation is invalid, used or expired";
/// The answer to a callback without the browser's cookie.
const NOT_BOUND: &str = "this sign-in was not started in this browser (its cookie is missing); \
     start again";
/// The answer to a callback whose flow cannot be used, whatever the reason.
const BAD_FLOW: &str = "this sign-in is unknown, already finished, expired, or was started in \
     another browser or with another provider; start again";

/// The ports [`OAuthSignIn`] works through.
#[derive(Clone)]
pub struct OAuthPorts {
    /// The configured providers.
    pub providers: IdentityProviders,
    /// Started sign-ins.
    pub flows: Arc<dyn AuthorizationFlows>,
    /// Linked identities.
    pub links: Arc<dyn IdentityLinks>,
    /// Accounts as sign-in sees them.
    pub accounts: Arc<dyn SessionStore>,
    /// Invitations.
    pub account_tokens: Arc<dyn AccountTokens>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Randomness for the flows' secrets.
    pub entropy: Arc<dyn Entropy>,
}

/// Signing in through an identity provider (issue 9; ADR 0030): the authorization code flow
/// with PKCE, `state` bound to the browser, identities linked to users.
#[derive(Clone)]
pub struct OAuthSignIn {
    pub(super) ports: OAuthPorts,
    pub(super) sessions: Sessions,
    pub(super) policy: AdmissionPolicy,
}

impl OAuthSignIn {
    /// Wires the use case: `sessions` opens the session once someone is signed in.
    #[must_use]
    pub fn new(ports: OAuthPorts, sessions: Sessions, policy: AdmissionPolicy) -> Self {
        Self {
            ports,
            sessions,
            policy,
        }
    }

    /// The configured providers.
    #[must_use]
    pub fn providers(&self) -> &IdentityProviders {
        &self.ports.providers
    }

    /// Starts a sign-in through `provider`, with an invitation's token when the person was
    /// invited: a new flow (its digests stored, valid [`FLOW_TTL`], once) and the provider's
    /// authorization URL to send the browser to.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a provider that is not configured; [`Error::Unauthenticated`]
    /// for an invitation that is not live.
    pub async fn start(&self, provider: &str, invitation: Option<&str>) -> Result<StartedSignIn> {
        let (name, idp) = self.ports.providers.get(provider)?;
        let invitation = match invitation {
            Some(text) => {
                let token = TenantToken::parse(text)
                    .ok_or_else(|| Error::Unauthenticated(BAD_INVITATION.to_owned()))?;
                let reference = InvitationRef {
                    tenant_id: token.tenant_id(),
                    hash: token.hash(),
                };
                // Checked now, so nobody is sent to the provider with a dead invitation;
                // checked again, and used up, when they come back.
                self.invitation(&reference).await?;
                Some(reference)
            }
            None => None,
        };
        let secrets = FlowSecrets::generate(self.ports.entropy.as_ref())?;
        let now = self.ports.clock.now();
        let authorization_url = idp.authorization_url(&AuthorizationRequest {
            state: secrets.state().to_owned(),
            pkce_verifier: secrets.pkce_verifier(),
            nonce: secrets.nonce(),
        })?;
        let flow = PendingAuthorization {
            id: Uuid::now_v7(),
            provider: name,
            state: secrets.state_digest(),
            binding: secrets.binding_digest(),
            invitation,
            created_at: now,
            expires_at: now + FLOW_TTL,
        };
        self.ports
            .flows
            .begin(&SystemCtx::establish("oauth sign-in"), &flow)
            .await?;
        Ok(StartedSignIn {
            authorization_url,
            binding: secrets.binding().to_owned(),
            ttl: FLOW_TTL,
        })
    }

    /// Finishes a sign-in at the provider's redirect: uses up the flow `reply.state` names
    /// (only with the browser's `binding` secret and the same provider, once, within its
    /// time), exchanges the code with the PKCE verifier, and signs in the person the provider
    /// vouches for (see `admission.rs` for who gets in).
    ///
    /// # Errors
    /// [`Error::NotFound`] for a provider that is not configured; [`Error::Unauthenticated`]
    /// for a missing or wrong cookie, an unknown, used or expired flow, a reply with neither a
    /// code nor an error, a provider's refusal, or an identity that fails verification; [`Error::Forbidden`] when the identity may not
    /// sign in (unverified email, disabled account, nobody invited it);
    /// [`Error::Upstream`] when the provider fails.
    pub async fn callback(
        &self,
        provider: &str,
        reply: ProviderReply,
        binding: Option<&str>,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let (name, idp) = self.ports.providers.get(provider)?;
        let binding = binding
            .filter(|b| !b.is_empty())
            .ok_or_else(|| Error::Unauthenticated(NOT_BOUND.to_owned()))?;
        let secrets = FlowSecrets::presented(&reply.state, binding);
        let flow = self
            .ports
            .flows
            .consume(
                &SystemCtx::establish("oauth sign-in"),
                &secrets.state_digest(),
                &secrets.binding_digest(),
                &name,
                self.ports.clock.now(),
            )
            .await?
            .ok_or_else(|| Error::Unauthenticated(BAD_FLOW.to_owned()))?;
        let code = match (reply.error, reply.code) {
            (Some(error), _) => {
                return Err(Error::Unauthenticated(format!(
                    "{name} did not authorize the sign-in ({error})"
                )));
            }
            (None, Some(code)) => code,
            (None, None) => {
                return Err(Error::Unauthenticated(
                    "the provider's reply carries neither a code nor an error; start again"
                        .to_owned(),
                ));
            }
        };
        let identity = idp
            .identify(&CodeExchange {
                code,
                pkce_verifier: secrets.pkce_verifier(),
                nonce: secrets.nonce(),
            })
            .await?;
        if identity.provider != name {
            return Err(Error::internal(format!(
                "provider {name} vouched for an identity of {}",
                identity.provider
            )));
        }
        self.admit(&flow, &identity, origin).await
    }

    /// The live invitation `reference` names.
    pub(super) async fn invitation(&self, reference: &InvitationRef) -> Result<AccountToken> {
        // No user and no roles: enough to read this tenant's tokens, nothing else.
        let lookup = TenantCtx::establish(reference.tenant_id, None, Vec::new(), Grants::none());
        let now = self.ports.clock.now();
        self.ports
            .account_tokens
            .find(&lookup, &reference.hash)
            .await?
            .filter(|t| {
                t.purpose == TokenPurpose::Invitation
                    && t.used_at.is_none()
                    && t.expires_at > now
                    && t.tenant_id == reference.tenant_id
            })
            .ok_or_else(|| Error::Unauthenticated(BAD_INVITATION.to_owned()))
    }
}
