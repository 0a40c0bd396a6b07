//! Hardening against hostile input and flaky networks, over real sockets:
//! path parameters that would escape their segment, header values that
//! would overflow, bounded retries and paging, bodies cut mid-way, stalled
//! downloads, redirects, oversized bodies and URLs, and credentials in the
//! base URL. Faults wiremock cannot express use a raw `TcpListener`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use intercom_sdk::__private::{Method, PageState, PageStyle, RequestSpec};
use intercom_sdk::requests::{DeleteContactRequest, ListContactNotesRequest, UntagContactRequest};
use intercom_sdk::{BinaryCall, Call, Client, Error, PagedCall, Paginated, PaginationError};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Sleeps = Arc<Mutex<Vec<Duration>>>;

/// A client whose retry waits are recorded (and skipped) instead of slept.
fn recording_client(base_url: &str) -> (Client, Sleeps) {
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

fn get(client: &Client, p: &'static str) -> Call<Value> {
    Call::new(client, RequestSpec::new(Method::GET, p, p.into()))
}

fn post(client: &Client, p: &'static str) -> Call<Value> {
    Call::new(
        client,
        RequestSpec::new(Method::POST, p, p.into()).json_body(&json!({"a": 1})),
    )
}

/// What a raw server connection does after reading the request head.
#[derive(Clone)]
enum Reply {
    /// Writes these bytes, then closes.
    Close(Vec<u8>),
    /// Writes these bytes, then keeps the connection open without writing.
    Stall(Vec<u8>),
}

/// A raw HTTP/1.1 server answering the n-th connection with `replies[n]`
/// (the last one repeats); returns its base URL and the request lines seen.
async fn raw_server(replies: Vec<Reply>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = lines.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        while let Ok((mut sock, _)) = listener.accept().await {
            let reply = replies[n.min(replies.len() - 1)].clone();
            n += 1;
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => head.extend_from_slice(&buf[..k]),
                    }
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                if let Ok(mut v) = seen.lock() {
                    v.push(line);
                }
                match reply {
                    Reply::Close(bytes) => {
                        let _ = sock.write_all(&bytes).await;
                        let _ = sock.shutdown().await;
                    }
                    Reply::Stall(bytes) => {
                        let _ = sock.write_all(&bytes).await;
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), lines)
}

fn lines(seen: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    seen.lock().map(|v| v.clone()).unwrap_or_default()
}

fn ok_json(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

// ---------------------------------------------------------------- paths

#[tokio::test]
async fn dot_and_empty_path_parameters_never_reach_the_server() {
    let (base, seen) = raw_server(vec![Reply::Close(ok_json("{}"))]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .build()
        .expect("client");
    for id in ["..", ".", ""] {
        let e = client
            .contacts()
            .delete(DeleteContactRequest::new(id))
            .await
            .expect_err(id);
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("contact_id")),
            "{id:?}: {e}"
        );
        let e = client
            .tags()
            .untag_contact(UntagContactRequest::new("c1", id))
            .await
            .expect_err(id);
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("tag_id")),
            "{id:?}: {e}"
        );
        let e = client
            .notes()
            .list(ListContactNotesRequest::new(id))
            .await
            .expect_err(id);
        assert!(matches!(e, Error::InvalidRequest(_)), "{id:?}: {e}");
    }
    assert_eq!(lines(&seen), Vec::<String>::new(), "nothing was sent");

    // Dots inside an id are data; slashes and `%` are encoded.
    client
        .contacts()
        .delete(DeleteContactRequest::new("a..b"))
        .await
        .expect("sent");
    client
        .contacts()
        .delete(DeleteContactRequest::new("..."))
        .await
        .expect("sent");
    client
        .contacts()
        .delete(DeleteContactRequest::new("../admins/1"))
        .await
        .expect("sent");
    client
        .contacts()
        .delete(DeleteContactRequest::new("%2E%2E/x"))
        .await
        .expect("sent");
    assert_eq!(
        lines(&seen),
        vec![
            "DELETE /contacts/a..b HTTP/1.1",
            "DELETE /contacts/... HTTP/1.1",
            "DELETE /contacts/..%2Fadmins%2F1 HTTP/1.1",
            "DELETE /contacts/%252E%252E%2Fx HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn an_oversized_url_is_invalid_with_a_short_message() {
    let (base, seen) = raw_server(vec![Reply::Close(ok_json("{}"))]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .build()
        .expect("client");
    let long = "x".repeat(100_000);
    let e = client
        .contacts()
        .delete(DeleteContactRequest::new(long))
        .await
        .expect_err("too long");
    let msg = e.to_string();
    assert!(matches!(e, Error::InvalidRequest(_)), "{msg}");
    assert!(msg.len() < 200 && !msg.contains("xxxxxxxx"), "{msg}");
    assert!(lines(&seen).is_empty());
}

// ---------------------------------------------------------------- headers

#[tokio::test]
async fn absurd_rate_limit_resets_never_panic() {
    for reset in [
        "0",
        "1",
        "4102444800",
        "4102444800000",
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999",
        "-1",
        "soon",
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/limited"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("x-ratelimit-limit", "100")
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", reset),
            )
            .mount(&server)
            .await;
        Mock::given(path("/ok"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({}))
                    .insert_header("x-ratelimit-limit", "100")
                    .insert_header("x-ratelimit-remaining", "5")
                    .insert_header("x-ratelimit-reset", reset),
            )
            .mount(&server)
            .await;
        let (client, sleeps) = recording_client(&server.uri());
        for retries in [0, 3] {
            let e = get(&client, "/limited")
                .max_retries(retries)
                .await
                .expect_err("429");
            assert!(e.is_rate_limited(), "{reset}: {e}");
            let _ = e.retry_after();
            if let Some(rl) = e.as_api().and_then(|a| a.rate_limit()) {
                let _ = rl.reset_at();
            }
        }
        // Whatever the reset says, no single wait is longer than MAX_SERVER_DELAY.
        assert!(
            recorded(&sleeps)
                .iter()
                .all(|d| *d <= intercom_sdk::MAX_SERVER_DELAY),
            "{reset}: {:?}",
            recorded(&sleeps)
        );
        let resp = get(&client, "/ok").send_with_response().await.expect("200");
        if let Some(rl) = resp.rate_limit() {
            let _ = rl.reset_at();
        }
    }
}

#[tokio::test]
async fn far_future_resets_end_retrying_at_once_with_the_delay_on_the_error() {
    let server = MockServer::start().await;
    Mock::given(path("/limited"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "9223372036854775808"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeps) = recording_client(&server.uri());
    let e = get(&client, "/limited")
        .max_retries(10)
        .await
        .expect_err("429");
    assert!(recorded(&sleeps).is_empty());
    assert!(
        e.retry_after()
            .is_some_and(|d| d > Duration::from_secs(1 << 40))
    );
    server.verify().await;
}

// ---------------------------------------------------------------- retry budget

#[tokio::test]
async fn the_retry_budget_bounds_the_total_wait() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "40"))
        .expect(3)
        .mount(&server)
        .await;
    let (client, sleeps) = recording_client(&server.uri());
    let e = get(&client, "/busy")
        .max_retries(10)
        .retry_budget(Duration::from_secs(100))
        .await
        .expect_err("503");
    // 40 + 40 fit in 100 s; a third wait would end at 120 s.
    assert_eq!(recorded(&sleeps), vec![Duration::from_secs(40); 2]);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(40)));
    server.verify().await;
}

