//! Use cases: what every entry point (HTTP, CLI, worker) calls. Permission checks live here, so
//! each entry point gets the same answer.

mod accounts;

pub use accounts::{Accounts, Me, MePatch};
