//! Reading the CSV form: one availability per line,
//! `title,year,kind,service_id,country,available_from,available_until,monetization,confidence,source_ref`,
//! with a header line (columns in any order; `title`, `service_id` and `country` required) and
//! RFC 4180 quoting. Every distinct title and year becomes a show, its first line giving its
//! kind (`tv` or `movie`, default `tv`).

use crate::facts::{Imported, Stamp, check_common, check_fact};
use crate::problem::{Problem, Problems};
use psma_plugin_sdk::chrono::{DateTime, NaiveDate, Utc};
use psma_plugin_sdk::text::{CountryCode, ServiceId, ShowKey, SourceId, SourceRef, Title};
use psma_plugin_sdk::{Availability, Fact, Monetization, ServiceRegistry, ShowIdentity, ShowType};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// The columns, in their documented order.
pub const COLUMNS: [&str; 10] = [
    "title",
    "year",
    "kind",
    "service_id",
    "country",
    "available_from",
    "available_until",
    "monetization",
    "confidence",
    "source_ref",
];
const REQUIRED: [&str; 3] = ["title", "service_id", "country"];

/// Parses a CSV import.
pub(crate) fn read(
    bytes: &[u8],
    source_id: SourceId,
    now: DateTime<Utc>,
    services: &ServiceRegistry,
) -> Result<Imported, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| vec![csv_problem(&e, "the header line", &mut Lines::new(bytes))])?
        .clone();
    let mut problems = Problems::default();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    let mut repeated: BTreeSet<&str> = BTreeSet::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            // A trailing comma in the header, say: there is no name to report as the field.
            problems.push(Problem::new(
                "line 1",
                None,
                format!(
                    "column {} has no name; the columns are {}",
                    i + 1,
                    COLUMNS.join(",")
                ),
            ));
            continue;
        }
        match COLUMNS.iter().find(|c| **c == name) {
            // An unknown or repeated name is reported once, however often it appears.
            None if !unknown.insert(name) => {}
            None => problems.push(Problem::new(
                "line 1",
                Some(name),
                format!("unknown column; the columns are {}", COLUMNS.join(",")),
            )),
            Some(column) => {
                if index.insert(column, i).is_some() && repeated.insert(column) {
                    problems.push(Problem::new(
                        "line 1",
                        Some(name),
                        "the column appears twice",
                    ));
                }
            }
        }
    }
    for required in REQUIRED {
        if !index.contains_key(required) {
            problems.push(Problem::new(
                "line 1",
                Some(required),
                "the header lacks this required column",
            ));
        }
    }
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let stamp = Stamp {
        source_id: &source_id,
        retrieved_at: now,
    };
    let mut shows: BTreeMap<ShowKey, Fact> = BTreeMap::new();
    let mut availability = Vec::new();
    let mut seen: BTreeMap<(ShowKey, String, String, Monetization, Option<NaiveDate>), u64> =
        BTreeMap::new();
    let mut lines = Lines::new(bytes);
    for record in reader.records() {
        if problems.is_full() {
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(csv_problem(&e, "a line", &mut lines));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.at(p));
        let at = format!("line {line}");
        let cell = |name: &str| {
            index
                .get(name)
                .and_then(|i| record.get(*i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let mut row = Row {
            at: &at,
            problems: &mut problems,
        };
        let title = row.parse("title", cell("title"), |v| Title::parse(v).map_err(|e| e.0));
        let year = row.parse("year", cell("year"), |v| {
            v.parse::<i32>().map_err(|_| format!("`{v}` is not a year"))
        });
        let kind = row
            .parse("kind", cell("kind"), |v| match v {
                "tv" => Ok(ShowType::Tv),
                "movie" => Ok(ShowType::Movie),
                other => Err(format!("`{other}` is not one of tv, movie")),
            })
            .map(|k| k.unwrap_or(ShowType::Tv));
        let service = row.parse("service_id", cell("service_id"), |v| {
            ServiceId::parse(v).map_err(|e| e.0)
        });
        let country = row.parse("country", cell("country"), |v| {
            CountryCode::parse(v).map_err(|e| e.0)
        });
        let from = row.parse("available_from", cell("available_from"), date);
        let until = row.parse("available_until", cell("available_until"), date);
        let monetization = row
            .parse("monetization", cell("monetization"), |v| {
                serde_json::from_value::<Monetization>(serde_json::Value::String(v.to_owned()))
                    .map_err(|_| format!("`{v}` is not one of flatrate, free, ads, rent, buy"))
            })
            .map(|m| m.unwrap_or(Monetization::Flatrate));
        let confidence = row.parse("confidence", cell("confidence"), |v| {
            v.parse::<f64>()
                .map_err(|_| format!("`{v}` is not a number"))
        });
        let source_ref = row.parse("source_ref", cell("source_ref"), |v| {
            SourceRef::parse(v).map_err(|e| e.0)
        });
        for (name, missing) in [
            ("title", matches!(title, Some(None))),
            ("service_id", matches!(service, Some(None))),
            ("country", matches!(country, Some(None))),
        ] {
            if missing {
                problems.push(Problem::new(&at, Some(name), "is required"));
            }
        }
        let (
            Some(Some(title)),
            Some(Some(service)),
            Some(Some(country)),
            Some(year),
            Some(kind),
            Some(from),
            Some(until),
            Some(monetization),
            Some(confidence),
            Some(source_ref),
        ) = (
            title,
            service,
            country,
            year,
            kind,
            from,
            until,
            monetization,
            confidence,
            source_ref,
        )
        else {
            continue;
        };
        check_common(&at, confidence, Some(&service), services, &mut problems);
        let key = show_key(&title, year);
        let Ok(key) = key else {
            problems.push(Problem::new(
                &at,
                Some("title"),
                "cannot be used as a show key",
            ));
            continue;
        };
        if let Some(first) = seen.insert(
            (
                key.clone(),
                service.to_string(),
                country.to_string(),
                monetization,
                from,
            ),
            line,
        ) {
            problems.push(Problem::new(
                &at,
                None,
                format!(
                    "repeats line {first} (same show, service, country, monetization and start)"
                ),
            ));
        }
        if let Entry::Vacant(entry) = shows.entry(key.clone()) {
            // The show's first line defines it, so its rules (the year's range) are checked there.
            let show = Fact::ShowIdentity(ShowIdentity {
                provenance: stamp.provenance(confidence, source_ref.as_ref()),
                show: key.clone(),
                title: title.clone(),
                year,
                show_type: kind,
                external_ids: BTreeMap::new(),
                overview: None,
                genres: Vec::new(),
            });
            check_fact(&at, &show, &mut problems);
            entry.insert(show);
        }
        let fact = Fact::Availability(Availability {
            provenance: stamp.provenance(confidence, source_ref.as_ref()),
            show: key,
            service_id: service,
            country,
            monetization,
            available_from: from,
            available_until: until,
        });
        check_fact(&at, &fact, &mut problems);
        availability.push(fact);
    }
    let mut facts: Vec<Fact> = shows.into_values().collect();
    facts.extend(availability);
    problems.into_result(Imported { source_id, facts })
}

/// One line's cells, parsed with problems noted at the line.
struct Row<'a> {
    at: &'a str,
    problems: &'a mut Problems,
}

impl Row<'_> {
    /// `Some(Some(v))` parsed, `Some(None)` empty, `None` invalid (and noted).
    fn parse<T>(
        &mut self,
        name: &str,
        raw: Option<&str>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match raw.map(parse) {
            None => Some(None),
            Some(Ok(v)) => Some(Some(v)),
            Some(Err(message)) => {
                self.problems
                    .push(Problem::new(self.at, Some(name), message));
                None
            }
        }
    }
}

