//! The checks a fact from a program's `read` answer goes through.

use super::{MAX_LISTED_VIOLATIONS, Message, VALIDATOR, log, message, shorten};
use crate::lines::RawLine;
use psma_plugin_sdk::chrono::{DateTime, Utc};
use psma_plugin_sdk::serde_json::{self, Map, Value, json};
use psma_plugin_sdk::text::SourceId;
use psma_plugin_sdk::{Fact, FactKind, ProviderError, ServiceRegistry};

/// What a fact from the program must keep, besides the contract.
pub(crate) struct FactRules<'a> {
    /// The provider's id: a fact's `provenance.source_id`, filled in when left out.
    pub(crate) source_id: &'a SourceId,
    /// Its `provenance.retrieved_at` when left out.
    pub(crate) now: DateTime<Utc>,
    /// The service ids a fact may name.
    pub(crate) services: &'a ServiceRegistry,
    /// The kinds the program's spec declares.
    pub(crate) kinds: &'a [FactKind],
}

impl FactRules<'_> {
    /// Checks the fact printed on line `number`: its kind is declared, its source is this
    /// provider (filled in when left out, as is `retrieved_at`), it keeps the contract and the
    /// rules across its fields, and it names only services the registry knows.
    pub(crate) fn check(&self, mut document: Value, number: usize) -> Result<Fact, ProviderError> {
        let location = format!("line {number}");
        let refuse = |field: Option<&str>, message: String| ProviderError::Malformed {
            location: Some(location.clone()),
            field: field.map(str::to_owned),
            message,
        };
        let Value::Object(fact) = &mut document else {
            return Err(refuse(None, "a fact must be a JSON object".to_owned()));
        };
        let kind = fact.get("kind").and_then(Value::as_str);
        match kind.and_then(FactKind::parse) {
            None => {
                let known: Vec<&str> = FactKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(refuse(
                    Some("kind"),
                    format!("must be one of {}", known.join(", ")),
                ));
            }
            Some(kind) if !self.kinds.contains(&kind) => {
                let declared: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
                return Err(refuse(
                    Some("kind"),
                    format!(
                        "`{}` is not among the kinds the program's spec declares ({})",
                        kind.as_str(),
                        declared.join(", ")
                    ),
                ));
            }
            Some(_) => {}
        }
        let provenance = fact
            .entry("provenance")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(provenance) = provenance {
            match provenance.get("source_id") {
                None | Some(Value::Null) => {
                    provenance.insert("source_id".to_owned(), json!(self.source_id));
                }
                Some(Value::String(id)) if id == self.source_id.as_str() => {}
                Some(other) => {
                    return Err(refuse(
                        Some("provenance.source_id"),
                        format!(
                            "is {}, but this provider is `{}`; leave it out or give its id",
                            shorten(&other.to_string()),
                            self.source_id
                        ),
                    ));
                }
            }
            if matches!(provenance.get("retrieved_at"), None | Some(Value::Null)) {
                provenance.insert("retrieved_at".to_owned(), json!(self.now));
            }
        }
        let validator = VALIDATOR
            .as_ref()
            .map_err(|e| refuse(None, format!("the fact contract does not compile: {e}")))?;
        if let Err(errors) = validator.validate(&document) {
            let field = errors.first().map(|e| e.field.clone());
            let listed: Vec<String> = errors
                .iter()
                .take(MAX_LISTED_VIOLATIONS)
                .map(|e| shorten(&e.to_string()))
                .collect();
            let more = errors.len().saturating_sub(MAX_LISTED_VIOLATIONS);
            let mut message = format!("breaks the fact contract: {}", listed.join("; "));
            if more > 0 {
                message.push_str(&format!(" (and {more} more)"));
            }
            return Err(ProviderError::Malformed {
                location: Some(location),
                field,
                message,
            });
        }
        let fact: Fact = serde_json::from_value(document)
            .map_err(|e| refuse(None, format!("is not a fact: {}", shorten(&e.to_string()))))?;
        if let Err(errors) = fact.validate() {
            let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(refuse(
                errors.first().map(|e| e.field.as_str()),
                format!("breaks a fact rule: {}", listed.join("; ")),
            ));
        }
        if let Some(service) = fact.service_id()
            && !self.services.contains(service.as_str())
        {
            return Err(refuse(
                Some("service_id"),
                format!(
                    "unknown service `{service}`; known services: {}",
                    self.services.ids().join(", ")
                ),
            ));
        }
        Ok(fact)
    }
}

/// What line `number` of an answer to `read` yields: a checked fact, an item error, or
/// nothing (blank lines, `log` lines, and messages that answer other requests).
pub(crate) fn read_item(
    rules: &FactRules<'_>,
    number: usize,
    line: &RawLine,
) -> Option<Result<Fact, ProviderError>> {
    match message(number, line) {
        Message::Blank | Message::Spec(_) | Message::Ok => None,
        Message::Log(level, text) => {
            log(rules.source_id, level, &text);
            None
        }
        Message::Fact(document) => Some(rules.check(document, number)),
        Message::Error(declared) => Some(Err(declared.into_error(number, true))),
        Message::Invalid(why) => Some(Err(ProviderError::Malformed {
            location: Some(format!("line {number}")),
            field: None,
            message: why,
        })),
    }
}
