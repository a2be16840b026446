//! The few lines `psma serve` prints for a person at a terminal once it is listening: the
//! address to open, where the data lives and how to stop. Logs are for machines and operators;
//! this is for whoever just typed the command. Pure formatting: the caller decides whether a
//! terminal is there (see `cli`).

use psma_store::DatabaseUrl;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};

/// What the banner tells, as known once the server is bound.
#[derive(Debug, Clone)]
pub struct Startup {
    /// The address the listener is bound to (the real port, also with `server.bind = "…:0"`).
    pub address: SocketAddr,
    /// `server.public_url`, when set: the address people reach this server at.
    pub public_url: Option<String>,
    /// The database in use. Only [`describe_database`] of it is printed.
    pub database: DatabaseUrl,
    /// The shows the bundled demo catalog brought in at this start; `None` when it was not
    /// loaded (switched off, or the catalog had data already).
    pub demo_shows: Option<u64>,
}

/// The banner, ending with a newline.
#[must_use]
pub fn render(version: &str, startup: &Startup) -> String {
    let url = open_url(startup.address, startup.public_url.as_deref());
    let mut text = format!("\nPSMA {version} is running — open {url}\n");
    // Writing to a String cannot fail.
    let _ = writeln!(
        text,
        "  Data:     {}",
        describe_database(startup.database.expose())
    );
    if let Some(shows) = startup.demo_shows {
        let _ = writeln!(
            text,
            "  Catalog:  demo catalog loaded ({shows} shows; invented data to try PSMA with)"
        );
    }
    let _ = writeln!(text, "  API docs: {url}api/docs/");
    let _ = writeln!(text, "  Stop:     press Ctrl+C");
    text
}

/// The address a browser opens: `public_url` when set, else the bound address, with a wildcard
/// bind (0.0.0.0, [::]) shown as this machine's loopback name. Always ends with `/`.
#[must_use]
pub fn open_url(address: SocketAddr, public_url: Option<&str>) -> String {
    if let Some(public) = public_url {
        return format!("{}/", public.trim_end_matches('/'));
    }
    let host = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(ip) if ip.is_unspecified() => "localhost".to_owned(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}/", address.port())
}

/// The database, safe to show: a SQLite file's path, or a PostgreSQL URL without its password
/// and without its query string (which may carry one, or other secrets).
#[must_use]
pub fn describe_database(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() || path == ":memory:" || query.split('&').any(|p| p == "mode=memory") {
            return "in memory, gone when PSMA stops (SQLite)".to_owned();
        }
        return format!("{path} (SQLite)");
    }
    match url::Url::parse(url) {
        Ok(mut parsed) if matches!(parsed.scheme(), "postgres" | "postgresql") => {
            // Fails only for URLs that cannot carry a password; they have none to hide.
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            parsed.set_fragment(None);
            format!("{parsed} (PostgreSQL)")
        }
        // Unknown forms are refused by the configuration check; never print one unread.
        _ => "(address not shown)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn startup(address: &str, public_url: Option<&str>, database: &str) -> Startup {
        Startup {
            address: address.parse().unwrap(),
            public_url: public_url.map(str::to_owned),
            database: DatabaseUrl::new(database),
            demo_shows: None,
        }
    }

    #[test]
    fn the_banner_says_where_to_open_where_the_data_is_and_how_to_stop() {
        let mut facts = startup(
            "127.0.0.1:8080",
            None,
            "sqlite:///home/ann/.local/share/psma/psma.db?mode=rwc",
        );
        facts.demo_shows = Some(49);
        assert_eq!(
            render("1.2.3", &facts),
            "\nPSMA 1.2.3 is running — open http://127.0.0.1:8080/\n\
             \x20 Data:     /home/ann/.local/share/psma/psma.db (SQLite)\n\
             \x20 Catalog:  demo catalog loaded (49 shows; invented data to try PSMA with)\n\
             \x20 API docs: http://127.0.0.1:8080/api/docs/\n\
             \x20 Stop:     press Ctrl+C\n"
        );
    }

    #[test]
    fn no_catalog_line_when_the_demo_was_not_loaded_now() {
        let text = render("1.2.3", &startup("127.0.0.1:8080", None, "sqlite::memory:"));
        assert!(!text.contains("Catalog:"), "{text}");
        assert!(text.contains("Data:     in memory"), "{text}");
    }

    #[test]
    fn the_url_is_one_a_browser_on_this_machine_can_open() {
        let url = |bind: &str| open_url(bind.parse().unwrap(), None);
        assert_eq!(url("127.0.0.1:43117"), "http://127.0.0.1:43117/");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/");
        assert_eq!(url("[::]:8080"), "http://localhost:8080/");
        assert_eq!(url("[::1]:8080"), "http://[::1]:8080/");
        assert_eq!(url("192.168.1.5:8080"), "http://192.168.1.5:8080/");
    }

    #[test]
    fn a_public_url_wins_over_the_bound_address() {
        let bound = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(
            open_url(bound, Some("https://psma.example.org")),
            "https://psma.example.org/"
        );
        assert_eq!(
            open_url(bound, Some("https://example.org/psma/")),
            "https://example.org/psma/"
        );
        let text = render(
            "1",
            &startup(
                "0.0.0.0:8080",
                Some("https://psma.example.org"),
                "sqlite::memory:",
            ),
        );
        assert!(
            text.contains("API docs: https://psma.example.org/api/docs/"),
            "{text}"
        );
    }

    #[test]
    fn sqlite_urls_show_the_file() {
        assert_eq!(
            describe_database("sqlite:///var/lib/psma/psma.db"),
            "/var/lib/psma/psma.db (SQLite)"
        );
        assert_eq!(
            describe_database("sqlite://psma.db?mode=rwc"),
            "psma.db (SQLite)"
        );
        assert_eq!(
            describe_database("sqlite:data/psma.db"),
            "data/psma.db (SQLite)"
        );
        assert!(describe_database("sqlite::memory:").starts_with("in memory"));
        assert!(
            describe_database("sqlite://shared?mode=memory&cache=shared").starts_with("in memory")
        );
    }

    #[test]
    fn postgres_urls_never_show_a_password_or_the_query_string() {
        assert_eq!(
            describe_database("postgres://psma:s3cret@db.internal:5432/psma"),
            "postgres://psma@db.internal:5432/psma (PostgreSQL)"
        );
        assert_eq!(
            describe_database("postgresql://db/psma?user=psma&password=s3cret&sslmode=require"),
            "postgresql://db/psma (PostgreSQL)"
        );
        assert_eq!(
            describe_database("postgres://db:5432/psma"),
            "postgres://db:5432/psma (PostgreSQL)"
        );
        for url in [
            "postgres://psma:s3cret@db/psma?sslpassword=k3y",
            "postgres://:s3cret@db/psma",
        ] {
            let shown = describe_database(url);
            assert!(
                !shown.contains("s3cret") && !shown.contains("k3y"),
                "{shown}"
            );
        }
        assert_eq!(
            describe_database("mysql://u:s3cret@h/d"),
            "(address not shown)"
        );
    }
}
