//! `/plan/v1`: the compatibility façade of PSMA's first API, outside `/api/v1` (ADR 0017).

pub(crate) mod generate;
