//! A TVmaze show and its episodes as canonical facts.

use crate::api::{Channel, Episode, Show};
use psma_plugin_sdk::chrono::{DateTime, Datelike, NaiveDate, Utc};
use psma_plugin_sdk::fact::calendar_date;
use psma_plugin_sdk::text::{
    CountryCode, ExternalNamespace, ExternalValue, Label, LongText, ServiceId, ShowKey, SourceId,
    SourceRef, Title,
};
use psma_plugin_sdk::{
    Availability, Fact, Monetization, Provenance, ProviderError, ServiceRegistry, ShowIdentity,
    ShowType,
};
use std::collections::BTreeMap;

/// TVmaze's own data about a show: its name, dates and episodes.
const LISTING_CONFIDENCE: f64 = 0.9;

/// That a show is on the web channel it premiered on. Originals usually stay, but TVmaze does
/// not track where a show streams later.
const WEB_CHANNEL_CONFIDENCE: f64 = 0.6;

/// Web channel names TVmaze uses that differ from the registry's names.
const CHANNEL_ALIASES: [(&str, &str); 5] = [
    ("amazonprimevideo", "amazon-prime-video"),
    ("max", "max"),
    ("appletv", "apple-tv-plus"),
    ("cbsallaccess", "paramount-plus"),
    ("disney", "disney-plus"),
];

/// What every fact of one fetch shares.
pub(crate) struct Context<'a> {
    pub(crate) source_id: &'a SourceId,
    pub(crate) retrieved_at: DateTime<Utc>,
    pub(crate) services: &'a ServiceRegistry,
    /// Where a show on a web channel without a country counts as available.
    pub(crate) countries: &'a [CountryCode],
}

impl Context<'_> {
    fn provenance(&self, confidence: f64, url: Option<&String>) -> Provenance {
        Provenance {
            source_id: self.source_id.clone(),
            retrieved_at: self.retrieved_at,
            confidence,
            source_ref: url.and_then(|u| SourceRef::parse(u).ok()),
        }
    }
}

/// The facts about `show`: its identity, its episodes and, when its web channel is a known
/// service, its availability there. A record that cannot be a fact is an error item; the
/// rest still count.
pub(crate) fn of_show(show: &Show, ctx: &Context<'_>) -> Vec<Result<Fact, ProviderError>> {
    let key = match ShowKey::parse(&show.id.to_string()) {
        Ok(key) => key,
        Err(e) => return vec![Err(malformed(show.id, "id", e.0))],
    };
    let mut out = vec![identity(show, &key, ctx).map(Fact::ShowIdentity)];
    if let Some(channel) = &show.web_channel {
        out.extend(availability(show, channel, &key, ctx).into_iter().map(Ok));
    }
    let episodes = show.embedded.as_ref().map_or(&[][..], |e| &e.episodes[..]);
    out.extend(
        episodes
            .iter()
            .filter_map(|e| episode(show.id, e, &key, ctx)),
    );
    // Whatever TVmaze sends, only facts that keep the contract's rules leave the plugin.
    out.into_iter()
        .map(|item| item.and_then(|fact| checked(show.id, fact)))
        .collect()
}

/// The identities of search hits that keep the contract, best first; the others are skipped.
pub(crate) fn of_hits(hits: &[crate::api::SearchHit], ctx: &Context<'_>) -> Vec<ShowIdentity> {
    hits.iter()
        .filter_map(|hit| {
            let key = ShowKey::parse(&hit.show.id.to_string()).ok()?;
            let identity = identity(&hit.show, &key, ctx).ok()?;
            match checked(hit.show.id, Fact::ShowIdentity(identity)) {
                Ok(Fact::ShowIdentity(identity)) => Some(identity),
                _ => None,
            }
        })
        .collect()
}

/// `fact`, or the malformed-record error naming the show it is about.
fn checked(show_id: u64, fact: Fact) -> Result<Fact, ProviderError> {
    fact.checked(format!("TVmaze show {show_id}"))
}

