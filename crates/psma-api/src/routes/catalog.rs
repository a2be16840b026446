//! `/api/v1/catalog`: work on the shared catalog as a whole.

pub(crate) mod refresh;
