//! Which names this server answers to. A local-mode PSMA has no login, so a web page from
//! anywhere could reach it through DNS rebinding: the attacker's name resolves to 127.0.0.1 and
//! the browser sends `Host: attacker.example`. Answering only to IP literals, `localhost`,
//! `server.public_url`'s host and the names in `server.allowed_hosts` closes that (ADR 0032);
//! others get 421.

use crate::settings::ServerSettings;
use std::net::IpAddr;

/// The names the server answers to.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostPolicy {
    /// Extra names (lower case, without port); `*` among them turns the check off.
    names: Vec<String>,
}

impl HostPolicy {
    /// The policy `settings` describe.
    pub(crate) fn from_settings(settings: &ServerSettings) -> Self {
        let mut names: Vec<String> = settings
            .allowed_hosts
            .iter()
            .map(|n| normalise(strip_port(n)))
            .collect();
        if let Some(url) = &settings.public_url
            && let Some(host) = url
                .split_once("://")
                .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest))
        {
            names.push(normalise(strip_port(host)));
        }
        Self { names }
    }

    /// Whether a request for `host` (a `Host` header or `:authority`, port included) is
    /// answered. No host at all (HTTP/1.0) is answered: rebinding needs a name.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return true;
        };
        let name = normalise(strip_port(host));
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        literal.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.names.iter().any(|n| n == "*" || *n == name)
    }
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        // `[::1]:8080`: the address ends at the bracket.
        return host
            .split_once(']')
            .map_or(host, |(addr, _)| &host[..=addr.len()]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allowed: &[&str], public_url: Option<&str>) -> HostPolicy {
        let mut settings: ServerSettings = serde_json::from_value(serde_json::json!({
            "bind": "127.0.0.1:0", "max_body_bytes": 1, "workers": 1, "shutdown_timeout_secs": 1
        }))
        .unwrap();
        settings.allowed_hosts = allowed.iter().map(|s| (*s).to_owned()).collect();
        settings.public_url = public_url.map(str::to_owned);
        HostPolicy::from_settings(&settings)
    }

    #[test]
    fn addresses_and_localhost_are_answered_other_names_are_not() {
        let p = policy(&[], None);
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "[::1]:8080",
            "[::1]",
            "192.168.1.20:8080",
            "localhost:8080",
            "LOCALHOST.",
            "app.localhost:3000",
        ] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        assert!(!p.allows(Some("")), "an empty Host names nothing");
        assert!(p.allows(None));
        for refused in [
            "attacker.example",
            "attacker.example:8080",
            "127.0.0.1.nip.io:8080",
            "localhost.evil.example",
        ] {
            assert!(!p.allows(Some(refused)), "{refused}");
        }
    }

    #[test]
    fn the_public_url_and_configured_names_are_answered() {
        let p = policy(
            &["Media.Home.Arpa"],
            Some("https://psma.example.org:8443/app"),
        );
        assert!(p.allows(Some("psma.example.org")));
        assert!(p.allows(Some("psma.example.org:8443")));
        assert!(p.allows(Some("media.home.arpa:8080")));
        assert!(!p.allows(Some("other.example.org")));
        assert!(policy(&["*"], None).allows(Some("anything.example")));
    }
}
