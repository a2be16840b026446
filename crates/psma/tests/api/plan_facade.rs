//! `POST /plan/v1/generate`: the compatibility façade of PSMA's first API (ADR 0017).

use crate::support::{TestApp, on_both_backends, problem};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The typical request (two assessments, one permanent service), also `cargo xtask bench
/// facade`'s: Max is planned for 30 days, Netflix is kept anyway.
fn typical() -> Value {
    json!({
        "country": "US",
        "horizon_days": 90,
        "permanent_service_ids": ["netflix"],
        "assessments": [
            {
                "title_id": "tmdb:tv:1399", "country": "US", "service_id": "max",
                "provider_category": "svod", "availability_now": "true",
                "availability_window": {"start": "2026-01-01", "end": null},
                "confidence": "high", "reason_codes": ["AVAILABLE_NOW"],
                "evidence": [{"source_id": "tmdb", "retrieved_at": "2026-12-01T06:00:00Z", "source_ref": "tv/1399"}]
            },
            {
                "title_id": "tmdb:tv:66732", "country": "US", "service_id": "netflix",
                "provider_category": "svod", "availability_now": "true",
                "confidence": "medium", "reason_codes": ["AVAILABLE_NOW"],
                "evidence": [{"source_id": "tvmaze", "retrieved_at": "2026-12-01T06:00:00+01:00", "details": {"channel": "Netflix"}}]
            }
        ],
        "inputs": [
            {"key": "min_contract_days", "value": 30, "service_id": "max"},
            {"key": "estimated_watch_days", "value": "12.5", "service_id": "max",
             "title_ids": ["tmdb:tv:1399"], "source_id": "user", "collected_at": "2026-12-02T18:00:00Z",
             "notes": "two episodes a night"}
        ]
    })
}

