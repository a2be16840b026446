//! Which roles a member holds.

use super::usecases::{Roles, may_grant};
use crate::access::{Permission, Role};
use crate::accounts::User;
use crate::audit::AuditDraft;
use crate::tenancy::{SystemCtx, TenantCtx, UserId};
use crate::{Error, Result};
use serde_json::json;

/// The most roles one member holds.
pub const MAX_ROLES: usize = 10;

impl Roles {
    /// Replaces a member's roles (audited `user.roles`). Nobody changes their own roles (a
    /// household keeps someone who can manage it); only an owner makes or unmakes an owner;
    /// nobody hands out more than they hold; the platform-operator role is the operator CLI's
    /// alone. A member's tokens carry the new roles from their next refresh at the latest
    /// (access tokens live 15 minutes by default); a custom role's permissions apply at once.
    ///
    /// # Errors
    /// [`Error::Forbidden`] without `members:write` or against the rules above;
    /// [`Error::Conflict`] for oneself; [`Error::Validation`] naming `roles` for a bad name;
    /// [`Error::NotFound`] for no such live member or role.
    pub async fn assign(
        &self,
        ctx: &TenantCtx,
        user: UserId,
        roles: &[String],
        request_id: Option<String>,
    ) -> Result<User> {
        ctx.require(Permission::MEMBERS_WRITE, "assigning roles")?;
        let roles = parse_roles(roles)?;
        if roles.is_empty() {
            return Err(Error::validation(
                "roles",
                "a member needs at least one role",
            ));
        }
        if ctx.user_id() == Some(user) {
            return Err(Error::Conflict(
                "you cannot change your own roles".to_owned(),
            ));
        }
        let target = self.users.get(ctx, user).await?;
        if target.roles.contains(&Role::OWNER) || roles.contains(&Role::OWNER) {
            ctx.require_role(&[Role::OWNER], "making or unmaking an owner")?;
        }
        self.check_assignable(ctx, &roles).await?;
        let audit = AuditDraft::new(ctx, "user.roles", "user", user, self.clock.now())
            .with_request_id(request_id);
        self.store.set_user_roles(ctx, user, &roles, audit).await
    }

    /// Whether the caller may hand `roles` to someone (assigning them, or inviting with
    /// them): each exists in the household, the platform-operator role is not among them, an
    /// owner role comes from an owner, and together they grant nothing the caller lacks.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a role the household does not have; [`Error::Forbidden`] for
    /// the platform operator's role or more than the caller holds.
    pub async fn check_assignable(&self, ctx: &TenantCtx, roles: &[Role]) -> Result<()> {
        if roles.contains(&Role::PLATFORM_OPERATOR) {
            return Err(Error::Forbidden(
                "`platform_operator` is granted by the operator's CLI only".to_owned(),
            ));
        }
        if roles.contains(&Role::OWNER) {
            ctx.require_role(&[Role::OWNER], "handing out the owner role")?;
        }
        let custom: Vec<Role> = roles.iter().filter(|r| !r.is_builtin()).cloned().collect();
        if !custom.is_empty() {
            let known = self.store.custom_roles(ctx, Some(&custom)).await?;
            // A role name is well-formed but names nothing here: like any unknown reference,
            // 404 (the schema cannot list a household's own roles).
            if let Some(missing) = custom.iter().find(|r| !known.iter().any(|k| k.name == **r)) {
                return Err(super::usecases::no_such_role(missing));
            }
        }
        may_grant(ctx, self.grants(ctx, roles).await?)
    }

    /// Grants or withdraws the platform-operator role (audited `user.platform_operator`): the
    /// operator's CLI, which alone holds a [`SystemCtx`] for it.
    ///
    /// # Errors
    /// [`Error::NotFound`] for no such live member.
    pub async fn set_platform_operator(
        &self,
        system: &SystemCtx,
        ctx: &TenantCtx,
        user: UserId,
        operator: bool,
    ) -> Result<User> {
        let audit = AuditDraft::new(
            ctx,
            "user.platform_operator",
            "user",
            user,
            self.clock.now(),
        )
        .with_change(None, Some(json!({ "platform_operator": operator })));
        self.store
            .set_platform_operator(system, ctx, user, operator, audit)
            .await
    }
}

/// Role names as received, checked, sorted and without repeats.
///
/// # Errors
/// [`Error::Validation`] on `roles` for a bad name or too many.
pub fn parse_roles(raw: &[String]) -> Result<Vec<Role>> {
    let mut roles = raw
        .iter()
        .map(|r| Role::parse(r, "roles"))
        .collect::<Result<Vec<_>>>()?;
    roles.sort_unstable();
    roles.dedup();
    if roles.len() > MAX_ROLES {
        return Err(Error::validation(
            "roles",
            format!("at most {MAX_ROLES} roles"),
        ));
    }
    Ok(roles)
}