#[tokio::test]
async fn the_default_budget_and_a_per_call_budget_apply() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "45"))
        .mount(&server)
        .await;
    let (client, sleeps) = recording_client(&server.uri());
    // Default: 2 minutes, so two 45 s waits (90 s) but not a third (135 s).
    get(&client, "/busy")
        .max_retries(10)
        .await
        .expect_err("429");
    assert_eq!(recorded(&sleeps), vec![Duration::from_secs(45); 2]);
    // A budget shorter than the first wait: the error comes back at once.
    let (client, sleeps) = recording_client(&server.uri());
    let e = get(&client, "/busy")
        .retry_budget(Duration::from_secs(30))
        .await
        .expect_err("429");
    assert!(recorded(&sleeps).is_empty());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(45)));
    // The builder setting is the default for every call.
    let client = Client::builder()
        .token("t")
        .base_url(server.uri())
        .retry_budget(Duration::from_secs(10))
        .sleeper(|_| async { panic!("no wait expected") })
        .build()
        .expect("client");
    get(&client, "/busy").await.expect_err("429");
}

// ---------------------------------------------------------------- bodies

#[tokio::test]
async fn a_body_cut_mid_way_is_retried_for_get() {
    let cut =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"id\":"
            .to_vec();
    let (base, seen) = raw_server(vec![
        Reply::Close(cut.clone()),
        Reply::Close(ok_json(r#"{"id":"full"}"#)),
    ])
    .await;
    let (client, sleeps) = recording_client(&base);
    let v = get(&client, "/thing")
        .await
        .expect("second attempt succeeds");
    assert_eq!(v, json!({"id": "full"}));
    assert_eq!(lines(&seen).len(), 2);
    assert_eq!(recorded(&sleeps).len(), 1);

    // A POST may have been acted on: not retried, a network error.
    let (base, seen) = raw_server(vec![Reply::Close(cut)]).await;
    let (client, _) = recording_client(&base);
    let e = post(&client, "/thing").await.expect_err("cut");
    assert!(matches!(e, Error::Network(_)), "{e:?}");
    assert_eq!(lines(&seen).len(), 1);
}

#[tokio::test]
async fn a_stalled_download_times_out() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n0123456789"
        .to_vec();
    let (base, _) = raw_server(vec![Reply::Stall(head)]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let stream = BinaryCall::new(
        &client,
        RequestSpec::new(Method::GET, "/download", "/download".into()),
    )
    .await
    .expect("head arrives");
    let e = stream.collect_bytes().await.expect_err("stalls");
    assert!(e.is_timeout(), "{e:?}");

    // Chunk by chunk: the received bytes, then the timeout, then the end.
    let head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789".to_vec();
    let (base, _) = raw_server(vec![Reply::Stall(head)]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let mut stream = BinaryCall::new(
        &client,
        RequestSpec::new(Method::GET, "/download", "/download".into()),
    )
    .await
    .expect("head arrives");
    let first = stream.next().await.expect("a chunk").expect("data");
    assert_eq!(&first[..], b"0123456789");
    let second = stream.next().await.expect("an item");
    assert!(matches!(second, Err(Error::Timeout { .. })), "{second:?}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_or_cut() {
    let server = MockServer::start().await;
    let big = "x".repeat(4096);
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "v": big })))
        .mount(&server)
        .await;
    Mock::given(path("/big-error"))
        .respond_with(ResponseTemplate::new(400).set_body_string(big.clone()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("t")
        .base_url(server.uri())
        .max_body_size(1024)
        .build()
        .expect("client");
    let e = get(&client, "/big").await.expect_err("too large");
    assert!(
        matches!(e, Error::BodyTooLarge { limit: 1024, status } if status == 200),
        "{e:?}"
    );
    let e = get(&client, "/big-error").await.expect_err("400");
    let api = e.as_api().expect("api error");
    assert_eq!(api.body().len(), 1024);
    assert!(api.body_truncated());

    // Without Content-Length (chunked), the cap applies while reading.
    let chunked = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n\"{big}\"\r\n0\r\n\r\n",
        big.len() + 2
    );
    let (base, _) = raw_server(vec![Reply::Close(chunked.into_bytes())]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .max_body_size(1024)
        .build()
        .expect("client");
    let e = get(&client, "/chunked").await.expect_err("too large");
    assert!(matches!(e, Error::BodyTooLarge { .. }), "{e:?}");
}

// ---------------------------------------------------------------- redirects

#[tokio::test]
async fn redirects_are_not_followed_for_post() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere"))
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"wrong": true})))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&other)
        .await;
    let (client, _) = recording_client(&server.uri());
    let e = post(&client, "/things").await.expect_err("302 to a POST");
    let api = e.as_api().expect("api error");
    assert_eq!(api.status().as_u16(), 302);
    assert_eq!(api.location(), Some("/elsewhere"));
    let e = post(&client, "/moved").await.expect_err("307 to a POST");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(307));
    server.verify().await;
    other.verify().await;
}

