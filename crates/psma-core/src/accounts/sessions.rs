//! Sessions of hosted mode (`auth.mode = "jwt"`, issue 9; DESIGN §4): signing in with an email
//! and a password, refreshing a session with a single-use refresh token, and signing out.
//!
//! Authentication is where a caller's tenant becomes known, so this module is one of the
//! places allowed to establish contexts (`cargo xtask tidy`): a [`crate::tenancy::SystemCtx`]
//! to find the account an email names, and the account's [`crate::tenancy::TenantCtx`] once
//! its password or its refresh token's signature is proven (or to count a failed attempt
//! against that account). Nothing else here reads or writes tenant data.

mod ports;
mod redeem;
mod throttle;
mod types;
mod usecases;

pub use ports::{PasswordHasher, PasswordPolicy, SessionStore, TokenIssuer};
pub use throttle::LoginThrottle;
pub use types::{
    IssuedTokens, LoginAccount, Password, PasswordHash, RefreshRecord, Rotation, SessionSettings,
    TokenClaims, TokenDigest, TokenKind,
};
pub use usecases::{Origin, SessionPorts, Sessions};
