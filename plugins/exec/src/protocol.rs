//! The exec protocol's messages: the request PSMA writes, what a line of the program's output
//! is, the checks a fact goes through, and the spec a program declares. Pure: no I/O, so the
//! fuzz target exercises exactly what a `read` answer goes through.

use crate::config::Config;
use crate::lines::{MAX_LINE_BYTES, RawLine};
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::contract::FactValidator;
use psma_plugin_sdk::serde_json::{self, Map, Value, json};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{ProviderError, Scope};
use std::sync::LazyLock;
use std::time::Duration;

/// The protocol's version, sent as `protocol` in every request.
pub const PROTOCOL_VERSION: u64 = 1;

/// The longest text taken from a program's message into an error or a log line.
const MAX_MESSAGE_CHARS: usize = 2000;

/// The most contract violations one rejected fact lists.
const MAX_LISTED_VIOLATIONS: usize = 5;

/// What PSMA asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestKind {
    Spec,
    Check,
    Read,
}

impl RequestKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Spec => "spec",
            Self::Check => "check",
            Self::Read => "read",
        }
    }
}

fn line(value: &Value) -> Vec<u8> {
    let mut bytes = value.to_string().into_bytes();
    bytes.push(b'\n');
    bytes
}

/// `{"type":"spec","protocol":1,"source_id":…}`
pub(crate) fn spec_request(source_id: &SourceId) -> Vec<u8> {
    line(&json!({"type": "spec", "protocol": PROTOCOL_VERSION, "source_id": source_id}))
}

/// `{"type":"check","protocol":1,"source_id":…,"config":{…}}`
pub(crate) fn check_request(config: &Config) -> Vec<u8> {
    line(&json!({
        "type": "check",
        "protocol": PROTOCOL_VERSION,
        "source_id": config.source_id,
        "config": config.config,
    }))
}

/// `{"type":"read","protocol":1,"source_id":…,"config":{…},"scope":{…},"now":…}`
pub(crate) fn read_request(config: &Config, scope: &Scope, now: DateTime<Utc>) -> Vec<u8> {
    line(&json!({
        "type": "read",
        "protocol": PROTOCOL_VERSION,
        "source_id": config.source_id,
        "config": config.config,
        "scope": scope_json(scope),
        "now": now,
    }))
}

/// A scope as the protocol sends it: `{"kind":"all"}`,
/// `{"kind":"show","key":…,"external_ids":{…},"title":…,"year":…}` (unknown parts `null`, no
/// ids `{}`), `{"kind":"country","country":"US"}`.
#[must_use]
pub fn scope_json(scope: &Scope) -> Value {
    match scope {
        Scope::All => json!({"kind": "all"}),
        Scope::Show(query) => json!({
            "kind": "show",
            "key": query.key,
            "external_ids": query.external_ids,
            "title": query.title,
            "year": query.year,
        }),
        Scope::Country(country) => json!({"kind": "country", "country": country}),
    }
}

/// The level of a `log` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// What one line of output is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Message {
    /// Empty or only spaces: ignored.
    Blank,
    /// A fact (bare, or the `fact` of a `{"type":"fact"}` message), not yet checked.
    Fact(Value),
    /// `{"type":"spec",…}`
    Spec(Value),
    /// `{"type":"ok"}`
    Ok,
    /// `{"type":"error",…}`
    Error(Declared),
    /// `{"type":"log",…}`
    Log(Level, String),
    /// Not a message: why, as a noun phrase (`not JSON: …`).
    Invalid(String),
}

/// An error as the program declared it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Declared {
    kind: Option<String>,
    message: String,
    field: Option<String>,
    location: Option<String>,
    status: Option<u16>,
    retry_after_secs: Option<f64>,
}

