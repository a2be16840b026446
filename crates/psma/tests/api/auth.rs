//! Hosted mode (`auth.mode = "jwt"`, issue 9): password sign-in, rotating refresh tokens with
//! reuse detection, sign-out, changing one's password, the per-account throttle, the key set,
//! the keys CLI, and signing in through Google and GitHub (a mock authorization server).

pub mod support;

mod edge;
mod endpoint_matrix;
mod invitations;
mod keys_cli;
mod oauth;
mod oauth_mock;
mod operator_cli;
mod password_change;
mod rls_matrix;
mod roles;
mod sessions;
mod throttle;
