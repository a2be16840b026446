//! Reading import files: facts from good files, and every problem, by line or JSON pointer and
//! field, from bad ones.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use psma_plugin_manual_import::{FileFormat, Imported, Problem, parse};
use psma_plugin_sdk::chrono::{DateTime, TimeZone, Utc};
use psma_plugin_sdk::{Fact, FactKind, ServiceRegistry, ShowType};
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn registry() -> ServiceRegistry {
    ServiceRegistry::bundled().unwrap()
}

fn json_import(doc: &Value) -> Result<Imported, Vec<Problem>> {
    parse(
        doc.to_string().as_bytes(),
        FileFormat::Json,
        None,
        now(),
        &registry(),
    )
}

fn csv_import(text: &str) -> Result<Imported, Vec<Problem>> {
    parse(text.as_bytes(), FileFormat::Csv, None, now(), &registry())
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn count(facts: &[Fact], kind: FactKind) -> usize {
    facts.iter().filter(|f| f.kind() == kind).count()
}

#[test]
fn a_json_catalog_becomes_facts_with_its_source_and_time() {
    let imported = parse(
        &fixture("catalog.json"),
        FileFormat::Json,
        None,
        now(),
        &registry(),
    )
    .unwrap();
    assert_eq!(imported.source_id.as_str(), "fixture");
    assert_eq!(count(&imported.facts, FactKind::ShowIdentity), 3);
    assert_eq!(count(&imported.facts, FactKind::Availability), 4);
    assert_eq!(count(&imported.facts, FactKind::Episode), 2);
    assert_eq!(count(&imported.facts, FactKind::ServiceBehavior), 1);
    assert_eq!(count(&imported.facts, FactKind::Price), 1);
    for fact in &imported.facts {
        assert_eq!(
            fact.provenance().retrieved_at.to_rfc3339(),
            "2026-11-20T09:00:00+00:00"
        );
        fact.validate().unwrap();
    }
    let severance = imported
        .facts
        .iter()
        .find(|f| matches!(f, Fact::Availability(a) if a.show.as_str() == "severance"))
        .unwrap();
    assert!((severance.provenance().confidence - 0.95).abs() < f64::EPSILON);
}

#[test]
fn the_source_id_can_be_overridden_and_defaults_to_manual_import() {
    let doc = json!({"format": "psma-import/v1", "shows": [{"ref": "a", "title": "A"}]});
    assert_eq!(
        json_import(&doc).unwrap().source_id.as_str(),
        "manual_import"
    );
    let other = "mine".parse().unwrap();
    let imported = parse(
        doc.to_string().as_bytes(),
        FileFormat::Json,
        Some(&other),
        now(),
        &registry(),
    )
    .unwrap();
    assert!(
        imported
            .facts
            .iter()
            .all(|f| f.provenance().source_id.as_str() == "mine")
    );
}

#[test]
fn broken_json_names_the_line_and_column() {
    let problems = parse(
        b"{\n  \"format\": \"psma-import/v1\",\n  \"shows\": [\n",
        FileFormat::Json,
        None,
        now(),
        &registry(),
    )
    .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].location.starts_with("line 4"), "{problems:?}");
}

#[test]
fn every_bad_record_is_reported_by_pointer_and_field() {
    let doc = json!({
        "format": "psma-import/v1",
        "shows": [{"ref": "a", "title": "A", "year": "1999"}, {"ref": "b", "title": "   "}],
        "availability": [
            {"show": "a", "service_id": "netflix", "country": "US", "available_from": "2026-02-30"},
            {"show": "a", "service_id": "netflix", "country": "usa"},
            {"show": "a", "service_id": "netflix", "country": "US", "monetization": "stream"}
        ]
    });
    let problems = json_import(&doc).unwrap_err();
    let found: Vec<(String, Option<String>)> = problems
        .iter()
        .map(|p| (p.location.clone(), p.field.clone()))
        .collect();
    for expected in [
        ("/shows/0", "year"),
        ("/shows/1", "title"),
        ("/availability/0", "available_from"),
        ("/availability/1", "country"),
        ("/availability/2", "monetization"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), Some(expected.1.to_owned()))),
            "{expected:?} not in {found:?}"
        );
    }
}

#[test]
fn a_date_time_without_its_offset_is_explained() {
    for (doc, location) in [
        (
            json!({"format": "psma-import/v1", "retrieved_at": "2026-05-01T20:00:00"}),
            "/",
        ),
        (
            json!({"format": "psma-import/v1", "shows": [{"ref": "a", "title": "A"}],
                "episodes": [{"show": "a", "season": 1, "number": 1, "airstamp": "2026-05-01 20:00"}]}),
            "/episodes/0",
        ),
    ] {
        let problems = json_import(&doc).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].location, location);
        assert!(
            problems[0]
                .message
                .contains("date-time with its UTC offset (2026-05-01T20:00:00Z"),
            "{:?}",
            problems[0]
        );
    }
}

