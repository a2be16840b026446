use super::*;
use crate::error::InputProblem;
use serde_json::json;

fn now() -> DateTime<Utc> {
    "2026-12-03T10:00:00Z".parse().unwrap()
}

fn at(days: i64) -> DateTime<Utc> {
    now() + Duration::days(days)
}

fn assessment(title: &str, service: &str, now: AvailableNow) -> FacadeAssessment {
    FacadeAssessment {
        title_id: title.to_owned(),
        country: "US".to_owned(),
        service_id: service.to_owned(),
        availability_now: now,
        confidence: Confidence::High,
        reason_codes: vec!["AVAILABLE_NOW".to_owned()],
    }
}

fn available(title: &str, service: &str) -> FacadeAssessment {
    assessment(title, service, AvailableNow::True)
}

fn input(key: &str, value: Value, service: Option<&str>) -> FacadeInput {
    FacadeInput {
        key: key.to_owned(),
        value,
        service_id: service.map(str::to_owned),
    }
}

fn request(assessments: Vec<FacadeAssessment>, inputs: Vec<FacadeInput>) -> FacadeRequest {
    FacadeRequest {
        country: "US".to_owned(),
        horizon_days: 90,
        permanent_service_ids: vec![],
        assessments,
        inputs,
    }
}

fn plan(request: &FacadeRequest) -> FacadePlan {
    generate(request, now()).unwrap()
}

/// `(action, service, effective_at)` of each event, in order.
fn timeline(plan: &FacadePlan) -> Vec<(Action, &str, DateTime<Utc>)> {
    plan.events
        .iter()
        .map(|e| (e.action, e.service_id.as_str(), e.effective_at))
        .collect()
}

fn question_ids(plan: &FacadePlan) -> Vec<&str> {
    plan.questions.iter().map(|q| q.id.as_str()).collect()
}

