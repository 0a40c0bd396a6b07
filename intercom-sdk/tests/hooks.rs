//! Request hooks, response observers and token providers, seen from a local server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use intercom_sdk::requests::FindContactRequest;
use intercom_sdk::{BoxError, Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn contact() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"type": "contact", "id": "6650"}))
}

#[tokio::test]
async fn a_request_hook_changes_what_the_server_sees_and_observers_see_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/6650"))
        .and(header("x-signature", "signed:/contacts/6650"))
        .and(header("intercom-version", "2.11"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/6650"))
        .and(header("x-signature", "signed:/contacts/6650"))
        .respond_with(contact())
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .sleeper(|_| async {})
        .on_request(|request: &mut reqwest::Request| {
            // A signing hook: it sees the final URL and headers, and adds its own.
            let signature = format!("signed:{}", request.url().path());
            request
                .headers_mut()
                .insert("x-signature", signature.parse()?);
            assert!(request.headers().contains_key("authorization"));
            Ok(())
        })
        .on_response(move |info: &intercom_sdk::ResponseInfo<'_>| {
            log.lock().unwrap().push((
                info.method.to_string(),
                info.url.path().to_owned(),
                info.status.map(|s| s.as_u16()),
            ));
        })
        .build()
        .unwrap();
    let found = client
        .contacts()
        .find(FindContactRequest::new("6650"))
        .await
        .unwrap();
    assert_eq!(found.id, "6650");
    // One 503 then the retry: the observer saw both attempts.
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            ("GET".to_owned(), "/contacts/6650".to_owned(), Some(503)),
            ("GET".to_owned(), "/contacts/6650".to_owned(), Some(200)),
        ]
    );
}

#[tokio::test]
async fn a_failing_hook_fails_the_call_without_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(contact())
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .on_request(|_| Err(BoxError::from("the signing key is unavailable")))
        .build()
        .unwrap();
    let err = client
        .contacts()
        .find(FindContactRequest::new("6650"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("signing key")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_token_provider_rotates_tokens_per_attempt() {
    let server = MockServer::start().await;
    for n in 1..=3 {
        Mock::given(method("GET"))
            .and(header(
                "authorization",
                format!("Bearer token-{n}").as_str(),
            ))
            .respond_with(contact())
            .expect(1)
            .mount(&server)
            .await;
    }
    let issued = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&issued);
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, BoxError>(format!("token-{n}")) }
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .contacts()
            .find(FindContactRequest::new("6650"))
            .await
            .unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    // Neither the client nor the builder print a token.
    assert!(!format!("{client:?}").contains("token-"));

    // A provider that fails, or returns an empty token, fails the call with a clear error.
    let failing = Client::builder()
        .base_url(server.uri())
        .token_provider(|| async { Err::<String, _>(BoxError::from("vault unreachable")) })
        .build()
        .unwrap();
    let err = failing
        .contacts()
        .find(FindContactRequest::new("6650"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("vault unreachable")),
        "{err:?}"
    );
    let empty = Client::builder()
        .base_url(server.uri())
        .token_provider(|| async { Ok::<_, BoxError>(String::new()) })
        .build()
        .unwrap();
    let err = empty
        .contacts()
        .find(FindContactRequest::new("6650"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("empty")),
        "{err:?}"
    );
}
