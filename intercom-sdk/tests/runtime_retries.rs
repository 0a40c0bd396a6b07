//! Retry policy: which statuses/methods are retried, how often, and how long
//! the runtime waits. Waits are recorded by an injected sleeper (which
//! returns at once), so these tests assert the computed delays without
//! sleeping.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_sdk::__private::{Method, RequestSpec};
use intercom_sdk::{Call, Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Sleeps = Arc<Mutex<Vec<Duration>>>;

/// A client whose retry waits are recorded instead of slept.
fn client(base_url: &str) -> (Client, Sleeps) {
    let sleeps: Sleeps = Arc::default();
    let recorder = sleeps.clone();
    let client = Client::builder()
        .token("tok")
        .base_url(base_url)
        .sleeper(move |d| {
            if let Ok(mut v) = recorder.lock() {
                v.push(d);
            }
            async {}
        })
        .build()
        .expect("config");
    (client, sleeps)
}

fn recorded(sleeps: &Sleeps) -> Vec<Duration> {
    sleeps.lock().map(|v| v.clone()).unwrap_or_default()
}

fn call(client: &Client, m: Method) -> Call<Value> {
    let spec = RequestSpec::new(m.clone(), "/things", "/things".into());
    let spec = if m == Method::POST {
        spec.json_body(&json!({"a": 1}))
    } else {
        spec
    };
    Call::new(client, spec)
}

/// Serves `status` for every request, expecting exactly `expected` of them.
async fn server_answering(status: u16, expected: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(json!({"type": "error.list", "errors": []})),
        )
        .expect(expected)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn retryable_statuses_are_retried_twice_by_default() {
    for status in [408u16, 429, 500, 502, 503, 504] {
        let server = server_answering(status, 3).await;
        let (client, sleeps) = client(&server.uri());
        let err = call(&client, Method::GET).await.expect_err("still failing");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(3),
            "{status}"
        );
        assert_eq!(recorded(&sleeps).len(), 2, "{status}");
        server.verify().await;
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 409, 422] {
        let server = server_answering(status, 1).await;
        let (client, sleeps) = client(&server.uri());
        let err = call(&client, Method::GET).await.expect_err("error");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.received_requests().await.map(|r| r.len()),
            Some(1),
            "{status}"
        );
        assert!(recorded(&sleeps).is_empty());
        server.verify().await;
    }
}

#[tokio::test]
async fn success_after_transient_failures() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server.uri());
    let v = call(&client, Method::PUT)
        .await
        .expect("third attempt succeeds");
    assert_eq!(v, json!({"ok": true}));
    server.verify().await;
}

#[tokio::test]
async fn backoff_is_exponential_with_jitter() {
    let server = server_answering(500, 4).await;
    let (client, sleeps) = client(&server.uri());
    call(&client, Method::DELETE)
        .max_retries(3)
        .await
        .expect_err("500");
    let s = recorded(&sleeps);
    assert_eq!(s.len(), 3);
    for (i, d) in s.iter().enumerate() {
        let full = Duration::from_millis(500) * 2u32.pow(i as u32);
        assert!(
            *d >= full / 2 && *d <= full,
            "retry {i}: {d:?} not in [{:?}, {full:?}]",
            full / 2
        );
    }
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "7"))
        .expect(2)
        .mount(&server)
        .await;
    let (client, sleeps) = client(&server.uri());
    call(&client, Method::GET)
        .max_retries(1)
        .await
        .expect_err("503");
    assert_eq!(recorded(&sleeps), vec![Duration::from_secs(7)]);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = SystemTime::now() + Duration::from_secs(30);
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", httpdate::fmt_http_date(at).as_str()),
        )
        .expect(2)
        .mount(&server)
        .await;
    let (client, sleeps) = client(&server.uri());
    let err = call(&client, Method::GET)
        .max_retries(1)
        .await
        .expect_err("429");
    assert!(err.is_rate_limited());
    let s = recorded(&sleeps);
    assert_eq!(s.len(), 1);
    // The date has one-second resolution.
    assert!(
        s[0] > Duration::from_secs(28) && s[0] <= Duration::from_secs(30),
        "{s:?}"
    );
    let hint = err.retry_after().expect("retry_after on the error");
    assert!(hint <= Duration::from_secs(30) && hint > Duration::from_secs(28));
}

