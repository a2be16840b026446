//! Reminders and the calendar feed, as a household meets them: plan (with `psma plan`), list
//! the upcoming events, mint the feed's secret URL, and read the feed with a calendar parser
//! other than the one PSMA writes with (`ical`), with no session.

use crate::support::{TestApp, audit_actions, on_both_backends, problem};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::{Command, Stdio};

/// The day every plan here is made as of.
pub(crate) const TODAY: &str = "2027-01-10";

/// One source's word: Severance on Apple TV+ until 10 February; Yellowjackets on Paramount+
/// until `yj_until` (two sources' dates further apart than a week are a conflict).
fn listing(source: &str, yj_until: &str) -> Value {
    json!({
        "format": "psma-import/v1",
        "source_id": source,
        "retrieved_at": "2027-01-01T10:00:00Z",
        "shows": [
            {"ref": "sev", "title": "Severance", "year": 2022},
            {"ref": "yj", "title": "Yellowjackets", "year": 2021}
        ],
        "availability": [
            {"show": "sev", "service_id": "apple-tv-plus", "country": "US",
             "available_from": "2026-12-01", "available_until": "2027-02-10", "confidence": 0.9},
            {"show": "yj", "service_id": "paramount-plus", "country": "US",
             "available_from": "2026-12-01", "available_until": yj_until, "confidence": 0.9}
        ]
    })
}

