//! Request building, per-request options, raw responses, binary bodies,
//! error mapping and secret redaction, against a local wiremock server.

use std::time::Duration;

use futures::StreamExt;
use intercom_sdk::__private::{Method, RequestSpec, encode_path_segment};
use intercom_sdk::{API_VERSION, BinaryCall, Call, Client, Error, RequestOptions};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "tok_SECRET_abc123";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .build()
        .expect("valid client config")
}

fn get(client: &Client, path: &'static str) -> Call<Value> {
    Call::new(client, RequestSpec::new(Method::GET, path, path.to_owned()))
}

#[derive(Debug, Deserialize, PartialEq)]
struct Contact {
    id: String,
    email: Option<String>,
}

#[tokio::test]
async fn sends_bearer_version_user_agent_and_accept_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("intercom-version", API_VERSION))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            concat!("intercom-sdk-rust/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": "admin"})))
        .expect(1)
        .mount(&server)
        .await;

    let v = get(&client(&server), "/me").await.expect("200");
    assert_eq!(v, json!({"type": "admin"}));
    assert_eq!(API_VERSION, "2.11");
    let req = &server.received_requests().await.expect("recording")[0];
    assert!(
        !req.headers.contains_key("content-type"),
        "no body, no content type"
    );
}

#[tokio::test]
async fn header_parameters_are_sent_and_per_request_headers_win() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .and(header("x-format", "csv"))
        .and(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let spec = RequestSpec::new(Method::GET, "/reports", "/reports".to_owned())
        .header("Accept", "text/csv")
        .header("X-Format", "pdf")
        .header_opt::<str>("X-Absent", None);
    let value: Value = Call::new(&client(&server), spec)
        .header("x-format", "csv")
        .await
        .expect("2xx");
    assert_eq!(value, json!({}));
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests[0].headers.get("x-absent").is_none());
    server.verify().await;
}

#[tokio::test]
async fn per_request_version_header_and_query_overrides() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("intercom-version", "2.9"))
        .and(header("x-custom", "one"))
        .and(query_param("per_page", "5"))
        .and(query_param("extra", "a b&c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    let spec = RequestSpec::new(Method::GET, "/contacts", "/contacts".into()).query("per_page", 5);
    Call::<Value>::new(&client(&server), spec)
        .api_version("2.9")
        .header("X-Custom", "one")
        .query("extra", "a b&c")
        .await
        .expect("matched overrides");
    server.verify().await;
}

#[tokio::test]
async fn client_defaults_and_options_bundle() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("intercom-version", "2.10"))
        .and(header("x-team", "core"))
        .and(header("x-bundle", "yes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(1)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .api_version("2.10")
        .default_header("x-team", "core")
        .build()
        .expect("config");
    let opts = RequestOptions::new()
        .header("x-bundle", "yes")
        .timeout(Duration::from_secs(5));
    let n: u32 = Call::new(&client, RequestSpec::new(Method::GET, "/n", "/n".into()))
        .options(opts)
        .await
        .expect("ok");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn json_body_path_encoding_and_typed_decode() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/contacts/a%2Fb%20c"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"email": "x@y.z"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "a/b c", "email": "x@y.z"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let path = format!("/contacts/{}", encode_path_segment("a/b c"));
    let spec = RequestSpec::new(Method::PUT, "/contacts/{contact_id}", path)
        .json_body(&json!({"email": "x@y.z"}));
    let c: Contact = Call::new(&client(&server), spec).await.expect("ok");
    assert_eq!(
        c,
        Contact {
            id: "a/b c".into(),
            email: Some("x@y.z".into())
        }
    );
}

#[tokio::test]
async fn empty_and_204_bodies_decode_as_unit_and_none() {
    let server = MockServer::start().await;
    Mock::given(path("/empty"))
        .respond_with(ResponseTemplate::new(200).set_body_string("  \n"))
        .mount(&server)
        .await;
    Mock::given(path("/nocontent"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let spec = |p: &'static str| RequestSpec::new(Method::DELETE, p, p.to_owned());
    Call::<()>::new(&client, spec("/empty"))
        .await
        .expect("unit");
    Call::<()>::new(&client, spec("/nocontent"))
        .await
        .expect("unit");
    let none: Option<Contact> = Call::new(&client, spec("/nocontent")).await.expect("none");
    assert_eq!(none, None);
}

#[tokio::test]
async fn send_with_response_exposes_status_headers_rate_limit_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-ratelimit-limit", "10000")
                .insert_header("x-ratelimit-remaining", "9999")
                .insert_header("x-ratelimit-reset", "1700000000")
                .insert_header("x-request-id", "req-42")
                .set_body_json(json!({"id": "1", "email": null})),
        )
        .mount(&server)
        .await;
    let resp = Call::<Contact>::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/me", "/me".into()),
    )
    .send_with_response()
    .await
    .expect("ok");
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.request_id(), Some("req-42"));
    let rl = resp.rate_limit().expect("all three headers");
    assert_eq!(
        (rl.limit, rl.remaining, rl.reset),
        (10_000, 9_999, 1_700_000_000)
    );
    assert_eq!(resp.headers()["x-request-id"], "req-42");
    assert_eq!(resp.data.id, "1");
}

