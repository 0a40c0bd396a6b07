//! The shared throttle against a local server that enforces a rate-limit window.
//!
//! The server counts requests in fixed one-second windows (aligned to Unix seconds, as
//! `X-RateLimit-Reset` is whole seconds) and answers `429` past `LIMIT`. 500 tasks share one
//! client and make 20 calls each. Run with `--nocapture` to see the figures:
//! `cargo test -p intercom-sdk --test throttle -- --nocapture`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use intercom_sdk::requests::FindContactRequest;
use intercom_sdk::{Client, Throttle};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const LIMIT: u64 = 1000;
const TASKS: usize = 500;
const CALLS: usize = 20;

#[derive(Default)]
struct Window {
    second: u64,
    used: u64,
}

/// Fixed windows of one second, `LIMIT` requests each.
#[derive(Clone, Default)]
struct Limiter {
    window: Arc<std::sync::Mutex<Window>>,
    ok: Arc<AtomicU64>,
    rejected: Arc<AtomicU64>,
}

impl Respond for Limiter {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let (used, reset) = {
            let mut w = self.window.lock().unwrap();
            if w.second != now {
                *w = Window {
                    second: now,
                    used: 0,
                };
            }
            w.used += 1;
            (w.used, now + 1)
        };
        let remaining = LIMIT.saturating_sub(used);
        let template = if used > LIMIT {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            ResponseTemplate::new(429).set_body_json(json!({
                "type": "error.list",
                "errors": [{"code": "rate_limit_exceeded", "message": "Exceeded rate limit"}]
            }))
        } else {
            self.ok.fetch_add(1, Ordering::Relaxed);
            ResponseTemplate::new(200).set_body_json(json!({"type": "contact", "id": "6650"}))
        };
        template
            .insert_header("x-ratelimit-limit", LIMIT.to_string())
            .insert_header("x-ratelimit-remaining", remaining.to_string())
            .insert_header("x-ratelimit-reset", reset.to_string())
    }
}

struct Run {
    ok: u64,
    rejected: u64,
    errors: u64,
    wall: Duration,
}

async fn run(client: Client, limiter: &Limiter) -> Run {
    let started = Instant::now();
    let errors = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            let errors = Arc::clone(&errors);
            tokio::spawn(async move {
                for _ in 0..CALLS {
                    if client
                        .contacts()
                        .find(FindContactRequest::new("6650"))
                        .await
                        .is_err()
                    {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    Run {
        ok: limiter.ok.swap(0, Ordering::Relaxed),
        rejected: limiter.rejected.swap(0, Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        wall: started.elapsed(),
    }
}

/// Drops the mock server with tokio's cooperative budget off. wiremock's `Drop` verifies the mocks
/// by polling a tokio `RwLock` inside `futures::executor::block_on`; when this task's budget is
/// spent (thousands of requests just completed in it), each poll of the lock yields and wakes
/// itself at once, and that blocking loop spins forever: the hang these tests showed under CI
/// load (a stack taken at 98 % CPU ended in `MockServer::drop` -> `RwLock::read`).
async fn shut_down(server: MockServer) {
    tokio::task::unconstrained(async move { drop(server) }).await;
}

async fn server() -> (MockServer, Limiter) {
    let server = MockServer::builder()
        .body_print_limit(wiremock::BodyPrintLimit::Limited(0))
        .start()
        .await;
    let limiter = Limiter::default();
    Mock::given(method("GET"))
        .respond_with(limiter.clone())
        .mount(&server)
        .await;
    (server, limiter)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_tasks_share_one_budget() {
    let (server, limiter) = server().await;
    let total = (TASKS * CALLS) as u64;

    // Without a throttle (and without retries, so every 429 is counted once).
    let bare = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let without = run(bare, &limiter).await;
    eprintln!(
        "without throttle: {} calls, {} answered 200, {} answered 429, wall {:?}",
        total, without.ok, without.rejected, without.wall
    );
    assert_eq!(without.ok + without.rejected, total);
    assert_eq!(without.errors, without.rejected);

    // With the throttle: the same load, retries off too, so a 429 would be an error. A fresh
    // server: the first request goes out before any budget is known, and the unthrottled run may
    // have spent the current window of the first server.
    let (server, limiter) = self::server().await;
    let in_flight = Arc::new(AtomicU64::new(0));
    let peak = Arc::new(AtomicU64::new(0));
    let (up, down, seen) = (
        Arc::clone(&in_flight),
        Arc::clone(&in_flight),
        Arc::clone(&peak),
    );
    let throttled = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .max_retries(0)
        .throttle(
            Throttle::new()
                .max_concurrent(64)
                .reset_margin(Duration::from_millis(20)),
        )
        .on_request(move |_| {
            let now = up.fetch_add(1, Ordering::SeqCst) + 1;
            seen.fetch_max(now, Ordering::SeqCst);
            Ok(())
        })
        .on_response(move |_| {
            down.fetch_sub(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    assert_eq!(throttled.rate_budget().unwrap().limit, None);
    let with = run(throttled.clone(), &limiter).await;
    let budget = throttled.rate_budget().unwrap();
    eprintln!(
        "with throttle (max 64 in flight): {} calls, {} answered 200, {} answered 429, wall {:?}, \
         peak in flight {}, budget after {:?}",
        total,
        with.ok,
        with.rejected,
        with.wall,
        peak.load(Ordering::SeqCst),
        budget
    );
    assert_eq!(
        with.rejected, 0,
        "the throttle sent requests into a spent window"
    );
    assert_eq!((with.ok, with.errors), (total, 0));
    assert!(peak.load(Ordering::SeqCst) <= 64);
    // The budget is readable and reflects the server's headers.
    assert_eq!(budget.limit, Some(LIMIT));
    assert!(budget.remaining.is_some_and(|r| r < LIMIT));
    assert_eq!(
        (budget.in_flight, budget.waiting, budget.rate_limited),
        (0, 0, 0)
    );
    // When the load without the throttle overran the window, the throttle must have held
    // requests (on a machine too slow to overrun it, there was nothing to hold).
    if without.rejected > 0 {
        assert!(budget.held > 0);
    }
    shut_down(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_concurrency_cap_the_budget_still_holds() {
    let (server, limiter) = server().await;
    // Retries on: a 429 would be retried and still counted by the server.
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .throttle(Throttle::new().reset_margin(Duration::from_millis(20)))
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..4 {
                    client
                        .contacts()
                        .find(FindContactRequest::new("6650"))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let (ok, rejected) = (
        limiter.ok.load(Ordering::Relaxed),
        limiter.rejected.load(Ordering::Relaxed),
    );
    eprintln!(
        "throttle without a cap: {} calls, {ok} answered 200, {rejected} answered 429, wall {:?}, budget {:?}",
        TASKS * 4,
        started.elapsed(),
        client.rate_budget()
    );
    assert_eq!((ok, rejected), ((TASKS * 4) as u64, 0));
    shut_down(server).await;
}
