//! # psma-llm — LLM and embedding adapters
//!
//! Implements the core's [`LlmClient`](psma_core::advice::llm::LlmClient) port (structured
//! completion: a prompt and a JSON Schema in, validated JSON out): [`OpenRouter`], for
//! OpenRouter or any OpenAI-compatible chat-completions server. The offline adviser, the
//! default, needs no client: it is the core's deterministic templates. The `Embedder` port's
//! adapters come with search.
//!
//! **Invariants:** depends on the core only among PSMA crates; never creates facts — it words
//! and ranks what the core's rules found; every answer is validated against its schema; the API
//! key never appears in an error, a log line or `Debug` output.

mod openrouter;
mod secret;

pub use openrouter::{OpenRouter, OpenRouterConfig};
pub use secret::ApiKey;