async fn show_id(app: &TestApp, q: &str) -> String {
    let page = app.get_json(&format!("/api/v1/shows?q={q}")).await;
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

/// Both shows on the local owner's list, one of them contested.
pub(crate) async fn household(app: &TestApp) -> (String, String) {
    app.import_json("", &listing("alpha", "2027-03-31")).await;
    let second = app.import_json("", &listing("beta", "2027-02-20")).await;
    assert_eq!(second["conflicts"]["opened"], 1, "{second:#}");
    let (sev, yj) = (
        show_id(app, "severance").await,
        show_id(app, "yellowjackets").await,
    );
    for id in [&sev, &yj] {
        let res = app
            .request(Method::PUT, &format!("/api/v1/my-shows/{id}"))
            .json(&json!({"watch_mode": "as_aired"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    (sev, yj)
}

/// The app without its embedded worker: profile edits queue re-plans (ADR 0024) that would
/// otherwise replace the plans made here as of [`TODAY`] with plans as of the real today.
pub(crate) async fn spawn(backend: crate::support::Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| s.worker.embedded = false).await
}

/// `psma plan ARGS` on the app's database.
pub(crate) fn psma_plan(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_psma"))
        .arg("plan")
        .args(args)
        .env("PSMA_DATABASE__URL", &app.db.app_url)
        .env("PSMA_DATABASE__MIGRATION_URL", &app.db.owner_url)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `psma plan --today TODAY --format json` on the app's database: the stored plan.
fn plan_with_the_cli(app: &TestApp) -> Value {
    let out = psma_plan(app, &["--today", TODAY, "--format", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

async fn mint(app: &TestApp) -> Value {
    let res = app
        .request(Method::POST, "/api/v1/calendar/token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

/// The feed at `path`, fetched with no session, parsed by `ical`.
async fn feed(app: &TestApp, path: &str) -> IcalCalendar {
    let res = crate::support::http_client()
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/calendar"), "{kind}");
    let text = res.text().await.unwrap();
    assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    let mut parser = ical::IcalParser::new(text.as_bytes());
    let calendar = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(parser.next().is_none());
    calendar
}

fn prop<'a>(event: &'a IcalEvent, name: &str) -> &'a str {
    event
        .properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

fn uids(calendar: &IcalCalendar) -> Vec<String> {
    calendar
        .events
        .iter()
        .map(|e| prop(e, "UID").to_owned())
        .collect()
}

on_both_backends! {
    async fn the_calendar_feed_has_an_event_per_plan_event_with_stable_uids_and_alarms(backend: Backend) {
        let app = spawn(backend).await;
        household(&app).await;
        let token = mint(&app).await;
        let path = token["path"].as_str().unwrap().to_owned();
        assert_eq!(token["url"], token["path"], "no server.public_url: a path");
        assert_eq!(path, format!("/calendar/{}.ics", token["token"].as_str().unwrap()));
        assert!(feed(&app, &path).await.events.is_empty(), "before any plan: a valid, empty calendar");

        let plan = plan_with_the_cli(&app);
        let events = plan["events"].as_array().unwrap().clone();
        assert_eq!(app.get_json("/api/v1/plans/current").await, plan, "the CLI prints the plan as the API returns it");
        assert_eq!(events.len(), 4, "{plan:#}");
        let calendar = feed(&app, &path).await;
        assert_eq!(calendar.events.len(), events.len());
        let stamp = chrono::DateTime::parse_from_rfc3339(plan["generated_at"].as_str().unwrap()).unwrap();
        for (event, planned) in calendar.events.iter().zip(&events) {
            let date = planned["date"].as_str().unwrap().replace('-', "");
            assert_eq!(prop(event, "DTSTART"), date);
            let start = event.properties.iter().find(|p| p.name == "DTSTART").unwrap();
            assert!(format!("{:?}", start.params).contains("DATE"), "all-day: {start:?}");
            let service = planned["service_id"].as_str().unwrap();
            let name = if service == "apple-tv-plus" { "Apple TV+" } else { "Paramount+" };
            let summary = if planned["action"] == "subscribe" { format!("Subscribe to {name}") } else { format!("Cancel {name}") };
            assert_eq!(prop(event, "SUMMARY"), summary);
            let rationale_start: String = planned["rationale"].as_str().unwrap().chars().take(20).collect();
            assert!(prop(event, "DESCRIPTION").starts_with(rationale_start.split(',').next().unwrap()), "{event:?}");
            assert_eq!(prop(event, "DTSTAMP"), stamp.format("%Y%m%dT%H%M%SZ").to_string());
            let tentative = planned["contested"] == true || !planned["assumptions"].as_array().unwrap().is_empty();
            assert_eq!(prop(event, "STATUS"), if tentative { "TENTATIVE" } else { "CONFIRMED" });
            assert_eq!(event.alarms.len(), 1, "{event:?}");
            let alarm = &event.alarms[0].properties;
            let alarm_prop = |n: &str| alarm.iter().find(|p| p.name == n).and_then(|p| p.value.clone());
            assert_eq!(alarm_prop("ACTION").as_deref(), Some("DISPLAY"));
            assert_eq!(alarm_prop("TRIGGER").as_deref(), Some("-P1D"));
        }
        let statuses: Vec<&str> = calendar.events.iter().map(|e| prop(e, "STATUS")).collect();
        assert!(statuses.contains(&"TENTATIVE") && statuses.contains(&"CONFIRMED"), "{statuses:?}");
        let first = uids(&calendar);
        let mut unique = first.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), first.len(), "one UID per event");

        // The same intervals planned again: another plan, the same UIDs.
        let again = plan_with_the_cli(&app);
        assert_ne!(again["id"], plan["id"]);
        assert_eq!(uids(&feed(&app, &path).await), first);
    }
}

on_both_backends! {
    async fn a_rotated_or_unknown_token_opens_nothing(backend: Backend) {
        let app = spawn(backend).await;
        let old = mint(&app).await;
        let new = mint(&app).await;
        assert_ne!(old["token"], new["token"]);
        let client = crate::support::http_client();
        let get = |path: String| client.get(format!("{}{path}", app.address)).send();
        let tenant = new["token"].as_str().unwrap().split('_').next().unwrap().to_owned();
        for path in [
            old["path"].as_str().unwrap().to_owned(),
            format!("/calendar/{tenant}_{}.ics", "0".repeat(64)),
            format!("/calendar/{}_{}.ics", "1".repeat(32), "0".repeat(64)),
            "/calendar/not-a-token.ics".to_owned(),
            format!("/calendar/{}.ics", new["token"].as_str().unwrap().to_uppercase()),
        ] {
            let body = problem(get(path.clone()).await.unwrap(), 404).await;
            assert_eq!(body["type"], "urn:psma:problem:not-found", "{path}: {body:#}");
            assert!(!body["detail"].as_str().unwrap().contains(&tenant), "the detail does not echo the token: {body:#}");
        }
        assert_eq!(get(new["path"].as_str().unwrap().to_owned()).await.unwrap().status(), 200);
        let actions = audit_actions(&app).await;
        assert_eq!(actions.iter().filter(|a| *a == "calendar_token.rotate").count(), 2, "{actions:?}");
    }
}

on_both_backends! {
    async fn the_feed_url_is_absolute_when_the_server_knows_its_address(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.worker.embedded = false;
            s.server.public_url = Some("https://psma.example.org/".into());
        }).await;
        let token = mint(&app).await;
        assert_eq!(token["url"].as_str().unwrap(), format!("https://psma.example.org{}", token["path"].as_str().unwrap()));
    }
}

on_both_backends! {
    async fn upcoming_reminders_list_the_next_events_with_why_and_which_shows(backend: Backend) {
        let app = spawn(backend).await;
        let empty = app.get_json("/api/v1/reminders/upcoming").await;
        assert_eq!(empty["plan_id"], Value::Null, "no plan yet: an empty list, not an error");
        assert_eq!(empty["items"], json!([]));

        let (sev, yj) = household(&app).await;
        let plan = plan_with_the_cli(&app);
        let all = app.get_json(&format!("/api/v1/reminders/upcoming?from={TODAY}")).await;
        assert_eq!(all["plan_id"], plan["id"]);
        assert_eq!(all["from"], TODAY);
        let items = all["items"].as_array().unwrap();
        assert_eq!(items.len(), 4, "{all:#}");
        assert_eq!(items[0]["date"], TODAY);
        assert_eq!(items[0]["days_away"], 0);
        for item in items {
            assert!(!item["rationale"].as_str().unwrap().is_empty());
            let show = &item["shows"][0];
            let title = if show["show_id"] == sev.as_str() { "Severance" } else { assert_eq!(show["show_id"], yj.as_str()); "Yellowjackets" };
            assert_eq!(show["title"], title);
            assert_eq!(item["contested"], item["service_id"] == "paramount-plus", "{item:#}");
        }
        let contested = items.iter().find(|i| i["contested"] == true).unwrap();
        assert_eq!(contested["conflict_ids"].as_array().unwrap().len(), 1);

        // Without `from`, the window starts at the later of today and the plan's first day.
        let default = app.get_json("/api/v1/reminders/upcoming").await;
        assert_eq!(default["from"], TODAY);
        let first = app.get_json(&format!("/api/v1/reminders/upcoming?from={TODAY}&limit=1")).await;
        assert_eq!((first["items"].as_array().unwrap().len(), &first["truncated"]), (1, &json!(true)));
        let narrow = app.get_json(&format!("/api/v1/reminders/upcoming?from={TODAY}&days=1")).await;
        assert!(narrow["items"].as_array().unwrap().iter().all(|i| i["date"] == TODAY), "{narrow:#}");
        assert_eq!(narrow["until"], TODAY);

        for (query, field) in [("days=0", "days"), ("days=731", "days"), ("limit=0", "limit"), ("limit=101", "limit"), ("from=2027-02-30", "from"), ("colour=red", "colour")] {
            let body = problem(app.get(&format!("/api/v1/reminders/upcoming?{query}")).await, 422).await;
            assert!(body.to_string().contains(field), "{query}: {body:#}");
        }
    }
}
