//! Advice (DESIGN §7): deterministic rules find what is worth telling a household member about
//! their plan, an adviser words it (the offline templates, or a language model through the
//! [`llm::LlmClient`] port), and nothing changes until the member confirms.

// Submodules, one per capability: each adds its own line below.
pub mod contract;
pub mod jobs;
pub mod llm;
pub mod offline;
pub mod ports;
pub mod profiles;
pub mod records;
pub mod rules;
pub mod usecases;
pub mod wording;
