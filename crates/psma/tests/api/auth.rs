//! Hosted mode (`auth.mode = "jwt"`, issue 9): password sign-in, rotating refresh tokens with
//! reuse detection, sign-out, the per-account throttle, the key set, and the keys CLI.

mod support;

mod edge;
mod endpoint_matrix;
mod invitations;
mod keys_cli;
mod operator_cli;
mod rls_matrix;
mod roles;
mod sessions;
mod throttle;
