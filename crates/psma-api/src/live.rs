//! Live updates as server-sent events (ADR 0034): `GET /api/v1/events` for API clients and
//! `GET /events` for the web UI's pages share this stream.
//!
//! Each stream reads only the database — the household's plan-changed events, the newest
//! refresh runs, the number of pending advice — every [`POLL`], so it hears a separate
//! `psma worker` process as well as the embedded one. It starts at "now", or where the client
//! says: after the `Last-Event-ID` a reconnecting browser sends, or from the moment a page's
//! request arrived (the page hands its script that cursor, so an event recorded while it
//! rendered is not lost), ends after [`MAX_AGE`] (the browser
//! reconnects) and at once when the server shuts down.

use crate::state::ApiState;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use psma_core::advice::records::AdviceStatus;
use psma_core::planning::replan::PlanEventId;
use psma_core::tenancy::TenantCtx;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use uuid::Uuid;

/// How often the database is read.
pub(crate) const POLL: Duration = Duration::from_secs(2);
/// How long one stream lasts before the browser is asked to reconnect: bounds what a
/// forgotten tab holds, and lets a hosted session's expiry apply.
const MAX_AGE: Duration = Duration::from_secs(600);
/// A comment line this often keeps proxies from closing an idle stream.
const PING: Duration = Duration::from_secs(15);

/// The server's shutdown signal, as app data: `true` once it is stopping.
#[derive(Clone)]
pub(crate) struct Shutdown(pub watch::Receiver<bool>);

/// Where a stream stands: the last plan event and refresh run sent, the pending count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cursor {
    plan: Option<Uuid>,
    run: Option<Uuid>,
    pending: Option<usize>,
}

impl Cursor {
    /// `p=<uuid>;r=<uuid>;a=<n>`, the SSE `id:` a browser sends back as `Last-Event-ID`.
    fn encode(&self) -> String {
        let id = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
        format!(
            "p={};r={};a={}",
            id(self.plan),
            id(self.run),
            self.pending.map(|n| n.to_string()).unwrap_or_default()
        )
    }

    /// The cursor in `text`, and whether it names where the runs stood (`r=`, possibly empty:
    /// none yet); `None` for junk.
    fn decode(text: &str) -> Option<(Self, bool)> {
        let mut cursor = Self::default();
        let mut runs_known = false;
        for part in text.split(';') {
            let (key, value) = part.split_once('=')?;
            match key {
                "p" if !value.is_empty() => {
                    cursor.plan = Some(crate::params::hyphenated_uuid(value)?)
                }
                "r" if !value.is_empty() => {
                    cursor.run = Some(crate::params::hyphenated_uuid(value)?)
                }
                "a" if !value.is_empty() => cursor.pending = Some(value.parse().ok()?),
                "p" | "r" | "a" => {}
                _ => return None,
            }
            runs_known |= key == "r";
        }
        Some((cursor, runs_known))
    }
}

/// The smallest UUIDv7 of `at`'s millisecond: plan events made from then on sort after it.
fn floor(at: chrono::DateTime<chrono::Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &[0; 10]).into_uuid()
}

/// The smallest UUIDv7 of the current millisecond.
fn now_floor() -> Uuid {
    floor(chrono::Utc::now())
}

/// The cursor of a stream that starts at `at`, for a page to hand its script: plan events
/// from `at` on, and (no run or count in it) a first look that only learns the refresh runs
/// and the pending advice.
pub(crate) fn starting_at(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("p={}", floor(at))
}

struct Live {
    state: web::Data<ApiState>,
    ctx: TenantCtx,
    cursor: Cursor,
    shutdown: Option<watch::Receiver<bool>>,
    started: Instant,
    last_sent: Instant,
    opened: bool,
    /// The newest runs' ids at the last look; `None` before the first.
    runs_seen: Option<std::collections::BTreeSet<Uuid>>,
    /// Resuming: the newest run the browser had heard of (`Some(None)`: none yet).
    resumed_run: Option<Option<Uuid>>,
    /// The stream ends at the next turn.
    ending: bool,
}