#[test]
fn references_services_duplicates_and_windows_are_checked() {
    let doc = json!({
        "format": "psma-import/v1",
        "shows": [{"ref": "a", "title": "A"}, {"ref": "a", "title": "A again"}],
        "availability": [
            {"show": "ghost", "service_id": "netflix", "country": "US"},
            {"show": "a", "service_id": "blockbuster", "country": "US"},
            {"show": "a", "service_id": "max", "country": "US", "available_from": "2026-05-01", "available_until": "2026-04-01"},
            {"show": "a", "service_id": "hulu", "country": "US", "confidence": 1.5},
            {"show": "a", "service_id": "hulu", "country": "US"}
        ]
    });
    let problems = json_import(&doc).unwrap_err();
    let by = |location: &str, field: Option<&str>| {
        problems
            .iter()
            .find(|p| p.location == location && p.field.as_deref() == field)
            .unwrap_or_else(|| panic!("{location} {field:?} not in {problems:#?}"))
    };
    assert!(by("/shows/1", Some("ref")).message.contains("/shows/0"));
    assert!(
        by("/availability/0", Some("show"))
            .message
            .contains("`ghost`")
    );
    let unknown = &by("/availability/1", Some("service_id")).message;
    assert!(
        unknown.contains("unknown service `blockbuster`") && unknown.contains("netflix"),
        "{unknown}"
    );
    assert!(
        by("/availability/2", Some("available_until"))
            .message
            .contains("before")
    );
    assert!(
        by("/availability/3", Some("confidence"))
            .message
            .contains("between 0 and 1")
    );
    assert!(
        by("/availability/4", None)
            .message
            .contains("repeats /availability/3")
    );
}

#[test]
fn a_csv_file_becomes_one_show_per_title_and_year() {
    let imported = parse(
        &fixture("availability.csv"),
        FileFormat::Csv,
        None,
        now(),
        &registry(),
    )
    .unwrap();
    assert_eq!(imported.source_id.as_str(), "manual_import");
    assert_eq!(count(&imported.facts, FactKind::ShowIdentity), 3);
    assert_eq!(count(&imported.facts, FactKind::Availability), 4);
    let quoted = imported
        .facts
        .iter()
        .find_map(|f| match f {
            Fact::Availability(a) if a.service_id.as_str() == "hulu" => Some(a),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        quoted.provenance.source_ref.as_ref().unwrap().as_str(),
        "listings, page 3"
    );
    assert_eq!(quoted.available_until.unwrap().to_string(), "2026-12-31");
}

#[test]
fn csv_problems_name_the_line_and_field() {
    let problems = csv_import(
        "title,year,service_id,country,available_from\n\
         Good,2020,netflix,US,2026-01-01\n\
         ,2020,netflix,US,\n\
         Bad date,2020,netflix,US,01/02/2026\n\
         Bad service,2020,blockbuster,US,\n\
         Too,many,fields,US,,extra\n",
    )
    .unwrap_err();
    let pairs: Vec<(&str, Option<&str>)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.field.as_deref()))
        .collect();
    assert!(pairs.contains(&("line 3", Some("title"))), "{pairs:?}");
    assert!(
        pairs.contains(&("line 4", Some("available_from"))),
        "{pairs:?}"
    );
    assert!(pairs.contains(&("line 5", Some("service_id"))), "{pairs:?}");
    assert!(pairs.iter().any(|(l, _)| *l == "line 6"), "{pairs:?}");
}

#[test]
fn csv_shows_take_their_kind_from_their_first_line() {
    let imported = csv_import(
        "title,year,kind,service_id,country\n\
         Dune: Part Two,2024,movie,max,US\n\
         Dune: Part Two,2024,,netflix,GB\n\
         Severance,2022,,apple-tv-plus,US\n",
    )
    .unwrap();
    let kinds: Vec<(String, ShowType)> = imported
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::ShowIdentity(s) => Some((s.title.to_string(), s.show_type)),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("Dune: Part Two".to_owned(), ShowType::Movie),
            ("Severance".to_owned(), ShowType::Tv)
        ]
    );
    let problems = csv_import("title,kind,service_id,country\nA,film,netflix,US\n").unwrap_err();
    assert_eq!(
        (problems[0].location.as_str(), problems[0].field.as_deref()),
        ("line 2", Some("kind")),
        "{problems:?}"
    );
}

#[test]
fn a_csv_header_must_name_the_required_columns_and_no_others() {
    let problems = csv_import("title,country,colour\nA,US,red\n").unwrap_err();
    let fields: Vec<Option<&str>> = problems.iter().map(|p| p.field.as_deref()).collect();
    assert!(
        fields.contains(&Some("colour")) && fields.contains(&Some("service_id")),
        "{problems:?}"
    );
    assert!(problems.iter().all(|p| p.location == "line 1"));
}

#[test]
fn problems_stop_at_the_limit() {
    let mut text = String::from("title,service_id,country\n");
    for _ in 0..500 {
        text.push_str("A,nope,US\n");
    }
    assert_eq!(
        csv_import(&text).unwrap_err().len(),
        psma_plugin_manual_import::MAX_PROBLEMS
    );
}