#[tokio::test]
async fn binary_call_streams_bytes_with_octet_stream_accept() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    Mock::given(method("GET"))
        .and(path("/download"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "bin-1")
                .set_body_raw(payload.clone(), "application/octet-stream"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let spec = RequestSpec::new(Method::GET, "/download", "/download".into());

    let bytes = BinaryCall::new(&client, spec.clone())
        .await
        .expect("ok")
        .collect_bytes()
        .await
        .expect("body");
    assert_eq!(bytes.as_ref(), payload.as_slice());

    let resp = BinaryCall::new(&client, spec)
        .send_with_response()
        .await
        .expect("ok");
    assert_eq!(resp.request_id(), Some("bin-1"));
    assert_eq!(resp.data.content_length(), Some(payload.len() as u64));
    let mut total = 0;
    let mut stream = resp.into_data();
    while let Some(chunk) = stream.next().await {
        total += chunk.expect("chunk").len();
    }
    assert_eq!(total, payload.len());
}

#[tokio::test]
async fn binary_call_error_status_is_api_error_with_body() {
    let server = MockServer::start().await;
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "type": "error.list", "request_id": "r-9",
            "errors": [{"code": "not_found", "message": "No such file"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = BinaryCall::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/download", "/download".into()),
    )
    .await
    .expect_err("404");
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("r-9"));
    assert_eq!(err.errors()[0].message.as_deref(), Some("No such file"));
}

#[tokio::test]
async fn api_error_carries_error_list_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("x-request-id", "hdr-id")
                .set_body_json(json!({
                    "type": "error.list",
                    "request_id": "body-id",
                    "errors": [
                        {"code": "parameter_invalid", "message": "Email invalid", "field": "email"},
                        {"code": "parameter_missing", "message": "Name missing"}
                    ]
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let spec =
        RequestSpec::new(Method::POST, "/contacts", "/contacts".into()).json_body(&json!({}));
    let err = Call::<Value>::new(&client(&server), spec)
        .await
        .expect_err("422");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.request_id(), Some("hdr-id"));
    let errors = err.errors();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "parameter_invalid");
    assert_eq!(errors[0].field.as_deref(), Some("email"));
    assert_eq!(errors[1].field, None);
    let api = err.as_api().expect("api error");
    assert!(api.body_text().contains("Name missing"));
    assert_eq!(api.headers()["x-request-id"], "hdr-id");
    let shown = err.to_string();
    assert!(
        shown.contains("422") && shown.contains("parameter_invalid"),
        "{shown}"
    );
}

#[tokio::test]
async fn html_502_is_a_clean_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>Bad Gateway</body></html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = get(&client(&server), "/me")
        .max_retries(0)
        .await
        .expect_err("502");
    let api = err.as_api().expect("api error, not decode");
    assert_eq!(api.status().as_u16(), 502);
    assert!(api.errors().is_empty());
    assert!(api.body_text().contains("Bad Gateway"));
    assert!(err.to_string().contains("502"));
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "dec-1")
                .set_body_raw(r#"{"id": "1", "email": 42}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/truncated"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id": "1", "tags": {"data": [{"id": "5"}, {"id"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    let call =
        |p: &'static str| Call::<Contact>::new(&client, RequestSpec::new(Method::GET, p, p.into()));

    // A type of the caller's own, read from the response as received (`Response::json`).
    let response = Call::<serde_json::Value>::new(
        &client,
        RequestSpec::new(Method::GET, "/contacts/1", "/contacts/1".into()),
    )
    .send_with_response()
    .await
    .expect("any JSON");
    let err = response.json::<Contact>().expect_err("bad type");
    let Error::Decode(d) = &err else {
        panic!("expected decode error, got {err:?}")
    };
    assert_eq!(d.path, "email");
    assert_eq!(d.status.as_u16(), 200);
    assert_eq!(d.request_id.as_deref(), Some("dec-1"));
    assert!(d.excerpt.contains(r#""email": 42"#));
    assert!(err.to_string().contains("`email`"));

    let err = call("/html")
        .await
        .expect_err("non-JSON 2xx is not a success");
    assert!(
        matches!(&err, Error::Decode(d) if d.excerpt.contains("login")),
        "{err:?}"
    );

    // A truncated body: the path where it stops (`?`: the key that never came).
    let err = Call::<intercom_sdk::models::Contact>::new(
        &client,
        RequestSpec::new(Method::GET, "/truncated", "/truncated".into()),
    )
    .await
    .expect_err("truncated");
    let Error::Decode(d) = &err else {
        panic!("expected decode error, got {err:?}")
    };
    assert_eq!(d.path, "tags.data[1].?");
}

#[tokio::test]
async fn decode_excerpt_is_bounded() {
    let server = MockServer::start().await;
    let big = format!(r#"{{"id": "{}", "email": 1}}"#, "x".repeat(100_000));
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(big, "application/json"))
        .mount(&server)
        .await;
    let err = Call::<Contact>::new(
        &client(&server),
        RequestSpec::new(Method::GET, "/big", "/big".into()),
    )
    .await
    .expect_err("bad email");
    let Error::Decode(d) = err else {
        panic!("expected decode error")
    };
    assert!(d.excerpt.len() <= intercom_sdk::DecodeError::EXCERPT_LEN);
    assert!(
        d.excerpt.contains(r#""email": 1"#),
        "excerpt centred on the failure"
    );
}

#[tokio::test]
async fn invalid_header_and_bad_token_fail_without_a_request() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let err = get(&client, "/x")
        .header("bad header", "v")
        .await
        .expect_err("bad name");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let err = get(&client, "/x")
        .header("x-ok", "line\nbreak")
        .await
        .expect_err("bad value");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    // `Client::new` validates lazily: the error surfaces on the first call.
    let lazy = Client::new("bad\ntoken");
    let err = get(&lazy, "/x").await.expect_err("bad token");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let err = Client::builder()
        .token("bad\rtoken")
        .build()
        .expect_err("validated eagerly");
    assert!(matches!(err, Error::InvalidRequest(_)));
    let err = Client::builder().build().expect_err("missing token");
    assert!(matches!(err, Error::InvalidRequest(_)));

    struct Unserializable;
    impl serde::Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot serialize"))
        }
    }
    let spec = RequestSpec::new(Method::POST, "/x", "/x".into()).json_body(&Unserializable);
    let err = Call::<Value>::new(&client, spec).await.expect_err("body");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("cannot serialize")));
    server.verify().await;
}