#[tokio::test]
async fn ratelimit_reset_is_honoured_on_429_and_long_delays_end_retrying() {
    let server = MockServer::start().await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after epoch")
        .as_secs();
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", (now + 20).to_string().as_str()),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeps) = client(&server.uri());
    call(&client, Method::GET)
        .max_retries(1)
        .await
        .expect("second attempt succeeds");
    let s = recorded(&sleeps);
    assert_eq!(s.len(), 1);
    assert!(
        s[0] > Duration::from_secs(18) && s[0] <= Duration::from_secs(20),
        "{s:?}"
    );

    // A one-hour Retry-After is over MAX_SERVER_DELAY (and the retry budget): no wait, no
    // retry; the error carries the full delay the server asked for.
    let server2 = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server2)
        .await;
    let (client2, sleeps2) = self::client(&server2.uri());
    let err = call(&client2, Method::GET)
        .max_retries(10)
        .await
        .expect_err("429");
    assert_eq!(recorded(&sleeps2), Vec::<Duration>::new());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    server2.verify().await;
    server.verify().await;
}

#[tokio::test]
async fn post_is_not_retried_on_500() {
    let server = server_answering(500, 1).await;
    let (client, sleeps) = client(&server.uri());
    call(&client, Method::POST).await.expect_err("500");
    assert!(recorded(&sleeps).is_empty());
    server.verify().await;
}

#[tokio::test]
async fn post_is_retried_on_429() {
    let server = server_answering(429, 3).await;
    let (client, _) = client(&server.uri());
    call(&client, Method::POST).await.expect_err("429");
    server.verify().await;
    let bodies = server.received_requests().await.expect("recording");
    assert!(
        bodies.iter().all(|r| r.body == br#"{"a":1}"#),
        "body resent intact"
    );
}

#[tokio::test]
async fn post_retried_on_500_when_opted_in() {
    let server = server_answering(500, 3).await;
    let (client, _) = client(&server.uri());
    call(&client, Method::POST)
        .retry_non_idempotent(true)
        .await
        .expect_err("500");
    server.verify().await;
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = server_answering(503, 1).await;
    let (client, sleeps) = client(&server.uri());
    call(&client, Method::GET)
        .max_retries(0)
        .await
        .expect_err("503");
    assert!(recorded(&sleeps).is_empty());
    server.verify().await;

    let server = server_answering(503, 1).await;
    let no_retry = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("config");
    call(&no_retry, Method::GET).await.expect_err("503");
    server.verify().await;
}

#[tokio::test]
async fn timeouts_are_retried_for_get_but_not_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server.uri());
    let t = Duration::from_millis(50);
    let err = call(&client, Method::GET)
        .timeout(t)
        .max_retries(1)
        .await
        .expect_err("timeout");
    assert!(err.is_timeout());
    let err = call(&client, Method::POST)
        .timeout(t)
        .max_retries(1)
        .await
        .expect_err("timeout");
    assert!(err.is_timeout());
    server.verify().await;
}

#[tokio::test]
async fn connection_failures_are_retried_even_for_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let (client, sleeps) = client(&url);
    let err = call(&client, Method::POST).await.expect_err("refused");
    assert!(
        matches!(err, Error::Network(ref e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(
        recorded(&sleeps).len(),
        2,
        "connect failures: request never sent"
    );
}

#[tokio::test(start_paused = true)]
async fn default_sleeper_uses_tokio_time() {
    // With the clock paused, tokio auto-advances through the backoff sleeps;
    // the elapsed virtual time is the sum of the server-requested delays.
    // (The pool's idle-reaper timer is disabled so the only timers are ours.)
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .expect(3)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .expect("http client"),
        )
        .no_timeout()
        .build()
        .expect("config");
    let start = tokio::time::Instant::now();
    call(&client, Method::GET).await.expect_err("503");
    assert_eq!(start.elapsed(), Duration::from_secs(4));
    server.verify().await;
}
