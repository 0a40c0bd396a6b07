//! Responses that drift from the description, through real calls against wiremock: each drifted
//! value is tolerated and listed with its path (or, in strict mode, is an `Error::Decode` at that
//! path); the body as received is kept; and newer inputs can be sent with `extra_body` and
//! `extra_query`.

use intercom_sdk::models::{
    MultipleFilterSearchRequest, MultipleFilterSearchRequestOperator, SingleFilterSearchRequest,
    SingleFilterSearchRequestOperator, StartingAfterPaging, TicketState,
};
use intercom_sdk::requests::{
    CreateOrUpdateCompanyRequest, FindCompanyRequest, FindContactRequest, FindConversationRequest,
    FindTicketRequest, ListContactsRequest, SearchRequest,
};
use intercom_sdk::{Client, Drift, DriftOutcome, Error, RequestOptions};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, strict: bool) -> Client {
    Client::builder()
        .token("tok")
        .base_url(server.uri())
        .max_retries(0)
        .strict_decoding(strict)
        .build()
        .expect("valid client config")
}

async fn serve(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn drift_at<'a>(drift: &'a [Drift], at: &str) -> &'a Drift {
    drift
        .iter()
        .find(|d| d.path == at)
        .unwrap_or_else(|| panic!("no drift at `{at}` in {drift:#?}"))
}

fn decode_error_path(err: Error) -> String {
    match err {
        Error::Decode(d) => {
            assert!(d.to_string().contains("strict decoding"), "{d}");
            d.path
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// The 2.11 example of `GET /conversations/{id}`, with the drift the official SDK's tests show:
/// a numeric-string team id, and a conversation part whose id is an integer.
fn drifted_conversation() -> Value {
    json!({
        "type": "conversation", "id": "367", "created_at": 1719492825, "updated_at": 1719492825,
        "source": {"type": "conversation", "id": "403918255", "delivered_as": "admin_initiated",
                   "subject": "", "body": "<p>this is the message body</p>",
                   "author": {"type": "admin", "id": "991267553", "name": "Ciaran153 Lee", "email": "admin153@email.com"},
                   "attachments": [], "url": null, "redacted": false},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "667d60d88a68186f43bafde1", "external_id": "70"}]},
        "admin_assignee_id": 991267715,
        "team_assignee_id": "5017691",
        "open": false, "state": "closed", "read": false,
        "tags": {"type": "tag.list", "tags": []},
        "priority": "not_priority",
        "conversation_parts": {"type": "conversation_part.list", "total_count": 1, "conversation_parts": [
            {"type": "conversation_part", "id": 1, "part_type": "comment", "body": "<p>Okay!</p>",
             "created_at": 1663597223, "updated_at": 1663597260,
             "author": {"type": "admin", "id": "274", "name": "Operator", "email": "operator@intercom.io"}}
        ]}
    })
}

