//! `/api/v1/imports`: a household's own catalog files.

pub(crate) mod create;
