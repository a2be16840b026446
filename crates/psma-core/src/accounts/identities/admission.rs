//! Who a verified identity signs in as, in this order:
//!
//! 1. an identity linked already signs in its user (unless the account is disabled or gone);
//! 2. otherwise nothing happens by an email the provider does not vouch for;
//! 3. an invitation presented at the start joins its household with the invited roles, when
//!    the invitation is for the provider's verified email;
//! 4. an account whose email is the provider's verified email gets the identity linked (the
//!    provider proved the person owns the address, which is what a password reset proves);
//! 5. an email domain listed in `auth.oauth.allowed_domains` joins its household as a member;
//! 6. anyone else is refused.
//!
//! Every outcome in a known household is audited there (`auth.oauth_login`, `auth.oauth_link`,
//! `auth.oauth_join`, `invitation.accept`, `auth.oauth_refused`); a refusal that names no
//! household has no log to go to and is only in the server's request log.

use super::flow::PendingAuthorization;
use super::ports::ProviderJoining;
use super::types::ExternalIdentity;
use super::usecases::OAuthSignIn;
use crate::access::Grants;
use crate::accounts::DisplayName;
use crate::accounts::sessions::{IssuedTokens, LoginAccount, Origin};
use crate::audit::AuditDraft;
use crate::tenancy::{Role, SystemCtx, TenantCtx, TenantId, UserId};
use crate::{Error, Result};
use serde_json::{Value, json};

/// How a new member came in, for the audit log.
#[derive(Debug, Clone, Copy)]
enum Via {
    Invitation(uuid::Uuid),
    AllowedDomain,
}

impl OAuthSignIn {
    /// Signs in (or admits, or refuses) the person `identity` is; see the module's rules.
    pub(super) async fn admit(
        &self,
        flow: &PendingAuthorization,
        identity: &ExternalIdentity,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let system = SystemCtx::establish("oauth sign-in");
        let links = &self.ports.links;
        if let Some(link) = links
            .find(&system, &identity.provider, &identity.subject)
            .await?
        {
            let ctx = TenantCtx::establish(
                link.tenant_id,
                Some(link.user_id),
                Vec::new(),
                Grants::none(),
            );
            let account = self.ports.accounts.account(&ctx, link.user_id).await?;
            return self.sign_in(account, identity, origin).await;
        }
        let invited = match &flow.invitation {
            Some(reference) => Some(self.invitation(reference).await?),
            None => None,
        };
        let Some(email) = identity.verified_email() else {
            let why = format!(
                "{} does not confirm that this account's email address is verified; PSMA \
                 admits and links only verified addresses",
                identity.provider
            );
            if let Some(invitation) = &invited {
                self.refuse(invitation.tenant_id, None, identity, &why, origin)
                    .await?;
            }
            return Err(Error::Forbidden(why));
        };
        if let Some(invitation) = invited {
            if invitation.email.trim().to_lowercase() != email {
                let why = "the invitation is for another email address: sign in with the \
                           provider's account of the invited address, or accept the \
                           invitation with a password";
                self.refuse(invitation.tenant_id, None, identity, why, origin)
                    .await?;
                return Err(Error::Forbidden(why.to_owned()));
            }
            let via = Via::Invitation(invitation.id);
            return self
                .join(
                    invitation.tenant_id,
                    invitation.roles,
                    via,
                    &email,
                    identity,
                    origin,
                )
                .await;
        }
        if let Some(account) = self.ports.accounts.login_account(&system, &email).await? {
            let ctx = TenantCtx::establish(
                account.tenant_id,
                Some(account.user_id),
                account.roles.clone(),
                Grants::none(),
            );
            if !account.disabled {
                let now = self.ports.clock.now();
                let audit = self
                    .audit(&ctx, "auth.oauth_link", identity, origin, now)
                    .with_change(None, Some(link_details(identity, "verified_email")));
                links
                    .link(&ctx, account.user_id, identity, now, audit)
                    .await?;
            }
            return self.sign_in(Some(account), identity, origin).await;
        }
        if let Some(tenant) = self.policy.household_for(&email) {
            let roles = vec![Role::MEMBER];
            return self
                .join(tenant, roles, Via::AllowedDomain, &email, identity, origin)
                .await;
        }
        Err(Error::Forbidden(format!(
            "no household has invited {email}: ask a household's owner or admin for an \
             invitation and start the sign-in with it"
        )))
    }