fn date(v: &str) -> Result<NaiveDate, String> {
    v.parse::<NaiveDate>()
        .map_err(|_| format!("`{v}` is not a date like 2026-03-01"))
}

/// The show key of a title and year: lower-cased, so rows that differ only in case are one show.
fn show_key(
    title: &Title,
    year: Option<i32>,
) -> Result<ShowKey, psma_plugin_sdk::text::InvalidText> {
    let lower = title.as_str().trim().to_lowercase();
    let mut key = match year {
        Some(y) => format!("{lower}|{y}"),
        None => format!("{lower}|"),
    };
    if key.chars().count() > ShowKey::MAX_CHARS {
        // Long titles: a prefix and a stable hash (FNV-1a) of the whole.
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        key = format!("{}#{hash:016x}", key.chars().take(160).collect::<String>());
    }
    ShowKey::parse(&key)
}

/// Line numbers from the reader's byte offsets. The csv reader counts only `\n` as a line break,
/// and a record after a `\r\n` starts, by its count, at that `\n`, so on the line before; here
/// `\r\n`, a lone `\r` and a lone `\n` each end a line, as a person reading the file sees it.
struct Lines<'a> {
    bytes: &'a [u8],
    /// The offset counted up to, and the line it is on.
    byte: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            byte: 0,
            line: 1,
        }
    }

    /// The line `position` is on. Positions come in order, so each byte is counted once.
    fn at(&mut self, position: &csv::Position) -> u64 {
        let byte = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if byte < self.byte {
            *self = Self::new(self.bytes);
        }
        let mut previous = self
            .byte
            .checked_sub(1)
            .and_then(|i| self.bytes.get(i))
            .copied();
        for &b in self.bytes.get(self.byte..byte).unwrap_or_default() {
            if b == b'\r' || (b == b'\n' && previous != Some(b'\r')) {
                self.line += 1;
            }
            previous = Some(b);
        }
        self.byte = byte;
        self.line
    }
}

fn csv_problem(err: &csv::Error, what: &str, lines: &mut Lines<'_>) -> Problem {
    let line = err
        .position()
        .map_or_else(|| "line ?".to_owned(), |p| format!("line {}", lines.at(p)));
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
        _ => format!("{what} cannot be read: {err}"),
    };
    Problem::new(line, None, message)
}