impl Declared {
    fn read(object: &Map<String, Value>) -> Self {
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(shorten);
        Self {
            kind: object
                .get("kind")
                .map(|k| k.as_str().map_or_else(|| shorten(&k.to_string()), shorten)),
            message: text("message")
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "the program reported an error without a message".to_owned()),
            field: text("field").filter(|f| !f.is_empty()),
            location: text("location").filter(|l| !l.is_empty()),
            status: object
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok()),
            retry_after_secs: object.get("retry_after_secs").and_then(Value::as_f64),
        }
    }

    /// The error it stands for; `line` is where it was printed. A `malformed` error loses one
    /// record in a `read` only; elsewhere there is no record to lose and it is `upstream`.
    pub(crate) fn into_error(self, line: usize, in_read: bool) -> ProviderError {
        let Self {
            kind,
            message,
            field,
            location,
            status,
            retry_after_secs,
        } = self;
        match kind.as_deref() {
            Some("config") => {
                let field = match field {
                    Some(f) if f == "config" || f.starts_with("config.") => f,
                    Some(f) => format!("config.{f}"),
                    None => "config".to_owned(),
                };
                ProviderError::config(field, message)
            }
            Some("auth") => ProviderError::Auth(message),
            Some("rate_limited") => {
                tracing::warn!(%message, "the exec program is rate limited");
                ProviderError::RateLimited {
                    retry_after: retry_after_secs
                        .and_then(|s| Duration::try_from_secs_f64(s.ceil()).ok()),
                }
            }
            Some("malformed") if in_read => ProviderError::Malformed {
                location: Some(location.unwrap_or_else(|| format!("line {line}"))),
                field,
                message,
            },
            Some("malformed" | "upstream") | None => ProviderError::Upstream { status, message },
            Some(other) => ProviderError::Upstream {
                status,
                message: format!(
                    "{message} (error kind `{other}` is not one of config, auth, rate_limited, upstream, malformed)"
                ),
            },
        }
    }
}

/// At most [`MAX_MESSAGE_CHARS`] of `text`.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Reads line `number` of the output.
pub(crate) fn message(number: usize, line: &RawLine) -> Message {
    let mut bytes = match line {
        RawLine::TooLong(len) => {
            return Message::Invalid(format!(
                "a line of {len} bytes, over the limit of {MAX_LINE_BYTES}; skipped"
            ));
        }
        RawLine::Text(bytes) => bytes.as_slice(),
    };
    if number == 1 {
        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Message::Blank;
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => {
            let text = e.to_string();
            let what = text.split(" at line ").next().unwrap_or(&text);
            return Message::Invalid(format!("not JSON: {what} (column {})", e.column()));
        }
    };
    let mut object = match value {
        Value::Object(object) => object,
        other => {
            let what = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return Message::Invalid(format!("JSON {what}, not an object"));
        }
    };
    let kind = match object.get("type") {
        None => {
            return if object.contains_key("kind") {
                Message::Fact(Value::Object(object))
            } else {
                Message::Invalid(
                    "an object that is neither a fact (it has no `kind`) nor a message (no `type`)"
                        .to_owned(),
                )
            };
        }
        Some(Value::String(kind)) => kind.clone(),
        Some(other) => return Message::Invalid(format!("a message whose `type` is {other}")),
    };
    match kind.as_str() {
        "fact" => match object.remove("fact") {
            Some(fact @ Value::Object(_)) => Message::Fact(fact),
            _ => Message::Invalid("a `fact` message without a `fact` object".to_owned()),
        },
        "spec" => Message::Spec(Value::Object(object)),
        "ok" => Message::Ok,
        "error" => Message::Error(Declared::read(&object)),
        "log" => {
            let level = match object.get("level").and_then(Value::as_str) {
                Some("error") => Level::Error,
                Some("warn" | "warning") => Level::Warn,
                Some("debug") => Level::Debug,
                Some("trace") => Level::Trace,
                _ => Level::Info,
            };
            let text = object
                .get("message")
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
                .unwrap_or_default();
            Message::Log(level, shorten(&text))
        }
        other => Message::Invalid(format!(
            "a message of unknown type `{}` (known: fact, error, log, spec, ok)",
            shorten(other)
        )),
    }
}

/// Routes a `log` message to PSMA's log.
pub(crate) fn log(source: &SourceId, level: Level, message: &str) {
    match level {
        Level::Error => tracing::error!(provider = %source, "{message}"),
        Level::Warn => tracing::warn!(provider = %source, "{message}"),
        Level::Info => tracing::info!(provider = %source, "{message}"),
        Level::Debug => tracing::debug!(provider = %source, "{message}"),
        Level::Trace => tracing::trace!(provider = %source, "{message}"),
    }
}

/// The fact contract, compiled once per process.
static VALIDATOR: LazyLock<Result<FactValidator, String>> = LazyLock::new(FactValidator::new);

mod facts;
mod spec;

pub(crate) use facts::{FactRules, read_item};
pub(crate) use spec::{DEFAULT_MIN_REFRESH_SECS, check_program_config, provider_spec};

#[cfg(test)]
mod tests;
