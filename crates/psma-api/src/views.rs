//! Views shared by several routes: a stored fact with its provenance, a source's attribution,
//! the scope of a record, a run of a source.

mod fact;
mod run;

pub use fact::{FactVersionView, ScopeView, SourceView};
pub use run::RunView;