#[tokio::test]
async fn get_follows_redirects_and_drops_credentials_across_origins() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/same"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/target"))
        .mount(&server)
        .await;
    Mock::given(path("/target"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"here": 1})))
        .mount(&server)
        .await;
    Mock::given(path("/cross"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/file", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"there": 2})))
        .mount(&other)
        .await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let (client, _) = recording_client(&server.uri());
    assert_eq!(
        get(&client, "/same").await.expect("followed"),
        json!({"here": 1})
    );
    assert_eq!(
        get(&client, "/cross").await.expect("followed"),
        json!({"there": 2})
    );
    let received = server.received_requests().await.unwrap_or_default();
    let target = received
        .iter()
        .find(|r| r.url.path() == "/target")
        .expect("same-origin hop");
    assert!(target.headers.contains_key("authorization"));
    let theirs = other.received_requests().await.unwrap_or_default();
    assert_eq!(theirs.len(), 1);
    assert!(
        !theirs[0].headers.contains_key("authorization"),
        "token leaked"
    );
    // A loop ends after max_redirects hops with the 3xx.
    let e = get(&client, "/loop").await.expect_err("loop");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(302));
    let loops = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/loop")
        .count();
    assert_eq!(loops, 1 + intercom_sdk::DEFAULT_MAX_REDIRECTS as usize);
}