#[tokio::test]
async fn token_never_appears_in_debug_or_display() {
    let server = MockServer::start().await;
    Mock::given(path("/401"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "error.list", "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]
        })))
        .mount(&server)
        .await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    Mock::given(path("/bad-json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{", "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);
    let closed = closed_port_url();
    let offline = Client::builder()
        .token(TOKEN)
        .base_url(&closed)
        .max_retries(0)
        .build()
        .expect("config");

    let mut texts = vec![format!("{client:?}"), format!("{:?}", get(&client, "/x"))];
    let errors = vec![
        get(&client, "/401").await.expect_err("401"),
        get(&client, "/slow")
            .timeout(Duration::from_millis(50))
            .max_retries(0)
            .await
            .expect_err("timeout"),
        get(&client, "/bad-json").await.expect_err("decode"),
        get(&client, "/x")
            .header("bad name", TOKEN)
            .await
            .expect_err("invalid"),
        get(&offline, "/x").await.expect_err("network"),
    ];
    assert!(errors[0].is_unauthorized());
    for e in &errors {
        texts.push(format!("{e:?}"));
        texts.push(e.to_string());
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            texts.push(format!("{s:?} {s}"));
            source = s.source();
        }
    }
    for t in &texts {
        assert!(!t.contains(TOKEN), "token leaked in: {t}");
        assert!(!t.contains("SECRET"), "token leaked in: {t}");
    }
}

#[tokio::test]
async fn timeout_maps_to_timeout_variant() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(1)
        .mount(&server)
        .await;
    let err = get(&client(&server), "/slow")
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Timeout { after: Some(d) } if d == Duration::from_millis(100)));
}

#[tokio::test]
async fn connection_refused_maps_to_network_variant() {
    let client = Client::builder()
        .token(TOKEN)
        .base_url(closed_port_url())
        .max_retries(0)
        .build()
        .expect("config");
    let err = get(&client, "/x").await.expect_err("refused");
    match &err {
        Error::Network(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected network error, got {other:?}"),
    }
}

#[tokio::test]
async fn clones_share_configuration_and_work_concurrently() {
    let server = MockServer::start().await;
    Mock::given(path("/n"))
        .respond_with(|req: &Request| {
            ResponseTemplate::new(200).set_body_json(json!(req.url.query().unwrap_or("")))
        })
        .expect(8)
        .mount(&server)
        .await;
    let client = client(&server);
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move {
                Call::<String>::new(
                    &c,
                    RequestSpec::new(Method::GET, "/n", "/n".into()).query("i", i),
                )
                .await
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let got = h.await.expect("join").expect("ok");
        assert_eq!(got, format!("i={i}"));
    }
    let received = server.received_requests().await.expect("recording");
    assert!(
        received
            .iter()
            .all(|r| r.headers.contains_key("authorization"))
    );
}

/// A loopback URL on which nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
