//! Request types read from JSON (a spec example, the search builder's output, a caller's own
//! data): strict where a response model is tolerant, and what is read is what is sent.

use intercom_sdk::Client;
use intercom_sdk::requests::{CreateArticleRequest, SearchRequest, UpdateContactRequest};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn read<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_request_read_from_json_is_sent_as_read_unset_null_and_values_kept_apart() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/contacts/6762f0a51bb69f9f2193bb37"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"type": "contact", "id": "6762f0a51bb69f9f2193bb37"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("tok")
        .base_url(server.uri())
        .build()
        .expect("client");

    // The path input by its wire name, a value, a `null` (clears the field), an unknown key.
    let request: UpdateContactRequest = read(json!({
        "contact_id": "6762f0a51bb69f9f2193bb37",
        "email": "joe@bloggs.com",
        "phone": null,
        "owner_id": 991267615,
        "not_an_input": [1, 2]
    }))
    .expect("reads");
    assert_eq!(
        request,
        UpdateContactRequest::new("6762f0a51bb69f9f2193bb37")
            .email("joe@bloggs.com")
            .clear_phone()
            .owner_id(991267615)
    );
    client.contacts().update(request).await.expect("200");

    let received = server.received_requests().await.expect("recorded");
    let body: Value = serde_json::from_slice(&received[0].body).expect("JSON body");
    assert_eq!(
        body,
        json!({"email": "joe@bloggs.com", "phone": null, "owner_id": 991267615}),
        "unset inputs are left out, `null` is sent, the path input is not in the body"
    );
}

#[test]
fn a_missing_required_input_is_an_error_but_a_body_field_with_a_default_may_be_left_out() {
    let error = read::<UpdateContactRequest>(json!({"email": "joe@bloggs.com"}))
        .expect_err("no contact_id");
    assert_eq!(error, "missing field `contact_id`");

    let error =
        read::<SearchRequest>(json!({"pagination": {"per_page": 5}})).expect_err("no query");
    assert_eq!(error, "missing field `query`");

    // `title` is required by the description; read back from JSON it may be absent or `null`.
    for value in [
        json!({"author_id": 991267615}),
        json!({"author_id": 991267615, "title": null}),
    ] {
        let request: CreateArticleRequest = read(value).expect("reads");
        assert_eq!(request.title, "");
    }
}

#[test]
fn a_value_of_another_type_is_an_error_naming_its_path() {
    let error = read::<SearchRequest>(json!({
        "query": {"field": "name", "operator": "=", "value": "Joe"},
        "pagination": {"per_page": "many"}
    }))
    .expect_err("per_page is an integer");
    assert_eq!(
        error,
        r#"`pagination.per_page`: expected integer, found string "many""#
    );

    let error = read::<UpdateContactRequest>(json!({"contact_id": "1", "email": ["a@b.c"]}))
        .expect_err("email is a string");
    assert_eq!(error, "`email`: expected string, found array");

    for not_an_object in [json!([]), json!("x"), json!(null), json!(1)] {
        assert!(
            read::<UpdateContactRequest>(not_an_object.clone()).is_err(),
            "{not_an_object}"
        );
    }
}