// Found by the `import_csv` fuzz target (fuzz/): a header cell with no name (a trailing comma)
// was reported with an empty field name, `line 1: : unknown column`.
#[test]
fn a_csv_header_column_without_a_name_is_refused_by_its_position() {
    let problems = csv_import("title,service_id,country,\nA,netflix,US,\n").unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location, "line 1");
    assert_eq!(problems[0].field, None);
    assert!(
        problems[0].message.starts_with("column 4 has no name"),
        "{problems:?}"
    );
}

// Found by the `import_csv` fuzz target (fuzz/): a CSV year outside 1870–2200 was accepted, and
// the show fact it made broke the fact rules later, away from the line that caused it.
#[test]
fn a_csv_year_outside_the_fact_range_is_refused_at_its_line() {
    let problems = csv_import(
        "title,year,service_id,country\n\
         Old,1869,netflix,US\n\
         Old,1869,max,US\n\
         New,2026,netflix,US\n\
         Far,2201,netflix,US\n",
    )
    .unwrap_err();
    let pairs: Vec<(&str, Option<&str>)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.field.as_deref()))
        .collect();
    // Once per show, at the line that defines it.
    assert_eq!(
        pairs,
        [("line 2", Some("year")), ("line 5", Some("year"))],
        "{problems:?}"
    );
}

#[test]
fn a_csv_confidence_out_of_range_is_reported_once_per_line() {
    let problems =
        csv_import("title,service_id,country,confidence\nA,netflix,US,1.5\n").unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field.as_deref(), Some("confidence"));
}

// Found by the `import_json` fuzz target (fuzz/): a member named `""` was reported with an empty
// field name, `/availability/0: : unknown field ```.
#[test]
fn a_json_member_with_an_empty_name_is_reported_without_a_field() {
    let doc = json!({
        "format": "psma-import/v1",
        "shows": [{"ref": "a", "title": "A"}],
        "availability": [{"show": "a", "service_id": "netflix", "country": "US", "": 1}],
    });
    let problems = json_import(&doc).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location, "/availability/0");
    assert_eq!(problems[0].field, None);
    assert!(
        problems[0].message.starts_with("unknown field ``"),
        "{problems:?}"
    );
    let top = json!({"format": "psma-import/v1", "": 1});
    let problems = json_import(&top).unwrap_err();
    assert_eq!(
        (problems[0].location.as_str(), problems[0].field.as_deref()),
        ("/", None),
        "{problems:?}"
    );
}

#[test]
fn a_json_confidence_out_of_range_is_reported_once_per_record() {
    let doc = json!({
        "format": "psma-import/v1",
        "shows": [{"ref": "a", "title": "A", "confidence": -1}],
        "availability": [{"show": "a", "service_id": "netflix", "country": "US", "confidence": 2}],
    });
    let problems = json_import(&doc).unwrap_err();
    let pairs: Vec<(&str, Option<&str>)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.field.as_deref()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("/shows/0", Some("confidence")),
            ("/availability/0", Some("confidence"))
        ],
        "{problems:?}"
    );
}

// Found by the `import_csv` fuzz target (fuzz/): an unknown column named twice, or a known one
// named three times, was reported more than once, word for word.
#[test]
fn a_csv_column_named_again_and_again_is_reported_once() {
    let problems = csv_import(
        "title,service_id,country,colour,colour,country,country\nA,netflix,US,red,red,US,US\n",
    )
    .unwrap_err();
    let pairs: Vec<(&str, Option<&str>)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.field.as_deref()))
        .collect();
    assert_eq!(
        pairs,
        [("line 1", Some("colour")), ("line 1", Some("country"))],
        "{problems:?}"
    );
}

// Found by the `import_csv` fuzz target (fuzz/): the csv reader counts only `\n` as a line
// break, so lines ended by a bare `\r` (old Mac exports) were all reported as one line, and two
// problems on different lines came out word for word the same.
#[test]
fn csv_lines_ended_by_carriage_returns_are_numbered_like_any_others() {
    for newline in ["\n", "\r\n", "\r"] {
        let text = [
            "title,service_id,country",
            "Good,netflix,US",
            "Bad,blockbuster,US",
            "\"Two\nlines\",netflix,US",
            "Short,netflix",
            "Shorter",
            "Bad too,blockbuster,US",
            "",
        ]
        .join(newline);
        let problems = csv_import(&text).unwrap_err();
        let pairs: Vec<(&str, Option<&str>)> = problems
            .iter()
            .map(|p| (p.location.as_str(), p.field.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("line 3", Some("service_id")),
                // A title cannot hold a line break; the quoted cell spans lines 4 and 5.
                ("line 4", Some("title")),
                ("line 6", None),
                ("line 7", None),
                ("line 8", Some("service_id")),
            ],
            "newline {newline:?}: {problems:?}"
        );
    }
}
