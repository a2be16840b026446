//! Signing in through an identity provider (issue 9, item 2; ADR 0030): OAuth 2.0 / OpenID
//! Connect authorization code flow with PKCE for Google, GitHub or any provider the
//! composition root registers, the `state` bound to the browser that started the flow, and
//! identities linked to users.
//!
//! Like sessions, this is where a caller's tenant becomes known, so it may establish contexts
//! (`cargo xtask tidy`): a [`crate::tenancy::SystemCtx`] for the flows (before any tenant) and
//! to find the user an identity or a verified email names, and that user's
//! [`crate::tenancy::TenantCtx`] once the provider vouched for them.

mod admission;
mod flow;
mod ports;
mod types;
mod usecases;

pub use flow::{
    AuthorizationRequest, CodeExchange, FlowSecrets, InvitationRef, PendingAuthorization,
};
pub use ports::{
    AuthorizationFlows, IdentityLinks, IdentityProvider, IdentityProviders, ProviderJoining,
};
pub use types::{
    AdmissionPolicy, AllowedDomain, ExternalIdentity, FLOW_TTL, LinkedIdentity, ProviderName,
    ProviderReply, StartedSignIn,
};
pub use usecases::{OAuthPorts, OAuthSignIn};