    /// Opens a session of `account`, refusing a disabled or vanished one.
    async fn sign_in(
        &self,
        account: Option<LoginAccount>,
        identity: &ExternalIdentity,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let Some(account) = account else {
            return Err(Error::Forbidden(
                "the account this identity was linked to no longer exists".to_owned(),
            ));
        };
        if account.disabled {
            let why = "this account is disabled; ask the household's owner";
            self.refuse(
                account.tenant_id,
                Some(account.user_id),
                identity,
                why,
                origin,
            )
            .await?;
            return Err(Error::Forbidden(why.to_owned()));
        }
        let ctx = TenantCtx::establish(
            account.tenant_id,
            Some(account.user_id),
            account.roles.clone(),
            Grants::none(),
        );
        let details = json!({
            "method": "oauth",
            "provider": identity.provider.as_str(),
            "subject": identity.subject,
            "client_ip": origin.client_ip,
        });
        self.sessions
            .open(&ctx, &account, "auth.oauth_login", details, origin)
            .await
    }

    /// A new member of `tenant` with `roles`, the identity linked to them, signed in.
    async fn join(
        &self,
        tenant: TenantId,
        roles: Vec<Role>,
        via: Via,
        email: &str,
        identity: &ExternalIdentity,
        origin: &Origin,
    ) -> Result<IssuedTokens> {
        let user_id = UserId::generate();
        let ctx = TenantCtx::establish(tenant, Some(user_id), roles.clone(), Grants::none());
        let now = self.ports.clock.now();
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        let (joined, how) = match via {
            Via::Invitation(id) => (
                AuditDraft::new(&ctx, "invitation.accept", "invitation", id, now),
                "invitation",
            ),
            Via::AllowedDomain => (
                AuditDraft::new(&ctx, "auth.oauth_join", "user", user_id, now),
                "allowed_domain",
            ),
        };
        let joined = joined
            .with_change(
                None,
                Some(json!({"user_id": user_id, "email": email, "roles": names, "via": how})),
            )
            .with_request_id(origin.request_id.clone());
        let linked = self
            .audit(&ctx, "auth.oauth_link", identity, origin, now)
            .with_change(None, Some(link_details(identity, how)));
        let joining = ProviderJoining {
            user_id,
            email: email.to_owned(),
            display_name: display_name(identity, email)?,
            roles: roles.clone(),
            invitation: match via {
                Via::Invitation(id) => Some(id),
                Via::AllowedDomain => None,
            },
        };
        self.ports
            .links
            .join(&ctx, &joining, identity, now, vec![joined, linked])
            .await?;
        let account = LoginAccount {
            tenant_id: tenant,
            user_id,
            roles,
            password_hash: None,
            failed_logins: 0,
            locked_until: None,
            disabled: false,
        };
        self.sign_in(Some(account), identity, origin).await
    }

    /// Records a refused sign-in in `tenant`'s log.
    async fn refuse(
        &self,
        tenant: TenantId,
        user: Option<UserId>,
        identity: &ExternalIdentity,
        why: &str,
        origin: &Origin,
    ) -> Result<()> {
        let ctx = TenantCtx::establish(tenant, user, Vec::new(), Grants::none());
        let now = self.ports.clock.now();
        let audit = self
            .audit(&ctx, "auth.oauth_refused", identity, origin, now)
            .with_change(
                None,
                Some(json!({
                    "provider": identity.provider.as_str(),
                    "subject": identity.subject,
                    "email": identity.email,
                    "email_verified": identity.email_verified,
                    "reason": why,
                    "client_ip": origin.client_ip,
                })),
            );
        self.ports.links.record_refusal(&ctx, audit).await
    }

    fn audit(
        &self,
        ctx: &TenantCtx,
        action: &str,
        identity: &ExternalIdentity,
        origin: &Origin,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AuditDraft {
        let resource = format!("{}:{}", identity.provider, identity.subject);
        AuditDraft::new(ctx, action, "identity", resource, now)
            .with_request_id(origin.request_id.clone())
    }
}

fn link_details(identity: &ExternalIdentity, how: &str) -> Value {
    json!({
        "provider": identity.provider.as_str(),
        "subject": identity.subject,
        "email": identity.email,
        "via": how,
    })
}

/// The provider's name for the person if it is a valid display name, else the email's part
/// before `@`, else `Member`.
fn display_name(identity: &ExternalIdentity, email: &str) -> Result<DisplayName> {
    let candidates = [identity.display_name.as_deref(), email.split('@').next()];
    candidates
        .into_iter()
        .flatten()
        .find_map(|name| DisplayName::parse(name).ok())
        .map_or_else(|| DisplayName::parse("Member"), Ok)
}
