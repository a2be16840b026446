//! `providers.<id>.rate_limit`: the pace an operator sets for a provider instead of the one
//! its plugin declares — `"40/s"`, `"20/10s"`, `"1000/1m"`, or `"none"` (unpaced: a local
//! mirror, a benchmark).

use psma_plugin_sdk::RateLimit;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A configured rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSetting(pub Option<RateLimit>);

impl FromStr for RateLimitSetting {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("none") {
            return Ok(Self(None));
        }
        let expected = "expected `<requests>/<period>` such as \"40/s\" or \"20/10s\", or \"none\"";
        let (requests, period) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}`: {expected}"))?;
        let requests: u32 = requests
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("`{text}`: the requests must be a whole number above 0"))?;
        let period = period.trim();
        // "40/s" reads as "40 per 1 s".
        let period = if period.starts_with(|c: char| c.is_ascii_alphabetic()) {
            format!("1{period}")
        } else {
            period.to_owned()
        };
        let period = humantime_serde::re::humantime::parse_duration(&period)
            .map_err(|e| format!("`{text}`: {e}; {expected}"))?;
        if period.subsec_nanos() != 0 || period.as_secs() == 0 {
            return Err(format!(
                "`{text}`: the period must be whole seconds, at least 1 s"
            ));
        }
        let per_secs = u32::try_from(period.as_secs())
            .map_err(|_| format!("`{text}`: the period is too long"))?;
        Ok(Self(Some(RateLimit { requests, per_secs })))
    }
}

impl fmt::Display for RateLimitSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("none"),
            Some(limit) => write!(f, "{}/{}s", limit.requests, limit.per_secs),
        }
    }
}

impl<'de> Deserialize<'de> for RateLimitSetting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for RateLimitSetting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(text: &str) -> Option<RateLimit> {
        text.parse::<RateLimitSetting>().unwrap().0
    }

    #[test]
    fn the_documented_forms_parse() {
        assert_eq!(
            limit("40/s"),
            Some(RateLimit {
                requests: 40,
                per_secs: 1
            })
        );
        assert_eq!(
            limit("20/10s"),
            Some(RateLimit {
                requests: 20,
                per_secs: 10
            })
        );
        assert_eq!(
            limit(" 1000 / 1m "),
            Some(RateLimit {
                requests: 1000,
                per_secs: 60
            })
        );
        assert_eq!(limit("none"), None);
        assert_eq!(
            limit("20/10s")
                .map(|l| RateLimitSetting(Some(l)).to_string())
                .as_deref(),
            Some("20/10s")
        );
    }

    #[test]
    fn mistakes_say_what_is_expected() {
        for bad in [
            "40",
            "0/s",
            "-1/s",
            "x/s",
            "40/",
            "40/500ms",
            "40/fortnight",
            "",
        ] {
            let err = bad.parse::<RateLimitSetting>().unwrap_err();
            assert!(err.contains(&format!("`{}`", bad.trim())), "{bad}: {err}");
        }
    }
}
