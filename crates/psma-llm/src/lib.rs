//! # psma-llm — LLM and embedding adapters
//!
//! Will implement the core's `LlmClient` (structured completion: a prompt and a JSON Schema in,
//! validated JSON out) and `Embedder` (text → vector) ports: an OpenRouter / OpenAI-compatible
//! adapter and the offline, deterministic one that keeps PSMA fully useful without an API key.
//! Empty until the advice issue; it exists now so the workspace has its final shape.
//!
//! **Invariants:** depends on the core only among PSMA crates; never creates facts — it words
//! and ranks what the core's rules found; every answer is validated against its schema.