/// A section the caller's role may not read is left out of the stream, not an error.
fn readable<T>(result: psma_core::Result<T>) -> psma_core::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(psma_core::Error::Forbidden(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

impl Live {
    /// What happened since the cursor, as SSE text (empty: nothing).
    async fn poll(&mut self) -> psma_core::Result<String> {
        let mut out = String::new();
        let events = self
            .state
            .replans
            .events(&self.ctx, self.cursor.plan.map(PlanEventId))
            .await;
        for event in readable(events)?.unwrap_or_default() {
            self.cursor.plan = Some(event.id.0);
            let data = json!({
                "plan_id": event.plan_id.0,
                "previous_id": event.previous_id.map(|p| p.0),
                "trigger": event.trigger.as_str(),
                "at": event.at,
            });
            out.push_str(&frame("plan", &data, &self.cursor));
        }
        if let Some(runs) = readable(self.state.providers.runs(&self.ctx, None, None, 5).await)? {
            // New runs are those not seen among the newest before (a run's id is from when it
            // started, and it appears when it finishes, so "newer than" would miss a long run
            // that finishes after a short one). A first look only learns what is there, unless
            // the stream resumes after an id a browser sent.
            let fresh: Vec<_> = match (&self.runs_seen, self.resumed_run) {
                (Some(seen), _) => runs
                    .items
                    .iter()
                    .filter(|r| !seen.contains(&r.id.0))
                    .collect(),
                (None, Some(after)) => runs
                    .items
                    .iter()
                    .filter(|r| after.is_none_or(|a| r.id.0 > a))
                    .collect(),
                (None, None) => Vec::new(),
            };
            self.runs_seen = Some(runs.items.iter().map(|r| r.id.0).collect());
            if let Some(newest) = runs.items.iter().map(|r| r.id.0).max() {
                self.cursor.run = Some(newest);
            }
            for run in fresh.into_iter().rev() {
                let data = json!({
                    "run_id": run.id.0,
                    "source_id": run.source_id.to_string(),
                    "outcome": run.outcome.as_str(),
                });
                out.push_str(&frame("refresh", &data, &self.cursor));
            }
        }
        let pending = self
            .state
            .advising
            .list(&self.ctx, Some(AdviceStatus::Pending), 200)
            .await;
        if let Some(pending) = readable(pending)?.map(|p| p.len())
            && self.cursor.pending != Some(pending)
        {
            let first = self.cursor.pending.is_none();
            self.cursor.pending = Some(pending);
            if !first {
                out.push_str(&frame(
                    "advice",
                    &json!({ "pending": pending }),
                    &self.cursor,
                ));
            }
        }
        Ok(out)
    }
}

fn frame(event: &str, data: &serde_json::Value, cursor: &Cursor) -> String {
    format!("event: {event}\nid: {}\ndata: {data}\n\n", cursor.encode())
}

fn stopping(shutdown: Option<&watch::Receiver<bool>>) -> bool {
    shutdown.is_some_and(|s| *s.borrow())
}

async fn next(mut live: Live) -> Option<(Result<Bytes, actix_web::Error>, Live)> {
    if live.ending {
        return None;
    }
    if !live.opened {
        live.opened = true;
        // `retry:` and the cursor come first, so a stream whose first look fails still tells the
        // browser how long to wait, and one that ends before any event resumes where it began.
        let mut first = format!("retry: 5000\nid: {}\n\n", live.cursor.encode());
        match live.poll().await {
            Ok(text) => first.push_str(&text),
            Err(err) => {
                tracing::warn!(error = %err, "live updates: the first look failed");
                // Sent, then the stream ends: the browser comes back after `retry`.
                live.ending = true;
                return Some((Ok(Bytes::from(first)), live));
            }
        }
        return Some((Ok(Bytes::from(first)), live));
    }
    loop {
        if live.started.elapsed() > MAX_AGE || stopping(live.shutdown.as_ref()) {
            return None;
        }
        let sleep = tokio::time::sleep(POLL);
        match live.shutdown.as_mut() {
            Some(shutdown) => {
                tokio::select! {
                    () = sleep => {}
                    _ = shutdown.changed() => return None,
                }
            }
            None => sleep.await,
        }
        match live.poll().await {
            Ok(text) if !text.is_empty() => {
                live.last_sent = Instant::now();
                return Some((Ok(Bytes::from(text)), live));
            }
            Ok(_) if live.last_sent.elapsed() >= PING => {
                live.last_sent = Instant::now();
                let ping = format!(": ping\nid: {}\n\n", live.cursor.encode());
                return Some((Ok(Bytes::from(ping)), live));
            }
            Ok(_) => {}
            Err(err) => {
                // The browser reconnects (after `retry`) and resumes from its last id.
                tracing::warn!(error = %err, "live updates: ending the stream");
                return None;
            }
        }
    }
}

/// The event stream for `ctx`, resuming after the request's `Last-Event-ID` when it has one.
pub(crate) fn respond(
    req: &HttpRequest,
    state: web::Data<ApiState>,
    ctx: TenantCtx,
) -> HttpResponse {
    // A reconnecting browser sends `Last-Event-ID`; a page that closed its stream while hidden
    // passes the last id it had as `?last=`.
    let last = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            form_urlencoded::parse(req.query_string().as_bytes())
                .find(|(k, _)| k == "last")
                .map(|(_, v)| v.into_owned())
        });
    let resumed = last.as_deref().and_then(Cursor::decode);
    let resumed_run = resumed
        .as_ref()
        .and_then(|(c, runs_known)| runs_known.then_some(c.run));
    let mut cursor = resumed.map(|(c, _)| c).unwrap_or_default();
    // Without a plan position the stream starts now: never a replay of every event.
    if cursor.plan.is_none() {
        cursor.plan = Some(now_floor());
    }
    let shutdown = req.app_data::<web::Data<Shutdown>>().map(|s| s.0.clone());
    let live = Live {
        state,
        ctx,
        cursor,
        shutdown,
        started: Instant::now(),
        last_sent: Instant::now(),
        opened: false,
        runs_seen: None,
        resumed_run,
        ending: false,
    };
    let mut res = HttpResponse::Ok().streaming(stream::unfold(live, next));
    let headers = res.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    // nginx and the like buffer responses unless told not to.
    headers.insert(
        actix_web::http::header::HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_and_junk_is_refused() {
        let cursor = Cursor {
            plan: Some(now_floor()),
            run: None,
            pending: Some(3),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some((cursor, true)));
        assert_eq!(Cursor::decode("p=;r=;a="), Some((Cursor::default(), true)));
        // A page's starting cursor names no run: the first look only learns them.
        let start = chrono::Utc::now();
        assert_eq!(
            Cursor::decode(&starting_at(start)),
            Some((
                Cursor {
                    plan: Some(floor(start)),
                    ..Cursor::default()
                },
                false
            ))
        );
        assert_eq!(Cursor::decode("x=1"), None);
        assert_eq!(Cursor::decode("p=not-a-uuid"), None);
    }

    #[test]
    fn the_floor_of_now_sorts_after_earlier_ids() {
        let earlier = uuid::Uuid::now_v7();
        std::thread::sleep(Duration::from_millis(2));
        assert!(now_floor() > earlier);
    }
}
