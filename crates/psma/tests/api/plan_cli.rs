//! `psma plan` as a household runs it: the real binary, on the app's database.

use crate::calendar::{TODAY, household, psma_plan, spawn};
use crate::support::on_both_backends;

on_both_backends! {
    async fn psma_plan_prints_a_table_of_events_questions_and_totals_against_the_naive_plan(backend: Backend) {
        let app = spawn(backend).await;
        household(&app).await;
        let out = psma_plan(&app, &["--today", TODAY, "--format", "table"]);
        let table = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{table}{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("plan ") && lines[0].contains(&format!("from {TODAY}")), "{table}");
        let header = lines.iter().position(|l| l.starts_with("DATE")).unwrap();
        assert!(lines[header].contains("ACTION") && lines[header].contains("SERVICE") && lines[header].contains("SHOWS"), "{table}");
        let events = &lines[header + 1..header + 5];
        assert!(events.iter().any(|l| l.starts_with(TODAY) && l.contains("subscribe") && l.contains("Apple TV+") && l.contains("Severance")), "{table}");
        assert!(events.iter().any(|l| l.contains("cancel") && l.contains("Paramount+") && l.contains("Yellowjackets") && l.contains("contested")), "{table}");
        assert!(table.contains("questions:"), "{table}");
        let totals = lines.iter().find(|l| l.starts_with("total:")).unwrap();
        assert!(totals.contains("subscribed days") && totals.contains("naive plan"), "{table}");

        // Each run keeps a plan: the API reads the newest.
        let upcoming = app.get_json(&format!("/api/v1/reminders/upcoming?from={TODAY}")).await;
        assert_eq!(upcoming["items"].as_array().unwrap().len(), 4, "{upcoming:#}");

        let out = psma_plan(&app, &["--today", "2027-02-30"]);
        assert_eq!(out.status.code(), Some(2), "a bad date is a usage error");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--today"));
    }
}