fn fields(err: Error) -> Vec<String> {
    match err {
        Error::Rejected { problems, .. } => problems
            .into_iter()
            .map(|InputProblem { field, .. }| field.unwrap())
            .collect(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn both_inputs(service: &str, min_contract: Value, watch: Value) -> Vec<FacadeInput> {
    vec![
        input(MIN_CONTRACT_DAYS, min_contract, Some(service)),
        input(ESTIMATED_WATCH_DAYS, watch, Some(service)),
    ]
}

#[test]
fn a_service_available_now_is_subscribed_to_at_generation_time_with_questions_for_its_end() {
    let p = plan(&request(vec![available("t1", "netflix")], vec![]));
    assert_eq!(p.generated_at, now());
    assert_eq!(p.country, "US");
    assert_eq!(p.horizon_days, 90);
    assert_eq!(timeline(&p), [(Action::Subscribe, "netflix", now())]);
    let event = &p.events[0];
    assert_eq!(event.reason_codes, [reason::AVAILABLE_NOW]);
    assert_eq!(event.title_ids, ["t1"]);
    assert_eq!(
        event.assumptions,
        [
            "No unsubscribe date yet: min_contract_days and estimated_watch_days for netflix \
          unknown (see the questions)."
        ]
    );
    assert_eq!(
        question_ids(&p),
        ["netflix:estimated_watch_days", "netflix:min_contract_days"]
    );
    let min = &p.questions[1];
    assert_eq!(min.key, MIN_CONTRACT_DAYS);
    assert!(min.required);
    assert_eq!(min.service_id.as_deref(), Some("netflix"));
    assert_eq!(min.title_ids, ["t1"]);
    assert_eq!(
        min.answer_schema,
        Some(json!({"type": "integer", "minimum": 0}))
    );
    assert!(min.prompt.contains("netflix"), "{}", min.prompt);
    assert!(min.rationale.is_some());
    assert_eq!(
        p.questions[0].answer_schema,
        Some(json!({"type": "number", "minimum": 0}))
    );
}

#[test]
fn both_inputs_give_an_unsubscribe_after_the_longer_of_contract_and_watch_time() {
    let p = plan(&request(
        vec![available("t1", "netflix")],
        both_inputs("netflix", json!(30), json!(12.5)),
    ));
    assert_eq!(
        timeline(&p),
        [
            (Action::Subscribe, "netflix", now()),
            (Action::Unsubscribe, "netflix", at(30))
        ]
    );
    assert!(p.questions.is_empty());
    assert!(p.events[0].assumptions.is_empty(), "{:?}", p.events[0]);
    let unsubscribe = &p.events[1];
    assert_eq!(unsubscribe.reason_codes, [reason::MIN_CONTRACT]);
    assert_eq!(unsubscribe.title_ids, ["t1"]);
    assert_eq!(
        unsubscribe.assumptions,
        [
            "The minimum contract on netflix is 30 days.",
            "12.5 days are enough to watch the titles on netflix."
        ]
    );

    let p = plan(&request(
        vec![available("t1", "netflix")],
        both_inputs("netflix", json!(7), json!(12.5)),
    ));
    assert_eq!(p.events[1].effective_at, at(13), "ceil(12.5)");
    assert_eq!(p.events[1].reason_codes, [reason::ESTIMATED_WATCH_DAYS]);

    let p = plan(&request(
        vec![available("t1", "netflix")],
        both_inputs("netflix", json!("13"), json!("12.01")),
    ));
    assert_eq!(p.events[1].effective_at, at(13), "numeric strings count");
    assert_eq!(
        p.events[1].reason_codes,
        [reason::ESTIMATED_WATCH_DAYS, reason::MIN_CONTRACT],
        "both set the date"
    );
}

#[test]
fn one_input_alone_plans_no_unsubscribe_and_asks_for_the_other() {
    let p = plan(&request(
        vec![available("t1", "netflix")],
        vec![input(MIN_CONTRACT_DAYS, json!(30), Some("netflix"))],
    ));
    assert_eq!(timeline(&p), [(Action::Subscribe, "netflix", now())]);
    assert_eq!(question_ids(&p), ["netflix:estimated_watch_days"]);
    assert_eq!(
        p.events[0].assumptions,
        ["No unsubscribe date yet: estimated_watch_days for netflix unknown (see the questions)."]
    );
}

#[test]
fn an_unsubscribe_beyond_the_horizon_is_left_out() {
    let mut r = request(
        vec![available("t1", "netflix")],
        both_inputs("netflix", json!(90), json!(1)),
    );
    assert_eq!(
        timeline(&plan(&r)).last(),
        Some(&(Action::Unsubscribe, "netflix", at(90))),
        "the horizon's last day is within it"
    );
    r.inputs = both_inputs("netflix", json!(1), json!(90.2));
    let p = plan(&r);
    assert_eq!(timeline(&p), [(Action::Subscribe, "netflix", now())]);
    assert!(p.questions.is_empty(), "nothing to ask: both are known");
    assert_eq!(
        p.events[0].assumptions,
        ["Unsubscribing from netflix is due after the 90-day horizon."]
    );
    r.inputs = both_inputs("netflix", json!(1e300), json!("9".repeat(400)));
    assert_eq!(
        timeline(&plan(&r)),
        [(Action::Subscribe, "netflix", now())],
        "huge values are past any horizon"
    );
}

#[test]
fn zero_days_unsubscribe_at_generation_time_after_subscribing() {
    let p = plan(&request(
        vec![available("t1", "netflix")],
        both_inputs("netflix", json!(0), json!(0)),
    ));
    assert_eq!(
        timeline(&p),
        [
            (Action::Subscribe, "netflix", now()),
            (Action::Unsubscribe, "netflix", now())
        ]
    );
}

#[test]
fn the_last_input_for_a_key_and_service_wins() {
    let mut inputs = both_inputs("netflix", json!(30), json!(5));
    inputs.push(input(MIN_CONTRACT_DAYS, json!(10), Some("netflix")));
    inputs.push(input(MIN_CONTRACT_DAYS, json!(60), Some("hulu")));
    let p = plan(&request(vec![available("t1", "netflix")], inputs));
    assert_eq!(p.events[1].effective_at, at(10));
}

#[test]
fn inputs_without_a_service_or_with_other_keys_change_nothing() {
    let inputs = vec![
        input(MIN_CONTRACT_DAYS, json!(30), None),
        input(ESTIMATED_WATCH_DAYS, json!(5), None),
        input("budget", json!({"monthly": 20}), Some("netflix")),
    ];
    let p = plan(&request(vec![available("t1", "netflix")], inputs));
    assert_eq!(timeline(&p), [(Action::Subscribe, "netflix", now())]);
    assert_eq!(p.questions.len(), 2);
}

#[test]
fn permanent_and_unknown_services_get_no_events_and_no_questions() {
    let mut flagged = available("t4", "hulu");
    flagged.reason_codes.push(SERVICE_ID_UNKNOWN.to_owned());
    let mut flagged_elsewhere = available("t5", "max");
    flagged_elsewhere.country = "GB".to_owned();
    flagged_elsewhere.availability_now = AvailableNow::False;
    flagged_elsewhere.reason_codes = vec![SERVICE_ID_UNKNOWN.to_owned()];
    let mut r = request(
        vec![
            available("t1", "netflix"),
            available("t2", "unknown-tmdb-provider-8"),
            available("t3", "apple-tv-plus"),
            flagged,
            available("t6", "hulu"),
            flagged_elsewhere,
            available("t7", "max"),
        ],
        vec![],
    );
    r.permanent_service_ids = vec!["netflix".to_owned()];
    let p = plan(&r);
    assert_eq!(timeline(&p), [(Action::Subscribe, "apple-tv-plus", now())]);
    assert_eq!(
        question_ids(&p),
        [
            "apple-tv-plus:estimated_watch_days",
            "apple-tv-plus:min_contract_days"
        ]
    );
}

#[test]
fn only_true_assessments_in_the_requests_country_are_planned() {
    let mut elsewhere = available("t1", "netflix");
    elsewhere.country = "GB".to_owned();
    let r = request(
        vec![
            elsewhere,
            assessment("t2", "hulu", AvailableNow::False),
            assessment("t3", "max", AvailableNow::Unknown),
        ],
        vec![],
    );
    let p = plan(&r);
    assert!(p.events.is_empty(), "{p:?}");
    assert!(p.questions.is_empty());
}

#[test]
fn several_assessments_of_a_service_make_one_plan_with_all_their_titles() {
    let mut low = available("t1", "netflix");
    low.confidence = Confidence::Low;
    let mut medium = available("t0", "netflix");
    medium.confidence = Confidence::Medium;
    let p = plan(&request(
        vec![
            low.clone(),
            medium,
            low,
            assessment("t9", "netflix", AvailableNow::False),
        ],
        vec![],
    ));
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].title_ids, ["t0", "t1"]);
    assert_eq!(
        p.events[0].assumptions[0], "Availability on netflix is of medium confidence.",
        "the best band"
    );
    assert!(p.questions[0].prompt.contains("the 2 titles"));
}

#[test]
fn events_are_ordered_by_date_then_action_then_service() {
    let mut inputs = both_inputs("netflix", json!(30), json!(1));
    inputs.extend(both_inputs("hulu", json!(30), json!(1)));
    inputs.extend(both_inputs("apple-tv-plus", json!(7), json!(1)));
    let p = plan(&request(
        vec![
            available("t1", "netflix"),
            available("t2", "hulu"),
            available("t3", "apple-tv-plus"),
            available("t4", "max"),
        ],
        inputs,
    ));
    assert_eq!(
        timeline(&p),
        [
            (Action::Subscribe, "apple-tv-plus", now()),
            (Action::Subscribe, "hulu", now()),
            (Action::Subscribe, "max", now()),
            (Action::Subscribe, "netflix", now()),
            (Action::Unsubscribe, "apple-tv-plus", at(7)),
            (Action::Unsubscribe, "hulu", at(30)),
            (Action::Unsubscribe, "netflix", at(30)),
        ]
    );
    assert_eq!(
        question_ids(&p),
        ["max:estimated_watch_days", "max:min_contract_days"]
    );
}

#[test]
fn the_generation_time_is_kept_in_whole_seconds() {
    let p = generate(
        &request(vec![available("t1", "netflix")], vec![]),
        now() + Duration::milliseconds(999),
    )
    .unwrap();
    assert_eq!(p.generated_at, now());
    assert_eq!(p.events[0].effective_at, now());
}

#[test]
fn every_invalid_field_is_named() {
    let mut bad = available("t2", "hulu");
    bad.country = "us".to_owned();
    let mut r = request(
        vec![available("t1", "netflix"), bad],
        vec![
            input(MIN_CONTRACT_DAYS, json!(1.5), Some("netflix")),
            input(MIN_CONTRACT_DAYS, json!("-1"), Some("netflix")),
            input(ESTIMATED_WATCH_DAYS, json!(-0.5), Some("netflix")),
            input(ESTIMATED_WATCH_DAYS, json!("1."), None),
            input(ESTIMATED_WATCH_DAYS, json!(null), Some("netflix")),
            input("", json!("any value"), Some("")),
            input(MIN_CONTRACT_DAYS, json!("30"), Some("netflix")),
        ],
    );
    r.country = "USA".to_owned();
    r.horizon_days = 0;
    assert_eq!(
        fields(generate(&r, now()).unwrap_err()),
        [
            "country",
            "horizon_days",
            "assessments[1].country",
            "inputs[0].value",
            "inputs[1].value",
            "inputs[2].value",
            "inputs[3].value",
            "inputs[4].value",
        ]
    );
    for horizon in [-1, 366, i64::MAX] {
        let mut r = request(vec![], vec![]);
        r.horizon_days = horizon;
        assert_eq!(fields(generate(&r, now()).unwrap_err()), ["horizon_days"]);
    }
    for horizon in [1, 365] {
        let mut r = request(vec![], vec![]);
        r.horizon_days = horizon;
        assert!(generate(&r, now()).is_ok());
    }
}

#[test]
fn an_empty_request_is_an_empty_plan() {
    let p = plan(&request(vec![], vec![]));
    assert!(p.events.is_empty());
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"generated_at": "2026-12-03T10:00:00Z", "country": "US", "horizon_days": 90, "events": []}),
        "no questions: the member is left out"
    );
}