#[tokio::test]
async fn a_numeric_string_id_and_an_integer_string_field_are_converted_and_listed() {
    let server = MockServer::start().await;
    serve(&server, "GET", "/conversations/367", drifted_conversation()).await;

    let response = client(&server, false)
        .conversations()
        .find(FindConversationRequest::new("367"))
        .send_with_response()
        .await
        .expect("a drifted conversation still decodes");
    assert_eq!(response.data.team_assignee_id, Some(5017691));
    assert_eq!(response.data.admin_assignee_id, Some(991267715));
    let parts = response.data.conversation_parts.as_ref().expect("parts");
    assert_eq!(parts.conversation_parts[0].id, "1");

    let team = drift_at(response.drift(), "team_assignee_id");
    assert_eq!(team.expected, "integer");
    assert_eq!(team.found, r#"string "5017691""#);
    assert_eq!(team.outcome, DriftOutcome::Converted);
    let part = drift_at(
        response.drift(),
        "conversation_parts.conversation_parts[0].id",
    );
    assert_eq!(
        (part.expected.as_str(), part.found.as_str()),
        ("string", "number 1")
    );
    assert_eq!(response.drift().len(), 2, "{:#?}", response.drift());

    let err = client(&server, true)
        .conversations()
        .find(FindConversationRequest::new("367"))
        .await
        .expect_err("strict decoding refuses drift");
    // The first drift in key order (document order with serde_json's `preserve_order`).
    let at = decode_error_path(err);
    assert!(
        [
            "team_assignee_id",
            "conversation_parts.conversation_parts[0].id"
        ]
        .contains(&at.as_str()),
        "{at}"
    );
}

#[tokio::test]
async fn an_object_for_a_string_enum_is_dropped_and_strict_mode_names_it() {
    let server = MockServer::start().await;
    let ticket = json!({
        "type": "ticket", "id": "494", "ticket_id": "33", "category": "Customer",
        "ticket_state": {"type": "ticket_state", "id": "7493", "category": "submitted",
                         "internal_label": "Submitted", "external_label": "Submitted"},
        "open": true, "created_at": 1719492947
    });
    serve(&server, "GET", "/tickets/494", ticket).await;

    let response = client(&server, false)
        .tickets()
        .get(FindTicketRequest::new("494"))
        .send_with_response()
        .await
        .expect("a ticket with an object state still decodes");
    assert_eq!(response.data.id, "494");
    assert_eq!(response.data.ticket_state, None::<TicketState>);
    let state = drift_at(response.drift(), "ticket_state");
    assert_eq!(
        (state.expected.as_str(), state.found.as_str(), state.outcome),
        ("string", "object", DriftOutcome::Dropped)
    );
    // Nothing is lost: the state is still in the body as received.
    let raw: Value = response.json().expect("the raw body is JSON");
    assert_eq!(raw["ticket_state"]["category"], "submitted");

    let err = client(&server, false)
        .tickets()
        .get(FindTicketRequest::new("494"))
        .strict_decoding(true)
        .await
        .expect_err("strict per request");
    assert_eq!(decode_error_path(err), "ticket_state");
}

#[tokio::test]
async fn a_string_avatar_where_an_object_is_declared_is_dropped() {
    let server = MockServer::start().await;
    let contact = json!({
        "type": "contact", "id": "667d60a98a68186f43bafdb9", "role": "user",
        "email": "joe@bloggs.com", "avatar": "https://example.org/avatar.png",
        "created_at": 1719492777
    });
    serve(
        &server,
        "GET",
        "/contacts/667d60a98a68186f43bafdb9",
        contact,
    )
    .await;

    let response = client(&server, false)
        .contacts()
        .find(FindContactRequest::new("667d60a98a68186f43bafdb9"))
        .send_with_response()
        .await
        .expect("decodes");
    assert_eq!(response.data.email.as_deref(), Some("joe@bloggs.com"));
    assert!(response.data.avatar.is_none());
    let avatar = drift_at(response.drift(), "avatar");
    assert_eq!(avatar.expected, "object");
    assert_eq!(avatar.found, r#"string "https://example.org/avatar.png""#);

    let err = client(&server, true)
        .contacts()
        .find(FindContactRequest::new("667d60a98a68186f43bafdb9"))
        .await
        .expect_err("strict");
    assert_eq!(decode_error_path(err), "avatar");
}

#[tokio::test]
async fn number_and_boolean_custom_attributes_are_kept_as_their_json_text() {
    let server = MockServer::start().await;
    let company = json!({
        "type": "company", "id": "531ee472cce572a6ec000006", "name": "Blue Sun",
        "company_id": "6", "plan": {}, "custom_attributes": {"paid_subscriber": true, "monthly_spend": 155.5, "team_mates": 9, "tier": "gold"}
    });
    serve(
        &server,
        "GET",
        "/companies/531ee472cce572a6ec000006",
        company,
    )
    .await;

    let response = client(&server, false)
        .companies()
        .find(FindCompanyRequest::new("531ee472cce572a6ec000006"))
        .send_with_response()
        .await
        .expect("decodes");
    let attributes = response
        .data
        .custom_attributes
        .as_ref()
        .expect("attributes");
    assert_eq!(attributes["paid_subscriber"], "true");
    assert_eq!(attributes["monthly_spend"], "155.5");
    assert_eq!(attributes["team_mates"], "9");
    assert_eq!(attributes["tier"], "gold");
    let paid = drift_at(response.drift(), "custom_attributes.paid_subscriber");
    assert_eq!(paid.outcome, DriftOutcome::Converted);
    assert_eq!(response.drift().len(), 3, "{:#?}", response.drift());

    let err = client(&server, true)
        .companies()
        .find(FindCompanyRequest::new("531ee472cce572a6ec000006"))
        .await
        .expect_err("strict");
    let at = decode_error_path(err);
    assert!(response.drift().iter().any(|d| d.path == at), "{at}");
}

#[tokio::test]
async fn a_string_pages_next_ends_paging_and_is_listed_on_the_page() {
    let server = MockServer::start().await;
    let page = json!({
        "type": "list",
        "data": [{"type": "contact", "id": "c1", "role": "user"}, {"type": "contact", "id": "c2", "role": "lead", "owner_id": "12"}],
        "total_count": 2,
        "pages": {"type": "pages", "page": 1, "per_page": 2, "total_pages": 1, "next": "https://api.intercom.io/contacts?starting_after=WzE3MTk"}
    });
    serve(&server, "GET", "/contacts", page).await;

    let first = client(&server, false)
        .contacts()
        .list(ListContactsRequest::new())
        .await
        .expect("decodes");
    assert_eq!(first.items().len(), 2);
    assert!(!first.has_next_page());
    let next = drift_at(first.drift(), "pages.next");
    assert_eq!(
        (next.expected.as_str(), next.outcome),
        ("object", DriftOutcome::Dropped)
    );
    let owner = drift_at(first.drift(), "data[1].owner_id");
    assert_eq!(owner.outcome, DriftOutcome::Converted);
    assert_eq!(first.items()[1].owner_id, Some(12));
    assert!(first.raw_body().starts_with(b"{"));

    let err = client(&server, true)
        .contacts()
        .list(ListContactsRequest::new())
        .await
        .expect_err("strict");
    assert_eq!(decode_error_path(err), "data[1].owner_id");
}

#[tokio::test]
async fn a_body_that_is_not_the_operations_type_is_still_an_error() {
    let server = MockServer::start().await;
    serve(&server, "GET", "/contacts/x", json!([1, 2])).await;
    let err = client(&server, false)
        .contacts()
        .find(FindContactRequest::new("x"))
        .await
        .expect_err("an array is not a contact");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn raw_body_and_json_round_trip_what_the_server_sent() {
    let server = MockServer::start().await;
    let body = json!({"type": "contact", "id": "c1", "role": "user", "new_field": {"added": "last month"}});
    serve(&server, "GET", "/contacts/c1", body.clone()).await;

    #[derive(serde::Deserialize)]
    struct Mine {
        id: String,
        new_field: Value,
    }
    let response = client(&server, true)
        .contacts()
        .find(FindContactRequest::new("c1"))
        .send_with_response()
        .await
        .expect("decodes");
    assert!(response.drift().is_empty());
    assert_eq!(
        serde_json::from_slice::<Value>(response.raw_body()).ok(),
        Some(body.clone())
    );
    assert_eq!(response.json::<Value>().ok(), Some(body));
    let mine: Mine = response.json().expect("a user type decodes");
    assert_eq!(
        (mine.id.as_str(), mine.new_field["added"].as_str()),
        ("c1", Some("last month"))
    );
    let err = response.json::<Vec<u8>>().expect_err("not an array");
    assert!(matches!(err, Error::Decode(_)));
}

fn search_query() -> SearchRequest {
    let filter = SingleFilterSearchRequest {
        field: Some("email".into()),
        operator: Some(SingleFilterSearchRequestOperator::Eq),
        value: Some(String::from("ada@example.com").into()),
    };
    let query = MultipleFilterSearchRequest {
        operator: Some(MultipleFilterSearchRequestOperator::And),
        value: Some(vec![filter.into()]),
    };
    SearchRequest::new(query.into()).pagination(StartingAfterPaging {
        per_page: 2,
        starting_after: None,
    })
}

#[tokio::test]
async fn extra_body_applies_to_every_page_of_a_search_without_fighting_the_cursor() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"type": "contact", "id": id}))
            .collect();
        let mut pages = json!({"type": "pages", "per_page": 2});
        if let Some(cursor) = next {
            pages["next"] = json!({"per_page": 2, "starting_after": cursor});
        }
        json!({"type": "list", "data": data, "total_count": 3, "pages": pages})
    };
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .and(wiremock::matchers::body_partial_json(
            json!({"pagination": {"starting_after": "c2"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c3"], None)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contacts/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c1", "c2"], Some("c2"))))
        .mount(&server)
        .await;

    let contacts = client(&server, false)
        .contacts()
        .search(search_query())
        .extra_body(json!({"pagination": {"per_page": 50, "starting_after": "c0"}}))
        .options(RequestOptions::new().extra_body(json!({"highlight": true})))
        .collect_items()
        .await
        .expect("both pages");
    let ids: Vec<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);

    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect();
    assert_eq!(bodies.len(), 2);
    // The first page starts where the caller said; later pages follow the pager's cursor. Every
    // page keeps the generated query and the newer keys.
    assert_eq!(
        bodies[0]["pagination"],
        json!({"per_page": 50, "starting_after": "c0"})
    );
    assert_eq!(
        bodies[1]["pagination"],
        json!({"per_page": 50, "starting_after": "c2"})
    );
    for body in &bodies {
        assert_eq!(body["highlight"], true);
        assert_eq!(body["query"]["operator"], "AND");
    }
}

