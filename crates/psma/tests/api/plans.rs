//! Stored plans and their deltas: the store's chain of plans, and the planner's rules as a new
//! user meets them through the HTTP API (imports, My Shows and My Services, `POST /plans`).

mod http;
mod scenarios;
mod store;
mod support;
