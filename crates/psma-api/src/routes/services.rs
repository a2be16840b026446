//! `/api/v1/services`: the curated service registry with the knowledge base's facts.

pub(crate) mod list;