pub(crate) fn identity(
    show: &Show,
    key: &ShowKey,
    ctx: &Context<'_>,
) -> Result<ShowIdentity, ProviderError> {
    let title = Title::parse(show.name.trim()).map_err(|e| malformed(show.id, "name", e.0))?;
    let mut external_ids = BTreeMap::new();
    let mut add = |namespace: &str, value: String| {
        if let (Ok(ns), Ok(v)) = (
            ExternalNamespace::parse(namespace),
            ExternalValue::parse(&value),
        ) {
            external_ids.insert(ns, v);
        }
    };
    add("tvmaze", show.id.to_string());
    if let Some(imdb) = &show.externals.imdb {
        add("imdb", imdb.clone());
    }
    if let Some(tvdb) = show.externals.thetvdb {
        add("thetvdb", tvdb.to_string());
    }
    Ok(ShowIdentity {
        provenance: ctx.provenance(LISTING_CONFIDENCE, show.url.as_ref()),
        show: key.clone(),
        title,
        // A premiere date outside the contract's years is a typo upstream, dropped: the show
        // is better without a year than without its identity.
        year: premiere(show).map(|d| d.year()),
        show_type: ShowType::Tv,
        external_ids,
        overview: show
            .summary
            .as_deref()
            .map(plain_text)
            .filter(|s| !s.is_empty())
            .and_then(|s| LongText::parse(&s).ok()),
        genres: show
            .genres
            .iter()
            .filter_map(|g| Label::parse(g).ok())
            .take(20)
            .collect(),
    })
}

fn availability(show: &Show, channel: &Channel, key: &ShowKey, ctx: &Context<'_>) -> Vec<Fact> {
    let Some(service) = service_of(channel, ctx.services) else {
        return Vec::new();
    };
    let countries: Vec<CountryCode> = match channel
        .country
        .as_ref()
        .and_then(|c| c.code.as_deref())
        .and_then(|code| CountryCode::parse(code).ok())
    {
        Some(country) => vec![country],
        None => ctx.countries.to_vec(),
    };
    countries
        .into_iter()
        .map(|country| {
            Fact::Availability(Availability {
                provenance: ctx.provenance(WEB_CHANNEL_CONFIDENCE, show.url.as_ref()),
                show: key.clone(),
                service_id: service.clone(),
                country,
                monetization: Monetization::Flatrate,
                available_from: premiere(show),
                available_until: None,
            })
        })
        .collect()
}

/// The registry's service for a web channel: by TVmaze's channel id when the registry lists
/// it, else by name.
fn service_of(channel: &Channel, services: &ServiceRegistry) -> Option<ServiceId> {
    if let Some(entry) = services.by_external_id("tvmaze_webchannel", &channel.id.to_string()) {
        return Some(entry.service_id.clone());
    }
    let name = squash(&channel.name);
    let id = services
        .services
        .iter()
        .find(|entry| squash(entry.name.as_str()) == name)
        .map(|entry| entry.service_id.to_string())
        .or_else(|| {
            CHANNEL_ALIASES
                .iter()
                .find(|(alias, _)| *alias == name)
                .map(|(_, id)| (*id).to_owned())
        })?;
    ServiceId::parse(&id)
        .ok()
        .filter(|id| services.contains(id.as_str()))
}

/// A name reduced to lowercase letters and digits, `+` read as "plus".
fn squash(name: &str) -> String {
    name.replace('+', "plus")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn episode(
    show_id: u64,
    episode: &Episode,
    key: &ShowKey,
    ctx: &Context<'_>,
) -> Option<Result<Fact, ProviderError>> {
    // Specials without a number have no place in a season's order; PSMA plans by season.
    let number = episode.number?;
    let season = match episode.season.map(u16::try_from) {
        Some(Ok(season)) => season,
        Some(Err(_)) | None => {
            return Some(Err(malformed(
                show_id,
                "season",
                format!("episode {} has no usable season", episode.id),
            )));
        }
    };
    let air_date = episode.airdate.as_deref().and_then(calendar_date);
    let airstamp = episode
        .airstamp
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|s| s.with_timezone(&Utc));
    Some(Ok(Fact::Episode(psma_plugin_sdk::Episode {
        provenance: ctx.provenance(LISTING_CONFIDENCE, episode.url.as_ref()),
        show: key.clone(),
        season,
        number,
        title: episode
            .name
            .as_deref()
            .map(str::trim)
            .and_then(|n| Title::parse(n).ok()),
        air_date,
        airstamp,
    })))
}

fn premiere(show: &Show) -> Option<NaiveDate> {
    show.premiered.as_deref().and_then(calendar_date)
}

/// TVmaze summaries are HTML (`<p>…</p>`): the text without its tags and with its spaces
/// collapsed.
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn malformed(show_id: u64, field: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::Malformed {
        location: Some(format!("TVmaze show {show_id}")),
        field: Some(field.to_owned()),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
