//! `GET /catalog`: browse and search the shows, filtered by service, country and status,
//! with the sources credited.

use crate::error::ApiError;
use crate::extract::PageCaller;
use crate::routes::shows::list::parse_cursor;
use crate::state::ApiState;
use crate::ui::fields::FieldErrors;
use crate::ui::format::count;
use crate::ui::page::{Layout, Section, render};
use crate::ui::pages::{Credit, service_name};
use crate::views::SourceView;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use psma_core::catalog::ShowQuery;
use psma_core::catalog::ports::AvailabilityStatus;
use psma_plugin_sdk::text::{CountryCode, ServiceId};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Shows per page.
const PAGE_SIZE: u32 = 50;
/// The longest title search, as the API allows.
const MAX_Q: usize = 200;

/// The search form as submitted: every field text, so a bad value is shown beside its field
/// instead of failing the whole request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CatalogForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

/// A choice in a select.
pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A show in the results.
pub(crate) struct ShowLine {
    id: String,
    title: String,
    year: Option<i32>,
    services: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/catalog.html")]
struct Catalog {
    layout: Layout,
    q: String,
    country: String,
    countries: Vec<String>,
    services: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: FieldErrors,
    heading: String,
    shows: Vec<ShowLine>,
    next_url: Option<String>,
    first_url: Option<String>,
    credits: Vec<Credit>,
}

const STATUSES: [(&str, &str); 4] = [
    ("", "Any status"),
    ("available", "Available now"),
    ("upcoming", "Coming soon"),
    ("unknown", "Unknown"),
];

pub(crate) async fn get(
    state: web::Data<ApiState>,
    PageCaller(ctx): PageCaller,
    form: web::Query<CatalogForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let registry = state.catalog.registry();
    let mut errors = FieldErrors::default();
    let q = form.q.trim();
    if q.chars().count() > MAX_Q {
        errors.push("q", format!("Use at most {MAX_Q} characters."));
    }
    let service_id = match form.service_id.trim() {
        "" => None,
        id => match ServiceId::parse(id) {
            Ok(id) if registry.contains(id.as_str()) => Some(id),
            _ => {
                errors.push("service_id", "Choose a service from the list.");
                None
            }
        },
    };
    let country_text = form.country.trim().to_ascii_uppercase();
    let country = match country_text.as_str() {
        "" => None,
        code => CountryCode::parse(code).map_or_else(
            |_| {
                errors.push(
                    "country",
                    "Enter a two-letter country code, such as US or GB.",
                );
                None
            },
            Some,
        ),
    };
    let status = match form.status.as_str() {
        "" => None,
        "available" => Some(AvailabilityStatus::Available),
        "upcoming" => Some(AvailabilityStatus::Upcoming),
        "unknown" => Some(AvailabilityStatus::Unknown),
        _ => {
            errors.push("status", "Choose a status from the list.");
            None
        }
    };
    let after = match form.cursor.as_str() {
        "" => None,
        text => parse_cursor(text).ok(),
    };

    let mut shows = Vec::new();
    let mut next_url = None;
    if errors.is_empty() {
        let query = ShowQuery {
            q: (!q.is_empty()).then(|| q.to_owned()),
            service_id: service_id.clone(),
            country: country.clone(),
            status,
            limit: PAGE_SIZE,
            after,
        };
        let page = state.catalog.shows(&ctx, query).await?;
        shows = page
            .items
            .iter()
            .map(|s| ShowLine {
                id: s.show.id.0.to_string(),
                title: s.show.title.to_string(),
                year: s.show.year,
                services: s
                    .services
                    .iter()
                    .map(|id| service_name(&state, id.as_str()))
                    .collect(),
            })
            .collect();
        next_url = page
            .next
            .map(|c| filters_url(&form, Some(&format!("{}|{}", c.sort_key, c.id))));
    }
    let heading = if !errors.is_empty() {
        "Fix the search to see shows".to_owned()
    } else if shows.is_empty() {
        "No shows".to_owned()
    } else if next_url.is_some() || !form.cursor.is_empty() {
        format!("{} on this page", count(shows.len(), "show", "shows"))
    } else {
        count(shows.len(), "show", "shows")
    };
    let mut services: Vec<Choice> = registry
        .services
        .iter()
        .map(|e| Choice {
            value: e.service_id.to_string(),
            label: e.name.to_string(),
            selected: service_id.as_ref() == Some(&e.service_id),
        })
        .collect();
    services.sort_by_key(|c| c.label.to_lowercase());
    let countries: BTreeSet<String> = registry
        .services
        .iter()
        .flat_map(|e| e.countries.iter().map(ToString::to_string))
        .collect();
    let credits = state
        .catalog
        .sources(&ctx)
        .await?
        .iter()
        .map(|source| Credit::from(SourceView::from(source)))
        .collect();
    let page = Catalog {
        layout: Layout::new("Catalog", Section::Catalog),
        q: form.q.clone(),
        country: country_text,
        countries: countries.into_iter().collect(),
        services,
        statuses: STATUSES
            .iter()
            .map(|&(value, label)| Choice {
                value: value.to_owned(),
                label: label.to_owned(),
                selected: form.status == value,
            })
            .collect(),
        heading,
        shows,
        first_url: (!form.cursor.is_empty()).then(|| filters_url(&form, None)),
        next_url,
        credits,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(status, &page)
}

/// `/catalog` with the form's filters and `cursor`.
fn filters_url(form: &CatalogForm, cursor: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("q", form.q.trim()),
        ("service_id", form.service_id.trim()),
        ("country", form.country.trim()),
        ("status", form.status.as_str()),
    ] {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    if let Some(cursor) = cursor {
        query.append_pair("cursor", cursor);
    }
    let query = query.finish();
    if query.is_empty() {
        "/catalog".to_owned()
    } else {
        format!("/catalog?{query}")
    }
}
