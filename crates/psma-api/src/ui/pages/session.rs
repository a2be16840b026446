//! Hosted mode's sign-in pages (ADR 0033): signing in (`/login`), out
//! (`POST /session/logout`), renewing an expired page session (`/session/renew`), and joining
//! a household by invitation (`/invitations/accept`). In local mode nobody signs in: these
//! pages send the browser home.

pub(crate) mod invitation;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod renew;