#[tokio::test]
async fn extra_query_sets_or_replaces_a_query_parameter() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/contacts",
        json!({"type": "list", "data": [], "total_count": 0}),
    )
    .await;
    client(&server, false)
        .contacts()
        .list(ListContactsRequest::new().per_page(10))
        .extra_query("include_translations", "true")
        .extra_query("per_page", "60")
        .await
        .expect("decodes");
    let requests = server.received_requests().await.unwrap_or_default();
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert_eq!(query, "include_translations=true&per_page=60");
}

#[tokio::test]
async fn extra_body_must_be_an_object() {
    let server = MockServer::start().await;
    let err = client(&server, false)
        .contacts()
        .search(search_query())
        .extra_body(json!([1]))
        .await
        .expect_err("an array cannot be merged");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn an_operation_whose_body_inputs_are_all_unset_sends_no_body() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/companies",
        json!({"type": "company", "id": "1"}),
    )
    .await;
    let c = client(&server, false);
    c.companies()
        .create_or_update(CreateOrUpdateCompanyRequest::new())
        .await
        .expect("decodes");
    c.companies()
        .create_or_update(CreateOrUpdateCompanyRequest::new().name("Blue Sun"))
        .extra_body(json!({"size": 30}))
        .await
        .expect("decodes");
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests[0].body.is_empty());
    assert!(requests[0].headers.get("content-type").is_none());
    let second: Value = serde_json::from_slice(&requests[1].body).expect("JSON");
    assert_eq!(second, json!({"name": "Blue Sun", "size": 30}));
}