#[tokio::test]
async fn a_redirect_hop_sends_the_request_headers_again() {
    let server = MockServer::start().await;
    Mock::given(path("/hop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/landed"))
        .mount(&server)
        .await;
    Mock::given(path("/landed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    // Without hooks the hop's headers are built again; with hooks they are kept as the hooks
    // left them.
    let (plain, _) = recording_client(&server.uri());
    let hooked = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .on_request(|request: &mut reqwest::Request| {
            request.headers_mut().insert("x-signed", "yes".parse()?);
            Ok(())
        })
        .build()
        .expect("client");
    get(&plain, "/hop")
        .header("x-custom", "1")
        .header("x-custom", "2")
        .api_version("2.14")
        .await
        .expect("followed");
    get(&hooked, "/hop").await.expect("followed");
    let landed: Vec<_> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/landed")
        .collect();
    assert_eq!(landed.len(), 2);
    let header = |i: usize, name: &str| -> Vec<String> {
        landed[i]
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(header(0, "x-custom"), ["1", "2"]);
    assert_eq!(header(0, "intercom-version"), ["2.14"]);
    assert_eq!(header(0, "accept"), ["application/json"]);
    assert_eq!(header(0, "authorization"), ["Bearer tok"]);
    assert!(header(0, "user-agent")[0].starts_with("intercom-sdk-rust/"));
    assert_eq!(header(1, "x-signed"), ["yes"]);
    assert_eq!(header(1, "authorization"), ["Bearer tok"]);
}

// ---------------------------------------------------------------- URLs and bodies

#[tokio::test]
async fn the_url_is_the_base_path_then_the_path_then_the_query() {
    let server = MockServer::start().await;
    Mock::given(path("/api/contacts/a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    for base in [
        format!("{}/api", server.uri()),
        format!("{}/api/", server.uri()),
    ] {
        let (client, _) = recording_client(&base);
        let spec = RequestSpec::new(Method::GET, "/contacts/{id}", "/contacts/a%2Fb".into())
            .query("q", "a b&c")
            .query("n", 1);
        Call::<Value>::new(&client, spec)
            .query("o", "?#")
            .extra_query("x", "é")
            .await
            .expect("sent");
    }
    // A path without its leading slash gets one.
    let (client, _) = recording_client(&format!("{}/", server.uri()));
    let spec = RequestSpec::new(Method::GET, "/contacts", "contacts".into());
    Call::<Value>::new(&client, spec).await.expect("sent");
    let received = server.received_requests().await.unwrap_or_default();
    let sent: Vec<_> = received
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{}?{query}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect();
    let query = "q=a+b%26c&n=1&o=%3F%23&x=%C3%A9";
    assert_eq!(
        sent,
        [
            format!("/api/contacts/a%2Fb?{query}"),
            format!("/api/contacts/a%2Fb?{query}"),
            "/contacts".to_owned(),
        ]
    );
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole() {
    let values: Vec<String> = (0..3000).map(|i| format!("value {i}")).collect();
    let body = serde_json::to_string(&values).expect("json");
    let (first, second) = body.split_at(body.len() / 3);
    let chunked = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n\
         {:x}\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\n\r\n",
        first.len(),
        second.len()
    );
    let (base, _) = raw_server(vec![Reply::Close(chunked.into_bytes())]).await;
    let (client, _) = recording_client(&base);
    let spec = RequestSpec::new(Method::GET, "/values", "/values".into());
    let resp = Call::<Vec<String>>::new(&client, spec)
        .send_with_response()
        .await
        .expect("decoded");
    assert_eq!(resp.data, values);
    assert_eq!(resp.raw_body().as_ref(), body.as_bytes());
    // Over the cap only in the second chunk.
    let chunked = format!(
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\n\r\n",
        first.len(),
        second.len()
    );
    let (base, _) = raw_server(vec![Reply::Close(chunked.into_bytes())]).await;
    let client = Client::builder()
        .token("t")
        .base_url(&base)
        .max_body_size(first.len() + 1)
        .build()
        .expect("client");
    let e = get(&client, "/values").await.expect_err("too large");
    assert!(matches!(e, Error::BodyTooLarge { .. }), "{e:?}");
}

// ---------------------------------------------------------------- credentials

#[tokio::test]
async fn userinfo_in_the_base_url_is_never_printed() {
    // A port nothing listens on: connecting fails.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = Client::builder()
        .token("t")
        .base_url(format!("http://admin:hunter2@{addr}"))
        .max_retries(0)
        .build()
        .expect("client");
    let e = get(&client, "/x").await.expect_err("refused");
    assert!(matches!(e, Error::Network(_)), "{e:?}");
    let printed = format!("{e} {e:?} {client:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!printed.contains("admin"), "{printed}");
}

// ---------------------------------------------------------------- paging

#[derive(Debug, Deserialize)]
struct List {
    data: Vec<u32>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    total_pages: Option<i64>,
}

impl Paginated for List {
    type Item = u32;
    fn items(&self) -> &[u32] {
        &self.data
    }
    fn into_items(self) -> Vec<u32> {
        self.data
    }
}

fn cursor_call(client: &Client) -> PagedCall<List> {
    PagedCall::new(
        client,
        RequestSpec::new(Method::GET, "/list", "/list".into()),
        PageStyle::QueryCursor {
            param: "starting_after",
        },
        |r| PageState::Cursor(r.next.clone()),
    )
}

#[tokio::test]
async fn a_cursor_cycle_is_an_error_after_the_pages_it_delivered() {
    let server = MockServer::start().await;
    // A -> B -> A: the third response repeats a cursor already sent.
    for (after, data, next) in [(None, 1, "A"), (Some("A"), 2, "B"), (Some("B"), 3, "A")] {
        let m = Mock::given(path("/list"));
        let m = match after {
            Some(a) => m.and(query_param("starting_after", a)),
            None => m.and(wiremock::matchers::query_param_is_missing("starting_after")),
        };
        m.respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [data], "next": next})),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
    let (client, _) = recording_client(&server.uri());
    let results: Vec<_> = cursor_call(&client).items().collect().await;
    let ok: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(ok, vec![1, 2, 3]);
    assert!(
        matches!(
            results.last(),
            Some(Err(Error::Pagination(PaginationError::RepeatedCursor {
                pages: 3,
                ..
            })))
        ),
        "{results:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_page_number_that_does_not_advance_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pages"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [1], "page": 1, "total_pages": 5})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let (client, _) = recording_client(&server.uri());
    let call: PagedCall<List> = PagedCall::new(
        &client,
        RequestSpec::new(Method::GET, "/pages", "/pages".into()),
        PageStyle::PageNumber { param: "page" },
        |r| PageState::PageNumber {
            page: r.page,
            total_pages: r.total_pages,
        },
    );
    let e = call.collect_items().await.expect_err("stuck");
    assert!(
        matches!(
            e,
            Error::Pagination(PaginationError::PageNotAdvancing {
                previous: 1,
                returned: 1
            })
        ),
        "{e:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn max_pages_caps_an_endless_listing() {
    let server = MockServer::start().await;
    let counter = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = counter.clone();
    Mock::given(path("/list"))
        .respond_with(move |_: &wiremock::Request| {
            let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({"data": [n], "next": format!("c{n}")}))
        })
        .expect(5)
        .mount(&server)
        .await;
    let (client, _) = recording_client(&server.uri());
    let results: Vec<_> = cursor_call(&client).max_pages(4).items().collect().await;
    assert_eq!(results.len(), 5, "{results:?}");
    assert!(matches!(
        results.last(),
        Some(Err(Error::Pagination(PaginationError::PageCapReached {
            max_pages: 4
        })))
    ));
    // The page-by-page API reports the cap from next_page.
    let first = cursor_call(&client)
        .max_pages(1)
        .send()
        .await
        .expect("page");
    assert!(first.has_next_page());
    assert!(matches!(
        first.next_page().await,
        Err(Error::Pagination(PaginationError::PageCapReached {
            max_pages: 1
        }))
    ));
    server.verify().await;
}

// ---------------------------------------------------------------- reads sent as POST

#[tokio::test]
async fn searches_and_lists_sent_as_post_are_retried_like_get() {
    let server = MockServer::start().await;
    for p in ["/contacts/search", "/companies/list"] {
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"type": "list", "data": [], "total_count": 0})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let (client, sleeps) = recording_client(&server.uri());
    let query =
        serde_json::from_value(json!({"field": "email", "operator": "=", "value": "a@b.c"}))
            .expect("query");
    let page = client
        .contacts()
        .search(intercom_sdk::requests::SearchRequest::new(query))
        .await
        .expect("retried after the 503");
    assert!(page.items().is_empty());
    client
        .companies()
        .list(intercom_sdk::requests::ListCompaniesRequest::new())
        .await
        .expect("retried after the 503");
    assert_eq!(recorded(&sleeps).len(), 2);
    server.verify().await;

    // The caller can still opt out.
    let server = MockServer::start().await;
    Mock::given(path("/companies/list"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = recording_client(&server.uri());
    client
        .companies()
        .list(intercom_sdk::requests::ListCompaniesRequest::new())
        .retry_non_idempotent(false)
        .await
        .expect_err("503");
    server.verify().await;
}
