//! Checked strings: identifiers and bounded text whose rules are stated once, as a pattern and a
//! length, and enforced both by deserialisation (serde) and by the generated JSON Schema, so the
//! contract and the code can never disagree about what is valid.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

/// A value that breaks the rule of its type: what the rule is, for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidText(pub String);

macro_rules! checked_text {
    (
        $(#[$doc:meta])*
        $name:ident,
        pattern: $pattern:expr,
        max_chars: $max:expr,
        rule: $rule:expr $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The anchored pattern every value matches (also in the JSON Schema).
            pub const PATTERN: &'static str = $pattern;
            /// The longest value, in characters (Unicode scalar values, as JSON Schema counts).
            pub const MAX_CHARS: usize = $max;

            /// Checks `raw` against the type's rule.
            ///
            /// # Errors
            /// [`InvalidText`] saying what the rule is.
            pub fn parse(raw: &str) -> Result<Self, InvalidText> {
                // A broken constant pattern would refuse every value; the tests would say so.
                static RE: LazyLock<Result<regex::Regex, regex::Error>> =
                    LazyLock::new(|| regex::Regex::new($pattern));
                let chars = raw.chars().count();
                let matches = RE.as_ref().is_ok_and(|re| re.is_match(raw));
                if chars == 0 || chars > Self::MAX_CHARS || !matches {
                    return Err(InvalidText(format!(
                        "{} (1 to {} characters), got {:?}",
                        $rule,
                        Self::MAX_CHARS,
                        shorten(raw)
                    )));
                }
                Ok(Self(raw.to_owned()))
            }

            /// The value as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidText;

            fn try_from(value: String) -> Result<Self, InvalidText> {
                // Avoid a second allocation for the common, valid case.
                Self::parse(&value).map(|_| Self(value))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidText;

            fn from_str(s: &str) -> Result<Self, InvalidText> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "minLength": 1,
                    "maxLength": $max,
                    "pattern": $pattern,
                    "description": $rule,
                })
            }
        }
    };
}

fn shorten(raw: &str) -> String {
    let mut shown: String = raw.chars().take(40).collect();
    if raw.chars().count() > 40 {
        shown.push('…');
    }
    shown
}

checked_text!(
    /// Identifies a data source (`tmdb`, `tvmaze`, `manual_import`, `user_confirmation`): the
    /// `source_id` of every fact it asserts.
    SourceId,
    pattern: r"^[a-z][a-z0-9_]*$",
    max_chars: 64,
    rule: "a source id: lowercase letters, digits and underscores, starting with a letter",
);

checked_text!(
    /// Identifies a consumer streaming service (`netflix`, `max`, `youtube-tv`); canonical ids
    /// come from the service registry.
    ServiceId,
    pattern: r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    max_chars: 64,
    rule: "a service id: lowercase letters and digits in groups joined by single hyphens",
);

checked_text!(
    /// An ISO 3166-1 alpha-2 country code (`US`, `GB`).
    CountryCode,
    pattern: r"^[A-Z]{2}$",
    max_chars: 2,
    rule: "an ISO 3166-1 alpha-2 country code in capitals, such as US",
);

checked_text!(
    /// An ISO 4217 currency code (`USD`).
    CurrencyCode,
    pattern: r"^[A-Z]{3}$",
    max_chars: 3,
    rule: "an ISO 4217 currency code in capitals, such as USD",
);

checked_text!(
    /// A provider's own stable key for a show (`tv:1399` for TMDB, `82` for TVmaze, a `ref` in
    /// an import file). Facts about the same show from the same source share it.
    ShowKey,
    pattern: r"^[^\x00-\x1F\x7F]+$",
    max_chars: 200,
    rule: "a show key: any text without control characters",
);

checked_text!(
    /// The namespace of an external id (`tmdb`, `tvmaze`, `imdb`).
    ExternalNamespace,
    pattern: r"^[a-z][a-z0-9_]*$",
    max_chars: 32,
    rule: "an external id namespace: lowercase letters, digits and underscores, starting with a letter",
);

checked_text!(
    /// The value of an external id within its namespace (`tv:1399`, `82`, `tt0944947`).
    ExternalValue,
    pattern: r"^[^\x00-\x20\x7F]+$",
    max_chars: 100,
    rule: "an external id: text without spaces or control characters",
);

checked_text!(
    /// A title (of a show or an episode): text without control characters and not only spaces.
    Title,
    pattern: r"^[^\x00-\x1F\x7F]*[^\x00-\x20\x7F][^\x00-\x1F\x7F]*$",
    max_chars: 500,
    rule: "a title: text without control characters, not blank",
);

checked_text!(
    /// Free text such as an overview: anything but control characters other than tab and
    /// newlines.
    LongText,
    pattern: r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+$",
    max_chars: 10_000,
    rule: "text without control characters other than tab and newlines",
);

checked_text!(
    /// A short label (a genre, a price tier): text without control characters, not blank.
    Label,
    pattern: r"^[^\x00-\x1F\x7F]*[^\x00-\x20\x7F][^\x00-\x1F\x7F]*$",
    max_chars: 64,
    rule: "a label: text without control characters, not blank",
);

checked_text!(
    /// Where a provider found a fact (a URL, a file and line, an API path), for people.
    SourceRef,
    pattern: r"^[^\x00-\x1F\x7F]+$",
    max_chars: 2000,
    rule: "a source reference: text without control characters",
);

checked_text!(
    /// A money amount as a decimal string (`17.99`): no sign, no exponent, up to four decimals.
    Decimal,
    pattern: r"^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,4})?$",
    max_chars: 14,
    rule: "a decimal amount such as 17.99 (no sign or exponent, at most 4 decimals)",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_accept_the_documented_forms() {
        for ok in ["tmdb", "manual_import", "user_confirmation", "a1"] {
            SourceId::parse(ok).unwrap();
        }
        for bad in ["", "Tmdb", "1tmdb", "tm-db", "tm db"] {
            assert!(SourceId::parse(bad).is_err(), "{bad}");
        }
        for ok in [
            "netflix",
            "youtube-tv",
            "apple-tv-plus",
            "unknown-tmdb-provider-123",
        ] {
            ServiceId::parse(ok).unwrap();
        }
        for bad in ["Netflix", "-max", "max-", "a--b", "a b", ""] {
            assert!(ServiceId::parse(bad).is_err(), "{bad}");
        }
        CountryCode::parse("US").unwrap();
        assert!(CountryCode::parse("us").is_err());
        assert!(CountryCode::parse("USA").is_err());
    }

    #[test]
    fn titles_must_not_be_blank_or_hold_controls() {
        Title::parse("  Severance ").unwrap();
        Title::parse("M*A*S*H").unwrap();
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse("a\nb").is_err());
        assert!(Title::parse(&"x".repeat(501)).is_err());
        Title::parse(&"é".repeat(500)).unwrap();
    }

    #[test]
    fn decimals_are_plain_amounts() {
        for ok in ["0", "17.99", "7.5", "1234.5678", "0.99"] {
            Decimal::parse(ok).unwrap();
        }
        for bad in ["-1", "01", "1e3", "1.23456", ".5", "5.", "1,99"] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_refuses_what_parse_refuses_and_names_the_rule() {
        let err = serde_json::from_str::<ServiceId>("\"Net Flix\"").unwrap_err();
        assert!(err.to_string().contains("a service id"), "{err}");
        let ok: ServiceId = serde_json::from_str("\"max\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"max\"");
    }
}