/// A constant `type` is not a field: a request writes it (here inside a union the body is), and a
/// response with another value still decodes, with the difference listed (or, strict, an error).
#[tokio::test]
async fn a_constant_type_is_sent_and_a_different_one_is_listed() {
    use intercom_sdk::models::AdminReplyConversationRequest;
    use intercom_sdk::requests::ReplyToConversationRequest;
    use wiremock::matchers::body_partial_json;

    let server = MockServer::start().await;
    let conversation = json!({"type": "conversation_v2", "id": "367", "created_at": 1719492825});
    Mock::given(method("POST"))
        .and(path("/conversations/367/reply"))
        .and(body_partial_json(
            json!({"type": "admin", "admin_id": "991267", "body": "On it"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(conversation))
        .expect(2)
        .mount(&server)
        .await;
    let reply = || {
        ReplyToConversationRequest::new("367").body(AdminReplyConversationRequest {
            admin_id: "991267".to_owned(),
            body: Some("On it".to_owned()),
            ..Default::default()
        })
    };

    let response = client(&server, false)
        .conversations()
        .reply(reply())
        .send_with_response()
        .await
        .expect("decodes");
    assert_eq!(response.data.id, "367");
    let kind = drift_at(response.drift(), "type");
    assert_eq!(kind.expected, r#"string "conversation""#);
    assert_eq!(kind.found, r#"string "conversation_v2""#);
    assert_eq!(kind.outcome, DriftOutcome::Dropped);
    // Serialized again, the model says what it is.
    let again = serde_json::to_value(&response.data).expect("serializes");
    assert_eq!(again["type"], "conversation");

    let err = client(&server, true)
        .conversations()
        .reply(reply())
        .await
        .expect_err("strict");
    assert_eq!(decode_error_path(err), "type");
}
