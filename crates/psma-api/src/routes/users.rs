//! The household's users, as their owners and admins manage them.

pub(crate) mod password_reset;
