//! Views shared by several routes: a stored fact with its provenance, a source's attribution,
//! the scope of a record.

mod fact;

pub use fact::{FactVersionView, ScopeView, SourceView};