async fn generate(app: &TestApp, body: &Value) -> Value {
    let res = app.post_json("/plan/v1/generate", body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body:#}");
    body
}

/// The generation time, checked to be now (whole seconds, UTC), as it is written.
fn generated_at(plan: &Value) -> (DateTime<Utc>, String) {
    let text = plan["generated_at"].as_str().unwrap().to_owned();
    let at: DateTime<Utc> = text.parse().unwrap();
    let age = Utc::now() - at;
    assert!(
        age >= Duration::zero() && age < Duration::seconds(30),
        "{text}"
    );
    assert!(
        text.ends_with('Z') && !text.contains('.'),
        "whole seconds, UTC: {text}"
    );
    (at, text)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

on_both_backends! {
    async fn the_typical_request_plans_a_subscribe_and_an_unsubscribe_and_nothing_else(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let plan = generate(&app, &typical()).await;
        let (now, stamp) = generated_at(&plan);
        assert_eq!(plan, json!({
            "generated_at": stamp,
            "country": "US",
            "horizon_days": 90,
            "events": [
                {"action": "subscribe", "service_id": "max", "effective_at": stamp,
                 "reason_codes": ["AVAILABLE_NOW"], "title_ids": ["tmdb:tv:1399"], "assumptions": []},
                {"action": "unsubscribe", "service_id": "max", "effective_at": rfc3339(now + Duration::days(30)),
                 "reason_codes": ["MIN_CONTRACT"], "title_ids": ["tmdb:tv:1399"],
                 "assumptions": ["The minimum contract on max is 30 days.",
                                 "12.5 days are enough to watch the titles on max."]}
            ]
        }), "exactly these fields; no questions member when there is none");
    }
}

on_both_backends! {
    async fn missing_inputs_become_questions_with_answer_schemas(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let mut request = typical();
        request.as_object_mut().unwrap().remove("inputs");
        request["permanent_service_ids"] = json!([]);
        request["horizon_days"] = json!(60.0);
        let plan = generate(&app, &request).await;
        assert_eq!(plan["horizon_days"], 60, "a whole number written as 60.0 is an integer too");
        let (_, stamp) = generated_at(&plan);
        let events: Vec<(&str, &str)> = plan["events"].as_array().unwrap().iter()
            .map(|e| (e["action"].as_str().unwrap(), e["service_id"].as_str().unwrap())).collect();
        assert_eq!(events, [("subscribe", "max"), ("subscribe", "netflix")]);
        assert_eq!(plan["events"][1]["effective_at"], stamp.as_str());
        assert_eq!(plan["events"][1]["assumptions"], json!([
            "Availability on netflix is of medium confidence.",
            "No unsubscribe date yet: min_contract_days and estimated_watch_days for netflix unknown (see the questions)."
        ]));
        let questions = plan["questions"].as_array().unwrap();
        let ids: Vec<&str> = questions.iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["max:estimated_watch_days", "max:min_contract_days",
                         "netflix:estimated_watch_days", "netflix:min_contract_days"]);
        let q = &questions[3];
        assert_eq!(q["key"], "min_contract_days");
        assert_eq!(q["required"], true);
        assert_eq!(q["service_id"], "netflix");
        assert_eq!(q["title_ids"], json!(["tmdb:tv:66732"]));
        assert_eq!(q["answer_schema"], json!({"type": "integer", "minimum": 0}));
        assert_eq!(questions[2]["answer_schema"], json!({"type": "number", "minimum": 0}));
        let mut members: Vec<&str> = q.as_object().unwrap().keys().map(String::as_str).collect();
        members.sort_unstable();
        assert_eq!(members, ["answer_schema", "id", "key", "prompt", "rationale", "required", "service_id", "title_ids"]);

        // Answering them (as inputs with the question's key and service) plans the unsubscribe.
        request["inputs"] = json!([
            {"key": "min_contract_days", "value": "7", "service_id": "netflix"},
            {"key": "estimated_watch_days", "value": 9.2, "service_id": "netflix"},
        ]);
        let plan = generate(&app, &request).await;
        let (now, _) = generated_at(&plan);
        let last = plan["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].clone(), last["service_id"].clone()), (json!("unsubscribe"), json!("netflix")));
        assert_eq!(last["effective_at"], rfc3339(now + Duration::days(10)));
        assert_eq!(last["reason_codes"], json!(["ESTIMATED_WATCH_DAYS"]));
        let ids: Vec<&str> = plan["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["max:estimated_watch_days", "max:min_contract_days"]);
    }
}

/// The `errors[].field` of a 422 for `body`.
async fn invalid_fields(app: &TestApp, body: &Value) -> Vec<String> {
    let problem = problem(app.post_json("/plan/v1/generate", body).await, 422).await;
    assert_eq!(problem["type"], "urn:psma:problem:validation");
    assert_eq!(problem["instance"], "/plan/v1/generate");
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn invalid_requests_are_422_problems_naming_the_field(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let with = |pointer: &str, value: Value| {
            let mut body = typical();
            *body.pointer_mut(pointer).unwrap() = value;
            body
        };
        for (body, field) in [
            (with("/horizon_days", json!(0)), "horizon_days"),
            (with("/horizon_days", json!(366)), "horizon_days"),
            (with("/horizon_days", json!("90")), "horizon_days"),
            (with("/country", json!("us")), "country"),
            (with("/assessments/1/country", json!("USA")), "assessments[1].country"),
            (with("/assessments/0/availability_now", json!(true)), "assessments[0].availability_now"),
            (with("/assessments/0/confidence", json!("certain")), "assessments[0].confidence"),
            (with("/assessments/0/evidence/0/retrieved_at", json!("2026-12-01 06:00:00Z")), "assessments[0].evidence[0].retrieved_at"),
            (with("/assessments/0/availability_window/start", json!("2026-02-30")), "assessments[0].availability_window.start"),
            (with("/inputs/0/value", json!(-1)), "inputs[0].value"),
            (with("/inputs/1/value", json!("12,5")), "inputs[1].value"),
            (with("/inputs/1/collected_at", json!("yesterday")), "inputs[1].collected_at"),
            (with("/assessments/0/reason_codes", json!(null)), "assessments[0].reason_codes"),
            (with("/assessments/0/availability_window", json!([null, null])), "assessments[0].availability_window"),
            (with("/inputs/0", json!(["min_contract_days", 30])), "inputs[0]"),
            (with("/horizon_days", json!(90.5)), "horizon_days"),
        ] {
            assert_eq!(invalid_fields(&app, &body).await, [field], "{body}");
        }
        let mut body = typical();
        body["colour"] = json!("blue");
        assert_eq!(invalid_fields(&app, &body).await, ["colour"], "unknown fields are refused");
        let mut body = typical();
        body.as_object_mut().unwrap().remove("permanent_service_ids");
        assert_eq!(invalid_fields(&app, &body).await, ["permanent_service_ids"]);
        // The core's rules are checked together: every problem is listed.
        let body = with("/country", json!("GBR"));
        let mut body = body;
        body["horizon_days"] = json!(1000);
        body["inputs"][0]["value"] = json!(2.5);
        assert_eq!(invalid_fields(&app, &body).await, ["country", "horizon_days", "inputs[0].value"]);
    }
}

#[tokio::test]
async fn requests_and_responses_match_the_committed_json_schemas() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../contracts/jsonschema");
    let load = |name: &str| -> jsonschema::Validator {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::from_str(&text).unwrap())
            .unwrap()
    };
    let request = load("plan-facade-request.v1.schema.json");
    let response = load("plan-facade-response.v1.schema.json");
    let app = TestApp::spawn(crate::support::Backend::Sqlite).await;
    let mut without_inputs = typical();
    without_inputs.as_object_mut().unwrap().remove("inputs");
    for body in [typical(), without_inputs] {
        assert!(request.is_valid(&body), "{body}");
        let plan = generate(&app, &body).await;
        let errors: Vec<String> = response.iter_errors(&plan).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}: {plan:#}");
    }
    let mut extra = typical();
    extra["events"] = json!([]);
    assert!(
        !request.is_valid(&extra),
        "the schema refuses unknown fields too"
    );
    let mut bad_value = typical();
    bad_value["inputs"][0]["value"] = json!("thirty");
    assert!(
        !request.is_valid(&bad_value),
        "and states the rule on input values"
    );
}
