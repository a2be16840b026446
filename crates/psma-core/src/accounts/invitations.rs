//! Invitations and password resets (issue 9, ADR 0028): single-use tokens that expire, naming
//! their tenant (`TenantToken`), stored as SHA-256 only.
//!
//! An owner or an admin invites someone by email with roles; the invitation's token, sent to
//! them out of band, lets them choose a password and join (`Sessions::accept_invitation`). An
//! owner or an admin (or the operator's CLI) hands out a password reset token for a member;
//! redeeming it sets a new password and signs out the member's other sessions
//! (`Sessions::reset_password`).

mod ports;
mod types;
mod usecases;

pub use ports::AccountTokens;
pub use types::{
    AccountToken, EmailAddress, INVITATION_TTL, IssuedAccountToken, Joining, NewAccountToken,
    RESET_TTL, TokenPurpose,
};
pub use usecases::Invitations;
