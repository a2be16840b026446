//! Synthetic import documents (`psma-import/v1`) for the ingest and catalog benchmarks:
//! deterministic, streamed to disk, with services from the bundled registry.
//!
//! Each show yields one identity fact, `availability` availability facts (distinct services
//! and countries, some with an end date) and `episodes` episode facts. A "modified" document
//! is the same catalog with one fact in a hundred changed (a later end date, a moved air
//! date or a retitled show), the way a provider's next snapshot differs from its last.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

const COUNTRIES: [&str; 8] = ["US", "GB", "CA", "DE", "FR", "AU", "ES", "IT"];
const WORDS: [&str; 24] = [
    "Silent", "Crown", "River", "Night", "Glass", "Empire", "Stranger", "Harbor", "Winter",
    "Signal", "Orchard", "Iron", "Paper", "Velvet", "Echo", "Summit", "Hollow", "Lantern",
    "Copper", "Meridian", "Falcon", "Tide", "Ember", "Atlas",
];
/// One fact in this many is changed in a modified document.
pub const MODIFIED_EVERY: u64 = 100;

/// The shape of a document.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub shows: u64,
    pub availability: u64,
    pub episodes: u64,
    /// Change one fact in [`MODIFIED_EVERY`].
    pub modified: bool,
}

impl Spec {
    /// Facts the document holds.
    pub const fn facts(&self) -> u64 {
        self.shows * (1 + self.availability + self.episodes)
    }
}

/// The service ids of the bundled registry (`contracts/registry/services.v1.json`).
pub fn registry_services() -> Result<Vec<String>> {
    let path = workspace_root().join("contracts/registry/services.v1.json");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text)?;
    let ids: Vec<String> = doc["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["service_id"].as_str().map(str::to_owned))
        .collect();
    if ids.len() < 8 {
        bail!("{} lists fewer than 8 services", path.display());
    }
    Ok(ids)
}

/// Writes the document to `path`.
pub fn write(path: &Path, spec: Spec, services: &[String]) -> Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut fact = 0_u64;
    // Whether the current fact is one of the changed ones.
    let mut changed = || {
        fact += 1;
        spec.modified && fact % MODIFIED_EVERY == 37
    };
    writeln!(
        out,
        r#"{{"format":"psma-import/v1","source_id":"bench","retrieved_at":"2026-11-01T00:00:00Z","shows":["#
    )?;
    for show in 0..spec.shows {
        let r = mix(show);
        let title = format!(
            "{} {} {show}{}",
            WORDS[(r % 24) as usize],
            WORDS[((r >> 8) % 24) as usize],
            if changed() { " (Redux)" } else { "" }
        );
        let kind = if r.is_multiple_of(5) { "movie" } else { "tv" };
        let year = 1960 + (r >> 16) % 66;
        writeln!(
            out,
            r#"{}{{"ref":"s{show}","title":"{title}","year":{year},"kind":"{kind}","external_ids":{{"tmdb":"{kind}:{}"}},"genres":["Drama"]}}"#,
            if show == 0 { "" } else { "," },
            100_000 + show
        )?;
    }
    writeln!(out, r#"],"availability":["#)?;
    let mut first = true;
    for show in 0..spec.shows {
        let r = mix(show ^ 0x5eed);
        for i in 0..spec.availability {
            let service = &services[((r as usize) + i as usize * 7) % services.len()];
            let country = COUNTRIES[((r >> 12) as usize + i as usize) % COUNTRIES.len()];
            let from = date(2024, r >> 20, i);
            let until = if changed() {
                format!(r#","available_until":"{}""#, date(2028, r >> 24, i))
            } else if (r >> (i + 3)).is_multiple_of(3) {
                format!(r#","available_until":"{}""#, date(2027, r >> 24, i))
            } else {
                String::new()
            };
            writeln!(
                out,
                r#"{}{{"show":"s{show}","service_id":"{service}","country":"{country}","available_from":"{from}"{until}}}"#,
                if first { "" } else { "," }
            )?;
            first = false;
        }
    }
    writeln!(out, r#"],"episodes":["#)?;
    let mut first = true;
    for show in 0..spec.shows {
        let r = mix(show ^ 0xe915);
        for number in 1..=spec.episodes {
            let year = if changed() { 2027 } else { 2026 };
            writeln!(
                out,
                r#"{}{{"show":"s{show}","season":1,"number":{number},"title":"Episode {number}","air_date":"{}"}}"#,
                if first { "" } else { "," },
                date(year, r, number)
            )?;
            first = false;
        }
    }
    writeln!(out, "]}}")?;
    out.flush()?;
    Ok(())
}

/// A valid day in `year` picked from `r` and `i`.
fn date(year: u64, r: u64, i: u64) -> String {
    let month = 1 + (r + i) % 12;
    let day = 1 + (r >> 4) % 28;
    format!("{year}-{month:02}-{day:02}")
}

/// splitmix64: a well-spread deterministic number per index.
const fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
