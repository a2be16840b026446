//! What every page shares: the layout's values (title, navigation, asset URLs) and the one
//! way a template becomes a response.

use super::assets;
use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use askama::Template;

/// The parts of PSMA a page belongs to, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// `/`.
    Home,
    /// `/catalog` and a show's page.
    Catalog,
    /// `/my-shows`.
    MyShows,
    /// `/my-services`.
    MyServices,
    /// `/plan` and what changed.
    Plan,
    /// `/advice`.
    Advice,
    /// `/conflicts`.
    Conflicts,
    /// `/import`.
    Import,
    /// `/providers`.
    Providers,
    /// `/settings`.
    Settings,
    /// Pages outside the navigation (errors).
    Elsewhere,
}

const NAV: [(Section, &str, &str); 10] = [
    (Section::Home, "/", "Home"),
    (Section::Catalog, "/catalog", "Catalog"),
    (Section::MyShows, "/my-shows", "My Shows"),
    (Section::MyServices, "/my-services", "My Services"),
    (Section::Plan, "/plan", "Plan"),
    (Section::Advice, "/advice", "Advice"),
    (Section::Conflicts, "/conflicts", "Conflicts"),
    (Section::Import, "/import", "Import"),
    (Section::Providers, "/providers", "Providers"),
    (Section::Settings, "/settings", "Settings"),
];

/// One link of the main navigation.
#[derive(Debug, Clone)]
pub(crate) struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// Whether it is the page shown (`aria-current="page"`).
    pub current: bool,
}

/// The values `base.html` needs.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The page's own title (the document title adds " · PSMA").
    pub title: String,
    /// The main navigation.
    pub nav: Vec<NavLink>,
    /// The stylesheet's hashed URL.
    pub css: String,
    /// The script's hashed URL.
    pub js: String,
    /// The icon's hashed URL.
    pub icon: String,
    /// Hosted mode, signed in: the form token of the header's sign-out button.
    pub sign_out: Option<String>,
    /// Where the page's live updates start (an event stream cursor): the moment its request
    /// arrived, so an event recorded while the page rendered still reaches it.
    pub live_from: String,
}

impl Layout {
    /// The layout of a page titled `title` in `section`.
    pub(crate) fn new(title: impl Into<String>, section: Section) -> Self {
        Self {
            title: title.into(),
            nav: NAV
                .iter()
                .map(|&(s, href, label)| NavLink {
                    href,
                    label,
                    current: s == section,
                })
                .collect(),
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            icon: assets::url("favicon.svg"),
            sign_out: super::csrf::VISIT
                .try_with(|v| v.signed_in.then(|| v.csrf.clone()))
                .ok()
                .flatten(),
            live_from: crate::live::starting_at(
                super::csrf::VISIT
                    .try_with(|v| v.began)
                    .unwrap_or_else(|_| chrono::Utc::now()),
            ),
        }
    }
}

/// Renders `page` as the response with `status`.
///
/// # Errors
/// When the template fails to render (a bug: the request id finds it in the log).
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Result<HttpResponse, ApiError> {
    let html = page
        .render()
        .map_err(|e| psma_core::Error::internal(format!("rendering a page: {e}")))?;
    Ok(html_response(status, html))
}

/// An HTML response: never stored by shared caches (pages are one household's data), and
/// always asked for again so a change shows at once.
pub(crate) fn html_response(status: StatusCode, html: String) -> HttpResponse {
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html);
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    res
}

/// `303 See Other` to `location`: where a form's success sends the browser, so reloading the
/// page that follows never sends the form again.
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
